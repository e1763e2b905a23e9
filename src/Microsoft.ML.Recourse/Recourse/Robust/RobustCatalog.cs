namespace Microsoft.ML.Recourse;

/// <summary>
/// Creates the robust (ROAR) recourse generator from
/// <c>mlContext.Recourse()</c>.<see cref="RecourseCatalog.Generators"/>.
/// </summary>
public static class RobustCatalog
{
    /// <summary>
    /// Create <see cref="RobustGenerator"/>, which proposes for each row the action minimising the worst-case loss
    /// over model-parameter shifts ‖Δθ‖∞ ≤ <paramref name="robustnessRadius"/> plus λ times its cost (ROAR).
    /// </summary>
    /// <param name="catalog">The recourse generators catalog.</param>
    /// <param name="robustnessRadius">δ_max, the radius of the parameter shifts the recourse must withstand. Range: value ≥ 0.</param>
    /// <param name="recourseWeight">λ, the weight of the cost. Range: value &gt; 0.</param>
    public static RobustGenerator Robust(this RecourseGenerators catalog,
        double robustnessRadius = RobustGenerator.Options.Defaults.RobustnessRadius,
        double recourseWeight = RobustGenerator.Options.Defaults.RecourseWeight)
    {
        Contracts.CheckValue(catalog, nameof(catalog));
        return new RobustGenerator(catalog.Environment, new RobustGenerator.Options { RobustnessRadius = robustnessRadius, RecourseWeight = recourseWeight });
    }

    /// <summary>Create <see cref="RobustGenerator"/> with advanced options.</summary>
    /// <param name="catalog">The recourse generators catalog.</param>
    /// <param name="options">The generator options.</param>
    public static RobustGenerator Robust(this RecourseGenerators catalog, RobustGenerator.Options options)
    {
        Contracts.CheckValue(catalog, nameof(catalog));
        Contracts.CheckValue(options, nameof(options));
        return new RobustGenerator(catalog.Environment, options);
    }

    /// <summary>
    /// Create the robust integer program: a <see cref="LinearIntegerProgramGenerator"/> named <c>robustIp</c> whose
    /// score row asks the worst-case logit over parameter shifts ‖Δθ‖∞ ≤ <paramref name="robustnessRadius"/> to reach
    /// logit θ₀. It returns the least-cost action on the action grids that stays valid under every such shift of the
    /// (linear or surrogate) model, with all of the integer program's actionability constraints, or certifies that
    /// none exists.
    /// </summary>
    /// <param name="catalog">The recourse generators catalog.</param>
    /// <param name="robustnessRadius">ρ, the radius of the parameter shifts. Range: value &gt; 0.</param>
    /// <param name="surrogate">How the model becomes a linear logit: exact for logistic regression, its input gradient in logit units, or a LIME surrogate.</param>
    /// <param name="gridPointsPerFeature">The number of points of an evenly spaced action grid. Range: value ≥ 2.</param>
    public static LinearIntegerProgramGenerator RobustIntegerProgram(this RecourseGenerators catalog,
        double robustnessRadius = RobustGenerator.Options.Defaults.RobustnessRadius,
        LinearSurrogate surrogate = LinearIntegerProgramGenerator.Options.Defaults.Surrogate,
        int gridPointsPerFeature = LinearIntegerProgramGenerator.Options.Defaults.GridPointsPerFeature)
    {
        Contracts.CheckValue(catalog, nameof(catalog));
        Contracts.CheckParam(robustnessRadius > 0 && double.IsFinite(robustnessRadius), nameof(robustnessRadius),
            FormattableString.Invariant($"The robustness radius δ_max of the robust integer program must be a finite number > 0; got {robustnessRadius}."));
        return new LinearIntegerProgramGenerator(catalog.Environment, new LinearIntegerProgramGenerator.Options
        {
            RobustnessRadius = robustnessRadius,
            Surrogate = surrogate,
            GridPointsPerFeature = gridPointsPerFeature,
        });
    }
}
