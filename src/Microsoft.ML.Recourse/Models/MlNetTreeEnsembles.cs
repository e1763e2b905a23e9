using System.Globalization;
using Microsoft.ML.Recourse.Trees;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers.FastTree;
using RegressionTree = Microsoft.ML.Recourse.Trees.RegressionTree;
using MlCalibratedModel = Microsoft.ML.Calibrators.CalibratedModelParametersBase;
using MlPlattCalibrator = Microsoft.ML.Calibrators.PlattCalibrator;
using MlTree = Microsoft.ML.Trainers.FastTree.RegressionTreeBase;

namespace Microsoft.ML.Recourse.Models;

/// <summary>
/// Reads ML.NET's trained binary tree ensembles (FastTree, FastForest, LightGbm) into a <see cref="TreeEnsembleModel"/>
/// through their public model parameters only: the trees' children (a negative child c is leaf ~c), numerical split
/// features and thresholds (x ≤ θ goes left), categorical splits over one-hot slots (any listed slot &gt; 0 goes
/// right), leaf values, tree weights, the bias and a Platt calibrator's slope and offset.
/// </summary>
/// <remarks>
/// <list type="table">
/// <listheader><term>model</term><description>read as</description></listheader>
/// <item><term>FastTree, LightGbm (binary)</term><description>score = bias + Σₜ wₜ·leafₜ; probability = 1 / (1 + exp(slope·score + offset)) from the Platt calibrator</description></item>
/// <item><term>FastForest (binary)</term><description>score = Σₜ wₜ·leafₜ (the sum of the trees' leaves); no calibrator, as ML.NET's FastForest has no Probability column</description></item>
/// </list>
/// <para>
/// The model's features are the trainer's <c>Features</c> vector, so rows handed to the result are in the units of that
/// vector (after any transforms before the trainer). The trees compare features as <see cref="float"/>, so the model has
/// <see cref="TreeEnsembleModel.SinglePrecisionInputs"/> set.
/// </para>
/// <para>
/// <b>Limit: missing values.</b> ML.NET routes a missing (NaN) feature through per-node defaults that its public API does
/// not expose, so the read model is exact only for rows without NaN; the recourse generators reject NaN rows.
/// Other calibrators than Platt (isotonic, naive) and GAMs are not read.
/// </para>
/// <para>
/// ML.NET's <c>PredictedLabel</c> is <c>Score &gt; 0</c> by default (the score as a <see cref="float"/>); a raw score
/// s ≥ <see cref="PredictedLabelScoreThreshold"/> guarantees it.
/// </para>
/// </remarks>
internal static class MlNetTreeEnsembles
{
    /// <summary>
    /// Gets the smallest raw score threshold s* such that every score s ≥ s* gives ML.NET's default
    /// <c>PredictedLabel</c> = true (<c>(float)s &gt; 0</c>): the smallest positive <see cref="float"/>.
    /// </summary>
    public static double PredictedLabelScoreThreshold => float.Epsilon;

    // A score this far above 0 is accepted by ML.NET's PredictedLabel however the float sum of the leaves rounds.
    private const double RelativeDecisionMargin = 1e-6;

    /// <summary>
    /// The classifier view of a fitted FastTree, FastForest or LightGbm prediction transformer: g is the calibrated
    /// probability (σ of the score for FastForest) and θ₀ the value of g at a score a small margin above 0, ML.NET's
    /// default decision (<c>Score &gt; 0</c>).
    /// </summary>
    [ClassifierReader]
    internal static BinaryClassifierView? Read(ITransformer transformer)
    {
        if (transformer is not ISingleFeaturePredictionTransformer<object> predictor || !IsTreeEnsemble(predictor.Model)) return null;
        if (predictor.FeatureColumnType is not VectorDataViewType { IsKnownSize: true, ItemType: NumberDataViewType item } vector || item != NumberDataViewType.Single)
            throw new InvalidOperationException($"The tree model reads '{predictor.FeatureColumnName}' of type {predictor.FeatureColumnType}; recourse needs a known-size vector of Single.");
        var model = FromModelParameters(predictor.Model, vector.Size);
        CheckDefaultThreshold(transformer, predictor.FeatureColumnName, model);
        var scorer = new TreeEnsembleScorer(model);
        double magnitude = Math.Abs(model.Bias) + model.Trees.Select((t, k) => Math.Abs(model.TreeWeights[k]) * t.LeafValues.Max(Math.Abs)).Sum();
        double margin = RelativeDecisionMargin * (1 + magnitude);
        double theta = scorer.ProbabilityOf(margin);
        Contracts.Check(theta > 0 && theta < 1, FormattableString.Invariant($"The tree model's decision maps to g = {theta:G6}, outside (0, 1)."));
        string kind = predictor.Model is MlCalibratedModel c ? c.SubModel.GetType().Name : predictor.Model.GetType().Name;
        return new BinaryClassifierView(scorer, theta, predictor.FeatureColumnName,
            FormattableString.Invariant($"ML.NET {kind} ({model.Trees.Count} trees{(model.Calibrator is null ? ", g = σ(score)" : ", Platt-calibrated probability")}, predicted positive when score > 0)"),
            margin);
    }

    private static bool IsTreeEnsemble(object model)
        => (model is MlCalibratedModel calibrated ? calibrated.SubModel : model) is TreeEnsembleModelParametersBasedOnRegressionTree or TreeEnsembleModelParametersBasedOnQuantileRegressionTree;

    // ML.NET keeps a prediction transformer's threshold internal. Rows through the split thresholds check that the
    // model decides Score > 0 (ChangeModelThreshold moves it); another threshold is refused rather than guessed.
    private static void CheckDefaultThreshold(ITransformer transformer, string featureColumnName, TreeEnsembleModel model)
    {
        var random = new Random(17);
        int d = model.FeatureCount;
        var thresholds = Enumerable.Range(0, d).Select(_ => new List<double> { 0 }).ToArray();
        foreach (var tree in model.Trees)
            for (int n = 0; n < tree.NodeCount; n++)
                if (tree.GetNodeKind(n) == RegressionTreeNodeKind.Numerical) thresholds[tree.SplitFeatures[n]].Add(tree.Thresholds[n]);
        const int rows = 256;
        var values = new float[rows * d];
        for (int r = 0; r < rows; r++)
            for (int j = 0; j < d; j++)
            {
                var t = thresholds[j];
                double v = t[random.Next(t.Count)];
                values[r * d + j] = (float)(v + (random.Next(2) == 0 ? -1 : 1) * Math.Max(1e-3, Math.Abs(v) * 1e-3));
            }
        var output = transformer.Transform(new InMemoryDataView.Builder().AddVector(featureColumnName, d, values).Build());
        var scores = ColumnChecks.ReadScalars<float>(output, output.Schema[DefaultColumnNames.Score]);
        var labels = ColumnChecks.ReadScalars<bool>(output, output.Schema[DefaultColumnNames.PredictedLabel]);
        for (int r = 0; r < rows; r++)
            if (labels[r] != scores[r] > 0)
                throw new InvalidOperationException(FormattableString.Invariant(
                    $"The tree model predicts {(labels[r] ? "positive" : "negative")} at score {scores[r]:G6}: its threshold was moved from 0 (ChangeModelThreshold), which recourse for tree ensembles does not read."));
    }

    /// <summary>
    /// Reads the tree ensemble of a fitted model: the last prediction transformer in <paramref name="model"/>, searched
    /// through nested transformer chains (as <c>MLContext.Model.Load</c> returns them).
    /// </summary>
    /// <param name="model">A fitted binary FastTree, FastForest or LightGbm prediction transformer, or a chain ending in one.</param>
    /// <returns>The ensemble over the trainer's feature vector.</returns>
    /// <exception cref="ArgumentOutOfRangeException">No prediction transformer was found, its feature column is not a known-size vector, or its model is not a supported tree ensemble.</exception>
    public static TreeEnsembleModel FromTransformer(ITransformer model)
    {
        Contracts.CheckValue(model, nameof(model));
        var predictor = FindPredictionTransformer(model)
            ?? throw new ArgumentOutOfRangeException(nameof(model), $"No prediction transformer was found in the {model.GetType().Name}.");
        if (predictor.FeatureColumnType is not VectorDataViewType { Size: > 0 } vector)
            throw new ArgumentOutOfRangeException(nameof(model),
                $"The feature column '{predictor.FeatureColumnName}' must be a known-size vector; it is {predictor.FeatureColumnType}.");
        return FromModelParameters(predictor.Model, vector.Size);
    }

    /// <summary>
    /// Reads ML.NET model parameters: a calibrated model whose sub-model is a tree ensemble and whose calibrator is
    /// Platt's (FastTree, LightGbm), or an uncalibrated tree ensemble (FastForest, or a raw FastTree / LightGbm sub-model).
    /// </summary>
    /// <param name="modelParameters">The model, e.g. <c>transformer.Model</c> of a fitted binary tree trainer.</param>
    /// <param name="featureCount">The length d of the feature vector. Range: value ≥ 1, larger than every split feature.</param>
    /// <returns>The ensemble.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The model is not a supported tree ensemble, its calibrator is not Platt's, or a split reads a feature ≥ <paramref name="featureCount"/>.</exception>
    public static TreeEnsembleModel FromModelParameters(object modelParameters, int featureCount)
    {
        Contracts.CheckValue(modelParameters, nameof(modelParameters));
        Contracts.CheckPositive(featureCount, nameof(featureCount));
        Trees.PlattCalibrator? calibrator = null;
        object ensemble = modelParameters;
        if (modelParameters is MlCalibratedModel calibrated)
        {
            if (calibrated.Calibrator is not MlPlattCalibrator platt)
                throw new ArgumentOutOfRangeException(nameof(modelParameters),
                    $"Only Platt calibrators are read; this model has a {calibrated.Calibrator?.GetType().Name ?? "missing calibrator"}.");
            calibrator = new Trees.PlattCalibrator(platt.Slope, platt.Offset);
            ensemble = calibrated.SubModel;
        }
        return ensemble switch
        {
            TreeEnsembleModelParametersBasedOnRegressionTree boosted => Convert(boosted.TrainedTreeEnsemble.Trees, boosted.TrainedTreeEnsemble.TreeWeights,
                boosted.TrainedTreeEnsemble.Bias, featureCount, calibrator),
            TreeEnsembleModelParametersBasedOnQuantileRegressionTree forest => Convert(forest.TrainedTreeEnsemble.Trees, forest.TrainedTreeEnsemble.TreeWeights,
                forest.TrainedTreeEnsemble.Bias, featureCount, calibrator),
            _ => throw new ArgumentOutOfRangeException(nameof(modelParameters),
                $"{ensemble.GetType().Name} is not a tree ensemble this reader knows (FastTree, FastForest, LightGbm binary models)."),
        };
    }

    /// <summary>The last single-feature prediction transformer in a transformer or chain, or <see langword="null"/>.</summary>
    internal static ISingleFeaturePredictionTransformer<object>? FindPredictionTransformer(ITransformer transformer)
    {
        if (transformer is ISingleFeaturePredictionTransformer<object> predictor)
            return predictor;
        if (transformer is IEnumerable<ITransformer> chain)
        {
            foreach (var inner in chain.Reverse())
            {
                if (FindPredictionTransformer(inner) is { } found)
                    return found;
            }
        }
        return null;
    }

    private static TreeEnsembleModel Convert<TTree>(IReadOnlyList<TTree> trees, IReadOnlyList<double> weights, double bias, int featureCount,
        Trees.PlattCalibrator? calibrator) where TTree : MlTree
    {
        var converted = new RegressionTree[trees.Count];
        for (int t = 0; t < trees.Count; t++)
            converted[t] = Convert(trees[t], t, featureCount);
        return new TreeEnsembleModel(featureCount, converted, weights.ToArray(), bias, calibrator, singlePrecisionInputs: true);
    }

    private static RegressionTree Convert(MlTree tree, int treeIndex, int featureCount)
    {
        int nodes = tree.NumberOfNodes;
        var features = new int[nodes];
        var thresholds = new double[nodes];
        var indicators = new IReadOnlyCollection<int>?[nodes];
        for (int n = 0; n < nodes; n++)
        {
            if (tree.CategoricalSplitFlags[n])
            {
                var slots = tree.GetCategoricalSplitFeaturesAt(n).ToArray();
                CheckFeatures(slots, treeIndex, n, featureCount);
                indicators[n] = slots;
                features[n] = slots.Length > 0 ? slots.Min() : 0;
            }
            else
            {
                features[n] = tree.NumericalSplitFeatureIndexes[n];
                CheckFeatures([features[n]], treeIndex, n, featureCount);
                thresholds[n] = tree.NumericalSplitThresholds[n];
            }
        }
        return new RegressionTree(features, thresholds, null, tree.LeftChild.ToArray(), tree.RightChild.ToArray(), tree.LeafValues.ToArray(), indicators);
    }

    private static void CheckFeatures(int[] features, int tree, int node, int featureCount)
    {
        foreach (int f in features)
        {
            if (f < 0 || f >= featureCount)
                throw new ArgumentOutOfRangeException("featureCount",
                    string.Create(CultureInfo.InvariantCulture, $"Tree {tree} node {node} splits on feature {f}, outside the {featureCount} features of the model."));
        }
    }
}
