using Microsoft.ML.Recourse.Actions;
using Microsoft.ML.Recourse.Models.MlNet;
using Microsoft.ML.Recourse.Optimization;

namespace Microsoft.ML.Recourse;

/// <summary>
/// Exact least-cost recourse on raw columns for a linear classifier behind transforms compiled by
/// <see cref="ColumnFeatureMap"/>: the logit is z(row) + Σ gᵢ·(yᵢ − xᵢ) + Σ gain(category) over the mutable columns,
/// and the cheapest change that lifts it to the threshold is a small mixed-integer program (OR-Tools): a value yᵢ per
/// numeric column (whole for integer columns) inside its allowed range, a binary per reachable category, and a binary
/// per column that marks it changed. The cost is the action space's: scaled L1, changed columns (L0, ties broken by the
/// scaled L1), or the percentile shift (per numeric column a choice among the values where its percentile changes).
/// Further options exclude every earlier option's set of changed columns and its supersets (a superset only adds
/// changes to an option that already works), as AR's flipsets do.
/// </summary>
internal sealed class LinearColumnRecourse : IExactColumnMethod
{
    public const string MethodName = "linear-mip";

    public string Name => MethodName;

    private readonly ColumnFeatureMap _map;
    private readonly double[] _weights;
    private readonly double _bias;
    private readonly double _targetLogit;
    private readonly ILinearProgramSolver _solver;

    /// <param name="map">The compiled transforms.</param>
    /// <param name="weights">The logit's weights over the classifier's features.</param>
    /// <param name="bias">The logit's bias.</param>
    /// <param name="targetLogit">The logit a row must reach to be accepted (the model's own boundary plus its margin).</param>
    /// <param name="solver">The mixed-integer solver.</param>
    /// <param name="saferTargets">Higher targets, in increasing order, for rows whose answer the model rejects, each
    /// with whether its optimum is still the model's optimum up to the float rounding of its score.</param>
    public LinearColumnRecourse(ColumnFeatureMap map, IReadOnlyList<double> weights, double bias, double targetLogit, ILinearProgramSolver solver,
        IReadOnlyList<(double TargetLogit, bool OptimalWithinRounding)>? saferTargets = null)
        : this(map, weights.ToArray(), bias, targetLogit, true, solver, saferTargets ?? [])
    {
    }

    private LinearColumnRecourse(ColumnFeatureMap map, double[] weights, double bias, double targetLogit, bool optimalWithinRounding,
        ILinearProgramSolver solver, IReadOnlyList<(double TargetLogit, bool OptimalWithinRounding)> saferTargets)
    {
        _map = map;
        _weights = weights;
        _bias = bias;
        _targetLogit = targetLogit;
        _solver = solver;
        OptimalWithinRounding = optimalWithinRounding;
        var higher = saferTargets.SkipWhile(t => t.TargetLogit <= targetLogit).ToArray();
        Safer = higher.Length == 0 ? null
            : new LinearColumnRecourse(map, weights, bias, higher[0].TargetLogit, higher[0].OptimalWithinRounding, solver, higher[1..]);
    }

    /// <inheritdoc/>
    public IExactColumnMethod? Safer { get; }

    /// <inheritdoc/>
    public bool OptimalWithinRounding { get; }

    private ColumnActionSpace Space => _map.Space;

    /// <summary>The logit of a row from its features.</summary>
    public double Logit(ReadOnlySpan<double> features)
    {
        double z = _bias;
        for (int j = 0; j < _weights.Length; j++) z += _weights[j] * features[j];
        return z;
    }

    /// <summary>
    /// Up to <paramref name="optionCount"/> cheapest changes of <paramref name="row"/> (whose features are
    /// <paramref name="features"/>) that reach the target logit in the compiled form, cheapest first; the caller checks
    /// each with the model itself.
    /// </summary>
    public (ColumnRecourseStatus Status, bool IsOptimal, List<object?[]> Options, string? Message) Solve(object?[] row, ReadOnlySpan<double> features,
        int optionCount, CancellationToken cancellationToken)
    {
        var problem = Build(row, features);
        if (problem.Blocks.Count == 0)
            return (ColumnRecourseStatus.Infeasible, true, [], "no mutable column moves the model's score");
        var options = new List<object?[]>();
        var cuts = new List<LinearConstraint>();
        bool optimal = true;
        while (options.Count < optionCount)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var result = _solver.Solve(problem.Program(cuts), cancellationToken);
            if (result.Status == LinearProgramStatus.Infeasible)
            {
                if (options.Count > 0) break;
                return (ColumnRecourseStatus.Infeasible, true, [],
                    FormattableString.Invariant($"no change the action set allows lifts the logit from {Logit(features):G6} to {_targetLogit:G6}"));
            }
            if (result.Solution.Count == 0)
            {
                if (options.Count > 0) break;
                return (ColumnRecourseStatus.NotFound, false, [], $"the solver stopped ({result.Status}): {result.Message}");
            }
            if (options.Count == 0) optimal = result.IsOptimal;
            var (candidate, changed) = problem.Decode(result.Solution);
            Shrink(row, candidate, features);
            options.Add(candidate);
            if (changed.Count == 0) break;
            cuts.Add(new LinearConstraint(changed.SelectMany(b => problem.Blocks[b].ChangedIndices).ToArray(),
                changed.SelectMany(b => problem.Blocks[b].ChangedIndices.Select(_ => 1.0)).ToArray(), double.NegativeInfinity, changed.Count - 1));
        }
        return (ColumnRecourseStatus.Found, optimal, options, null);
    }

    // Moves each changed number back toward the person's value while the logit stays at the target: the program puts
    // an L0 or percentile optimum anywhere inside a cost step; this keeps it as close as the threshold allows.
    private void Shrink(object?[] row, object?[] candidate, ReadOnlySpan<double> features)
    {
        var predicted = new double[_map.FeatureCount];
        _map.Predict(features, row, candidate, predicted);
        double slack = Logit(predicted) - _targetLogit;
        foreach (var column in Space.Columns.OfType<NumericColumnSpace>().OrderByDescending(c => c.CostWeight / c.Spread))
        {
            double x = RawRows.ToDouble(row[column.Index]!), y = RawRows.ToDouble(candidate[column.Index]!);
            double g = Gain(column);
            if (x.Equals(y) || g == 0 || slack <= 0) continue;
            double back = Math.Min(Math.Abs(y - x), slack / Math.Abs(g));
            double target = y - Math.Sign(y - x) * back;
            double value = RoundAway(column, x, target, y);
            if (double.IsNaN(value)) continue;
            slack -= g * (y - value);
            candidate[column.Index] = column.ToRaw(value);
        }
    }

    // The nearest representable value between x and y that is no closer to x than target (so the gain is kept).
    private static double RoundAway(NumericColumnSpace column, double x, double target, double y)
    {
        double low = Math.Min(x, y), high = Math.Max(x, y);
        double value = y > x ? (column.IsInteger ? Math.Ceiling(target) : target) : (column.IsInteger ? Math.Floor(target) : target);
        value = column.Representable(value, low, high);
        if (double.IsNaN(value)) return double.NaN;
        if (column.Type == Microsoft.ML.Data.NumberDataViewType.Single && !column.IsInteger)
        {
            float f = (float)value;
            if (y > x && f < target) f = MathF.BitIncrement(f);
            if (y < x && f > target) f = MathF.BitDecrement(f);
            value = Math.Clamp(f, low, high);
        }
        return value;
    }

    private double Gain(NumericColumnSpace column)
    {
        int c = IndexOfColumn(column);
        double g = 0;
        for (int j = 0; j < _map.Slots.Count; j++)
            if (_map.Slots[j] is { Kind: SlotSourceKind.Numeric } s && s.Column == c) g += _weights[j] * s.Slope;
        return g;
    }

    private int IndexOfColumn(ColumnSpace column)
    {
        for (int c = 0; c < Space.Columns.Count; c++)
            if (ReferenceEquals(Space.Columns[c], column)) return c;
        return -1;
    }

    private Problem Build(object?[] row, ReadOnlySpan<double> features)
    {
        var builder = new Problem(row, Space, _targetLogit - Logit(features));
        for (int c = 0; c < Space.Columns.Count; c++)
        {
            var column = Space.Columns[c];
            if (!column.Mutable) continue;
            if (column is NumericColumnSpace numeric)
            {
                double g = Gain(numeric);
                double x = RawRows.ToDouble(row[numeric.Index]!);
                if (g == 0 || double.IsNaN(x) || (numeric.IsInteger && x != Math.Round(x))) continue;
                var (low, high) = numeric.Range(x);
                // Only the direction that raises the logit can help; a move the other way never pays for itself.
                if (g > 0) low = x; else high = x;
                if (numeric.IsInteger) (low, high) = (Math.Ceiling(low), Math.Floor(high));
                if (high - low <= 0) continue;
                builder.AddNumeric(numeric, x, low, high, g);
            }
            else
            {
                var categorical = (CategoricalColumnSpace)column;
                object from = row[categorical.Index]!;
                var targets = new List<(string Category, double Gain)>();
                foreach (var category in categorical.Targets(CategoricalColumnSpace.TextOf(from)))
                {
                    double gain = 0;
                    for (int j = 0; j < _map.Slots.Count; j++)
                        if (_map.Slots[j] is { Kind: SlotSourceKind.Categorical } s && s.Column == c)
                            gain += _weights[j] * ColumnFeatureMap.CategoryMove(s, categorical, from, category, features[j]);
                    if (gain > 0) targets.Add((category, gain));
                }
                if (targets.Count > 0) builder.AddCategorical(categorical, targets);
            }
        }
        return builder;
    }

    /// <summary>One column's variables in the program.</summary>
    private sealed record Block(ColumnSpace Column, int[] ChangedIndices, Func<IReadOnlyList<double>, object?> Decode);

    /// <summary>The mixed-integer program of one row.</summary>
    private sealed class Problem(object?[] row, ColumnActionSpace space, double requiredGain)
    {
        private readonly List<double> _objective = [];
        private readonly List<double> _lower = [];
        private readonly List<double> _upper = [];
        private readonly List<bool> _integer = [];
        private readonly List<LinearConstraint> _rows = [];
        private readonly List<int> _gainIndices = [];
        private readonly List<double> _gainValues = [];

        public List<Block> Blocks { get; } = [];

        private int Add(double cost, double lower, double upper, bool integer)
        {
            _objective.Add(cost);
            _lower.Add(lower);
            _upper.Add(upper);
            _integer.Add(integer);
            return _objective.Count - 1;
        }

        public void AddNumeric(NumericColumnSpace column, double x, double low, double high, double gain)
        {
            double unitCost = column.CostWeight / column.Spread;
            if (space.CostFunction == ColumnCostFunction.PercentileShift)
            {
                // The percentile cost is a step function: the values worth considering end a step on the side the gain points to.
                var values = PercentileCandidates(column, x, low, high, gain > 0);
                var choices = values.Select(v => Add(column.CostWeight * Math.Abs(column.Quantile(v) - column.Quantile(x)) + 1e-9 * unitCost * Math.Abs(v - x), 0, 1, true)).ToArray();
                if (choices.Length == 0) return;
                _rows.Add(new LinearConstraint(choices, choices.Select(_ => 1.0).ToArray(), double.NegativeInfinity, 1));
                for (int k = 0; k < choices.Length; k++)
                {
                    _gainIndices.Add(choices[k]);
                    _gainValues.Add(gain * (values[k] - x));
                }
                Blocks.Add(new Block(column, choices, solution =>
                {
                    for (int k = 0; k < choices.Length; k++)
                        if (solution[choices[k]] > 0.5) return column.ToRaw(values[k]);
                    return null;
                }));
                return;
            }
            double m = Math.Max(high - x, x - low);
            bool l0 = space.CostFunction == ColumnCostFunction.ChangedColumns;
            // L0 breaks ties by the scaled L1, far below one column's weight.
            double moveCost = l0 ? 1e-6 * unitCost / Math.Max(1, space.Columns.Count) : unitCost;
            int value = Add(0, low, high, column.IsInteger);
            int up = Add(moveCost, 0, high - x, false);
            int down = Add(moveCost, 0, x - low, false);
            int changed = Add(l0 ? column.CostWeight : 0, 0, 1, true);
            _rows.Add(new LinearConstraint([value, up, down], [1, -1, 1], x, x));
            _rows.Add(new LinearConstraint([up, down, changed], [1, 1, -m], double.NegativeInfinity, 0));
            _gainIndices.Add(up);
            _gainValues.Add(gain);
            _gainIndices.Add(down);
            _gainValues.Add(-gain);
            Blocks.Add(new Block(column, [changed], solution =>
            {
                double y = column.IsInteger ? Math.Round(solution[value]) : solution[value];
                if (Math.Abs(y - x) <= 1e-9 * (1 + Math.Abs(x))) return null;
                double v = RoundTowardGain(column, y, low, high, gain);
                return double.IsNaN(v) || v.Equals(x) ? null : column.ToRaw(v);
            }));
        }

        public void AddCategorical(CategoricalColumnSpace column, List<(string Category, double Gain)> targets)
        {
            var choices = targets.Select(_ => Add(column.CostWeight, 0, 1, true)).ToArray();
            _rows.Add(new LinearConstraint(choices, choices.Select(_ => 1.0).ToArray(), double.NegativeInfinity, 1));
            for (int k = 0; k < choices.Length; k++)
            {
                _gainIndices.Add(choices[k]);
                _gainValues.Add(targets[k].Gain);
            }
            Blocks.Add(new Block(column, choices, solution =>
            {
                for (int k = 0; k < choices.Length; k++)
                    if (solution[choices[k]] > 0.5) return column.ToRaw(targets[k].Category);
                return null;
            }));
        }

        public LinearProgram Program(IReadOnlyList<LinearConstraint> cuts)
        {
            var rows = new List<LinearConstraint>(_rows) { new(_gainIndices, _gainValues, requiredGain, double.PositiveInfinity) };
            rows.AddRange(cuts);
            return new LinearProgram(_objective, _lower, _upper, rows, _integer);
        }

        public (object?[] Row, List<int> Changed) Decode(IReadOnlyList<double> solution)
        {
            var candidate = (object?[])row.Clone();
            var changed = new List<int>();
            for (int b = 0; b < Blocks.Count; b++)
            {
                if (Blocks[b].Decode(solution) is not { } value) continue;
                candidate[Blocks[b].Column.Index] = value;
                changed.Add(b);
            }
            return (candidate, changed);
        }

        // The value the column's type holds, rounded in the direction that raises the logit, inside [low, high].
        private static double RoundTowardGain(NumericColumnSpace column, double y, double low, double high, double gain)
        {
            double v = column.Representable(y, low, high);
            if (double.IsNaN(v) || column.IsInteger || column.Type != Microsoft.ML.Data.NumberDataViewType.Single) return v;
            float f = (float)v;
            if (gain > 0 && f < y && MathF.BitIncrement(f) <= high) f = MathF.BitIncrement(f);
            if (gain < 0 && f > y && MathF.BitDecrement(f) >= low) f = MathF.BitDecrement(f);
            return f;
        }

        private static double[] PercentileCandidates(NumericColumnSpace column, double x, double low, double high, bool up)
        {
            var values = new SortedSet<double>();
            var training = column.SortedTraining;
            if (up)
            {
                foreach (double t in training.Distinct())
                {
                    double below = JustBelow(column, t);
                    if (below > x && below <= high) values.Add(below);
                }
                values.Add(high);
            }
            else
            {
                foreach (double t in training.Distinct())
                    if (t >= low && t < x) values.Add(column.Representable(t, low, high));
                values.Add(low);
            }
            values.Remove(x);
            return values.Where(v => !double.IsNaN(v)).ToArray();
        }

        // The largest value of the column's type whose percentile does not yet count t.
        private static double JustBelow(NumericColumnSpace column, double t)
        {
            if (column.IsInteger) return Math.Ceiling(t) - 1;
            double limit = t - 2e-9 * (1 + Math.Abs(t));
            if (column.Type == Microsoft.ML.Data.NumberDataViewType.Single)
            {
                float f = (float)limit;
                while (f > limit) f = MathF.BitDecrement(f);
                return f;
            }
            return limit;
        }
    }
}
