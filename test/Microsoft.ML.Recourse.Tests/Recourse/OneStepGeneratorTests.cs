using Microsoft.ML;
using Microsoft.ML.Recourse.Actions;
using Microsoft.ML.Data;
using Microsoft.ML.Recourse.Models;
using Microsoft.ML.Recourse.Tests.TestFramework;

namespace Microsoft.ML.Recourse.Tests.Recourse;

public class OneStepGeneratorTests
{
    private static readonly FeatureInfo[] Features =
    [
        new("income", Actionability: FeatureActionability.Free),
        new("debt", Actionability: FeatureActionability.DecreaseOnly),
        new("age"),
    ];

    // g rises with income, falls with debt and age.
    private static readonly LogisticRegressionModelParameters Model = new([2.0, -1.0, -0.5], -0.5);

    private static RecourseGenerators Generators => new MLContext(1).Recourse().Generators;

    private sealed class BlackBox(int featureCount) : IScorer
    {
        public int FeatureCount => featureCount;

        public double Score(ReadOnlySpan<double> features) => 0.5;

        public void ScoreBatch(ReadOnlySpan<double> features, Span<double> scores) => scores.Fill(0.5);
    }

    // Messages name the row's index in its call, so a row generated alone says "row 0".
    private static bool SameResult(RecourseResult a, RecourseResult b, bool compareMessages = true)
        => a.Status == b.Status && a.IsValid == b.IsValid && (!compareMessages || a.Message == b.Message) && (a.Message is null) == (b.Message is null)
           && a.ScoreBefore.Equals(b.ScoreBefore) && a.ScoreAfter.Equals(b.ScoreAfter) && a.Cost.Equals(b.Cost)
           && (a.Delta is null ? b.Delta is null : b.Delta is not null && a.Delta.SequenceEqual(b.Delta))
           && (a.Counterfactual is null ? b.Counterfactual is null : b.Counterfactual is not null && a.Counterfactual.SequenceEqual(b.Counterfactual));

    [Fact]
    public void OneStep_Catalog_CreatesTheGeneratorWithItsDirection()
    {
        Generators.OneStep().Name.Should().Be("onestep");
        Generators.OneStep().Direction.Should().Be(PerturbationDirection.Recourse);
        Generators.OneStep(PerturbationDirection.ReferenceCode).Direction.Should().Be(PerturbationDirection.ReferenceCode);
        Generators.OneStep(new OneStepGenerator.Options { NumberOfThreads = 1 }).NumberOfThreads.Should().Be(1);
    }

    [Fact]
    public void Generate_Recourse_MovesActionableFeaturesTowardsAcceptance()
    {
        var set = ActionSet.FromFeatures(Features, 0.75);
        var results = Generators.OneStep().Generate(Model, 0.5, set, new double[] { -0.5, 0.5, 1, 1, 0, 0 });

        results.Should().HaveCount(2);
        results[0].Delta.Should().Equal(0.75, -0.75, 0);
        results[0].Counterfactual.Should().Equal(0.25, -0.25, 1);
        results[0].Status.Should().Be(RecourseStatus.Found);
        results[0].ScoreAfter.Should().BeGreaterThan(results[0].ScoreBefore);
        results[0].Cost.Should().BeApproximately(1.5, 1e-12);
        results[0].IsValid.Should().Be(results[0].ScoreAfter >= 0.5);
        results[1].Delta.Should().Equal(0.75, -0.75, 0);
    }

    [Fact]
    public void Generate_ReferenceCode_TakesTheDescentCorner()
    {
        var set = ActionSet.FromFeatures(Features, 0.75);
        var result = Generators.OneStep(PerturbationDirection.ReferenceCode).Generate(Model, 0.5, set, new double[] { 0, 0.5, 1 })[0];
        result.Delta.Should().Equal([-0.75, 0, 0], "debt may only decrease, which would raise g");
        result.ScoreAfter.Should().BeLessThan(result.ScoreBefore);
    }

    // 10,000 rows over 500 random action sets (boxes, grids, bounds, one-hot groups, general rows) and random models.
    [Fact]
    public void Generate_RandomInstances_EveryReturnedDeltaLiesInTheActionSet()
    {
        var random = new Random(5);
        int rowsChecked = 0, found = 0, infeasible = 0;
        for (int instance = 0; instance < 500; instance++)
        {
            var set = OneStepTestData.ActionSet(random, oneHot: random.Next(2) == 0, linearRows: random.Next(3) == 0);
            var model = OneStepTestData.Model(random, set.FeatureCount);
            var rows = OneStepTestData.Rows(random, set, 20);
            var direction = random.Next(2) == 0 ? PerturbationDirection.Recourse : PerturbationDirection.ReferenceCode;
            var results = Generators.OneStep(direction).Generate(model, 0.05 + 0.9 * random.NextDouble(), set, rows);
            int d = set.FeatureCount;
            for (int r = 0; r < results.Count; r++, rowsChecked++)
            {
                var result = results[r];
                if (result.Delta is null)
                {
                    result.Status.Should().NotBe(RecourseStatus.Found);
                    result.IsValid.Should().BeFalse();
                    result.Message.Should().NotBeNullOrEmpty();
                    if (result.Status == RecourseStatus.Infeasible) infeasible++;
                    continue;
                }
                found++;
                var x = rows.AsSpan(r * d, d);
                set.Compile(x).FindViolation(result.Delta.ToArray()).Should().BeNull($"instance {instance}, row {r}");
                result.ScoreAfter.Should().Be(model.Score(result.Counterfactual!.ToArray()));
            }
        }
        rowsChecked.Should().Be(10_000);
        found.Should().BeGreaterThan(8_000);
        infeasible.Should().BeGreaterThan(0, "some general rows exclude every action");
    }

    [Fact]
    public void Generate_Batched_EqualsRowByRow_AndParallelEqualsSerial()
    {
        var random = new Random(6);
        for (int instance = 0; instance < 6; instance++)
        {
            var set = OneStepTestData.ActionSet(random, oneHot: instance % 2 == 0, linearRows: instance % 3 == 0);
            var model = OneStepTestData.Model(random, set.FeatureCount);
            int count = instance < 3 ? 40 : 1500, d = set.FeatureCount;
            var rows = OneStepTestData.Rows(random, set, count);
            var batched = Generators.OneStep(new OneStepGenerator.Options { NumberOfThreads = null }).Generate(model, 0.5, set, rows);
            var serial = Generators.OneStep(new OneStepGenerator.Options { NumberOfThreads = 1 }).Generate(model, 0.5, set, rows);
            for (int r = 0; r < count; r++)
            {
                SameResult(batched[r], serial[r]).Should().BeTrue($"row {r} must not depend on the thread count");
                if (instance < 3 || r % 50 == 0)
                {
                    var single = Generators.OneStep().Generate(model, 0.5, set, rows.AsMemory(r * d, d))[0];
                    SameResult(batched[r], single, compareMessages: false).Should().BeTrue($"row {r} must not depend on the batch");
                }
            }
        }
    }

    [Fact]
    public void Generate_ConstraintsExcludingEveryAction_ReportsInfeasibleWithoutDelta()
    {
        var set = ActionSet.CreateBuilder(Features, 0.75)
            .AddLinearConstraint("impossible", new Dictionary<string, double> { ["income"] = 1 }, constant: -10)
            .Build();
        var result = Generators.OneStep().Generate(Model, 0.5, set, new double[] { 0, 0, 0 })[0];
        result.Status.Should().Be(RecourseStatus.Infeasible);
        result.Delta.Should().BeNull();
        result.Cost.Should().Be(double.NaN);
        result.Message.Should().Contain("Row 0");
    }

    [Fact]
    public void Generate_UnlimitedFeature_ReportsNotFound()
    {
        var set = ActionSet.CreateBuilder(Features, 0.75).SetMaximumChange("income", double.PositiveInfinity).Build();
        var result = Generators.OneStep().Generate(Model, 0.5, set, new double[] { 0, 0, 0 })[0];
        result.Status.Should().Be(RecourseStatus.NotFound);
        result.Delta.Should().BeNull();
        result.Message.Should().Contain("income");
    }

    [Fact]
    public void Generate_EmptyInput_ReturnsNoResults()
        => Generators.OneStep().Generate(Model, 0.5, ActionSet.FromFeatures(Features, 0.75), ReadOnlyMemory<double>.Empty).Should().BeEmpty();

    [Fact]
    public void Generate_NonDifferentiableModel_ThrowsNamingTheAlternative()
    {
        var act = () => Generators.OneStep().Generate(new BlackBox(3), 0.5, ActionSet.FromFeatures(Features, 0.75), new double[3]);
        act.Should().Throw<ArgumentOutOfRangeException>().Where(e => e.ParamName == "model")
            .WithMessage("*IDifferentiableScorer*LinearIntegerProgram*LIME*");
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(1.0)]
    [InlineData(-0.2)]
    [InlineData(double.NaN)]
    public void Generate_ThresholdOutsideOpenUnitInterval_Throws(double threshold)
    {
        var act = () => Generators.OneStep().Generate(Model, threshold, ActionSet.FromFeatures(Features, 0.75), new double[3]);
        act.Should().Throw<ArgumentOutOfRangeException>().Where(e => e.ParamName == "threshold");
    }

    [Fact]
    public void Generate_ActionSetOfAnotherSize_Throws()
    {
        var act = () => Generators.OneStep().Generate(Model, 0.5, ActionSet.FromFeatures(Features.Take(2).ToArray(), 0.75), new double[3]);
        act.Should().Throw<ArgumentOutOfRangeException>().Where(e => e.ParamName == "actionSet").WithMessage("*2 features*model takes 3*");
    }

    [Fact]
    public void Generate_NonFiniteRow_ThrowsNamingTheFeature()
    {
        var act = () => Generators.OneStep().Generate(Model, 0.5, ActionSet.FromFeatures(Features, 0.75), new double[] { 0, double.PositiveInfinity, 0 });
        act.Should().Throw<ArgumentOutOfRangeException>().WithMessage("*debt*row 0*not finite*");
    }

    [Fact]
    public void OneStep_Options_RejectsZeroThreads()
    {
        var act = () => Generators.OneStep(new OneStepGenerator.Options { NumberOfThreads = 0 });
        act.Should().Throw<ArgumentOutOfRangeException>();
    }
}
