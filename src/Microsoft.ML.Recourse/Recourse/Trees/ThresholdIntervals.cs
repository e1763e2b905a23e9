namespace Microsoft.ML.Recourse.Trees;

/// <summary>
/// The partition of every feature's axis into the pieces on which a tree ensemble cannot tell points apart: every
/// tree sends all points whose features lie in the same pieces to the same leaf. This is the variable domain of the
/// threshold-interval encoding.
/// A numerical feature with sorted distinct thresholds t₀ &lt; … &lt; tₘ₋₁ has m + 1 intervals
/// (−∞, t₀], (t₀, t₁], …, (tₘ₋₁, +∞), matching the split rule x ≤ t → left; a feature of an indicator-set split
/// (x &gt; 0 goes right) is numerical with threshold 0. A feature that any node splits categorically has one piece per
/// category some node names, plus a last piece for every other category. Values are compared as the model's trees
/// compare them (rounded to <see cref="float"/> for <see cref="TreeEnsembleModel.SinglePrecisionInputs"/>).
/// </summary>
public sealed class ThresholdIntervals
{
    private readonly double[][] _thresholds;
    private readonly int[][] _categories;
    private readonly bool[] _isCategorical;
    private readonly TreeEnsembleModel _model;

    /// <summary>Collects the thresholds and categories of every node of <paramref name="model"/>.</summary>
    public ThresholdIntervals(TreeEnsembleModel model)
    {
        Contracts.CheckValue(model, nameof(model));
        var thresholds = Enumerable.Range(0, model.FeatureCount).Select(_ => new SortedSet<double>()).ToArray();
        var categories = Enumerable.Range(0, model.FeatureCount).Select(_ => new SortedSet<int>()).ToArray();
        _isCategorical = new bool[model.FeatureCount];
        foreach (var tree in model.Trees)
        {
            for (int node = 0; node < tree.NodeCount; node++)
            {
                int feature = tree.SplitFeatures[node];
                switch (tree.GetNodeKind(node))
                {
                    case RegressionTreeNodeKind.Numerical:
                        thresholds[feature].Add(tree.Thresholds[node]);
                        break;
                    case RegressionTreeNodeKind.Categorical:
                        _isCategorical[feature] = true;
                        categories[feature].UnionWith(tree.CategoricalLeftValues(node)!);
                        break;
                    default:
                        foreach (int indicator in tree.IndicatorFeatures(node)!)
                            thresholds[indicator].Add(0);
                        break;
                }
            }
        }
        for (int feature = 0; feature < model.FeatureCount; feature++)
            Contracts.CheckParam(!_isCategorical[feature] || thresholds[feature].Count == 0, nameof(model),
                $"Feature {feature} is split both numerically and categorically.");
        _thresholds = thresholds.Select(set => set.ToArray()).ToArray();
        _categories = categories.Select(set => set.ToArray()).ToArray();
        _model = model;
    }

    /// <summary>The number of features.</summary>
    public int FeatureCount => _thresholds.Length;

    /// <summary>Whether some node splits <paramref name="feature"/> on a category set.</summary>
    public bool IsCategorical(int feature) => _isCategorical[feature];

    /// <summary>The sorted distinct thresholds of a numerical feature.</summary>
    public IReadOnlyList<double> Thresholds(int feature) => _thresholds[feature];

    /// <summary>The sorted categories the nodes name for a categorical feature.</summary>
    public IReadOnlyList<int> Categories(int feature) => _categories[feature];

    /// <summary>How many pieces the feature's axis has (1 for a feature no tree tests).</summary>
    public int IntervalCount(int feature) => _isCategorical[feature] ? _categories[feature].Length + 1 : _thresholds[feature].Length + 1;

    /// <summary>The piece <paramref name="value"/> lies in.</summary>
    public int IntervalOf(int feature, double value)
    {
        if (_isCategorical[feature])
        {
            int index = Array.BinarySearch(_categories[feature], (int)Math.Round(value));
            return index >= 0 ? index : _categories[feature].Length;
        }
        // The number of thresholds strictly below value: value ≤ t lands in t's interval.
        value = _model.Quantize(value);
        var thresholds = _thresholds[feature];
        int lo = 0, hi = thresholds.Length;
        while (lo < hi)
        {
            int mid = (lo + hi) >>> 1;
            if (thresholds[mid] < value)
                lo = mid + 1;
            else
                hi = mid;
        }
        return lo;
    }

    /// <summary>
    /// The point of numerical interval <paramref name="interval"/> closest to <paramref name="value"/>: the value
    /// itself when inside, the closed upper end t when above, and the smallest value the trees see above the open lower
    /// end when below (the next <see cref="double"/>, or the next <see cref="float"/> for <see cref="TreeEnsembleModel.SinglePrecisionInputs"/>).
    /// </summary>
    public double ClosestNumericalPoint(int feature, int interval, double value)
    {
        Contracts.CheckParam(!_isCategorical[feature], nameof(feature), $"Feature {feature} is categorical.");
        var thresholds = _thresholds[feature];
        Contracts.CheckParam(interval >= 0 && interval <= thresholds.Length, nameof(interval),
            $"Feature {feature} has {thresholds.Length + 1} intervals, got interval {interval}.");
        double seen = _model.Quantize(value);
        if (interval < thresholds.Length && seen > thresholds[interval])
            return thresholds[interval];
        if (interval > 0 && seen <= thresholds[interval - 1])
            return _model.NextAbove(thresholds[interval - 1]);
        return value;
    }
}
