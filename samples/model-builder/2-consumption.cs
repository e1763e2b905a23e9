#:project ../../src/Microsoft.ML.Recourse/Microsoft.ML.Recourse.csproj
#:property PublishAot=false
// requires-data: adult/adult.csv

// The consumption half (Model Builder generates MLModel.consumption.cs): load MLModel.zip, saved by 1-training.cs in
// another process, and tell the rejected applicants what to change, column by column in their own values.
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Recourse;
using Microsoft.ML.Recourse.Actions;

string outDir = Path.Combine(Path.GetTempPath(), "recourse-samples", "model-builder");
var mlContext = new MLContext(seed: 1);
var model = mlContext.Model.Load(Path.Combine(outDir, "MLModel.zip"), out _);
var training = mlContext.Data.LoadFromTextFile<ModelInput>(Path.Combine(outDir, "training.csv"), separatorChar: ',', hasHeader: true);
var applicants = mlContext.Data.LoadFromTextFile<ModelInput>(Path.Combine(outDir, "applicants.csv"), separatorChar: ',', hasHeader: true);
var actions = ColumnActionSet.FromJson(File.ReadAllText("samples/model-builder/adult.actions.json"), "adult.actions.json");

// Recourse on the model's raw columns: the training rows give each column's spread, range and categories.
var recourse = mlContext.Recourse().ExplainModel(model, actions, optionCount: 2).Fit(training);
Console.WriteLine($"method: {recourse.Method}{(recourse.WhyNotExact is { } why ? $" (no exact method: {why})" : "")}");

var firstRows = mlContext.Data.TakeRows(applicants, 100);
var results = recourse.ExplainAll(firstRows);
foreach (var (result, row) in results.Select((r, i) => (r, i)).Where(x => x.r.Status != ColumnRecourseStatus.Accepted).Take(6))
{
    Console.WriteLine($"applicant {row} (probability {result.ScoreBefore:0.00}): {result.Status}");
    foreach (var option in result.Options)
        Console.WriteLine($"  {option} (cost {option.Cost:0.##}, probability then {option.ScoreAfter:0.00})");
}
Console.WriteLine(string.Join(", ", results.GroupBy(r => r.Status).Select(g => $"{g.Count()} {g.Key}")) + " among the first 100 applicants");

// The same as columns of an IDataView: Recourse.<column> holds each column's recommended value.
var first = mlContext.Data.CreateEnumerable<Explained>(recourse.Transform(firstRows), reuseRowObject: false)
    .First(e => e.RecourseStatus == nameof(ColumnRecourseStatus.Found));
Console.WriteLine($"as columns: {first.RecourseChanges} (education → {first.RecommendedEducation}, hours-per-week → {first.RecommendedHours})");

internal class ModelInput
{
    [LoadColumn(0), ColumnName(@"age")] public float Age { get; set; }
    [LoadColumn(1), ColumnName(@"workclass")] public string Workclass { get; set; } = "";
    [LoadColumn(2), ColumnName(@"fnlwgt")] public float Fnlwgt { get; set; }
    [LoadColumn(3), ColumnName(@"education")] public string Education { get; set; } = "";
    [LoadColumn(4), ColumnName(@"education-num")] public float EducationNum { get; set; }
    [LoadColumn(5), ColumnName(@"marital-status")] public string MaritalStatus { get; set; } = "";
    [LoadColumn(6), ColumnName(@"occupation")] public string Occupation { get; set; } = "";
    [LoadColumn(7), ColumnName(@"relationship")] public string Relationship { get; set; } = "";
    [LoadColumn(8), ColumnName(@"race")] public string Race { get; set; } = "";
    [LoadColumn(9), ColumnName(@"sex")] public string Sex { get; set; } = "";
    [LoadColumn(10), ColumnName(@"capital-gain")] public float CapitalGain { get; set; }
    [LoadColumn(11), ColumnName(@"capital-loss")] public float CapitalLoss { get; set; }
    [LoadColumn(12), ColumnName(@"hours-per-week")] public float HoursPerWeek { get; set; }
    [LoadColumn(13), ColumnName(@"native-country")] public string NativeCountry { get; set; } = "";
}

internal sealed class Explained : ModelInput
{
    public string RecourseStatus { get; set; } = "";
    public string RecourseChanges { get; set; } = "";
    [ColumnName("Recourse.education")] public string RecommendedEducation { get; set; } = "";
    [ColumnName("Recourse.hours-per-week")] public float RecommendedHours { get; set; }
}
