using System.Text.Json.Nodes;
using Microsoft.ML.Data;
using Microsoft.ML.Recourse.Persistence;
using Microsoft.ML.Recourse.Models;
using Microsoft.ML.Recourse.Trainers;

namespace Microsoft.ML.Recourse.Calibration;

/// <summary>
/// A classifier whose decision threshold θ₀ was set by <see cref="PareCalibratorEstimator{TModel}"/>: it predicts as
/// <see cref="Model"/> (the trained classifier with θ₀) and carries the PAC certificate θ₀ rests on.
/// </summary>
/// <typeparam name="TModel">The type of the model parameters.</typeparam>
public sealed class PareCalibratorTransformer<TModel> : ITransformer, IPersistedTransformer, IPredictionRowFunction, IScorerPrediction
    where TModel : ScorerModelParameters
{
    internal PareCalibratorTransformer(RecourseAwarePredictionTransformer<TModel> model, PacThresholdResult certificate, double calibrationF1, string generatorName)
    {
        Model = model;
        Certificate = certificate;
        CalibrationF1 = calibrationF1;
        GeneratorName = generatorName;
    }

    /// <summary>Gets the trained classifier with the calibrated threshold θ₀.</summary>
    public RecourseAwarePredictionTransformer<TModel> Model { get; }

    /// <summary>Gets the calibrated decision threshold θ₀ ≤ θ̄: the best-F1 candidate in [0, θ̄].</summary>
    public double Threshold => Model.Threshold;

    /// <summary>Gets θ̄, the largest threshold the PAC rule certifies (τ of <see cref="Certificate"/>).</summary>
    public double ThresholdUpperBound => Certificate.Threshold;

    /// <summary>Gets the PAC certificate: τ = θ̄, k*, n, ε, δ and the convention they were read with.</summary>
    public PacThresholdResult Certificate { get; }

    /// <summary>Gets k*, the number of calibration rows allowed to miss recourse at θ̄.</summary>
    public int AllowedMisses => Certificate.AllowedMisses;

    /// <summary>Gets n, the number of calibration rows.</summary>
    public int CalibrationSize => Certificate.CalibrationSize;

    /// <summary>Gets ε, the tolerated share without recourse.</summary>
    public double Epsilon => Certificate.Epsilon;

    /// <summary>Gets δ, the failure probability as given.</summary>
    public double Delta => Certificate.Delta;

    /// <summary>Gets how (ε, δ) were read.</summary>
    public ParameterConvention Convention => Certificate.Convention;

    /// <summary>Gets the F1 score at θ₀ on the calibration rows.</summary>
    public double CalibrationF1 { get; }

    /// <summary>Gets the <see cref="IRecourseGenerator.Name"/> of the recourse algorithm the guarantee is about.</summary>
    public string GeneratorName { get; }

    /// <inheritdoc/>
    public bool IsRowToRowMapper => true;

    /// <inheritdoc/>
    public DataViewSchema GetOutputSchema(DataViewSchema inputSchema) => Model.GetOutputSchema(inputSchema);

    /// <inheritdoc/>
    public IDataView Transform(IDataView input) => Model.Transform(input);

    ScorerModelParameters IScorerPrediction.Scorer => Model.Model;

    string IScorerPrediction.FeatureColumnName => Model.FeatureColumnName;

    /// <inheritdoc/>
    public IRowToRowMapper GetRowToRowMapper(DataViewSchema inputSchema) => Model.GetRowToRowMapper(inputSchema);

    void ICanSaveModel.Save(ModelSaveContext ctx) => SavedForm.Save(this, ctx);

    (float Score, float Probability, bool PredictedLabel) IPredictionRowFunction.Predict(ReadOnlySpan<float> features)
        => ((IPredictionRowFunction)Model).Predict(features);

    string IPersistedTransformer.Kind => PareCalibratorTransformer.Kind;

    int IPersistedTransformer.KindVersion => 1;

    IReadOnlyList<string> IPersistedTransformer.InputColumnNames => [Model.FeatureColumnName];

    IReadOnlyList<int?> IPersistedTransformer.InputColumnSizes => [Model.Model.FeatureCount];

    int IPersistedTransformer.FeatureCount => Model.Model.FeatureCount;

    SavedOutputs IPersistedTransformer.Outputs => SavedOutputs.Prediction;

    JsonObject IPersistedTransformer.SaveState() => new()
    {
        ["model"] = PersistedKinds.Node(PredictionColumns.Kind, 1, ((IPersistedTransformer)Model).SaveState()),
        ["generatorName"] = GeneratorName,
        ["calibrationF1"] = CalibrationF1,
        ["upperBound"] = Certificate.Threshold,
        ["allowedMisses"] = Certificate.AllowedMisses,
        ["calibrationSize"] = Certificate.CalibrationSize,
        ["calibrationMisses"] = Certificate.CalibrationMisses,
        ["epsilon"] = Certificate.Epsilon,
        ["delta"] = Certificate.Delta,
        ["convention"] = Certificate.Convention.ToString(),
    };
}

internal static class PareCalibratorTransformer
{
    public const string Kind = "PareCalibratorTransformer";

    [PersistedKind(PersistedFamily.Transformer, Kind, 1)]
    internal static ITransformer Load(JsonObject data, int version, RecourseEnvironment environment)
    {
        var certificate = new PacThresholdResult(
            Number(data, "upperBound"),
            (int)Number(data, "allowedMisses"),
            (int)Number(data, "calibrationSize"),
            Number(data, "epsilon"),
            Number(data, "delta"),
            Enum.Parse<ParameterConvention>((string?)data["convention"] ?? throw new InvalidOperationException("no 'convention'")),
            (int)Number(data, "calibrationMisses"));
        PacThreshold.CheckParameters(certificate.Epsilon, certificate.Delta, certificate.Convention);
        double f1 = Number(data, "calibrationF1");
        string generator = (string?)data["generatorName"] ?? throw new InvalidOperationException("no 'generatorName'");
        return PersistedKinds.Load<ITransformer>(PersistedFamily.Transformer, data["model"], environment) switch
        {
            RecourseAwarePredictionTransformer<LogisticRegressionModelParameters> m => new PareCalibratorTransformer<LogisticRegressionModelParameters>(m, certificate, f1, generator),
            RecourseAwarePredictionTransformer<MultilayerPerceptronModelParameters> m => new PareCalibratorTransformer<MultilayerPerceptronModelParameters>(m, certificate, f1, generator),
            var m => throw new InvalidOperationException($"a {m.GetType().Name} cannot be calibrated"),
        };
    }

    private static double Number(JsonObject data, string name)
        => data[name]?.GetValue<double>() ?? throw new InvalidOperationException($"no '{name}'");
}
