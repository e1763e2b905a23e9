using Microsoft.ML.Recourse.Models;
using Microsoft.ML.Recourse.Evaluation;

namespace Microsoft.ML.Recourse.Tests.Evaluation;

public class BinaryClassificationMetricsTests
{
    [Fact]
    public void Compute_HandBuiltCase_GivesTheConfusionCountsAndMetrics()
    {
        // Predicted favourable iff g ≥ 0.5: [T, T, F, F, T] against labels [T, F, T, F, F].
        var metrics = ThresholdClassificationMetrics.Compute([0.9, 0.8, 0.4, 0.3, 0.5], [true, false, true, false, false], 0.5);
        metrics.Should().Be(new ThresholdClassificationMetrics(0.5, TruePositives: 1, FalsePositives: 2, TrueNegatives: 1, FalseNegatives: 1));
        metrics.RowCount.Should().Be(5);
        metrics.PredictedPositives.Should().Be(3);
        metrics.Accuracy.Should().Be(0.4);
        metrics.PositivePrecision.Should().Be(1.0 / 3);
        metrics.PositiveRecall.Should().Be(0.5);
        metrics.F1Score.Should().Be(0.4);
    }

    [Fact]
    public void Compute_NothingPredictedOrNoPositives_GivesZeroNotNaN()
    {
        var none = ThresholdClassificationMetrics.Compute([0.1, 0.2], [true, false], 0.5);
        none.PositivePrecision.Should().Be(0);
        none.F1Score.Should().Be(0);
        none.Accuracy.Should().Be(0.5);
        var noPositives = ThresholdClassificationMetrics.Compute([0.9, 0.2], [false, false], 0.5);
        noPositives.PositiveRecall.Should().Be(0);
        noPositives.F1Score.Should().Be(0);
    }

    [Fact]
    public void Compute_MismatchedLengths_Throws()
        => FluentActions.Invoking(() => ThresholdClassificationMetrics.Compute([0.1, 0.2], [true], 0.5)).Should().Throw<ArgumentOutOfRangeException>();
}
