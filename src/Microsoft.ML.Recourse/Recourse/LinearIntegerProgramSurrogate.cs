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

    public static double Logit(double probability) => Math.Log(probability / (1 - probability));

    /// <summary>The exact linear logit of a logistic regression: wᵀ(x + a) + b ≥ logit θ₀.</summary>
    public static LinearScore Exact(LogisticRegressionModelParameters model, double logitAtX, double threshold)
        => new(model.Weights.ToArray(), logitAtX, Logit(threshold), IsLogit: true, "linear model, exact");

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
            logit = new LinearScore(Coefficients.Select(c => c / slope).ToArray(), Logit(Value), Logit(Target), IsLogit: true, Basis + ", in logit units");
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
    private const int MaximumIterations = 100;

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

        var beta = FitLogistic(design, targets, weights, p, RelativeRidge * weights.Sum());
        var coefficients = new double[d];
        for (int m = 0; m < moving.Length; m++) coefficients[moving[m]] = beta[m + 1] / set.Actions[moving[m]].StandardScale;
        return new LinearScore(coefficients, beta[0], LinearScore.Logit(threshold), IsLogit: true, "LIME surrogate at x");
    }

    /// <summary>Minimises Σ πᵢ [softplus(ηᵢ) − yᵢ ηᵢ] + (λ/2) Σ_{m≥1} βₘ² over β, with ηᵢ = uᵢᵀβ.</summary>
    internal static double[] FitLogistic(double[] design, double[] targets, double[] weights, int p, double ridge)
    {
        int n = targets.Length;
        var beta = new double[p];
        var gradient = new double[p];
        var hessian = new double[p * p];
        var step = new double[p];
        var trial = new double[p];
        double loss = Loss(beta);
        for (int iteration = 0; iteration < MaximumIterations; iteration++)
        {
            Array.Clear(gradient);
            Array.Clear(hessian);
            for (int i = 0; i < n; i++)
            {
                var u = design.AsSpan(i * p, p);
                double q = ScorerModelParameters.Sigmoid(Dot(u, beta));
                double r = weights[i] * (q - targets[i]);
                double h = weights[i] * q * (1 - q);
                for (int a = 0; a < p; a++)
                {
                    gradient[a] += r * u[a];
                    for (int b = 0; b <= a; b++) hessian[a * p + b] += h * u[a] * u[b];
                }
            }
            for (int a = 1; a < p; a++)
            {
                gradient[a] += ridge * beta[a];
                hessian[a * p + a] += ridge;
            }
            // A vanishing curvature on the intercept (all probabilities saturated) must not break the factorisation.
            hessian[0] += 1e-12 * (1 + hessian[0]);
            SolveCholesky(hessian, gradient, step, p);
            double decrease = Dot(gradient, step);
            if (decrease <= 1e-14 * (1 + Math.Abs(loss))) break;
            double t = 1;
            double trialLoss;
            while (true)
            {
                for (int a = 0; a < p; a++) trial[a] = beta[a] - t * step[a];
                trialLoss = Loss(trial);
                if (trialLoss <= loss - 0.25 * t * decrease || t < 1e-10) break;
                t *= 0.5;
            }
            if (trialLoss > loss) break;
            Array.Copy(trial, beta, p);
            loss = trialLoss;
        }
        return beta;

        double Loss(double[] b)
        {
            double value = 0;
            for (int i = 0; i < n; i++)
            {
                double eta = Dot(design.AsSpan(i * p, p), b);
                double softplus = eta > 0 ? eta + double.LogP1(Math.Exp(-eta)) : double.LogP1(Math.Exp(eta));
                value += weights[i] * (softplus - targets[i] * eta);
            }
            for (int a = 1; a < p; a++) value += 0.5 * ridge * b[a] * b[a];
            return value;
        }
    }

    private static double Dot(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        double s = 0;
        for (int k = 0; k < a.Length; k++) s += a[k] * b[k];
        return s;
    }

    /// <summary>Solves H·s = g for a symmetric positive definite H given by its lower triangle.</summary>
    private static void SolveCholesky(double[] h, double[] g, double[] s, int p)
    {
        var l = new double[p * p];
        for (int a = 0; a < p; a++)
        {
            for (int b = 0; b <= a; b++)
            {
                double sum = h[a * p + b];
                for (int k = 0; k < b; k++) sum -= l[a * p + k] * l[b * p + k];
                l[a * p + b] = a == b ? Math.Sqrt(Math.Max(sum, 1e-300)) : sum / l[b * p + b];
            }
        }
        for (int a = 0; a < p; a++)
        {
            double sum = g[a];
            for (int k = 0; k < a; k++) sum -= l[a * p + k] * s[k];
            s[a] = sum / l[a * p + a];
        }
        for (int a = p - 1; a >= 0; a--)
        {
            double sum = s[a];
            for (int k = a + 1; k < p; k++) sum -= l[k * p + a] * s[k];
            s[a] = sum / l[a * p + a];
        }
    }

    private static double NextGaussian(RandomSource random)
    {
        // Box–Muller; 1 − U avoids log(0).
        double u = 1 - random.NextDouble(), v = random.NextDouble();
        return Math.Sqrt(-2 * Math.Log(u)) * Math.Cos(2 * Math.PI * v);
    }
}
