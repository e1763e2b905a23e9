using Microsoft.ML.Recourse.Actions;
using Microsoft.ML.Recourse.Models.MlNet;
using Microsoft.ML.Recourse.Trees;

namespace Microsoft.ML.Recourse;

/// <summary>
/// Exact least-cost recourse on raw columns for a tree ensemble behind transforms compiled by
/// <see cref="ColumnFeatureMap"/>, on CP-SAT (<see cref="TreeEnsembleRecourse"/>). Every mutable numeric column must
/// reach the trees as a copy (one feature slot, slope 1; missing-value replacement and concatenation are copies) and
/// every mutable categorical column as one-hot indicators; each row then gets its own action set over the feature
/// vector (bounds, direction, whole steps and costs from the column's rules, a one-hot group per categorical column with
/// the values it may enter), and the trees' answer is read back into the columns.
/// </summary>
internal sealed class TreeColumnRecourse : IExactColumnMethod
{
    public const string MethodName = "trees-cp-sat";

    public string Name => MethodName;

    /// <inheritdoc/>
    public IExactColumnMethod? Safer => null;

    /// <inheritdoc/>
    public bool OptimalWithinRounding => true;

    private readonly ColumnFeatureMap _map;
    private readonly TreeEnsembleRecourse _solver;
    private readonly double _scoreThreshold;
    private readonly int[] _numericSlot;
    private readonly Dictionary<int, int>[] _categorySlots;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<int, TreeEnsembleRecourse> _solvers = new();

    private TreeColumnRecourse(ColumnFeatureMap map, TreeEnsembleRecourse solver, double scoreThreshold, int[] numericSlot, Dictionary<int, int>[] categorySlots)
    {
        _map = map;
        _solver = solver;
        _scoreThreshold = scoreThreshold;
        _numericSlot = numericSlot;
        _categorySlots = categorySlots;
    }

    private ColumnActionSpace Space => _map.Space;

    /// <summary>The tree recourse of a compiled model, or <see langword="null"/> with the reason its transforms do not fit.</summary>
    /// <param name="map">The compiled transforms.</param>
    /// <param name="model">The ensemble over the classifier's features.</param>
    /// <param name="scoreThreshold">The raw score a row must reach (the model's own decision plus a margin).</param>
    /// <param name="timeLimitSeconds">The time limit of each row's program.</param>
    /// <param name="reason">Why the transforms do not fit.</param>
    public static TreeColumnRecourse? TryCreate(ColumnFeatureMap map, TreeEnsembleModel model, double scoreThreshold, double? timeLimitSeconds, out string reason)
    {
        var space = map.Space;
        if (space.CostFunction != ColumnCostFunction.ScaledL1
            && space.Columns.Any(c => c.Mutable && (c.CostWeight != 1 || (space.CostFunction == ColumnCostFunction.PercentileShift && c is CategoricalColumnSpace))))
        {
            reason = "the tree program prices changed columns and percentile shifts without column weights or categorical costs";
            return null;
        }
        var numericSlot = Enumerable.Repeat(-1, space.Columns.Count).ToArray();
        var categorySlots = new Dictionary<int, int>[space.Columns.Count];
        for (int c = 0; c < space.Columns.Count; c++)
        {
            var column = space.Columns[c];
            categorySlots[c] = [];
            if (!column.Mutable) continue;
            var slots = Enumerable.Range(0, map.FeatureCount).Where(j => map.Slots[j].Column == c).ToArray();
            if (column is NumericColumnSpace)
            {
                if (slots.Length == 0) continue;
                if (slots.Length > 1 || map.Slots[slots[0]].Slope != 1)
                {
                    reason = $"'{column.Name}' reaches the trees {(slots.Length > 1 ? "in several feature slots" : "scaled")}, not as a copy";
                    return null;
                }
                numericSlot[c] = slots[0];
                continue;
            }
            foreach (int j in slots)
            {
                var table = map.Slots[j].Table!;
                int hot = Array.FindIndex(table, v => v == 1);
                if (hot < 0 || table.Any(v => v != 0 && v != 1) || table.Count(v => v == 1) != 1 || categorySlots[c].ContainsKey(hot))
                {
                    reason = $"'{column.Name}' reaches the trees in feature slot {j}, which is not a one-hot indicator";
                    return null;
                }
                categorySlots[c][hot] = j;
            }
        }
        var options = new TreeEnsembleRecourse.Options
        {
            TimeLimitSeconds = timeLimitSeconds ?? TreeEnsembleRecourse.Options.Defaults.TimeLimitSeconds,
            Cost = space.CostFunction switch
            {
                ColumnCostFunction.ChangedColumns => TreeRecourseCost.L0,
                ColumnCostFunction.PercentileShift => TreeRecourseCost.Percentile,
                _ => TreeRecourseCost.L1,
            },
            Quantiles = space.CostFunction == ColumnCostFunction.PercentileShift ? Quantiles(map, numericSlot) : null,
            MinimalOptions = true,
        };
        reason = "";
        return new TreeColumnRecourse(map, new TreeEnsembleRecourse(model, options), scoreThreshold, numericSlot, categorySlots);
    }

    // The training CDF of each numeric column, at its feature slot (the other slots never move under this cost).
    private static FeatureQuantiles Quantiles(ColumnFeatureMap map, int[] numericSlot)
    {
        var points = Enumerable.Range(0, map.FeatureCount).Select(_ => (IReadOnlyList<double>)[0.0]).ToArray();
        for (int c = 0; c < numericSlot.Length; c++)
            if (numericSlot[c] >= 0)
                points[numericSlot[c]] = ((NumericColumnSpace)map.Space.Columns[c]).SortedTraining.ToArray();
        return new FeatureQuantiles(points);
    }

    /// <summary>Up to <paramref name="optionCount"/> cheapest changes of <paramref name="row"/>, cheapest first.</summary>
    public (ColumnRecourseStatus Status, bool IsOptimal, List<object?[]> Options, string? Message) Solve(object?[] row, ReadOnlySpan<double> features,
        int optionCount, CancellationToken cancellationToken)
    {
        var x = features.ToArray();
        var (actionSet, decode) = ActionSetFor(row, x);
        if (actionSet is null) return (ColumnRecourseStatus.Infeasible, true, [], "no mutable column reaches the trees");
        var solver = optionCount == _solver.Settings.NumberOfOptions ? _solver
            : _solvers.GetOrAdd(optionCount, count => new TreeEnsembleRecourse(_solver.Model, WithOptions(_solver.Settings, count)));
        var result = solver.Solve(x, _scoreThreshold, actionSet, cancellationToken);
        return result.Status switch
        {
            TreeRecourseStatus.Optimal or TreeRecourseStatus.Feasible => (ColumnRecourseStatus.Found, result.Status == TreeRecourseStatus.Optimal,
                result.Options.Select(o => decode(o.Counterfactual)).ToList(), result.Status == TreeRecourseStatus.Feasible ? result.Message : null),
            TreeRecourseStatus.Infeasible => (ColumnRecourseStatus.Infeasible, true, [], result.Message),
            TreeRecourseStatus.AlreadyAccepted => (ColumnRecourseStatus.NotFound, false, [], "the trees accept the row as compiled, but the model does not"),
            _ => (ColumnRecourseStatus.NotFound, false, [], result.Message),
        };
    }

    private static TreeEnsembleRecourse.Options WithOptions(TreeEnsembleRecourse.Options o, int count) => new()
    {
        TimeLimitSeconds = o.TimeLimitSeconds, NumberOfWorkers = o.NumberOfWorkers, Seed = o.Seed, Cost = o.Cost, Quantiles = o.Quantiles,
        MaximumChangedFeatures = o.MaximumChangedFeatures, NumberOfOptions = count, MinimalOptions = o.MinimalOptions,
    };

    // This row's action set over the feature vector, and the map from a counterfactual back to a raw row.
    private (ActionSet? Set, Func<IReadOnlyList<double>, object?[]> Decode) ActionSetFor(object?[] row, double[] x)
    {
        int d = x.Length;
        var infos = Enumerable.Range(0, d).Select(j => new FeatureInfo($"f{j}", Actionability: FeatureActionability.Immutable)).ToArray();
        var builder = ActionSet.CreateBuilder(infos, double.PositiveInfinity);
        var numeric = new List<(NumericColumnSpace Column, int Slot)>();
        var categorical = new List<(CategoricalColumnSpace Column, Dictionary<int, int> Slots)>();
        for (int c = 0; c < Space.Columns.Count; c++)
        {
            var column = Space.Columns[c];
            if (!column.Mutable) continue;
            if (column is NumericColumnSpace n && _numericSlot[c] is int j and >= 0)
            {
                double value = RawRows.ToDouble(row[n.Index]!);
                if (double.IsNaN(value) || (n.IsInteger && value != Math.Round(value)) || value != x[j]) continue;
                var (low, high) = n.Range(value);
                if (n.IsInteger) (low, high) = (Math.Ceiling(low), Math.Floor(high));
                if (!(high > low)) continue;
                builder.SetActionability(infos[j].Name, FeatureActionability.Free).SetBounds(infos[j].Name, low, high)
                    .SetStandardScale(infos[j].Name, n.Spread).SetCostWeight(infos[j].Name, n.CostWeight);
                if (n.IsInteger) builder.SetInteger(infos[j].Name);
                numeric.Add((n, j));
            }
            else if (column is CategoricalColumnSpace cat && _categorySlots[c].Count >= 2)
            {
                var slots = _categorySlots[c];
                string current = CategoricalColumnSpace.TextOf(row[cat.Index]!);
                int currentIndex = ColumnFeatureMap.IndexOf(cat, current);
                if (currentIndex < 0 || !slots.ContainsKey(currentIndex)) continue;
                var targets = cat.Targets(current).Select(t => ColumnFeatureMap.IndexOf(cat, t)).Where(slots.ContainsKey).ToHashSet();
                if (targets.Count == 0) continue;
                var members = slots.OrderBy(s => s.Key).ToArray();
                builder.AddOneHotGroup($"c{c}", members.Select(m => infos[m.Value].Name).ToArray(), isMutable: true, members.Select(m => cat.Categories[m.Key]).ToArray());
                foreach (var (category, slot) in members)
                {
                    var actionability = category == currentIndex ? FeatureActionability.DecreaseOnly
                        : targets.Contains(category) ? FeatureActionability.IncreaseOnly : FeatureActionability.Immutable;
                    // A switch costs the column's weight: half to leave a category, half to enter another.
                    builder.SetActionability(infos[slot].Name, actionability).SetStandardScale(infos[slot].Name, 1).SetCostWeight(infos[slot].Name, cat.CostWeight / 2);
                }
                categorical.Add((cat, slots));
            }
        }
        if (numeric.Count == 0 && categorical.Count == 0) return (null, _ => row);
        return (builder.Build(), counterfactual =>
        {
            var changed = (object?[])row.Clone();
            foreach (var (column, slot) in numeric)
                if (counterfactual[slot] != x[slot]) changed[column.Index] = column.ToRaw(counterfactual[slot]);
            foreach (var (column, slots) in categorical)
                foreach (var (category, slot) in slots)
                    if (counterfactual[slot] == 1 && x[slot] != 1) changed[column.Index] = column.ToRaw(column.Categories[category]);
            return changed;
        });
    }
}
