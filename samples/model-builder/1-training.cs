#:project ../../src/Microsoft.ML.Recourse/Microsoft.ML.Recourse.csproj
#:property PublishAot=false
// requires-data: adult/adult.csv

// The training half of a Model Builder-shaped pair (Model Builder generates MLModel.training.cs): string categoricals
// one-hot encoded, missing-value replacement on the numbers, FastTree, saved as MLModel.zip. Nothing here knows about
// recourse: 2-consumption.cs (and `recourse explain`) explain the saved model's rejections on its raw columns.
// It also writes training.csv and applicants.csv (held-out rows, no label) for the CLI; see README.md.
using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers.FastTree;

string dataDir = Environment.GetEnvironmentVariable("RECOURSE_DATA_DIR") ?? "../shared/data";
string outDir = Path.Combine(Path.GetTempPath(), "recourse-samples", "model-builder");
Directory.CreateDirectory(outDir);
var mlContext = new MLContext(seed: 1);

// adult.csv has no header; its label is the text ">50K" / "<=50K", turned into Model Builder's Boolean Label here.
var raw = mlContext.Data.CreateEnumerable<AdultRow>(mlContext.Data.LoadFromTextFile<AdultRow>(Path.Combine(dataDir, "adult", "adult.csv"),
    separatorChar: ',', hasHeader: false, trimWhitespace: true), reuseRowObject: false).ToList();
var rows = raw.Select(r => r.ToModelInput()).ToList();
var training = rows.Take(rows.Count - 500).ToList();
var applicants = rows.Skip(rows.Count - 500).ToList();
var trainingData = mlContext.Data.LoadFromEnumerable(training);

var model = RetrainPipeline(mlContext, trainingData);
string modelPath = Path.Combine(outDir, "MLModel.zip");
mlContext.Model.Save(model, trainingData.Schema, modelPath);
var metrics = mlContext.BinaryClassification.Evaluate(model.Transform(mlContext.Data.LoadFromEnumerable(applicants)));
Console.WriteLine($"Saved {modelPath}: FastTree, accuracy {metrics.Accuracy:P1} and AUC {metrics.AreaUnderRocCurve:0.000} on the 500 held-out rows");
WriteCsv(Path.Combine(outDir, "training.csv"), training);
WriteCsv(Path.Combine(outDir, "applicants.csv"), applicants);
Console.WriteLine($"Wrote {Path.Combine(outDir, "training.csv")} and {Path.Combine(outDir, "applicants.csv")}");

static ITransformer RetrainPipeline(MLContext mlContext, IDataView trainingData) => BuildPipeline(mlContext).Fit(trainingData);

// As Model Builder writes it. fnlwgt (a census sampling weight) and education-num (a copy of education) are left out
// of the features, so that a change of education is the whole change the model sees.
static IEstimator<ITransformer> BuildPipeline(MLContext mlContext)
    => mlContext.Transforms.ReplaceMissingValues(new[] { new InputOutputColumnPair(@"age", @"age"), new InputOutputColumnPair(@"capital-gain", @"capital-gain"),
            new InputOutputColumnPair(@"capital-loss", @"capital-loss"), new InputOutputColumnPair(@"hours-per-week", @"hours-per-week") })
        .Append(mlContext.Transforms.Categorical.OneHotEncoding(new[] { new InputOutputColumnPair(@"workclass", @"workclass"),
            new InputOutputColumnPair(@"education", @"education"), new InputOutputColumnPair(@"marital-status", @"marital-status"),
            new InputOutputColumnPair(@"occupation", @"occupation"), new InputOutputColumnPair(@"relationship", @"relationship"),
            new InputOutputColumnPair(@"race", @"race"), new InputOutputColumnPair(@"sex", @"sex"), new InputOutputColumnPair(@"native-country", @"native-country") },
            outputKind: Microsoft.ML.Transforms.OneHotEncodingEstimator.OutputKind.Indicator))
        .Append(mlContext.Transforms.Concatenate(@"Features", new[] { @"age", @"capital-gain", @"capital-loss", @"hours-per-week", @"workclass", @"education",
            @"marital-status", @"occupation", @"relationship", @"race", @"sex", @"native-country" }))
        .Append(mlContext.BinaryClassification.Trainers.FastTree(new FastTreeBinaryTrainer.Options
        {
            NumberOfTrees = 100, NumberOfLeaves = 20, LabelColumnName = @"Label", FeatureColumnName = @"Features",
        }));

static void WriteCsv(string path, IEnumerable<ModelInput> rows)
{
    static string N(float v) => float.IsNaN(v) ? "" : v.ToString("R", CultureInfo.InvariantCulture);
    var lines = rows.Select(r => string.Join(',', N(r.Age), r.Workclass, N(r.Fnlwgt), r.Education, N(r.EducationNum), r.MaritalStatus, r.Occupation,
        r.Relationship, r.Race, r.Sex, N(r.CapitalGain), N(r.CapitalLoss), N(r.HoursPerWeek), r.NativeCountry));
    File.WriteAllLines(path, lines.Prepend("age,workclass,fnlwgt,education,education-num,marital-status,occupation,relationship,race,sex,capital-gain,capital-loss,hours-per-week,native-country"));
}

internal sealed class AdultRow
{
    [LoadColumn(0)] public float Age { get; set; }
    [LoadColumn(1)] public string Workclass { get; set; } = "";
    [LoadColumn(2)] public float Fnlwgt { get; set; }
    [LoadColumn(3)] public string Education { get; set; } = "";
    [LoadColumn(4)] public float EducationNum { get; set; }
    [LoadColumn(5)] public string MaritalStatus { get; set; } = "";
    [LoadColumn(6)] public string Occupation { get; set; } = "";
    [LoadColumn(7)] public string Relationship { get; set; } = "";
    [LoadColumn(8)] public string Race { get; set; } = "";
    [LoadColumn(9)] public string Sex { get; set; } = "";
    [LoadColumn(10)] public float CapitalGain { get; set; }
    [LoadColumn(11)] public float CapitalLoss { get; set; }
    [LoadColumn(12)] public float HoursPerWeek { get; set; }
    [LoadColumn(13)] public string NativeCountry { get; set; } = "";
    [LoadColumn(14)] public string Income { get; set; } = "";

    public ModelInput ToModelInput() => new()
    {
        Age = Age, Workclass = Workclass, Fnlwgt = Fnlwgt, Education = Education, EducationNum = EducationNum, MaritalStatus = MaritalStatus,
        Occupation = Occupation, Relationship = Relationship, Race = Race, Sex = Sex, CapitalGain = CapitalGain, CapitalLoss = CapitalLoss,
        HoursPerWeek = HoursPerWeek, NativeCountry = NativeCountry, Label = Income == ">50K",
    };
}

// Model Builder's ModelInput: the raw columns by their names in the data.
internal sealed class ModelInput
{
    [ColumnName(@"age")] public float Age { get; set; }
    [ColumnName(@"workclass")] public string Workclass { get; set; } = "";
    [ColumnName(@"fnlwgt")] public float Fnlwgt { get; set; }
    [ColumnName(@"education")] public string Education { get; set; } = "";
    [ColumnName(@"education-num")] public float EducationNum { get; set; }
    [ColumnName(@"marital-status")] public string MaritalStatus { get; set; } = "";
    [ColumnName(@"occupation")] public string Occupation { get; set; } = "";
    [ColumnName(@"relationship")] public string Relationship { get; set; } = "";
    [ColumnName(@"race")] public string Race { get; set; } = "";
    [ColumnName(@"sex")] public string Sex { get; set; } = "";
    [ColumnName(@"capital-gain")] public float CapitalGain { get; set; }
    [ColumnName(@"capital-loss")] public float CapitalLoss { get; set; }
    [ColumnName(@"hours-per-week")] public float HoursPerWeek { get; set; }
    [ColumnName(@"native-country")] public string NativeCountry { get; set; } = "";
    [ColumnName(@"Label")] public bool Label { get; set; }
}
