using Microsoft.ML.Recourse.Models;
using Microsoft.ML.Recourse.Tests.TestFramework;
using Microsoft.ML.Recourse.Trainers;

namespace Microsoft.ML.Recourse.Tests.Trainers;

public class ScorerTrainingEngineTests
{
    private static ScorerTrainingData Data(int rows, int seed, double separation = 1.5)
    {
        var (features, labels) = ToyData.Blobs(rows, 3, separation, seed);
        return new ScorerTrainingData(features.SelectMany(f => f.Select(v => (double)v)).ToArray(),
            labels.Select(l => l ? 1.0 : 0.0).ToArray(), Enumerable.Repeat(1.0, rows).ToArray(), 3);
    }

    private static ScorerTrainingSettings Settings(double dropout = 0, bool shuffle = false, int epochs = 4, double l2 = 0, double lr = 0.01)
        => new(epochs, BatchSize: 8, lr, dropout, l2, shuffle, Seed: 7);

    private static readonly FeedForwardNetwork Network = new(3, [12, 6], Activation.Tanh);

    private sealed class RecordingTerm(Func<ScorerBatch, ExtraRows, bool>? add = null) : IBatchLossTerm
    {
        public List<(bool Training, int Epoch, int[] Rows)> Calls { get; } = [];

        public void AddRows(ScorerBatch batch, ExtraRows extraRows)
        {
            Calls.Add((batch.IsTraining, batch.Epoch, batch.RowIndices.ToArray()));
            add?.Invoke(batch, extraRows);
        }
    }

    [Fact]
    public void Train_SameSeed_IdenticalParameters_DifferentSeed_Different()
    {
        var data = Data(100, 1);
        var a = new ScorerTrainingEngine(Network, Settings(dropout: 0.3, shuffle: true)).Train(data);
        var b = new ScorerTrainingEngine(Network, Settings(dropout: 0.3, shuffle: true)).Train(data);
        var c = new ScorerTrainingEngine(Network, Settings(dropout: 0.3, shuffle: true) with { Seed = 8 }).Train(data);
        a.Parameters.Should().Equal(b.Parameters);
        a.Parameters.Should().NotEqual(c.Parameters);
    }

    [Fact]
    public void Train_WithoutShuffle_WalksRowsInOrder_InBatchesWithASmallerLastOne()
    {
        var term = new RecordingTerm();
        new ScorerTrainingEngine(Network, Settings(epochs: 2)).Train(Data(20, 2), extraLoss: term);
        var training = term.Calls.Where(c => c.Training).ToList();
        training.Select(c => c.Rows.Length).Should().Equal(8, 8, 4, 8, 8, 4);
        training.Take(3).SelectMany(c => c.Rows).Should().Equal(Enumerable.Range(0, 20));
        training.Skip(3).SelectMany(c => c.Rows).Should().Equal(Enumerable.Range(0, 20));
    }

    [Fact]
    public void Train_WithShuffle_VisitsEveryRowOncePerEpochInANewOrder()
    {
        var term = new RecordingTerm();
        new ScorerTrainingEngine(Network, Settings(shuffle: true, epochs: 2)).Train(Data(20, 2), extraLoss: term);
        var first = term.Calls.Where(c => c.Epoch == 1).SelectMany(c => c.Rows).ToArray();
        var second = term.Calls.Where(c => c.Epoch == 2).SelectMany(c => c.Rows).ToArray();
        first.Should().BeEquivalentTo(Enumerable.Range(0, 20));
        second.Should().BeEquivalentTo(Enumerable.Range(0, 20));
        first.Should().NotEqual(second);
    }

    [Fact]
    public void Train_ExtraRowsWithZeroWeight_LeaveTrainingBitForBitUnchanged()
    {
        var data = Data(50, 3);
        var plain = new ScorerTrainingEngine(Network, Settings()).Train(data, Data(20, 4));
        var term = new RecordingTerm((batch, extra) =>
        {
            for (int r = 0; r < batch.RowCount; r++) extra.Add(batch.Features.Slice(r * 3, 3), 1, 0);
            return true;
        });
        var withTerm = new ScorerTrainingEngine(Network, Settings()).Train(data, Data(20, 4), term);
        withTerm.Parameters.Should().Equal(plain.Parameters);
        withTerm.History.Should().Equal(plain.History);
        term.Calls.Should().Contain(c => !c.Training, "validation chunks go through the term too");
    }

    [Fact]
    public void Train_ExtraRowsWithTargetOne_RaiseTheScores()
    {
        var data = Data(200, 5);
        var plain = new ScorerTrainingEngine(Network, Settings()).Train(data);
        var pushUp = new RecordingTerm((batch, extra) =>
        {
            for (int r = 0; r < batch.RowCount; r++) extra.Add(batch.Features.Slice(r * 3, 3), 1, 3);
            return true;
        });
        var pushed = new ScorerTrainingEngine(Network, Settings()).Train(data, extraLoss: pushUp);
        double MeanScore(double[] p)
        {
            var model = new MultilayerPerceptronModelParameters(Network, p);
            var scores = new double[data.RowCount];
            model.ScoreBatch(data.Features, scores);
            return scores.Average();
        }
        MeanScore(pushed.Parameters).Should().BeGreaterThan(MeanScore(plain.Parameters) + 0.15);
    }

    [Fact]
    public void Batch_ScoreAndInputGradient_InValidation_IsTheEvalModeModel()
    {
        var checkedChunks = 0;
        var term = new RecordingTerm((batch, extra) =>
        {
            if (batch.IsTraining) return true;
            var scores = new double[batch.RowCount];
            var gradients = new double[batch.Features.Length];
            batch.ScoreAndInputGradient(batch.Features, scores, gradients);
            var model = new MultilayerPerceptronModelParameters(Network, batch.Parameters.ToArray());
            var expectedScores = new double[batch.RowCount];
            var expectedGradients = new double[batch.Features.Length];
            model.ScoreAndInputGradientBatch(batch.Features, expectedScores, expectedGradients);
            scores.Should().Equal(expectedScores);
            gradients.Should().Equal(expectedGradients);
            checkedChunks++;
            return true;
        });
        new ScorerTrainingEngine(Network, Settings(dropout: 0.5, epochs: 1)).Train(Data(16, 6), Data(16, 7), term);
        checkedChunks.Should().Be(2);
    }

    [Fact]
    public void Train_WithValidation_KeepsTheEpochWithTheLowestValidationLoss()
    {
        // A large learning rate on a small noisy problem makes the validation loss go up and down.
        var training = Data(60, 8, separation: 0.8);
        var validation = Data(200, 9, separation: 0.8);
        var result = new ScorerTrainingEngine(Network, Settings(epochs: 25, lr: 0.05)).Train(training, validation);
        var losses = result.History.Select(h => h.ValidationLoss!.Value).ToArray();
        int best = Array.IndexOf(losses, losses.Min()) + 1;
        result.SelectedEpoch.Should().Be(best);
        best.Should().BeLessThan(25, "this run overfits, so the last epoch must not be the best one");

        var model = new MultilayerPerceptronModelParameters(Network, result.Parameters);
        var scores = new double[validation.RowCount];
        model.ScoreBatch(validation.Features, scores);
        double loss = -scores.Select((g, i) => validation.Targets[i] == 1 ? Math.Log(g) : Math.Log(1 - g)).Average();
        loss.Should().BeApproximately(losses.Min(), 1e-9, "the returned parameters are those of the best epoch");
        result.History.Where(h => h.IsBest).Select(h => h.Epoch).Should().Contain(best);
    }

    [Fact]
    public void Train_L2Regularization_ShrinksTheWeights()
    {
        var data = Data(100, 10);
        var plain = new ScorerTrainingEngine(Network, Settings(epochs: 5)).Train(data);
        var shrunk = new ScorerTrainingEngine(Network, Settings(epochs: 5, l2: 1)).Train(data);
        Network.SquaredWeightNorm(shrunk.Parameters).Should().BeLessThan(0.5 * Network.SquaredWeightNorm(plain.Parameters));
    }

    [Fact]
    public void Train_ReportsProgressAndLogsEveryEpoch()
    {
        var reports = new List<TrainingProgress>();
        var lines = new List<string>();
        new ScorerTrainingEngine(Network, Settings(epochs: 3)).Train(Data(30, 11), Data(10, 12), progress: new SyncProgress(reports), log: lines.Add);
        reports.Select(r => r.Epoch).Should().Equal(1, 2, 3);
        reports.Should().OnlyContain(r => r.NumberOfEpochs == 3 && r.TrainingLoss > 0 && r.ValidationLoss > 0);
        lines.Should().HaveCount(4).And.Contain(l => l.StartsWith("selected epoch", StringComparison.Ordinal));
    }

    internal sealed class SyncProgress(List<TrainingProgress> reports) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value) => reports.Add(value);
    }
}
