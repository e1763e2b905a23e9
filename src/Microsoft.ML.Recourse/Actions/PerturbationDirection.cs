namespace Microsoft.ML.Recourse.Actions;

/// <summary>
/// Which corner of the action set Δ(x) the one-step perturbation δ* = argmin_{δ∈Δ(x)} cᵀδ picks, for the linearised
/// model g(x + δ) ≈ g(x) + ∇ₓg(x)ᵀδ. Used by the one-step recourse generator and the recourse-aware trainers.
/// </summary>
public enum PerturbationDirection
{
    /// <summary>
    /// c = −∇ₓg: the action that most <em>raises</em> g to first order, i.e. minimises the linearised loss
    /// BCE(g(x + δ), 1) as in the objective of Ross, Lakkaraju &amp; Bastani (2021). The default.
    /// </summary>
    Recourse,

    /// <summary>
    /// c = +∇ₓg: the sign of the authors' published code, which picks the first-order <em>descent</em> corner (the
    /// worst case for the row). Needed to reproduce the published tables.
    /// </summary>
    ReferenceCode,
}
