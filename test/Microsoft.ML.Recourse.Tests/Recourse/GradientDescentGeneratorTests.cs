using Microsoft.ML;
using FluentAssertions;
using Microsoft.ML.Recourse.Actions;
using Microsoft.ML.Data;
using Microsoft.ML.Recourse.Models;
using Microsoft.ML.Recourse.Tests.TestFramework;

namespace Microsoft.ML.Recourse.Tests.Recourse;

public class GradientDescentGeneratorTests
{
    private static readonly FeatureActionability[] AllActionabilities = Enum.GetValues<FeatureActionability>();

    // Short runs for the property tests: a 40-step sweep and three bisection loops.
    private static readonly GradientDescentGenerator.Options Quick = new()
    {
        MaximumNumberOfIterations = 40,
        NumberOfDistanceWeightSteps = 3,
        EarlyStoppingSteps = 10,
    };

    private static double Uniform(Random rng, double lo, double hi) => lo + (hi - lo) * rng.NextDouble();

    private static double Logit(double p) => Math.Log(p / (1 - p));

    private static GradientDescentGenerator Generator(GradientDescentGenerator.Options? options = null)
        => new MLContext(1).Recourse().Generators.GradientDescent(options ?? new GradientDescentGenerator.Options());

    private static FeatureInfo[] Features(params FeatureActionability[] actionabilities)
        => actionabilities.Select((a, j) => new FeatureInfo($"f{j}", Actionability: a)).ToArray();

    // ---- quality on a model with a closed-form answer ----------------------------------------------------------------

    [Fact]
    public void Generate_LogisticModel_ValidAndCloseToMinimalCost()
    {
        var rng = new Random(3);
        int compared = 0;
        for (int trial = 0; trial < 60; trial++)
        {
            var actionabilities = new[] { FeatureActionability.Immutable, FeatureActionability.IncreaseOnly, FeatureActionability.Free, FeatureActionability.DecreaseOnly };
            var builder = ActionSet.CreateBuilder(Features(actionabilities), 1.5);
            for (int j = 0; j < 4; j++) builder.SetCostWeight($"f{j}", Uniform(rng, 0.5, 2));
            var set = builder.Build();
            var weights = Enumerable.Range(0, 4).Select(_ => Uniform(rng, -2, 2)).ToArray();
            var model = new LogisticRegressionModelParameters(weights, -0.5);
            var x = Enumerable.Range(0, 4).Select(_ => Uniform(rng, -1, 1)).ToArray();
            const double threshold = 0.6;
            double? optimum = MinimalLogisticCost(set, weights, -0.5, x, threshold);
            if (optimum is not double best || best == 0)
                continue;

            // λ₀ = 1 brackets the weight at which only the cheapest features move; the reference's 1e-3 does not.
            var result = Generator(new() { InitialDistanceWeight = 1 }).Generate(model, threshold, set, x)[0];

            result.Status.Should().Be(RecourseStatus.Found);
            result.IsValid.Should().BeTrue();
            result.ScoreAfter.Should().BeGreaterThanOrEqualTo(threshold);
            set.Contains(x, result.Delta!.ToArray()).Should().BeTrue();
            result.Cost.Should().BeGreaterThanOrEqualTo(best - 1e-9, "nothing is cheaper than the optimum");
            result.Cost.Should().BeLessThanOrEqualTo(1.1 * best + 0.05, $"trial {trial}: the optimum costs {best}");
            compared++;
        }
        compared.Should().BeGreaterThan(30);
    }

    [Fact]
    public void Generate_LogisticModelReferenceSettings_ValidWheneverRecourseExists()
    {
        var rng = new Random(4);
        var set = ActionSet.FromFeatures(Features(FeatureActionability.Immutable, FeatureActionability.IncreaseOnly, FeatureActionability.Free), 0.75);
        for (int trial = 0; trial < 25; trial++)
        {
            var weights = Enumerable.Range(0, 3).Select(_ => Uniform(rng, -2, 2)).ToArray();
            var model = new LogisticRegressionModelParameters(weights, 0);
            var x = Enumerable.Range(0, 3).Select(_ => Uniform(rng, -1, 1)).ToArray();
            double? optimum = MinimalLogisticCost(set, weights, 0, x, 0.55);
            var result = Generator().Generate(model, 0.55, set, x)[0];
            if (optimum is null)
            {
                result.IsValid.Should().BeFalse();
                result.Delta.Should().BeNull();
                continue;
            }
            result.IsValid.Should().BeTrue($"trial {trial}: recourse exists at cost {optimum}");
            result.Cost.Should().BeGreaterThanOrEqualTo(optimum.Value - 1e-9);
        }
    }

    // min Σ cⱼ|δⱼ| s.t. wᵀ(x + δ) + b ≥ logit(θ), δ in the boxes: a fractional knapsack, greedy by |wⱼ| / cⱼ.
    private static double? MinimalLogisticCost(ActionSet set, double[] w, double bias, double[] x, double threshold)
    {
        var p = set.Compile(x);
        double need = Logit(threshold) - (w.Zip(x, (a, b) => a * b).Sum() + bias);
        if (need <= 0) return 0;
        double cost = 0;
        foreach (int j in Enumerable.Range(0, w.Length).Where(j => w[j] != 0).OrderByDescending(j => Math.Abs(w[j]) / set.CostPerUnitChange[j]))
        {
            double room = w[j] > 0 ? p.Upper[j] : -p.Lower[j];
            double gain = Math.Abs(w[j]) * room;
            if (gain >= need)
                return cost + need / Math.Abs(w[j]) * set.CostPerUnitChange[j];
            cost += room * set.CostPerUnitChange[j];
            need -= gain;
        }
        return null;
    }

    // ---- every evaluated point and every result lies in Δ ------------------------------------------------------------

    [Fact]
    public void Generate_RandomSetsWithoutGeneralRows_EveryEvaluatedPointLiesInDelta()
        => CheckRandomInstances(seed: 31, instances: 1000, withRows: false);

    [Fact]
    public void Generate_RandomSetsWithGeneralRows_EveryEvaluatedPointLiesInDelta()
        => CheckRandomInstances(seed: 32, instances: 400, withRows: true);

    private static void CheckRandomInstances(int seed, int instances, bool withRows)
    {
        var rng = new Random(seed);
        var generator = Generator(Quick);
        int found = 0, infeasible = 0;
        for (int i = 0; i < instances; i++)
        {
            var (set, groupSize) = RandomSet(rng, withRows);
            var x = RandomRow(rng, set, groupSize);
            var weights = Enumerable.Range(0, set.FeatureCount).Select(_ => Uniform(rng, -2, 2)).ToArray();
            var model = new RecordingScorer(new LogisticRegressionModelParameters(weights, Uniform(rng, -1, 1)), set.Compile(x));
            var result = generator.Generate(model, Uniform(rng, 0.3, 0.9), set, x)[0];

            model.Violations.Should().BeEmpty($"instance {i} evaluated points outside Δ");
            result.Message?.Should().NotContain("rejected", $"instance {i}: the gate rejected a proposed δ");
            if (result.Delta is not null)
            {
                set.Contains(x, result.Delta.ToArray()).Should().BeTrue();
                result.IsValid.Should().BeTrue("Standard mode only returns iterates that reached θ₀");
                found++;
            }
            if (result.Status == RecourseStatus.Infeasible) infeasible++;
        }
        found.Should().BeGreaterThan(instances / 4);
        if (!withRows) infeasible.Should().Be(0);
    }

    private static (ActionSet Set, int GroupSize) RandomSet(Random rng, bool withRows)
    {
        int groupSize = rng.Next(3) > 0 ? rng.Next(2, 5) : 0;
        int free = rng.Next(1, 5);
        var features = new List<FeatureInfo>();
        for (int j = 0; j < free; j++)
        {
            bool standardised = rng.Next(2) == 0;
            features.Add(new FeatureInfo($"f{j}", standardised ? Uniform(rng, -5, 5) : 0, standardised ? Math.Exp(Uniform(rng, -1, 1)) : 1,
                Actionability: AllActionabilities[rng.Next(AllActionabilities.Length)]));
        }
        for (int k = 0; k < groupSize; k++)
            features.Add(new FeatureInfo($"g_{k}", IsCategorical: true));
        var builder = ActionSet.CreateBuilder(features, Uniform(rng, 0.2, 2));
        var continuous = new List<string>();
        for (int j = 0; j < free; j++)
        {
            var f = features[j];
            if (rng.Next(3) == 0)
            {
                double lower = f.Mean + f.Scale * Uniform(rng, -3, 0);
                builder.SetBounds(f.Name, lower, lower + f.Scale * Uniform(rng, 0, 4));
            }
            if (rng.Next(4) == 0)
                builder.SetGrid(f.Name, f.Scale * Uniform(rng, 0.2, 1), Uniform(rng, -1, 1));
            else
                continuous.Add(f.Name);
            if (rng.Next(3) == 0)
                builder.SetCostWeight(f.Name, Uniform(rng, 0.1, 3));
        }
        if (groupSize > 0)
        {
            builder.AddOneHotGroup("g", Enumerable.Range(0, groupSize).Select(k => $"g_{k}").ToArray(), isMutable: rng.Next(5) > 0);
            if (rng.Next(4) == 0)
                builder.SetActionability($"g_{rng.Next(groupSize)}", AllActionabilities[rng.Next(AllActionabilities.Length)]);
        }
        // General rows over continuous features only: rounding grids and groups cannot break them (see DeltaProjector).
        if (withRows && continuous.Count > 0)
        {
            var change = new Dictionary<string, double>();
            for (int t = rng.Next(1, 3); t > 0; t--)
                change[continuous[rng.Next(continuous.Count)]] = Uniform(rng, -2, 2);
            var value = rng.Next(2) == 0 ? new Dictionary<string, double> { [continuous[rng.Next(continuous.Count)]] = Uniform(rng, -0.5, 0.5) } : null;
            builder.AddLinearConstraint("r", change, value, Uniform(rng, -1, 1));
        }
        return (builder.Build(), groupSize);
    }

    private static double[] RandomRow(Random rng, ActionSet set, int groupSize)
    {
        int free = set.FeatureCount - groupSize;
        var x = new double[set.FeatureCount];
        for (int j = 0; j < free; j++)
            x[j] = Uniform(rng, -2.5, 2.5);
        if (groupSize > 0)
            x[free + rng.Next(groupSize)] = 1;
        return x;
    }

    /// <summary>A scorer that checks every point it is asked to differentiate at against Δ(x) of one row.</summary>
    private sealed class RecordingScorer(IDifferentiableScorer inner, PerturbationPolytope polytope) : IDifferentiableScorer
    {
        public List<string> Violations { get; } = [];

        public int Evaluations { get; private set; }

        public int FeatureCount => inner.FeatureCount;

        public double Score(ReadOnlySpan<double> features) => inner.Score(features);

        public void ScoreBatch(ReadOnlySpan<double> features, Span<double> scores) => inner.ScoreBatch(features, scores);

        public void ScoreAndInputGradientBatch(ReadOnlySpan<double> features, Span<double> scores, Span<double> inputGradients)
        {
            int d = FeatureCount;
            for (int r = 0; r < scores.Length; r++)
            {
                var delta = new double[d];
                for (int j = 0; j < d; j++) delta[j] = features[r * d + j] - polytope.Row[j];
                if (polytope.FindViolation(delta) is string violation) Violations.Add(violation);
                Evaluations++;
            }
            inner.ScoreAndInputGradientBatch(features, scores, inputGradients);
        }
    }

    // ---- special rows ------------------------------------------------------------------------------------------------

    [Fact]
    public void Generate_AlreadyAcceptedRow_ReturnsZeroCostDelta()
    {
        var set = ActionSet.FromFeatures(Features(FeatureActionability.Free, FeatureActionability.Free), 1);
        var model = new LogisticRegressionModelParameters([1, 1], 0);
        var result = Generator().Generate(model, 0.5, set, new double[] { 1, 1 })[0];

        result.Status.Should().Be(RecourseStatus.Found);
        result.IsValid.Should().BeTrue();
        result.Cost.Should().Be(0);
        result.Delta.Should().Equal(0, 0);
    }

    [Fact]
    public void Generate_AllImmutable_NotFoundWithoutDelta()
    {
        var set = ActionSet.FromFeatures(Features(FeatureActionability.Immutable, FeatureActionability.Immutable), 1);
        var model = new LogisticRegressionModelParameters([1, 1], 0);
        var result = Generator().Generate(model, 0.5, set, new double[] { -1, -1 })[0];

        result.Status.Should().Be(RecourseStatus.NotFound);
        result.Delta.Should().BeNull();
        result.Counterfactual.Should().BeNull();
        result.IsValid.Should().BeFalse();
        result.Cost.Should().Be(double.NaN);
        result.ScoreBefore.Should().BeApproximately(1 / (1 + Math.Exp(2)), 1e-12);
        result.Message.Should().Contain("no change");
    }

    [Fact]
    public void Generate_AllImmutableButAccepted_ReturnsZeroDelta()
    {
        var set = ActionSet.FromFeatures(Features(FeatureActionability.Immutable), 1);
        var result = Generator().Generate(new LogisticRegressionModelParameters([1], 0), 0.5, set, new double[] { 1 })[0];

        result.IsValid.Should().BeTrue();
        result.Delta.Should().Equal(0);
    }

    [Fact]
    public void Generate_OutOfReach_NotFoundWithoutDelta()
    {
        var set = ActionSet.FromFeatures(Features(FeatureActionability.Free), 0.5);
        var model = new LogisticRegressionModelParameters([1], 0);
        var result = Generator().Generate(model, 0.5, set, new double[] { -3 })[0];

        result.Status.Should().Be(RecourseStatus.NotFound);
        result.Delta.Should().BeNull();
        result.Message.Should().Contain("No iterate reached");
    }

    [Fact]
    public void Generate_GeneralRowsExcludingEveryAction_Infeasible()
    {
        var set = ActionSet.CreateBuilder(Features(FeatureActionability.Free), 0.5)
            .AddLinearConstraint("too-far", new Dictionary<string, double> { ["f0"] = 1 }, constant: -2) // δ ≥ 2 > δ_max
            .Build();
        var result = Generator(Quick).Generate(new LogisticRegressionModelParameters([1], 0), 0.5, set, new double[] { -1 })[0];

        result.Status.Should().Be(RecourseStatus.Infeasible);
        result.Delta.Should().BeNull();
    }

    // ---- the reference code's reading ----------------------------------------------------------------------------------

    [Fact]
    public void Generate_ReferenceCodeRowAboveHalf_FollowsTargetClassOtherAndLowersScore()
    {
        var set = ActionSet.FromFeatures(Features(FeatureActionability.Free), 2);
        var model = new LogisticRegressionModelParameters([1], 0);
        var x = new[] { Logit(0.55) };

        var standard = Generator().Generate(model, 0.7, set, x)[0];
        var reference = Generator(new() { Compatibility = GradientDescentCompatibility.ReferenceCode }).Generate(model, 0.7, set, x)[0];

        standard.IsValid.Should().BeTrue();
        standard.Delta![0].Should().BePositive();
        reference.Status.Should().Be(RecourseStatus.Found);
        reference.Delta![0].Should().BeNegative();
        reference.ScoreAfter.Should().BeLessThanOrEqualTo(0.3, "1 − g reached θ₀ = 0.7");
        reference.IsValid.Should().BeFalse();
        reference.Message.Should().Contain("target_class='other'");
    }

    [Fact]
    public void Generate_ReferenceCodeRowBelowHalf_SearchesUpwards()
    {
        var set = ActionSet.FromFeatures(Features(FeatureActionability.Free), 2);
        var model = new LogisticRegressionModelParameters([1], 0);
        var result = Generator(new() { Compatibility = GradientDescentCompatibility.ReferenceCode }).Generate(model, 0.6, set, new[] { Logit(0.4) })[0];

        result.IsValid.Should().BeTrue();
        result.Delta![0].Should().BePositive();
        result.Message.Should().BeNull();
    }

    // ---- batching, parallelism, cancellation -------------------------------------------------------------------------

    [Fact]
    public void Generate_Batched_EqualsRowByRowAndSequential()
    {
        var rng = new Random(5);
        var model = RandomPerceptron(rng, featureCount: 4);
        var set = ActionSet.CreateBuilder(Features(FeatureActionability.Free, FeatureActionability.IncreaseOnly, FeatureActionability.Immutable, FeatureActionability.Free), 1)
            .SetGrid("f3", 0.25)
            .Build();
        const int rows = 150; // three blocks
        var x = Enumerable.Range(0, rows * 4).Select(_ => Uniform(rng, -2, 2)).ToArray();
        var options = Quick;

        var batched = Generator(options).Generate(model, 0.5, set, x);
        var sequential = Generator(new() { MaximumNumberOfIterations = 40, NumberOfDistanceWeightSteps = 3, EarlyStoppingSteps = 10, NumberOfThreads = 1 })
            .Generate(model, 0.5, set, x);

        batched.Should().HaveCount(rows);
        batched.Count(r => r.IsValid).Should().BeGreaterThan(rows / 2);
        for (int i = 0; i < rows; i++)
        {
            var single = Generator(options).Generate(model, 0.5, set, x.AsMemory(i * 4, 4))[0];
            Same(batched[i], single, $"row {i} alone");
            Same(batched[i], sequential[i], $"row {i} on one thread");
        }
    }

    private static void Same(RecourseResult actual, RecourseResult expected, string because)
    {
        actual.Status.Should().Be(expected.Status, because);
        actual.ScoreBefore.Should().Be(expected.ScoreBefore, because);
        actual.Cost.Should().Be(expected.Cost, because);
        if (expected.Delta is null) actual.Delta.Should().BeNull(because);
        else actual.Delta.Should().Equal(expected.Delta, because);
    }

    private static MultilayerPerceptronModelParameters RandomPerceptron(Random rng, int featureCount)
    {
        DenseLayerParameters Layer(int inputs, int outputs)
            => new(inputs, outputs, Enumerable.Range(0, inputs * outputs).Select(_ => Uniform(rng, -1, 1)).ToArray(),
                Enumerable.Range(0, outputs).Select(_ => Uniform(rng, -0.5, 0.5)).ToArray());
        return new MultilayerPerceptronModelParameters([Layer(featureCount, 8), Layer(8, 8), Layer(8, 1)], Activation.Relu);
    }

    [Fact]
    public void Generate_Cancelled_Throws()
    {
        var set = ActionSet.FromFeatures(Features(FeatureActionability.Free), 1);
        using var cancellation = new CancellationTokenSource();
        cancellation.Cancel();
        var act = () => Generator().Generate(new LogisticRegressionModelParameters([1], 0), 0.5, set, new double[] { -1 }, cancellation.Token);
        act.Should().Throw<OperationCanceledException>();
    }

    // ---- agreement with a plain transcription of alibi 0.5.2's loops --------------------------------------------------

    [Theory]
    [InlineData(GradientDescentCompatibility.ReferenceCode)]
    [InlineData(GradientDescentCompatibility.Standard)]
    public void Generate_EqualsAPlainTranscriptionOfAlibi(GradientDescentCompatibility compatibility)
    {
        var rng = new Random(8);
        var model = RandomPerceptron(rng, featureCount: 4);
        var set = ActionSet.FromFeatures(Features(FeatureActionability.Free, FeatureActionability.IncreaseOnly, FeatureActionability.Immutable, FeatureActionability.DecreaseOnly), 1.5);
        var options = new GradientDescentGenerator.Options
        {
            Compatibility = compatibility, InitialDistanceWeight = 0.05, MaximumNumberOfIterations = 200, NumberOfDistanceWeightSteps = 5, EarlyStoppingSteps = 20,
        };
        const int rows = 40;
        var x = Enumerable.Range(0, rows * 4).Select(_ => Uniform(rng, -2, 2)).ToArray();
        var results = Generator(options).Generate(model, 0.5, set, x);

        int withRecourse = 0;
        for (int i = 0; i < rows; i++)
        {
            var row = x.AsSpan(i * 4, 4).ToArray();
            var expected = AlibiTranscription(model, 0.5, set.Compile(row), row, options);
            if (expected is null)
            {
                results[i].Delta.Should().BeNull($"row {i}");
                continue;
            }
            results[i].Delta.Should().NotBeNull($"row {i}");
            for (int j = 0; j < 4; j++)
                results[i].Delta![j].Should().BeApproximately(expected[j], 1e-12, $"row {i}, feature {j}");
            withRecourse++;
        }
        withRecourse.Should().BeGreaterThan(rows / 4);
    }

    // alibi's _minimize_loss for one row, written out loop by loop (box-only Δ, unit costs, two model calls per step).
    private static double[]? AlibiTranscription(IDifferentiableScorer model, double threshold, PerturbationPolytope box, double[] x, GradientDescentGenerator.Options o)
    {
        int d = x.Length;
        bool standard = o.Compatibility == GradientDescentCompatibility.Standard;
        double scoreBefore = model.Score(x);
        if (standard && scoreBefore >= threshold) return new double[d];
        double sign = !standard && scoreBefore >= 0.5 ? -1 : 1; // target_class='other'
        double Target(double[] delta, double[] gradient)
        {
            var point = x.Zip(delta, (a, b) => a + b).ToArray();
            var score = new double[1];
            model.ScoreAndInputGradientBatch(point, score, gradient);
            return sign > 0 ? score[0] : 1 - score[0];
        }
        var delta = new double[d];
        var m = new double[d];
        var v = new double[d];
        double[]? best = null;
        double bestDistance = 0;
        void Step(double lambda, int t)
        {
            var gradient = new double[d];
            double target = Target(delta, gradient);
            double lr = o.LearningRate * (1 - (double)t / o.MaximumNumberOfIterations);
            double stepSize = lr * Math.Sqrt(1 - Math.Pow(0.999, t + 1)) / (1 - Math.Pow(0.9, t + 1));
            for (int j = 0; j < d; j++)
            {
                if (box.Lower[j] == box.Upper[j]) continue;
                double g = 2 * (target - o.TargetProbability) * sign * gradient[j] + lambda * Math.Sign(delta[j]);
                m[j] = 0.9 * m[j] + (1 - 0.9) * g;
                v[j] = 0.999 * v[j] + (1 - 0.999) * g * g;
                delta[j] = Math.Clamp(delta[j] - stepSize * m[j] / (Math.Sqrt(v[j]) + 1e-8), box.Lower[j], box.Upper[j]);
            }
        }
        bool Condition() => Target(delta, new double[d]) >= threshold;
        void Record()
        {
            double distance = delta.Sum(Math.Abs);
            if (best is null || distance < bestDistance) (best, bestDistance) = ((double[])delta.Clone(), distance);
        }

        var lams = Enumerable.Range(0, 10).Select(i => o.InitialDistanceWeight / Math.Pow(10, i)).ToArray();
        var count = new int[10];
        for (int ix = 0; ix < 10; ix++)
        {
            Array.Clear(m);
            Array.Clear(v);
            for (int i = 0; i < o.MaximumNumberOfIterations / 10; i++)
            {
                Step(lams[ix], i);
                if (Condition())
                {
                    count[ix]++;
                    if (standard) Record();
                }
            }
        }
        var successes = Enumerable.Range(0, 10).Where(i => count[i] > 0).ToArray();
        if (successes.Length < 2 && !standard) return null;
        double lb = successes.Length >= 2 ? lams[successes[1]] : successes.Length == 1 ? lams[successes[0]] : 0;
        var failures = Enumerable.Range(0, 10).Where(i => count[i] == 0).ToArray();
        double ub = lams[failures.Length > 0 ? failures[^1] : 0];
        double lam = (lb + ub) / 2;
        Array.Clear(delta);
        for (int step = 0; step < o.NumberOfDistanceWeightSteps; step++)
        {
            Array.Clear(m);
            Array.Clear(v);
            int found = 0, notFound = 0, solutions = 0;
            for (int i = 0; i < o.MaximumNumberOfIterations; i++)
            {
                Step(lam, i);
                if (Condition())
                {
                    Record();
                    solutions++;
                    found++;
                    notFound = 0;
                }
                else
                {
                    found = 0;
                    notFound++;
                }
                if (found >= o.EarlyStoppingSteps || notFound >= o.EarlyStoppingSteps) break;
            }
            if (solutions >= 5)
            {
                lb = Math.Max(lam, lb);
                lam = ub < 1e9 ? (lb + ub) / 2 : lam * 10;
            }
            else
            {
                ub = Math.Min(ub, lam);
                lam = lb > 0 ? (lb + ub) / 2 : lam / 10;
            }
        }
        return best;
    }

    // ---- the λ schedule, driven by scripted outcomes -------------------------------------------------------------------

    [Fact]
    public void DistanceWeightSearch_Sweep_BracketsBetweenSecondSuccessAndLastFailure()
    {
        var search = new DistanceWeightSearch(1e-3, maximumIterations: 20, weightSteps: 4, earlyStop: 3, referenceBracketing: true);
        var transitions = new List<DistanceWeightTransition>();
        for (int i = 0; i < DistanceWeightSearch.SweepLength; i++)
        {
            search.Weight.Should().Be(1e-3 / Math.Pow(10, i));
            search.IsSweeping.Should().BeTrue();
            // λ index 1 succeeds once, 2 fails, 3… succeed: lower = λ₃ (the second success), upper = λ₂ (the last failure).
            transitions.Add(search.Record(isSolution: i == 1 || i >= 3));
            transitions.Add(search.Record(isSolution: false));
        }
        search.SweepSolutions.Should().Equal(0, 1, 0, 1, 1, 1, 1, 1, 1, 1);
        transitions.Where((_, k) => k % 2 == 0).Should().AllBeEquivalentTo(DistanceWeightTransition.Continue, "each swept λ runs 20 / 10 = 2 steps");
        transitions.Where((_, k) => k % 2 == 1).Should().Equal(Enumerable.Repeat(DistanceWeightTransition.NextLoop, 9).Append(DistanceWeightTransition.StartBisection));
        search.IsSweeping.Should().BeFalse();
        search.LowerBound.Should().Be(1e-6);
        search.UpperBound.Should().Be(1e-5);
        search.Weight.Should().Be((1e-6 + 1e-5) / 2);
        search.StepInLoop.Should().Be(0);
    }

    [Fact]
    public void DistanceWeightSearch_EverySweptWeightSucceeds_UpperBoundIsInitialWeight()
    {
        var search = Swept(new DistanceWeightSearch(0.1, 10, 3, 2, referenceBracketing: true), i => true);
        search.LowerBound.Should().Be(0.01);
        search.UpperBound.Should().Be(0.1);
    }

    [Fact]
    public void DistanceWeightSearch_ReferenceBracketingWithOneSuccess_FinishesWithoutBisection()
    {
        var search = new DistanceWeightSearch(1e-3, 10, 3, 2, referenceBracketing: true);
        DistanceWeightTransition last = default;
        for (int i = 0; i < DistanceWeightSearch.SweepLength; i++)
            last = search.Record(isSolution: i == 7);
        last.Should().Be(DistanceWeightTransition.Finished);
        search.BracketingFailed.Should().BeTrue();
        search.IsFinished.Should().BeTrue();
        ((Action)(() => search.Record(true))).Should().Throw<InvalidOperationException>();
    }

    [Fact]
    public void DistanceWeightSearch_StandardBracketingWithOneSuccess_UsesIt()
    {
        var search = Swept(new DistanceWeightSearch(1e-3, 10, 3, 2, referenceBracketing: false), i => i == 7);
        search.BracketingFailed.Should().BeFalse();
        search.LowerBound.Should().Be(1e-10);
        search.UpperBound.Should().Be(1e-12);
    }

    [Fact]
    public void DistanceWeightSearch_StandardBracketingWithoutSuccess_ShrinksTenfoldUntilALoopSucceeds()
    {
        var search = Swept(new DistanceWeightSearch(1e-3, 10, 3, 2, referenceBracketing: false), _ => false);
        search.LowerBound.Should().Be(0);
        search.UpperBound.Should().Be(1e-12);
        search.Weight.Should().Be(0.5e-12);
        search.Record(false).Should().Be(DistanceWeightTransition.Continue);
        search.Record(false).Should().Be(DistanceWeightTransition.NextLoop, "two consecutive misses stop the loop early");
        search.UpperBound.Should().Be(0.5e-12);
        search.Weight.Should().Be(0.05e-12);
    }

    [Fact]
    public void DistanceWeightSearch_Bisection_FollowsAlibisRule()
    {
        // Sweep: solutions from index 2 on → lower 1e-4 (index 3), upper 1e-2 (index 1).
        var search = Swept(new DistanceWeightSearch(1, maximumIterations: 100, weightSteps: 3, earlyStop: 50, referenceBracketing: true), i => i >= 2);
        (search.LowerBound, search.UpperBound).Should().Be((1e-3, 1e-1));
        double weight = search.Weight;
        weight.Should().Be((1e-3 + 1e-1) / 2);

        // Loop 0: solutions alternating with misses (no early stop) until the 100-step limit → lower bound rises.
        for (int s = 1; s < 100; s++)
            search.Record(isSolution: s % 2 == 0).Should().Be(DistanceWeightTransition.Continue);
        search.Record(false).Should().Be(DistanceWeightTransition.NextLoop);
        search.LowerBound.Should().Be(weight);
        search.Weight.Should().Be((weight + 1e-1) / 2);

        // Loop 1: 4 solutions then 50 misses → early stop, upper bound falls.
        weight = search.Weight;
        for (int s = 0; s < 4; s++) search.Record(true).Should().Be(DistanceWeightTransition.Continue);
        for (int s = 0; s < 49; s++) search.Record(false).Should().Be(DistanceWeightTransition.Continue);
        search.Record(false).Should().Be(DistanceWeightTransition.NextLoop);
        search.UpperBound.Should().Be(weight);
        search.Weight.Should().Be((search.LowerBound + weight) / 2);

        // Loop 2 (the last): 50 solutions in a row → early stop, then the search is over.
        for (int s = 0; s < 49; s++) search.Record(true).Should().Be(DistanceWeightTransition.Continue);
        search.Record(true).Should().Be(DistanceWeightTransition.Finished);
        search.IsFinished.Should().BeTrue();
        search.BisectionLoop.Should().Be(3);
    }

    private static DistanceWeightSearch Swept(DistanceWeightSearch search, Func<int, bool> sweptWeightSucceeds)
    {
        for (int i = 0; i < DistanceWeightSearch.SweepLength; i++)
        {
            while (search.IsSweeping && search.Record(sweptWeightSucceeds(i)) == DistanceWeightTransition.Continue) { }
        }
        search.IsSweeping.Should().BeFalse();
        return search;
    }

    // ---- projection -----------------------------------------------------------------------------------------------------

    [Fact]
    public void Project_OneHotGroup_IsTheEuclideanProjection()
    {
        var rng = new Random(6);
        var features = Enumerable.Range(0, 5).Select(k => new FeatureInfo($"g_{k}", IsCategorical: true)).ToArray();
        for (int trial = 0; trial < 200; trial++)
        {
            var builder = ActionSet.CreateBuilder(features, 1).AddOneHotGroup("g", features.Select(f => f.Name).ToArray());
            if (rng.Next(2) == 0) builder.SetActionability($"g_{rng.Next(5)}", AllActionabilities[rng.Next(AllActionabilities.Length)]);
            var set = builder.Build();
            var x = new double[5];
            x[rng.Next(5)] = 1;
            var polytope = set.Compile(x);
            var projector = new DeltaProjector(polytope);
            var v = Enumerable.Range(0, 5).Select(_ => Uniform(rng, -1.5, 1.5)).ToArray();
            var projected = (double[])v.Clone();
            projector.Project(projected).Should().BeTrue();

            projected.Sum().Should().BeApproximately(0, 1e-12);
            for (int j = 0; j < 5; j++) projected[j].Should().BeInRange(polytope.Lower[j] - 1e-15, polytope.Upper[j] + 1e-15);
            // Optimality (KKT): some τ makes every coordinate clamp(vⱼ − τ) — free coordinates share vⱼ − δⱼ.
            var free = Enumerable.Range(0, 5).Where(j => projected[j] > polytope.Lower[j] + 1e-12 && projected[j] < polytope.Upper[j] - 1e-12).ToArray();
            if (free.Length > 0)
            {
                double tau = v[free[0]] - projected[free[0]];
                for (int j = 0; j < 5; j++)
                    projected[j].Should().BeApproximately(Math.Clamp(v[j] - tau, polytope.Lower[j], polytope.Upper[j]), 1e-12);
            }

            var rounded = new double[5];
            projector.Round(projected, rounded).Should().BeTrue();
            polytope.Contains(rounded).Should().BeTrue();
        }
    }

    // ---- bad input ------------------------------------------------------------------------------------------------------

    [Fact]
    public void Generate_NonDifferentiableModel_ThrowsNamingTheAlternative()
    {
        var set = ActionSet.FromFeatures(Features(FeatureActionability.Free), 1);
        var act = () => Generator().Generate(new BlackBox(), 0.5, set, new double[] { 0 });
        act.Should().Throw<ArgumentOutOfRangeException>().Where(e => e.ParamName == "model" && e.Message.Contains("LinearIntegerProgram"));
    }

    private sealed class BlackBox : IScorer
    {
        public int FeatureCount => 1;

        public double Score(ReadOnlySpan<double> features) => features[0] > 0 ? 1 : 0;

        public void ScoreBatch(ReadOnlySpan<double> features, Span<double> scores)
        {
            for (int i = 0; i < scores.Length; i++) scores[i] = Score(features.Slice(i, 1));
        }
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(1.0)]
    [InlineData(double.NaN)]
    public void Generate_ThresholdOutsideUnitInterval_Throws(double threshold)
    {
        var set = ActionSet.FromFeatures(Features(FeatureActionability.Free), 1);
        var act = () => Generator().Generate(new LogisticRegressionModelParameters([1], 0), threshold, set, new double[] { 0 });
        act.Should().Throw<ArgumentOutOfRangeException>().Where(e => e.ParamName == "threshold");
    }

    [Fact]
    public void Generate_BadShapesAndRows_Throw()
    {
        var model = new LogisticRegressionModelParameters([1, 1], 0);
        var set = ActionSet.FromFeatures(Features(FeatureActionability.Free, FeatureActionability.Free), 1);
        var generator = Generator();

        generator.Invoking(g => g.Generate(null!, 0.5, set, new double[2])).Should().Throw<ArgumentNullException>();
        generator.Invoking(g => g.Generate(model, 0.5, null!, new double[2])).Should().Throw<ArgumentNullException>();
        generator.Invoking(g => g.Generate(model, 0.5, ActionSet.FromFeatures(Features(FeatureActionability.Free), 1), new double[2]))
            .Should().Throw<ArgumentOutOfRangeException>().Where(e => e.ParamName == "actionSet");
        generator.Invoking(g => g.Generate(model, 0.5, set, new double[3]))
            .Should().Throw<ArgumentOutOfRangeException>().Where(e => e.ParamName == "rows");
        generator.Invoking(g => g.Generate(model, 0.5, set, new double[] { 0, 0, 1, double.NaN }))
            .Should().Throw<ArgumentOutOfRangeException>().WithMessage("*'f1' of row 1*");
        generator.Generate(model, 0.5, set, Array.Empty<double>()).Should().BeEmpty();
    }

    public static TheoryData<GradientDescentGenerator.Options, string> BadOptions => new()
    {
        { new() { InitialDistanceWeight = 0 }, "InitialDistanceWeight" },
        { new() { InitialDistanceWeight = double.PositiveInfinity }, "InitialDistanceWeight" },
        { new() { NumberOfDistanceWeightSteps = 0 }, "NumberOfDistanceWeightSteps" },
        { new() { MaximumNumberOfIterations = 9 }, "MaximumNumberOfIterations" },
        { new() { EarlyStoppingSteps = 0 }, "EarlyStoppingSteps" },
        { new() { LearningRate = -0.1 }, "LearningRate" },
        { new() { TargetProbability = 0 }, "TargetProbability" },
        { new() { TargetProbability = 1.5 }, "TargetProbability" },
        { new() { Compatibility = (GradientDescentCompatibility)7 }, "Compatibility" },
        { new() { NumberOfThreads = 0 }, "NumberOfThreads" },
    };

    [Theory]
    [MemberData(nameof(BadOptions))]
    public void GradientDescent_OptionOutOfRange_ThrowsNamingIt(GradientDescentGenerator.Options options, string name)
    {
        var act = () => new MLContext(1).Recourse().Generators.GradientDescent(options);
        act.Should().Throw<ArgumentOutOfRangeException>().Where(e => e.ParamName == name);
    }

    [Fact]
    public void GradientDescent_Catalog_CreatesTheNamedGenerator()
    {
        var ctx = new MLContext(1).Recourse();
        ctx.Generators.GradientDescent().Name.Should().Be("gradient");
        ctx.Generators.Invoking(c => c.GradientDescent(learningRate: 0)).Should().Throw<ArgumentOutOfRangeException>().Where(e => e.ParamName == "LearningRate");
        ctx.Generators.Invoking(c => c.GradientDescent((GradientDescentGenerator.Options)null!)).Should().Throw<ArgumentNullException>();
    }
}
