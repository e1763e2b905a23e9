namespace Microsoft.ML.Recourse.Models;

/// <summary>A decision threshold chosen by a rule, with the value of the criterion it was chosen on.</summary>
/// <param name="Threshold">The chosen θ.</param>
/// <param name="Value">The criterion at θ (F1 or precision, as the rule says).</param>
public sealed record ThresholdChoice(double Threshold, double Value);

/// <summary>
/// The threshold rules of Ross, Lakkaraju &amp; Bastani (2021): the best-F1 candidate on a grid, and the threshold whose
/// precision is closest to a target. A row is predicted favourable iff g(x) ≥ θ.
/// </summary>
public static class ThresholdSelection
{
    /// <summary>Returns <paramref name="count"/> equally spaced values from 0 to <paramref name="upperBound"/>, both included (numpy's <c>linspace</c>).</summary>
    /// <param name="upperBound">The last value. Range: 0 ≤ value ≤ 1.</param>
    /// <param name="count">The number of values. Range: value ≥ 2.</param>
    public static IReadOnlyList<double> Grid(double upperBound, int count)
    {
        Contracts.CheckParam(upperBound >= 0 && upperBound <= 1, nameof(upperBound), FormattableString.Invariant($"Must lie in [0, 1]; got {upperBound}."));
        Contracts.CheckParam(count >= 2, nameof(count), FormattableString.Invariant($"Must be ≥ 2; got {count}."));
        var grid = new double[count];
        for (int i = 0; i < count; i++) grid[i] = upperBound * i / (count - 1);
        grid[^1] = upperBound;
        return grid;
    }

    /// <summary>The validation grid of the recourse-aware trainers: 0, 0.05, …, 1, as the reference code.</summary>
    public static IReadOnlyList<double> TrainingGrid { get; } = Grid(1, 21);

    /// <summary>F1 of the favourable class at each candidate threshold (0 where it is undefined).</summary>
    /// <param name="scores">g(x) of each row.</param>
    /// <param name="labels">The true label of each row.</param>
    /// <param name="candidates">The thresholds to try, in order.</param>
    public static double[] F1ByThreshold(ReadOnlySpan<double> scores, ReadOnlySpan<bool> labels, IReadOnlyList<double> candidates)
    {
        Contracts.CheckValue(candidates, nameof(candidates));
        var f1 = new double[candidates.Count];
        for (int k = 0; k < f1.Length; k++)
            f1[k] = ThresholdClassificationMetrics.Compute(scores, labels, candidates[k]).F1Score;
        return f1;
    }

    /// <summary>
    /// Returns the candidate with the largest F1, the first one on ties (a strict &gt; scan that starts from F1 = 0,
    /// as the reference code), or <see langword="null"/> when every candidate has F1 = 0 (no row is labelled favourable,
    /// or no candidate predicts a true positive).
    /// </summary>
    /// <param name="scores">g(x) of each row.</param>
    /// <param name="labels">The true label of each row.</param>
    /// <param name="candidates">The thresholds to try, in order.</param>
    public static ThresholdChoice? MaximizeF1(ReadOnlySpan<double> scores, ReadOnlySpan<bool> labels, IReadOnlyList<double> candidates)
        => FirstMaximum(candidates, F1ByThreshold(scores, labels, candidates));

    /// <summary>The first candidate with the largest positive F1 of <paramref name="f1"/>, or <see langword="null"/> when all are 0.</summary>
    internal static ThresholdChoice? FirstMaximum(IReadOnlyList<double> candidates, IReadOnlyList<double> f1)
    {
        ThresholdChoice? best = null;
        for (int k = 0; k < f1.Count; k++)
            if (f1[k] > (best?.Value ?? 0)) best = new ThresholdChoice(candidates[k], f1[k]);
        return best;
    }

    /// <summary>
    /// Returns the threshold whose precision is closest to <paramref name="targetPrecision"/>, the lowest on ties.
    /// Every distinct score is a candidate (the thresholds of scikit-learn's <c>precision_recall_curve</c>).
    /// </summary>
    /// <remarks>
    /// The reference code takes <c>thresholds[argmin |precision − target|]</c>, but scikit-learn's precision array has
    /// one more entry than its thresholds (a final precision of 1 at recall 0 that belongs to no threshold); when that
    /// entry is closest, the index runs past the thresholds. Here only precisions that belong to a threshold compete.
    /// </remarks>
    /// <param name="scores">g(x) of each row; finite.</param>
    /// <param name="labels">The true label of each row.</param>
    /// <param name="targetPrecision">The precision to match (0.65 in the paper's disparity experiment). Range: 0 ≤ value ≤ 1.</param>
    public static ThresholdChoice ForPrecision(ReadOnlySpan<double> scores, ReadOnlySpan<bool> labels, double targetPrecision)
    {
        Contracts.CheckParam(scores.Length == labels.Length, nameof(labels), $"Expected one label per score ({scores.Length}); got {labels.Length}.");
        Contracts.CheckParam(scores.Length > 0, nameof(scores), "There are no scores to choose a threshold from.");
        Contracts.CheckParam(targetPrecision >= 0 && targetPrecision <= 1, nameof(targetPrecision),
            FormattableString.Invariant($"Must lie in [0, 1]; got {targetPrecision}."));
        var order = new int[scores.Length];
        var keys = new double[scores.Length];
        for (int i = 0; i < order.Length; i++)
        {
            Contracts.CheckParam(double.IsFinite(scores[i]), nameof(scores), FormattableString.Invariant($"Score {i} is not finite ({scores[i]})."));
            order[i] = i;
            keys[i] = -scores[i];
        }
        Array.Sort(keys, order); // descending scores
        ThresholdChoice? best = null;
        int predicted = 0, truePositives = 0;
        for (int i = 0; i < order.Length; i++)
        {
            predicted++;
            if (labels[order[i]]) truePositives++;
            if (i + 1 < order.Length && keys[i + 1] == keys[i]) continue; // the threshold is this distinct score
            double precision = (double)truePositives / predicted;
            // Scanning from high to low thresholds, ≤ keeps the lowest threshold on ties.
            if (best is null || Math.Abs(precision - targetPrecision) <= Math.Abs(best.Value - targetPrecision))
                best = new ThresholdChoice(-keys[i], precision);
        }
        return best!;
    }
}
