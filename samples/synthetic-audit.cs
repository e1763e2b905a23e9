#:project ../src/Microsoft.ML.Recourse/Microsoft.ML.Recourse.csproj
#:property PublishAot=false

// Synthetic credit applicants (no data files needed): compare the recourse a plain logistic model and a recourse-aware
// one leave to the applicants they reject, by age group, with Wachter-style gradient-descent recourse.
using Microsoft.ML;
using System.Globalization;
using Microsoft.ML.Recourse;
using Microsoft.ML.Recourse.Actions;
using Microsoft.ML.Recourse.Models;
using Microsoft.ML.Recourse.Trainers;

var context = new MLContext(seed: 1).Recourse();
var data = context.Datasets.SyntheticCredit(rows: 3000, seed: 1);
Console.WriteLine(data);

// Age is immutable, education and savings may only rise, debt ratio only fall (as the data set declares);
// working hours stay between 8 and 80 a week and education is counted in whole years.
var actions = ActionSet.CreateBuilder(data.Features, maximumChange: 0.75)
    .SetBounds("hours-per-week", lower: 8, upper: 80)
    .SetInteger("education-years")
    .SetBounds("debt-ratio", lower: 0, upper: 100)
    .Build();

var trainers = context.Trainers;
var models = new (string Name, RecourseAwarePredictionTransformer<LogisticRegressionModelParameters> Model)[]
{
    ("plain (λ = 0)", trainers.RecourseAwareLogisticRegression(actions, recourseWeight: 0).Fit(data.TrainSet, data.ValidationSet)),
    ("recourse-aware (λ = 0.8)", trainers.RecourseAwareLogisticRegression(actions, recourseWeight: 0.8).Fit(data.TrainSet, data.ValidationSet)),
};

foreach (var (name, model) in models)
{
    var scored = model.Transform(data.TestSet);
    var recourse = context.GenerateRecourse(model, actions, context.Generators.GradientDescent()).Fit(scored);
    var transformed = recourse.Transform(scored);
    var audit = context.Audit(transformed, "ageGroup");
    Console.WriteLine();
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name}, θ₀ = {model.Threshold:0.00}: gradient-descent recourse by age group"));
    Console.WriteLine($"{"group",-13}{"rows",6}{"neg",6}{"rec-neg",9}{"rec-all",9}{"mean cost",11}{"median",9}");
    foreach (var m in audit.Groups.Prepend(audit.Overall))
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{m.Group ?? "all",-13}{m.Rows,6}{m.Negatives,6}{m.RecourseNegativeRate,9:0.000}{m.RecourseAllRate,9:0.000}{m.MeanCost,11:0.000}{m.MedianCost,9:0.000}"));
    var first = recourse.ExplainAll(transformed).Select((e, row) => (e, row))
        .FirstOrDefault(t => t.e is { IsEmpty: false });
    if (first.e is not null)
        Console.WriteLine($"  e.g. test row {first.row}: {first.e}");
}
