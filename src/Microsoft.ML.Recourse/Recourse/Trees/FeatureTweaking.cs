namespace Microsoft.ML.Recourse.Trees;

/// <summary>
/// The feature-tweaking baseline of Tolomei et al. (2017) for a weighted-sum tree ensemble: for every tree and every
/// leaf whose value exceeds the value of the leaf x reaches, move x to the closest point satisfying that leaf's path
/// (numerical bounds tightened along the path, an open lower end taken as the next value the trees see above the
/// threshold plus <see cref="Epsilon"/>), re-score the whole ensemble and keep the cheapest accepted candidate by
/// weighted L1. A heuristic: it does not prove optimality or infeasibility, and it never moves a categorically split
/// feature (paths that would need one are skipped). The left branch of an indicator-set split caps each of its
/// features at 0; a path through its right branch is kept only when x already takes it. It knows only which features
/// are mutable, not directions, bounds or grids: check its answers against an action set.
/// </summary>
public sealed class FeatureTweaking
{
    private readonly TreeEnsembleModel _model;
    private readonly bool[] _mutable;
    private readonly double[] _weights;

    /// <param name="model">The ensemble.</param>
    /// <param name="mutable">Per feature, whether it may change.</param>
    /// <param name="costWeights">Per feature, the non-negative weight of |δⱼ| in the cost.</param>
    /// <param name="epsilon">Extra margin (≥ 0) above an open lower end; 0 takes the next representable double.</param>
    public FeatureTweaking(TreeEnsembleModel model, IReadOnlyList<bool> mutable, IReadOnlyList<double> costWeights, double epsilon = 0)
    {
        _model = Contracts.CheckValue(model, nameof(model));
        Contracts.CheckValue(mutable, nameof(mutable));
        Contracts.CheckValue(costWeights, nameof(costWeights));
        Contracts.CheckParam(mutable.Count == model.FeatureCount, nameof(mutable), $"Expected {model.FeatureCount} entries, got {mutable.Count}.");
        Contracts.CheckParam(costWeights.Count == model.FeatureCount, nameof(costWeights), $"Expected {model.FeatureCount} entries, got {costWeights.Count}.");
        foreach (double w in costWeights)
            Contracts.CheckNonNegative(w, nameof(costWeights));
        Contracts.CheckNonNegative(epsilon, nameof(epsilon));
        _mutable = mutable.ToArray();
        _weights = costWeights.ToArray();
        Epsilon = epsilon;
    }

    /// <summary>The margin above an open lower end.</summary>
    public double Epsilon { get; }

    /// <summary>The weighted L1 cost Σⱼ wⱼ·|x'ⱼ − xⱼ|.</summary>
    public double Cost(ReadOnlySpan<double> x, ReadOnlySpan<double> counterfactual)
    {
        double cost = 0;
        for (int j = 0; j < x.Length; j++)
            cost += _weights[j] * Math.Abs(counterfactual[j] - x[j]);
        return cost;
    }

    /// <summary>
    /// The cheapest accepted tweak of <paramref name="x"/> (score ≥ <paramref name="threshold"/>), x itself when it
    /// is already accepted, or <see langword="null"/> when no candidate is accepted.
    /// </summary>
    public double[]? Find(IReadOnlyList<double> x, double threshold)
    {
        Contracts.CheckValue(x, nameof(x));
        double[] row = x.ToArray();
        if (_model.Score(row) >= threshold)
            return row;
        double[]? best = null;
        double bestCost = double.PositiveInfinity;
        foreach (var tree in _model.Trees)
        {
            double current = tree.GetOutput(row);
            foreach (var (leaf, path) in LeafPaths(tree))
            {
                if (tree.LeafValues[leaf] <= current)
                    continue;
                double[]? candidate = SatisfyPath(tree, path, row);
                if (candidate is null || _model.Score(candidate) < threshold)
                    continue;
                double cost = Cost(row, candidate);
                if (cost < bestCost)
                {
                    bestCost = cost;
                    best = candidate;
                }
            }
        }
        return best;
    }

    private double[]? SatisfyPath(RegressionTree tree, List<(int Node, bool Left)> path, double[] x)
    {
        var lower = new Dictionary<int, double>();
        var upper = new Dictionary<int, double>();
        foreach (var (node, left) in path)
        {
            int feature = tree.SplitFeatures[node];
            switch (tree.GetNodeKind(node))
            {
                case RegressionTreeNodeKind.Categorical:
                    if (tree.GoesLeft(node, x[feature]) != left)
                        return null;
                    continue;
                case RegressionTreeNodeKind.IndicatorSet:
                    if (!left)
                    {
                        if (tree.GoesLeft(node, x))
                            return null;
                        continue;
                    }
                    foreach (int indicator in tree.IndicatorFeatures(node)!)
                        upper[indicator] = upper.TryGetValue(indicator, out double cap) ? Math.Min(cap, 0) : 0;
                    continue;
            }
            double t = tree.Thresholds[node];
            if (left)
                upper[feature] = upper.TryGetValue(feature, out double u) ? Math.Min(u, t) : t;
            else
                lower[feature] = lower.TryGetValue(feature, out double l) ? Math.Max(l, t) : t;
        }
        double[] candidate = (double[])x.Clone();
        foreach (int feature in lower.Keys.Union(upper.Keys))
        {
            double lo = lower.TryGetValue(feature, out double l) ? _model.NextAbove(l) + Epsilon : double.NegativeInfinity;
            double hi = upper.TryGetValue(feature, out double u) ? u : double.PositiveInfinity;
            if (lo > hi)
                return null;
            double moved = Math.Clamp(x[feature], lo, hi);
            if (moved != x[feature] && !_mutable[feature])
                return null;
            candidate[feature] = moved;
        }
        return candidate;
    }

    private static IEnumerable<(int Leaf, List<(int Node, bool Left)> Path)> LeafPaths(RegressionTree tree)
    {
        if (tree.NodeCount == 0)
            yield break;
        var stack = new Stack<(int Node, List<(int, bool)> Path)>();
        stack.Push((0, new List<(int, bool)>()));
        while (stack.Count > 0)
        {
            var (node, path) = stack.Pop();
            foreach (bool left in new[] { true, false })
            {
                var extended = new List<(int, bool)>(path) { (node, left) };
                int child = left ? tree.LeftChildren[node] : tree.RightChildren[node];
                if (child < 0)
                    yield return (~child, extended);
                else
                    stack.Push((child, extended));
            }
        }
    }
}
