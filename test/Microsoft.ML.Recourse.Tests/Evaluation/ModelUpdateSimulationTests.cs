using Microsoft.ML.Recourse.ModelUpdates;
using Microsoft.ML;
using System.Collections.Concurrent;
using Microsoft.ML.Recourse.Calibration;
using Microsoft.ML.Recourse.Datasets;
using Microsoft.ML.Recourse.Models;
using Microsoft.ML.Recourse.Evaluation;
using Microsoft.ML.Recourse.Experiments;
using Microsoft.ML.Recourse.Tests.TestFramework;

namespace Microsoft.ML.Recourse.Tests.Evaluation;

public class ModelUpdateSimulationTests
{
    private static readonly ConcurrentDictionary<string, ModelUpdateResult> Runs = new();

    /// <summary>The comparison of the reproduction on one shift: gradient (the reference's 0.51 target) vs robust at a radius.</summary>
    private static ModelUpdateResult Run(string shiftName, double radius) => Runs.GetOrAdd($"{shiftName}@{radius}", _ =>
    {
        string name = shiftName;
        var ctx = new MLContext(seed: 1).Recourse();
        var shift = ctx.Datasets.LoadShift(name);
        var simulation = ctx.ModelUpdateSimulation(new ModelUpdateSimulation.Options { Seed = 1 });
        IRecourseGenerator[] generators =
        [
            ctx.Generators.GradientDescent(new GradientDescentGenerator.Options { TargetProbability = Upadhyay2021Experiment.GradientTargetProbability }),
            ctx.Generators.Robust(radius),
        ];
        return simulation.Run(shift, generators, Upadhyay2021Experiment.ObservedRangeActionSet(shift));
    });

    // δ_max = 0.1 is the reference's setting. With M1 and M2 fitted exactly, as the reference's scikit-learn fit, the
    // student shift gives +0.311 (docs/results/upadhyay2021/README.md); with Adam-trained models it gave +0.29.
    [ReferenceDataTheory]
    [InlineData("german-correction", 0.1)]
    [InlineData("sba-temporal", 0.1)]
    [InlineData("student-geospatial", 0.1)]
    public void Run_EachShift_RobustM2ValidityExceedsTheGradientBaselinesByAtLeast0Point3(string shift, double radius)
    {
        var result = Run(shift, radius);
        var gradient = result.Methods.Single(m => m.Method == "gradient");
        var robust = result.Methods.Single(m => m.Method == "robust");
        gradient.M1Validity.Should().BeGreaterThan(0.95);
        robust.M1Validity.Should().BeGreaterThan(0.95);
        (robust.M2Validity - gradient.M2Validity).Should().BeGreaterThanOrEqualTo(0.3,
            $"robust {robust.M2Validity:0.000} (cost {robust.Cost:0.00}) vs gradient {gradient.M2Validity:0.000} (cost {gradient.Cost:0.00})");
        robust.Folds.Should().HaveCount(ShiftDataset.FoldCount).And.OnlyContain(f => f.RecourseWeight != null);
        result.Folds.Should().OnlyContain(f => f.RowsNeedingRecourse > 0);
    }

    // scikit-learn's LogisticRegression() (C = 1, L-BFGS, tol 1e-10) on this data gives w = (1.364354, 0.532434,
    // −0.532433), b = 0.159139 (computed with scikit-learn 1.2.1 for this test). The last two columns are the two
    // indicators of one text variable, so w₂ + w₃ and b are tied: only the L2 penalty fixes them, and a fit that stops
    // early (Adam for 100 epochs) leaves them where its initial draw put them.
    private static readonly double[] FixtureX0 =
        [0.0, 0.3, -0.27, -0.89, -0.45, -0.99, 0.06, 1.34, -0.49, -0.62, 0.49, 0.36, 0.11, -0.93, -0.03, 0.7, -1.34, -0.46, -1.9, -1.29, -1.84, -0.24, -1.27, 0.27];
    private static readonly int[] FixtureGroup = [0, 0, 0, 1, 1, 0, 1, 1, 1, 1, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 1, 1, 1, 0];
    private static readonly int[] FixtureLabels = [0, 0, 1, 0, 0, 0, 1, 1, 1, 1, 0, 1, 0, 0, 1, 1, 0, 0, 0, 0, 0, 1, 0, 1];

    [Fact]
    public void TrainModel_Logistic_IsScikitLearnsOptimumWhateverTheSeed()
    {
        int n = FixtureX0.Length;
        var features = new float[n * 3];
        for (int i = 0; i < n; i++)
        {
            features[i * 3] = (float)FixtureX0[i];
            features[i * 3 + 1] = FixtureGroup[i];
            features[i * 3 + 2] = 1 - FixtureGroup[i];
        }
        var view = new DataViewBuilder().AddVectorColumn("Features", 3, features).AddColumn("Label", FixtureLabels.Select(y => y == 1).ToArray()).Build();
        var simulation = new MLContext(seed: 1).Recourse().ModelUpdateSimulation(new ModelUpdateSimulation.Options { Seed = 1 });
        foreach (int seed in new[] { 1, 2 })
        {
            var model = (LogisticRegressionModelParameters)simulation.TrainModel(view, seed);
            model.Weights.Should().Equal([1.364354, 0.532434, -0.532433], (a, e) => Math.Abs(a - e) < 1e-5);
            model.Bias.Should().BeApproximately(0.159139, 1e-5);
        }
    }

    [Fact]
    public void Evaluate_CountsRowsWithoutActionAsInvalid()
    {
        var accept = new LogisticRegressionModelParameters([1.0], 0);
        var reject = new LogisticRegressionModelParameters([-1.0], 0);
        RecourseResult[] results =
        [
            new([1.0], [2.0], 1, 0.3, 0.9, true, RecourseStatus.Found),
            new(null, null, double.NaN, 0.3, double.NaN, false, RecourseStatus.Infeasible),
        ];
        var validity = ModelUpdateSimulation.Evaluate(accept, reject, 0.5, results);
        validity.Rows.Should().Be(2);
        validity.RowsWithAction.Should().Be(1);
        validity.M1Validity.Should().Be(0.5);
        validity.M2Validity.Should().Be(0);
        validity.InvalidationRate.Should().Be(1);
        validity.MeanCost.Should().Be(1);
    }

    [Fact]
    public void Evaluate_ModelsWithDifferentFeatureSets_Throws()
    {
        var m1 = new LogisticRegressionModelParameters([1.0, 2.0], 0);
        var m2 = new LogisticRegressionModelParameters([1.0, 2.0, 3.0], 0);
        var act = () => ModelUpdateSimulation.Evaluate(m1, m2, 0.5, []);
        act.Should().Throw<ArgumentOutOfRangeException>().WithMessage("*M1 takes 2 features but M2 takes 3*one feature set*");
    }

    [ReferenceDataFact]
    public void Run_DuplicateGeneratorNamesOrWrongActionSet_Throws()
    {
        var ctx = new MLContext(seed: 1).Recourse();
        var shift = ctx.Datasets.GermanCorrection();
        var simulation = ctx.ModelUpdateSimulation();
        var twice = () => simulation.Run(shift, [ctx.Generators.Robust(), ctx.Generators.Robust(0.2)]);
        twice.Should().Throw<ArgumentOutOfRangeException>().WithMessage("*distinct*robust, robust*");
        var other = ctx.Datasets.StudentGeospatial();
        var wrong = () => simulation.Run(shift, [ctx.Generators.Robust()], other.CreateActionSet());
        wrong.Should().Throw<ArgumentOutOfRangeException>().WithMessage("*54 features*7*");
    }

    [ReferenceDataFact]
    public void CertifyInvalidation_GermanCorrection_CertifiesBySmallestRadiusWithFixedSequenceTesting()
    {
        var ctx = new MLContext(seed: 1).Recourse();
        var shift = ctx.Datasets.GermanCorrection();
        var simulation = ctx.ModelUpdateSimulation(new ModelUpdateSimulation.Options { Seed = 3, NumberOfEpochs = 30 });
        double[] radii = [0, 0.1, 0.2];
        var certificate = simulation.CertifyInvalidation(shift, 0, ctx.Generators.Robust(), radii, epsilon: 0.3, delta: 0.1, retrains: 60,
            Upadhyay2021Experiment.ObservedRangeActionSet(shift));
        int allowed = PacThreshold.AllowedMisses(60, 0.3, 0.1)!.Value;
        certificate.AllowedMisses.Should().Be(allowed);
        certificate.Radii.Select(r => r.RobustnessRadius).Should().BeInAscendingOrder();
        certificate.Radii.Should().OnlyContain(r => r.IsCertified == (r.Misses <= allowed));
        // Tested from the largest down, stopping at the first failure: the listed radii are a top segment of the grid,
        // all certified except possibly the smallest, and the answer is the smallest certified one.
        certificate.Radii[^1].RobustnessRadius.Should().Be(0.2);
        certificate.Radii.Skip(1).All(r => r.IsCertified).Should().BeTrue();
        certificate.CertifiedRadius.Should().Be(certificate.Radii.FirstOrDefault(r => r.IsCertified)?.RobustnessRadius);
        certificate.CertifiedRadius.Should().NotBeNull("robust recourse at δ_max = 0.2 survives German retrains (docs/results/upadhyay2021)");
        certificate.Rows.Should().BeGreaterThan(0);
    }

    [ReferenceDataFact]
    public void CertifyInvalidation_TooFewRetrainsOrBadRadius_Throws()
    {
        var ctx = new MLContext(seed: 1).Recourse();
        var shift = ctx.Datasets.GermanCorrection();
        var simulation = ctx.ModelUpdateSimulation();
        var few = () => simulation.CertifyInvalidation(shift, 0, ctx.Generators.Robust(), [0.1], 0.05, 0.05, retrains: 58);
        few.Should().Throw<ArgumentOutOfRangeException>().WithMessage("*at least 59 retrains*58*");
        var negative = () => simulation.CertifyInvalidation(shift, 0, ctx.Generators.Robust(), [-0.1], 0.05, 0.05, retrains: 100);
        negative.Should().Throw<ArgumentOutOfRangeException>().WithMessage("*δ_max*≥ 0*");
    }
}
