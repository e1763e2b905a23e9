namespace Microsoft.ML.Recourse.Trees;

/// <summary>
/// A Platt-style calibrator as ML.NET's PlattCalibrator applies it: P(accept | score s) = 1 / (1 + exp(<see cref="Slope"/>·s + <see cref="Offset"/>)).
/// The slope is negative for a calibrator fitted on a score that grows with the positive class.
/// </summary>
public sealed record PlattCalibrator(double Slope, double Offset)
{
    /// <summary>The calibrated probability of a raw score.</summary>
    public double Probability(double score) => 1.0 / (1.0 + Math.Exp(Slope * score + Offset));
}

/// <summary>
/// An immutable tree ensemble: score(x) = <see cref="Bias"/> + Σₜ wₜ·treeₜ(x), optionally followed by a
/// <see cref="PlattCalibrator"/>. Covers FastTree / LightGbm (weighted sum, calibrated) and FastForest (sum, no probability).
/// </summary>
public sealed class TreeEnsembleModel
{
    private readonly RegressionTree[] _trees;
    private readonly double[] _treeWeights;

    /// <param name="featureCount">The number of features of a row (≥ 1, larger than every split feature).</param>
    /// <param name="trees">The trees (at least one).</param>
    /// <param name="treeWeights">One finite weight per tree, or <see langword="null"/> for weight 1.</param>
    /// <param name="bias">The constant added to the sum (finite).</param>
    /// <param name="calibrator">The calibrator, or <see langword="null"/> when the model outputs a raw score only.</param>
    public TreeEnsembleModel(int featureCount, IReadOnlyList<RegressionTree> trees, IReadOnlyList<double>? treeWeights = null,
        double bias = 0, PlattCalibrator? calibrator = null)
    {
        Contracts.CheckPositive(featureCount, nameof(featureCount));
        Contracts.CheckValue(trees, nameof(trees));
        Contracts.CheckParam(trees.Count > 0, nameof(trees), "A tree ensemble needs at least one tree.");
        Contracts.CheckParam(treeWeights is null || treeWeights.Count == trees.Count, nameof(treeWeights),
            $"Expected {trees.Count} tree weights, got {treeWeights?.Count}.");
        Contracts.CheckParam(double.IsFinite(bias), nameof(bias), "The bias must be finite.");
        _trees = trees.ToArray();
        _treeWeights = treeWeights?.ToArray() ?? Enumerable.Repeat(1.0, _trees.Length).ToArray();
        for (int t = 0; t < _trees.Length; t++)
        {
            Contracts.CheckParam(_trees[t] is not null, nameof(trees), $"Tree {t} is null.");
            Contracts.CheckParam(double.IsFinite(_treeWeights[t]), nameof(treeWeights), $"Tree weight {t} is not finite.");
            foreach (int feature in _trees[t].SplitFeatures)
                Contracts.CheckParam(feature < featureCount, nameof(trees),
                    $"Tree {t} tests feature {feature} but the model has {featureCount} features.");
        }
        FeatureCount = featureCount;
        Bias = bias;
        Calibrator = calibrator;
    }

    /// <summary>The number of features of a row.</summary>
    public int FeatureCount { get; }
    /// <summary>The trees.</summary>
    public IReadOnlyList<RegressionTree> Trees => _trees;
    /// <summary>The weight of each tree.</summary>
    public IReadOnlyList<double> TreeWeights => _treeWeights;
    /// <summary>The constant added to the weighted leaf sum.</summary>
    public double Bias { get; }
    /// <summary>The calibrator, or <see langword="null"/> for a raw-score model.</summary>
    public PlattCalibrator? Calibrator { get; }

    /// <summary>The raw score Bias + Σₜ wₜ·treeₜ(x).</summary>
    public double Score(ReadOnlySpan<double> features)
    {
        Contracts.CheckParam(features.Length == FeatureCount, nameof(features),
            $"Expected {FeatureCount} features, got {features.Length}.");
        double score = Bias;
        for (int t = 0; t < _trees.Length; t++)
            score += _treeWeights[t] * _trees[t].GetOutput(features);
        return score;
    }

    /// <summary>The calibrated probability, or <see langword="null"/> for a model without a calibrator.</summary>
    public double? Probability(ReadOnlySpan<double> features) => Calibrator?.Probability(Score(features));
}
