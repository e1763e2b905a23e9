using FsCheck;
using FsCheck.Fluent;
using Microsoft.ML.Recourse.Actions;

namespace Microsoft.ML.Recourse.Tests.Actions;

public class DeltaProjectorTests
{
    private static FeatureInfo Free(string name) => new(name, Actionability: FeatureActionability.Free);

    private static DeltaProjector Projector(ActionSet set, params double[] x) => new(set.Compile(x));

    [Fact]
    public void Project_BoxesOnly_ClipsEachMovableCoordinate()
    {
        var set = ActionSet.FromFeatures([Free("a"), new FeatureInfo("fixed"), new FeatureInfo("up", Actionability: FeatureActionability.IncreaseOnly)], 1);
        var projector = Projector(set, 0, 0, 0);
        double[] delta = [2.5, 0, -0.5];

        projector.Project(delta).Should().BeTrue();

        delta.Should().Equal(1, 0, 0);
        projector.Movable.ToArray().Should().Equal(0, 2);
        projector.IsFrozen.Should().BeFalse();
    }

    [Fact]
    public void IsFrozen_EveryBoxIsZero_HasNoMovableCoordinate()
    {
        var projector = Projector(ActionSet.FromFeatures([new FeatureInfo("a"), new FeatureInfo("b")], 1), 0, 0);

        projector.IsFrozen.Should().BeTrue();
        projector.Movable.Length.Should().Be(0);
    }

    private static ActionSet Group(double maximumChange = 1)
        => ActionSet.CreateBuilder([new FeatureInfo("c0", IsCategorical: true), new FeatureInfo("c1", IsCategorical: true), new FeatureInfo("c2", IsCategorical: true), Free("z")], maximumChange)
            .AddOneHotGroup("colour", ["c0", "c1", "c2"], isMutable: true)
            .Build();

    [Fact]
    public void Project_OneHotGroup_IsTheEuclideanProjectionOntoTheGroupSum()
    {
        // Active category c0: its box is [−1, 0], the others [0, 1], and the changes must sum to 0. The projection is
        // clamp(v − τ) with τ = 0.15: (−0.35, 0.35, 0).
        var projector = Projector(Group(), 1, 0, 0, 0);
        double[] delta = [-0.2, 0.5, 0.1, 3];

        projector.Project(delta).Should().BeTrue();

        delta[0].Should().BeApproximately(-0.35, 1e-12);
        delta[1].Should().BeApproximately(0.35, 1e-12);
        delta[2].Should().BeApproximately(0, 1e-12);
        delta[3].Should().Be(1, "the free feature outside the group is clipped to its box");
    }

    [Fact]
    public void Project_OneHotGroupAlreadyOnTheSum_KeepsTheClippedPoint()
    {
        var projector = Projector(Group(), 1, 0, 0, 0);
        double[] delta = [-1, 0, 1, -0.25];

        projector.Project(delta).Should().BeTrue();

        delta.Should().Equal(-1, 0, 1, -0.25);
    }

    [Fact]
    public void Project_RandomPointsOntoAGroup_IsFeasibleAndNoFartherThanAnyFeasiblePoint()
    {
        var inputs = from v in Gen.Choose(-3000, 3000).Select(i => i / 1000.0).ArrayOf(3)
                     from p in Gen.Choose(0, 1000).Select(i => i / 1000.0).ArrayOf(2)
                     select (V: v, P: p);
        var property = Prop.ForAll(inputs.ToArbitrary(), input =>
        {
            var projector = Projector(Group(), 1, 0, 0, 0);
            double[] delta = [.. input.V, 0];
            bool ok = projector.Project(delta);
            // A feasible comparison point: leave c0 for c1 and c2 in the proportions p (sums to 0, inside the boxes).
            double share = input.P[0] + input.P[1] == 0 ? 0.5 : input.P[0] / (input.P[0] + input.P[1]);
            double[] other = [-1, share, 1 - share];
            double Distance(double[] a) => Enumerable.Range(0, 3).Sum(j => (a[j] - input.V[j]) * (a[j] - input.V[j]));
            bool feasible = Math.Abs(delta[0] + delta[1] + delta[2]) < 1e-9 && delta[0] >= -1 - 1e-12 && delta[0] <= 1e-12
                            && delta[1] >= -1e-12 && delta[1] <= 1 + 1e-12 && delta[2] >= -1e-12 && delta[2] <= 1 + 1e-12;
            return (ok && feasible && Distance(delta) <= Distance(other) + 1e-9 && Distance(delta) <= Distance([0, 0, 0]) + 1e-9)
                .Label($"v = ({string.Join(", ", input.V)}) → ({string.Join(", ", delta)})");
        });
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(500).WithReplay(new Replay(new Rnd(20261207UL), null)), property);
    }

    private static ActionSet Budget()
        => ActionSet.CreateBuilder([Free("a"), Free("b")], 2)
            .AddLinearConstraint("budget", new Dictionary<string, double> { ["a"] = -1, ["b"] = -1 }, constant: 1) // Δa + Δb ≤ 1
            .Build();

    [Fact]
    public void Project_GeneralRow_IsTheL1ClosestPointOfTheHull()
    {
        var projector = Projector(Budget(), 0, 0);
        double[] delta = [1.5, 0.5];

        projector.Project(delta).Should().BeTrue();

        (delta[0] + delta[1]).Should().BeApproximately(1, 1e-9);
        (Math.Abs(delta[0] - 1.5) + Math.Abs(delta[1] - 0.5)).Should().BeApproximately(1, 1e-9, "the L1 distance to the line Δa + Δb = 1 is 1");
    }

    [Fact]
    public void Project_GeneralRowAlreadySatisfied_ReturnsTheClippedPoint()
    {
        var projector = Projector(Budget(), 0, 0);
        double[] delta = [-3, 0.5];

        projector.Project(delta).Should().BeTrue();

        delta.Should().Equal(-2, 0.5);
    }

    [Fact]
    public void Project_RowThatNoPointMeets_ReturnsFalseAndLeavesDelta()
    {
        // Δa ≥ 5 while |Δa| ≤ 1: the hull is empty.
        var set = ActionSet.CreateBuilder([Free("a")], 1)
            .AddLinearConstraint("far", new Dictionary<string, double> { ["a"] = 1 }, constant: -5)
            .Build();
        var projector = Projector(set, 0);
        double[] delta = [0.5];

        projector.Project(delta).Should().BeFalse();

        delta.Should().Equal(0.5);
    }

    [Theory]
    [InlineData(0.4, 0)] // 0.4 is nearer to "no change" than to the grid value 1
    [InlineData(0.6, 1)]
    [InlineData(1.4, 1)]
    [InlineData(-0.7, -1)]
    [InlineData(2.6, 2)] // the nearest grid value 3 lies outside the box [−2, 2]
    public void Round_GridFeature_TakesTheNearerOfNoChangeAndTheNearestGridValueInTheBox(double change, double expected)
    {
        var set = ActionSet.CreateBuilder([Free("n")], 2).SetGrid("n", 1).Build();
        var projector = Projector(set, 0);
        double[] rounded = new double[1];

        projector.Round([change], rounded).Should().BeTrue();

        rounded[0].Should().Be(expected);
    }

    [Fact]
    public void Round_GridWithOriginAndScale_RoundsInOriginalUnits()
    {
        // Original = 10 + 2·model value; grid 0.5, 1, 1.5, ... shifted by origin 0.25 in original units.
        var set = ActionSet.CreateBuilder([new FeatureInfo("n", Mean: 10, Scale: 2, Actionability: FeatureActionability.Free)], 5)
            .SetGrid("n", 0.5, origin: 0.25).Build();
        var projector = Projector(set, 0); // x = 10 in original units
        double[] rounded = new double[1];

        projector.Round([0.3], rounded).Should().BeTrue(); // 10.6 → nearest grid value 10.75

        rounded[0].Should().BeApproximately((10.75 - 10) / 2, 1e-12);
    }

    [Fact]
    public void Round_OneHotGroup_ChoosesTheLargestIndicator()
    {
        var projector = Projector(Group(), 1, 0, 0, 0);
        double[] rounded = new double[4];

        projector.Round([-0.7, 0.2, 0.5, 0.3], rounded).Should().BeTrue();

        rounded.Should().Equal(-1, 0, 1, 0.3);
    }

    [Fact]
    public void Round_OneHotGroupTie_KeepsTheActiveCategory()
    {
        var projector = Projector(Group(), 0, 1, 0, 0);
        double[] rounded = new double[4];

        projector.Round([0.5, -0.5, 0, 0], rounded).Should().BeTrue();

        rounded.Should().Equal(0, 0, 0, 0);
    }

    [Fact]
    public void Round_GeneralRowOnAGridFeatureBrokenByRounding_ReturnsFalse()
    {
        // Δn ≤ 0.5 on an integer grid: the hull point 0.5 rounds to 1, outside the row.
        var set = ActionSet.CreateBuilder([Free("n")], 2).SetGrid("n", 1)
            .AddLinearConstraint("cap", new Dictionary<string, double> { ["n"] = -1 }, constant: 0.5)
            .Build();
        var projector = Projector(set, 0);
        double[] rounded = new double[1];

        projector.Round([0.6], rounded).Should().BeFalse();
        rounded[0].Should().Be(1);
        projector.Round([0.4], rounded).Should().BeTrue();
        rounded[0].Should().Be(0);
    }

    [Fact]
    public void Round_GeneralRowOnContinuousFeaturesOnly_IsNotRechecked()
    {
        var projector = Projector(Budget(), 0, 0);
        double[] rounded = new double[2];

        projector.Round([1.5, 1.5], rounded).Should().BeTrue("only grid and one-hot features can be moved by rounding");
        rounded.Should().Equal(1.5, 1.5);
    }
}
