using Microsoft.ML.Recourse.Actions;
using Microsoft.ML.Data;
using Microsoft.ML.Recourse.Evaluation;
using Microsoft.ML.Recourse.Models;
using Microsoft.ML.Recourse.Trainers;

namespace Microsoft.ML.Recourse.Calibration;

/// <summary>
/// Sets the decision threshold θ₀ of a trained classifier so that it Probably Approximately has REcourse (PARE):
/// with probability at least 1 − δ over the calibration draw, P_x[g(x + A(x)) &lt; θ₀] ≤ ε, i.e. at most a share ε
/// of the population is denied and left without a working action from the recourse algorithm A.
/// </summary>
/// <remarks>
/// <format type="text/markdown"><![CDATA[
/// Create it with [Pare](xref:Microsoft.ML.Recourse.Calibration.CalibrationCatalog) on `ctx.Calibration`.
///
/// ### Estimator Characteristics
/// | | |
/// | -- | -- |
/// | Does this estimator need to look at the data to train its parameters? | Yes: a held-out calibration set |
/// | Input columns | the model's feature column (known-sized vector of Single); the label column (Boolean) |
/// | Output columns | Score: Single; Probability: Single; PredictedLabel: Boolean (at the calibrated θ₀) |
/// | Solver dependency | whatever the recourse generator needs |
///
/// ### Algorithm (Ross, Lakkaraju & Bastani, NeurIPS 2021, §3.3 and §4.2)
/// 1. Run the generator A on **every** calibration row (favourable or not, as the reference code does) and take the
///    score after the action, sᵢ = g(xᵢ + A(xᵢ)); a row for which A proposes no action keeps sᵢ = g(xᵢ) (doing
///    nothing is the action).
/// 2. The PAC rule of Park et al. (2020) on these scores ([PacThreshold](xref:Microsoft.ML.Recourse.Calibration.PacThreshold))
///    gives the upper bound θ̄ = τ: any θ₀ ≤ θ̄ is PARE, since lowering θ₀ only removes misses.
/// 3. θ₀ is the candidate among `NumberOfCandidateThresholds` equally spaced values in [0, θ̄] with the largest F1 on
///    the calibration rows (the first on ties).
///
/// The generator runs at the model's current threshold; this matters only for generators that aim at a threshold.
/// The guarantee assumes calibration rows and future rows are i.i.d. from one distribution.
/// ]]></format>
/// </remarks>
/// <typeparam name="TModel">The type of the model parameters.</typeparam>
public sealed class PareCalibratorEstimator<TModel> : IEstimator<PareCalibratorTransformer<TModel>>
    where TModel : ScorerModelParameters
{
    private readonly RecourseEnvironment _environment;
    private readonly RecourseAwarePredictionTransformer<TModel> _model;
    private readonly IRecourseGenerator _generator;
    private readonly ActionSet _actionSet;
    private readonly PareCalibratorOptions _options;

    internal PareCalibratorEstimator(RecourseEnvironment environment, RecourseAwarePredictionTransformer<TModel> model,
        IRecourseGenerator generator, ActionSet actionSet, PareCalibratorOptions options)
    {
        _environment = environment;
        _model = model;
        _generator = generator;
        _actionSet = actionSet;
        options.Check();
        _options = options;
        Contracts.CheckParam(actionSet.FeatureCount == model.Model.FeatureCount, nameof(actionSet),
            $"The action set describes {actionSet.FeatureCount} features but the model takes {model.Model.FeatureCount}.");
        Contracts.CheckParam(model.Threshold > 0 && model.Threshold < 1, nameof(model),
            FormattableString.Invariant($"The generator runs at the model's threshold, which must lie strictly between 0 and 1; got {model.Threshold}."));
    }

    /// <inheritdoc/>
    public SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        Contracts.CheckValue(inputSchema, nameof(inputSchema));
        ColumnChecks.CheckFeatureShape(inputSchema, _model.FeatureColumnName);
        ColumnChecks.CheckScalarShape(inputSchema, "label", _options.LabelColumnName, BooleanDataViewType.Instance);
        return SchemaShapes.With(inputSchema,
            (DefaultColumnNames.Score, NumberDataViewType.Single),
            (DefaultColumnNames.Probability, NumberDataViewType.Single),
            (DefaultColumnNames.PredictedLabel, BooleanDataViewType.Instance));
    }

    /// <summary>Computes θ̄ and θ₀ on held-out calibration rows and returns the classifier with θ₀.</summary>
    /// <param name="input">The calibration rows: not used for training, i.i.d. with the population the guarantee is about.</param>
    /// <exception cref="CalibrationSetTooSmallException">There are fewer rows than any certificate needs.</exception>
    public PareCalibratorTransformer<TModel> Fit(IDataView input)
    {
        Contracts.CheckValue(input, nameof(input));
        var featureColumn = ColumnChecks.CheckFeatureColumn(input.Schema, _model.FeatureColumnName, _model.Model.FeatureCount, nameof(input));
        var labelColumn = ColumnChecks.CheckScalarColumn(input.Schema, "label", _options.LabelColumnName, BooleanDataViewType.Instance, nameof(input));
        var features = ColumnChecks.ReadFeatures(input, featureColumn, nameof(input));
        var labels = ColumnChecks.ReadLabels(input, labelColumn);
        var (certificate, choice) = PareCalibration.Compute(_environment, _model.Model, _model.Threshold, _generator, _actionSet, features, labels, _options);
        return new PareCalibratorTransformer<TModel>(_model.WithThreshold(choice.Threshold), certificate, choice.Value, _generator.Name);
    }
}

/// <summary>The PARE computation shared by <see cref="PareCalibratorEstimator{TModel}"/> and <see cref="CalibrationCatalog.PareThreshold"/>.</summary>
internal static class PareCalibration
{
    /// <summary>Checks the calibration rows, runs the generator on every one, certifies θ̄ and picks the best-F1 θ₀ ≤ θ̄.</summary>
    public static (PacThresholdResult Certificate, (double Threshold, double Value) Choice) Compute(RecourseEnvironment environment, IScorer model, double threshold,
        IRecourseGenerator generator, ActionSet actionSet, double[] features, bool[] labels, PareCalibratorOptions options)
    {
        Contracts.Check(labels.Length > 0, "The calibration data is empty: there are no rows to calibrate the threshold on.");
        long minimum = PacThreshold.MinimumCalibrationSize(options.Epsilon, options.Delta, options.Convention);
        if (labels.Length < minimum)
            throw new CalibrationSetTooSmallException(labels.Length, minimum, options.Epsilon, options.Delta, options.Convention);
        Contracts.Check(labels.Contains(true), FormattableString.Invariant(
            $"The label column '{options.LabelColumnName}' of the calibration data has no favourable (true) rows, so F1 is 0 at every candidate threshold and none can be chosen."));

        var results = generator.Generate(model, threshold, actionSet, features);
        Contracts.Check(results.Count == labels.Length, FormattableString.Invariant(
            $"The generator '{generator.Name}' returned {results.Count} results for {labels.Length} rows."));
        var afterAction = results.Select(r => r.Delta is null ? r.ScoreBefore : r.ScoreAfter).ToArray();
        var certificate = PacThreshold.Fit(afterAction, options.Epsilon, options.Delta, options.Convention);

        var scores = new double[labels.Length];
        model.ScoreBatch(features, scores);
        var candidates = ThresholdSelection.Grid(Math.Clamp(certificate.Threshold, 0, 1), options.NumberOfCandidateThresholds);
        var choice = ThresholdSelection.MaximizeF1(scores, labels, candidates)
            ?? throw new InvalidOperationException(FormattableString.Invariant(
                $"Every candidate threshold in [0, {certificate.Threshold:G4}] gives F1 = 0 on the calibration data; no threshold can be chosen."));
        environment.Log("PareCalibratorEstimator", FormattableString.Invariant(
            $"{generator.Name}: n = {certificate.CalibrationSize}, k* = {certificate.AllowedMisses}, θ̄ = {certificate.Threshold:G6}, θ₀ = {choice.Threshold:G6} (calibration F1 {choice.Value:G4})"));
        return (certificate, (choice.Threshold, choice.Value));
    }
}
