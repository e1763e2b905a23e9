#:project ../src/Microsoft.ML.Recourse/Microsoft.ML.Recourse.csproj
#:property PublishAot=false
// requires-data: bail/bail_train.csv bail/bail_test.csv

// Bail: how far one split's test figures move with the training seed and with the epoch kept
// (docs/results/ross2021/README.md, "Bail side by side with the reference code"). On split 0 it trains the reference
// model (as `recourse reproduce ross2021 --direction reference` does) with training seeds 0 … n−1 for λ = 0 and 0.8 and
// prints θ₀, test F1, accuracy, the share of test rows accepted and one-step recourse-neg, then their spread. Then it
// follows training seed 0 at λ = 0.8 epoch by epoch: the model after epoch k (k epochs without validation data give
// exactly that model), its validation loss as the trainer computes it, validation F1 at its own θ₀, and test F1.
// Run from the repository root: dotnet run samples/bail-seed-spread.cs [-- --seeds 30]
using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Recourse;
using Microsoft.ML.Recourse.Actions;
using Microsoft.ML.Recourse.Datasets;
using Microsoft.ML.Recourse.Evaluation;
using Microsoft.ML.Recourse.Models;
using Microsoft.ML.Recourse.Trainers;

CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
int seedCount = args.Length == 2 && args[0] == "--seeds" ? int.Parse(args[1], CultureInfo.InvariantCulture) : 2;
var data = new MLContext(0).Recourse().Datasets.Bail(splitSeed: 0);
var actions = ActionSet.FromFeatures(data.Features, data.MaximumChange);
// The models see the features as the data views hold them, in single precision.
var validationRows = data.GetFeatureMatrix(DatasetSplit.Validation).Select(v => (double)(float)v).ToArray();
var validationLabels = data.GetLabels(DatasetSplit.Validation);
var testRows = data.GetFeatureMatrix(DatasetSplit.Test).Select(v => (double)(float)v).ToArray();
var testLabels = data.GetLabels(DatasetSplit.Test);

RecourseAwareMultilayerPerceptronTrainer Trainer(RecourseCatalog context, double lambda, int seed, int epochs, List<TrainingProgress>? progress = null)
    => context.Trainers.RecourseAwareMultilayerPerceptron(new RecourseAwareMultilayerPerceptronTrainer.Options
    {
        ActionSet = actions, RecourseWeight = lambda, PerturbationDirection = PerturbationDirection.ReferenceCode,
        NumberOfEpochs = epochs, BatchSize = 10, Seed = seed, Progress = progress is null ? null : new Collector(progress),
    });

ThresholdClassificationMetrics Metrics(ScorerModelParameters model, double[] rows, bool[] labels, double threshold)
{
    var scores = new double[labels.Length];
    model.ScoreBatch(rows, scores);
    return ThresholdClassificationMetrics.Compute(scores, labels, threshold);
}

// θ₀ as the trainer picks it: the first grid value t ∈ {0, 0.05, …, 1} with the highest validation F1.
double Theta0(ScorerModelParameters model)
{
    var grid = Enumerable.Range(0, 21).Select(i => Math.Round(0.05 * i, 2)).ToArray();
    var f1 = grid.Select(t => Metrics(model, validationRows, validationLabels, t).F1Score).ToArray();
    return grid[Array.IndexOf(f1, f1.Max())];
}

foreach (double lambda in new[] { 0.8, 0.0 })
{
    Console.WriteLine($"λ = {lambda}, split 0, training seeds 0 … {seedCount - 1}");
    Console.WriteLine("seed  epoch  θ₀     F1     accuracy  accepted  one-step recourse-neg");
    var rows = Enumerable.Range(0, seedCount).AsParallel().AsOrdered().Select(seed =>
    {
        var context = new MLContext(seed).Recourse();
        var progress = new List<TrainingProgress>();
        var model = Trainer(context, lambda, seed, 15, progress).Fit(data.TrainSet, data.ValidationSet);
        var oneStep = context.Generators.OneStep(new OneStepGenerator.Options { Direction = PerturbationDirection.ReferenceCode, NumberOfThreads = 1 });
        var e = context.Evaluation.Evaluate(model.Model, model.Threshold, actions, [oneStep], data.TestSet);
        var c = e.Classification;
        return (Seed: seed, Epoch: progress.Last(p => p.IsBest).Epoch, Theta: model.Threshold, c.F1Score, c.Accuracy,
            Accepted: (double)c.PredictedPositives / c.RowCount, e.Recourse[0].RecourseNeg);
    }).ToList();
    foreach (var r in rows)
        Console.WriteLine($"{r.Seed,4}  {r.Epoch,5}  {r.Theta:0.00}  {r.F1Score:0.000}  {r.Accuracy,8:0.000}  {r.Accepted,8:0.000}  {r.RecourseNeg,8:0.000}");
    void Spread(string name, Func<(int Seed, int Epoch, double Theta, double F1Score, double Accuracy, double Accepted, double RecourseNeg), double> value)
    {
        var v = rows.Select(value).Order().ToArray();
        double mean = v.Average(), sd = v.Length > 1 ? Math.Sqrt(v.Sum(x => (x - mean) * (x - mean)) / (v.Length - 1)) : 0;
        double median = v.Length % 2 == 1 ? v[v.Length / 2] : (v[v.Length / 2 - 1] + v[v.Length / 2]) / 2;
        Console.WriteLine($"  {name}: mean {mean:0.000}, s.d. {sd:0.000}, median {median:0.000}, min {v[0]:0.000}, max {v[^1]:0.000}");
    }
    Spread("test F1", r => r.F1Score);
    Spread("test accuracy", r => r.Accuracy);
    Spread("accepted", r => r.Accepted);
    Spread("one-step recourse-neg", r => r.RecourseNeg);
    Console.WriteLine();
}

Console.WriteLine("Training seed 0, λ = 0.8, epoch by epoch (the trainer keeps the epoch with the lowest validation loss):");
Console.WriteLine("epoch  validation loss  θ₀     validation F1  test F1  accepted");
var history = new List<TrainingProgress>();
Trainer(new MLContext(0).Recourse(), 0.8, 0, 15, history).Fit(data.TrainSet, data.ValidationSet);
var epochRows = Enumerable.Range(1, 15).AsParallel().AsOrdered().Select(k =>
{
    var model = Trainer(new MLContext(0).Recourse(), 0.8, 0, k).Fit(data.TrainSet).Model;
    double theta = Theta0(model);
    var test = Metrics(model, testRows, testLabels, theta);
    return (k, theta, Validation: Metrics(model, validationRows, validationLabels, theta).F1Score, test.F1Score, Accepted: (double)test.PredictedPositives / test.RowCount);
}).ToList();
foreach (var (k, theta, validation, f1, accepted) in epochRows)
    Console.WriteLine($"{k,5}  {history[k - 1].ValidationLoss,15:0.00000}{(history[k - 1].IsBest ? "*" : " ")}  {theta:0.00}  {validation,13:0.000}  {f1,7:0.000}  {accepted,8:0.000}");
Console.WriteLine("(* = a new lowest validation loss; the last * is the model kept)");

sealed class Collector(List<TrainingProgress> list) : IProgress<TrainingProgress>
{
    public void Report(TrainingProgress value) => list.Add(value);
}
