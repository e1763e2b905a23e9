#:project ../src/Microsoft.ML.Recourse/Microsoft.ML.Recourse.csproj
#:property PublishAot=false

// Your own data: read a CSV file through a schema file (docs/user-data.md), train a recourse-aware logistic model,
// save it, and explain the integer-program recourse of the first rejected applicants in original units.
using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Recourse;
using Microsoft.ML.Data;

string examples = ExamplesDirectory();
var mlContext = new MLContext(seed: 2);
var context = mlContext.Recourse();
var data = context.Datasets.LoadCsv(Path.Combine(examples, "credit.csv"), Path.Combine(examples, "credit.schema.json"));
Console.WriteLine(data);

var split = mlContext.Data.TrainTestSplit(data.Data, testFraction: 0.25, seed: 2);
var model = context.Trainers
    .RecourseAwareLogisticRegression(data.ActionSet, recourseWeight: 0.8, numberOfEpochs: 30)
    .Fit(split.TrainSet);
string modelPath = Path.Combine(Path.GetTempPath(), "user-csv-sample-model.zip");
mlContext.Model.Save(model, split.TrainSet.Schema, modelPath);
Console.WriteLine($"saved {modelPath} (try: recourse explain --model {modelPath} --data {Path.Combine(examples, "credit.csv")} --schema {Path.Combine(examples, "credit.schema.json")} --method linear-ip)");

var scored = model.Transform(split.TestSet);
var recourse = context.GenerateRecourse(model, data.ActionSet, context.Generators.LinearIntegerProgram()).Fit(scored);
var transformed = recourse.Transform(scored);
var overall = context.Audit(transformed).Overall;
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"{overall.Negatives} of {overall.Rows} test applicants rejected; {overall.NegativesWithRecourse} have recourse (mean cost {overall.MeanCost:0.###}), {overall.InfeasibleShare * 100:0.#} % certified infeasible"));

var explanations = recourse.ExplainAll(transformed);
var ids = transformed.GetColumn<int>("RowId").ToArray();
var status = transformed.GetColumn<string>("RecourseStatus").ToArray();
foreach (int r in Enumerable.Range(0, status.Length).Where(r => status[r] != RecourseTransformer.AcceptedStatus).Take(6))
{
    Console.WriteLine($"  applicant {ids[r]}: {explanations[r]?.ToString() ?? $"no recourse ({status[r]})"}");
}

// The example files sit in docs/examples/user-data of the repository this sample is run from (samples/run-all.sh runs
// it from the root). [CallerFilePath] is no help: deterministic CI builds map source paths to "/_/".
static string ExamplesDirectory()
{
    for (var dir = new DirectoryInfo(Directory.GetCurrentDirectory()); dir is not null; dir = dir.Parent)
    {
        string candidate = Path.Combine(dir.FullName, "docs", "examples", "user-data");
        if (Directory.Exists(candidate)) return candidate;
    }
    throw new DirectoryNotFoundException("Run this sample from the repository (docs/examples/user-data was not found above the current directory).");
}
