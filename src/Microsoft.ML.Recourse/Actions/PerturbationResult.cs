using Microsoft.ML.Recourse.Optimization;

namespace Microsoft.ML.Recourse.Actions;

/// <summary>The minimum of a linear objective over a perturbation polytope Δ(x).</summary>
/// <param name="Status">Why the minimisation stopped; <see cref="LinearProgramStatus.Optimal"/> when <paramref name="Delta"/> is a proven minimiser.</param>
/// <param name="Delta">The minimising change δ in model units (empty unless optimal).</param>
/// <param name="ObjectiveValue">cᵀδ at <paramref name="Delta"/> (NaN unless optimal).</param>
/// <param name="MeetsDiscreteConstraints">
/// Whether δ also meets the grids and keeps every one-hot indicator at 0 or 1. Always true for the closed form; a
/// linear program over general constraints relaxes grids and indicators to their hull, and its optimum may not.
/// </param>
/// <param name="Iterations">Simplex iterations reported by the solver (0 for the closed form).</param>
/// <param name="Message">A short note from the solver, or <see langword="null"/>.</param>
public sealed record PerturbationResult(
    LinearProgramStatus Status,
    IReadOnlyList<double> Delta,
    double ObjectiveValue,
    bool MeetsDiscreteConstraints,
    int Iterations,
    string? Message = null)
{
    /// <summary>Gets whether a proven minimiser was found.</summary>
    public bool IsOptimal => Status == LinearProgramStatus.Optimal;
}
