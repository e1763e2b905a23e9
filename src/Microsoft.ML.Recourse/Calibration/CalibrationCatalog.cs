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

    /// <summary>
    /// Computes a PARE decision threshold for any classifier the library reads as an <see cref="IScorer"/>, for
    /// example a FastTree, FastForest or LightGbm model (read by <see cref="RecourseModelCatalog.ReadClassifier"/>, or the
    /// <see cref="RecourseTransformer.Model"/> of a recourse transformer over it) with the exact tree generator as the
    /// recourse algorithm A: with
    /// probability at least 1 − δ over the calibration draw, at most a share ε of the population is denied with no
    /// action from A at θ₀. The same computation as <see cref="PareCalibratorEstimator{TModel}"/>, for models that are
    /// not the library's own classifiers; use the returned threshold with
    /// <see cref="RecourseCatalog.GenerateRecourse(IScorer, ActionSet, IRecourseGenerator, double, string)"/>.
    /// </summary>
    /// <param name="model">The classifier's scorer g over its feature vector.</param>
    /// <param name="threshold">The threshold θ at which <paramref name="generator"/> computes the actions (the model's own). Range: 0 &lt; θ &lt; 1.</param>
    /// <param name="generator">The recourse algorithm A whose actions the guarantee is about.</param>
    /// <param name="actionSet">The allowed actions Δ; its feature count must equal the model's.</param>
    /// <param name="calibrationData">
    /// The calibration rows: not used for training, i.i.d. with the population. The feature column must be a
    /// known-sized vector of <see cref="float"/> of the model's feature count; the label column <see cref="bool"/>.
    /// </param>
    /// <param name="options">The calibrator options, or <see langword="null"/> for the defaults.</param>
    /// <param name="featureColumnName">The name of the feature column.</param>
    /// <exception cref="CalibrationSetTooSmallException">There are fewer rows than any certificate needs.</exception>
    public PareThresholdResult PareThreshold(IScorer model, double threshold, IRecourseGenerator generator, ActionSet actionSet, IDataView calibrationData,
        PareCalibratorOptions? options = null, string featureColumnName = DefaultColumnNames.Features)
    {
        Contracts.CheckValue(model, nameof(model));
        Contracts.CheckValue(generator, nameof(generator));
        Contracts.CheckValue(actionSet, nameof(actionSet));
        Contracts.CheckValue(calibrationData, nameof(calibrationData));
        Contracts.CheckValue(featureColumnName, nameof(featureColumnName));
        options ??= new PareCalibratorOptions();
        options.Check();
        Contracts.CheckOpenUnitInterval(threshold, nameof(threshold));
        Contracts.CheckParam(actionSet.FeatureCount == model.FeatureCount, nameof(actionSet),
            $"The action set describes {actionSet.FeatureCount} features but the model takes {model.FeatureCount}.");
        var featureColumn = ColumnChecks.CheckFeatureColumn(calibrationData.Schema, featureColumnName, model.FeatureCount, nameof(calibrationData));
        var labelColumn = ColumnChecks.CheckScalarColumn(calibrationData.Schema, "label", options.LabelColumnName, BooleanDataViewType.Instance, nameof(calibrationData));
        var features = ColumnChecks.ReadFeatures(calibrationData, featureColumn, nameof(calibrationData));
        var labels = ColumnChecks.ReadLabels(calibrationData, labelColumn);
        var (certificate, choice) = PareCalibration.Compute(Environment, model, threshold, generator, actionSet, features, labels, options);
        return new PareThresholdResult(choice.Threshold, certificate, choice.Value, generator.Name);
    }
}

/// <summary>A PARE threshold from <see cref="CalibrationCatalog.PareThreshold"/>: θ₀, the certificate behind it and the calibration F1.</summary>
/// <param name="Threshold">θ₀, the best-F1 candidate in [0, θ̄] on the calibration rows.</param>
/// <param name="Certificate">The PAC certificate: θ̄, k*, n, ε, δ.</param>
/// <param name="CalibrationF1">The F1 score at θ₀ on the calibration rows.</param>
/// <param name="GeneratorName">The name of the recourse algorithm the guarantee is about.</param>
public sealed record PareThresholdResult(double Threshold, PacThresholdResult Certificate, double CalibrationF1, string GeneratorName)
{
    /// <summary>Gets θ̄, the largest threshold the certificate allows.</summary>
    public double ThresholdUpperBound => Certificate.Threshold;
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
