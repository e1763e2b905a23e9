using Microsoft.ML;
using MathNet.Numerics.Distributions;
using Microsoft.ML.Recourse.Actions;
using Microsoft.ML.Recourse.Calibration;
using Microsoft.ML.Data;
using Microsoft.ML.Recourse.Evaluation;
using Microsoft.ML.Recourse.Models;
using Microsoft.ML.Recourse.Tests.TestFramework;
using Microsoft.ML.Recourse.Trainers;

namespace Microsoft.ML.Recourse.Tests.Calibration;

public class PareCalibratorTests
{
    // g(x) = σ(2·income + age); income may move ±0.75, age is fixed. The test generator's step is always +0.75 on
    // income, so the score after recourse is σ(L) with L = 2·x₀ + 1.5 + x₁ ~ N(1.5, 5) when x ~ N(0, I).
    private static readonly FeatureInfo[] Features = [new("income", Actionability: FeatureActionability.Free), new("age")];
    private static readonly ActionSet Actions = ActionSet.FromFeatures(Features, 0.75);
    private static readonly LogisticRegressionModelParameters Linear = new([2, 1], 0);

    private static RecourseAwarePredictionTransformer<LogisticRegressionModelParameters> Model(double threshold = 0.5) => new(Linear, "Features", threshold);

    private static double TrueMissRate(double threshold)
        => Normal.CDF(0, 1, (Math.Log(threshold / (1 - threshold)) - 1.5) / Math.Sqrt(5));

    private static IDataView Draw(int rows, int seed)
    {
        var random = new Random(seed);
        var features = new float[rows][];
        var labels = new bool[rows];
        for (int r = 0; r < rows; r++)
        {
            features[r] = [(float)ToyData.Gaussian(random), (float)ToyData.Gaussian(random)];
            labels[r] = random.NextDouble() < Linear.Score([features[r][0], features[r][1]]);
        }
        return ToyData.View((features, labels));
    }

    private static IDataView Rows(params (float Income, float Age, bool Label)[] rows)
        => ToyData.View((rows.Select(r => new[] { r.Income, r.Age }).ToArray(), rows.Select(r => r.Label).ToArray()));

    [Fact]
    public void Fit_HandBuiltRows_ChoosesTheBestF1CandidateBelowTheCertifiedBound()
    {
        // Reference convention, n = 4: k* = 0 (F(0; 4, 0.05) = 0.81 ≤ 0.95 < F(1)), so θ̄ = the smallest score after recourse,
        // σ(2·(−1 + 0.75)) = σ(−0.5). F1 is 6/7 below g(B) = σ(−2), 1 between σ(−2) and σ(−1), 4/5 above: the first
        // grid point in (σ(−2), σ(−1)] is 3·θ̄/9.
        var data = Rows((0.25f, 0, true), (-1, 0, false), (-0.5f, 0, true), (1, 0, true));
        var pare = new MLContext(1).Recourse().Calibration
            .Pare(Model(), new LinearStepGenerator(), Actions, convention: ParameterConvention.ReferenceCode)
            .Fit(data);

        double upper = 1 / (1 + Math.Exp(0.5));
        pare.ThresholdUpperBound.Should().BeApproximately(upper, 1e-15);
        pare.AllowedMisses.Should().Be(0);
        pare.CalibrationSize.Should().Be(4);
        pare.Convention.Should().Be(ParameterConvention.ReferenceCode);
        pare.Threshold.Should().Be(ThresholdSelection.Grid(pare.ThresholdUpperBound, 10)[3]);
        pare.Model.Threshold.Should().Be(pare.Threshold);
        pare.CalibrationF1.Should().Be(1);
        pare.GeneratorName.Should().Be("linearStep");
        pare.Transform(data).GetColumn<bool>(DefaultColumnNames.PredictedLabel).Should().Equal(true, false, true, true);
    }

    [Fact]
    public void Fit_RowsWithoutAnAction_KeepTheirScore()
    {
        var data = Draw(100, 3);
        var pare = new MLContext(1).Recourse().Calibration.Pare(Model(), new NoActionGenerator(), Actions).Fit(data);
        var scores = data.GetColumn<float[]>("Features").Select(x => Linear.Score([x[0], x[1]])).Order().ToArray();
        pare.AllowedMisses.Should().Be(1);
        pare.ThresholdUpperBound.Should().Be(scores[1], "with no action, the score after recourse is g(x), and θ̄ is the 2nd smallest");
    }

    // The PARE guarantee on a distribution with a closed-form miss rate: over many seeded calibration draws, θ̄ leaves
    // more than ε of the population without recourse with probability F(k*; n, ε) ≤ δ, and θ₀ ≤ θ̄ only does better.
    [Fact]
    public void Fit_ManyCalibrationDraws_GuaranteeHoldsWithProbabilityOneMinusDelta()
    {
        const int draws = 1500, n = 100;
        const double epsilon = 0.05, delta = 0.05;
        var context = new MLContext(5).Recourse();
        var generator = new LinearStepGenerator();
        int boundFailures = 0, thresholdFailures = 0;
        for (int t = 0; t < draws; t++)
        {
            var pare = context.Calibration.Pare(Model(), generator, Actions, epsilon: epsilon, delta: delta).Fit(Draw(n, 1000 + t));
            pare.Threshold.Should().BeLessThanOrEqualTo(pare.ThresholdUpperBound);
            if (TrueMissRate(pare.ThresholdUpperBound) > epsilon) boundFailures++;
            if (pare.Threshold > 0 && TrueMissRate(pare.Threshold) > epsilon) thresholdFailures++;
        }
        double exact = Binomial.CDF(epsilon, n, 1);
        double frequency = (double)boundFailures / draws;
        frequency.Should().BeLessThanOrEqualTo(delta + 3 * Math.Sqrt(delta * (1 - delta) / draws));
        frequency.Should().BeApproximately(exact, 4 * Math.Sqrt(exact * (1 - exact) / draws) + 1e-3);
        thresholdFailures.Should().BeLessThanOrEqualTo(boundFailures);
    }

    [Fact]
    public void Conformance_SchemaDataAndPersistence()
    {
        var valid = Draw(200, 1);
        var noLabel = new DataViewBuilder().AddVectorColumn("Features", 2, new float[200 * 2]).Build();
        var wrongSize = new DataViewBuilder().AddVectorColumn("Features", 3, new float[10 * 3]).AddColumn("Label", new bool[10]).Build();
        var floatLabel = new DataViewBuilder().AddVectorColumn("Features", 2, new float[10 * 2]).AddColumn("Label", new float[10]).Build();
        var nanFeatures = Draw(200, 2).GetColumn<float[]>("Features").ToArray();
        nanFeatures[7][1] = float.NaN;
        var withNaN = ToyData.View((nanFeatures, new bool[200]));
        var empty = new DataViewBuilder().AddVectorColumn("Features", 2, Array.Empty<float>()).AddColumn("Label", Array.Empty<bool>()).Build();
        var tooSmall = Draw(58, 3);

        var transformer = EstimatorConformance.Check(
            ctx => ctx.Calibration.Pare(Model(), new LinearStepGenerator(), Actions),
            valid,
            invalidSchemaInputs: [noLabel, floatLabel],
            invalidDataInputs: [wrongSize, withNaN, empty, tooSmall]);

        using var stream = new MemoryStream();
        SavedModels.Save(transformer, valid.Schema, stream);
        stream.Position = 0;
        var loaded = SavedModels.Load<PareCalibratorTransformer<LogisticRegressionModelParameters>>(stream);
        loaded.Threshold.Should().Be(transformer.Threshold);
        loaded.Certificate.Should().Be(transformer.Certificate);
        loaded.CalibrationF1.Should().Be(transformer.CalibrationF1);
        loaded.GeneratorName.Should().Be("linearStep");
        loaded.Model.Model.Weights.Should().Equal(Linear.Weights);
    }

    [Fact]
    public void Fit_BadData_ThrowsClearErrors()
    {
        var pare = new MLContext(1).Recourse().Calibration.Pare(Model(), new LinearStepGenerator(), Actions);

        var tooSmall = FluentActions.Invoking(() => pare.Fit(Draw(58, 1))).Should().Throw<CalibrationSetTooSmallException>().Which;
        tooSmall.MinimumCalibrationSize.Should().Be(59);
        tooSmall.Message.Should().Contain("at least 59 calibration rows").And.Contain("got 58");

        var features = Draw(100, 1).GetColumn<float[]>("Features").ToArray();
        features[12][0] = float.NaN;
        FluentActions.Invoking(() => pare.Fit(ToyData.View((features, new bool[100])))).Should().Throw<ArgumentOutOfRangeException>()
            .WithMessage("*Column 'Features' has a non-finite value (NaN) in row 12, slot 0*");

        var empty = new DataViewBuilder().AddVectorColumn("Features", 2, Array.Empty<float>()).AddColumn("Label", Array.Empty<bool>()).Build();
        FluentActions.Invoking(() => pare.Fit(empty)).Should().Throw<InvalidOperationException>().WithMessage("*calibration data is empty*");

        var noPositives = ToyData.View((Draw(100, 1).GetColumn<float[]>("Features").ToArray(), new bool[100]));
        FluentActions.Invoking(() => pare.Fit(noPositives)).Should().Throw<InvalidOperationException>().WithMessage("*no favourable (true) rows*");
    }

    [Theory]
    [InlineData(0.0, 0.05)]
    [InlineData(1.0, 0.05)]
    [InlineData(0.05, 0.0)]
    [InlineData(0.05, 1.5)]
    public void Pare_EpsilonOrDeltaOutsideTheOpenUnitInterval_Throws(double epsilon, double delta)
        => FluentActions.Invoking(() => new MLContext(1).Recourse().Calibration.Pare(Model(), new LinearStepGenerator(), Actions, epsilon: epsilon, delta: delta))
            .Should().Throw<ArgumentOutOfRangeException>().WithMessage("*strictly between 0 and 1*");

    [Fact]
    public void Pare_BadArguments_Throw()
    {
        var calibration = new MLContext(1).Recourse().Calibration;
        var generator = new LinearStepGenerator();
        FluentActions.Invoking(() => calibration.Pare(Model(), generator, Actions, new PareCalibratorOptions { NumberOfCandidateThresholds = 1 }))
            .Should().Throw<ArgumentOutOfRangeException>().WithParameterName("NumberOfCandidateThresholds");
        FluentActions.Invoking(() => calibration.Pare(Model(), generator, ActionSet.FromFeatures([.. Features, new FeatureInfo("extra")], 0.75)))
            .Should().Throw<ArgumentOutOfRangeException>().WithMessage("*3 features but the model takes 2*");
        FluentActions.Invoking(() => calibration.Pare(Model(threshold: 1), generator, Actions))
            .Should().Throw<ArgumentOutOfRangeException>().WithParameterName("model");
        FluentActions.Invoking(() => calibration.Pare(Model(), null!, Actions)).Should().Throw<ArgumentNullException>();
    }

    [Fact]
    public void Fit_ReferenceConvention_CertifiesAHigherBoundThanStandard()
    {
        var data = Draw(100, 9);
        var calibration = new MLContext(1).Recourse().Calibration;
        var standard = calibration.Pare(Model(), new LinearStepGenerator(), Actions).Fit(data);
        var reference = calibration.Pare(Model(), new LinearStepGenerator(), Actions, convention: ParameterConvention.ReferenceCode).Fit(data);
        standard.AllowedMisses.Should().Be(1);
        reference.AllowedMisses.Should().Be(8);
        reference.ThresholdUpperBound.Should().BeGreaterThan(standard.ThresholdUpperBound);
        reference.Certificate.GuaranteeConfidence.Should().BeApproximately(0.05, 1e-12);
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
