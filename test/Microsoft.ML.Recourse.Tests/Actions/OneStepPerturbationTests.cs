using Microsoft.ML.Recourse.Actions;
using Microsoft.ML.Data;
using Microsoft.ML.Recourse.Models;
using Microsoft.ML.Recourse.Optimization;

namespace Microsoft.ML.Recourse.Tests.Recourse;

public class OneStepPerturbationTests
{
    private static double Dot(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        double s = 0;
        for (int j = 0; j < a.Length; j++) s += a[j] * b[j];
        return s;
    }

    // Whether some coordinate of the box can move in the direction of sign·∂g/∂xⱼ.
    private static bool CanMove(PerturbationPolytope polytope, ReadOnlySpan<double> gradient, double sign)
    {
        for (int j = 0; j < gradient.Length; j++)
        {
            double wanted = sign * gradient[j];
            if ((wanted > 0 && polytope.Upper[j] > 0) || (wanted < 0 && polytope.Lower[j] < 0)) return true;
        }
        return false;
    }

    [Theory]
    [InlineData(PerturbationDirection.Recourse, 1)]
    [InlineData(PerturbationDirection.ReferenceCode, -1)]
    public void MinimizeBatch_Direction_RaisesOrLowersGToFirstOrder(PerturbationDirection direction, double sign)
    {
        var random = new Random(11);
        int strict = 0;
        for (int instance = 0; instance < 300; instance++)
        {
            var set = OneStepTestData.ActionSet(random, oneHot: false, linearRows: false);
            var model = OneStepTestData.Model(random, set.FeatureCount);
            var rows = OneStepTestData.Rows(random, set, 10);
            var gradients = OneStepTestData.Gradients(model, rows);
            var deltas = new double[rows.Length];
            var statuses = new LinearProgramStatus[10];
            new OneStepPerturbation(set, direction).MinimizeBatch(rows, gradients, deltas, statuses);
            int d = set.FeatureCount;
            for (int r = 0; r < 10; r++)
            {
                statuses[r].Should().Be(LinearProgramStatus.Optimal);
                var gradient = gradients.AsSpan(r * d, d);
                double change = sign * Dot(gradient, deltas.AsSpan(r * d, d));
                change.Should().BeGreaterThanOrEqualTo(0, "the step never moves g against its direction to first order");
                if (CanMove(set.Compile(rows.AsSpan(r * d, d)), gradient, sign))
                {
                    change.Should().BeGreaterThan(0, "an actionable coordinate can move g in the step's direction");
                    strict++;
                }
            }
        }
        strict.Should().BeGreaterThan(1000, "most random rows have a coordinate that can move");
    }

    [Fact]
    public void MinimizeBatch_OneHotGroups_RaiseGToFirstOrderWithRecourse()
    {
        var random = new Random(12);
        for (int instance = 0; instance < 200; instance++)
        {
            var set = OneStepTestData.ActionSet(random, oneHot: true, linearRows: false);
            var model = OneStepTestData.Model(random, set.FeatureCount);
            var rows = OneStepTestData.Rows(random, set, 5);
            var gradients = OneStepTestData.Gradients(model, rows);
            var deltas = new double[rows.Length];
            new OneStepPerturbation(set, PerturbationDirection.Recourse).MinimizeBatch(rows, gradients, deltas, new LinearProgramStatus[5]);
            for (int r = 0; r < 5; r++)
                Dot(gradients.AsSpan(r * set.FeatureCount, set.FeatureCount), deltas.AsSpan(r * set.FeatureCount, set.FeatureCount)).Should().BeGreaterThanOrEqualTo(0);
        }
    }

    [Fact]
    public void MinimizeBatch_SeparableFastPath_EqualsActionSetMinimizeBitForBit()
    {
        var random = new Random(13);
        int compared = 0;
        for (int instance = 0; instance < 400; instance++)
        {
            var set = OneStepTestData.ActionSet(random, oneHot: false, linearRows: false);
            set.IsSeparable.Should().BeTrue();
            var direction = random.Next(2) == 0 ? PerturbationDirection.Recourse : PerturbationDirection.ReferenceCode;
            var perturbation = new OneStepPerturbation(set, direction);
            var model = OneStepTestData.Model(random, set.FeatureCount);
            var rows = OneStepTestData.Rows(random, set, 8);
            var gradients = OneStepTestData.Gradients(model, rows);
            var deltas = new double[rows.Length];
            var statuses = new LinearProgramStatus[8];
            perturbation.MinimizeBatch(rows, gradients, deltas, statuses);
            int d = set.FeatureCount;
            for (int r = 0; r < 8; r++)
            {
                var objective = gradients.AsSpan(r * d, d).ToArray().Select(g => direction == PerturbationDirection.Recourse ? -g : g).ToArray();
                var general = set.Minimize(rows.AsSpan(r * d, d), objective);
                statuses[r].Should().Be(general.Status);
                deltas.AsSpan(r * d, d).ToArray().Should().Equal(general.Delta, "the fast path is the closed form of ActionSet.Minimize");
                compared++;
            }
        }
        compared.Should().Be(3200);
    }

    [Fact]
    public void MinimizeBatch_ZeroGradientCoordinates_StayZero()
    {
        var features = Enumerable.Range(0, 4).Select(j => new FeatureInfo($"f{j}", Actionability: FeatureActionability.Free)).ToArray();
        var set = ActionSet.FromFeatures(features, 0.75);
        var model = new LogisticRegressionModelParameters([0, 1.5, 0, -2], 0.1);
        double[] rows = [0.1, 0.2, 0.3, 0.4, -1, 0, 1, 2];
        var deltas = new double[8];
        var statuses = new LinearProgramStatus[2];
        new OneStepPerturbation(set, PerturbationDirection.Recourse).MinimizeBatch(rows, OneStepTestData.Gradients(model, rows), deltas, statuses);
        statuses.Should().OnlyContain(s => s == LinearProgramStatus.Optimal);
        deltas.Should().Equal(0, 0.75, 0, -0.75, 0, 0.75, 0, -0.75);
    }

    [Fact]
    public void MinimizeBatch_UnlimitedFeature_ReportsUnboundedWithZeroDelta()
    {
        var features = new[] { new FeatureInfo("a", Actionability: FeatureActionability.Free), new FeatureInfo("b", Actionability: FeatureActionability.Free) };
        var set = ActionSet.CreateBuilder(features, 0.75).SetMaximumChange("b", double.PositiveInfinity).Build();
        var deltas = new double[2];
        var statuses = new LinearProgramStatus[1];
        new OneStepPerturbation(set, PerturbationDirection.Recourse).MinimizeBatch([0, 0], [1, 1], deltas, statuses);
        statuses[0].Should().Be(LinearProgramStatus.Unbounded);
        deltas.Should().Equal(0, 0);
    }

    [Fact]
    public void MinimizeBatch_NonFiniteRow_ThrowsNamingTheFeature()
    {
        var set = ActionSet.FromFeatures([new FeatureInfo("income", Actionability: FeatureActionability.Free)], 0.75);
        var act = () => new OneStepPerturbation(set, PerturbationDirection.Recourse).MinimizeBatch([double.NaN], [1], new double[1], new LinearProgramStatus[1]);
        act.Should().Throw<ArgumentOutOfRangeException>().WithMessage("*income*not finite*");
    }
}
