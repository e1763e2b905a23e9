using Microsoft.ML.Recourse.Actions;

namespace Microsoft.ML.Recourse.Tests.Actions;

public class ActionSetPartsTests
{
    private static OneHotGroup Group()
        => ActionSet.CreateBuilder([new FeatureInfo("z", Actionability: FeatureActionability.Free), new FeatureInfo("a", IsCategorical: true), new FeatureInfo("b", IsCategorical: true), new FeatureInfo("c", IsCategorical: true)], 1)
            .AddOneHotGroup("abc", ["a", "b", "c"], isMutable: true, categoryLabels: ["first", "second", "third"])
            .Build().OneHotGroups.Single();

    [Fact]
    public void OneHotGroup_KeepsNameIndicesLabelsAndMutability()
    {
        var group = Group();

        group.Name.Should().Be("abc");
        group.FeatureIndices.Should().Equal(1, 2, 3);
        group.CategoryLabels.Should().Equal("first", "second", "third");
        group.IsMutable.Should().BeTrue();
    }

    [Theory]
    [InlineData(new[] { 9.0, 0, 1, 0 }, 1)]
    [InlineData(new[] { 9.0, 1, 0, 0 }, 0)]
    [InlineData(new[] { 9.0, 0, 0, 1 }, 2)]
    [InlineData(new[] { 9.0, 0, 1 + 1e-10, -1e-10 }, 1)] // within the tolerance
    [InlineData(new[] { 9.0, 0, 1.01, 0 }, -1)] // not an indicator
    [InlineData(new[] { 9.0, 0, 0, 0 }, -1)] // no category
    [InlineData(new[] { 9.0, 1, 1, 0 }, -1)] // two categories
    [InlineData(new[] { 9.0, 0.5, 0.5, 0 }, -1)]
    [InlineData(new[] { 9.0, double.NaN, 1, 0 }, -1)]
    [InlineData(new[] { 9.0, 1, 0, double.NaN }, -1)]
    public void ActiveCategory_IsTheOnlyIndicatorAtOne(double[] row, int expected)
        => Group().ActiveCategory(row, 1e-9).Should().Be(expected);

    [Fact]
    public void Cost_WrongLength_ThrowsNamingTheCounts()
        => FluentActions.Invoking(() => ActionSet.FromFeatures([new FeatureInfo("a"), new FeatureInfo("b")], 1).Cost([1.0]))
            .Should().Throw<ArgumentOutOfRangeException>().WithParameterName("delta").WithMessage("Expected 2 values, one per feature; got 1.*");

    [Fact]
    public void CostPerUnitChange_IsTheCostWeightOverTheStandardScale()
    {
        var set = ActionSet.CreateBuilder([new FeatureInfo("a", Actionability: FeatureActionability.Free), new FeatureInfo("b", Actionability: FeatureActionability.Free)], 1)
            .SetCostWeight("a", 3).SetStandardScale("a", 2).Build();

        set.CostPerUnitChange.Should().Equal(1.5, 1);
        set.Cost([-2, 0.5]).Should().Be(1.5 * 2 + 0.5);
    }

    [Theory]
    [InlineData(PerturbationDirection.Recourse, -1)]
    [InlineData(PerturbationDirection.ReferenceCode, 1)]
    public void Objective_IsTheGradientWithTheDirectionsSign(PerturbationDirection direction, double sign)
    {
        var perturbation = new OneStepPerturbation(ActionSet.FromFeatures([new FeatureInfo("a"), new FeatureInfo("b")], 1), direction);
        var objective = new double[2];

        perturbation.Objective([0.5, -2], objective);

        objective.Should().Equal(sign * 0.5, sign * -2);
        perturbation.Direction.Should().Be(direction);
    }

    [Fact]
    public void OneStepPerturbation_UndefinedDirection_Throws()
        => FluentActions.Invoking(() => new OneStepPerturbation(ActionSet.FromFeatures([new FeatureInfo("a")], 1), (PerturbationDirection)5))
            .Should().Throw<ArgumentOutOfRangeException>().WithParameterName("direction").WithMessage("Unknown perturbation direction 5.*");

    [Fact]
    public void OneStepPerturbation_NullActionSet_Throws()
        => FluentActions.Invoking(() => new OneStepPerturbation(null!, PerturbationDirection.Recourse)).Should().Throw<ArgumentNullException>();
}
