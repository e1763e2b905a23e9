using Microsoft.ML.Recourse.Actions;

namespace Microsoft.ML.Recourse.Tests.Actions;

// Each declaration of the builder, what it stores, and the exact message of each refusal.
public class ActionSetBuilderTests
{
    private static readonly FeatureInfo[] Features =
    [
        new("a", Actionability: FeatureActionability.Free),
        new("b", Actionability: FeatureActionability.IncreaseOnly),
        new("g_x", IsCategorical: true),
        new("g_y", IsCategorical: true),
        new("g-z", IsCategorical: true),
    ];

    private static ActionSetBuilder Builder(double maximumChange = 0.5) => ActionSet.CreateBuilder(Features, maximumChange);

    [Fact]
    public void CreateBuilder_StartsFromTheFeaturesActionabilityAndTheDefaultChange()
    {
        var set = Builder().Build();
        set.MaximumChange.Should().Be(0.5);
        set.Actions.Select(a => a.Actionability).Should().Equal(FeatureActionability.Free, FeatureActionability.IncreaseOnly,
            FeatureActionability.Immutable, FeatureActionability.Immutable, FeatureActionability.Immutable);
        set.Actions.Should().AllSatisfy(a =>
        {
            a.MaximumChange.Should().Be(0.5);
            a.StandardScale.Should().Be(1);
            a.LowerBound.Should().Be(double.NegativeInfinity);
            a.UpperBound.Should().Be(double.PositiveInfinity);
            a.HasGrid.Should().BeFalse();
            a.CostWeight.Should().Be(1);
        });
        set.HasOwnMaximumChange.Should().AllBeEquivalentTo(false);
        set.OneHotGroups.Should().BeEmpty();
        set.LinearConstraints.Should().BeEmpty();
        set.IsSeparable.Should().BeTrue();
        set.GroupOf.Should().AllBeEquivalentTo(-1);
    }

    [Fact]
    public void Setters_StoreTheirValues()
    {
        var set = Builder()
            .SetActionability("a", FeatureActionability.DecreaseOnly)
            .SetMaximumChange("b", 2)
            .SetStandardScale("a", 4)
            .SetBounds("b", -1, 3)
            .SetGrid("a", 0.25, origin: 0.1)
            .SetCostWeight("b", 0)
            .Build();
        set.Actions[0].Should().Match<FeatureAction>(x => x.Actionability == FeatureActionability.DecreaseOnly && x.StandardScale == 4
            && x.GridStep == 0.25 && x.GridOrigin == 0.1 && x.MaximumChange == 0.5);
        set.Actions[1].Should().Match<FeatureAction>(x => x.MaximumChange == 2 && x.LowerBound == -1 && x.UpperBound == 3 && x.CostWeight == 0);
        set.HasOwnMaximumChange.Should().Equal(false, true, false, false, false);
        Builder().SetInteger("a").Build().Actions[0].Should().Match<FeatureAction>(x => x.GridStep == 1 && x.GridOrigin == 0);
        Builder().SetBounds("a", 2, 2).Build().Actions[0].LowerBound.Should().Be(2);
        Builder().SetBounds("a", double.NegativeInfinity, double.PositiveInfinity).Build().Actions[0].UpperBound.Should().Be(double.PositiveInfinity);
    }

    [Fact]
    public void Constructor_Refusals_AreExact()
    {
        FluentActions.Invoking(() => ActionSet.CreateBuilder([], 1)).Should().Throw<ArgumentOutOfRangeException>()
            .WithMessage("An action set needs at least one feature. (Parameter 'features')");
        FluentActions.Invoking(() => ActionSet.CreateBuilder(null!, 1)).Should().Throw<ArgumentNullException>();
        FluentActions.Invoking(() => ActionSet.CreateBuilder([new FeatureInfo("a"), null!], 1)).Should().Throw<ArgumentOutOfRangeException>()
            .WithMessage("Feature 1 is null. (Parameter 'features')");
        FluentActions.Invoking(() => ActionSet.CreateBuilder([new FeatureInfo("a", Scale: 0)], 1)).Should().Throw<ArgumentOutOfRangeException>()
            .WithMessage("Feature 'a' needs a finite mean and a finite scale > 0; got mean 0, scale 0. (Parameter 'features')");
        FluentActions.Invoking(() => ActionSet.CreateBuilder([new FeatureInfo("a", Scale: double.PositiveInfinity)], 1)).Should().Throw<ArgumentOutOfRangeException>();
        FluentActions.Invoking(() => ActionSet.CreateBuilder([new FeatureInfo("a", Mean: double.NaN)], 1)).Should().Throw<ArgumentOutOfRangeException>()
            .WithMessage("Feature 'a' needs a finite mean and a finite scale > 0; got mean NaN, scale 1.*");
        FluentActions.Invoking(() => ActionSet.CreateBuilder(Features, 0)).Should().Throw<ArgumentOutOfRangeException>()
            .WithMessage("The maximum change must be > 0 (or +∞); got 0. (Parameter 'maximumChange')");
        ActionSet.CreateBuilder(Features, double.PositiveInfinity).Build().MaximumChange.Should().Be(double.PositiveInfinity);
    }

    [Fact]
    public void Setters_Refusals_AreExact()
    {
        FluentActions.Invoking(() => Builder().SetActionability("a", (FeatureActionability)9)).Should().Throw<ArgumentOutOfRangeException>()
            .WithMessage("Unknown actionability 9. (Parameter 'actionability')");
        FluentActions.Invoking(() => Builder().SetStandardScale("a", 0)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("standardScale");
        FluentActions.Invoking(() => Builder().SetBounds("a", double.PositiveInfinity, double.PositiveInfinity)).Should().Throw<ArgumentOutOfRangeException>()
            .WithMessage("The lower bound of 'a' must be a number below +∞; got Infinity. (Parameter 'lower')");
        FluentActions.Invoking(() => Builder().SetBounds("a", double.NaN, 1)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("lower");
        FluentActions.Invoking(() => Builder().SetBounds("a", 0, double.NegativeInfinity)).Should().Throw<ArgumentOutOfRangeException>()
            .WithMessage("The upper bound of 'a' must be a number above -∞; got -Infinity. (Parameter 'upper')");
        FluentActions.Invoking(() => Builder().SetBounds("a", 0, double.NaN)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("upper");
        FluentActions.Invoking(() => Builder().SetGrid("a", 1, double.NaN)).Should().Throw<ArgumentOutOfRangeException>()
            .WithMessage("The grid origin of 'a' must be finite; got NaN. (Parameter 'origin')");
        FluentActions.Invoking(() => Builder().SetCostWeight("a", -1)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("weight");
        FluentActions.Invoking(() => Builder().SetActionability(null!, FeatureActionability.Free)).Should().Throw<ArgumentNullException>();
    }

    [Fact]
    public void AddOneHotGroup_MakesMembersFreeOrImmutableAndLabelsThem()
    {
        var set = Builder().AddOneHotGroup("g", ["g_x", "g_y", "g-z"]).Build();
        var group = set.OneHotGroups.Single();
        group.IsMutable.Should().BeTrue();
        group.CategoryLabels.Should().Equal("x", "y", "z");
        group.FeatureIndices.Should().Equal(2, 3, 4);
        set.Actions.Skip(2).Select(a => a.Actionability).Should().AllBeEquivalentTo(FeatureActionability.Free);
        set.GroupOf.Should().Equal(-1, -1, 0, 0, 0);
        set.IsSeparable.Should().BeFalse();

        var frozen = Builder().SetActionability("g_x", FeatureActionability.Free).AddOneHotGroup("g", ["g_x", "g_y"], isMutable: false).Build();
        frozen.Actions[2].Actionability.Should().Be(FeatureActionability.Immutable);
        frozen.OneHotGroups.Single().IsMutable.Should().BeFalse();
    }

    [Theory]
    [InlineData("g", "g_x", "x")]
    [InlineData("g", "g-x", "x")]
    [InlineData("g", "g=x", "x")]
    [InlineData("g", "g:x", "x")]
    [InlineData("g", "g.x", "x")]
    [InlineData("g", "g x", "g x")]
    [InlineData("g", "gx", "gx")]
    [InlineData("g", "g_", "g_")]
    [InlineData("grp", "g_x", "g_x")]
    [InlineData("g", "G_x", "G_x")]
    public void AddOneHotGroup_DefaultLabel_DropsTheGroupNameAndOneSeparator(string groupName, string member, string label)
    {
        var features = new[] { new FeatureInfo(member), new FeatureInfo("other") };
        ActionSet.CreateBuilder(features, 1).AddOneHotGroup(groupName, [member, "other"]).Build().OneHotGroups.Single().CategoryLabels[0].Should().Be(label);
    }

    [Fact]
    public void AddOneHotGroup_Refusals_AreExact()
    {
        FluentActions.Invoking(() => Builder().AddOneHotGroup("g", ["g_x"])).Should().Throw<ArgumentOutOfRangeException>()
            .WithMessage("One-hot group 'g' needs at least two members; got 1. (Parameter 'memberNames')");
        FluentActions.Invoking(() => Builder().AddOneHotGroup("g", ["g_x", "g_y"], categoryLabels: ["x"])).Should().Throw<ArgumentOutOfRangeException>()
            .WithMessage("One-hot group 'g' has 2 members but 1 labels. (Parameter 'categoryLabels')");
        FluentActions.Invoking(() => Builder().AddOneHotGroup("g", ["g_x", "g_y"]).AddOneHotGroup("g", ["a", "b"])).Should().Throw<ArgumentOutOfRangeException>()
            .WithMessage("One-hot group 'g' is declared twice. (Parameter 'name')");
        FluentActions.Invoking(() => Builder().AddOneHotGroup("g", ["g_x", "g_x"])).Should().Throw<ArgumentOutOfRangeException>()
            .WithMessage("One-hot group 'g' lists a feature twice. (Parameter 'memberNames')");
        FluentActions.Invoking(() => Builder().AddOneHotGroup(null!, ["g_x", "g_y"])).Should().Throw<ArgumentNullException>();
        FluentActions.Invoking(() => Builder().AddOneHotGroup("g", null!)).Should().Throw<ArgumentNullException>();
        Builder().AddOneHotGroup("g", ["g_x", "g_y"]).AddOneHotGroup("h", ["a", "g-z"]).Build().OneHotGroups.Should().HaveCount(2);
    }

    [Theory]
    [InlineData("grid")]
    [InlineData("lower")]
    [InlineData("upper")]
    [InlineData("change")]
    public void Build_GroupMemberWithAPerFeatureLimit_Throws(string limit)
    {
        var builder = Builder().AddOneHotGroup("g", ["g_x", "g_y"]);
        _ = limit switch
        {
            "grid" => builder.SetGrid("g_y", 1),
            "lower" => builder.SetBounds("g_y", 0, double.PositiveInfinity),
            "upper" => builder.SetBounds("g_y", double.NegativeInfinity, 1),
            _ => builder.SetMaximumChange("g_y", double.PositiveInfinity),
        };
        FluentActions.Invoking(builder.Build).Should().Throw<ArgumentOutOfRangeException>()
            .WithMessage("Feature 'g_y' is in one-hot group 'g'; its indicator moves by 0 or ±1, so bounds, grids and maximum changes do not apply. (Parameter 'featureName')");
    }

    [Fact]
    public void AddLinearConstraint_StoresItAndRefusesBadOnes()
    {
        var set = Builder().AddLinearConstraint("cap", new Dictionary<string, double> { ["a"] = 1 }, new Dictionary<string, double> { ["b"] = -0.5 }, 2).Build();
        var c = set.LinearConstraints.Single();
        c.Name.Should().Be("cap");
        c.ChangeCoefficients["a"].Should().Be(1);
        c.ValueCoefficients!["b"].Should().Be(-0.5);
        c.Constant.Should().Be(2);
        set.IsSeparable.Should().BeFalse();

        FluentActions.Invoking(() => Builder().AddLinearConstraint(null!)).Should().Throw<ArgumentNullException>();
        FluentActions.Invoking(() => Builder().AddLinearConstraint(new LinearActionConstraint(null!, new Dictionary<string, double> { ["a"] = 1 }))).Should().Throw<ArgumentNullException>();
        FluentActions.Invoking(() => Builder().AddLinearConstraint(new LinearActionConstraint("r", null!))).Should().Throw<ArgumentNullException>();
        FluentActions.Invoking(() => Builder().AddLinearConstraint("r", new Dictionary<string, double>())).Should().Throw<ArgumentOutOfRangeException>()
            .WithMessage("Constraint 'r' has no change coefficients. (Parameter 'constraint')");
        FluentActions.Invoking(() => Builder().AddLinearConstraint("r", new Dictionary<string, double> { ["a"] = 1 }, constant: double.NaN)).Should().Throw<ArgumentOutOfRangeException>()
            .WithMessage("Constraint 'r' has a constant that is not finite. (Parameter 'constraint')");
        FluentActions.Invoking(() => Builder().AddLinearConstraint("r", new Dictionary<string, double> { ["a"] = double.PositiveInfinity })).Should().Throw<ArgumentOutOfRangeException>()
            .WithMessage("Constraint 'r' has coefficient Infinity for 'a'; coefficients must be finite. (Parameter 'constraint')");
        FluentActions.Invoking(() => Builder().AddLinearConstraint("r", new Dictionary<string, double> { ["a"] = 1 }, new Dictionary<string, double> { ["b"] = double.NaN }))
            .Should().Throw<ArgumentOutOfRangeException>().WithMessage("Constraint 'r' has coefficient NaN for 'b'*");
        FluentActions.Invoking(() => Builder().AddLinearConstraint("r", new Dictionary<string, double> { ["a"] = 1 }, new Dictionary<string, double> { ["nope"] = 1 }))
            .Should().Throw<ArgumentOutOfRangeException>().WithMessage("Unknown feature 'nope'. Known features: a, b, g_x, g_y, g-z.*");
    }

    [Fact]
    public void ToBuilder_KeepsOwnMaximumChangesLabelsAndIsIndependent()
    {
        var set = Builder().SetMaximumChange("a", 3).AddOneHotGroup("g", ["g_x", "g_y"], categoryLabels: ["one", "two"]).Build();
        var builder = set.ToBuilder();
        var copy = builder.Build();
        copy.HasOwnMaximumChange.Should().Equal(true, false, false, false, false);
        copy.Actions[0].MaximumChange.Should().Be(3);
        copy.OneHotGroups.Single().CategoryLabels.Should().Equal("one", "two");
        copy.MaximumChange.Should().Be(0.5);
        builder.SetMaximumChange("b", 4).Build().HasOwnMaximumChange.Should().Equal(true, true, false, false, false).And.NotBeSameAs(copy.HasOwnMaximumChange);
        copy.HasOwnMaximumChange.Should().Equal(true, false, false, false, false); // a built set does not change when its builder does
        set.Actions[1].MaximumChange.Should().Be(0.5);
    }

    [Fact]
    public void IndexOf_FindsEachFeature()
    {
        var set = Builder().Build();
        set.IndexOf("a").Should().Be(0);
        set.IndexOf("g-z").Should().Be(4);
        FluentActions.Invoking(() => set.IndexOf(null!)).Should().Throw<ArgumentNullException>();
        FluentActions.Invoking(() => set.IndexOf("A")).Should().Throw<ArgumentOutOfRangeException>()
            .WithMessage("Unknown feature 'A'. Known features: a, b, g_x, g_y, g-z. (Parameter 'featureName')");
    }

    [Theory]
    [InlineData(false, 2.5, "2.5")]
    [InlineData(false, 2.12345, "2.123")]
    [InlineData(false, 123.456, "123.5")]
    [InlineData(false, -123.456, "-123.5")]
    [InlineData(false, 99.9996, "100")]
    [InlineData(false, -1e-12, "0")]
    [InlineData(true, 3.0000000001, "3")]
    [InlineData(true, 3.4, "3.4")]
    [InlineData(false, 3.0000000001, "3")]
    public void FeatureInfo_Format_RoundsForReading(bool isInteger, double value, string expected)
        => new FeatureInfo("f", IsInteger: isInteger).Format(value).Should().Be(expected);

    [Fact]
    public void FeatureInfo_UnitsAndDisplayName()
    {
        var f = new FeatureInfo("amount", Mean: 3000, Scale: 1000);
        f.ToOriginal(1.5).Should().Be(4500);
        f.FromOriginal(4500).Should().Be(1.5);
        f.FromOriginal(2000).Should().Be(-1);
        f.DisplayName.Should().Be("amount");
        (f with { Description = "credit amount" }).DisplayName.Should().Be("credit amount");
    }
}
