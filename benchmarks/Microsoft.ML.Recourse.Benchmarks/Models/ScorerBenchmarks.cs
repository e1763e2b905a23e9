using BenchmarkDotNet.Attributes;
using Microsoft.ML.Recourse.Models;
using Microsoft.ML.Recourse.Trainers;

namespace Microsoft.ML.Recourse.Benchmarks.Models;

/// <summary>
/// Scoring and training costs of the reference network (d = 9 → 100 → 100 → 1, ReLU) and of logistic regression.
/// The scoring benchmarks report the time per row (OperationsPerInvoke = rows): rows/s = 10⁹ / Mean[ns].
/// </summary>
[MemoryDiagnoser]
public class ScorerBenchmarks
{
    private const int FeatureCount = 9;
    private const int ScoredRows = 10_000;
    private const int TrainingRows = 26_048; // the adult training split

    private ScorerModelParameters _mlp = null!;
    private ScorerModelParameters _logistic = null!;
    private double[] _rows = null!;
    private double[] _scores = null!;
    private double[] _gradients = null!;
    private FeedForwardNetwork _network = null!;
    private ScorerTrainingData _training = null!;

    [GlobalSetup]
    public void Setup()
    {
        var random = new RandomSource(1);
        _network = new FeedForwardNetwork(FeatureCount, [100, 100], Activation.Relu);
        var parameters = new double[_network.ParameterCount];
        _network.Initialize(parameters, random);
        _mlp = new MultilayerPerceptronModelParameters(_network, parameters);
        _logistic = new LogisticRegressionModelParameters(Enumerable.Range(0, FeatureCount).Select(_ => random.NextUniform(-1, 1)).ToArray(), 0.1);
        _rows = Enumerable.Range(0, ScoredRows * FeatureCount).Select(_ => random.NextUniform(-2, 2)).ToArray();
        _scores = new double[ScoredRows];
        _gradients = new double[_rows.Length];

        var features = Enumerable.Range(0, TrainingRows * FeatureCount).Select(_ => random.NextUniform(-2, 2)).ToArray();
        var targets = new double[TrainingRows];
        for (int r = 0; r < TrainingRows; r++) targets[r] = features[r * FeatureCount] + features[r * FeatureCount + 1] > 0.5 ? 1 : 0;
        _training = new ScorerTrainingData(features, targets, targets.Select(t => t == 1 ? 3.0 : 1.0).ToArray(), FeatureCount);
    }

    [Benchmark(OperationsPerInvoke = ScoredRows, Description = "MLP 9-100-100-1 ReLU: g and ∇ₓg, per row")]
    public void MlpScoreAndInputGradient() => _mlp.ScoreAndInputGradientBatch(_rows, _scores, _gradients);

    [Benchmark(OperationsPerInvoke = ScoredRows, Description = "Logistic d=9: g and ∇ₓg, per row")]
    public void LogisticScoreAndInputGradient() => _logistic.ScoreAndInputGradientBatch(_rows, _scores, _gradients);

    [Benchmark(Description = "MLP: one epoch, 26,048 rows, batch 10, dropout 0.3")]
    public double[] MlpTrainingEpoch() => Engine().Train(_training).Parameters;

    [Benchmark(Description = "MLP: one epoch, batch 10 + a perturbed copy per step (recourse-training workload)")]
    public double[] MlpTrainingEpochWithPerturbedCopy() => Engine().Train(_training, extraLoss: new PerturbedCopy()).Parameters;

    private ScorerTrainingEngine Engine()
        => new(_network, new ScorerTrainingSettings(NumberOfEpochs: 1, BatchSize: 10, LearningRate: 0.002, DropoutRate: 0.3,
            L2Regularization: 0, ShuffleEachEpoch: false, Seed: 1));

    // The shape of Ross et al.'s recourse term: a train-mode g and ∇ₓg pass on the batch, then x + 0.75·sign(∇ₓg)
    // joins the backward pass with target 1 and weight 0.8. It stands in for the recourse-aware trainer's cost only.
    private sealed class PerturbedCopy : IBatchLossTerm
    {
        private double[] _scores = [], _gradients = [], _row = [];

        public void AddRows(ScorerBatch batch, ExtraRows extraRows)
        {
            int d = batch.FeatureCount;
            if (_scores.Length < batch.RowCount) (_scores, _gradients, _row) = (new double[batch.RowCount], new double[batch.RowCount * d], new double[d]);
            var features = batch.Features;
            batch.ScoreAndInputGradient(features, _scores.AsSpan(0, batch.RowCount), _gradients.AsSpan(0, features.Length));
            for (int r = 0; r < batch.RowCount; r++)
            {
                for (int j = 0; j < d; j++) _row[j] = features[r * d + j] + 0.75 * Math.Sign(_gradients[r * d + j]);
                extraRows.Add(_row, 1, 0.8);
            }
        }
    }
}
