using Microsoft.ML.Recourse.Actions;
using Microsoft.ML.Recourse.Trees;
using static Microsoft.ML.Recourse.Tests.Recourse.Trees.TreeRecourseBruteForce;

namespace Microsoft.ML.Recourse.Tests.Recourse.Trees;

public class TreeEnsembleRecourseTests
{
    private static readonly TreeRecourseCost[] Costs =
        [TreeRecourseCost.L1, TreeRecourseCost.L0, TreeRecourseCost.Percentile, new TreeRecourseCost(1, 0.3, 2)];

    private static double Tolerance(double cost) => 1e-6 * (1 + Math.Abs(cost));

    [Fact]
    public void Solve_matches_brute_force_on_1200_random_small_ensembles()
    {
        var random = new Random(2024);
        int optimal = 0, infeasible = 0, withGroup = 0, limited = 0;
        for (int trial = 0; trial < 1200; trial++)
        {
            var instance = TreeRecourseBruteForce.Random(random, group: trial % 3 == 0);
            var cost = Costs[trial % Costs.Length];
            int? maximumChanges = trial % 5 == 4 ? 1 : null;
            var solver = new TreeEnsembleRecourse(instance.Model, new TreeEnsembleRecourse.Options
            {
                Cost = cost,
                Quantiles = instance.Quantiles,
                MaximumChangedFeatures = maximumChanges,
            });
            var result = solver.Solve(instance.X, instance.ScoreThreshold, instance.Actions);
            var expected = TreeRecourseBruteForce.Solve(instance, cost, maximumChanges, []);
            string context = $"trial {trial}: {result}";
            if (expected is null)
            {
                Assert.True(result.Status == TreeRecourseStatus.Infeasible, context);
                Assert.Empty(result.Options);
                infeasible++;
                continue;
            }
            Assert.True(result.Status == TreeRecourseStatus.Optimal, context);
            var best = result.Best!;
            CheckOption(instance, best, context);
            double own = TreeRecourseBruteForce.Cost(instance, cost, best.Delta.ToArray());
            Assert.True(Math.Abs(own - best.Cost) <= Tolerance(own), $"{context}: reported cost {best.Cost} but the point costs {own}");
            Assert.True(Math.Abs(own - expected.Value.Cost) <= Tolerance(own), $"{context}: cost {own}, brute force {expected.Value.Cost}");
            if (maximumChanges is int k)
                Assert.True(ChangedVariables(instance, best.Delta.ToArray()).Count <= k, context);
            Assert.Equal(0, result.Gap);
            optimal++;
            withGroup += instance.HasGroup ? 1 : 0;
            limited += maximumChanges is null ? 0 : 1;
        }
        // Both outcomes, the groups and the change limit are exercised.
        Assert.InRange(optimal, 300, 1200);
        Assert.InRange(infeasible, 100, 1200);
        Assert.InRange(withGroup, 50, 1200);
        Assert.InRange(limited, 30, 1200);
    }

    [Fact]
    public void Diverse_options_are_the_cheapest_with_distinct_changed_sets_in_increasing_cost()
    {
        var random = new Random(77);
        int listed = 0, exhausted = 0;
        for (int trial = 0; trial < 200; trial++)
        {
            var instance = TreeRecourseBruteForce.Random(random, group: trial % 2 == 0);
            var cost = Costs[trial % Costs.Length];
            var result = new TreeEnsembleRecourse(instance.Model, new TreeEnsembleRecourse.Options { Cost = cost, Quantiles = instance.Quantiles, NumberOfOptions = 3 })
                .Solve(instance.X, instance.ScoreThreshold, instance.Actions);
            var forbidden = new List<SortedSet<int>>();
            foreach (var option in result.Options)
            {
                var expected = TreeRecourseBruteForce.Solve(instance, cost, null, forbidden);
                Assert.NotNull(expected);
                CheckOption(instance, option, $"trial {trial}");
                Assert.True(option.IsProvedOptimal);
                double own = TreeRecourseBruteForce.Cost(instance, cost, option.Delta.ToArray());
                Assert.True(Math.Abs(own - expected.Value.Cost) <= Tolerance(own), $"trial {trial} option {forbidden.Count}: cost {own}, brute force {expected.Value.Cost}");
                var changed = ChangedVariables(instance, option.Delta.ToArray());
                Assert.DoesNotContain(forbidden, f => f.SetEquals(changed));
                forbidden.Add(changed);
                listed++;
            }
            for (int i = 1; i < result.Options.Count; i++)
                Assert.True(result.Options[i].Cost >= result.Options[i - 1].Cost - Tolerance(result.Options[i].Cost));
            if (result.Options.Count is > 0 and < 3)
            {
                // Fewer than asked: no further changed set reaches the threshold.
                Assert.True(result.IsExhausted);
                Assert.Null(TreeRecourseBruteForce.Solve(instance, cost, null, forbidden));
                exhausted++;
            }
        }
        Assert.InRange(listed, 50, 600);
        Assert.InRange(exhausted, 5, 200);
    }

    private static void CheckOption(Instance instance, TreeRecourseOption option, string context)
    {
        var delta = option.Delta.ToArray();
        Assert.True(instance.Actions.Contains(instance.X, delta), $"{context}: δ outside Δ: {instance.Actions.Compile(instance.X).FindViolation(delta)}");
        var point = instance.X.Select((v, j) => v + delta[j]).ToArray();
        Assert.Equal(point, option.Counterfactual);
        Assert.True(instance.Model.Score(point) >= instance.ScoreThreshold, context);
        Assert.Equal(instance.Model.Score(point), option.Score);
        Assert.Equal(Enumerable.Range(0, delta.Length).Where(j => delta[j] != 0), option.ChangedFeatures);
    }

    [Fact]
    public void A_point_scoring_exactly_the_threshold_is_found_by_the_optimistic_check()
    {
        // The conservative score row needs a margin above s*, so the only accepted leaf (score exactly s*) is found by
        // the second, optimistically rounded program, and it is the optimum.
        var features = new[] { new FeatureInfo("a", Actionability: FeatureActionability.Free) };
        var actions = ActionSet.FromFeatures(features, 5);
        var model = new TreeEnsembleModel(1, [new RegressionTree([0], [1.0], null, [~0], [~1], [0.0, 0.75])], bias: 0.5);
        var result = new TreeEnsembleRecourse(model).Solve([0.0], 1.25, actions);
        Assert.Equal(TreeRecourseStatus.Optimal, result.Status);
        Assert.Equal(1.25, result.Best!.Score);
        Assert.Equal(Math.BitIncrement(1.0), result.Best.Counterfactual[0]);
        // Just above it, nothing is accepted: a proof, checked with both roundings.
        Assert.Equal(TreeRecourseStatus.Infeasible, new TreeEnsembleRecourse(model).Solve([0.0], Math.BitIncrement(1.25), actions).Status);
    }

    [Fact]
    public void A_row_the_model_accepts_needs_no_action()
    {
        var instance = TreeRecourseBruteForce.Random(new Random(5), group: true);
        var result = new TreeEnsembleRecourse(instance.Model).Solve(instance.X, instance.Model.Score(instance.X), instance.Actions);
        Assert.Equal(TreeRecourseStatus.AlreadyAccepted, result.Status);
        Assert.Empty(result.Options);
    }

    [Fact]
    public void Options_out_of_range_are_rejected_naming_the_option()
    {
        var model = TreeRecourseBruteForce.Random(new Random(1), group: false).Model;
        void Rejected(TreeEnsembleRecourse.Options options, string name)
        {
            var ex = Assert.Throws<ArgumentOutOfRangeException>(() => new TreeEnsembleRecourse(model, options));
            Assert.Equal(name, ex.ParamName);
        }
        Rejected(new() { TimeLimitSeconds = 0 }, "TimeLimitSeconds");
        Rejected(new() { NumberOfWorkers = 0 }, "NumberOfWorkers");
        Rejected(new() { Seed = -1 }, "Seed");
        Rejected(new() { NumberOfOptions = 0 }, "NumberOfOptions");
        Rejected(new() { MaximumChangedFeatures = 0 }, "MaximumChangedFeatures");
        Rejected(new() { Cost = new TreeRecourseCost(-1) }, "Cost");
        Rejected(new() { Cost = new TreeRecourseCost(0, 0, 0) }, "Cost");
        Rejected(new() { Cost = TreeRecourseCost.Percentile }, "Quantiles");
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => new TreeEnsembleRecourse(model,
            new() { Cost = TreeRecourseCost.Percentile, Quantiles = FeatureQuantiles.FromRows(new double[20 * (model.FeatureCount + 1)], model.FeatureCount + 1) }));
        Assert.Contains("Quantiles describes", ex.Message);
    }

    [Fact]
    public void A_constraint_over_two_movable_features_is_rejected_naming_it()
    {
        var features = new[] { new FeatureInfo("a", Actionability: FeatureActionability.Free), new FeatureInfo("b", Actionability: FeatureActionability.Free) };
        var actions = ActionSet.CreateBuilder(features, 1).AddLinearConstraint("budget", new Dictionary<string, double> { ["a"] = 1, ["b"] = 1 }, constant: 1).Build();
        var model = new TreeEnsembleModel(2, [new RegressionTree([0], [0.5], null, [~0], [~1], [0.0, 1.0])]);
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => new TreeEnsembleRecourse(model).Solve([0.0, 0.0], 0.5, actions));
        Assert.Equal("actionSet", ex.ParamName);
        Assert.Contains("'budget'", ex.Message);
        Assert.Contains("'a', 'b'", ex.Message);
        // The same constraint with b immutable bounds a alone and is encoded: a may fall by at most 1, so 0.5 is out of reach downward…
        var oneMovable = ActionSet.CreateBuilder(features, 5).SetActionability("b", FeatureActionability.Immutable)
            .AddLinearConstraint("budget", new Dictionary<string, double> { ["a"] = 1, ["b"] = 1 }, constant: 1).Build();
        var down = new TreeEnsembleModel(2, [new RegressionTree([0], [-2.0], null, [~1], [~0], [0.0, 1.0])]);
        Assert.Equal(TreeRecourseStatus.Infeasible, new TreeEnsembleRecourse(down).Solve([0.0, 0.0], 0.5, oneMovable).Status);
        // …and upward it is free: a moves to just above 0.5.
        var result = new TreeEnsembleRecourse(model).Solve([0.0, 0.0], 0.5, oneMovable);
        Assert.Equal(TreeRecourseStatus.Optimal, result.Status);
        Assert.Equal(Math.BitIncrement(0.5), result.Best!.Counterfactual[0]);
    }

    [Fact]
    public void A_time_limit_shorter_than_the_compilation_stops_the_row_without_an_answer()
    {
        var random = new Random(3);
        var features = Enumerable.Range(0, 6).Select(j => new FeatureInfo($"f{j}", Actionability: FeatureActionability.Free)).ToArray();
        var actions = ActionSet.FromFeatures(features, 3);
        var trees = Enumerable.Range(0, 300).Select(_ => BigTree(random, 6)).ToArray();
        var model = new TreeEnsembleModel(6, trees);
        double[] x = new double[6];
        var result = new TreeEnsembleRecourse(model, new TreeEnsembleRecourse.Options { TimeLimitSeconds = 1e-6 }).Solve(x, model.Score(x) + 1, actions);
        Assert.Equal(TreeRecourseStatus.Unknown, result.Status);
        Assert.Contains("time limit", result.Message);
    }

    private static RegressionTree BigTree(Random random, int d)
    {
        // A complete tree of depth 3 with random splits.
        int[] features = Enumerable.Range(0, 7).Select(_ => random.Next(d)).ToArray();
        double[] thresholds = Enumerable.Range(0, 7).Select(_ => Math.Round(random.NextDouble() * 4 - 2, 2)).ToArray();
        return new RegressionTree(features, thresholds, null, [1, 3, 5, ~0, ~2, ~4, ~6], [2, 4, 6, ~1, ~3, ~5, ~7],
            Enumerable.Range(0, 8).Select(_ => random.NextDouble() - 0.5).ToArray());
    }
}
