#:project ../src/Microsoft.ML.Recourse/Microsoft.ML.Recourse.csproj
#:property PublishAot=false

// Your own data: load a CSV file with ML.NET's text loader by its header, train a recourse-aware logistic model on its
// numeric columns with actions named by column (docs/examples/user-data/credit.actions.json), save the whole pipeline,
// and explain the integer-program recourse of the first rejected applicants in the file's own units.
using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Recourse;
using Microsoft.ML.Recourse.Actions;

var mlContext = new MLContext(seed: 2);
var recourse = mlContext.Recourse();
var data = recourse.Datasets.LoadCsv("docs/examples/user-data/credit.csv", labelColumnName: "repaid");
var actions = ColumnActionSet.FromJson(File.ReadAllText("docs/examples/user-data/credit.actions.json"));
Console.WriteLine(data);

var split = mlContext.Data.TrainTestSplit(data.Data, testFraction: 0.25, seed: 2);
var pipeline = mlContext.Transforms.Concatenate("Features", [.. data.NumericColumns])
    .Append(mlContext.Transforms.NormalizeMeanVariance("Features"))
    .Append(recourse.Trainers.RecourseAwareLogisticRegression(actions, recourseWeight: 0.8, numberOfEpochs: 30));
var withRecourse = recourse.GenerateRecourse(pipeline, actions, recourse.Generators.LinearIntegerProgram());
var model = withRecourse.Fit(split.TrainSet);
string modelPath = Path.Combine(Path.GetTempPath(), "user-csv-sample-model.zip");
mlContext.Model.Save(model, split.TrainSet.Schema, modelPath);
Console.WriteLine($"saved {modelPath} (try: recourse explain --model {modelPath} --data docs/examples/user-data/credit.csv --method linear-ip)");

var transformed = model.Transform(split.TestSet);
var overall = recourse.Audit(transformed).Overall;
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"{overall.Negatives} of {overall.Rows} test applicants rejected; {overall.NegativesWithRecourse} have recourse (mean cost {overall.MeanCost:0.###}), {overall.InfeasibleShare * 100:0.#} % certified infeasible"));

var explanations = model.ExplainAll(transformed);
var status = transformed.GetColumn<string>("RecourseStatus").ToArray();
foreach (int r in Enumerable.Range(0, status.Length).Where(r => status[r] != RecourseTransformer.AcceptedStatus).Take(6))
    Console.WriteLine($"  applicant {r}: {explanations[r]?.ToString() ?? $"no recourse ({status[r]})"}");
