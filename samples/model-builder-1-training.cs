#:project ../src/Microsoft.ML.Recourse/Microsoft.ML.Recourse.csproj
#:property PublishAot=false

// The training half of a Model Builder-style pair (Model Builder generates MLModel.training.cs and
// MLModel.consumption.cs): build the pipeline, train it, add recourse behind the classifier and save MLModel.zip.
// model-builder-2-consumption.cs loads the file in another process and explains the rejected applicants.
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Recourse;
using Microsoft.ML.Recourse.Actions;

string modelPath = Path.Combine(Path.GetTempPath(), "recourse-samples", "MLModel.zip");
var mlContext = new MLContext(seed: 1);
var trainingData = mlContext.Data.LoadFromTextFile<ModelInput>("docs/examples/user-data/credit.csv", hasHeader: true, separatorChar: ',');

var model = RetrainPipeline(mlContext, trainingData);
Directory.CreateDirectory(Path.GetDirectoryName(modelPath)!);
mlContext.Model.Save(model, trainingData.Schema, modelPath);
Console.WriteLine($"Saved {modelPath}");

static ITransformer RetrainPipeline(MLContext mlContext, IDataView trainingData)
    => BuildPipeline(mlContext).Fit(trainingData);

// As Model Builder writes it: concatenate the numeric columns, normalise, train; then recourse over the raw columns.
static IEstimator<ITransformer> BuildPipeline(MLContext mlContext)
{
    var pipeline = mlContext.Transforms.Concatenate(@"Features", new[] { @"age", @"education-years", @"hours-per-week", @"income", @"debt-ratio", @"savings" })
        .Append(mlContext.Transforms.NormalizeMinMax(@"Features", @"Features"))
        .Append(mlContext.BinaryClassification.Trainers.LbfgsLogisticRegression(labelColumnName: @"repaid", featureColumnName: @"Features"));
    var actions = ColumnActionSet.FromJson("""
        { "default": "immutable", "maximumChange": 1.5,
          "columns": { "hours-per-week": { "lower": 8, "upper": 80 }, "income": {}, "debt-ratio": { "direction": "decrease" },
                       "savings": { "direction": "increase" }, "education-years": { "direction": "increase", "upper": 20 } } }
        """);
    return mlContext.Recourse().GenerateRecourse(pipeline, actions, mlContext.Recourse().Generators.LinearIntegerProgram());
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
