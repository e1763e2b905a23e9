namespace Microsoft.ML.Recourse;

/// <summary>
/// Creates the linear integer program recourse generator from
/// <c>mlContext.Recourse()</c>.<see cref="RecourseCatalog.Generators"/>.
/// </summary>
public static class LinearIntegerProgramCatalog
{
    /// <summary>
    /// Create <see cref="LinearIntegerProgramGenerator"/>, which finds the least-cost action on per-feature grids that
    /// makes a linear score of the model reach the threshold (Ustun, Spangher &amp; Liu 2019).
    /// </summary>
    /// <param name="catalog">The recourse generators catalog.</param>
    /// <param name="surrogate">How the model becomes a linear score: its input gradient (exact for logistic regression) or a LIME surrogate.</param>
    /// <param name="cost">The cost function; the percentile costs need <paramref name="referencePopulation"/>.</param>
    /// <param name="gridPointsPerFeature">The number of points of an evenly spaced action grid. Range: value ≥ 2.</param>
    /// <param name="referencePopulation">
    /// The rows (rows × d values, row-major, in the model's units; e.g. the training set) whose empirical CDFs price the
    /// percentile costs, or <see langword="null"/> for the L1 cost.
    /// </param>
    public static LinearIntegerProgramGenerator LinearIntegerProgram(
        this RecourseGenerators catalog,
        LinearSurrogate surrogate = LinearIntegerProgramGenerator.Options.Defaults.Surrogate,
        RecourseCostFunction cost = LinearIntegerProgramGenerator.Options.Defaults.Cost,
        int gridPointsPerFeature = LinearIntegerProgramGenerator.Options.Defaults.GridPointsPerFeature,
        IReadOnlyList<double>? referencePopulation = null)
    {
        Contracts.CheckValue(catalog, nameof(catalog));
        return new LinearIntegerProgramGenerator(catalog.Environment, new LinearIntegerProgramGenerator.Options
        {
            Surrogate = surrogate,
            Cost = cost,
            GridPointsPerFeature = gridPointsPerFeature,
            ReferencePopulation = referencePopulation,
        });
    }

    /// <summary>
    /// Create <see cref="LinearIntegerProgramGenerator"/> with advanced options, which finds the least-cost action on
    /// per-feature grids that makes a linear score of the model reach the threshold.
    /// </summary>
    /// <param name="catalog">The recourse generators catalog.</param>
    /// <param name="options">The generator options.</param>
    public static LinearIntegerProgramGenerator LinearIntegerProgram(
        this RecourseGenerators catalog, LinearIntegerProgramGenerator.Options options)
    {
        Contracts.CheckValue(catalog, nameof(catalog));
        Contracts.CheckValue(options, nameof(options));
        return new LinearIntegerProgramGenerator(catalog.Environment, options);
    }
}
