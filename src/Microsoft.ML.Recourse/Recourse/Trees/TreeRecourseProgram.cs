using System.Globalization;
using Microsoft.ML.Recourse.Actions;

namespace Microsoft.ML.Recourse.Trees;

/// <summary>A value of one variable of a row's program: the feature value (or δ of each group member) and its cost.</summary>
internal readonly record struct DecodedValue(double Value, double Delta);

/// <summary>
/// The values one feature outside the one-hot groups may take from one row: x itself (when Δ allows staying) and the
/// points of its box [x + lower, x + upper] that lie on its grid, if it has one. Answers "the allowed value closest to x
/// in the interval (lo, hi]", with intervals read as the model's trees read them.
/// </summary>
internal sealed class FeatureValues
{
    private const int NudgeLimit = 8;
    private const int RoundTripLimit = 64;
    private readonly TreeEnsembleModel _model;
    private readonly double _x;
    private readonly double _lower;
    private readonly double _upper;
    private readonly double _valueLow;
    private readonly double _valueHigh;
    private readonly bool _xAllowed;
    private readonly double? _gridStep;
    private readonly double _gridOrigin;
    private readonly double _mean;
    private readonly double _scale;

    private readonly Func<DecodedValue, double> _cost;

    public FeatureValues(TreeEnsembleModel model, double x, double lower, double upper, double? gridStep, double gridOrigin, double mean, double scale,
        Func<DecodedValue, double> cost)
    {
        _model = model;
        _cost = cost;
        _x = x;
        _lower = lower;
        _upper = upper;
        _valueLow = x + lower;
        _valueHigh = x + upper;
        _xAllowed = lower <= 0 && upper >= 0;
        _gridStep = gridStep;
        _gridOrigin = gridOrigin;
        _mean = mean;
        _scale = scale;
        IsFixed = lower == 0 && upper == 0;
    }

    /// <summary>Whether the only allowed value is x.</summary>
    public bool IsFixed { get; }

    /// <summary>
    /// The cheapest allowed value whose tree value lies in (<paramref name="low"/>, <paramref name="high"/>], or null: x
    /// when it may stay there, else the closest allowed point on either side of x (the cheaper of the two, since a
    /// cost may weigh the two directions differently).
    /// </summary>
    public DecodedValue? Closest(double low, double high)
    {
        if (!(low < high))
            return null;
        double seen = _model.Quantize(_x);
        if (_xAllowed && seen > low && seen <= high)
            return new DecodedValue(_x, 0);
        if (IsFixed)
            return null;
        // The interval in value terms: [a, b] with a the smallest value the trees see above the open lower end.
        double a = double.IsNegativeInfinity(low) ? double.NegativeInfinity : _model.NextAbove(low);
        double b = high;
        double? up = SmallestAtLeast(Math.Max(a, _x), b);
        double? down = LargestAtMost(Math.Min(b, _x), a);
        DecodedValue? best = null;
        foreach (var (candidate, upward) in new[] { (up, true), (down, false) })
        {
            if (candidate is not double v || (v == _x && !_xAllowed))
                continue;
            var decoded = RoundTrip(v, a, b, upward);
            if (decoded is { } d && (best is null || _cost(d) < _cost(best.Value)))
                best = d;
        }
        return best;
    }

    /// <summary>The single value <paramref name="value"/> when it is allowed (x itself, or a point of the box on the grid), else null.</summary>
    public DecodedValue? Exactly(double value)
    {
        if (value == _x)
            return _xAllowed ? new DecodedValue(_x, 0) : null;
        if (IsFixed || value < _valueLow || value > _valueHigh)
            return null;
        if (_gridStep is double step)
        {
            double k = Math.Round((_mean + _scale * value - _gridOrigin) / step);
            if (Math.Abs(GridPoint(k, step) - value) > 1e-9 * (1 + Math.Abs(value)))
                return null;
        }
        double delta = value - _x;
        return _x + delta == value && delta >= _lower - BoundSlack(_lower) && delta <= _upper + BoundSlack(_upper) ? new DecodedValue(value, delta) : null;
    }

    // x + (v − x) is what the recourse gate scores. Near a threshold far smaller than x (e.g. just above 0 from x = −1.1)
    // that sum lands on a lattice of spacing ulp(x), so v is stepped inward by a doubling step until x + (v − x) falls
    // inside [a, b]; an empty result means no such value exists close to the interval's end.
    private DecodedValue? RoundTrip(double v, double a, double b, bool upward)
    {
        double step = Math.Max(Ulp(v), Ulp(_x));
        for (int attempt = 0; attempt < RoundTripLimit; attempt++)
        {
            double delta = v - _x;
            double value = _x + delta;
            if (value >= a && value <= b && delta >= _lower - BoundSlack(_lower) && delta <= _upper + BoundSlack(_upper))
                return new DecodedValue(value, delta);
            if (upward ? value > b : value < a)
                return null;
            v = upward ? v + step : v - step;
            step *= 2;
            if (v < a || v > b || (_gridStep is not null && attempt >= NudgeLimit))
                return null;
        }
        return null;
    }

    private static double Ulp(double v) => Math.BitIncrement(Math.Abs(v)) - Math.Abs(v);

    private double? SmallestAtLeast(double a, double b)
    {
        if (_gridStep is not double step)
        {
            // The box ends are x + bound, rounded: they are compared with the slack that RoundTrip checks δ with.
            double v = Math.Max(a, _valueLow);
            return v <= Math.Min(b, _valueHigh + BoundSlack(_upper)) ? v : null;
        }
        double from = Math.Max(a, _valueLow - Slack(_valueLow));
        double k = Math.Ceiling((_mean + _scale * from - _gridOrigin) / step);
        for (int i = 0; i < NudgeLimit && GridPoint(k, step) < from; i++) k++;
        for (int i = 0; i < NudgeLimit && GridPoint(k - 1, step) >= from; i++) k--;
        double p = GridPoint(k, step);
        return p >= from && p <= b && p <= _valueHigh + Slack(_valueHigh) ? p : null;
    }

    private double? LargestAtMost(double b, double a)
    {
        if (_gridStep is not double step)
        {
            double v = Math.Min(b, _valueHigh);
            return v >= Math.Max(a, _valueLow - BoundSlack(_lower)) ? v : null;
        }
        double to = Math.Min(b, _valueHigh + Slack(_valueHigh));
        double k = Math.Floor((_mean + _scale * to - _gridOrigin) / step);
        for (int i = 0; i < NudgeLimit && GridPoint(k, step) > to; i++) k--;
        for (int i = 0; i < NudgeLimit && GridPoint(k + 1, step) <= to; i++) k++;
        double p = GridPoint(k, step);
        return p <= to && p >= a && p >= _valueLow - Slack(_valueLow) ? p : null;
    }

    private double GridPoint(double k, double step) => (_gridOrigin + k * step - _mean) / _scale;

    // Grid boxes are computed from grid points, so a grid point may sit a rounding error outside them.
    private static double Slack(double v) => 1e-12 * (1 + Math.Abs(v));

    // A bound of 0 on δ is a direction (increase or decrease only, or immutable): it holds exactly.
    private static double BoundSlack(double bound) => bound == 0 ? 0 : Slack(bound);
}

/// <summary>A condition on one variable that a node of the program tests: value &gt; threshold, category in a set, or group on a category.</summary>
/// <remarks><c>Reaching</c>: for a piece or group condition, which pieces / categories can reach the node (the path state there).</remarks>
internal readonly record struct NodeCondition(NodeConditionKind Kind, int Variable, double Threshold, int[]? Pieces, int Category, bool Negated, bool[]? Reaching = null);

internal enum NodeConditionKind
{
    /// <summary>Numerical feature <c>Variable</c> &gt; <c>Threshold</c>.</summary>
    Above,

    /// <summary>The piece of categorical feature <c>Variable</c> is in <c>Pieces</c>.</summary>
    PieceIn,

    /// <summary>One-hot group <c>Variable</c> has category <c>Category</c>.</summary>
    GroupIs,
}

/// <summary>A node no domain decides: its reachable leaves on each side and the conditions (OR) under which a point goes right.</summary>
internal sealed record UndecidedNode(int Tree, NodeCondition[] RightIf, int[] LeftLeaves, int[] RightLeaves);

/// <summary>
/// One row's compiled problem: the allowed values of every variable (features outside groups, one-hot groups), the
/// trees pruned to the leaves reachable with those values, the nodes left undecided, and the interval partition and cost
/// of every variable. The CP-SAT program (<see cref="TreeEnsembleRecourse"/>) is built from it and its solutions are
/// decoded with it.
/// </summary>
internal sealed class TreeRecourseProgram
{
    public const double NoCost = 0;

    private readonly TreeEnsembleModel _model;
    private readonly ActionSet _set;
    private readonly ThresholdIntervals _intervals;
    private readonly TreeRecourseCost _cost;
    private readonly FeatureQuantiles? _quantiles;
    private readonly double[] _lower;
    private readonly double[] _upper;
    private readonly FeatureValues[] _values;
    private readonly int[] _groupOf;
    private readonly int[] _memberIndex;
    private readonly int[] _activeCategory;
    private readonly bool[][] _groupAllowed;
    private readonly List<int>[] _pieceCategories;
    private readonly DecodedValue?[][] _pieceValues;
    private readonly SortedSet<double>[] _rowThresholds;

    private TreeRecourseProgram(TreeEnsembleModel model, ActionSet set, ThresholdIntervals intervals, TreeRecourseCost cost,
        FeatureQuantiles? quantiles, double[] x, double[] lower, double[] upper)
    {
        _model = model;
        _set = set;
        _intervals = intervals;
        _cost = cost;
        _quantiles = quantiles;
        X = x;
        _lower = lower;
        _upper = upper;
        int d = x.Length;
        _groupOf = set.GroupOf.ToArray();
        _memberIndex = new int[d];
        foreach (var group in set.OneHotGroups)
            for (int k = 0; k < group.FeatureIndices.Count; k++)
                _memberIndex[group.FeatureIndices[k]] = k;
        _values = new FeatureValues[d];
        _pieceCategories = new List<int>[d];
        _pieceValues = new DecodedValue?[d][];
        _rowThresholds = new SortedSet<double>[d];
        for (int j = 0; j < d; j++)
        {
            if (_groupOf[j] >= 0)
                continue;
            var info = set.Features[j];
            var action = set.Actions[j];
            int feature = j;
            _values[j] = new FeatureValues(model, x[j], lower[j], upper[j], action.GridStep, action.GridOrigin, info.Mean, info.Scale,
                v => FeatureCost(feature, v.Value, v.Delta));
            _rowThresholds[j] = [];
            if (intervals.IsCategorical(j))
            {
                _pieceCategories[j] = intervals.Categories(j).ToList();
                _pieceValues[j] = Enumerable.Range(0, _pieceCategories[j].Count + 1).Select(p => PieceValue(j, p)).ToArray();
            }
        }
        _activeCategory = new int[set.OneHotGroups.Count];
        _groupAllowed = new bool[set.OneHotGroups.Count][];
        for (int g = 0; g < _activeCategory.Length; g++)
        {
            var members = set.OneHotGroups[g].FeatureIndices;
            _activeCategory[g] = set.OneHotGroups[g].ActiveCategory(x, PerturbationPolytope.DefaultTolerance);
            _groupAllowed[g] = new bool[members.Count];
            for (int c = 0; c < members.Count; c++)
            {
                bool allowed = true;
                for (int k = 0; k < members.Count; k++)
                {
                    double delta = (k == c ? 1 : 0) - x[members[k]];
                    allowed &= delta >= lower[members[k]] - 1e-9 && delta <= upper[members[k]] + 1e-9;
                }
                _groupAllowed[g][c] = allowed;
            }
        }
    }

    /// <summary>The row x.</summary>
    public double[] X { get; }

    /// <summary>The model.</summary>
    public TreeEnsembleModel Model => _model;

    /// <summary>The action set's weighted L1 cost of δ.</summary>
    public double L1Cost(double[] delta) => _set.Cost(delta);

    /// <summary>Why Δ(x) is empty, or null.</summary>
    public string? EmptyReason { get; private set; }

    /// <summary>Trees with more than one reachable leaf: their index and reachable leaves.</summary>
    public List<(int Tree, int[] Leaves)> VariableTrees { get; } = [];

    /// <summary>The weighted leaf values of the trees with one reachable leaf, summed.</summary>
    public double ConstantTreeSum { get; private set; }

    /// <summary>The nodes left undecided by the domains.</summary>
    public List<UndecidedNode> Nodes { get; } = [];

    /// <summary>The per-variable encodings: numerical and categorical features with several allowed pieces, and groups, that some node reads.</summary>
    public List<ProgramVariable> Variables { get; } = [];

    /// <summary>The δ of the variables no node reads (their cheapest allowed value) and its cost.</summary>
    public double[] FixedDelta { get; private set; } = [];

    /// <summary>The cost of <see cref="FixedDelta"/>.</summary>
    public double FixedCost { get; private set; }

    /// <summary>The number of variables <see cref="FixedDelta"/> changes.</summary>
    public int FixedChanges { get; private set; }

    /// <summary>Compiles the row: Δ(x) from the action set, general constraints folded, trees pruned.</summary>
    public static TreeRecourseProgram Compile(TreeEnsembleModel model, ThresholdIntervals intervals, ActionSet set, TreeRecourseCost cost,
        FeatureQuantiles? quantiles, double[] x, int rowIndex)
    {
        var polytope = PerturbationPolytope.Create(set, x, rowIndex);
        var lower = polytope.Lower.ToArray();
        var upper = polytope.Upper.ToArray();
        string? empty = FoldConstraints(set, polytope, lower, upper);
        var program = new TreeRecourseProgram(model, set, intervals, cost, quantiles, x, lower, upper);
        program.EmptyReason = empty ?? program.FindEmptyVariable();
        if (program.EmptyReason is null)
            program.Prune();
        return program;
    }

    /// <summary>
    /// Checks that every general constraint of <paramref name="set"/> reads at most one movable feature (the others
    /// cannot be encoded exactly: each variable is decoded to its own cheapest point).
    /// </summary>
    public static void CheckConstraintsEncodable(ActionSet set, string paramName)
    {
        foreach (var c in set.LinearConstraints)
        {
            var movable = c.ChangeCoefficients.Where(kv => kv.Value != 0 && set.Actions[set.IndexOf(kv.Key)].Actionability != FeatureActionability.Immutable)
                .Select(kv => kv.Key).ToArray();
            if (movable.Length > 1)
                throw new ArgumentOutOfRangeException(paramName,
                    $"The action set's constraint '{c.Name}' couples the movable features {string.Join(", ", movable.Select(m => $"'{m}'"))}. The tree-ensemble encoding decodes every feature to its own cheapest point, so it encodes exactly only constraints on one movable feature (bounds on that feature); remove '{c.Name}' or make all but one of its features immutable.");
        }
    }

    // A constraint on one movable feature becomes a bound on its δ; one on none is a yes/no fact about Δ(x).
    private static string? FoldConstraints(ActionSet set, PerturbationPolytope polytope, double[] lower, double[] upper)
    {
        for (int r = 0; r < polytope.GeneralRows.Count; r++)
        {
            var row = polytope.GeneralRows[r];
            var coefficients = new Dictionary<int, double>();
            for (int k = 0; k < row.Indices.Count; k++)
                coefficients[row.Indices[k]] = coefficients.GetValueOrDefault(row.Indices[k]) + row.Coefficients[k];
            var movable = coefficients.Where(kv => kv.Value != 0 && !(lower[kv.Key] == 0 && upper[kv.Key] == 0)).ToArray();
            string name = set.LinearConstraints[r].Name;
            if (movable.Length == 0)
            {
                if (0 < row.Lower - 1e-9 * (1 + Math.Abs(row.Lower)))
                    return string.Create(CultureInfo.InvariantCulture, $"Δ(x) is empty: constraint '{name}' needs A·δ ≥ {row.Lower:G6} but no feature it reads may move");
                continue;
            }
            if (movable.Length > 1)
                throw new ArgumentOutOfRangeException("actionSet", $"The action set's constraint '{name}' couples several movable features; the tree-ensemble encoding encodes only constraints on one movable feature.");
            var (j, a) = movable[0];
            double bound = row.Lower / a;
            if (a > 0) lower[j] = Math.Max(lower[j], bound); else upper[j] = Math.Min(upper[j], bound);
            if (lower[j] > upper[j])
                return string.Create(CultureInfo.InvariantCulture, $"Δ(x) is empty: constraint '{name}' leaves feature '{set.Features[j].Name}' no change within its box");
        }
        return null;
    }

    private string? FindEmptyVariable()
    {
        for (int j = 0; j < X.Length; j++)
        {
            if (_groupOf[j] < 0 && !_intervals.IsCategorical(j) && _values[j].Closest(double.NegativeInfinity, double.PositiveInfinity) is null)
                return $"Δ(x) is empty: feature '{_set.Features[j].Name}' has no allowed value (its box misses its grid)";
            if (_groupOf[j] < 0 && _intervals.IsCategorical(j) && _pieceValues[j].All(v => v is null))
                return $"Δ(x) is empty: categorical feature '{_set.Features[j].Name}' has no allowed category";
        }
        for (int g = 0; g < _groupAllowed.Length; g++)
            if (!_groupAllowed[g].Any(a => a))
                return $"Δ(x) is empty: one-hot group '{_set.OneHotGroups[g].Name}' has no allowed category";
        return null;
    }

    // The value of piece p of a categorically split feature: x when x is in it (and may stay), else the closest allowed integer of it.
    private DecodedValue? PieceValue(int j, int p)
    {
        var named = _pieceCategories[j];
        var values = _values[j];
        bool inPiece(double v) => _intervals.IntervalOf(j, v) == p;
        if (inPiece(X[j]) && values.Closest(double.NegativeInfinity, double.PositiveInfinity) is { Delta: 0 } stay)
            return stay;
        IEnumerable<double> candidates = p < named.Count
            ? [named[p]]
            : Enumerable.Range(0, 2 * (named.Count + 64)).Select(i => Math.Round(X[j]) + (i % 2 == 0 ? i / 2 : -(i + 1) / 2));
        DecodedValue? best = null;
        foreach (double c in candidates)
        {
            if (!inPiece(c))
                continue;
            // The "other" piece lies on both sides of x: compare costs, not distances.
            if (values.Exactly(c) is { } found && (best is null || FeatureCost(j, found.Value, found.Delta) < FeatureCost(j, best.Value.Value, best.Value.Delta)))
                best = found;
        }
        return best;
    }

    /// <summary>The cost of moving feature j (outside a group) by δ to value v.</summary>
    public double FeatureCost(int j, double value, double delta)
    {
        if (delta == 0)
            return 0;
        double cost = _cost.L1Weight * _set.CostPerUnitChange[j] * Math.Abs(delta) + _cost.L0Weight;
        if (_cost.PercentileWeight > 0)
            cost += _cost.PercentileWeight * Math.Abs(_quantiles!.Cdf(j, value) - _quantiles.Cdf(j, X[j]));
        return cost;
    }

    /// <summary>The cost of setting group g to category c.</summary>
    public double GroupCost(int g, int c)
    {
        if (c == _activeCategory[g])
            return 0;
        var members = _set.OneHotGroups[g].FeatureIndices;
        double cost = _cost.L0Weight;
        for (int k = 0; k < members.Count; k++)
        {
            int j = members[k];
            double delta = (k == c ? 1 : 0) - X[j];
            if (delta == 0)
                continue;
            cost += _cost.L1Weight * _set.CostPerUnitChange[j] * Math.Abs(delta);
            if (_cost.PercentileWeight > 0)
                cost += _cost.PercentileWeight * Math.Abs(_quantiles!.Cdf(j, X[j] + delta) - _quantiles.Cdf(j, X[j]));
        }
        return cost;
    }

    /// <summary>The whole cost of a δ, computed from the point itself (the check of the tables).</summary>
    public double TotalCost(ReadOnlySpan<double> delta)
    {
        double cost = 0;
        for (int j = 0; j < delta.Length; j++)
            if (_groupOf[j] < 0)
                cost += FeatureCost(j, X[j] + delta[j], delta[j]);
        for (int g = 0; g < _activeCategory.Length; g++)
        {
            var members = _set.OneHotGroups[g].FeatureIndices;
            for (int c = 0; c < members.Count; c++)
            {
                if (Math.Abs(X[members[c]] + delta[members[c]] - 1) <= PerturbationPolytope.DefaultTolerance)
                {
                    cost += GroupCost(g, c);
                    break;
                }
            }
        }
        return cost;
    }

    // ---- pruning ----

    private sealed class PathState
    {
        public required double[] Low;
        public required double[] High;
        public required bool[]?[] Pieces;
        public required bool[][] Groups;
    }

    private void Prune()
    {
        int d = X.Length;
        var state = new PathState
        {
            Low = Enumerable.Repeat(double.NegativeInfinity, d).ToArray(),
            High = Enumerable.Repeat(double.PositiveInfinity, d).ToArray(),
            Pieces = new bool[]?[d],
            Groups = _groupAllowed.Select(a => (bool[])a.Clone()).ToArray(),
        };
        for (int j = 0; j < d; j++)
            if (_pieceValues[j] is { } pieces)
                state.Pieces[j] = pieces.Select(v => v is not null).ToArray();
        var trees = _model.Trees;
        for (int t = 0; t < trees.Count; t++)
        {
            var tree = trees[t];
            var leaves = new List<int>();
            if (tree.NodeCount == 0)
                leaves.Add(0);
            else
                Visit(t, tree, 0, state, leaves);
            if (leaves.Count == 1)
                ConstantTreeSum += _model.TreeWeights[t] * tree.LeafValues[leaves[0]];
            else
                VariableTrees.Add((t, leaves.ToArray()));
        }
        BuildVariables();
    }

    // Appends the reachable leaves under node (a child index: ≥ 0 node, < 0 leaf ~c) to leaves.
    private void VisitChild(int t, RegressionTree tree, int child, PathState state, List<int> leaves)
    {
        if (child < 0)
            leaves.Add(~child);
        else
            Visit(t, tree, child, state, leaves);
    }

    private void Visit(int t, RegressionTree tree, int node, PathState state, List<int> leaves)
    {
        var (canLeft, canRight, rightIf) = Evaluate(tree, node, state);
        if (canLeft && canRight)
        {
            var left = new List<int>();
            var undoLeft = Restrict(tree, node, state, goLeft: true);
            VisitChild(t, tree, tree.LeftChildren[node], state, left);
            undoLeft();
            var right = new List<int>();
            var undoRight = Restrict(tree, node, state, goLeft: false);
            VisitChild(t, tree, tree.RightChildren[node], state, right);
            undoRight();
            foreach (var c in rightIf)
                if (c.Kind == NodeConditionKind.Above)
                    _rowThresholds[c.Variable].Add(c.Threshold);
            Nodes.Add(new UndecidedNode(t, rightIf.ToArray(), left.ToArray(), right.ToArray()));
            leaves.AddRange(left);
            leaves.AddRange(right);
        }
        else
        {
            // At least one side is possible: the state at a node always holds a reachable point.
            bool goLeft = canLeft;
            var undo = Restrict(tree, node, state, goLeft);
            VisitChild(t, tree, goLeft ? tree.LeftChildren[node] : tree.RightChildren[node], state, leaves);
            undo();
        }
    }

    private bool CanExceed(int j, double threshold, PathState s) => _values[j].Closest(Math.Max(s.Low[j], threshold), s.High[j]) is not null;

    private bool CanStayAtMost(int j, double threshold, PathState s) => _values[j].Closest(s.Low[j], Math.Min(s.High[j], threshold)) is not null;

    private (bool Left, bool Right, List<NodeCondition> RightIf) Evaluate(RegressionTree tree, int node, PathState s)
    {
        var rightIf = new List<NodeCondition>();
        int f = tree.SplitFeatures[node];
        switch (tree.GetNodeKind(node))
        {
            case RegressionTreeNodeKind.IndicatorSet:
            {
                bool canRight = false, mustRight = false, canLeft = true;
                var groupsTouched = new Dictionary<int, List<int>>();
                foreach (int j in tree.IndicatorFeatures(node)!)
                {
                    int g = _groupOf[j];
                    if (g >= 0)
                    {
                        int k = _memberIndex[j];
                        if (!groupsTouched.TryGetValue(g, out var list)) groupsTouched[g] = list = [];
                        list.Add(k);
                        if (s.Groups[g][k])
                        {
                            canRight = true;
                            rightIf.Add(new NodeCondition(NodeConditionKind.GroupIs, g, 0, null, k, false, (bool[])s.Groups[g].Clone()));
                        }
                    }
                    else
                    {
                        bool exceed = CanExceed(j, 0, s), stay = CanStayAtMost(j, 0, s);
                        canLeft &= stay;
                        if (exceed)
                        {
                            canRight = true;
                            if (!stay) mustRight = true;
                            rightIf.Add(new NodeCondition(NodeConditionKind.Above, j, 0, null, 0, false));
                        }
                    }
                }
                foreach (var (g, members) in groupsTouched)
                {
                    bool outside = Enumerable.Range(0, s.Groups[g].Length).Any(c => s.Groups[g][c] && !members.Contains(c));
                    canLeft &= outside;
                    mustRight |= !outside;
                }
                return (canLeft && !mustRight, canRight, rightIf);
            }
            case var _ when _groupOf[f] >= 0:
            {
                // An indicator of a one-hot group is 1 exactly when its category is active.
                int g = _groupOf[f], k = _memberIndex[f];
                bool leftWhenActive = tree.GoesLeft(node, 1.0), leftWhenInactive = tree.GoesLeft(node, 0.0);
                bool canActive = s.Groups[g][k];
                bool canInactive = s.Groups[g].Where((allowed, c) => allowed && c != k).Any();
                bool canLeft = (canActive && leftWhenActive) || (canInactive && leftWhenInactive);
                bool canRight = (canActive && !leftWhenActive) || (canInactive && !leftWhenInactive);
                if (canLeft && canRight)
                    rightIf.Add(new NodeCondition(NodeConditionKind.GroupIs, g, 0, null, k, Negated: !leftWhenInactive, (bool[])s.Groups[g].Clone()));
                return (canLeft, canRight, rightIf);
            }
            case RegressionTreeNodeKind.Categorical:
            {
                var pieces = s.Pieces[f]!;
                var left = tree.CategoricalLeftValues(node)!;
                var named = _pieceCategories[f];
                bool canLeft = false, canRight = false;
                var rightPieces = new List<int>();
                for (int p = 0; p < pieces.Length; p++)
                {
                    bool goesLeft = p < named.Count && left.Contains(named[p]);
                    if (!goesLeft) rightPieces.Add(p);
                    if (!pieces[p]) continue;
                    if (goesLeft) canLeft = true; else canRight = true;
                }
                if (canLeft && canRight)
                    rightIf.Add(new NodeCondition(NodeConditionKind.PieceIn, f, 0, rightPieces.ToArray(), 0, false, (bool[])pieces.Clone()));
                return (canLeft, canRight, rightIf);
            }
            default:
            {
                double threshold = tree.Thresholds[node];
                bool canLeft = CanStayAtMost(f, threshold, s), canRight = CanExceed(f, threshold, s);
                if (canLeft && canRight)
                    rightIf.Add(new NodeCondition(NodeConditionKind.Above, f, threshold, null, 0, false));
                return (canLeft, canRight, rightIf);
            }
        }
    }

    // Narrows the path state to one side of a node; returns how to undo it.
    private Action Restrict(RegressionTree tree, int node, PathState s, bool goLeft)
    {
        var undo = new List<Action>();
        void SetHigh(int j, double v) { double old = s.High[j]; undo.Add(() => s.High[j] = old); s.High[j] = Math.Min(old, v); }
        void SetLow(int j, double v) { double old = s.Low[j]; undo.Add(() => s.Low[j] = old); s.Low[j] = Math.Max(old, v); }
        void SetGroup(int g, Func<int, bool> keep)
        {
            var old = s.Groups[g];
            undo.Add(() => s.Groups[g] = old);
            s.Groups[g] = old.Select((allowed, c) => allowed && keep(c)).ToArray();
        }

        int f = tree.SplitFeatures[node];
        switch (tree.GetNodeKind(node))
        {
            case RegressionTreeNodeKind.IndicatorSet when !goLeft:
            {
                // Right: some listed feature is > 0. When every feature that still can be lies in one group, or only one
                // numerical feature can, that is a restriction of the state; a mix is left unrestricted (an over-approximation).
                var numeric = new List<int>();
                var members = new List<(int Group, int Category)>();
                foreach (int j in tree.IndicatorFeatures(node)!)
                {
                    if (_groupOf[j] >= 0)
                    {
                        if (s.Groups[_groupOf[j]][_memberIndex[j]])
                            members.Add((_groupOf[j], _memberIndex[j]));
                    }
                    else if (CanExceed(j, 0, s))
                    {
                        numeric.Add(j);
                    }
                }
                if (numeric.Count == 0 && members.Count > 0 && members.All(m => m.Group == members[0].Group))
                    SetGroup(members[0].Group, c => members.Any(m => m.Category == c));
                else if (numeric.Count == 1 && members.Count == 0)
                    SetLow(numeric[0], 0);
                break;
            }
            case RegressionTreeNodeKind.IndicatorSet:
                if (goLeft)
                {
                    foreach (int j in tree.IndicatorFeatures(node)!)
                    {
                        if (_groupOf[j] >= 0)
                        {
                            int k = _memberIndex[j];
                            SetGroup(_groupOf[j], c => c != k);
                        }
                        else
                        {
                            SetHigh(j, 0);
                        }
                    }
                }
                break;
            case var _ when _groupOf[f] >= 0:
            {
                int k = _memberIndex[f];
                bool activeGoesLeft = tree.GoesLeft(node, 1.0), inactiveGoesLeft = tree.GoesLeft(node, 0.0);
                SetGroup(_groupOf[f], c => (c == k ? activeGoesLeft : inactiveGoesLeft) == goLeft);
                break;
            }
            case RegressionTreeNodeKind.Categorical:
            {
                var old = s.Pieces[f]!;
                var left = tree.CategoricalLeftValues(node)!;
                var named = _pieceCategories[f];
                undo.Add(() => s.Pieces[f] = old);
                s.Pieces[f] = old.Select((allowed, p) => allowed && (p < named.Count && left.Contains(named[p])) == goLeft).ToArray();
                break;
            }
            default:
                if (goLeft) SetHigh(f, tree.Thresholds[node]); else SetLow(f, tree.Thresholds[node]);
                break;
        }
        return () => { for (int i = undo.Count - 1; i >= 0; i--) undo[i](); };
    }

    // ---- variables ----

    private void BuildVariables()
    {
        int d = X.Length;
        var read = new bool[d];
        var groupRead = new bool[_groupAllowed.Length];
        foreach (var node in Nodes)
            foreach (var c in node.RightIf)
            {
                if (c.Kind == NodeConditionKind.GroupIs) groupRead[c.Variable] = true; else read[c.Variable] = true;
            }
        FixedDelta = new double[d];
        for (int j = 0; j < d; j++)
        {
            if (_groupOf[j] >= 0)
                continue;
            if (read[j])
            {
                Variables.Add(_intervals.IsCategorical(j) ? CategoricalVariable(j) : NumericalVariable(j));
                continue;
            }
            // Unread: the cheapest allowed value (x itself unless a constraint forces a change).
            var stay = _intervals.IsCategorical(j)
                ? _pieceValues[j].Where(v => v is not null).Select(v => v!.Value).OrderBy(v => FeatureCost(j, v.Value, v.Delta)).ThenBy(v => v.Delta != 0).First()
                : _values[j].Closest(double.NegativeInfinity, double.PositiveInfinity)!.Value;
            FixedDelta[j] = stay.Delta;
            FixedCost += FeatureCost(j, stay.Value, stay.Delta);
            FixedChanges += stay.Delta != 0 ? 1 : 0;
        }
        for (int g = 0; g < _groupAllowed.Length; g++)
        {
            var allowed = Enumerable.Range(0, _groupAllowed[g].Length).Where(c => _groupAllowed[g][c]).ToArray();
            var costs = Enumerable.Range(0, _groupAllowed[g].Length).Select(c => GroupCost(g, c)).ToArray();
            var changed = Enumerable.Range(0, costs.Length).Select(c => c != _activeCategory[g]).ToArray();
            if (groupRead[g])
            {
                var signatures = Signatures(costs.Length, NodeConditionKind.GroupIs, g, (c, category) => c.Category == category);
                var representative = new Dictionary<string, int>();
                foreach (int c in allowed)
                {
                    if (!representative.TryGetValue(signatures[c], out int other) || (changed[other] && (!changed[c] || costs[c] < costs[other])))
                        representative[signatures[c]] = c;
                }
                var kept = allowed.Where(c => representative[signatures[c]] == c).ToArray();
                Variables.Add(new ProgramVariable(ProgramVariableKind.Group, g, kept, costs, changed, []));
                continue;
            }
            int best = allowed.OrderBy(c => costs[c]).ThenBy(c => changed[c]).First();
            SetGroupDelta(FixedDelta, g, best);
            FixedCost += costs[best];
            FixedChanges += changed[best] ? 1 : 0;
        }
    }

    private ProgramVariable NumericalVariable(int j)
    {
        var thresholds = _rowThresholds[j].ToArray();
        int count = thresholds.Length + 1;
        var values = new DecodedValue?[count];
        for (int i = 0; i < count; i++)
            values[i] = _values[j].Closest(i == 0 ? double.NegativeInfinity : thresholds[i - 1], i == thresholds.Length ? double.PositiveInfinity : thresholds[i]);
        return Variable(ProgramVariableKind.Numerical, j, values, thresholds);
    }

    // Pieces that every undecided split reaching them sends the same way are one value: only the cheapest of each such
    // class (x's own piece for x's class) stays allowed, so an option never differs from another by a move no split sees.
    private ProgramVariable CategoricalVariable(int j)
    {
        var values = (DecodedValue?[])_pieceValues[j].Clone();
        var signatures = Signatures(values.Length, NodeConditionKind.PieceIn, j, (c, p) => c.Pieces!.Contains(p));
        var best = new Dictionary<string, int>();
        for (int p = 0; p < values.Length; p++)
        {
            if (values[p] is not { } v)
                continue;
            if (!best.TryGetValue(signatures[p], out int q) || Better(v, values[q]!.Value))
                best[signatures[p]] = p;
        }
        for (int p = 0; p < values.Length; p++)
            if (values[p] is not null && best[signatures[p]] != p)
                values[p] = null;
        return Variable(ProgramVariableKind.Categorical, j, values, []);

        bool Better(DecodedValue a, DecodedValue b)
            => (a.Delta == 0) != (b.Delta == 0) ? a.Delta == 0 : FeatureCost(j, a.Value, a.Delta) < FeatureCost(j, b.Value, b.Delta);
    }

    private string[] Signatures(int count, NodeConditionKind kind, int variable, Func<NodeCondition, int, bool> side)
    {
        var signatures = new System.Text.StringBuilder[count];
        for (int p = 0; p < count; p++)
            signatures[p] = new System.Text.StringBuilder();
        foreach (var node in Nodes)
        {
            // A node's conditions on one variable are ORed (an indicator-set split over several slots of a group).
            var conditions = node.RightIf.Where(c => c.Kind == kind && c.Variable == variable).ToArray();
            if (conditions.Length == 0)
                continue;
            for (int p = 0; p < count; p++)
                signatures[p].Append(!conditions[0].Reaching![p] ? '-' : conditions.Any(c => side(c, p) != c.Negated) ? '1' : '0');
        }
        return signatures.Select(b => b.ToString()).ToArray();
    }

    private ProgramVariable Variable(ProgramVariableKind kind, int j, DecodedValue?[] values, double[] thresholds)
    {
        var allowed = Enumerable.Range(0, values.Length).Where(i => values[i] is not null).ToArray();
        var costs = values.Select(v => v is { } dv ? FeatureCost(j, dv.Value, dv.Delta) : NoCost).ToArray();
        var changed = values.Select(v => v is { Delta: not 0 }).ToArray();
        return new ProgramVariable(kind, j, allowed, costs, changed, thresholds) { Values = values };
    }

    /// <summary>Writes group g's δ for category c into delta.</summary>
    public void SetGroupDelta(double[] delta, int g, int c)
    {
        var members = _set.OneHotGroups[g].FeatureIndices;
        for (int k = 0; k < members.Count; k++)
            delta[members[k]] = (k == c ? 1 : 0) - X[members[k]];
    }

    /// <summary>The δ of a full assignment: the value index of every variable, in <see cref="Variables"/> order.</summary>
    public double[] Decode(IReadOnlyList<int> assignment)
    {
        var delta = (double[])FixedDelta.Clone();
        for (int v = 0; v < Variables.Count; v++)
        {
            var variable = Variables[v];
            if (variable.Kind == ProgramVariableKind.Group)
                SetGroupDelta(delta, variable.Index, assignment[v]);
            else
                delta[variable.Index] = variable.Values![assignment[v]]!.Value.Delta;
        }
        return delta;
    }

    /// <summary>The row's reading of a condition's variable for a group / feature in messages.</summary>
    public string VariableName(ProgramVariable variable)
        => variable.Kind == ProgramVariableKind.Group ? $"group '{_set.OneHotGroups[variable.Index].Name}'" : $"'{_set.Features[variable.Index].Name}'";
}

internal enum ProgramVariableKind
{
    Numerical,
    Categorical,
    Group,
}

/// <summary>
/// One variable of the program: a numerical feature's interval index over the row's thresholds, a categorically split
/// feature's piece, or a one-hot group's category; with the allowed values, the cost and the "changed" flag of each.
/// </summary>
internal sealed record ProgramVariable(ProgramVariableKind Kind, int Index, int[] Allowed, double[] Costs, bool[] Changed, double[] Thresholds)
{
    /// <summary>The decoded point of each value (numerical and categorical variables), null where not allowed.</summary>
    public DecodedValue?[]? Values { get; init; }

    /// <summary>The value index of "numerical value &gt; threshold": the first interval above it.</summary>
    public int IndexAbove(double threshold) => Array.BinarySearch(Thresholds, threshold) + 1;
}
