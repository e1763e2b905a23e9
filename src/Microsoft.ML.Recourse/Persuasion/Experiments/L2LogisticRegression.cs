using MathNet.Numerics.LinearAlgebra;

namespace Microsoft.ML.Recourse.Persuasion.Experiments;

/// <summary>
/// A small L2-regularised logistic regression fitted by Newton's method (IRLS), used by the Harris et al. experiment
/// to get the decision maker's rule θ_LR = (w, b). Minimises Σ_i log(1 + exp(−ỹ_i (wᵀx_i + b))) + (λ/2)‖w‖², with
/// ỹ = ±1; the intercept is not penalised.
/// </summary>
internal static class L2LogisticRegression
{
    private const int MaximumIterations = 100;
    private const double StepTolerance = 1e-10;

    /// <summary>Fits the model on <paramref name="rows"/> × <paramref name="featureCount"/> row-major features and 0/1 labels.</summary>
    public static (double[] Weights, double Bias, int Iterations) Fit(double[] features, int rows, int featureCount, double[] labels, double l2Regularization)
    {
        Contracts.CheckParam(features.Length == rows * featureCount, nameof(features), "Expected rows × features values.");
        Contracts.CheckParam(labels.Length == rows, nameof(labels), "Expected one label per row.");
        Contracts.CheckNonNegative(l2Regularization, nameof(l2Regularization));
        for (int i = 0; i < rows; i++)
            Contracts.CheckParam(labels[i] is 0 or 1, nameof(labels), FormattableString.Invariant($"Row {i}: the label must be 0 or 1; got {labels[i]}."));
        int dim = featureCount + 1;
        var theta = new double[dim];
        for (int iteration = 1; iteration <= MaximumIterations; iteration++)
        {
            var gradient = Vector<double>.Build.Dense(dim);
            var hessian = Matrix<double>.Build.Dense(dim, dim);
            var x = new double[dim];
            for (int i = 0; i < rows; i++)
            {
                Array.Copy(features, i * featureCount, x, 0, featureCount);
                x[featureCount] = 1;
                double z = 0;
                for (int j = 0; j < dim; j++) z += theta[j] * x[j];
                double p = 1 / (1 + Math.Exp(-z));
                double residual = p - labels[i], weight = Math.Max(p * (1 - p), 1e-12);
                for (int j = 0; j < dim; j++)
                {
                    gradient[j] += residual * x[j];
                    for (int k = 0; k <= j; k++) hessian[j, k] += weight * x[j] * x[k];
                }
            }
            for (int j = 0; j < dim; j++)
            {
                for (int k = 0; k < j; k++) hessian[k, j] = hessian[j, k];
                if (j < featureCount)
                {
                    gradient[j] += l2Regularization * theta[j];
                    hessian[j, j] += l2Regularization;
                }
            }
            var step = hessian.Cholesky().Solve(gradient);
            for (int j = 0; j < dim; j++) theta[j] -= step[j];
            if (step.AbsoluteMaximum() < StepTolerance)
                return (theta[..featureCount], theta[featureCount], iteration);
        }
        throw new InvalidOperationException(FormattableString.Invariant(
            $"The logistic regression did not converge in {MaximumIterations} Newton steps (the data may be separable; raise the L2 regularisation)."));
    }
}
