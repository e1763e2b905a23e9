namespace Microsoft.ML.Recourse;

/// <summary>
/// Creates the <see cref="GradientDescentGenerator"/> from
/// <c>mlContext.Recourse()</c>.<see cref="RecourseCatalog.Generators"/>.
/// </summary>
public static class GradientDescentCatalog
{
    /// <summary>
    /// Create <see cref="GradientDescentGenerator"/>, which finds recourse by gradient descent on
    /// (g(x + δ) − 1)² + λ·cost(δ) over the action set (Wachter et al. 2017) with alibi 0.5.2's search over λ.
    /// </summary>
    /// <param name="catalog">The recourse generators catalog.</param>
    /// <param name="initialDistanceWeight">λ₀, the largest distance weight of the initial sweep. Range: value &gt; 0.</param>
    /// <param name="numberOfDistanceWeightSteps">The number of bisection loops over the distance weight. Range: value ≥ 1.</param>
    /// <param name="maximumNumberOfIterations">The most Adam steps per bisection loop (the sweep runs a tenth of it per weight). Range: value ≥ 10.</param>
    /// <param name="learningRate">Adam's learning rate at the start of every loop, decaying linearly to 0. Range: value &gt; 0.</param>
    /// <param name="compatibility">Which reading of alibi to follow; <see cref="GradientDescentCompatibility.ReferenceCode"/> reproduces Ross et al. (2021).</param>
    public static GradientDescentGenerator GradientDescent(
        this RecourseGenerators catalog,
        double initialDistanceWeight = GradientDescentGenerator.Options.Defaults.InitialDistanceWeight,
        int numberOfDistanceWeightSteps = GradientDescentGenerator.Options.Defaults.NumberOfDistanceWeightSteps,
        int maximumNumberOfIterations = GradientDescentGenerator.Options.Defaults.MaximumNumberOfIterations,
        double learningRate = GradientDescentGenerator.Options.Defaults.LearningRate,
        GradientDescentCompatibility compatibility = GradientDescentGenerator.Options.Defaults.Compatibility)
    {
        Contracts.CheckValue(catalog, nameof(catalog));
        return new GradientDescentGenerator(catalog.Environment, new GradientDescentGenerator.Options
        {
            InitialDistanceWeight = initialDistanceWeight,
            NumberOfDistanceWeightSteps = numberOfDistanceWeightSteps,
            MaximumNumberOfIterations = maximumNumberOfIterations,
            LearningRate = learningRate,
            Compatibility = compatibility,
        });
    }

    /// <summary>
    /// Create <see cref="GradientDescentGenerator"/> with advanced options, which finds recourse by gradient descent on
    /// (g(x + δ) − p_target)² + λ·cost(δ) over the action set (Wachter et al. 2017) with alibi 0.5.2's search over λ.
    /// </summary>
    /// <param name="catalog">The recourse generators catalog.</param>
    /// <param name="options">The generator options.</param>
    public static GradientDescentGenerator GradientDescent(this RecourseGenerators catalog, GradientDescentGenerator.Options options)
    {
        Contracts.CheckValue(catalog, nameof(catalog));
        Contracts.CheckValue(options, nameof(options));
        return new GradientDescentGenerator(catalog.Environment, options);
    }
}
