using Microsoft.ML;
using MathNet.Numerics.Distributions;
using Microsoft.ML.Recourse.Actions;
using Microsoft.ML.Data;
using Microsoft.ML.Recourse.Evaluation;
using Microsoft.ML.Recourse.Models;
using Microsoft.ML.Recourse.Tests.TestFramework;
using Microsoft.ML.Recourse.Trainers;

namespace Microsoft.ML.Recourse.Tests.Evaluation;

public class EvaluationCatalogTests
{
    // g(x) = σ(income); income may move ±δ_max, age is fixed. At θ₀ = 0.5 a row is negative iff income < 0.
    private static readonly FeatureInfo[] Features = [new("income", Actionability: FeatureActionability.Free), new("age")];
    private static readonly ActionSet Actions = ActionSet.FromFeatures(Features, 0.75);
    private static readonly LogisticRegressionModelParameters Income = new([1, 0], 0);

    private static IDataView Rows(float[] incomes, bool[]? labels = null)
        => ToyData.View((incomes.Select(x => new[] { x, 0f }).ToArray(), labels ?? new bool[incomes.Length]));

    // Incomes −2 (step to −1.25: no recourse), −0.5 (step to 0.25: recourse), 1 and 2 (positive).
    private static readonly IDataView FourRows = Rows([-2, -0.5f, 1, 2], [false, true, true, false]);

    private static EvaluationCatalog Evaluation(int seed = 1) => new MLContext(seed).Recourse().Evaluation;

    [Fact]
    public void EvaluateRecourse_HandBuiltRows_GivesRecourseNegAndAll()
    {
        var rates = Evaluation().EvaluateRecourse(Income, 0.5, Actions, new LinearStepGenerator(), FourRows);
        rates.Should().Be(new RecourseRates("linearStep", 0.5, RowCount: 4, Negatives: 2, NegativesWithRecourse: 1));
        rates.Positives.Should().Be(2);
        rates.RecourseNeg.Should().Be(0.5);
        rates.RecourseAll.Should().Be(0.75);
    }

    [Fact]
    public void EvaluateRecourse_NoNegatives_IsZeroNegAndFullAllWithoutCallingTheGenerator()
    {
        var generator = new LinearStepGenerator();
        var rates = Evaluation().EvaluateRecourse(Income, 0, Actions, generator, FourRows);
        rates.Negatives.Should().Be(0);
        rates.RecourseNeg.Should().Be(0);
        rates.RecourseAll.Should().Be(1);
        generator.Calls.Should().Be(0);
    }

    [Fact]
    public void Evaluate_GivesClassificationMetricsAndEveryGeneratorsRates()
    {
        var result = Evaluation().Evaluate(Income, 0.5, Actions, [new LinearStepGenerator(), new NoActionGenerator()], FourRows);
        // Predicted [F, F, T, T] against labels [F, T, T, F].
        result.Classification.Should().Be(new ThresholdClassificationMetrics(0.5, TruePositives: 1, FalsePositives: 1, TrueNegatives: 1, FalseNegatives: 1));
        result.Threshold.Should().Be(0.5);
        result.Recourse.Select(r => r.GeneratorName).Should().Equal("linearStep", "none");
        result.GetRates("linearStep").RecourseAll.Should().Be(0.75);
        result.GetRates("none").RecourseNeg.Should().Be(0);
        result.GetRates("none").RecourseAll.Should().Be(0.5);
        FluentActions.Invoking(() => result.GetRates("gradient")).Should().Throw<ArgumentOutOfRangeException>().WithMessage("*linearStep, none*");
        Evaluation().EvaluateClassification(Income, 0.5, FourRows).Should().Be(result.Classification);
    }

    [Fact]
    public void EvaluateRecourseRobustness_KnownMargin_MatchesTheNormalTail()
    {
        // Income −0.5 with δ_max 0.55 lands at 0.05; with noise N(0, 0.1²) it stays valid iff z ≥ −0.5: P = Φ(0.5).
        var narrow = ActionSet.FromFeatures(Features, 0.55);
        var data = Rows(Enumerable.Repeat(-0.5f, 2000).ToArray());
        var robustness = Evaluation().EvaluateRecourseRobustness(Income, 0.5, narrow, new LinearStepGenerator(), data);
        robustness.Recourses.Should().Be(2000);
        robustness.NoiseStandardDeviation.Should().Be(0.1);
        double expected = Normal.CDF(0, 1, 0.5);
        robustness.RobustShare.Should().BeApproximately(expected, 4 * Math.Sqrt(expected * (1 - expected) / 2000));

        Evaluation().EvaluateRecourseRobustness(Income, 0.5, narrow, new LinearStepGenerator(), data, noiseStandardDeviation: 0).RobustShare.Should().Be(1);
        Evaluation(7).EvaluateRecourseRobustness(Income, 0.5, narrow, new LinearStepGenerator(), data)
            .Should().Be(Evaluation(7).EvaluateRecourseRobustness(Income, 0.5, narrow, new LinearStepGenerator(), data), "the noise is seeded by the context");
    }

    [Fact]
    public void EvaluateRecourseRobustness_NoRecourse_IsNaN()
        => Evaluation().EvaluateRecourseRobustness(Income, 0.5, Actions, new NoActionGenerator(), FourRows).RobustShare.Should().Be(double.NaN);

    [Fact]
    public void EvaluateBrittleness_KnownMargin_MatchesTheNormalTail()
    {
        // Income 0.05 is favourable at 0.5; noise N(0, 0.1²) flips it iff z < −0.5: P = Φ(−0.5).
        var data = Rows(Enumerable.Repeat(0.05f, 2000).ToArray());
        var brittleness = Evaluation().EvaluateBrittleness(Income, 0.5, Actions, data);
        brittleness.RowCount.Should().Be(2000);
        double expected = Normal.CDF(0, 1, -0.5);
        brittleness.FlipRate.Should().BeApproximately(expected, 4 * Math.Sqrt(expected * (1 - expected) / 2000));
        brittleness.StableShare.Should().Be(1 - brittleness.FlipRate);
    }

    [Fact]
    public void EvaluateBrittleness_ModelOfImmutableFeaturesOnly_NeverFlips()
    {
        var ageOnly = new LogisticRegressionModelParameters([0, 1], 0);
        var data = ToyData.View(([[0.3f, 0.01f], [-0.2f, -0.01f]], [true, false]));
        Evaluation().EvaluateBrittleness(ageOnly, 0.5, Actions, data, noiseStandardDeviation: 5).Flipped.Should().Be(0, "only actionable features get noise");
    }

    [Fact]
    public void EvaluateInDistribution_SameDistribution_IsNearChance_AndShifted_IsDetected()
    {
        var random = new Random(3);
        IReadOnlyList<double> Row(double shift) => [ToyData.Gaussian(random) + shift, ToyData.Gaussian(random)];
        var originals = Enumerable.Range(0, 600).Select(_ => Row(0)).ToList();
        var alike = Enumerable.Range(0, 600).Select(_ => Row(0)).ToList();
        var shifted = Enumerable.Range(0, 500).Select(_ => Row(4)).ToList();

        var same = Evaluation().EvaluateInDistribution(originals, alike);
        same.SamplesPerClass.Should().Be(600);
        same.TestRows.Should().Be(360);
        same.TrainingRows.Should().Be(840);
        same.LogisticRegressionAccuracy.Should().BeInRange(0.4, 0.6);
        same.MultilayerPerceptronAccuracy.Should().BeInRange(0.4, 0.6);

        var apart = Evaluation().EvaluateInDistribution(originals, shifted);
        apart.SamplesPerClass.Should().Be(500);
        apart.LogisticRegressionAccuracy.Should().BeGreaterThan(0.95);
        apart.MultilayerPerceptronAccuracy.Should().BeGreaterThan(0.95);
    }

    [Fact]
    public void EvaluateInDistribution_WithAGenerator_UsesTheValidCounterfactuals()
    {
        var random = new Random(5);
        var incomes = Enumerable.Range(0, 400).Select(_ => (float)ToyData.Gaussian(random)).ToArray();
        int expected = incomes.Count(x => x < 0 && x + 0.75 >= 0);
        var result = Evaluation().EvaluateInDistribution(Income, 0.5, Actions, new LinearStepGenerator(), Rows(incomes));
        result.SamplesPerClass.Should().Be(expected);
    }

    [Fact]
    public void EvaluateInDistribution_TooFewRows_Throws()
        => FluentActions.Invoking(() => Evaluation().EvaluateInDistribution([[0.0, 1.0]], [[1.0, 1.0]]))
            .Should().Throw<InvalidOperationException>().WithMessage("*at least one training and one test row*");

    [Fact]
    public void EvaluateDisparity_HandBuiltGroups_ChoosesThePrecisionThresholdAndComparesGroups()
    {
        // Validation thresholds σ(3), σ(2), σ(1), σ(0) have precision 1, 1/2, 2/3, 1/2: 0.65 picks θ = σ(1).
        var validation = Rows([0, 1, 2, 3], [false, true, false, true]);
        // White: income 2 (favourable) and 0.5 (step to 1.25 ≥ 1: recourse). Non-white: −1 (step to −0.25: none), 0.9 (step to 1.65: recourse).
        var test = DataViewBuilder.From(Rows([2, 0.5f, -1, 0.9f])).AddColumn("isWhite", ["White", "White", "Non-white", "Non-white"]).Build();

        var disparity = Evaluation().EvaluateDisparity(Income, Actions, new LinearStepGenerator(), validation, test, "isWhite", "White");
        disparity.Threshold.Threshold.Should().Be(Income.Score([1, 0]));
        disparity.Threshold.Value.Should().Be(2.0 / 3);
        disparity.TargetPrecision.Should().Be(0.65);
        disparity.Groups.Select(g => g.Group).Should().Equal("White", "Non-white");
        disparity.ReferenceGroupRates.RecourseAll.Should().Be(1);
        disparity.OtherGroupsRates.Should().Be(new RecourseRates("linearStep", disparity.Threshold.Threshold, 2, 2, 1));
        disparity.Disparity.Should().Be(0.5);

        FluentActions.Invoking(() => Evaluation().EvaluateDisparity(Income, Actions, new LinearStepGenerator(), validation, test, "isWhite", "white"))
            .Should().Throw<ArgumentOutOfRangeException>().WithMessage("*'white'*White, Non-white*");
        FluentActions.Invoking(() => Evaluation().EvaluateDisparity(Income, Actions, new LinearStepGenerator(), validation, test, "race", "White"))
            .Should().Throw<ArgumentOutOfRangeException>().WithMessage("Could not find group column 'race'*");
    }

    [Fact]
    public void SweepThreshold_EvaluatesEachThreshold()
    {
        var progress = new List<double>();
        var points = Evaluation().SweepThreshold(Income, [0, 0.5], Actions, [new LinearStepGenerator()], FourRows,
            progress: new SynchronousProgress<RecourseSweepPoint>(p => progress.Add(p.Value)));
        points.Select(p => p.Value).Should().Equal(0, 0.5);
        progress.Should().Equal(0, 0.5);
        points[0].Evaluation.GetRates("linearStep").RecourseAll.Should().Be(1);
        points[1].Evaluation.GetRates("linearStep").RecourseAll.Should().Be(0.75);
    }

    [Fact]
    public void SweepRecourseWeight_TrainsOneModelPerWeightThroughTheDelegate()
    {
        var trained = new List<double>();
        // The delegate stands in for a trainer: λ shifts the bias, so −0.5 turns favourable at λ = 0.8 and −2 keeps no recourse.
        var points = Evaluation().SweepRecourseWeight([0, 0.8], weight =>
        {
            trained.Add(weight);
            return new RecourseAwarePredictionTransformer<LogisticRegressionModelParameters>(new([1, 0], weight), "Features", 0.5);
        }, Actions, [new LinearStepGenerator()], FourRows);
        trained.Should().Equal(0, 0.8);
        points[0].Evaluation.GetRates("linearStep").RecourseNeg.Should().Be(0.5);
        points[1].Evaluation.GetRates("linearStep").Negatives.Should().Be(1);
        points[1].Evaluation.GetRates("linearStep").RecourseNeg.Should().Be(0);
    }

    [Fact]
    public void SweepMaximumChange_UsesTheActionSetOfEachValue()
    {
        var seen = new List<double>();
        var points = Evaluation().SweepMaximumChange([0.75, 2.5], m => ActionSet.FromFeatures(Features, m), actionSet =>
        {
            seen.Add(actionSet.MaximumChange);
            return new RecourseAwarePredictionTransformer<LogisticRegressionModelParameters>(Income, "Features", 0.5);
        }, [new LinearStepGenerator()], FourRows);
        seen.Should().Equal(0.75, 2.5);
        points[0].Evaluation.GetRates("linearStep").RecourseNeg.Should().Be(0.5);
        points[1].Evaluation.GetRates("linearStep").RecourseNeg.Should().Be(1, "with δ_max = 2.5, income −2 reaches 0.5");
    }

    [Fact]
    public void Methods_BadInput_ThrowClearErrors()
    {
        var evaluation = Evaluation();
        var generator = new LinearStepGenerator();
        FluentActions.Invoking(() => evaluation.EvaluateRecourse(Income, 0.5, ActionSet.FromFeatures([.. Features, new FeatureInfo("x")], 0.75), generator, FourRows))
            .Should().Throw<ArgumentOutOfRangeException>().WithMessage("*3 features but the model takes 2*");
        FluentActions.Invoking(() => evaluation.EvaluateClassification(Income, 1.5, FourRows))
            .Should().Throw<ArgumentOutOfRangeException>().WithParameterName("threshold");
        FluentActions.Invoking(() => evaluation.EvaluateRecourse(Income, 0.5, Actions, generator, FourRows, featureColumnName: "X"))
            .Should().Throw<ArgumentOutOfRangeException>().WithMessage("Could not find feature column 'X'*");
        var withNaN = Rows([1, float.NaN]);
        FluentActions.Invoking(() => evaluation.EvaluateBrittleness(Income, 0.5, Actions, withNaN))
            .Should().Throw<ArgumentOutOfRangeException>().WithMessage("*row 1, slot 0*");
        FluentActions.Invoking(() => evaluation.EvaluateBrittleness(Income, 0.5, Actions, FourRows, noiseStandardDeviation: -1))
            .Should().Throw<ArgumentOutOfRangeException>().WithParameterName("noiseStandardDeviation");
        FluentActions.Invoking(() => evaluation.SweepRecourseWeight<LogisticRegressionModelParameters>([-1.0], _ => null!, Actions, [generator], FourRows))
            .Should().Throw<ArgumentOutOfRangeException>().WithParameterName("recourseWeights");
    }

    private sealed class SynchronousProgress<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }

    private sealed class NoActionGenerator : IRecourseGenerator
    {
        public string Name => "none";

        public IReadOnlyList<RecourseResult> Generate(IScorer model, double threshold, ActionSet actionSet, ReadOnlyMemory<double> rows, CancellationToken cancellationToken = default)
        {
            int d = model.FeatureCount;
            return Enumerable.Range(0, rows.Length / d)
                .Select(r => RecourseGate.None(model.Score(rows.Span.Slice(r * d, d)), RecourseStatus.NotFound, "no action"))
                .ToList();
        }
    }
}
