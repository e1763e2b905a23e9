using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Recourse.Actions;
using Microsoft.ML.Recourse.Models;
using Microsoft.ML.Recourse.Tests.Models;
using Microsoft.ML.Recourse.Tests.TestFramework;
using Xunit.Abstractions;

namespace Microsoft.ML.Recourse.Tests.Recourse;

/// <summary>
/// <see cref="KernelPrecision.Single"/> against <see cref="KernelPrecision.Double"/> (the default, itself checked against the
/// per-row path by <see cref="OneStepBatchedPathTests"/>), with the tolerance the option documents: scores within 1e-5;
/// δ* equal except coordinates whose double-precision |∂g/∂xⱼ| is below 1e-5 of the row's largest |∂g/∂xₖ| (the float sign
/// may differ there); cost and counterfactual then equal as doubles; the verdict equal except where g(x + δ*) lies within
/// 1e-5 of θ₀. The single path must not depend on the number of threads.
/// </summary>
public class OneStepSinglePrecisionTests(ITestOutputHelper output)
{
    private const double ScoreTolerance = 1e-5;
    private const double RelativeGradientTolerance = 1e-5;

    private static RecourseGenerators Generators => new MLContext(1).Recourse().Generators;

    // Returns (rows compared, rows whose δ* differs, rows whose verdict differs).
    private (int Rows, int DeltaRows, int VerdictRows) Compare(ScorerModelParameters model, ActionSet set, double[] rows, PerturbationDirection direction, string context)
    {
        int d = set.FeatureCount, count = rows.Length / d;
        var scores = new double[count];
        var gradients = new double[rows.Length];
        model.ScoreAndInputGradientBatch(rows, scores, gradients);
        double threshold = Math.Clamp(scores.Order().ElementAt(count / 2), 0.05, 0.95);
        var reference = Generators.OneStep(new OneStepGenerator.Options { Direction = direction, NumberOfThreads = 1 }).Generate(model, threshold, set, rows);
        var single = Generators.OneStep(new OneStepGenerator.Options { Direction = direction, NumberOfThreads = 1, Precision = KernelPrecision.Single })
            .Generate(model, threshold, set, rows);
        var singleTwoThreads = Generators.OneStep(new OneStepGenerator.Options { Direction = direction, NumberOfThreads = 2, Precision = KernelPrecision.Single })
            .Generate(model, threshold, set, rows);
        int deltaRows = 0, verdictRows = 0;
        double largestScoreDifference = 0;
        for (int r = 0; r < count; r++)
        {
            string because = $"{context}, row {r}";
            var (expected, actual) = (reference[r], single[r]);
            singleTwoThreads[r].Should().BeEquivalentTo(actual, because + " (1 and 2 threads)");
            Math.Abs(actual.ScoreBefore - expected.ScoreBefore).Should().BeLessThanOrEqualTo(ScoreTolerance, because);
            largestScoreDifference = Math.Max(largestScoreDifference, Math.Abs(actual.ScoreBefore - expected.ScoreBefore));
            var gradient = gradients.AsSpan(r * d, d);
            double largest = 0;
            foreach (double g in gradient) largest = Math.Max(largest, Math.Abs(g));
            bool deltaDiffers = (expected.Delta is null) != (actual.Delta is null);
            for (int j = 0; j < d && expected.Delta is not null && actual.Delta is not null; j++)
            {
                if (expected.Delta[j] == actual.Delta[j]) continue;
                deltaDiffers = true;
                Math.Abs(gradient[j]).Should().BeLessThanOrEqualTo(RelativeGradientTolerance * largest, $"{because}, feature {j}: δ* may differ only where ∂g/∂xⱼ ≈ 0");
            }
            if (deltaDiffers)
            {
                deltaRows++;
                // A missing step (unbounded side, rejected grid point) must come from a near-zero gradient coordinate too.
                if ((expected.Delta is null) != (actual.Delta is null))
                    gradient.ToArray().Min(Math.Abs).Should().BeLessThanOrEqualTo(RelativeGradientTolerance * largest, because);
                if (expected.IsValid != actual.IsValid) verdictRows++;
                continue;
            }
            if (expected.Delta is null)
            {
                actual.Status.Should().Be(expected.Status, because);
                continue;
            }
            actual.Counterfactual.Should().Equal(expected.Counterfactual, because);
            actual.Cost.Should().Be(expected.Cost, because);
            Math.Abs(actual.ScoreAfter - expected.ScoreAfter).Should().BeLessThanOrEqualTo(ScoreTolerance, because);
            largestScoreDifference = Math.Max(largestScoreDifference, Math.Abs(actual.ScoreAfter - expected.ScoreAfter));
            if (actual.IsValid != expected.IsValid)
            {
                verdictRows++;
                Math.Abs(expected.ScoreAfter - threshold).Should().BeLessThanOrEqualTo(ScoreTolerance, because + ": a verdict may differ only next to θ₀");
            }
        }
        output.WriteLine(FormattableString.Invariant(
            $"{context}: {count} rows; δ* differs in {deltaRows}, the verdict in {verdictRows}; largest |score difference| {largestScoreDifference:G3}"));
        return (count, deltaRows, verdictRows);
    }

    // The benchmark's network shape, a narrow one and logistic regression (no hidden layer) over random separable action
    // sets (boxes, bounds, grids), ReLU and tanh.
    [Fact]
    public void Generate_Single_MatchesDoubleWithinTheDocumentedTolerance()
    {
        var random = new Random(31);
        int rows = 0, deltaRows = 0;
        for (int instance = 0; instance < 7; instance++)
        {
            var set = OneStepTestData.ActionSet(random, oneHot: false, linearRows: false);
            var activation = instance % 3 == 2 ? Activation.Tanh : Activation.Relu;
            var model = ScorerModelParametersTests.RandomModel(set.FeatureCount, instance switch { 4 => [7], 6 => [], _ => [100, 100] }, activation, seed: 100 + instance);
            var direction = instance % 2 == 1 ? PerturbationDirection.ReferenceCode : PerturbationDirection.Recourse;
            var result = Compare(model, set, OneStepTestData.Rows(random, set, 1100), direction, $"instance {instance} ({activation})");
            rows += result.Rows;
            deltaRows += result.DeltaRows;
        }
        deltaRows.Should().BeLessThan(rows / 100, "δ* differs only in the rare rows with a gradient coordinate near 0");
    }

    // Adult's rows and box action set (the benchmark's workload) with a network of the benchmark's shape.
    [ReferenceDataFact]
    public void Generate_SingleOnAdultRows_MatchesDoubleWithinTheDocumentedTolerance()
    {
        var adult = new MLContext(0).Recourse().Datasets.Adult(splitSeed: 0);
        var set = ActionSet.FromFeatures(adult.Features, adult.MaximumChange);
        var rows = adult.TrainSet.GetColumn<float[]>(DefaultColumnNames.Features).SelectMany(r => r.Select(v => (double)v)).ToArray();
        var model = ScorerModelParametersTests.RandomModel(set.FeatureCount, [100, 100], Activation.Relu, seed: 22, scale: 1);
        var result = Compare(model, set, rows, PerturbationDirection.Recourse, "adult");
        result.DeltaRows.Should().BeLessThan(result.Rows / 1000);
    }

    // Values beyond float's range would become infinite in the float kernels: refused with the way out, while Double runs.
    [Fact]
    public void Generate_Single_RefusesValuesOutsideFloatRange()
    {
        var set = OneStepTestData.ActionSet(new Random(5), oneHot: false, linearRows: false);
        int d = set.FeatureCount;
        var model = ScorerModelParametersTests.RandomModel(d, [6], Activation.Relu, seed: 9);
        var rows = OneStepTestData.Rows(new Random(6), set, 4);
        var single = Generators.OneStep(new OneStepGenerator.Options { Precision = KernelPrecision.Single });
        var wideRows = (double[])rows.Clone();
        wideRows[2 * d + 1] = 1e39;
        FluentActions.Invoking(() => single.Generate(model, 0.5, set, wideRows)).Should().Throw<ArgumentOutOfRangeException>()
            .WithMessage($"Feature '{set.Features[1].Name}' of row 2 is outside float's range (1E+39); use KernelPrecision.Double.*");
        Generators.OneStep().Generate(model, 0.5, set, wideRows).Should().HaveCount(4);

        var parameters = model.Parameters.ToArray();
        parameters[3] = -1e39;
        var wideModel = new MultilayerPerceptronModelParameters(model.Network, parameters);
        FluentActions.Invoking(() => single.Generate(wideModel, 0.5, set, rows)).Should().Throw<ArgumentOutOfRangeException>()
            .WithMessage("Parameter 3 of the network (-1E+39) is outside float's range; use KernelPrecision.Double.*");
        Generators.OneStep().Generate(wideModel, 0.5, set, rows).Should().HaveCount(4);
    }

    [Fact]
    public void Options_Precision_DefaultsToDoubleAndIsSavedWithTheGenerator()
    {
        new OneStepGenerator.Options().Precision.Should().Be(KernelPrecision.Double);
        Generators.OneStep().Precision.Should().Be(KernelPrecision.Double);
        var generator = Generators.OneStep(new OneStepGenerator.Options { Precision = KernelPrecision.Single });
        generator.Precision.Should().Be(KernelPrecision.Single);
        var loaded = (OneStepGenerator)OneStepGenerator.Load(((Persistence.IPersistedGenerator)generator).Save()["data"]!.AsObject(), 1, null!);
        loaded.Precision.Should().Be(KernelPrecision.Single);
        FluentActions.Invoking(() => Generators.OneStep(new OneStepGenerator.Options { Precision = (KernelPrecision)7 }))
            .Should().Throw<ArgumentOutOfRangeException>();
    }
}
