#:project ../src/Microsoft.ML.Recourse/Microsoft.ML.Recourse.csproj
#:property PublishAot=false

using Microsoft.ML;
using Microsoft.ML.Recourse;
using Microsoft.ML.Recourse.Actions;

// Synthetic credit applicants, generated in code (no files needed).
var ctx = new MLContext(seed: 1).Recourse();
var data = ctx.Datasets.SyntheticCredit(rows: 5000, seed: 0);

// What applicants can change: each feature's actionability, at most 0.75 standard deviations.
var actions = ActionSet.FromFeatures(data.Features, data.MaximumChange);

// Train an MLP whose loss also rewards leaving one-step recourse to rejected applicants (λ = 0.8);
// the validation set picks the epoch and the threshold θ₀.
var model = ctx.Trainers
    .RecourseAwareMultilayerPerceptron(actions, recourseWeight: 0.8)
    .Fit(data.TrainSet, data.ValidationSet);

// Attach RecourseDelta, RecourseCost and HasRecourse to every test row.
var recourse = ctx.GenerateRecourse(model, actions, ctx.Generators.OneStep()).Fit(data.TestSet);
var rows = recourse.Transform(data.TestSet);

// Audit the population: how many rejected applicants have recourse, and at what cost.
var audit = ctx.Audit(rows, groupColumnName: "ageGroup");
Console.WriteLine($"θ₀ = {model.Threshold:0.00}; recourse for {audit.Overall.RecourseNegativeRate:P0} of rejected applicants");
foreach (var group in audit.Groups)
    Console.WriteLine($"  age {group.Group}: {group.RecourseNegativeRate:P0} of {group.Negatives} rejected");
Console.WriteLine($"First rejected applicant: {recourse.ExplainAll(rows).First(e => e is { IsEmpty: false })}");
