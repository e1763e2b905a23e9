using Microsoft.ML.Recourse.Actions;

namespace Microsoft.ML.Recourse.Tests.Actions;

// The describer's argument checks, its threshold and the sentences of each kind of step.
public class ActionDescriberEdgeTests
{
    private static readonly ActionSet Set = ActionSet.CreateBuilder(
        [new FeatureInfo("a", Actionability: FeatureActionability.Free), new FeatureInfo("g_1", IsCategorical: true), new FeatureInfo("g_2", IsCategorical: true)], 1)
        .AddOneHotGroup("g", ["g_1", "g_2"]).Build();

    [Fact]
    public void Describe_ChangeExactlyAtTheThreshold_IsReported()
    {
        ActionDescriber.Describe(Set, [0, 1, 0], [0.5, 0, 0], minimumChange: 0.5).ToString().Should().Be("raise a from 0 to 0.5");
        ActionDescriber.Describe(Set, [0, 1, 0], [-0.5, 0, 0], minimumChange: 0.5).ToString().Should().Be("lower a from 0 to -0.5");
        ActionDescriber.Describe(Set, [0, 1, 0], [0.49, 0, 0], minimumChange: 0.5).IsEmpty.Should().BeTrue();
        ActionDescriber.Describe(Set, [0, 1, 0], [0, 0, 0], minimumChange: 0).ToString().Should().Be("no change");
    }

    [Fact]
    public void Describe_GroupWithinTheTolerance_IsNotASwitch()
    {
        var explanation = ActionDescriber.Describe(Set, [0, 1, 0], [0, -1e-7, 1e-7]);
        explanation.IsEmpty.Should().BeTrue("indicators within 1e-6 of 0 and 1 keep the active category");
        ActionDescriber.Describe(Set, [0, 1, 0], [0, -1, 1]).Steps.Should().Equal(new ActionStep(ActionStepKind.Switch, "g", "1", "2"));
    }

    [Fact]
    public void Describe_Checks_NameTheArgument()
    {
        FluentActions.Invoking(() => ActionDescriber.Describe((ActionSet)null!, [0], [0])).Should().Throw<ArgumentNullException>();
        FluentActions.Invoking(() => ActionDescriber.Describe(Set, [0, 1], [0, 0, 0])).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("x");
        FluentActions.Invoking(() => ActionDescriber.Describe(Set, [0, 1, 0], [0, 0])).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("delta");
        FluentActions.Invoking(() => ActionDescriber.Describe(Set, [0, 1, 0], [0, 0, 0], minimumChange: -1)).Should().Throw<ArgumentOutOfRangeException>()
            .WithParameterName("minimumChange");
        FluentActions.Invoking(() => ActionDescriber.Describe(Set, [double.NaN, 1, 0], [0, 0, 0])).Should().Throw<ArgumentOutOfRangeException>()
            .WithMessage("Feature 'a' of the row is not finite (NaN). (Parameter 'x')");
        FluentActions.Invoking(() => ActionDescriber.Describe(Set, [0, 1, 0], [double.PositiveInfinity, 0, 0])).Should().Throw<ArgumentOutOfRangeException>()
            .WithMessage("The change of feature 'a' is not finite (Infinity). (Parameter 'delta')");
        FluentActions.Invoking(() => ActionDescriber.Describe(Set, [0, 1, 1], [0, 0, 0])).Should().Throw<ArgumentOutOfRangeException>()
            .WithMessage("One-hot group 'g' of the row is not a valid one-hot vector. (Parameter 'x')");
    }

    [Theory]
    [InlineData(ActionStepKind.Raise, "raise t from 1 to 2")]
    [InlineData(ActionStepKind.Lower, "lower t from 1 to 2")]
    [InlineData(ActionStepKind.Switch, "switch t from 1 to 2")]
    public void ActionStep_Sentence_StartsWithTheVerb(ActionStepKind kind, string expected)
    {
        var step = new ActionStep(kind, "t", "1", "2");
        step.Sentence.Should().Be(expected);
        step.ToString().Should().Be(expected);
    }
}
