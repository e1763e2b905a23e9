using Microsoft.ML.Recourse.Actions;
using Microsoft.ML.Recourse.Models;

namespace Microsoft.ML.Recourse;

/// <summary>
/// The linear score the integer program uses for one row: s(x + a) = <see cref="Value"/> + Σⱼ Coefficientsⱼ aⱼ, to be
/// raised to <see cref="Target"/>; in probability units (input-gradient linearisation) or in logit units (logistic
/// regression, LIME surrogate).
/// </summary>
internal sealed record LinearScore(double[] Coefficients, double Value, double Target, bool IsLogit, string Basis)
{
    public double RequiredGain => Target - Value;

    /// <summary>The probability the linear score gives after a gain.</summary>
    public double ProbabilityAfter(double gain) => IsLogit ? ScorerModelParameters.Sigmoid(Value + gain) : Value + gain;

    /// <summary>The exact linear logit of a logistic regression: wᵀ(x + a) + b ≥ logit θ₀.</summary>
    public static LinearScore Exact(LogisticRegressionModelParameters model, double logitAtX, double threshold)
        => new(model.Weights.ToArray(), logitAtX, ScorerModelParameters.Logit(threshold), IsLogit: true, "linear model, exact");

    /// <summary>
    /// The same score in logit units (a probability linearisation g + ∇ₓgᵀa becomes logit g + (∇ₓg / (g(1 − g)))ᵀa),
    /// made robust: its value at x is the worst-case logit z − ρ(‖x‖₁ + 1) over parameter shifts ‖Δθ‖∞ ≤ ρ; the grid
    /// builder adds the per-choice part −ρ(|xⱼ + a| − |xⱼ|). Null when the model is saturated at x (g(1 − g) = 0).
    /// </summary>
    public LinearScore? Robust(ReadOnlySpan<double> x, double radius)
    {
        var logit = this;
        if (!IsLogit)
        {
            double slope = Value * (1 - Value);
            if (!(slope > 0)) return null;
            logit = new LinearScore(Coefficients.Select(c => c / slope).ToArray(), ScorerModelParameters.Logit(Value), ScorerModelParameters.Logit(Target), IsLogit: true, Basis + ", in logit units");
        }
        double norm = 0;
        foreach (double v in x) norm += Math.Abs(v);
        return logit with
        {
            Value = logit.Value - radius * (norm + 1),
            Basis = FormattableString.Invariant($"{logit.Basis}; worst case over parameter shifts ‖Δθ‖∞ ≤ {radius}"),
        };
    }

    /// <summary>The first-order Taylor expansion g(x) + ∇ₓg(x)ᵀa ≥ θ₀.</summary>
    public static LinearScore FromGradient(ReadOnlySpan<double> gradient, double score, double threshold)
        => new(gradient.ToArray(), score, threshold, IsLogit: false, "linearised at x");
}

/// <summary>
/// A LIME-style local surrogate (Ribeiro, Singh &amp; Guestrin 2016), as Ross et al. (2021) paired with the integer
/// program, but logistic: a weighted logistic regression fitted to the model's probabilities around x.
/// </summary>
/// <remarks>
/// Samples zᵢ = x + s ⊙ εᵢ with εᵢ ~ N(0, I) on the features that can move from x (sⱼ = the action set's standard
/// scale; the others stay at x, since no action changes them), plus x itself. Each sample is weighted with LIME's
/// kernel πᵢ = exp(−‖εᵢ‖² / (2w²)). The surrogate σ(β₀ + βᵀε) minimises the weighted cross-entropy against the
/// model's probabilities g(zᵢ) plus a ridge (λ/2)‖β‖² with λ = 10⁻⁴ Σπᵢ (the intercept is not penalised), by Newton's
/// method (iteratively reweighted least squares) with backtracking; the objective is strictly convex, so this converges
/// to its unique minimum. In model units the coefficients are βⱼ / sⱼ and the intercept is the surrogate's logit at x.
/// </remarks>
internal static class LocalLogisticSurrogate
{
    public const double RelativeRidge = 1e-4;

    public static LinearScore Fit(IScorer model, PerturbationPolytope polytope, double threshold, int sampleCount, double? kernelWidth, RandomSource random)
    {
        var set = polytope.ActionSet;
        var x = polytope.Row;
        int d = x.Count;
        var moving = Enumerable.Range(0, d).Where(j => polytope.Upper[j] > polytope.Lower[j]).ToArray();
        int p = moving.Length + 1;
        double width = kernelWidth ?? 0.75 * Math.Sqrt(Math.Max(1, moving.Length));

        // Design rows (1, ε) and the model's probabilities at x + s ⊙ ε; row 0 is x itself.
        var design = new double[sampleCount * p];
        var points = new double[sampleCount * d];
        var weights = new double[sampleCount];
        for (int i = 0; i < sampleCount; i++)
        {
            design[i * p] = 1;
            double squared = 0;
            for (int j = 0; j < d; j++) points[i * d + j] = x[j];
            for (int m = 0; m < moving.Length; m++)
            {
                double e = i == 0 ? 0 : NextGaussian(random);
                design[i * p + m + 1] = e;
                squared += e * e;
                points[i * d + moving[m]] += set.Actions[moving[m]].StandardScale * e;
            }
            weights[i] = Math.Exp(-squared / (2 * width * width));
        }
        var targets = new double[sampleCount];
        model.ScoreBatch(points, targets);

        var beta = NewtonLogisticRegression.Fit(design, targets, weights, p, RelativeRidge * weights.Sum()).Coefficients;
        var coefficients = new double[d];
        for (int m = 0; m < moving.Length; m++) coefficients[moving[m]] = beta[m + 1] / set.Actions[moving[m]].StandardScale;
        return new LinearScore(coefficients, beta[0], ScorerModelParameters.Logit(threshold), IsLogit: true, "LIME surrogate at x");
    }

    private static double NextGaussian(RandomSource random)
    {
        // Box–Muller; 1 − U avoids log(0).
        double u = 1 - random.NextDouble(), v = random.NextDouble();
        return Math.Sqrt(-2 * Math.Log(u)) * Math.Cos(2 * Math.PI * v);
    }
}
