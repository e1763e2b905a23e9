namespace Microsoft.ML.Recourse.Calibration;

/// <summary>
/// Which reading of the PAC parameters (ε, δ) to use. The published code of Ross, Lakkaraju &amp; Bastani (2021)
/// passes the confidence 1 − δ where the binomial rule expects the failure probability δ; both readings are kept so
/// the paper's tables can be reproduced and compared with the guarantee as stated.
/// </summary>
public enum ParameterConvention
{
    /// <summary>
    /// The rule of Park et al. (2020) as stated: k* = max{k : F(k; n, ε) ≤ δ}. With probability at least 1 − δ over
    /// the calibration draw, the miss rate at the returned threshold is at most ε.
    /// </summary>
    Standard,

    /// <summary>
    /// The published code's call <c>compute_t(p, 1 − 0.95, 0.95)</c>, read as (ε, δ) = (0.05, 0.05): the binomial
    /// ε is the same, but the CDF is cut at 1 − δ instead of δ, so k* = max{k : F(k; n, ε) ≤ 1 − δ}. The miss-rate
    /// bound ε then holds only with probability δ over the calibration draw.
    /// </summary>
    ReferenceCode,
}

/// <summary>
/// The PAC threshold rule of Park, Bastani, Matni &amp; Lee (ICLR 2020): from n held-out scores sᵢ of the outcome that
/// should happen (for recourse: g(xᵢ + A(xᵢ)), the score after the proposed action), it picks the largest threshold τ
/// such that, with probability at least 1 − δ over the draw of the scores, P[s &lt; τ] ≤ ε for a new draw.
/// </summary>
/// <remarks>
/// <para>
/// <b>Rule.</b> k* = max{k ∈ {0, …, n − 1} : F(k; n, ε) ≤ δ}, where F is the Binomial(n, ε) CDF, and τ is the
/// (k* + 1)-th smallest score. At most k* calibration scores lie below τ. The rule fails with probability at most
/// F(k*; n, ε) ≤ δ: a threshold whose true miss rate exceeds ε shows k* or fewer misses in n draws with at most that
/// probability, and misses are monotone in τ.
/// </para>
/// <para>
/// <b>Sample size.</b> A certificate exists only when F(0; n, ε) = (1 − ε)ⁿ ≤ δ, i.e. n ≥ ln δ / ln(1 − ε)
/// (59 rows for ε = δ = 0.05); see <see cref="MinimumCalibrationSize"/>.
/// </para>
/// <para>
/// <b>Assumption.</b> The calibration scores and future scores must be i.i.d. draws from the same distribution; a
/// model update, a shift in the population or strategic behaviour voids the guarantee.
/// </para>
/// <para>The CDF is accumulated in log space (log-sum-exp over the recurrence of binomial terms), so it is stable for n in the millions.</para>
/// </remarks>
public static class PacThreshold
{
    // n·ln(1 − ε) with n beyond this is not worth representing: no calibration set is that large.
    private const double MaximumRepresentableSize = 1L << 53;

    /// <summary>
    /// Returns the smallest calibration size n for which a certificate exists: (1 − ε)ⁿ ≤ δ (≤ 1 − δ under
    /// <see cref="ParameterConvention.ReferenceCode"/>).
    /// </summary>
    /// <param name="epsilon">The tolerated miss rate ε. Range: 0 &lt; ε &lt; 1.</param>
    /// <param name="delta">The failure probability δ. Range: 0 &lt; δ &lt; 1.</param>
    /// <param name="convention">How to read (ε, δ).</param>
    public static long MinimumCalibrationSize(double epsilon, double delta, ParameterConvention convention = ParameterConvention.Standard)
    {
        CheckParameters(epsilon, delta, convention);
        double logCut = Math.Log(BinomialCut(delta, convention));
        double logMiss = Math.Log(1 - epsilon);
        double estimate = Math.Ceiling(logCut / logMiss);
        // For ε below about 1e-16, 1 − ε rounds to 1 and ln(1 − ε) to 0: no finite n would do, and the search below would not end.
        Contracts.CheckParam(logMiss < 0, nameof(epsilon),
            FormattableString.Invariant($"ε = {epsilon} is too small: 1 − ε rounds to 1 in double precision, so no calibration set can certify it."));
        Contracts.CheckParam(estimate <= MaximumRepresentableSize, nameof(epsilon),
            FormattableString.Invariant($"ε = {epsilon} and δ = {delta} need about {estimate:G3} calibration rows, more than can be represented."));
        // The ratio's rounding can be off by one; settle it with the same expression the CDF uses for k = 0.
        long n = Math.Max(1, (long)estimate);
        while (n > 1 && (n - 1) * logMiss <= logCut) n--;
        while (n * logMiss > logCut) n++;
        return n;
    }

    /// <summary>
    /// Returns k*, the number of calibration misses the rule allows with <paramref name="calibrationSize"/> rows, or
    /// <see langword="null"/> when the rows are too few for any certificate.
    /// </summary>
    /// <param name="calibrationSize">The number of calibration scores n. Range: n ≥ 0.</param>
    /// <param name="epsilon">The tolerated miss rate ε. Range: 0 &lt; ε &lt; 1.</param>
    /// <param name="delta">The failure probability δ. Range: 0 &lt; δ &lt; 1.</param>
    /// <param name="convention">How to read (ε, δ).</param>
    public static int? AllowedMisses(int calibrationSize, double epsilon, double delta, ParameterConvention convention = ParameterConvention.Standard)
    {
        Contracts.CheckParam(calibrationSize >= 0, nameof(calibrationSize), FormattableString.Invariant($"Must be ≥ 0; got {calibrationSize}."));
        CheckParameters(epsilon, delta, convention);
        return AllowedMissesCore(calibrationSize, epsilon, Math.Log(BinomialCut(delta, convention)));
    }

    /// <summary>
    /// Applies the rule to calibration scores: τ is the (k* + 1)-th smallest score.
    /// </summary>
    /// <param name="scores">The n calibration scores; finite. For recourse, g(x + A(x)) of each calibration row.</param>
    /// <param name="epsilon">The tolerated miss rate ε. Range: 0 &lt; ε &lt; 1.</param>
    /// <param name="delta">The failure probability δ. Range: 0 &lt; δ &lt; 1.</param>
    /// <param name="convention">How to read (ε, δ).</param>
    /// <exception cref="CalibrationSetTooSmallException">n is below <see cref="MinimumCalibrationSize"/>.</exception>
    public static PacThresholdResult Fit(IReadOnlyList<double> scores, double epsilon, double delta, ParameterConvention convention = ParameterConvention.Standard)
    {
        Contracts.CheckValue(scores, nameof(scores));
        CheckParameters(epsilon, delta, convention);
        Contracts.CheckParam(scores.Count > 0, nameof(scores), "The calibration set is empty: the rule needs at least one score.");
        var sorted = new double[scores.Count];
        for (int i = 0; i < sorted.Length; i++)
        {
            double s = scores[i];
            Contracts.CheckParam(double.IsFinite(s), nameof(scores), FormattableString.Invariant($"Calibration score {i} is not finite ({s})."));
            sorted[i] = s;
        }
        int n = sorted.Length;
        int k = AllowedMissesCore(n, epsilon, Math.Log(BinomialCut(delta, convention)))
                ?? throw new CalibrationSetTooSmallException(n, MinimumCalibrationSize(epsilon, delta, convention), epsilon, delta, convention);
        Array.Sort(sorted);
        double tau = sorted[k];
        int misses = k; // scores strictly below τ: those before its first occurrence
        while (misses > 0 && sorted[misses - 1] == tau) misses--;
        return new PacThresholdResult(tau, k, n, epsilon, delta, convention, misses);
    }

    /// <summary>ln F(k; n, p), the log of the Binomial(n, p) CDF, by the same recurrence the rule uses.</summary>
    internal static double LogBinomialCdf(int k, int n, double p)
    {
        double logTerm = n * Math.Log(1 - p), logCdf = logTerm, step = Math.Log(p) - Math.Log(1 - p);
        for (int h = 1; h <= Math.Min(k, n); h++)
        {
            logTerm += Math.Log(n - h + 1) - Math.Log(h) + step;
            logCdf = LogAddExp(logCdf, logTerm);
        }
        return Math.Min(logCdf, 0);
    }

    internal static double BinomialCut(double delta, ParameterConvention convention)
        => convention == ParameterConvention.Standard ? delta : 1 - delta;

    internal static void CheckParameters(double epsilon, double delta, ParameterConvention convention)
    {
        Contracts.CheckOpenUnitInterval(epsilon, nameof(epsilon));
        Contracts.CheckOpenUnitInterval(delta, nameof(delta));
        Contracts.CheckParam(Enum.IsDefined(convention), nameof(convention), $"Unknown parameter convention {convention}.");
    }

    // k* = max{k ≤ n − 1 : ln F(k; n, ε) ≤ ln cut}; F(n) = 1 exceeds any cut < 1, hence k* ≤ n − 1.
    private static int? AllowedMissesCore(int n, double epsilon, double logCut)
    {
        if (n == 0) return null;
        double logTerm = n * Math.Log(1 - epsilon), logCdf = logTerm, step = Math.Log(epsilon) - Math.Log(1 - epsilon);
        if (logCdf > logCut) return null;
        for (int h = 1; h < n; h++)
        {
            logTerm += Math.Log(n - h + 1) - Math.Log(h) + step;
            logCdf = LogAddExp(logCdf, logTerm);
            if (logCdf > logCut) return h - 1;
        }
        return n - 1;
    }

    private static double LogAddExp(double a, double b)
        => a >= b ? a + Math.Log(1 + Math.Exp(b - a)) : b + Math.Log(1 + Math.Exp(a - b));
}

/// <summary>
/// A PAC threshold: with probability at least <see cref="GuaranteeConfidence"/> over the draw of the
/// <see cref="CalibrationSize"/> calibration scores, a new score falls below <see cref="Threshold"/> with probability
/// at most <see cref="Epsilon"/> (assuming calibration and future scores are i.i.d.).
/// </summary>
/// <param name="Threshold">τ, the (k* + 1)-th smallest calibration score.</param>
/// <param name="AllowedMisses">k*, the largest number of calibration misses the rule allows.</param>
/// <param name="CalibrationSize">n, the number of calibration scores.</param>
/// <param name="Epsilon">ε, the tolerated miss rate.</param>
/// <param name="Delta">δ, the failure probability as given (see <paramref name="Convention"/>).</param>
/// <param name="Convention">How (ε, δ) were read.</param>
/// <param name="CalibrationMisses">The number of calibration scores strictly below τ (≤ k*; fewer with ties).</param>
public sealed record PacThresholdResult(
    double Threshold,
    int AllowedMisses,
    int CalibrationSize,
    double Epsilon,
    double Delta,
    ParameterConvention Convention,
    int CalibrationMisses)
{
    /// <summary>Gets the value the binomial CDF was cut at: δ (<see cref="ParameterConvention.Standard"/>) or 1 − δ (<see cref="ParameterConvention.ReferenceCode"/>).</summary>
    public double BinomialCut => PacThreshold.BinomialCut(Delta, Convention);

    /// <summary>Gets the probability over the calibration draw with which the ε bound holds: 1 − <see cref="BinomialCut"/>.</summary>
    public double GuaranteeConfidence => 1 - BinomialCut;
}

/// <summary>
/// Thrown when a calibration set is too small for any PAC certificate: even zero misses among n rows are too likely
/// ((1 − ε)ⁿ exceeds the cut) when the miss rate is ε.
/// </summary>
public sealed class CalibrationSetTooSmallException : InvalidOperationException
{
    internal CalibrationSetTooSmallException(int calibrationSize, long minimumCalibrationSize, double epsilon, double delta, ParameterConvention convention)
        : base(FormattableString.Invariant(
            $"A PAC certificate with ε = {epsilon} and δ = {delta} ({convention} convention) needs at least {minimumCalibrationSize} calibration rows; got {calibrationSize}. With fewer rows, even zero misses do not rule out a miss rate above ε."))
    {
        CalibrationSize = calibrationSize;
        MinimumCalibrationSize = minimumCalibrationSize;
    }

    /// <summary>Gets the number of calibration rows given.</summary>
    public int CalibrationSize { get; }

    /// <summary>Gets the smallest number of rows for which a certificate exists.</summary>
    public long MinimumCalibrationSize { get; }
}
