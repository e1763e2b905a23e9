using Microsoft.ML.Recourse.Actions;
using Microsoft.ML.Data;

namespace Microsoft.ML.Recourse.Tests.Actions;

public class ActionDescriberTests
{
    private static readonly FeatureInfo[] Features =
    [
        new("education-num", Mean: 10, Scale: 2.5, Actionability: FeatureActionability.IncreaseOnly, IsInteger: true),
        new("amount", Mean: 3000, Scale: 1000, Actionability: FeatureActionability.Free, IsInteger: true),
        new("hours-per-week", Mean: 40, Scale: 12, Actionability: FeatureActionability.Free, Description: "hours worked per week"),
        new("personal_status_sex_1", IsCategorical: true),
        new("personal_status_sex_2", IsCategorical: true),
        new("personal_status_sex_3", IsCategorical: true),
        new("personal_status_sex_5", IsCategorical: true),
    ];

    private static readonly ActionSet Set = ActionSet.CreateBuilder(Features, 1)
        .AddOneHotGroup("personal_status_sex", ["personal_status_sex_1", "personal_status_sex_2", "personal_status_sex_3", "personal_status_sex_5"])
        .Build();

    // education-num 13, amount 2500, hours 40, personal_status_sex 2.
    private static readonly double[] Row = [1.2, -0.5, 0, 0, 1, 0, 0];

    [Fact]
    public void Describe_RaiseLowerAndSwitch_InOriginalUnits()
    {
        double[] delta = [0.56, -0.7, 0, 0, -1, 1, 0];

        var explanation = Set.Describe(Row, delta);

        explanation.Steps.Select(s => s.Sentence).Should().Equal(
            "raise education-num from 13 to 14.4",
            "lower amount from 2500 to 1800",
            "switch personal_status_sex from 2 to 3");
        explanation.ToString().Should().Be("raise education-num from 13 to 14.4; lower amount from 2500 to 1800; switch personal_status_sex from 2 to 3");
        explanation.Steps[2].Should().Be(new ActionStep(ActionStepKind.Switch, "personal_status_sex", "2", "3"));
    }

    [Fact]
    public void Describe_IntegerValuesAndDisplayName_FormattedByFeatureInfo()
    {
        double[] delta = [0.4, 0, 0.5, 0, 0, 0, 0];

        Set.Describe(Row, delta).ToString().Should().Be("raise education-num from 13 to 14; raise hours worked per week from 40 to 46");
    }

    [Fact]
    public void Describe_TinyOrZeroChanges_AreSkipped()
    {
        double[] delta = [1e-12, -1e-10, 0, 0, 0, 0, 0];

        var explanation = Set.Describe(Row, delta);

        explanation.IsEmpty.Should().BeTrue();
        explanation.ToString().Should().Be("no change");
        ActionDescriber.Describe(Set, Row, delta, minimumChange: 1e-13).ToString().Should().Be("raise education-num from 13 to 13; lower amount from 2500 to 2500");
    }

    [Fact]
    public void Describe_WithoutGroups_DescribesEachFeature()
    {
        double[] delta = [0, 0, 0, 1, -1, 0, 0];

        ActionDescriber.Describe(Features, Row, delta).ToString()
            .Should().Be("raise personal_status_sex_1 from 0 to 1; lower personal_status_sex_2 from 1 to 0");
    }

    [Fact]
    public void Describe_InvalidOneHotResult_Throws()
    {
        double[] delta = [0, 0, 0, 0.5, -0.5, 0, 0];

        var act = () => Set.Describe(Row, delta);

        act.Should().Throw<ArgumentOutOfRangeException>().WithParameterName("delta")
            .WithMessage("One-hot group 'personal_status_sex' after the change is not a valid one-hot vector.*");
    }

    [Fact]
    public void Describe_MinimizerOfReferenceSetup_NamesTheMovedFeatures()
    {
        var adult = new FeatureInfo[]
        {
            new("age", Mean: 38.6, Scale: 13.6),
            new("education-num", Mean: 10, Scale: 2.5, Actionability: FeatureActionability.IncreaseOnly, IsInteger: true),
            new("hours-per-week", Mean: 40, Scale: 12, Actionability: FeatureActionability.Free),
        };
        var set = ActionSet.FromFeatures(adult, 0.75);
        double[] x = [0.1, 1.2, 0];

        // Minimising -∇f·δ: push education up and hours up, age is immutable.
        var r = set.Minimize(x, [-0.3, -0.2, -0.1]);

        r.Delta.Should().Equal(0, 0.75, 0.75);
        set.Describe(x, r.Delta.ToArray()).ToString().Should().Be("raise education-num from 13 to 14.875; raise hours-per-week from 40 to 49");
    }
}
