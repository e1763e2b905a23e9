using System.Globalization;

namespace Microsoft.ML.Recourse.Trees;

/// <summary>
/// The cost <see cref="TreeEnsembleRecourse"/> minimises: a weighted sum
/// <c>L1Weight · L1 + L0Weight · L0 + PercentileWeight · P</c> of
/// <list type="bullet">
/// <item><description>L1 = Σⱼ wⱼ |δⱼ| / sⱼ, the action set's cost (<see cref="Actions.ActionSet.Cost"/>): weighted L1 in standardised units;</description></item>
/// <item><description>L0 = the number of changed variables: a feature outside a one-hot group counts 1 when it changes, a one-hot group counts 1 when its category changes;</description></item>
/// <item><description>P = Σⱼ |Qⱼ(xⱼ + δⱼ) − Qⱼ(xⱼ)|, Ustun, Spangher &amp; Liu's (2019) total percentile shift, Qⱼ the CDF of
/// feature j given by <see cref="TreeEnsembleRecourse.Options.Quantiles"/> (each indicator of a one-hot group is a feature of its own).</description></item>
/// </list>
/// Every term is a sum over variables of a cost that grows with the distance moved on each side of the current
/// value, so the closest point of an interval is its cheapest for every weighting.
/// </summary>
/// <param name="L1Weight">The weight of L1. Range: value ≥ 0.</param>
/// <param name="L0Weight">The weight of L0. Range: value ≥ 0.</param>
/// <param name="PercentileWeight">The weight of P. Range: value ≥ 0.</param>
public sealed record TreeRecourseCost(double L1Weight = 1, double L0Weight = 0, double PercentileWeight = 0)
{
    /// <summary>Gets the action set's weighted L1 cost alone (the default).</summary>
    public static TreeRecourseCost L1 { get; } = new(1, 0, 0);

    /// <summary>Gets the number of changed variables alone.</summary>
    public static TreeRecourseCost L0 { get; } = new(0, 1, 0);

    /// <summary>Gets the total percentile shift alone.</summary>
    public static TreeRecourseCost Percentile { get; } = new(0, 0, 1);

    internal void Check(string paramName)
    {
        foreach (var (weight, name) in new[] { (L1Weight, nameof(L1Weight)), (L0Weight, nameof(L0Weight)), (PercentileWeight, nameof(PercentileWeight)) })
            Contracts.CheckParam(double.IsFinite(weight) && weight >= 0, paramName,
                string.Create(CultureInfo.InvariantCulture, $"{name} must be a finite value ≥ 0; got {weight}."));
        Contracts.CheckParam(L1Weight + L0Weight + PercentileWeight > 0, paramName, "At least one cost weight must be > 0.");
    }

    /// <inheritdoc/>
    public override string ToString()
    {
        var parts = new List<string>();
        if (L1Weight > 0) parts.Add(Term(L1Weight, "L1"));
        if (L0Weight > 0) parts.Add(Term(L0Weight, "L0"));
        if (PercentileWeight > 0) parts.Add(Term(PercentileWeight, "percentile shift"));
        return string.Join(" + ", parts);

        static string Term(double weight, string name) => weight == 1 ? name : string.Create(CultureInfo.InvariantCulture, $"{weight:G6}·{name}");
    }
}

/// <summary>
/// Per-feature distributions for the percentile cost: for each feature, sorted quantile points q₀ ≤ … ≤ qₘ at the
/// probabilities k/m. The CDF Q(v) interpolates linearly between the points (the supremum of the probabilities whose
/// interpolated quantile is ≤ v): 0 below q₀, 1 from qₘ on, and it jumps over a run of tied points (an atom).
/// Immutable. Build it from the training rows with <see cref="FromRows"/> or from published quantiles with the constructor.
/// </summary>
public sealed class FeatureQuantiles
{
    /// <summary>The default largest number of quantile points kept per feature by <see cref="FromRows"/>.</summary>
    public const int DefaultPointsPerFeature = 1001;

    private readonly double[][] _points;

    /// <summary>Creates the distributions from quantile points.</summary>
    /// <param name="quantilePoints">Per feature, at least two finite points in non-decreasing order, at evenly spaced probabilities from 0 to 1.</param>
    public FeatureQuantiles(IReadOnlyList<IReadOnlyList<double>> quantilePoints)
    {
        Contracts.CheckValue(quantilePoints, nameof(quantilePoints));
        Contracts.CheckParam(quantilePoints.Count > 0, nameof(quantilePoints), "At least one feature is needed.");
        _points = new double[quantilePoints.Count][];
        for (int j = 0; j < _points.Length; j++)
        {
            var points = quantilePoints[j];
            Contracts.CheckParam(points is not null && points.Count >= 2, nameof(quantilePoints), $"Feature {j} needs at least two quantile points.");
            for (int k = 0; k < points.Count; k++)
            {
                Contracts.CheckParam(double.IsFinite(points[k]), nameof(quantilePoints),
                    string.Create(CultureInfo.InvariantCulture, $"Quantile point {k} of feature {j} is not finite ({points[k]})."));
                Contracts.CheckParam(k == 0 || points[k] >= points[k - 1], nameof(quantilePoints),
                    $"The quantile points of feature {j} must be in non-decreasing order (point {k} is below point {k - 1}).");
            }
            _points[j] = points.ToArray();
        }
    }

    /// <summary>Gets the number of features.</summary>
    public int FeatureCount => _points.Length;

    /// <summary>Computes the quantile points of every feature from a reference sample, e.g. the training rows.</summary>
    /// <param name="rows">rows × <paramref name="featureCount"/> finite values, row-major, in the model's units; at least two rows.</param>
    /// <param name="featureCount">The number of features d. Range: value ≥ 1.</param>
    /// <param name="pointsPerFeature">The number of quantile points kept per feature (all order statistics when there are fewer rows). Range: value ≥ 2.</param>
    public static FeatureQuantiles FromRows(ReadOnlySpan<double> rows, int featureCount, int pointsPerFeature = DefaultPointsPerFeature)
    {
        Contracts.CheckPositive(featureCount, nameof(featureCount));
        Contracts.CheckParam(pointsPerFeature >= 2, nameof(pointsPerFeature), $"Must be ≥ 2; got {pointsPerFeature}.");
        Contracts.CheckParam(rows.Length % featureCount == 0 && rows.Length / featureCount >= 2, nameof(rows),
            $"Expected at least two rows of {featureCount} values, row-major; got {rows.Length} values.");
        int n = rows.Length / featureCount;
        int m = Math.Min(n, pointsPerFeature) - 1;
        var points = new IReadOnlyList<double>[featureCount];
        var column = new double[n];
        for (int j = 0; j < featureCount; j++)
        {
            for (int r = 0; r < n; r++)
            {
                column[r] = rows[r * featureCount + j];
                Contracts.CheckParam(double.IsFinite(column[r]), nameof(rows),
                    string.Create(CultureInfo.InvariantCulture, $"Value {j} of row {r} is not finite ({column[r]})."));
            }
            Array.Sort(column);
            var p = new double[m + 1];
            for (int k = 0; k <= m; k++)
                p[k] = column[(int)Math.Round((double)k * (n - 1) / m)];
            points[j] = p;
        }
        return new FeatureQuantiles(points);
    }

    /// <summary>Gets the quantile points of a feature.</summary>
    /// <param name="feature">The feature index. Range: 0 ≤ value &lt; <see cref="FeatureCount"/>.</param>
    public IReadOnlyList<double> Points(int feature) => _points[feature];

    /// <summary>Computes Q(v) of a feature, in [0, 1] and non-decreasing in v.</summary>
    /// <param name="feature">The feature index. Range: 0 ≤ value &lt; <see cref="FeatureCount"/>.</param>
    /// <param name="value">The value v.</param>
    public double Cdf(int feature, double value)
    {
        var q = _points[feature];
        int m = q.Length - 1;
        if (value < q[0])
            return 0;
        if (value >= q[m])
            return 1;
        // The last k with q[k] ≤ value; then q[k + 1] > value ≥ q[k].
        int lo = 0, hi = m;
        while (hi - lo > 1)
        {
            int mid = (lo + hi) >>> 1;
            if (q[mid] <= value) lo = mid; else hi = mid;
        }
        return (lo + (value - q[lo]) / (q[lo + 1] - q[lo])) / m;
    }
}
