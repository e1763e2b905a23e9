namespace Microsoft.ML.Recourse;

/// <summary>
/// Creates the robust (ROAR) recourse generator from
/// <see cref="RecourseContext.Recourse"/>.<see cref="RecourseCatalog.Generators"/>.
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
    public static RobustGenerator Robust(this RecourseCatalog.RecourseGenerators catalog,
        double robustnessRadius = RobustGenerator.Options.Defaults.RobustnessRadius,
        double recourseWeight = RobustGenerator.Options.Defaults.RecourseWeight)
    {
        Contracts.CheckValue(catalog, nameof(catalog));
        return new RobustGenerator(new RobustGenerator.Options { RobustnessRadius = robustnessRadius, RecourseWeight = recourseWeight });
    }

    /// <summary>Create <see cref="RobustGenerator"/> with advanced options.</summary>
    /// <param name="catalog">The recourse generators catalog.</param>
    /// <param name="options">The generator options.</param>
    public static RobustGenerator Robust(this RecourseCatalog.RecourseGenerators catalog, RobustGenerator.Options options)
    {
        Contracts.CheckValue(catalog, nameof(catalog));
        Contracts.CheckValue(options, nameof(options));
        return new RobustGenerator(options);
    }
}
