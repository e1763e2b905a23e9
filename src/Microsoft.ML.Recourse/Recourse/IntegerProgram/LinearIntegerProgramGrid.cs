using System.Globalization;
using Microsoft.ML.Recourse.Actions;
using Microsoft.ML.Recourse.Optimization;

namespace Microsoft.ML.Recourse;

/// <summary>
/// One block of the integer program: a feature, or a one-hot group, with its finite menu of changes ("choices").
/// Choice 0 is always "no change" (gain 0, cost 0).
/// </summary>
internal sealed class ActionGridItem
{
    public ActionGridItem(string name, int[] features, double[] changes, double[] gains, double[] costs, double[] tieCosts)
    {
        Name = name;
        Features = features;
        Changes = changes;
        Gains = gains;
        Costs = costs;
        TieCosts = tieCosts;
    }

    /// <summary>The feature's or group's name.</summary>
    public string Name { get; }

    /// <summary>The features this block changes.</summary>
    public int[] Features { get; }

    /// <summary>The changes, choice-major: <c>Changes[k · Features.Length + m]</c> is δ of <c>Features[m]</c> under choice k.</summary>
    public double[] Changes { get; }

    /// <summary>The linear score gained by each choice.</summary>
    public double[] Gains { get; }

    /// <summary>The objective cost of each choice (for the max-cost objective: the block's percentile shift, max over its features).</summary>
    public double[] Costs { get; }

    /// <summary>The tie-breaking cost of each choice (the max-cost objective's Σ cⱼ term; equal to <see cref="Costs"/> otherwise).</summary>
    public double[] TieCosts { get; }

    public int ChoiceCount => Gains.Length;
}

/// <summary>
/// The integer program of Ustun, Spangher &amp; Liu (2019) for one row, over finite action grids:
/// choose one change per block so that the linear score gain Σ gains ≥ <see cref="RequiredGain"/>, the general rows
/// of the action set hold, and the cost is least (Σ costs, or max costs then Σ tie costs).
/// </summary>
internal sealed class ActionGridProblem
{
    public ActionGridProblem(int featureCount, ActionGridItem[] items, double requiredGain, bool isMaximumCost, IReadOnlyList<LinearConstraint> generalRows)
    {
        FeatureCount = featureCount;
        Items = items;
        RequiredGain = requiredGain;
        IsMaximumCost = isMaximumCost;
        GeneralRows = generalRows;
        MaximumGain = items.Sum(item => item.Gains.Max());
    }

    public int FeatureCount { get; }

    public ActionGridItem[] Items { get; }

    public double RequiredGain { get; }

    /// <summary>Whether the objective is min max cost (then min Σ tie costs), rather than min Σ costs.</summary>
    public bool IsMaximumCost { get; }

    /// <summary>General rows A·δ ≥ lower over the features (from the compiled action set).</summary>
    public IReadOnlyList<LinearConstraint> GeneralRows { get; }

    /// <summary>The largest gain any choice of actions reaches (each block at its best choice; ignores general rows).</summary>
    public double MaximumGain { get; }

    /// <summary>Whether a total gain meets the score row; no slack, so an exact linear model accepts every answer.</summary>
    public bool MeetsScore(double gain) => gain >= RequiredGain;

    public double Gain(int[] choice)
    {
        double gain = 0;
        for (int i = 0; i < Items.Length; i++) gain += Items[i].Gains[choice[i]];
        return gain;
    }

    /// <summary>The objective (primary, tie): (Σ costs, 0) for additive costs; (max costs, Σ tie costs) for the max-cost objective.</summary>
    public (double Primary, double Tie) Objective(int[] choice)
    {
        double sum = 0, max = 0, tie = 0;
        for (int i = 0; i < Items.Length; i++)
        {
            sum += Items[i].Costs[choice[i]];
            max = Math.Max(max, Items[i].Costs[choice[i]]);
            tie += Items[i].TieCosts[choice[i]];
        }
        return IsMaximumCost ? (max, tie) : (sum, 0);
    }

    public double[] Delta(int[] choice)
    {
        var delta = new double[FeatureCount];
        for (int i = 0; i < Items.Length; i++)
        {
            var item = Items[i];
            int m = item.Features.Length;
            for (int f = 0; f < m; f++) delta[item.Features[f]] = item.Changes[choice[i] * m + f];
        }
        return delta;
    }

    public static bool[] Support(int[] choice) => choice.Select(k => k != 0).ToArray();

    public bool SatisfiesGeneralRows(int[] choice)
    {
        var delta = Delta(choice);
        foreach (var row in GeneralRows)
        {
            double activity = 0, magnitude = Math.Abs(row.Lower);
            for (int k = 0; k < row.Indices.Count; k++)
            {
                double term = row.Coefficients[k] * delta[row.Indices[k]];
                activity += term;
                magnitude += Math.Abs(term);
            }
            if (activity < row.Lower - 1e-9 * (1 + magnitude)) return false;
        }
        return true;
    }

    /// <summary>
    /// Writes the program as a MIP: one binary uₖ per choice with Σₖ uₖ = 1 per block, the score row, the
    /// general rows on δ = Σ changes·u, "distinct subsets" no-good rows (Σ_{i∈S} u_{i0} − Σ_{i∉S} u_{i0} ≥ 1 − |S̄|),
    /// and for the max-cost objective a column c_max ≥ Σₖ costₖ uₖ per block with objective c_max + ε Σ tie costs.
    /// </summary>
    public LinearProgram ToIntegerProgram(IReadOnlyList<bool[]> forbiddenSupports)
    {
        var offset = new int[Items.Length + 1];
        for (int i = 0; i < Items.Length; i++) offset[i + 1] = offset[i] + Items[i].ChoiceCount;
        int binaries = offset[^1];
        int columns = binaries + (IsMaximumCost ? 1 : 0);
        var objective = new double[columns];
        double tieWeight = IsMaximumCost ? TieBreakWeight() : 0;
        for (int i = 0; i < Items.Length; i++)
        {
            for (int k = 0; k < Items[i].ChoiceCount; k++)
                objective[offset[i] + k] = IsMaximumCost ? tieWeight * Items[i].TieCosts[k] : Items[i].Costs[k];
        }
        var upper = Enumerable.Repeat(1.0, columns).ToArray();
        var isInteger = Enumerable.Repeat(true, columns).ToArray();
        if (IsMaximumCost)
        {
            objective[binaries] = 1;
            upper[binaries] = double.PositiveInfinity;
            isInteger[binaries] = false;
        }

        var rows = new List<LinearConstraint>();
        for (int i = 0; i < Items.Length; i++)
            rows.Add(new LinearConstraint(Enumerable.Range(offset[i], Items[i].ChoiceCount).ToArray(), Enumerable.Repeat(1.0, Items[i].ChoiceCount).ToArray(), 1, 1));
        rows.Add(RowOverChoices(offset, (item, k) => item.Gains[k], RequiredGain));
        foreach (var general in GeneralRows)
        {
            var coefficient = new Dictionary<int, double>();
            for (int k = 0; k < general.Indices.Count; k++) coefficient[general.Indices[k]] = general.Coefficients[k];
            rows.Add(RowOverChoices(offset, (item, k) =>
            {
                double a = 0;
                for (int f = 0; f < item.Features.Length; f++)
                    a += coefficient.GetValueOrDefault(item.Features[f]) * item.Changes[k * item.Features.Length + f];
                return a;
            }, general.Lower));
        }
        foreach (var support in forbiddenSupports)
        {
            int outside = support.Count(s => !s);
            rows.Add(new LinearConstraint(offset[..^1], support.Select(s => s ? 1.0 : -1.0).ToArray(), 1 - outside, double.PositiveInfinity));
        }
        if (IsMaximumCost)
        {
            for (int i = 0; i < Items.Length; i++)
            {
                var indices = Enumerable.Range(offset[i], Items[i].ChoiceCount).Append(binaries).ToArray();
                var coefficients = Items[i].Costs.Select(c => -c).Append(1.0).ToArray();
                rows.Add(new LinearConstraint(indices, coefficients, 0, double.PositiveInfinity));
            }
        }
        return new LinearProgram(objective, new double[columns], upper, rows, isInteger);
    }

    /// <summary>Reads each block's choice from a solution of <see cref="ToIntegerProgram"/>.</summary>
    public int[] ChoiceFromSolution(IReadOnlyList<double> solution)
    {
        var choice = new int[Items.Length];
        int offset = 0;
        for (int i = 0; i < Items.Length; i++)
        {
            int best = 0;
            for (int k = 1; k < Items[i].ChoiceCount; k++)
                if (solution[offset + k] > solution[offset + best]) best = k;
            choice[i] = best;
            offset += Items[i].ChoiceCount;
        }
        return choice;
    }

    /// <summary>
    /// ε of "min c_max + ε Σ tie costs": half the smallest gap between distinct block costs (the values c_max can take)
    /// over the largest possible Σ tie costs, so the tie-break never outweighs one step of c_max.
    /// </summary>
    private double TieBreakWeight()
    {
        var values = Items.SelectMany(item => item.Costs).Distinct().Order().ToArray();
        double gap = double.PositiveInfinity;
        for (int v = 1; v < values.Length; v++) gap = Math.Min(gap, values[v] - values[v - 1]);
        double largestTie = Items.Sum(item => item.TieCosts.Max());
        if (double.IsPositiveInfinity(gap) || largestTie <= 0) return 1;
        return 0.5 * gap / largestTie;
    }

    private LinearConstraint RowOverChoices(int[] offset, Func<ActionGridItem, int, double> coefficient, double lower)
    {
        var indices = new List<int>();
        var values = new List<double>();
        for (int i = 0; i < Items.Length; i++)
        {
            for (int k = 0; k < Items[i].ChoiceCount; k++)
            {
                double a = coefficient(Items[i], k);
                if (a != 0)
                {
                    indices.Add(offset[i] + k);
                    values.Add(a);
                }
            }
        }
        return new LinearConstraint(indices, values, lower, double.PositiveInfinity);
    }
}

/// <summary>How the integer program prices one feature's change.</summary>
internal sealed class ActionGridCosts
{
    private readonly ActionSet _actionSet;
    private readonly PercentileTable? _percentiles;

    public ActionGridCosts(ActionSet actionSet, RecourseCostFunction function, PercentileTable? percentiles)
    {
        _actionSet = actionSet;
        Function = function;
        _percentiles = percentiles;
    }

    public RecourseCostFunction Function { get; }

    public bool IsMaximum => Function == RecourseCostFunction.MaximumPercentileShift;

    public double Of(int feature, double x, double delta) => Function == RecourseCostFunction.L1
        ? _actionSet.CostPerUnitChange[feature] * Math.Abs(delta)
        : _percentiles!.Shift(feature, x, x + delta);
}

/// <summary>The empirical CDFs Qⱼ of a reference population, one sorted column per feature.</summary>
internal sealed class PercentileTable
{
    private readonly double[][] _sorted;

    private PercentileTable(double[][] sorted) => _sorted = sorted;

    public int FeatureCount => _sorted.Length;

    public static PercentileTable Create(IReadOnlyList<double> rows, int featureCount, string paramName)
    {
        Contracts.CheckParam(rows.Count > 0 && rows.Count % featureCount == 0, paramName,
            $"The reference population must hold rows × {featureCount} values (one row per person, row-major, in the model's units); got {rows.Count} values.");
        int n = rows.Count / featureCount;
        var sorted = new double[featureCount][];
        for (int j = 0; j < featureCount; j++)
        {
            var column = new double[n];
            for (int r = 0; r < n; r++)
            {
                double v = rows[r * featureCount + j];
                Contracts.CheckParam(double.IsFinite(v), paramName,
                    string.Create(CultureInfo.InvariantCulture, $"Value {j} of reference row {r} is not finite ({v})."));
                column[r] = v;
            }
            Array.Sort(column);
            sorted[j] = column;
        }
        return new PercentileTable(sorted);
    }

    /// <summary>|Qⱼ(to) − Qⱼ(from)|, computed from whole counts so equal shifts are equal numbers.</summary>
    public double Shift(int feature, double from, double to)
    {
        var column = _sorted[feature];
        return Math.Abs(CountAtMost(column, to) - CountAtMost(column, from)) / (double)column.Length;
    }

    // Values within a rounding error of v count as equal to it (grid points and data coincide on whole numbers).
    private static int CountAtMost(double[] column, double v)
    {
        double limit = v + 1e-9 * (1 + Math.Abs(v));
        int lo = 0, hi = column.Length;
        while (lo < hi)
        {
            int mid = (lo + hi) >>> 1;
            if (column[mid] <= limit) lo = mid + 1; else hi = mid;
        }
        return lo;
    }
}

/// <summary>Builds the action grids of one row from its compiled polytope Δ(x).</summary>
internal static class ActionGridBuilder
{
    /// <summary>
    /// Builds the blocks: each movable feature outside a one-hot group gets its declared grid (thinned to at most
    /// <paramref name="gridPoints"/> points by whole steps when denser) or <paramref name="gridPoints"/> evenly spaced
    /// points over its box, plus 0; each one-hot group gets "stay" plus one switch per category it may enter.
    /// </summary>
    /// <remarks>
    /// With <paramref name="robustnessRadius"/> ρ &gt; 0 the score row is ROAR's worst-case logit for a linear logit
    /// with weights <paramref name="gains"/>: a choice that moves xⱼ by a gains wⱼa − ρ(|xⱼ + a| − |xⱼ|), the change of
    /// wⱼx′ⱼ − ρ|x′ⱼ| (every weight shifted by ρ against the sign of x′ⱼ); the caller puts −ρ(‖x‖₁ + 1) into the score at x.
    /// On a grid |xⱼ + a| is a constant per choice, so the row stays linear in the choices.
    /// </remarks>
    public static ActionGridProblem Build(PerturbationPolytope polytope, ReadOnlySpan<double> gains, double requiredGain,
        ActionGridCosts costs, int gridPoints, int rowIndex, double robustnessRadius = 0)
    {
        var set = polytope.ActionSet;
        var x = polytope.Row;
        var items = new List<ActionGridItem>();
        for (int j = 0; j < set.FeatureCount; j++)
        {
            if (set.GroupOf[j] >= 0)
            {
                if (set.OneHotGroups[set.GroupOf[j]].FeatureIndices[0] == j)
                    AddGroup(items, polytope, set.OneHotGroups[set.GroupOf[j]], gains, costs, robustnessRadius);
                continue;
            }
            double lo = polytope.Lower[j], hi = polytope.Upper[j];
            if (lo == 0 && hi == 0) continue;
            if (!double.IsFinite(lo) || !double.IsFinite(hi))
                throw new ArgumentOutOfRangeException("actionSet", string.Create(CultureInfo.InvariantCulture,
                    $"Feature '{set.Features[j].Name}' has no finite limit in row {rowIndex} (box [{lo}, {hi}]); the integer program needs a finite action grid: give the feature a maximum change or bounds."));
            var changes = GridChanges(set, j, x[j], lo, hi, gridPoints);
            var itemGains = new double[changes.Length];
            var itemCosts = new double[changes.Length];
            for (int k = 1; k < changes.Length; k++)
            {
                itemGains[k] = gains[j] * changes[k] - RobustPenalty(robustnessRadius, x[j], changes[k]);
                itemCosts[k] = costs.Of(j, x[j], changes[k]);
            }
            items.Add(new ActionGridItem(set.Features[j].Name, [j], changes, itemGains, itemCosts, itemCosts));
        }
        // As Ustun et al.: a change that does not raise the score is never worth its cost, so it is dropped, unless a
        // general row involves the block (such a change may be what satisfies the row).
        var constrained = polytope.GeneralRows.SelectMany(row => row.Indices).ToHashSet();
        var pruned = items.Select(item => item.Features.Any(constrained.Contains) ? item : WithoutNonImproving(item)).Where(item => item.ChoiceCount > 1);
        return new ActionGridProblem(set.FeatureCount, pruned.ToArray(), requiredGain, costs.IsMaximum, polytope.GeneralRows);
    }

    private static ActionGridItem WithoutNonImproving(ActionGridItem item)
    {
        var keep = Enumerable.Range(0, item.ChoiceCount).Where(k => k == 0 || item.Gains[k] > 0).ToArray();
        int m = item.Features.Length;
        return new ActionGridItem(item.Name, item.Features, keep.SelectMany(k => item.Changes.Skip(k * m).Take(m)).ToArray(),
            keep.Select(k => item.Gains[k]).ToArray(), keep.Select(k => item.Costs[k]).ToArray(), keep.Select(k => item.TieCosts[k]).ToArray());
    }

    /// <summary>The grid of changes of one feature: 0 first, then the other points in increasing order.</summary>
    internal static double[] GridChanges(ActionSet set, int j, double x, double lo, double hi, int gridPoints)
    {
        var action = set.Actions[j];
        var feature = set.Features[j];
        var points = new List<double>();
        if (action.GridStep is double step)
        {
            // The box of a grid feature already ends on grid points (see PerturbationPolytope).
            double bottom = feature.ToOriginal(x + lo), top = feature.ToOriginal(x + hi);
            long first = (long)Math.Ceiling((bottom - action.GridOrigin) / step - 1e-9);
            long last = (long)Math.Floor((top - action.GridOrigin) / step + 1e-9);
            long count = last - first + 1;
            long stride = Math.Max(1, (count + gridPoints - 2) / (gridPoints - 1));
            for (long k = first; k <= last; k += stride) points.Add(feature.FromOriginal(action.GridOrigin + k * step) - x);
            if ((last - first) % stride != 0) points.Add(feature.FromOriginal(action.GridOrigin + last * step) - x);
            for (int p = 0; p < points.Count; p++) points[p] = Math.Clamp(points[p], lo, hi);
        }
        else
        {
            for (int t = 0; t < gridPoints; t++) points.Add(t == gridPoints - 1 ? hi : lo + (hi - lo) * t / (gridPoints - 1));
        }
        var changes = new List<double> { 0 };
        foreach (double p in points.Order())
        {
            if (Math.Abs(p) > 1e-12 * (1 + Math.Abs(x)) && Math.Abs(p - changes[^1]) > 1e-15)
                changes.Add(p);
        }
        return changes.ToArray();
    }

    /// <summary>ρ(|x + a| − |x|): how much a change raises the worst-case penalty ρ‖x′‖₁ (0 when ρ = 0).</summary>
    private static double RobustPenalty(double radius, double x, double change)
        => radius == 0 ? 0 : radius * (Math.Abs(x + change) - Math.Abs(x));

    private static void AddGroup(List<ActionGridItem> items, PerturbationPolytope polytope, OneHotGroup group, ReadOnlySpan<double> gains, ActionGridCosts costs,
        double robustnessRadius)
    {
        var x = polytope.Row;
        int active = group.FeatureIndices.Select((j, k) => (j, k)).First(t => Math.Abs(x[t.j] - 1) <= PerturbationPolytope.DefaultTolerance).k;
        int a = group.FeatureIndices[active];
        if (polytope.Lower[a] > -1 + PerturbationPolytope.DefaultTolerance) return;
        var features = group.FeatureIndices.ToArray();
        int m = features.Length;
        var changes = new List<double>(new double[m]);
        var itemGains = new List<double> { 0 };
        var itemCosts = new List<double> { 0 };
        var tieCosts = new List<double> { 0 };
        for (int k = 0; k < m; k++)
        {
            int b = features[k];
            if (k == active || polytope.Upper[b] < 1 - PerturbationPolytope.DefaultTolerance) continue;
            var change = new double[m];
            change[active] = -x[a];
            change[k] = 1 - x[b];
            changes.AddRange(change);
            itemGains.Add(gains[a] * change[active] + gains[b] * change[k]
                - RobustPenalty(robustnessRadius, x[a], change[active]) - RobustPenalty(robustnessRadius, x[b], change[k]));
            double leave = costs.Of(a, x[a], change[active]), enter = costs.Of(b, x[b], change[k]);
            itemCosts.Add(costs.IsMaximum ? Math.Max(leave, enter) : leave + enter);
            tieCosts.Add(leave + enter);
        }
        if (itemGains.Count > 1)
            items.Add(new ActionGridItem(group.Name, features, changes.ToArray(), itemGains.ToArray(), itemCosts.ToArray(), tieCosts.ToArray()));
    }
}
