using Microsoft.ML.Recourse.Actions;
using Microsoft.ML.Recourse.Models;

namespace Microsoft.ML.Recourse.Tests.Recourse;

public class RecourseGateTests
{
    /// <summary>g(x) = σ(2x₀ − x₁ − 1): x = (0, 0) scores σ(−1) ≈ 0.269.</summary>
    private static readonly LogisticRegressionModelParameters Model = new([2, -1], -1);

    /// <summary>x₀ free with |δ₀| ≤ 1 and cost weight 3; x₁ immutable.</summary>
    private static ActionSet Actions() => ActionSet.CreateBuilder([new FeatureInfo("up", Actionability: FeatureActionability.Free), new FeatureInfo("fixed", Actionability: FeatureActionability.Immutable)], 1)
        .SetCostWeight("up", 3)
        .Build();

    private static readonly double[] X = [0, 0];

    [Fact]
    public void Accept_DeltaInsideTheSet_ReturnsTheCounterfactualItsCostAndScore()
    {
        var result = RecourseGate.Accept("gen", 4, Model, 0.5, Actions(), X, [0.75, 0], scoreBefore: 0.27, RecourseStatus.Found, "note");

        result.Delta.Should().Equal(0.75, 0);
        result.Counterfactual.Should().Equal(0.75, 0);
        result.Cost.Should().BeApproximately(3 * 0.75, 1e-12);
        result.ScoreBefore.Should().Be(0.27);
        result.ScoreAfter.Should().BeApproximately(1 / (1 + Math.Exp(-(2 * 0.75 - 1))), 1e-12);
        result.IsValid.Should().BeTrue();
        result.Status.Should().Be(RecourseStatus.Found);
        result.Message.Should().Be("note");
    }

    [Fact]
    public void Accept_CounterfactualExactlyAtTheThreshold_IsValid()
    {
        // 2·0.5 − 1 = 0, so g(x + δ) = 0.5 exactly.
        var result = RecourseGate.Accept("gen", 0, Model, 0.5, Actions(), X, [0.5, 0], scoreBefore: 0.27);

        result.ScoreAfter.Should().Be(0.5);
        result.IsValid.Should().BeTrue("validity is g(x + δ) ≥ θ₀");
    }

    [Fact]
    public void Accept_CounterfactualBelowTheThreshold_IsFoundButNotValid()
    {
        var result = RecourseGate.Accept("gen", 0, Model, 0.5, Actions(), X, [0.25, 0], scoreBefore: 0.27);

        result.Delta.Should().Equal(0.25, 0);
        result.ScoreAfter.Should().BeLessThan(0.5);
        result.IsValid.Should().BeFalse();
        result.Status.Should().Be(RecourseStatus.Found);
        result.Message.Should().BeNull();
    }

    [Theory]
    [InlineData(1.5, 0, "*'up'*")]
    [InlineData(0.5, 0.25, "*'fixed'*")]
    public void Accept_DeltaOutsideTheSet_IsRejectedNamingGeneratorRowAndConstraint(double up, double fixedChange, string constraint)
    {
        var result = RecourseGate.Accept("myGenerator", 7, Model, 0.5, Actions(), X, [up, fixedChange], scoreBefore: 0.27, RecourseStatus.Found, "ignored");

        result.Delta.Should().BeNull();
        result.Counterfactual.Should().BeNull();
        result.Cost.Should().Be(double.NaN);
        result.ScoreBefore.Should().Be(0.27);
        result.ScoreAfter.Should().Be(double.NaN);
        result.IsValid.Should().BeFalse();
        result.Status.Should().Be(RecourseStatus.NotFound);
        result.Message.Should().StartWith("myGenerator proposed an action outside the action set for row 7 and it was rejected: ").And.Match(constraint);
    }

    [Fact]
    public void None_KeepsTheScoreStatusAndMessage()
    {
        var result = RecourseGate.None(0.3, RecourseStatus.Infeasible, "why");

        result.Should().Be(new RecourseResult(null, null, double.NaN, 0.3, double.NaN, false, RecourseStatus.Infeasible, "why"));
    }

    [Fact]
    public void CheckArguments_ValidArguments_DoesNotThrow()
        => FluentActions.Invoking(() => RecourseGate.CheckArguments(Model, 0.5, Actions(), new double[4])).Should().NotThrow();

    [Fact]
    public void CheckArguments_NullModelOrActionSet_ThrowsArgumentNull()
    {
        FluentActions.Invoking(() => RecourseGate.CheckArguments(null!, 0.5, Actions(), new double[2])).Should().Throw<ArgumentNullException>().WithParameterName("model");
        FluentActions.Invoking(() => RecourseGate.CheckArguments(Model, 0.5, null!, new double[2])).Should().Throw<ArgumentNullException>().WithParameterName("actionSet");
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(-0.1)]
    [InlineData(double.NaN)]
    public void CheckArguments_ThresholdOutsideTheOpenUnitInterval_Throws(double threshold)
        => FluentActions.Invoking(() => RecourseGate.CheckArguments(Model, threshold, Actions(), new double[2]))
            .Should().Throw<ArgumentOutOfRangeException>().WithParameterName("threshold");

    [Fact]
    public void CheckArguments_ActionSetOfAnotherWidth_ThrowsNamingBothCounts()
    {
        var three = ActionSet.FromFeatures([new FeatureInfo("a"), new FeatureInfo("b"), new FeatureInfo("c")], 1);

        FluentActions.Invoking(() => RecourseGate.CheckArguments(Model, 0.5, three, new double[2]))
            .Should().Throw<ArgumentOutOfRangeException>().WithParameterName("actionSet")
            .WithMessage("The action set describes 3 features but the model takes 2.*");
    }

    [Fact]
    public void CheckArguments_RowsNotAMultipleOfTheWidth_ThrowsNamingTheLength()
        => FluentActions.Invoking(() => RecourseGate.CheckArguments(Model, 0.5, Actions(), new double[3]))
            .Should().Throw<ArgumentOutOfRangeException>().WithParameterName("rows")
            .WithMessage("The row matrix has 3 values, which is not a multiple of the model's 2 features.*");
}
