using Microsoft.ML.Recourse.Trees;

namespace Microsoft.ML.Recourse.Tests.Recourse.Trees;

public class TreeEnsembleModelTests
{
    // Root: x0 ≤ 1 → leaf 0 (value 1); else node 1: x1 ∈ {2, 5} → leaf 1 (value −2), else leaf 2 (value 3).
    private static RegressionTree SmallTree() => new(
        splitFeatures: [0, 1], thresholds: [1.0, 0.0], categoricalLeftValues: [null, new[] { 2, 5 }],
        leftChildren: [~0, ~1], rightChildren: [1, ~2], leafValues: [1.0, -2.0, 3.0]);

    [Fact]
    public void Numerical_and_categorical_splits_route_rows()
    {
        var tree = SmallTree();
        Assert.Equal(0, tree.GetLeaf([1.0, 5.0]));
        Assert.Equal(1, tree.GetLeaf([1.5, 5.0]));
        Assert.Equal(2, tree.GetLeaf([1.5, 3.0]));
    }

    [Fact]
    public void Score_is_bias_plus_weighted_leaves_and_calibrator_is_platt()
    {
        var model = new TreeEnsembleModel(2, [SmallTree(), SmallTree()], [0.5, 2.0], bias: 0.25, new PlattCalibrator(-1.0, 0.0));
        double score = model.Score([1.5, 3.0]);
        Assert.Equal(0.25 + 0.5 * 3 + 2.0 * 3, score, 12);
        Assert.Equal(1 / (1 + Math.Exp(-score)), model.Probability([1.5, 3.0])!.Value, 12);
        Assert.Null(new TreeEnsembleModel(2, [SmallTree()]).Probability([0, 0]));
    }

    [Fact]
    public void Indicator_set_splits_go_right_when_any_listed_feature_is_positive()
    {
        // Root: any of x1, x2 > 0 → leaf 1 (value 5), else leaf 0 (value −1).
        var tree = new RegressionTree([1], [0.0], null, [~0], [~1], [-1.0, 5.0], [new[] { 2, 1 }]);
        Assert.Equal(RegressionTreeNodeKind.IndicatorSet, tree.GetNodeKind(0));
        Assert.Equal([1, 2], tree.IndicatorFeatures(0));
        Assert.Equal(0, tree.GetLeaf([7.0, 0.0, -3.0]));
        Assert.Equal(1, tree.GetLeaf([0.0, 0.0, 0.5]));
        Assert.Throws<InvalidOperationException>(() => tree.GoesLeft(0, 1.0));
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => new TreeEnsembleModel(2, [tree]));
        Assert.Contains("tests feature 2", ex.Message);
    }

    [Fact]
    public void Single_precision_inputs_round_features_to_float_and_need_float_thresholds()
    {
        var tree = new RegressionTree([0], [0.5], null, [~0], [~1], [0.0, 1.0]);
        double justAbove = Math.BitIncrement(0.5);
        Assert.Equal(1.0, new TreeEnsembleModel(1, [tree]).Score([justAbove]));
        var single = new TreeEnsembleModel(1, [tree], singlePrecisionInputs: true);
        Assert.Equal(0.0, single.Score([justAbove]));
        Assert.Equal(1.0, single.Score([MathF.BitIncrement(0.5f)]));
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => new TreeEnsembleModel(1, [new RegressionTree([0], [0.1], null, [~0], [~1], [0.0, 1.0])], singlePrecisionInputs: true));
        Assert.Contains("not a float value", ex.Message);
    }

    [Fact]
    public void Malformed_trees_are_rejected_with_the_reason()
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => new RegressionTree([0], [1.0], null, [~0], [~0], [1.0, 2.0]));
        Assert.Contains("two parents", ex.Message);
        ex = Assert.Throws<ArgumentOutOfRangeException>(() => new TreeEnsembleModel(1, [SmallTree()]));
        Assert.Contains("tests feature 1", ex.Message);
    }

    [Fact]
    public void Every_point_of_an_interval_box_reaches_the_same_leaves()
    {
        var random = new Random(12);
        for (int trial = 0; trial < 300; trial++)
        {
            var model = RandomEnsemble(random, features: 3, trees: 1 + random.Next(6));
            var intervals = new ThresholdIntervals(model);
            for (int sample = 0; sample < 20; sample++)
            {
                double[] x = RandomRow(random, model.FeatureCount);
                double[] y = new double[x.Length];
                for (int f = 0; f < x.Length; f++)
                {
                    int interval = random.Next(intervals.IntervalCount(f));
                    double target = RandomRow(random, 1)[0];
                    // Move x's numerical features into a random interval; leave categorical ones alone.
                    y[f] = intervals.IsCategorical(f) ? x[f] : intervals.ClosestNumericalPoint(f, interval, target);
                    Assert.Equal(intervals.IsCategorical(f) ? intervals.IntervalOf(f, x[f]) : interval, intervals.IntervalOf(f, y[f]));
                }
                // A second point in the same pieces: each numerical coordinate drawn elsewhere and pulled into y's piece.
                double[] z = y.Select((v, f) => intervals.IsCategorical(f) ? v
                    : intervals.ClosestNumericalPoint(f, intervals.IntervalOf(f, v), RandomRow(random, 1)[0])).ToArray();
                foreach (var tree in model.Trees)
                    Assert.Equal(tree.GetLeaf(y), tree.GetLeaf(z));
            }
        }
    }

    private static double[] RandomRow(Random random, int features) =>
        Enumerable.Range(0, features).Select(_ => Math.Round(random.NextDouble() * 8 - 4, 1)).ToArray();

    // Feature 2 is categorical over {0..4}; features 0 and 1 are numerical with thresholds on a 0.5 grid so ties happen.
    internal static TreeEnsembleModel RandomEnsemble(Random random, int features, int trees)
    {
        var list = new List<RegressionTree>();
        for (int t = 0; t < trees; t++)
        {
            int nodes = random.Next(4);
            var split = new int[nodes];
            var thresholds = new double[nodes];
            var categories = new IReadOnlyCollection<int>?[nodes];
            var left = new int[nodes];
            var right = new int[nodes];
            // Grow a random shape: each new node replaces a random leaf slot of an earlier node.
            var slots = new List<(int Node, bool Left)>();
            for (int i = 0; i < nodes; i++)
            {
                split[i] = random.Next(features);
                if (split[i] == features - 1)
                    categories[i] = Enumerable.Range(0, 5).Where(_ => random.Next(2) == 0).ToArray();
                else
                    thresholds[i] = Math.Round(random.NextDouble() * 6 - 3) / 2;
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
            for (int leaf = 0; leaf < slots.Count; leaf++)
            {
                var (parent, isLeft) = slots[leaf];
                if (isLeft) left[parent] = ~leaf; else right[parent] = ~leaf;
            }
            double[] values = Enumerable.Range(0, nodes + 1).Select(_ => Math.Round(random.NextDouble() * 2 - 1, 3)).ToArray();
            list.Add(new RegressionTree(split, thresholds, categories, left, right, values));
        }
        return new TreeEnsembleModel(features, list, list.Select(_ => 0.5 + random.NextDouble()).ToArray(), random.NextDouble() - 0.5);
    }
}
