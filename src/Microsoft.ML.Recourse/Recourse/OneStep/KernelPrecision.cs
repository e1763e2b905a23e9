namespace Microsoft.ML.Recourse;

/// <summary>The floating-point precision of the network kernels a generator runs (<see cref="OneStepGenerator.Options.Precision"/>).</summary>
public enum KernelPrecision
{
    /// <summary>
    /// Every product in <see cref="double"/>: results equal the model's own batched methods bit for bit, one row alone
    /// or in a batch, on any number of threads.
    /// </summary>
    Double = 0,

    /// <summary>
    /// g(x), ∇ₓg(x) and g(x + δ*) in <see cref="float"/> (twice the SIMD lanes): the features are rounded to float, the
    /// logit and the gradient are summed in float, and σ, δ*, the Δ gate, the threshold test and the cost stay in double
    /// from those values. Scores differ from <see cref="Double"/> by float rounding (float's machine epsilon is 2⁻²³ ≈ 1.2e-7); δ*ⱼ
    /// can take the other end of its box where ∂g/∂xⱼ is so close to 0 that its float sign differs, and a row's verdict can
    /// flip where g(x + δ*) lies within that rounding of the threshold.
    /// </summary>
    Single = 1,
}
