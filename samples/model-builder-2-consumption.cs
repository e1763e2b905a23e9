#:project ../src/Microsoft.ML.Recourse/Microsoft.ML.Recourse.csproj
#:property PublishAot=false

// The consumption half of a Model Builder-style pair: load MLModel.zip (saved by model-builder-1-training.cs in
// another process), predict one applicant at a time with a PredictionEngine, and tell each rejected applicant what
// they could change, in the columns of their own data.
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Recourse;

string modelPath = Path.Combine(Path.GetTempPath(), "recourse-samples", "MLModel.zip");
var mlContext = new MLContext(seed: 1);
var model = mlContext.Model.Load(modelPath, out var inputSchema);
var engine = mlContext.Model.CreatePredictionEngine<ModelInput, ModelOutput>(model, inputSchema);
var recourse = mlContext.Recourse().Model.GetTransformer<RecourseTransformer>(model);
var names = recourse.ActionSet.Features.Select(f => f.Name).ToArray();

var applicants = mlContext.Data.CreateEnumerable<ModelInput>(
    mlContext.Data.LoadFromTextFile<ModelInput>("docs/examples/user-data/credit.csv", hasHeader: true, separatorChar: ','), reuseRowObject: false);
int shown = 0;
foreach (var (applicant, row) in applicants.Select((a, i) => (a, i)))
{
    var output = engine.Predict(applicant);
    if (output.PredictedLabel || shown == 5) continue;
    shown++;
    var changes = output.RecourseDelta.Select((d, j) => (Name: names[j], Delta: d)).Where(c => c.Delta != 0).ToArray();
    string advice = !output.HasRecourse
        ? $"no recourse within the allowed actions ({output.RecourseStatus})"
        : string.Join("; ", changes.Select(c => $"{c.Name} {(c.Delta > 0 ? "+" : "")}{c.Delta:0.##}"));
    Console.WriteLine($"applicant {row} (probability {output.Probability:0.00}): {advice}");
}

internal sealed class ModelInput
{
    [LoadColumn(0), ColumnName(@"age")] public float Age { get; set; }
    [LoadColumn(1), ColumnName(@"education-years")] public float EducationYears { get; set; }
    [LoadColumn(2), ColumnName(@"hours-per-week")] public float HoursPerWeek { get; set; }
    [LoadColumn(3), ColumnName(@"income")] public float Income { get; set; }
    [LoadColumn(4), ColumnName(@"debt-ratio")] public float DebtRatio { get; set; }
    [LoadColumn(5), ColumnName(@"savings")] public float Savings { get; set; }
    [LoadColumn(8), ColumnName(@"ageGroup")] public string AgeGroup { get; set; } = "";
    [LoadColumn(9), ColumnName(@"repaid")] public bool Repaid { get; set; }
}

internal sealed class ModelOutput
{
    public bool PredictedLabel { get; set; }
    public float Probability { get; set; }
    public float[] RecourseDelta { get; set; } = [];
    public float RecourseCost { get; set; }
    public bool HasRecourse { get; set; }
    public string RecourseStatus { get; set; } = "";
}
