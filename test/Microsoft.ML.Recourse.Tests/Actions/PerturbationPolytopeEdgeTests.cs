using Microsoft.ML.Recourse.Actions;
using Microsoft.ML.Recourse.Optimization;

namespace Microsoft.ML.Recourse.Tests.Actions;

// The exact sentences of Δ(x)'s checks, its tolerances, its linear program and the one-step batch's checks.
public class PerturbationPolytopeEdgeTests
{
    private static readonly FeatureInfo[] Features =
    [
        new("a", Actionability: FeatureActionability.Free),
        new("n", Mean: 10, Scale: 2, Actionability: FeatureActionability.Free),
        new("c_1", IsCategorical: true),
        new("c_2", IsCategorical: true),
        new("c_3", IsCategorical: true),
    ];

    private static ActionSet Set(bool withRow = false)
    {
        var builder = ActionSet.CreateBuilder(Features, 1).SetBounds("a", -5, 5).SetGrid("n", 1).AddOneHotGroup("c", ["c_1", "c_2", "c_3"]);
        return withRow ? builder.AddLinearConstraint("cap", new Dictionary<string, double> { ["a"] = -1 }, constant: 0.5).Build() : builder.Build();
    }

    private static readonly double[] Row = [0, 0, 0, 1, 0];

    [Fact]
    public void FindViolation_Box_NamesTheBoxAndItsReasons()
    {
        var p = Set().Compile(Row);
        p.FindViolation([1.5, 0, 0, 0, 0]).Should().Be(
            "feature 'a': δ = 1.5 lies outside its box [-1, 1] (Free, maximum change 1 standardised units, bounds [-5, 5] in original units).");
        p.FindViolation([-1.5, 0, 0, 0, 0]).Should().StartWith("feature 'a': δ = -1.5 lies outside its box [-1, 1]");
        p.FindViolation([0, 0, 0, 0.5, 0]).Should().Be("feature 'c_2': δ = 0.5 lies outside its box [-1, 0] (indicator of one-hot group 'c', Free).");
        p.FindViolation([double.PositiveInfinity, 0, 0, 0, 0]).Should().Be("feature 'a': δ = Infinity is not finite.");
    }

    [Fact]
    public void FindViolation_GridAndGroupAndRow_AreNamedExactly()
    {
        var p = Set(withRow: true).Compile(Row);
        // n: original = 10 + 2·value, grid step 1; δ = 0.25 leads to 10.5.
        p.FindViolation([0, 0.25, 0, 0, 0]).Should().Be("feature 'n': the new value 10.5 is not on its grid 0 + k·1.");
        p.FindViolation([0.75, 0, 0, 0, 0]).Should().Be("constraint 'cap': A·δ = -0.75 is below -0.5, its lower bound for this row.");
        p.FindViolation([0, 0, 0, -1, 0]).Should().Be("one-hot group 'c': x + δ = (0, 0, 0) is not a valid one-hot vector.");
        p.FindViolation([0.5, 0.5, 1, -1, 0]).Should().BeNull();
    }

    [Fact]
    public void FindViolation_Tolerance_ScalesWithTheMagnitude()
    {
        var p = Set().Compile(Row);
        p.Contains([1 + 1.5e-9, 0, 0, 0, 0]).Should().BeTrue("the slack at the box end 1 is 1e-9 · (1 + 1)");
        p.Contains([1 + 2.5e-9, 0, 0, 0, 0]).Should().BeFalse();
        p.Contains([-1 - 1.5e-9, 0, 0, 0, 0]).Should().BeTrue();
        p.Contains([-1 - 2.5e-9, 0, 0, 0, 0]).Should().BeFalse();
        p.Contains([1.05, 0, 0, 0, 0], tolerance: 0.03).Should().BeTrue();
        p.Contains([1.07, 0, 0, 0, 0], tolerance: 0.03).Should().BeFalse();
        FluentActions.Invoking(() => p.Contains([0, 0, 0, 0, 0], tolerance: -1)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("tolerance");
    }

    [Fact]
    public void FindViolation_OffGridRow_MayStayWhereItIs()
    {
        // n = 10.5 in original units is off the grid, but δ = 0 needs no grid value.
        var p = Set().Compile([0, 0.25, 0, 1, 0]);
        p.Contains([0, 0, 0, 0, 0]).Should().BeTrue();
        p.Upper[1].Should().Be(0.75, "10.5 ± 2 in original units holds the grid points 9 to 12");
        p.Lower[1].Should().Be(-0.75);
        p.Contains([0, 0.25, 0, 0, 0]).Should().BeTrue();
        p.Contains([0, 0.1, 0, 0, 0]).Should().BeFalse();
    }

    [Fact]
    public void Polytope_ExposesItsRowDimensionAndParts()
    {
        var set = Set(withRow: true);
        var p = set.Compile(Row);
        p.Row.Should().Equal(Row);
        p.Dimension.Should().Be(5);
        p.ActionSet.Should().BeSameAs(set);
        p.OneHotGroups.Should().BeSameAs(set.OneHotGroups);
        p.GeneralRows.Should().ContainSingle().Which.Lower.Should().Be(-0.5);
        p.Cost([1, 0, 0, 0, 0]).Should().Be(1);
        p.IsSeparable.Should().BeFalse();
        ActionSet.FromFeatures([new FeatureInfo("a")], 1).Compile([0]).IsSeparable.Should().BeTrue();
    }

    [Fact]
    public void ToLinearProgram_HasTheBoxesTheGroupSumsAndTheRows()
    {
        var p = Set(withRow: true).Compile(Row);
        var lp = p.ToLinearProgram([1, 2, 3, 4, 5]);
        lp.Objective.Should().Equal(1, 2, 3, 4, 5);
        lp.ColumnLower.Should().Equal(p.Lower);
        lp.ColumnUpper.Should().Equal(p.Upper);
        lp.Constraints.Should().HaveCount(2);
        lp.Constraints[0].Indices.Should().Equal(2, 3, 4);
        lp.Constraints[0].Coefficients.Should().Equal(1, 1, 1);
        (lp.Constraints[0].Lower, lp.Constraints[0].Upper).Should().Be((0.0, 0.0), "the indicators of a valid row already sum to 1");
        lp.Constraints[1].Should().BeSameAs(p.GeneralRows[0]);
        lp.Sense.Should().Be(ObjectiveSense.Minimize);
        FluentActions.Invoking(() => p.ToLinearProgram(null!)).Should().Throw<ArgumentNullException>();
        FluentActions.Invoking(() => p.ToLinearProgram([1, 2])).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("objective");
    }

    [Fact]
    public void Minimize_ReportsTheObjectiveAndTheUnlimitedFeature()
    {
        var result = Set().Compile(Row).Minimize([-2, 1, 0, 0, 0]);
        result.Status.Should().Be(LinearProgramStatus.Optimal);
        result.Delta.Should().Equal(1, -1, 0, 0, 0);
        result.ObjectiveValue.Should().Be(-3);
        result.MeetsDiscreteConstraints.Should().BeTrue();
        result.Iterations.Should().Be(0);
        result.Message.Should().BeNull();
        result.IsOptimal.Should().BeTrue();

        var open = ActionSet.FromFeatures([new FeatureInfo("a", Actionability: FeatureActionability.Free), new FeatureInfo("b", Actionability: FeatureActionability.Free)], double.PositiveInfinity);
        var unbounded = open.Minimize([0, 0], [0, 1]);
        unbounded.Status.Should().Be(LinearProgramStatus.Unbounded);
        unbounded.Message.Should().Be("Feature 'b' has no limit in the improving direction.");
        unbounded.Delta.Should().BeEmpty();
        unbounded.MeetsDiscreteConstraints.Should().BeFalse();
        double.IsNaN(unbounded.ObjectiveValue).Should().BeTrue();
        open.Minimize([0, 0], [0, 0]).Delta.Should().Equal(0, 0);
    }

    [Fact]
    public void Minimize_GroupWhoseActiveCategoryCannotBeLeft_StaysPut()
    {
        var set = ActionSet.CreateBuilder(Features, 1).AddOneHotGroup("c", ["c_1", "c_2", "c_3"]).SetActionability("c_2", FeatureActionability.IncreaseOnly).Build();
        set.Minimize(Row, [0, 0, -5, 0, 0]).Delta.Should().Equal(0, 0, 0, 0, 0);
        var free = ActionSet.CreateBuilder(Features, 1).AddOneHotGroup("c", ["c_1", "c_2", "c_3"]).Build();
        free.Minimize(Row, [0, 0, -5, 1, -6]).Delta.Should().Equal(0, 0, 0, -1, 1);
        free.Minimize(Row, [0, 0, -5, 1, -6]).ObjectiveValue.Should().Be(-7);
        free.Minimize(Row, [0, 0, 1, 1, 1]).Delta.Should().Equal(0, 0, 0, 0, 0); // a tie keeps the active category
    }

    [Fact]
    public void Minimize_WithRows_ReportsTheSolversAnswer()
    {
        var p = Set(withRow: true).Compile(Row);
        var result = p.Minimize([1, 0, 0, 0, 0]);
        result.Status.Should().Be(LinearProgramStatus.Optimal);
        result.Delta[0].Should().Be(-1);
        result.ObjectiveValue.Should().Be(-1);
        FluentActions.Invoking(() => p.Minimize([1, 0, 0, 0, 0], new CancellationToken(canceled: true))).Should().Throw<OperationCanceledException>();
        FluentActions.Invoking(() => p.Minimize([1, 0, double.NegativeInfinity, 0, 0])).Should().Throw<ArgumentOutOfRangeException>()
            .WithMessage("Objective coefficient of 'c_1' is not finite (-Infinity).*");
    }

    [Fact]
    public void MinimizeAll_Checks_NameTheRow()
    {
        var set = Set();
        FluentActions.Invoking(() => set.MinimizeAll(null!, [])).Should().Throw<ArgumentNullException>();
        FluentActions.Invoking(() => set.MinimizeAll([], null!)).Should().Throw<ArgumentNullException>();
        FluentActions.Invoking(() => set.MinimizeAll([Row], [])).Should().Throw<ArgumentOutOfRangeException>()
            .WithMessage("Expected 1 objectives, one per row; got 0. (Parameter 'objectives')");
        FluentActions.Invoking(() => set.MinimizeAll([Row, Row], [new double[5], null!])).Should().Throw<ArgumentOutOfRangeException>()
            .WithMessage("Row 1 or its objective is null. (Parameter 'rows')");
        FluentActions.Invoking(() => set.MinimizeAll([Row, null!], [new double[5], new double[5]])).Should().Throw<ArgumentOutOfRangeException>()
            .WithMessage("Row 1 or its objective is null.*");
        FluentActions.Invoking(() => set.MinimizeAll([Row, [0, double.NaN, 0, 1, 0]], [new double[5], new double[5]])).Should().Throw<ArgumentOutOfRangeException>()
            .WithMessage("Feature 'n' of row 1 is not finite (NaN).*");
        set.MinimizeAll([], []).Should().BeEmpty();
    }

    [Fact]
    public void MinimizeBatch_Checks_NameTheCountsAndTheFeature()
    {
        var set = ActionSet.FromFeatures([new FeatureInfo("income", Actionability: FeatureActionability.Free), new FeatureInfo("debt", Actionability: FeatureActionability.Free)], 0.5);
        var perturbation = new OneStepPerturbation(set, PerturbationDirection.Recourse);
        perturbation.ActionSet.Should().BeSameAs(set);
        FluentActions.Invoking(() => perturbation.MinimizeBatch(new double[4], new double[4], new double[4], new LinearProgramStatus[1])).Should().Throw<ArgumentOutOfRangeException>()
            .WithMessage("Expected 1 rows × 2 features of rows, gradients and deltas; got 4, 4 and 4 values. (Parameter 'rows')");
        FluentActions.Invoking(() => perturbation.MinimizeBatch(new double[4], new double[2], new double[4], new LinearProgramStatus[2])).Should().Throw<ArgumentOutOfRangeException>();
        FluentActions.Invoking(() => perturbation.MinimizeBatch(new double[4], new double[4], new double[2], new LinearProgramStatus[2])).Should().Throw<ArgumentOutOfRangeException>();
        FluentActions.Invoking(() => perturbation.MinimizeBatch([0, 0], [1, double.NaN], new double[2], new LinearProgramStatus[1])).Should().Throw<ArgumentOutOfRangeException>()
            .WithMessage("Objective coefficient of 'debt' is not finite (NaN): the model's input gradient overflowed. (Parameter 'objective')");
        FluentActions.Invoking(() => perturbation.MinimizeBatch([0, double.PositiveInfinity], [1, 1], new double[2], new LinearProgramStatus[1])).Should().Throw<ArgumentOutOfRangeException>()
            .WithMessage("Feature 'debt' of the row is not finite (Infinity). (Parameter 'x')");
    }

    [Fact]
    public void MinimizeBatch_GeneralRows_SolvesEachRowAndClearsFailedOnes()
    {
        var features = new[] { new FeatureInfo("a", Actionability: FeatureActionability.Free), new FeatureInfo("b", Actionability: FeatureActionability.Free) };
        // a may fall by at most its current value: δa + x_a ≥ 0.
        var set = ActionSet.CreateBuilder(features, 1).AddLinearConstraint("floor", new Dictionary<string, double> { ["a"] = 1 }, new Dictionary<string, double> { ["a"] = 1 }).Build();
        var perturbation = new OneStepPerturbation(set, PerturbationDirection.Recourse);
        double[] rows = [0.25, 0, 2, 0, -3, 0];
        var deltas = Enumerable.Repeat(9.0, 6).ToArray();
        var statuses = new LinearProgramStatus[3];
        perturbation.MinimizeBatch(rows, [-1, 1, -1, -1, 1, 1], deltas, statuses);
        statuses.Should().Equal(LinearProgramStatus.Optimal, LinearProgramStatus.Optimal, LinearProgramStatus.Infeasible);
        deltas.Should().Equal(-0.25, 1, -1, -1, 0, 0);
        FluentActions.Invoking(() => perturbation.MinimizeBatch(rows, new double[6], deltas, statuses, new CancellationToken(canceled: true)))
            .Should().Throw<OperationCanceledException>();
    }
}
