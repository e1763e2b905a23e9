namespace Microsoft.ML.Recourse.Trees;

/// <summary>
/// One immutable regression tree of a tree ensemble, stored as FastTree stores it: internal node i tests feature
/// <see cref="SplitFeatures"/>[i]; a child index ≥ 0 is an internal node and a negative child c is leaf ~c.
/// A node is one of three kinds (<see cref="GetNodeKind"/>):
/// <list type="bullet">
/// <item><description>numerical: x goes to the left child when x[f] ≤ <see cref="Thresholds"/>[i];</description></item>
/// <item><description>categorical (a non-null entry of <see cref="CategoricalLeftValues"/>): x goes left when the integer
/// category x[f] is in the node's set;</description></item>
/// <item><description>indicator set (a non-null entry of <see cref="IndicatorFeatures"/>), ML.NET's categorical split over
/// one-hot slots: x goes right when any listed feature is &gt; 0, left when all are ≤ 0.</description></item>
/// </list>
/// </summary>
public sealed class RegressionTree
{
    private readonly int[] _splitFeatures;
    private readonly double[] _thresholds;
    private readonly HashSet<int>?[] _categoricalLeftValues;
    private readonly int[]?[] _indicatorFeatures;
    private readonly int[] _leftChildren;
    private readonly int[] _rightChildren;
    private readonly double[] _leafValues;

    /// <param name="splitFeatures">The feature each internal node tests (≥ 0).</param>
    /// <param name="thresholds">Numerical thresholds (ignored at categorical nodes; must not be NaN at numerical nodes).</param>
    /// <param name="categoricalLeftValues">Per node, the categories sent left, or <see langword="null"/> for a numerical node; the whole array may be <see langword="null"/>.</param>
    /// <param name="leftChildren">Left child per node (≥ 0 node, &lt; 0 leaf ~c).</param>
    /// <param name="rightChildren">Right child per node.</param>
    /// <param name="leafValues">The value of every leaf (finite).</param>
    /// <param name="indicatorFeatures">
    /// Per node, the features of an indicator-set split (x goes right when any of them is &gt; 0), or
    /// <see langword="null"/> for another kind; the whole array may be <see langword="null"/>. A node's set must be
    /// non-empty, hold features ≥ 0, and the node must not also be categorical; its <paramref name="thresholds"/> entry is ignored.
    /// </param>
    public RegressionTree(IReadOnlyList<int> splitFeatures, IReadOnlyList<double> thresholds,
        IReadOnlyList<IReadOnlyCollection<int>?>? categoricalLeftValues, IReadOnlyList<int> leftChildren,
        IReadOnlyList<int> rightChildren, IReadOnlyList<double> leafValues,
        IReadOnlyList<IReadOnlyCollection<int>?>? indicatorFeatures = null)
    {
        Contracts.CheckValue(splitFeatures, nameof(splitFeatures));
        Contracts.CheckValue(thresholds, nameof(thresholds));
        Contracts.CheckValue(leftChildren, nameof(leftChildren));
        Contracts.CheckValue(rightChildren, nameof(rightChildren));
        Contracts.CheckValue(leafValues, nameof(leafValues));
        int nodes = splitFeatures.Count;
        Contracts.CheckParam(thresholds.Count == nodes && leftChildren.Count == nodes && rightChildren.Count == nodes,
            nameof(thresholds), "Every internal node needs a feature, a threshold and two children.");
        Contracts.CheckParam(categoricalLeftValues is null || categoricalLeftValues.Count == nodes,
            nameof(categoricalLeftValues), "Categorical split sets must be given per internal node.");
        Contracts.CheckParam(indicatorFeatures is null || indicatorFeatures.Count == nodes,
            nameof(indicatorFeatures), "Indicator-set splits must be given per internal node.");
        Contracts.CheckParam(leafValues.Count == nodes + 1, nameof(leafValues),
            $"A binary tree with {nodes} internal nodes has {nodes + 1} leaves, got {leafValues.Count} leaf values.");
        _splitFeatures = splitFeatures.ToArray();
        _thresholds = thresholds.ToArray();
        _leftChildren = leftChildren.ToArray();
        _rightChildren = rightChildren.ToArray();
        _leafValues = leafValues.ToArray();
        _categoricalLeftValues = new HashSet<int>?[nodes];
        _indicatorFeatures = new int[]?[nodes];
        for (int i = 0; i < nodes; i++)
        {
            Contracts.CheckParam(_splitFeatures[i] >= 0, nameof(splitFeatures), $"Node {i} tests a negative feature index.");
            var categories = categoricalLeftValues?[i];
            var indicators = indicatorFeatures?[i];
            if (indicators is not null)
            {
                Contracts.CheckParam(categories is null, nameof(indicatorFeatures), $"Node {i} is both categorical and an indicator-set split.");
                Contracts.CheckParam(indicators.Count > 0 && indicators.All(f => f >= 0), nameof(indicatorFeatures),
                    $"Node {i} needs a non-empty set of feature indices ≥ 0.");
                _indicatorFeatures[i] = indicators.Distinct().Order().ToArray();
            }
            else if (categories is not null)
                _categoricalLeftValues[i] = new HashSet<int>(categories);
            else
                Contracts.CheckParam(!double.IsNaN(_thresholds[i]), nameof(thresholds), $"Node {i} has a NaN threshold.");
            CheckChild(_leftChildren[i], i, nodes, nameof(leftChildren));
            CheckChild(_rightChildren[i], i, nodes, nameof(rightChildren));
        }
        foreach (double value in _leafValues)
            Contracts.CheckParam(double.IsFinite(value), nameof(leafValues), "Leaf values must be finite.");
        CheckEveryLeafReachedOnce(nodes);
    }

    /// <summary>The number of internal nodes.</summary>
    public int NodeCount => _splitFeatures.Length;

    /// <summary>The number of leaves (<see cref="NodeCount"/> + 1).</summary>
    public int LeafCount => _leafValues.Length;

    /// <summary>The feature each internal node tests.</summary>
    public IReadOnlyList<int> SplitFeatures => _splitFeatures;
    /// <summary>The numerical threshold of each internal node (unused at categorical nodes).</summary>
    public IReadOnlyList<double> Thresholds => _thresholds;
    /// <summary>The left child of each internal node (&lt; 0: leaf ~c).</summary>
    public IReadOnlyList<int> LeftChildren => _leftChildren;
    /// <summary>The right child of each internal node (&lt; 0: leaf ~c).</summary>
    public IReadOnlyList<int> RightChildren => _rightChildren;
    /// <summary>The value of each leaf.</summary>
    public IReadOnlyList<double> LeafValues => _leafValues;

    /// <summary>The categories node <paramref name="node"/> sends left, or <see langword="null"/> for another kind of node.</summary>
    public IReadOnlySet<int>? CategoricalLeftValues(int node) => _categoricalLeftValues[node];

    /// <summary>The sorted features of indicator-set node <paramref name="node"/>, or <see langword="null"/> for another kind of node.</summary>
    public IReadOnlyList<int>? IndicatorFeatures(int node) => _indicatorFeatures[node];

    /// <summary>The kind of internal node <paramref name="node"/>.</summary>
    public RegressionTreeNodeKind GetNodeKind(int node)
        => _indicatorFeatures[node] is not null ? RegressionTreeNodeKind.IndicatorSet
            : _categoricalLeftValues[node] is not null ? RegressionTreeNodeKind.Categorical : RegressionTreeNodeKind.Numerical;

    /// <summary>Whether numerical or categorical node <paramref name="node"/> sends the value <paramref name="value"/> of its feature to its left child.</summary>
    /// <exception cref="InvalidOperationException">The node is an indicator-set split, which reads several features (use <see cref="GoesLeft(int, ReadOnlySpan{double})"/>).</exception>
    public bool GoesLeft(int node, double value)
    {
        Contracts.Check(_indicatorFeatures[node] is null, $"Node {node} is an indicator-set split over several features; pass the whole row.");
        var categories = _categoricalLeftValues[node];
        return categories is null ? value <= _thresholds[node] : categories.Contains((int)Math.Round(value));
    }

    /// <summary>Whether internal node <paramref name="node"/> sends the row <paramref name="features"/> to its left child.</summary>
    public bool GoesLeft(int node, ReadOnlySpan<double> features)
    {
        var indicators = _indicatorFeatures[node];
        if (indicators is null)
            return GoesLeft(node, features[_splitFeatures[node]]);
        foreach (int feature in indicators)
        {
            if (features[feature] > 0)
                return false;
        }
        return true;
    }

    /// <summary>The features node <paramref name="node"/> reads: its split feature, or the features of an indicator-set split.</summary>
    public IEnumerable<int> FeaturesOf(int node) => _indicatorFeatures[node] ?? [_splitFeatures[node]];

    /// <summary>The index of the leaf <paramref name="features"/> reaches.</summary>
    public int GetLeaf(ReadOnlySpan<double> features)
    {
        if (NodeCount == 0)
            return 0;
        int node = 0;
        while (true)
        {
            int feature = _indicatorFeatures[node] is int[] indicators ? indicators[^1] : _splitFeatures[node];
            Contracts.Check(feature < features.Length,
                $"The tree tests feature {feature} but the row has {features.Length} features.");
            int child = GoesLeft(node, features) ? _leftChildren[node] : _rightChildren[node];
            if (child < 0)
                return ~child;
            node = child;
        }
    }

    /// <summary>The value of the leaf <paramref name="features"/> reaches.</summary>
    public double GetOutput(ReadOnlySpan<double> features) => _leafValues[GetLeaf(features)];

    private static void CheckChild(int child, int node, int nodes, string paramName)
    {
        Contracts.CheckParam(child < nodes && (child < 0 || child > node), paramName,
            $"Node {node} has child {child}; internal children must come after their parent and exist.");
        Contracts.CheckParam(child >= 0 || ~child <= nodes, paramName, $"Node {node} points to leaf {~child}, which does not exist.");
    }

    private void CheckEveryLeafReachedOnce(int nodes)
    {
        if (nodes == 0)
            return;
        var leafSeen = new bool[nodes + 1];
        var nodeSeen = new bool[nodes];
        foreach (int child in _leftChildren.Concat(_rightChildren))
        {
            if (child < 0)
            {
                Contracts.CheckParam(!leafSeen[~child], "leftChildren", $"Leaf {~child} has two parents.");
                leafSeen[~child] = true;
            }
            else
            {
                Contracts.CheckParam(!nodeSeen[child], "leftChildren", $"Node {child} has two parents.");
                nodeSeen[child] = true;
            }
        }
        Contracts.CheckParam(!nodeSeen[0] && leafSeen.All(seen => seen) && nodeSeen.Skip(1).All(seen => seen), "leftChildren",
            "Every node except the root and every leaf must have exactly one parent.");
    }
}

/// <summary>The kind of an internal node of a <see cref="RegressionTree"/>.</summary>
public enum RegressionTreeNodeKind
{
    /// <summary>x[f] ≤ threshold goes left.</summary>
    Numerical,

    /// <summary>The integer category x[f] in the node's set goes left.</summary>
    Categorical,

    /// <summary>Any listed feature &gt; 0 goes right (ML.NET's categorical split over one-hot slots).</summary>
    IndicatorSet,
}
