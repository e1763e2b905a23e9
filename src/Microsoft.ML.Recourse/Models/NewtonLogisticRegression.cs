namespace Microsoft.ML.Recourse.Models;

/// <summary>
/// Weighted, ridge-regularised logistic regression fitted by Newton's method (IRLS) with a backtracking line search:
/// the exact small-problem fitter behind the LIME-style local surrogates and the persuasion experiment's decision rule.
/// </summary>
internal static class NewtonLogisticRegression
{
    public const int MaximumIterations = 100;

    /// <summary>
    /// Minimises Σ πᵢ [softplus(ηᵢ) − yᵢ ηᵢ] + (λ/2) Σ_{m≥1} βₘ² over β, with ηᵢ = uᵢᵀβ: rows uᵢ of the row-major
    /// <paramref name="design"/> (n × <paramref name="p"/>, column 0 the intercept, which is not penalised), targets
    /// yᵢ ∈ [0, 1] and weights πᵢ ≥ 0.
    /// </summary>
    /// <returns>β, the number of Newton steps taken, and whether the step criterion was met within <see cref="MaximumIterations"/>.</returns>
    public static (double[] Coefficients, int Iterations, bool Converged) Fit(double[] design, double[] targets, double[] weights, int p, double ridge)
    {
        int n = targets.Length;
        var beta = new double[p];
        var gradient = new double[p];
        var hessian = new double[p * p];
        var step = new double[p];
        var trial = new double[p];
        double loss = Loss(beta);
        int iteration = 0;
        bool converged = false;
        for (; iteration < MaximumIterations; iteration++)
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
            if (decrease <= 1e-14 * (1 + Math.Abs(loss)))
            {
                converged = true;
                break;
            }
            double t = 1;
            double trialLoss;
            while (true)
            {
                for (int a = 0; a < p; a++) trial[a] = beta[a] - t * step[a];
                trialLoss = Loss(trial);
                if (trialLoss <= loss - 0.25 * t * decrease || t < 1e-10) break;
                t *= 0.5;
            }
            if (trialLoss > loss)
            {
                converged = true; // no representable step lowers the loss: the optimum to machine precision
                break;
            }
            Array.Copy(trial, beta, p);
            loss = trialLoss;
        }
        return (beta, iteration, converged);

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
}
