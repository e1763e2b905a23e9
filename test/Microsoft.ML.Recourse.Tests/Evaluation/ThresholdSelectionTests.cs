using Microsoft.ML.Recourse.Models;
using Microsoft.ML.Recourse.Evaluation;

namespace Microsoft.ML.Recourse.Tests.Evaluation;

public class ThresholdSelectionTests
{
    [Fact]
    public void Grid_IsNumpyLinspaceFromZero()
    {
        var grid = ThresholdSelection.Grid(0.9, 10);
        grid.Should().HaveCount(10);
        grid[0].Should().Be(0);
        grid[^1].Should().Be(0.9);
        for (int i = 0; i < 10; i++) grid[i].Should().BeApproximately(0.1 * i, 1e-15);
        FluentActions.Invoking(() => ThresholdSelection.Grid(0.9, 1)).Should().Throw<ArgumentOutOfRangeException>();
    }

    [Fact]
    public void MaximizeF1_Ties_KeepTheFirstCandidate()
    {
        double[] scores = [0.9, 0.6, 0.2];
        bool[] labels = [true, true, false];
        // θ = 0.3 and θ = 0.5 both predict exactly the two positives (F1 = 1); θ = 0 adds a false positive.
        var choice = ThresholdSelection.MaximizeF1(scores, labels, [0, 0.3, 0.5, 0.95]);
        choice.Should().Be(new ThresholdChoice(0.3, 1));
    }

    [Fact]
    public void MaximizeF1_AllZero_ReturnsNull()
        => ThresholdSelection.MaximizeF1([0.9, 0.6], [false, false], [0, 0.5]).Should().BeNull();

    [Fact]
    public void TrainingGrid_IsTheReferenceGridOf21Steps()
    {
        var grid = ThresholdSelection.TrainingGrid;
        grid.Should().HaveCount(21);
        for (int k = 0; k <= 20; k++) grid[k].Should().Be(k / 20.0);
    }

    [Fact]
    public void F1ByThreshold_IsF1OfTheFavourableClassAtEachCandidate()
    {
        double[] scores = [0.9, 0.6, 0.2];
        bool[] labels = [true, false, true];
        // θ = 0: tp 2, fp 1 → 4/5; θ = 0.5: tp 1, fp 1, fn 1 → 1/2; θ = 0.95: no positive predicted → 0.
        ThresholdSelection.F1ByThreshold(scores, labels, [0, 0.5, 0.95]).Should().Equal(0.8, 0.5, 0);
    }

    [Fact]
    public void ForPrecision_PicksTheThresholdWithTheClosestPrecision()
    {
        // Thresholds (distinct scores) and precision of g ≥ θ: 0.9 → 0, 0.8 → 1/2, 0.7 → 2/3, 0.2 → 2/4.
        double[] scores = [0.2, 0.9, 0.7, 0.8];
        bool[] labels = [false, false, true, true];
        ThresholdSelection.ForPrecision(scores, labels, 0.65).Should().Be(new ThresholdChoice(0.7, 2.0 / 3));
        // The reference code's precision array ends with an extra 1 that belongs to no threshold; for a target of 1
        // that entry is closest and its index runs past the thresholds. Only real thresholds compete here.
        ThresholdSelection.ForPrecision(scores, labels, 1.0).Should().Be(new ThresholdChoice(0.7, 2.0 / 3));
        // Ties go to the lowest threshold: 0.8 and 0.2 both give 1/2.
        ThresholdSelection.ForPrecision(scores, labels, 0.5).Should().Be(new ThresholdChoice(0.2, 0.5));
    }

    [Fact]
    public void ForPrecision_TiedScores_FormOneThreshold()
    {
        var choice = ThresholdSelection.ForPrecision([0.5, 0.5, 0.5, 0.1], [true, false, true, false], 0.65);
        choice.Should().Be(new ThresholdChoice(0.5, 2.0 / 3));
    }
}
