using Microsoft.ML.Recourse.Models;
using Microsoft.ML.Recourse.Persuasion;

namespace Microsoft.ML.Recourse.Experiments;

/// <summary>
/// The decision maker's rule θ_LR = (w, b) of the Harris et al. experiment: an L2-regularised logistic regression,
/// Σ_i log(1 + exp(−ỹ_i (wᵀx_i + b))) + (λ/2)‖w‖² with ỹ = ±1 and the intercept not penalised, fitted exactly by
/// <see cref="NewtonLogisticRegression"/>.
/// </summary>
internal static class L2LogisticRegression
{
    /// <summary>Fits the model on <paramref name="rows"/> × <paramref name="featureCount"/> row-major features and 0/1 labels.</summary>
    public static (double[] Weights, double Bias, int Iterations) Fit(double[] features, int rows, int featureCount, double[] labels, double l2Regularization)
    {
        Contracts.CheckParam(features.Length == rows * featureCount, nameof(features), "Expected rows × features values.");
        Contracts.CheckParam(labels.Length == rows, nameof(labels), "Expected one label per row.");
        Contracts.CheckNonNegative(l2Regularization, nameof(l2Regularization));
        for (int i = 0; i < rows; i++)
            Contracts.CheckParam(labels[i] is 0 or 1, nameof(labels), FormattableString.Invariant($"Row {i}: the label must be 0 or 1; got {labels[i]}."));
        int p = featureCount + 1;
        var design = new double[rows * p];
        for (int i = 0; i < rows; i++)
        {
            design[i * p] = 1;
            Array.Copy(features, i * featureCount, design, i * p + 1, featureCount);
        }
        var (beta, iterations, converged) = NewtonLogisticRegression.Fit(design, labels, Enumerable.Repeat(1.0, rows).ToArray(), p, l2Regularization);
        Contracts.Check(converged, FormattableString.Invariant(
            $"The logistic regression did not converge in {NewtonLogisticRegression.MaximumIterations} Newton steps (the data may be separable; raise the L2 regularisation)."));
        return (beta[1..], beta[0], iterations);
    }
}
