namespace Microsoft.ML.Recourse.Models;

/// <summary>The activation function of the hidden layers of a <see cref="MultilayerPerceptronModelParameters"/>.</summary>
public enum Activation
{
    /// <summary>The rectified linear unit, max(0, z), as in Ross et al. (2021).</summary>
    Relu,

    /// <summary>The hyperbolic tangent, tanh(z); smooth, so its input gradient is continuous.</summary>
    Tanh,
}
