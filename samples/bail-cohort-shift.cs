#:project ../src/Microsoft.ML.Recourse/Microsoft.ML.Recourse.csproj
#:property PublishAot=false
// requires-data: bail/bail_train.csv bail/bail_test.csv

// Bail: why test F1 swings from seed to seed (docs/results/ross2021/README.md). The reference test rows come from the
// 1980 file, whose FOLLOW values lie far outside the 1978 training file's, and about three quarters of the validation
// rows repeat a training row. For each seed and λ this trains the reference model (as `recourse reproduce ross2021`
// does) and prints validation and test metrics at θ₀, then the test metrics with FOLLOW set to the training mean.
// Run from the repository root: dotnet run samples/bail-cohort-shift.cs
using Microsoft.ML.Recourse.Models;
using Microsoft.ML;
using System.Globalization;
using Microsoft.ML.Recourse;
using Microsoft.ML.Recourse.Actions;
using Microsoft.ML.Recourse.Datasets;
using Microsoft.ML.Recourse.Evaluation;
using Microsoft.ML.Recourse.Trainers;

CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
foreach (int seed in new[] { 0, 21, 42 })
{
    var context = new MLContext(seed).Recourse();
    var data = context.Datasets.Bail(splitSeed: seed);
    int d = data.FeatureCount;
    int follow = data.Features.Select((f, j) => (f, j)).Single(x => x.f.Name == "FOLLOW").j;
    var train = data.GetFeatureMatrix(DatasetSplit.Train);
    var validation = data.GetFeatureMatrix(DatasetSplit.Validation);
    var test = data.GetFeatureMatrix(DatasetSplit.Test);
    double[] Follow(double[] rows) => Enumerable.Range(0, rows.Length / d).Select(r => rows[r * d + follow]).ToArray();
    if (seed == 0)
    {
        string Key(double[] rows, int r) => string.Join(",", rows.AsSpan(r * d, d).ToArray().Select(v => v.ToString("R")));
        var trainRows = Enumerable.Range(0, train.Length / d).Select(r => Key(train, r)).ToHashSet();
        double Repeats(double[] rows) => Enumerable.Range(0, rows.Length / d).Count(r => trainRows.Contains(Key(rows, r))) / (double)(rows.Length / d);
        Console.WriteLine($"FOLLOW (z-scored with the training file): train [{Follow(train).Min():0.00}, {Follow(train).Max():0.00}], test [{Follow(test).Min():0.00}, {Follow(test).Max():0.00}]");
        Console.WriteLine($"rows repeating a training row: validation {Repeats(validation):0.000}, test {Repeats(test):0.000}");
        Console.WriteLine($"favourable share of the test labels: {data.GetLabels(DatasetSplit.Test).Count(y => y) / (double)test.Length * d:0.000}");
    }
    var actions = ActionSet.FromFeatures(data.Features, data.MaximumChange);
    foreach (double lambda in new[] { 0.0, 0.8 })
    {
        var model = context.Trainers.RecourseAwareMultilayerPerceptron(new RecourseAwareMultilayerPerceptronTrainer.Options
        {
            ActionSet = actions, RecourseWeight = lambda, PerturbationDirection = PerturbationDirection.ReferenceCode,
            NumberOfEpochs = 15, BatchSize = 10, Seed = seed,
        }).Fit(data.TrainSet, data.ValidationSet);
        string Metrics(double[] rows, bool[] labels)
        {
            var scores = new double[labels.Length];
            model.Model.ScoreBatch(rows, scores);
            var m = ThresholdClassificationMetrics.Compute(scores, labels, model.Threshold);
            return $"F1 {m.F1Score:0.000}, accuracy {m.Accuracy:0.000}, predicted favourable {(double)m.PredictedPositives / m.RowCount:0.000}";
        }
        var neutral = test.ToArray();
        double mean = Follow(train).Average();
        for (int r = 0; r < neutral.Length / d; r++) neutral[r * d + follow] = mean;
        var testLabels = data.GetLabels(DatasetSplit.Test);
        Console.WriteLine($"seed {seed}, λ = {lambda}, θ₀ = {model.Threshold:0.00}: validation {Metrics(validation, data.GetLabels(DatasetSplit.Validation))}");
        Console.WriteLine($"    test {Metrics(test, testLabels)}");
        Console.WriteLine($"    test, FOLLOW at the training mean: {Metrics(neutral, testLabels)}");
    }
}
