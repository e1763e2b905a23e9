#:project ../src/Microsoft.ML.Recourse/Microsoft.ML.Recourse.csproj
#:property PublishAot=false
// requires-data: german/german.csv

// German credit: train a recourse-aware MLP (Ross et al. 2021, λ = 0.8), attach one-step and integer-program recourse
// to the test rows it rejects, and audit both by personal status and sex.
// Run from the repository root: dotnet run samples/german-recourse.cs (the data is found in ../shared/data or
// RECOURSE_DATA_DIR).
using Microsoft.ML;
using System.Globalization;
using Microsoft.ML.Recourse;
using Microsoft.ML.Data;
using Microsoft.ML.Recourse.Actions;

var context = new MLContext(seed: 0).Recourse();
var data = context.Datasets.German(splitSeed: 0);
Console.WriteLine(data);

// Duration and amount are free, age may only rise (as the data set declares); amounts stay in a plausible range and
// changing the amount costs twice as much as changing the duration.
var actions = ActionSet.CreateBuilder(data.Features, maximumChange: 0.75)
    .SetBounds("amount", lower: 250, upper: 20_000)
    .SetBounds("duration", lower: 4, upper: 72)
    .SetCostWeight("amount", 2)
    .Build();

var trainer = context.Trainers.RecourseAwareMultilayerPerceptron(actions, recourseWeight: 0.8,
    perturbationDirection: PerturbationDirection.ReferenceCode, numberOfEpochs: 20, batchSize: 30);
var model = trainer.Fit(data.TrainSet, data.ValidationSet);
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"trained; decision threshold θ₀ = {model.Threshold:0.00}"));

var scored = model.Transform(data.TestSet);
foreach (var generator in new IRecourseGenerator[]
{
    context.Generators.OneStep(PerturbationDirection.ReferenceCode),
    context.Generators.LinearIntegerProgram(),
})
{
    var recourse = context.GenerateRecourse(model, actions, generator).Fit(scored);
    var transformed = recourse.Transform(scored);
    var audit = context.Audit(transformed, "personal_status_sex");
    Console.WriteLine();
    Console.WriteLine($"{generator.Name}: recourse audit by personal_status_sex");
    Console.WriteLine($"{"group",-8}{"rows",6}{"neg",6}{"rec-neg",9}{"rec-all",9}{"mean cost",11}");
    foreach (var m in audit.Groups.Prepend(audit.Overall))
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{m.Group ?? "all",-8}{m.Rows,6}{m.Negatives,6}{m.RecourseNegativeRate,9:0.000}{m.RecourseAllRate,9:0.000}{m.MeanCost,11:0.000}"));

    var explanations = recourse.ExplainAll(transformed);
    var status = transformed.GetColumn<string>("RecourseStatus").ToArray();
    foreach (int row in Enumerable.Range(0, status.Length).Where(r => status[r] != RecourseTransformer.AcceptedStatus && explanations[r] is not null).Take(2))
        Console.WriteLine($"  test row {row}: {explanations[row]}");
}
