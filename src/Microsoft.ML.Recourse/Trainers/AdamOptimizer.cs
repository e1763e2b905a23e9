using System.Numerics;
using System.Runtime.InteropServices;

namespace Microsoft.ML.Recourse.Trainers;

/// <summary>
/// Adam (Kingma &amp; Ba 2015) with the update of PyTorch's <c>torch.optim.Adam</c> (no weight decay, no AMSGrad):
/// m ← m + (1 − β₁)(g − m); v ← β₂v + (1 − β₂)g²; θ ← θ − (lr / (1 − β₁ᵗ))·m / (√v / √(1 − β₂ᵗ) + ε).
/// </summary>
internal sealed class AdamOptimizer
{
    public const double DefaultBeta1 = 0.9;
    public const double DefaultBeta2 = 0.999;
    public const double DefaultEpsilon = 1e-8;

    private readonly double[] _firstMoment;
    private readonly double[] _secondMoment;
    private readonly double _learningRate, _beta1, _beta2, _epsilon;

    public AdamOptimizer(int parameterCount, double learningRate, double beta1 = DefaultBeta1, double beta2 = DefaultBeta2, double epsilon = DefaultEpsilon)
    {
        Contracts.CheckParam(parameterCount >= 0, nameof(parameterCount), "Must be ≥ 0.");
        Contracts.CheckPositive(learningRate, nameof(learningRate));
        Contracts.CheckParam(beta1 >= 0 && beta1 < 1, nameof(beta1), "Must lie in [0, 1).");
        Contracts.CheckParam(beta2 >= 0 && beta2 < 1, nameof(beta2), "Must lie in [0, 1).");
        Contracts.CheckPositive(epsilon, nameof(epsilon));
        _firstMoment = new double[parameterCount];
        _secondMoment = new double[parameterCount];
        (_learningRate, _beta1, _beta2, _epsilon) = (learningRate, beta1, beta2, epsilon);
    }

    /// <summary>Gets the number of steps taken.</summary>
    public int StepCount { get; private set; }

    /// <summary>Applies one update to <paramref name="parameters"/> from <paramref name="gradient"/>.</summary>
    public void Step(Span<double> parameters, ReadOnlySpan<double> gradient)
    {
        if (parameters.Length != _firstMoment.Length || gradient.Length != _firstMoment.Length)
            throw new ArgumentOutOfRangeException(nameof(parameters),
                FormattableString.Invariant($"The optimiser holds {_firstMoment.Length} parameters; got {parameters.Length} parameters and {gradient.Length} gradients."));
        StepCount++;
        double stepSize = _learningRate / (1 - Math.Pow(_beta1, StepCount));
        double correction2Sqrt = Math.Sqrt(1 - Math.Pow(_beta2, StepCount));
        double oneMinusBeta1 = 1 - _beta1, oneMinusBeta2 = 1 - _beta2;

        // Separate multiplies and adds (no FMA) so the vector lanes and the scalar tail compute identical values.
        ref double p = ref MemoryMarshal.GetReference(parameters);
        ref double g = ref MemoryMarshal.GetReference(gradient);
        ref double m = ref MemoryMarshal.GetArrayDataReference(_firstMoment);
        ref double v = ref MemoryMarshal.GetArrayDataReference(_secondMoment);
        int n = parameters.Length, w = Vector<double>.Count, i = 0;
        var vOneMinusBeta1 = new Vector<double>(oneMinusBeta1);
        var vBeta2 = new Vector<double>(_beta2);
        var vOneMinusBeta2 = new Vector<double>(oneMinusBeta2);
        var vCorrection2Sqrt = new Vector<double>(correction2Sqrt);
        var vEpsilon = new Vector<double>(_epsilon);
        var vStepSize = new Vector<double>(stepSize);
        for (; i <= n - w; i += w)
        {
            var gi = Vector.LoadUnsafe(ref g, (nuint)i);
            var mi = Vector.LoadUnsafe(ref m, (nuint)i);
            mi += vOneMinusBeta1 * (gi - mi);
            var vi = Vector.LoadUnsafe(ref v, (nuint)i) * vBeta2 + vOneMinusBeta2 * (gi * gi);
            var denominator = Vector.SquareRoot(vi) / vCorrection2Sqrt + vEpsilon;
            var pi = Vector.LoadUnsafe(ref p, (nuint)i) - vStepSize * (mi / denominator);
            Vector.StoreUnsafe(mi, ref m, (nuint)i);
            Vector.StoreUnsafe(vi, ref v, (nuint)i);
            Vector.StoreUnsafe(pi, ref p, (nuint)i);
        }
        for (; i < n; i++)
        {
            double gi = gradient[i];
            double mi = _firstMoment[i] + oneMinusBeta1 * (gi - _firstMoment[i]);
            double vi = _secondMoment[i] * _beta2 + oneMinusBeta2 * (gi * gi);
            _firstMoment[i] = mi;
            _secondMoment[i] = vi;
            parameters[i] -= stepSize * (mi / (Math.Sqrt(vi) / correction2Sqrt + _epsilon));
        }
    }
}
