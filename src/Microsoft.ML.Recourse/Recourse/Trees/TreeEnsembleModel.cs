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
/// With <see cref="SinglePrecisionInputs"/> the trees see every feature rounded to <see cref="float"/>, as ML.NET's do.
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
    /// <param name="singlePrecisionInputs">
    /// Whether the trees compare features as <see cref="float"/> (ML.NET's trees do): every feature is rounded to
    /// <see cref="float"/> before the split tests, and every numerical threshold must be a <see cref="float"/> value.
    /// </param>
    public TreeEnsembleModel(int featureCount, IReadOnlyList<RegressionTree> trees, IReadOnlyList<double>? treeWeights = null,
        double bias = 0, PlattCalibrator? calibrator = null, bool singlePrecisionInputs = false)
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
            var tree = _trees[t];
            for (int node = 0; node < tree.NodeCount; node++)
            {
                foreach (int feature in tree.FeaturesOf(node))
                    Contracts.CheckParam(feature < featureCount, nameof(trees),
                        $"Tree {t} tests feature {feature} but the model has {featureCount} features.");
                if (singlePrecisionInputs && tree.GetNodeKind(node) == RegressionTreeNodeKind.Numerical)
                    Contracts.CheckParam((float)tree.Thresholds[node] == tree.Thresholds[node], nameof(singlePrecisionInputs),
                        FormattableString.Invariant($"Tree {t} node {node} has threshold {tree.Thresholds[node]:R}, which is not a float value."));
            }
        }
        FeatureCount = featureCount;
        Bias = bias;
        Calibrator = calibrator;
        SinglePrecisionInputs = singlePrecisionInputs;
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
    /// <summary>Whether the trees see every feature rounded to <see cref="float"/> (ML.NET's trees).</summary>
    public bool SinglePrecisionInputs { get; }

    /// <summary>The raw score Bias + Σₜ wₜ·treeₜ(x) (features rounded to <see cref="float"/> first with <see cref="SinglePrecisionInputs"/>).</summary>
    public double Score(ReadOnlySpan<double> features)
    {
        Contracts.CheckParam(features.Length == FeatureCount, nameof(features),
            $"Expected {FeatureCount} features, got {features.Length}.");
        if (!SinglePrecisionInputs)
            return ScoreCore(features);
        Span<double> rounded = features.Length <= 256 ? stackalloc double[features.Length] : new double[features.Length];
        for (int j = 0; j < rounded.Length; j++)
            rounded[j] = (float)features[j];
        return ScoreCore(rounded);
    }

    /// <summary>The value the trees compare for a feature value: itself, or rounded to <see cref="float"/> with <see cref="SinglePrecisionInputs"/>.</summary>
    internal double Quantize(double value) => SinglePrecisionInputs ? (float)value : value;

    /// <summary>The smallest value the trees see as strictly above numerical threshold <paramref name="threshold"/>.</summary>
    internal double NextAbove(double threshold)
        => SinglePrecisionInputs ? MathF.BitIncrement((float)threshold) : Math.BitIncrement(threshold);

    private double ScoreCore(ReadOnlySpan<double> features)
    {
        double score = Bias;
        for (int t = 0; t < _trees.Length; t++)
            score += _treeWeights[t] * _trees[t].GetOutput(features);
        return score;
    }

    /// <summary>The calibrated probability, or <see langword="null"/> for a model without a calibrator.</summary>
    public double? Probability(ReadOnlySpan<double> features) => Calibrator?.Probability(Score(features));
}
