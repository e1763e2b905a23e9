using Microsoft.ML.Recourse.Actions;
using Microsoft.ML.Data;
using Microsoft.ML.Recourse.Models;

namespace Microsoft.ML.Recourse.Tests.Recourse;

public class RobustGeneratorTests
{
    private static readonly RecourseCatalog Context = new MLContext(seed: 7).Recourse();

    private static FeatureInfo[] Free(int d) => Enumerable.Range(0, d).Select(j => new FeatureInfo("f" + j, Actionability: FeatureActionability.Free)).ToArray();

    private static double Softplus(double z) => z > 0 ? z + Math.Log(1 + Math.Exp(-z)) : Math.Log(1 + Math.Exp(z));

    /// <summary>ROAR's objective at threshold 0.5: BCE of the worst-case model plus λ·L1 cost.</summary>
    private static double Objective(double[] w, double b, double[] x, double[] delta, double radius, double lambda, ActionSet actions)
    {
        var xp = x.Select((v, j) => v + delta[j]).ToArray();
        return Softplus(-RobustLogisticSolver.WorstCaseLogit(w, b, xp, radius)) + lambda * actions.Cost(delta);
    }

    private static (double[] W, double B, double[] X) RandomProblem(Random random, int d)
    {
        var w = Enumerable.Range(0, d).Select(_ => random.NextDouble() * 3 - 1.5).ToArray();
        var x = Enumerable.Range(0, d).Select(_ => random.NextDouble() * 3 - 1.5).ToArray();
        return (w, random.NextDouble() * 2 - 2, x);
    }

    [Fact]
    public void Generate_LogisticModel_MatchesBruteForceMinimumOnAGrid()
    {
        var random = new Random(11);
        for (int trial = 0; trial < 40; trial++)
        {
            const int d = 3;
            var (w, b, x) = RandomProblem(random, d);
            var features = Free(d);
            features[2] = features[2] with { Actionability = trial % 2 == 0 ? FeatureActionability.IncreaseOnly : FeatureActionability.DecreaseOnly };
            var actions = ActionSet.CreateBuilder(features, 1.2).SetCostWeight("f1", 0.5 + trial % 3).Build();
            double radius = new[] { 0, 0.1, 0.3, 0.6 }[trial % 4], lambda = new[] { 0.05, 0.2, 0.7 }[trial % 3];
            var model = new LogisticRegressionModelParameters(w, b);
            var result = Context.Generators.Robust(radius, lambda).Generate(model, 0.5, actions, x).Single();
            result.Status.Should().Be(RecourseStatus.Found);
            double best = Objective(w, b, x, result.Delta!.ToArray(), radius, lambda, actions);

            var box = actions.Compile(x);
            const int steps = 48;
            double gridBest = double.PositiveInfinity;
            var delta = new double[d];
            for (int i = 0; i <= steps; i++)
            for (int j = 0; j <= steps; j++)
            for (int k = 0; k <= steps; k++)
            {
                delta[0] = box.Lower[0] + (box.Upper[0] - box.Lower[0]) * i / steps;
                delta[1] = box.Lower[1] + (box.Upper[1] - box.Lower[1]) * j / steps;
                delta[2] = box.Lower[2] + (box.Upper[2] - box.Lower[2]) * k / steps;
                gridBest = Math.Min(gridBest, Objective(w, b, x, delta, radius, lambda, actions));
            }
            best.Should().BeLessThanOrEqualTo(gridBest + 1e-12, $"trial {trial}");
        }
    }

    [Fact]
    public void Generate_LogisticModel_NoPerturbationOfTheOptimumImprovesTheObjective()
    {
        var random = new Random(5);
        for (int trial = 0; trial < 200; trial++)
        {
            int d = 2 + trial % 6;
            var (w, b, x) = RandomProblem(random, d);
            var actions = ActionSet.FromFeatures(Free(d), trial % 2 == 0 ? double.PositiveInfinity : 0.8);
            double radius = random.NextDouble() * 0.5, lambda = 0.05 + random.NextDouble();
            var model = new LogisticRegressionModelParameters(w, b);
            var delta = Context.Generators.Robust(radius, lambda).Generate(model, 0.5, actions, x).Single().Delta!.ToArray();
            double best = Objective(w, b, x, delta, radius, lambda, actions);
            var box = actions.Compile(x);
            for (int probe = 0; probe < 50; probe++)
            {
                var other = delta.Select((v, j) => Math.Clamp(v + (random.NextDouble() - 0.5) * 0.2, box.Lower[j], box.Upper[j])).ToArray();
                Objective(w, b, x, other, radius, lambda, actions).Should().BeGreaterThanOrEqualTo(best - 1e-12);
            }
        }
    }

    [Fact]
    public void Generate_RobustlyValidRecourse_StaysValidUnderEveryShiftInTheBoxAndTheWorstCornerAttainsTheBound()
    {
        var random = new Random(3);
        int robust = 0;
        for (int trial = 0; trial < 100; trial++)
        {
            int d = 4;
            var (w, b, x) = RandomProblem(random, d);
            const double radius = 0.2;
            var model = new LogisticRegressionModelParameters(w, b);
            var result = Context.Generators.Robust(radius, 0.02).Generate(model, 0.5, ActionSet.FromFeatures(Free(d), 3), x).Single();
            var xp = result.Counterfactual!.ToArray();
            double worst = RobustLogisticSolver.WorstCaseLogit(w, b, xp, radius);
            // The corner Δw = −δ_max·sign(x′), Δb = −δ_max attains the worst-case logit ...
            double corner = b - radius + xp.Select((v, j) => (w[j] - radius * Math.Sign(v)) * v).Sum();
            corner.Should().BeApproximately(worst, 1e-12);
            if (worst < 0) continue;
            robust++;
            result.Message.Should().BeNull();
            // ... and no other shift in the box goes below it.
            for (int s = 0; s < 200; s++)
            {
                var shifted = new LogisticRegressionModelParameters(w.Select(v => v + (random.NextDouble() * 2 - 1) * radius).ToArray(), b + (random.NextDouble() * 2 - 1) * radius);
                shifted.ScoreLogit(xp).Should().BeGreaterThanOrEqualTo(worst - 1e-12);
                shifted.Score(xp).Should().BeGreaterThanOrEqualTo(0.5);
            }
        }
        robust.Should().BeGreaterThan(80);
    }

    [Fact]
    public void Generate_LargerRadius_RaisesTheWorstCaseLogitAndTheCost()
    {
        var random = new Random(9);
        var (w, b, x) = RandomProblem(random, 5);
        var model = new LogisticRegressionModelParameters(w, b);
        var actions = ActionSet.FromFeatures(Free(5), double.PositiveInfinity);
        double previousCost = -1;
        foreach (double radius in new[] { 0.0, 0.1, 0.2, 0.4 })
        {
            var r = Context.Generators.Robust(radius, 0.1).Generate(model, 0.5, actions, x).Single();
            r.IsValid.Should().BeTrue();
            r.Cost.Should().BeGreaterThanOrEqualTo(previousCost - 1e-12);
            previousCost = r.Cost;
        }
    }

    [Fact]
    public void Generate_ThousandsOfRandomRows_EveryDeltaLiesInTheActionSet()
    {
        var random = new Random(1);
        const int d = 6, rows = 10_000;
        var features = Free(d);
        features[0] = features[0] with { Actionability = FeatureActionability.Immutable };
        features[1] = features[1] with { Actionability = FeatureActionability.IncreaseOnly };
        features[2] = features[2] with { Actionability = FeatureActionability.DecreaseOnly };
        var actions = ActionSet.CreateBuilder(features, 0.75).SetBounds("f3", -1, 1).Build();
        var (w, b, _) = RandomProblem(random, d);
        var x = Enumerable.Range(0, rows * d).Select(i => i % d == 3 ? random.NextDouble() * 2 - 1 : random.NextDouble() * 4 - 2).ToArray();
        var results = Context.Generators.Robust(0.3, 0.1).Generate(new LogisticRegressionModelParameters(w, b), 0.5, actions, x);
        results.Should().HaveCount(rows);
        for (int i = 0; i < rows; i++)
        {
            results[i].Delta.Should().NotBeNull();
            actions.Contains(x.AsSpan(i * d, d), results[i].Delta!.ToArray()).Should().BeTrue();
            results[i].Delta![0].Should().Be(0);
        }
    }

    [Fact]
    public void Generate_DifferentiableScorer_LinearisesTheLogitAndMatchesTheExactPathOnALogisticModel()
    {
        var random = new Random(4);
        var (w, b, _) = RandomProblem(random, 4);
        var x = Enumerable.Range(0, 40).Select(_ => random.NextDouble() * 2 - 1).ToArray();
        var logistic = new LogisticRegressionModelParameters(w, b);
        var actions = ActionSet.FromFeatures(Free(4), 2);
        var generator = Context.Generators.Robust(0.2, 0.1);
        var exact = generator.Generate(logistic, 0.5, actions, x);
        var surrogate = generator.Generate(new Opaque(logistic), 0.5, actions, x);
        for (int i = 0; i < exact.Count; i++)
            surrogate[i].Delta.Should().BeEquivalentTo(exact[i].Delta, o => o.Using<double>(c => c.Subject.Should().BeApproximately(c.Expectation, 1e-7)).WhenTypeIs<double>());
    }

    [Fact]
    public void Generate_Threshold_ShiftsTheTargetLogit()
    {
        var model = new LogisticRegressionModelParameters([1.0], -2);
        var actions = ActionSet.FromFeatures(Free(1), double.PositiveInfinity);
        double[] x = [0.5];
        var low = Context.Generators.Robust(0.1, 0.1).Generate(model, 0.5, actions, x).Single();
        var high = Context.Generators.Robust(0.1, 0.1).Generate(model, 0.8, actions, x).Single();
        high.Delta![0].Should().BeApproximately(low.Delta![0] + Math.Log(4) / 0.9, 1e-9);
        high.IsValid.Should().BeTrue();
    }

    [Fact]
    public void SelectRecourseWeight_StopsBeforeTheFirstDropInValidity()
    {
        var random = new Random(8);
        var (w, b, _) = RandomProblem(random, 3);
        var model = new LogisticRegressionModelParameters(w, b);
        var rows = Enumerable.Range(0, 300).Select(_ => random.NextDouble() * 4 - 2).ToArray();
        var actions = ActionSet.FromFeatures(Free(3), 1);
        var selection = Context.Generators.Robust(0.1).SelectRecourseWeight(model, 0.5, actions, rows);
        selection.Candidates.Should().Contain(selection.RecourseWeight);
        selection.Generator.RecourseWeight.Should().Be(selection.RecourseWeight);
        int chosen = selection.Candidates.ToList().IndexOf(selection.RecourseWeight);
        for (int i = 1; i <= chosen; i++) selection.Validity[i].Should().BeGreaterThanOrEqualTo(selection.Validity[i - 1]);
        if (selection.Validity.Count > chosen + 1) selection.Validity[chosen + 1].Should().BeLessThan(selection.Validity[chosen]);
    }

    [Fact]
    public void Robust_NegativeRadius_Throws()
    {
        var act = () => Context.Generators.Robust(robustnessRadius: -0.1);
        act.Should().Throw<ArgumentOutOfRangeException>().WithMessage("*δ_max*≥ 0*-0.1*");
        var options = () => Context.Generators.Robust(new RobustGenerator.Options { RobustnessRadius = -1 });
        options.Should().Throw<ArgumentOutOfRangeException>().WithMessage("*RobustnessRadius*");
        var weight = () => Context.Generators.Robust(0.1, recourseWeight: 0);
        weight.Should().Throw<ArgumentOutOfRangeException>().WithMessage("*λ*> 0*");
    }

    [Fact]
    public void Generate_BlackBoxOrConstrainedActionSet_Throws()
    {
        var model = new LogisticRegressionModelParameters([1.0, 1.0, 1.0], 0);
        var features = Free(3);
        var generator = Context.Generators.Robust();
        var blackBox = () => generator.Generate(new BlackBox(model), 0.5, ActionSet.FromFeatures(features, 1), new double[3]);
        blackBox.Should().Throw<ArgumentOutOfRangeException>().WithMessage($"*{nameof(IDifferentiableScorer)}*");
        var grouped = ActionSet.CreateBuilder(features, 1).AddOneHotGroup("g", ["f1", "f2"]).Build();
        var group = () => generator.Generate(model, 0.5, grouped, new double[] { 0, 1, 0 });
        group.Should().Throw<ArgumentOutOfRangeException>().WithMessage("*one-hot group 'g'*RobustIntegerProgram*");
        var constrained = ActionSet.CreateBuilder(features, 1).AddLinearConstraint("sum", new Dictionary<string, double> { ["f0"] = 1, ["f1"] = 1 }).Build();
        var constraint = () => generator.Generate(model, 0.5, constrained, new double[3]);
        constraint.Should().Throw<ArgumentOutOfRangeException>().WithMessage("*general constraint*'sum'*");
        var shape = () => generator.Generate(model, 0.5, ActionSet.FromFeatures(Free(2), 1), new double[2]);
        shape.Should().Throw<ArgumentOutOfRangeException>().WithMessage("*2 features*3*");
        var nan = () => generator.Generate(model, 0.5, ActionSet.FromFeatures(features, 1), new double[] { 0, double.NaN, 0 });
        nan.Should().Throw<ArgumentOutOfRangeException>().WithMessage("*'f1' of row 0*");
    }

    /// <summary>A logistic model seen only through the differentiable-scorer interface.</summary>
    private sealed class Opaque(LogisticRegressionModelParameters inner) : IDifferentiableScorer
    {
        public int FeatureCount => inner.FeatureCount;

        public double Score(ReadOnlySpan<double> features) => inner.Score(features);

        public void ScoreBatch(ReadOnlySpan<double> features, Span<double> scores) => inner.ScoreBatch(features, scores);

        public void ScoreAndInputGradientBatch(ReadOnlySpan<double> features, Span<double> scores, Span<double> inputGradients)
            => inner.ScoreAndInputGradientBatch(features, scores, inputGradients);
    }

    private sealed class BlackBox(IScorer inner) : IScorer
    {
        public int FeatureCount => inner.FeatureCount;

        public double Score(ReadOnlySpan<double> features) => inner.Score(features);

        public void ScoreBatch(ReadOnlySpan<double> features, Span<double> scores) => inner.ScoreBatch(features, scores);
    }
}
