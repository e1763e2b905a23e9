using Microsoft.ML.Recourse.Actions;
using Microsoft.ML.Recourse.Trees;

namespace Microsoft.ML.Recourse.Tests.Recourse.Trees;

/// <summary>
/// Random small tree-recourse instances and an exhaustive solver for them that shares no code with the CP-SAT encoding:
/// every variable's candidate values (x, every threshold and the value just above it, the box ends, and the grid points
/// around each of those) are filtered by the action set's own gate, grouped by the outcome of every split that reads
/// the variable, and every combination of the cheapest candidate of each group is scored on the model.
/// </summary>
internal static class TreeRecourseBruteForce
{
    private static readonly FeatureActionability[] Directions =
        [FeatureActionability.Free, FeatureActionability.IncreaseOnly, FeatureActionability.DecreaseOnly, FeatureActionability.Immutable];

    public sealed record Instance(TreeEnsembleModel Model, ActionSet Actions, double[] X, double ScoreThreshold, FeatureQuantiles Quantiles, bool HasGroup);

    /// <summary>
    /// A random instance: with <paramref name="group"/> one numerical feature and a one-hot group of three (numerical
    /// splits at 0.5 and indicator-set splits on the indicators); otherwise 2–4 features of which the last may be split
    /// categorically (over 0..4, with an integer grid).
    /// </summary>
    public static Instance Random(Random random, bool group)
    {
        int d = group ? 4 : random.Next(2, 5);
        bool categorical = !group && random.Next(2) == 0;
        var features = new List<FeatureInfo>();
        for (int j = 0; j < d; j++)
        {
            bool member = group && j >= 1;
            bool whole = categorical && j == d - 1;
            features.Add(new FeatureInfo($"f{j}",
                Mean: member || whole ? 0 : Math.Round(random.NextDouble() * 2 - 1, 2),
                Scale: member || whole ? 1 : Math.Round(0.5 + random.NextDouble() * 1.5, 2),
                IsCategorical: member,
                Actionability: Directions[random.Next(Directions.Length)]));
        }
        var builder = ActionSet.CreateBuilder(features, Math.Round(0.5 + 2.5 * random.NextDouble(), 2));
        for (int j = 0; j < d; j++)
        {
            var f = features[j];
            if (group && j >= 1)
                continue;
            builder.SetCostWeight(f.Name, Math.Round(0.2 + 2 * random.NextDouble(), 2));
            if (categorical && j == d - 1)
            {
                builder.SetGrid(f.Name, 1, 0).SetBounds(f.Name, 0, 6).SetMaximumChange(f.Name, double.PositiveInfinity);
                continue;
            }
            switch (random.Next(5))
            {
                case 0: builder.SetGrid(f.Name, random.Next(2) == 0 ? 0.5 : 1, Math.Round(random.NextDouble(), 1)); break;
                case 1: builder.SetBounds(f.Name, f.Mean - 2 * f.Scale * random.NextDouble(), f.Mean + 2 * f.Scale * random.NextDouble()); break;
                case 2: builder.SetMaximumChange(f.Name, double.PositiveInfinity).SetBounds(f.Name, f.Mean - 3, f.Mean + 3); break;
                case 3:
                    // A constraint on one feature: its change may not fall below −c (original units).
                    builder.AddLinearConstraint($"floor{j}", new Dictionary<string, double> { [f.Name] = 1 }, constant: Math.Round(random.NextDouble(), 2));
                    break;
            }
        }
        if (group)
            builder.AddOneHotGroup("g", ["f1", "f2", "f3"], isMutable: random.Next(4) != 0);
        var actions = builder.Build();

        var trees = new List<RegressionTree>();
        int treeCount = random.Next(1, 11);
        for (int t = 0; t < treeCount; t++)
            trees.Add(RandomTree(random, d, group, categorical));
        var model = new TreeEnsembleModel(d, trees, trees.Select(_ => Math.Round(0.5 + random.NextDouble(), 3)).ToArray(), Math.Round(random.NextDouble() - 0.5, 3));

        var x = Row(random, d, group, categorical);
        var sample = Enumerable.Range(0, 200).SelectMany(_ => Row(random, d, group, categorical)).ToArray();
        double threshold = model.Score(x) + Math.Round(0.05 + 1.2 * random.NextDouble(), 3);
        return new Instance(model, actions, x, threshold, FeatureQuantiles.FromRows(sample, d, 50), group);
    }

    private static double[] Row(Random random, int d, bool group, bool categorical)
    {
        var x = new double[d];
        for (int j = 0; j < d; j++)
            x[j] = Math.Round(random.NextDouble() * 6 - 3, 1);
        if (group)
        {
            x[1] = x[2] = x[3] = 0;
            x[1 + random.Next(3)] = 1;
        }
        if (categorical)
            x[d - 1] = random.Next(6);
        return x;
    }

    private static RegressionTree RandomTree(Random random, int d, bool group, bool categorical)
    {
        int nodes = random.Next(6);
        var split = new int[nodes];
        var thresholds = new double[nodes];
        var categories = new IReadOnlyCollection<int>?[nodes];
        var indicators = new IReadOnlyCollection<int>?[nodes];
        var left = new int[nodes];
        var right = new int[nodes];
        var slots = new List<(int Node, bool Left)>();
        for (int i = 0; i < nodes; i++)
        {
            split[i] = random.Next(d);
            thresholds[i] = Math.Round(random.NextDouble() * 8 - 4) / 2;
            if (group && split[i] >= 1)
            {
                if (random.Next(2) == 0)
                    indicators[i] = Enumerable.Range(1, 3).Where(_ => random.Next(2) == 0).DefaultIfEmpty(split[i]).ToArray();
                else
                    thresholds[i] = 0.5;
            }
            else if (categorical && split[i] == d - 1)
            {
                categories[i] = Enumerable.Range(0, 5).Where(_ => random.Next(2) == 0).ToArray();
            }
            if (i > 0)
            {
                int pick = random.Next(slots.Count);
                var (parent, isLeft) = slots[pick];
                slots.RemoveAt(pick);
                if (isLeft) left[parent] = i; else right[parent] = i;
            }
            slots.Add((i, true));
            slots.Add((i, false));
        }
        if (nodes == 0)
            return new RegressionTree([], [], null, [], [], [Math.Round(random.NextDouble() * 2 - 1, 3)]);
        for (int leaf = 0; leaf < slots.Count; leaf++)
        {
            var (parent, isLeft) = slots[leaf];
            if (isLeft) left[parent] = ~leaf; else right[parent] = ~leaf;
        }
        double[] values = Enumerable.Range(0, nodes + 1).Select(_ => Math.Round(random.NextDouble() * 2 - 1, 3)).ToArray();
        return new RegressionTree(split, thresholds, categories, left, right, values, indicators);
    }

    /// <summary>The test's own cost of δ (see <see cref="TreeRecourseCost"/>).</summary>
    public static double Cost(Instance instance, TreeRecourseCost cost, double[] delta)
    {
        double l0 = ChangedVariables(instance, delta).Count;
        double percentile = 0;
        for (int j = 0; j < delta.Length; j++)
            percentile += Math.Abs(instance.Quantiles.Cdf(j, instance.X[j] + delta[j]) - instance.Quantiles.Cdf(j, instance.X[j]));
        return cost.L1Weight * instance.Actions.Cost(delta) + cost.L0Weight * l0 + cost.PercentileWeight * percentile;
    }

    /// <summary>The changed variables: feature indices outside the group, and −1 for the group.</summary>
    public static SortedSet<int> ChangedVariables(Instance instance, double[] delta)
    {
        var changed = new SortedSet<int>();
        for (int j = 0; j < delta.Length; j++)
            if (delta[j] != 0)
                changed.Add(instance.Actions.OneHotGroups.Any(g => g.FeatureIndices.Contains(j)) ? -1 : j);
        return changed;
    }

    /// <summary>
    /// The cheapest accepted δ (cost, δ) whose changed-variable set is none of <paramref name="forbidden"/> and has at
    /// most <paramref name="maximumChanges"/> members, or null when none is accepted.
    /// </summary>
    public static (double Cost, double[] Delta)? Solve(Instance instance, TreeRecourseCost cost, int? maximumChanges, IReadOnlyList<SortedSet<int>> forbidden)
    {
        var choices = MergeInvisible(instance, Choices(instance, cost));
        var x = instance.X;
        int d = x.Length;
        (double Cost, double[] Delta)? best = null;
        var delta = new double[d];
        var point = new double[d];
        void Recurse(int v, double partial)
        {
            if (v == choices.Count)
            {
                for (int j = 0; j < d; j++) point[j] = x[j] + delta[j];
                if (instance.Model.Score(point) < instance.ScoreThreshold)
                    return;
                var changed = ChangedVariables(instance, delta);
                if (maximumChanges is int k && changed.Count > k)
                    return;
                if (forbidden.Any(f => f.SetEquals(changed)))
                    return;
                if (best is null || partial < best.Value.Cost)
                    best = (partial, (double[])delta.Clone());
                return;
            }
            foreach (var (choiceDelta, choiceCost) in choices[v])
            {
                foreach (var (j, dj) in choiceDelta) delta[j] = dj;
                Recurse(v + 1, partial + choiceCost);
                foreach (var (j, _) in choiceDelta) delta[j] = 0;
            }
        }
        Recurse(0, 0);
        return best;
    }

    // Per variable: the cheapest allowed change for every distinct outcome of the splits reading it.
    private static List<List<((int Feature, double Delta)[] Change, double Cost)>> Choices(Instance instance, TreeRecourseCost cost)
    {
        var model = instance.Model;
        var set = instance.Actions;
        var x = instance.X;
        int d = x.Length;
        var polytope = set.Compile(x);
        var result = new List<List<((int, double)[], double)>>();
        var members = set.OneHotGroups.SelectMany(g => g.FeatureIndices).ToHashSet();
        for (int j = 0; j < d; j++)
        {
            if (members.Contains(j))
                continue;
            var thresholds = new List<double>();
            foreach (var tree in model.Trees)
                for (int n = 0; n < tree.NodeCount; n++)
                {
                    if (tree.GetNodeKind(n) == RegressionTreeNodeKind.Numerical && tree.SplitFeatures[n] == j) thresholds.Add(tree.Thresholds[n]);
                    if (tree.GetNodeKind(n) == RegressionTreeNodeKind.Categorical && tree.SplitFeatures[n] == j) thresholds.AddRange(tree.CategoricalLeftValues(n)!.Select(c => (double)c));
                    if (tree.GetNodeKind(n) == RegressionTreeNodeKind.IndicatorSet && tree.IndicatorFeatures(n)!.Contains(j)) thresholds.Add(0);
                }
            var bases = new List<double> { x[j], x[j] + polytope.Lower[j], x[j] + polytope.Upper[j] };
            foreach (double t in thresholds)
            {
                // x + (v − x) is the point scored, and it need not be v: t itself and the next double may be out of reach,
                // 1e-9 on either side is not.
                // Near t, x + (v − x) lands on a lattice of spacing about ulp(max(|x|, |t|)): a few steps of it either side.
                double u = Math.BitIncrement(Math.Max(Math.Abs(x[j]), Math.Abs(t))) - Math.Max(Math.Abs(x[j]), Math.Abs(t));
                bases.AddRange([t, Math.BitIncrement(t), t + 1e-9 * (1 + Math.Abs(t)), t - 1e-9 * (1 + Math.Abs(t)),
                    t + u, t + 2 * u, t - u, t - 2 * u, t - 0.5, t + 0.5, Math.Round(t) - 1, Math.Round(t) + 1]);
            }
            var candidates = new List<double>();
            var info = set.Features[j];
            var action = set.Actions[j];
            candidates.Add(x[j]);
            foreach (double b in bases.Where(double.IsFinite))
            {
                // A grid feature takes grid points only (x may stay off the grid).
                if (action.GridStep is null)
                    candidates.Add(b);
                if (action.GridStep is double step)
                {
                    double k = Math.Floor((info.ToOriginal(b) - action.GridOrigin) / step);
                    for (int i = -1; i <= 2; i++)
                    {
                        // The grid point; only when x + (g − x) rounds it across a split, the same point a few units in
                        // the last place away (still on the grid to 1e-12).
                        double g = info.FromOriginal(action.GridOrigin + (k + i) * step);
                        candidates.Add(g);
                        if (Outcomes(model, j, g) == Outcomes(model, j, x[j] + (g - x[j])))
                            continue;
                        double u = Math.BitIncrement(Math.Max(Math.Abs(x[j]), Math.Abs(g))) - Math.Max(Math.Abs(x[j]), Math.Abs(g));
                        candidates.AddRange([g + u, g - u, g + 2 * u, g - 2 * u, g + 4 * u, g - 4 * u]);
                    }
                }
            }
            var best = new Dictionary<string, ((int, double)[], double)>();
            var single = new double[d];
            foreach (double v in candidates.Distinct())
            {
                double dj = v - x[j];
                single[j] = dj;
                // The gate allows a rounding error on every bound; a direction (a bound of 0) is held exactly here.
                // So is a grid: the gate lets a change within its tolerance of 0 skip the grid check.
                // The gate's 1e-9 slack on the box is not a licence to cross a threshold at a box end: held to 1e-12 here.
                bool allowed = set.Contains(x, single) && dj >= polytope.Lower[j] - BoxSlack(polytope.Lower[j]) && dj <= polytope.Upper[j] + BoxSlack(polytope.Upper[j])
                    && (dj == 0 || action.GridStep is not double grid || OnGrid(info.ToOriginal(x[j] + dj), grid, action.GridOrigin));
                double c = Cost(instance, cost, single);
                single[j] = 0;
                if (!allowed)
                    continue;
                string key = Outcomes(model, j, x[j] + dj);
                // A candidate that only crosses a split because x + (v − x) rounds past it is a rounding artefact, not a value.
                if (key != Outcomes(model, j, v))
                    continue;
                if (!best.TryGetValue(key, out var current) || c < current.Item2)
                    best[key] = ([(j, dj)], c);
            }
            // A move that no split sees is not a change: where x itself is allowed, its outcome is kept as "stay".
            string stay = Outcomes(model, j, x[j]);
            if (best.ContainsKey(stay) && set.Contains(x, new double[d]))
                best[stay] = ([(j, 0.0)], 0);
            result.Add(best.Values.ToList());
        }
        foreach (var group in set.OneHotGroups)
        {
            var choices = new List<((int, double)[], double)>();
            for (int c = 0; c < group.FeatureIndices.Count; c++)
            {
                var delta = new double[d];
                foreach (int k in group.FeatureIndices)
                    delta[k] = (k == group.FeatureIndices[c] ? 1 : 0) - x[k];
                if (set.Contains(x, delta))
                    choices.Add((group.FeatureIndices.Select(k => (k, delta[k])).ToArray(), Cost(instance, cost, delta)));
            }
            result.Add(choices);
        }
        return result;
    }

    // Two values of a variable are the same option when, whatever the other variables take, every tree reaches the same
    // leaf: such values are merged, keeping the cheapest (and "stay" where x itself is among them).
    private static List<List<((int Feature, double Delta)[] Change, double Cost)>> MergeInvisible(Instance instance,
        List<List<((int Feature, double Delta)[] Change, double Cost)>> choices)
    {
        var model = instance.Model;
        int d = instance.X.Length;
        var merged = new List<List<((int Feature, double Delta)[] Change, double Cost)>>();
        for (int v = 0; v < choices.Count; v++)
        {
            var classes = new Dictionary<string, ((int Feature, double Delta)[] Change, double Cost)>();
            foreach (var choice in choices[v])
            {
                var signature = new System.Text.StringBuilder();
                var delta = new double[d];
                var point = new double[d];
                void Others(int w)
                {
                    if (w == choices.Count)
                    {
                        foreach (var (j, dj) in choice.Change) delta[j] = dj;
                        for (int j = 0; j < d; j++) point[j] = instance.X[j] + delta[j];
                        foreach (var tree in model.Trees) signature.Append(tree.GetLeaf(point)).Append(',');
                        signature.Append(';');
                        return;
                    }
                    if (w == v)
                    {
                        Others(w + 1);
                        return;
                    }
                    foreach (var other in choices[w])
                    {
                        foreach (var (j, dj) in other.Change) delta[j] = dj;
                        Others(w + 1);
                        foreach (var (j, _) in other.Change) delta[j] = 0;
                    }
                }
                Others(0);
                string key = signature.ToString();
                bool stays = choice.Change.All(c => c.Delta == 0);
                if (!classes.TryGetValue(key, out var current) || stays
                    || (current.Change.Any(c => c.Delta != 0) && choice.Cost < current.Cost))
                    classes[key] = (choice.Change, stays ? 0 : choice.Cost);
            }
            merged.Add(classes.Values.ToList());
        }
        return merged;
    }

    private static double BoxSlack(double bound) => bound == 0 ? 0 : 1e-12 * (1 + Math.Abs(bound));

    private static bool OnGrid(double original, double step, double origin)
        => Math.Abs(original - (origin + step * Math.Round((original - origin) / step))) <= 1e-12 * (1 + Math.Abs(original));

    // Which way every split that reads feature j alone sends value v, and whether v > 0 for indicator-set splits.
    private static string Outcomes(TreeEnsembleModel model, int j, double v)
    {
        var key = new System.Text.StringBuilder();
        foreach (var tree in model.Trees)
            for (int n = 0; n < tree.NodeCount; n++)
            {
                var kind = tree.GetNodeKind(n);
                if (kind == RegressionTreeNodeKind.IndicatorSet && tree.IndicatorFeatures(n)!.Contains(j))
                    key.Append(v > 0 ? 'P' : 'N');
                else if (kind != RegressionTreeNodeKind.IndicatorSet && tree.SplitFeatures[n] == j)
                    key.Append(tree.GoesLeft(n, v) ? 'L' : 'R');
            }
        return key.ToString();
    }
}
