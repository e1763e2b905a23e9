using System.Globalization;
using Microsoft.ML.Recourse.Models;

namespace Microsoft.ML.Recourse.Trees;

/// <summary>
/// A tree ensemble as the library's <see cref="IScorer"/>: g(x) = the calibrated probability
/// 1 / (1 + exp(slope·s(x) + offset)) when the model has a <see cref="PlattCalibrator"/> (FastTree, LightGbm), otherwise
/// σ(s(x)) = 1 / (1 + exp(−s(x))) of the raw score s (FastForest, or a raw ensemble). g rises with s, so "g(x) ≥ θ₀" is
/// "s(x) ≥ s*" with s* = <see cref="ScoreThreshold"/>(θ₀); without a calibrator θ₀ = 0.5 is s ≥ 0.
/// </summary>
/// <remarks>
/// ML.NET's own <c>PredictedLabel</c> of a tree model is <c>Score &gt; 0</c> whatever the calibrator says; for that rule
/// use the raw score threshold <see cref="MlNetTreeEnsembles.PredictedLabelScoreThreshold"/> with
/// <see cref="TreeEnsembleRecourse"/>.
/// </remarks>
public sealed class TreeEnsembleScorer : IScorer
{
    private const int BisectionLimit = 2_000;

    /// <summary>Wraps a tree ensemble.</summary>
    /// <param name="model">The ensemble; a calibrator's slope must be negative (the probability rises with the score).</param>
    public TreeEnsembleScorer(TreeEnsembleModel model)
    {
        Model = Contracts.CheckValue(model, nameof(model));
        Contracts.CheckParam(model.Calibrator is null || model.Calibrator.Slope < 0, nameof(model),
            string.Create(CultureInfo.InvariantCulture, $"The calibrator's slope must be negative so that the probability rises with the score; got {model.Calibrator?.Slope}."));
    }

    /// <summary>Gets the ensemble.</summary>
    public TreeEnsembleModel Model { get; }

    /// <inheritdoc/>
    public int FeatureCount => Model.FeatureCount;

    /// <inheritdoc/>
    public double Score(ReadOnlySpan<double> features) => ProbabilityOf(Model.Score(features));

    /// <inheritdoc/>
    public void ScoreBatch(ReadOnlySpan<double> features, Span<double> scores)
    {
        int d = FeatureCount;
        Contracts.CheckParam(features.Length == scores.Length * d, nameof(features),
            $"Expected {scores.Length} rows of {d} features ({scores.Length * d} values), got {features.Length}.");
        for (int r = 0; r < scores.Length; r++)
            scores[r] = Score(features.Slice(r * d, d));
    }

    /// <summary>Computes g for a raw score s: the calibrated probability, or σ(s) without a calibrator.</summary>
    /// <param name="score">The raw score s.</param>
    public double ProbabilityOf(double score)
        => Model.Calibrator is { } calibrator ? calibrator.Probability(score) : 1 / (1 + Math.Exp(-score));

    /// <summary>
    /// Computes s*, the smallest raw score whose <see cref="ProbabilityOf"/> (as computed in double precision) is ≥ θ₀,
    /// so that g(x) ≥ θ₀ exactly when s(x) ≥ s*.
    /// </summary>
    /// <param name="threshold">The decision threshold θ₀. Range: 0 &lt; θ₀ &lt; 1.</param>
    public double ScoreThreshold(double threshold)
    {
        Contracts.CheckOpenUnitInterval(threshold, nameof(threshold));
        double logOdds = Math.Log((1 - threshold) / threshold);
        double guess = Model.Calibrator is { } c ? (logOdds - c.Offset) / c.Slope : -logOdds;
        if (!double.IsFinite(guess))
            guess = 0;
        // Bracket: g(low) < θ₀ ≤ g(high), widening around the closed form; then bisect down to adjacent doubles.
        double step = Math.Max(1e-12, 1e-9 * Math.Abs(guess));
        double low = guess, high = guess;
        while (ProbabilityOf(low) >= threshold) { low -= step; step *= 2; }
        step = Math.Max(1e-12, 1e-9 * Math.Abs(guess));
        while (ProbabilityOf(high) < threshold) { high += step; step *= 2; }
        for (int i = 0; i < BisectionLimit; i++)
        {
            double mid = low + (high - low) / 2;
            if (mid <= low || mid >= high)
                break;
            if (ProbabilityOf(mid) >= threshold) high = mid; else low = mid;
        }
        return high;
    }
}
