namespace Microsoft.ML.Recourse.Models;

/// <summary>
/// The confusion counts of a binary classifier at a decision threshold θ₀ and the metrics derived from them (the counterpart, at any threshold and from
/// score arrays, of ML.NET's <c>BinaryClassificationMetrics</c>, which reads a scored view at the model's own threshold). The favourable class is the positive class: a row is predicted
/// positive iff g(x) ≥ θ₀.
/// </summary>
/// <param name="Threshold">The decision threshold θ₀.</param>
/// <param name="TruePositives">Rows labelled favourable and predicted favourable.</param>
/// <param name="FalsePositives">Rows labelled unfavourable and predicted favourable.</param>
/// <param name="TrueNegatives">Rows labelled unfavourable and predicted unfavourable.</param>
/// <param name="FalseNegatives">Rows labelled favourable and predicted unfavourable.</param>
public sealed record ThresholdClassificationMetrics(double Threshold, int TruePositives, int FalsePositives, int TrueNegatives, int FalseNegatives)
{
    /// <summary>Gets the number of rows N.</summary>
    public int RowCount => TruePositives + FalsePositives + TrueNegatives + FalseNegatives;

    /// <summary>Gets the number of rows predicted favourable.</summary>
    public int PredictedPositives => TruePositives + FalsePositives;

    /// <summary>Gets the share of rows predicted correctly, (TP + TN) / N.</summary>
    public double Accuracy => RowCount == 0 ? 0 : (double)(TruePositives + TrueNegatives) / RowCount;

    /// <summary>Gets TP / (TP + FP), or 0 when nothing is predicted favourable (scikit-learn's <c>zero_division=0</c>).</summary>
    public double PositivePrecision => Ratio(TruePositives, TruePositives + FalsePositives);

    /// <summary>Gets TP / (TP + FN), or 0 when no row is labelled favourable.</summary>
    public double PositiveRecall => Ratio(TruePositives, TruePositives + FalseNegatives);

    /// <summary>Gets the harmonic mean of precision and recall, 2·TP / (2·TP + FP + FN), or 0 when TP = 0.</summary>
    public double F1Score => Ratio(2 * TruePositives, 2 * TruePositives + FalsePositives + FalseNegatives);

    /// <summary>Counts the confusion matrix of scores against labels at a threshold.</summary>
    /// <param name="scores">g(x) of each row.</param>
    /// <param name="labels">The true label of each row, <see langword="true"/> for the favourable outcome.</param>
    /// <param name="threshold">θ₀: a row is predicted favourable iff g(x) ≥ θ₀.</param>
    public static ThresholdClassificationMetrics Compute(ReadOnlySpan<double> scores, ReadOnlySpan<bool> labels, double threshold)
    {
        Contracts.CheckParam(scores.Length == labels.Length, nameof(labels),
            $"Expected one label per score ({scores.Length}); got {labels.Length}.");
        Contracts.CheckParam(!double.IsNaN(threshold), nameof(threshold), "The threshold is NaN.");
        int tp = 0, fp = 0, tn = 0, fn = 0;
        for (int i = 0; i < scores.Length; i++)
        {
            bool predicted = scores[i] >= threshold;
            if (predicted) { if (labels[i]) tp++; else fp++; }
            else { if (labels[i]) fn++; else tn++; }
        }
        return new ThresholdClassificationMetrics(threshold, tp, fp, tn, fn);
    }

    private static double Ratio(int numerator, int denominator) => denominator == 0 ? 0 : (double)numerator / denominator;
}
