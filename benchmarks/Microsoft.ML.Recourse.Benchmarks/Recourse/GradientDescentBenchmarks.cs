using Microsoft.ML.Recourse.Trainers;
using Microsoft.ML;
using System.Diagnostics;
using BenchmarkDotNet.Attributes;
using Microsoft.ML.Recourse.Actions;
using Microsoft.ML.Data;
using Microsoft.ML.Recourse.Datasets;
using Microsoft.ML.Recourse.Models;

namespace Microsoft.ML.Recourse.Benchmarks.Recourse;

/// <summary>
/// Gradient-descent recourse (alibi's schedule, reference settings) on one thread for the reference network
/// (9 → 100 → 100 → 1 ReLU, trained with the reference settings) on adult rows the model rejects at the threshold of
/// best validation F1. Times are per row (OperationsPerInvoke = rows). Uses the real adult data when the data folder is
/// found, otherwise synthetic rows of the same shape; the setup prints which.
/// </summary>
[MemoryDiagnoser]
public class GradientDescentBenchmarks
{
    private const int Rows = 300;

    private IDifferentiableScorer _model = null!;
    private ActionSet _actions = null!;
    private double[] _negatives = null!;
    private double _threshold;

    [GlobalSetup]
    public void Setup()
    {
        var ctx = new MLContext(1).Recourse();
        Source source;
        try
        {
            var adult = ctx.Datasets.Adult();
            source = new Source(adult.Features.ToArray(), adult.TrainSet, adult.GetFeatureMatrix(DatasetSplit.Validation),
                adult.GetLabels(DatasetSplit.Validation), [adult.GetFeatureMatrix(DatasetSplit.Test), adult.GetFeatureMatrix(DatasetSplit.Validation)]);
            Console.WriteLine("// GradientDescentBenchmarks: real adult data.");
        }
        catch (FileNotFoundException)
        {
            source = SyntheticAdultShape();
            Console.WriteLine("// GradientDescentBenchmarks: adult data not found; synthetic rows of adult's shape.");
        }
        var model = new MultilayerPerceptronTrainer(ctx.Environment, new MultilayerPerceptronTrainer.Options()).Fit(source.Train).Model;
        _model = model;
        _actions = ActionSet.FromFeatures(source.Features, RecourseDataset.DefaultMaximumChange);
        _threshold = BestF1Threshold(model, source.Validation, source.ValidationLabels);

        int d = source.Features.Length;
        var negatives = new List<double>();
        foreach (var x in source.Candidates)
        {
            var scores = new double[x.Length / d];
            model.ScoreBatch(x, scores);
            for (int i = 0; i < scores.Length && negatives.Count < Rows * d; i++)
                if (scores[i] < _threshold) negatives.AddRange(x.AsSpan(i * d, d).ToArray());
        }
        _negatives = negatives.ToArray();
        Console.WriteLine(FormattableString.Invariant($"// GradientDescentBenchmarks: θ₀ = {_threshold:F2}, {_negatives.Length / d} negatives."));

        // On a shared machine wall time overstates the cost; the process CPU time of one run says what one core spends.
        foreach (var compatibility in Enum.GetValues<GradientDescentCompatibility>())
        {
            var cpu = Process.GetCurrentProcess().TotalProcessorTime;
            var wall = Stopwatch.StartNew();
            var results = Run(compatibility);
            double cpuMs = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalMilliseconds / Rows;
            Console.WriteLine(FormattableString.Invariant(
                $"// GradientDescentBenchmarks: {compatibility}: {cpuMs:F3} ms CPU and {wall.Elapsed.TotalMilliseconds / Rows:F3} ms wall per row; {results.Count(r => r.IsValid)}/{Rows} valid."));
        }
    }

    /// <summary>Features, training view, validation rows and the row sets negatives are taken from (test first).</summary>
    private sealed record Source(FeatureInfo[] Features, IDataView Train, double[] Validation, bool[] ValidationLabels, double[][] Candidates);

    [Benchmark(OperationsPerInvoke = Rows, Description = "Gradient descent (Standard), adult negatives, MLP 2×100, one thread: per row")]
    public IReadOnlyList<RecourseResult> Standard() => Run(GradientDescentCompatibility.Standard);

    [Benchmark(OperationsPerInvoke = Rows, Description = "Gradient descent (ReferenceCode), adult negatives, MLP 2×100, one thread: per row")]
    public IReadOnlyList<RecourseResult> ReferenceCode() => Run(GradientDescentCompatibility.ReferenceCode);

    private IReadOnlyList<RecourseResult> Run(GradientDescentCompatibility compatibility)
        => new MLContext(1).Recourse().Generators
            .GradientDescent(new GradientDescentGenerator.Options { Compatibility = compatibility, NumberOfThreads = 1 })
            .Generate(_model, _threshold, _actions, _negatives);

    // The reference picks θ₀ by the best validation F1 on a 0.05 grid.
    private static double BestF1Threshold(IScorer model, double[] features, bool[] labels)
    {
        var scores = new double[labels.Length];
        model.ScoreBatch(features, scores);
        double best = 0.5, bestF1 = -1;
        for (int k = 1; k < 20; k++)
        {
            double t = 0.05 * k;
            int tp = 0, fp = 0, fn = 0;
            for (int i = 0; i < labels.Length; i++)
            {
                bool predicted = scores[i] >= t;
                if (predicted && labels[i]) tp++;
                else if (predicted) fp++;
                else if (labels[i]) fn++;
            }
            double f1 = 2.0 * tp / Math.Max(1, 2 * tp + fp + fn);
            if (f1 > bestF1) (best, bestF1) = (t, f1);
        }
        return best;
    }

    // 9 features as adult's (5 z-scored, 4 indicators; education-num may only rise, hours-per-week is free).
    private static Source SyntheticAdultShape()
    {
        var random = new Random(1);
        var features = new[]
        {
            new FeatureInfo("age"), new FeatureInfo("education-num", Actionability: FeatureActionability.IncreaseOnly),
            new FeatureInfo("capital-gain"), new FeatureInfo("capital-loss"), new FeatureInfo("hours-per-week", Actionability: FeatureActionability.Free),
            new FeatureInfo("isWhite", IsCategorical: true), new FeatureInfo("native-country-United-States", IsCategorical: true),
            new FeatureInfo("marital-status-Married", IsCategorical: true), new FeatureInfo("isMale", IsCategorical: true),
        };
        (float[][] X, bool[] Y) Draw(int rows)
        {
            var x = new float[rows][];
            var y = new bool[rows];
            for (int i = 0; i < rows; i++)
            {
                x[i] = new float[9];
                for (int j = 0; j < 5; j++) x[i][j] = (float)Gaussian(random);
                for (int j = 5; j < 9; j++) x[i][j] = random.NextDouble() < 0.6 ? 1 : 0;
                double logit = -1.6 + 0.6 * x[i][0] + 0.9 * x[i][1] + 0.8 * x[i][2] + 0.2 * x[i][3] + 0.5 * x[i][4] + 1.2 * x[i][7] + 0.3 * x[i][8];
                y[i] = random.NextDouble() < 1 / (1 + Math.Exp(-logit));
            }
            return (x, y);
        }
        static double[] Flat(float[][] x) => x.SelectMany(r => r.Select(v => (double)v)).ToArray();
        var train = Draw(26_048);
        var validation = Draw(6_012);
        var test = Draw(500);
        var view = new InMemoryDataView.Builder().AddVector(DefaultColumnNames.Features, train.X[0].Length, train.X.SelectMany(r => r).ToArray()).AddScalar(DefaultColumnNames.Label, train.Y).Build();
        return new Source(features, view, Flat(validation.X), validation.Y, [Flat(test.X), Flat(validation.X)]);
    }

    private static double Gaussian(Random random)
        => Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
