using Microsoft.ML.Recourse.Actions;
using Microsoft.ML.Data;
using Microsoft.ML.Recourse.Models;
using Microsoft.ML.Recourse.Trainers;

namespace Microsoft.ML.Recourse.Calibration;

/// <summary>
/// Decision-threshold calibration with guarantees, reached through <see cref="RecourseCatalog.Calibration"/> (as
/// ML.NET's <c>BinaryClassification.Calibrators</c>).
/// </summary>
public sealed class CalibrationCatalog
{
    internal CalibrationCatalog(RecourseEnvironment environment) => Environment = environment;

    internal RecourseEnvironment Environment { get; }

    /// <summary>
    /// Create <see cref="PareCalibratorEstimator{TModel}"/>, which sets a fitted classifier's decision threshold so
    /// that it Probably Approximately has REcourse (Ross, Lakkaraju &amp; Bastani 2021): with probability at least
    /// 1 − δ over the calibration draw, at most a share ε of the population is denied with no recourse from
    /// <paramref name="generator"/>.
    /// </summary>
    /// <typeparam name="TModel">The type of the model parameters.</typeparam>
    /// <param name="model">The trained classifier; its feature column is read from the calibration data.</param>
    /// <param name="generator">The recourse algorithm A whose actions the guarantee is about.</param>
    /// <param name="actionSet">The allowed actions Δ; its feature count must equal the model's.</param>
    /// <param name="labelColumnName">The name of the label column. The column data must be <see cref="bool"/>.</param>
    /// <param name="epsilon">ε, the tolerated share of the population without recourse. Range: 0 &lt; ε &lt; 1.</param>
    /// <param name="delta">δ, the probability that the calibration draw breaks the guarantee. Range: 0 &lt; δ &lt; 1.</param>
    /// <param name="convention">How to read (ε, δ); <see cref="ParameterConvention.ReferenceCode"/> reproduces the published code.</param>
    public PareCalibratorEstimator<TModel> Pare<TModel>(
        RecourseAwarePredictionTransformer<TModel> model,
        IRecourseGenerator generator,
        ActionSet actionSet,
        string labelColumnName = DefaultColumnNames.Label,
        double epsilon = PareCalibratorOptions.Defaults.Epsilon,
        double delta = PareCalibratorOptions.Defaults.Delta,
        ParameterConvention convention = PareCalibratorOptions.Defaults.Convention)
        where TModel : ScorerModelParameters
        => Pare(model, generator, actionSet, new PareCalibratorOptions
        {
            LabelColumnName = labelColumnName,
            Epsilon = epsilon,
            Delta = delta,
            Convention = convention,
        });

    /// <summary>
    /// Create <see cref="PareCalibratorEstimator{TModel}"/> with advanced options, which sets a fitted classifier's
    /// decision threshold so that it Probably Approximately has REcourse.
    /// </summary>
    /// <typeparam name="TModel">The type of the model parameters.</typeparam>
    /// <param name="model">The trained classifier.</param>
    /// <param name="generator">The recourse algorithm A whose actions the guarantee is about.</param>
    /// <param name="actionSet">The allowed actions Δ; its feature count must equal the model's.</param>
    /// <param name="options">The calibrator options.</param>
    public PareCalibratorEstimator<TModel> Pare<TModel>(
        RecourseAwarePredictionTransformer<TModel> model,
        IRecourseGenerator generator,
        ActionSet actionSet,
        PareCalibratorOptions options)
        where TModel : ScorerModelParameters
    {
        Contracts.CheckValue(model, nameof(model));
        Contracts.CheckValue(generator, nameof(generator));
        Contracts.CheckValue(actionSet, nameof(actionSet));
        Contracts.CheckValue(options, nameof(options));
        return new PareCalibratorEstimator<TModel>(Environment, model, generator, actionSet, options);
    }
}

/// <summary>The options of <see cref="PareCalibratorEstimator{TModel}"/>.</summary>
/// <remarks>A top-level class rather than a nested <c>Options</c>, so callers need not repeat the model type.</remarks>
public sealed class PareCalibratorOptions
{
    /// <summary>Gets the name of the label column. The column data must be <see cref="bool"/>, <see langword="true"/> for the favourable outcome.</summary>
    public string LabelColumnName { get; init; } = DefaultColumnNames.Label;

    /// <summary>Gets ε, the tolerated share of the population without recourse. Range: 0 &lt; ε &lt; 1.</summary>
    public double Epsilon { get; init; } = Defaults.Epsilon;

    /// <summary>Gets δ, the probability that the calibration draw breaks the guarantee. Range: 0 &lt; δ &lt; 1.</summary>
    public double Delta { get; init; } = Defaults.Delta;

    /// <summary>Gets how to read (ε, δ).</summary>
    public ParameterConvention Convention { get; init; } = Defaults.Convention;

    /// <summary>
    /// Gets the number of equally spaced candidate thresholds in [0, θ̄] among which the best-F1 one is chosen (10 in
    /// the paper). Range: value ≥ 2.
    /// </summary>
    public int NumberOfCandidateThresholds { get; init; } = Defaults.NumberOfCandidateThresholds;

    internal static class Defaults
    {
        public const double Epsilon = 0.05;
        public const double Delta = 0.05;
        public const ParameterConvention Convention = ParameterConvention.Standard;
        public const int NumberOfCandidateThresholds = 10;
    }

    internal void Check()
    {
        Contracts.CheckValue(LabelColumnName, nameof(LabelColumnName));
        PacThreshold.CheckParameters(Epsilon, Delta, Convention);
        Contracts.CheckParam(NumberOfCandidateThresholds >= 2, nameof(NumberOfCandidateThresholds),
            FormattableString.Invariant($"Must be ≥ 2; got {NumberOfCandidateThresholds}."));
    }
}
