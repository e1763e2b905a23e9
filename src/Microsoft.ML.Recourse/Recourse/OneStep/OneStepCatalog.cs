using Microsoft.ML.Recourse.Actions;

namespace Microsoft.ML.Recourse;

/// <summary>
/// Creates the one-step recourse generator from
/// <c>mlContext.Recourse()</c>.<see cref="RecourseCatalog.Generators"/>.
/// </summary>
public static class OneStepCatalog
{
    /// <summary>
    /// Create <see cref="OneStepGenerator"/>, which proposes for each row the corner of the action set that most
    /// raises (or, with <see cref="PerturbationDirection.ReferenceCode"/>, lowers) the linearised model.
    /// </summary>
    /// <param name="catalog">The recourse generators catalog.</param>
    /// <param name="direction">Which corner of Δ(x) the step picks; <see cref="PerturbationDirection.Recourse"/> raises g.</param>
    public static OneStepGenerator OneStep(this RecourseGenerators catalog,
        PerturbationDirection direction = OneStepGenerator.Options.Defaults.Direction)
    {
        Contracts.CheckValue(catalog, nameof(catalog));
        return new OneStepGenerator(new OneStepGenerator.Options { Direction = direction });
    }

    /// <summary>Create <see cref="OneStepGenerator"/> with advanced options.</summary>
    /// <param name="catalog">The recourse generators catalog.</param>
    /// <param name="options">The generator options.</param>
    public static OneStepGenerator OneStep(this RecourseGenerators catalog, OneStepGenerator.Options options)
    {
        Contracts.CheckValue(catalog, nameof(catalog));
        Contracts.CheckValue(options, nameof(options));
        return new OneStepGenerator(options);
    }
}
