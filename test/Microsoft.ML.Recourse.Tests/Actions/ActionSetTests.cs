using Microsoft.ML.Recourse.Actions;
using Microsoft.ML.Data;
using Microsoft.ML.Recourse.Optimization;
using Microsoft.ML.Recourse.Tests.TestFramework;

namespace Microsoft.ML.Recourse.Tests.Actions;

public class ActionSetTests
{
    private static readonly FeatureInfo[] Plain =
    [
        new("a", Actionability: FeatureActionability.Free),
        new("b", Actionability: FeatureActionability.IncreaseOnly),
        new("c", Actionability: FeatureActionability.DecreaseOnly),
        new("d"),
    ];

    // amount is stored z-scored: original = 3000 + 1000 · value.
    private static readonly FeatureInfo[] Credit =
    [
        new("amount", Mean: 3000, Scale: 1000, Actionability: FeatureActionability.Free, IsInteger: true),
        new("pss_1", IsCategorical: true),
        new("pss_2", IsCategorical: true),
        new("pss_3", IsCategorical: true),
    ];

    private static void BoxShouldBe(PerturbationPolytope p, int j, double lower, double upper)
    {
        p.Lower[j].Should().BeApproximately(lower, 1e-12, $"lower end of coordinate {j}");
        p.Upper[j].Should().BeApproximately(upper, 1e-12, $"upper end of coordinate {j}");
    }

    [Fact]
    public void FromFeatures_Actionability_CompilesToSignedBoxes()
    {
        var p = ActionSet.FromFeatures(Plain, 0.75).Compile([0.3, -1, 2, 5]);

        BoxShouldBe(p, 0, -0.75, 0.75);
        BoxShouldBe(p, 1, 0, 0.75);
        BoxShouldBe(p, 2, -0.75, 0);
        BoxShouldBe(p, 3, 0, 0);
        p.IsSeparable.Should().BeTrue();
        p.GeneralRows.Should().BeEmpty();
    }

    [Fact]
    public void Compile_StandardScaleAndOwnMaximumChange_ScaleTheBox()
    {
        var set = ActionSet.CreateBuilder(Plain, 0.75)
            .SetStandardScale("a", 2)
            .SetMaximumChange("b", 0.25)
            .SetMaximumChange("c", double.PositiveInfinity)
            .Build();

        var p = set.Compile([0, 0, 0, 0]);

        BoxShouldBe(p, 0, -1.5, 1.5);
        BoxShouldBe(p, 1, 0, 0.25);
        p.Lower[2].Should().Be(double.NegativeInfinity);
        p.Upper[2].Should().Be(0);
    }

    [Fact]
    public void Compile_BoundsInOriginalUnits_ConvertWithFeatureInfo()
    {
        var features = new[] { new FeatureInfo("f", Mean: 100, Scale: 10, Actionability: FeatureActionability.Free) };
        var set = ActionSet.CreateBuilder(features, 1).SetBounds("f", 95, 120).Build();

        BoxShouldBe(set.Compile([0]), 0, -0.5, 1);
        // Beyond the upper bound: may stay or move down, never further up.
        BoxShouldBe(set.Compile([2.5]), 0, -1, 0);
        // Below the lower bound: may stay or move up.
        BoxShouldBe(set.Compile([-2]), 0, 0, 1);
    }

    [Fact]
    public void Compile_IncreaseOnlyAtOrAboveUpperBound_GivesZeroBox()
    {
        var features = new[] { new FeatureInfo("f", Mean: 100, Scale: 10, Actionability: FeatureActionability.IncreaseOnly) };
        var set = ActionSet.CreateBuilder(features, 1).SetBounds("f", double.NegativeInfinity, 120).Build();

        BoxShouldBe(set.Compile([2]), 0, 0, 0);
        BoxShouldBe(set.Compile([3]), 0, 0, 0);
        set.Minimize([2], [-1]).Delta.Should().Equal(0.0);
    }

    [Fact]
    public void Compile_Grid_TightensBoxToOutermostGridPoints()
    {
        var features = new[]
        {
            new FeatureInfo("i", Actionability: FeatureActionability.Free),
            new FeatureInfo("h", Actionability: FeatureActionability.Free),
            new FeatureInfo("z", Mean: 10, Scale: 2, Actionability: FeatureActionability.Free),
            new FeatureInfo("coarse", Actionability: FeatureActionability.Free),
        };
        var set = ActionSet.CreateBuilder(features, 1.5)
            .SetInteger("i")
            .SetGrid("h", step: 0.5, origin: 0.25)
            .SetInteger("z").SetMaximumChange("z", 0.75)
            .SetGrid("coarse", step: 10)
            .Build();

        var p = set.Compile([2.3, 0, 0, 0]);

        BoxShouldBe(p, 0, 1 - 2.3, 3 - 2.3);
        BoxShouldBe(p, 1, -1.25, 1.25);
        BoxShouldBe(p, 2, -0.5, 0.5); // original 10 ± 1.5 → grid 9..11
        BoxShouldBe(p, 3, 0, 0);
        p.IsSeparable.Should().BeTrue();
    }

    [Fact]
    public void Compile_OneHotGroup_GivesIndicatorBoxesAndIsNotSeparable()
    {
        var set = ActionSet.CreateBuilder(Credit, 0.75).AddOneHotGroup("pss", ["pss_1", "pss_2", "pss_3"]).Build();

        var p = set.Compile([0, 0, 1, 0]);

        BoxShouldBe(p, 1, 0, 1);
        BoxShouldBe(p, 2, -1, 0);
        BoxShouldBe(p, 3, 0, 1);
        p.IsSeparable.Should().BeFalse();
        set.IsSeparable.Should().BeFalse();
        p.OneHotGroups.Single().CategoryLabels.Should().Equal("1", "2", "3");
        var lp = p.ToLinearProgram([0, 0, 0, 0]);
        lp.Constraints.Should().ContainSingle().Which.Should().Match<LinearConstraint>(r => r.Lower == 0 && r.Upper == 0 && r.Indices.SequenceEqual(new[] { 1, 2, 3 }));
    }

    [Fact]
    public void Compile_ImmutableGroupAndRestrictedMember_FixBoxes()
    {
        var immutable = ActionSet.CreateBuilder(Credit, 0.75).AddOneHotGroup("pss", ["pss_1", "pss_2", "pss_3"], isMutable: false).Build();
        var p = immutable.Compile([0, 1, 0, 0]);
        for (int j = 1; j < 4; j++)
            BoxShouldBe(p, j, 0, 0);

        var noEntry = ActionSet.CreateBuilder(Credit, 0.75)
            .AddOneHotGroup("pss", ["pss_1", "pss_2", "pss_3"], categoryLabels: ["single", "married", "divorced"])
            .SetActionability("pss_3", FeatureActionability.DecreaseOnly)
            .Build();
        var q = noEntry.Compile([0, 1, 0, 0]);
        BoxShouldBe(q, 1, -1, 0);
        BoxShouldBe(q, 3, 0, 0);
        q.OneHotGroups.Single().CategoryLabels.Should().Equal("single", "married", "divorced");
    }

    [Fact]
    public void Compile_GeneralConstraint_IsAffineInTheRowInModelUnits()
    {
        // "amount may fall by at most half its current value": Δ_amount + 0.5 · amount ≥ 0 in original units.
        var set = ActionSet.CreateBuilder(Credit, double.PositiveInfinity)
            .AddLinearConstraint("amount-halving", new Dictionary<string, double> { ["amount"] = 1 }, new Dictionary<string, double> { ["amount"] = 0.5 })
            .Build();

        var p = set.Compile([-0.5, 0, 0, 0]); // amount 2500

        var row = p.GeneralRows.Single();
        row.Indices.Should().Equal(0);
        row.Coefficients.Should().Equal(1000.0);
        row.Lower.Should().BeApproximately(-1250, 1e-9);
        row.Upper.Should().Be(double.PositiveInfinity);
        p.IsSeparable.Should().BeFalse();
        p.Contains([-1.25, 0, 0, 0]).Should().BeTrue();
        p.FindViolation([-1.3, 0, 0, 0]).Should().StartWith("constraint 'amount-halving'");
    }

    [Fact]
    public void Contains_InteriorPoint_IsAccepted()
    {
        var set = ActionSet.CreateBuilder(Credit, 0.75)
            .SetInteger("amount")
            .AddOneHotGroup("pss", ["pss_1", "pss_2", "pss_3"])
            .AddLinearConstraint("cap", new Dictionary<string, double> { ["amount"] = -1 }, constant: 600)
            .Build();
        double[] x = [-0.5, 1, 0, 0];

        set.Contains(x, [0.5, -1, 1, 0]).Should().BeTrue();
        set.Contains(x, [-0.3, 0, 0, 0]).Should().BeTrue();
        set.Contains(x, [0, 0, 0, 0]).Should().BeTrue();
    }

    [Theory]
    [InlineData(new double[] { 0.8, 0, 0, 0 }, "feature 'amount': δ = 0.8 lies outside its box")]
    [InlineData(new double[] { 0.1234, 0, 0, 0 }, "feature 'amount': the new value 2623.4 is not on its grid")]
    [InlineData(new double[] { 0, -0.5, 0.5, 0 }, "one-hot group 'pss': x + δ = (0.5, 0.5, 0) is not a valid one-hot vector")]
    [InlineData(new double[] { 0, -1, 0, 0 }, "one-hot group 'pss': x + δ = (0, 0, 0)")]
    [InlineData(new double[] { 0, -1, 0, 1 }, "feature 'pss_3': δ = 1 lies outside its box [0, 0]")]
    [InlineData(new double[] { 0.7, 0, 0, 0 }, "constraint 'cap': A·δ = -700 is below -600")]
    [InlineData(new double[] { double.NaN, 0, 0, 0 }, "feature 'amount': δ = NaN is not finite")]
    public void FindViolation_EachKindOfViolation_NamesIt(double[] delta, string expected)
    {
        var set = ActionSet.CreateBuilder(Credit, 0.75)
            .SetInteger("amount")
            .AddOneHotGroup("pss", ["pss_1", "pss_2", "pss_3"])
            .SetActionability("pss_3", FeatureActionability.Immutable)
            .AddLinearConstraint("cap", new Dictionary<string, double> { ["amount"] = -1 }, constant: 600)
            .Build();
        var p = set.Compile([-0.5, 1, 0, 0]);

        p.FindViolation(delta).Should().StartWith(expected);
        p.Contains(delta).Should().BeFalse();
    }

    [Fact]
    public void Contains_WrongLength_Throws()
    {
        var p = ActionSet.FromFeatures(Plain, 1).Compile([0, 0, 0, 0]);
        var act = () => p.Contains([0, 0]);
        act.Should().Throw<ArgumentOutOfRangeException>().WithParameterName("delta").WithMessage("Expected 4 values*");
    }

    [Fact]
    public void Cost_IsWeightedL1InStandardisedUnits()
    {
        var set = ActionSet.CreateBuilder(Plain, 1)
            .SetStandardScale("a", 2)
            .SetCostWeight("b", 3)
            .SetCostWeight("c", 0)
            .Build();

        set.Cost([-1, 0.5, -4, 2]).Should().BeApproximately(0.5 + 1.5 + 0 + 2, 1e-15);
        set.CostPerUnitChange.Should().Equal(0.5, 3, 0, 1);
        set.Compile([0, 0, 0, 0]).Cost([2, 0, 0, 0]).Should().Be(1);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(double.NaN)]
    [InlineData(double.NegativeInfinity)]
    public void FromFeatures_NonPositiveMaximumChange_Throws(double maximumChange)
    {
        var act = () => ActionSet.FromFeatures(Plain, maximumChange);
        act.Should().Throw<ArgumentOutOfRangeException>().WithParameterName("maximumChange");
        var own = () => ActionSet.CreateBuilder(Plain, 1).SetMaximumChange("a", maximumChange);
        own.Should().Throw<ArgumentOutOfRangeException>().WithParameterName("maximumChange");
    }

    [Fact]
    public void SetBounds_LowerAboveUpper_ThrowsClearError()
    {
        var act = () => ActionSet.CreateBuilder(Plain, 1).SetBounds("a", 5, 2);
        act.Should().Throw<ArgumentOutOfRangeException>().WithParameterName("lower")
            .WithMessage("The bounds of 'a' contradict each other: lower 5 > upper 2.*");
    }

    [Fact]
    public void Builder_UnknownFeature_ThrowsNamingIt()
    {
        var builder = ActionSet.CreateBuilder(Plain, 1);
        var calls = new Action[]
        {
            () => builder.SetActionability("nope", FeatureActionability.Free),
            () => builder.SetBounds("nope", 0, 1),
            () => builder.SetInteger("nope"),
            () => builder.SetCostWeight("nope", 1),
            () => builder.AddOneHotGroup("g", ["a", "nope"]),
            () => builder.AddLinearConstraint("r", new Dictionary<string, double> { ["nope"] = 1 }),
            () => ActionSet.FromFeatures(Plain, 1).IndexOf("nope"),
        };
        foreach (var call in calls)
            call.Should().Throw<ArgumentOutOfRangeException>().WithParameterName("featureName").WithMessage("Unknown feature 'nope'*");
    }

    [Fact]
    public void Builder_InvalidDeclarations_Throw()
    {
        var dup = () => ActionSet.FromFeatures([new FeatureInfo("a"), new FeatureInfo("a")], 1);
        dup.Should().Throw<ArgumentOutOfRangeException>().WithMessage("Feature name 'a' appears more than once.*");
        var overlap = () => ActionSet.CreateBuilder(Credit, 1).AddOneHotGroup("g", ["pss_1", "pss_2"]).AddOneHotGroup("h", ["pss_2", "pss_3"]);
        overlap.Should().Throw<ArgumentOutOfRangeException>().WithMessage("Feature 'pss_2' is in one-hot groups 'g' and 'h'.*");
        var bounded = () => ActionSet.CreateBuilder(Credit, 1).AddOneHotGroup("g", ["pss_1", "pss_2"]).SetBounds("pss_1", 0, 1).Build();
        bounded.Should().Throw<ArgumentOutOfRangeException>().WithMessage("Feature 'pss_1' is in one-hot group 'g'*");
        var nanWeight = () => ActionSet.CreateBuilder(Plain, 1).SetCostWeight("a", double.NaN);
        nanWeight.Should().Throw<ArgumentOutOfRangeException>().WithParameterName("weight");
        var badStep = () => ActionSet.CreateBuilder(Plain, 1).SetGrid("a", 0);
        badStep.Should().Throw<ArgumentOutOfRangeException>().WithParameterName("step");
    }

    [Fact]
    public void Compile_BadRow_ThrowsNamingFeatureOrGroup()
    {
        var set = ActionSet.CreateBuilder(Credit, 1).AddOneHotGroup("pss", ["pss_1", "pss_2", "pss_3"]).Build();

        var shortRow = () => set.Compile([0, 1]);
        shortRow.Should().Throw<ArgumentOutOfRangeException>().WithParameterName("x");
        var nan = () => set.Compile([double.NaN, 1, 0, 0]);
        nan.Should().Throw<ArgumentOutOfRangeException>().WithMessage("Feature 'amount' of the row is not finite (NaN).*");
        var twoHot = () => set.Compile([0, 1, 1, 0]);
        twoHot.Should().Throw<ArgumentOutOfRangeException>().WithMessage("One-hot group 'pss' of the row is not a valid one-hot vector: (1, 1, 0).*");
        var batch = () => set.MinimizeAll([[0, 1, 0, 0], [0, 0, 0, 0]], [[1, 0, 0, 0], [1, 0, 0, 0]]);
        batch.Should().Throw<ArgumentOutOfRangeException>().WithMessage("One-hot group 'pss' of row 1 *");
    }

    [Fact]
    public void ToBuilder_KeepsDeclarationsAndDerivesNewSet()
    {
        var set = ActionSet.CreateBuilder(Credit, 0.5)
            .SetBounds("amount", 1000, 5000)
            .AddOneHotGroup("pss", ["pss_1", "pss_2", "pss_3"], isMutable: false)
            .AddLinearConstraint("cap", new Dictionary<string, double> { ["amount"] = -1 }, constant: 600)
            .Build();

        var derived = set.ToBuilder().SetActionability("amount", FeatureActionability.IncreaseOnly).Build();

        derived.Actions[0].LowerBound.Should().Be(1000);
        derived.Actions[0].Actionability.Should().Be(FeatureActionability.IncreaseOnly);
        set.Actions[0].Actionability.Should().Be(FeatureActionability.Free);
        derived.OneHotGroups.Single().IsMutable.Should().BeFalse();
        derived.LinearConstraints.Single().Name.Should().Be("cap");
    }

    [Fact]
    public void Minimize_AllImmutable_StillCompilesAndReturnsZero()
    {
        var set = ActionSet.FromFeatures([new FeatureInfo("a"), new FeatureInfo("b")], 0.75);

        var r = set.Minimize([1, 2], [-1, 1]);

        r.Status.Should().Be(LinearProgramStatus.Optimal);
        r.Delta.Should().Equal(0.0, 0.0);
        r.ObjectiveValue.Should().Be(0);
    }

    [Fact]
    public void Minimize_ConstraintMakesRecourseImpossible_CompilesAndReportsInfeasible()
    {
        // amount must rise by at least 500 but cannot change.
        var set = ActionSet.CreateBuilder(Credit, 0.75)
            .SetActionability("amount", FeatureActionability.Immutable)
            .AddLinearConstraint("rise", new Dictionary<string, double> { ["amount"] = 1 }, constant: -500)
            .Build();

        var p = set.Compile([0, 1, 0, 0]);
        var r = p.Minimize([1, 0, 0, 0]);

        r.Status.Should().Be(LinearProgramStatus.Infeasible);
        r.Delta.Should().BeEmpty();
        double.IsNaN(r.ObjectiveValue).Should().BeTrue();
        p.Contains([0, 0, 0, 0]).Should().BeFalse();
    }

    [Fact]
    public void Minimize_UnlimitedImprovingDirection_ReportsUnbounded()
    {
        var set = ActionSet.FromFeatures([new FeatureInfo("a", Actionability: FeatureActionability.IncreaseOnly)], double.PositiveInfinity);

        set.Minimize([0], [-1]).Status.Should().Be(LinearProgramStatus.Unbounded);
        set.Minimize([0], [1]).Delta.Should().Equal(0.0);
    }

    [Fact]
    public void Minimize_NonFiniteObjective_Throws()
    {
        var act = () => ActionSet.FromFeatures(Plain, 1).Minimize([0, 0, 0, 0], [0, double.NaN, 0, 0]);
        act.Should().Throw<ArgumentOutOfRangeException>().WithParameterName("objective").WithMessage("*'b'*");
    }
}
