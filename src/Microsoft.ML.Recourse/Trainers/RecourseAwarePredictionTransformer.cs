using System.Text.Json.Nodes;
using Microsoft.ML.Data;
using Microsoft.ML.Recourse.Models;
using Microsoft.ML.Recourse.Persistence;

namespace Microsoft.ML.Recourse.Trainers;

/// <summary>
/// The fitted binary classifier returned by the library's trainers (ML.NET's <c>BinaryPredictionTransformer</c> cannot
/// be constructed outside ML.NET): it keeps every input column and appends <c>Score</c> (the logit f(x)),
/// <c>Probability</c> (g(x) = σ(f(x))) and <c>PredictedLabel</c> (g(x) ≥ <see cref="Threshold"/>), which
/// <c>mlContext.BinaryClassification.Evaluate</c> and ML.NET's calibrators accept.
/// </summary>
/// <remarks>
/// <format type="text/markdown"><![CDATA[
/// ### Transformer Characteristics
/// | | |
/// | -- | -- |
/// | Input column | the feature column: known-sized vector of Single, of the model's feature count |
/// | Output columns | Score: Single; Probability: Single; PredictedLabel: Boolean |
/// | Row to row | Yes (works with PredictionEngine) |
/// | Saved by `mlContext.Model.Save` | Yes |
/// ]]></format>
/// </remarks>
/// <typeparam name="TModel">The type of the model parameters.</typeparam>
public sealed class RecourseAwarePredictionTransformer<TModel> : ISingleFeaturePredictionTransformer<TModel>, IPersistedTransformer, IPredictionRowFunction, IScorerPrediction
    where TModel : ScorerModelParameters
{
    internal RecourseAwarePredictionTransformer(TModel model, string featureColumnName, double threshold = PredictionColumns.DefaultThreshold)
    {
        Model = Contracts.CheckValue(model, nameof(model));
        FeatureColumnName = Contracts.CheckValue(featureColumnName, nameof(featureColumnName));
        PredictionColumns.CheckThreshold(threshold, nameof(threshold));
        Threshold = threshold;
    }

    /// <summary>Gets the fitted model parameters.</summary>
    public TModel Model { get; }

    /// <summary>Gets the name of the feature column the model reads.</summary>
    public string FeatureColumnName { get; }

    /// <summary>Gets the type of the feature column: a vector of <see cref="float"/> of the model's feature count.</summary>
    public DataViewType FeatureColumnType => new VectorDataViewType(NumberDataViewType.Single, Model.FeatureCount);

    /// <summary>Gets the decision threshold θ₀: a row is predicted favourable when g(x) ≥ θ₀. Range: 0 ≤ θ₀ ≤ 1.</summary>
    public double Threshold { get; }

    /// <inheritdoc/>
    public bool IsRowToRowMapper => true;

    ScorerModelParameters IScorerPrediction.Scorer => Model;

    /// <summary>
    /// Returns a transformer with the same model and a new decision threshold (as ML.NET's <c>ChangeModelThreshold</c>).
    /// </summary>
    /// <param name="threshold">The new threshold θ₀. Range: 0 ≤ θ₀ ≤ 1.</param>
    public RecourseAwarePredictionTransformer<TModel> WithThreshold(double threshold)
    {
        PredictionColumns.CheckThreshold(threshold, nameof(threshold));
        return new RecourseAwarePredictionTransformer<TModel>(Model, FeatureColumnName, threshold);
    }

    /// <inheritdoc/>
    public DataViewSchema GetOutputSchema(DataViewSchema inputSchema)
    {
        Contracts.CheckValue(inputSchema, nameof(inputSchema));
        return CreateMapper(inputSchema, nameof(inputSchema)).OutputSchema;
    }

    /// <inheritdoc/>
    public IDataView Transform(IDataView input)
    {
        Contracts.CheckValue(input, nameof(input));
        return new MappedDataView(input, CreateMapper(input.Schema, nameof(input)));
    }

    /// <inheritdoc/>
    public IRowToRowMapper GetRowToRowMapper(DataViewSchema inputSchema)
    {
        Contracts.CheckValue(inputSchema, nameof(inputSchema));
        return new RowToRowMapper(CreateMapper(inputSchema, nameof(inputSchema)));
    }

    void ICanSaveModel.Save(ModelSaveContext ctx) => SavedForm.Save(this, ctx);

    (float Score, float Probability, bool PredictedLabel) IPredictionRowFunction.Predict(ReadOnlySpan<float> features)
    {
        Span<double> x = features.Length <= 256 ? stackalloc double[features.Length] : new double[features.Length];
        for (int j = 0; j < x.Length; j++) x[j] = features[j];
        double logit = Model.ScoreLogit(x);
        double g = ScorerModelParameters.Sigmoid(logit);
        return ((float)logit, (float)g, g >= Threshold);
    }

    private PredictionColumns.Mapper CreateMapper(DataViewSchema schema, string paramName)
    {
        var features = ColumnChecks.CheckFeatureColumn(schema, FeatureColumnName, Model.FeatureCount, paramName);
        return new PredictionColumns.Mapper(schema, features, this);
    }

    string IPersistedTransformer.Kind => PredictionColumns.Kind;

    int IPersistedTransformer.KindVersion => 1;

    int IPersistedTransformer.FeatureCount => Model.FeatureCount;

    IReadOnlyList<string> IPersistedTransformer.InputColumnNames => [FeatureColumnName];

    IReadOnlyList<int?> IPersistedTransformer.InputColumnSizes => [Model.FeatureCount];

    SavedOutputs IPersistedTransformer.Outputs => SavedOutputs.Prediction;

    JsonObject IPersistedTransformer.SaveState() => new()
    {
        ["featureColumnName"] = FeatureColumnName,
        ["threshold"] = Threshold,
        ["model"] = ((IPersistedScorer)Model).Save(),
    };
}

/// <summary>One of the library's fitted classifiers: a scorer, the threshold it predicts with and its feature column.</summary>
internal interface IScorerPrediction
{
    ScorerModelParameters Scorer { get; }

    double Threshold { get; }

    string FeatureColumnName { get; }
}

/// <summary>The prediction columns shared by the library's classifiers, and their persistence.</summary>
internal static class PredictionColumns
{
    [ClassifierReader]
    internal static BinaryClassifierView? Read(ITransformer transformer)
        => transformer is IScorerPrediction p
            ? new BinaryClassifierView(p.Scorer, p.Threshold, p.FeatureColumnName, $"Microsoft.ML.Recourse {p.Scorer.GetType().Name.Replace("ModelParameters", "", StringComparison.Ordinal)}")
            : null;

    public const string Kind = "RecourseAwarePredictionTransformer";
    public const double DefaultThreshold = 0.5;

    public static void CheckThreshold(double threshold, string paramName)
        => Contracts.CheckParam(threshold >= 0 && threshold <= 1, paramName,
            FormattableString.Invariant($"The threshold must lie in [0, 1]; got {threshold}."));

    [PersistedKind(PersistedFamily.Transformer, Kind, 1)]
    internal static ITransformer Load(JsonObject data, int version, RecourseEnvironment environment)
    {
        string featureColumnName = (string?)data["featureColumnName"] ?? throw new InvalidOperationException("no 'featureColumnName'");
        double threshold = data["threshold"]?.GetValue<double>() ?? throw new InvalidOperationException("no 'threshold'");
        return PersistedKinds.Load<ScorerModelParameters>(PersistedFamily.Scorer, data["model"], environment) switch
        {
            LogisticRegressionModelParameters m => new RecourseAwarePredictionTransformer<LogisticRegressionModelParameters>(m, featureColumnName, threshold),
            MultilayerPerceptronModelParameters m => new RecourseAwarePredictionTransformer<MultilayerPerceptronModelParameters>(m, featureColumnName, threshold),
            var m => throw new InvalidOperationException($"model parameters of type {m.GetType().Name} cannot be wrapped"),
        };
    }

    /// <summary>Appends <c>Score</c>, <c>Probability</c> and <c>PredictedLabel</c>, computed once per row.</summary>
    internal sealed class Mapper(DataViewSchema inputSchema, DataViewSchema.Column features, IPredictionRowFunction function)
        : RowMapper(inputSchema, Columns)
    {
        private static readonly OutputColumn[] Columns =
        [
            new(DefaultColumnNames.Score, NumberDataViewType.Single),
            new(DefaultColumnNames.Probability, NumberDataViewType.Single),
            new(DefaultColumnNames.PredictedLabel, BooleanDataViewType.Instance),
        ];

        public override IEnumerable<DataViewSchema.Column> Dependencies(Func<int, bool> isOutputActive)
            => Enumerable.Range(0, Columns.Length).Any(isOutputActive) ? [features] : [];

        public override Delegate?[] CreateGetters(DataViewRow input, Func<int, bool> isOutputActive, IDataView? source, out Action? disposer)
        {
            disposer = null;
            var getters = new Delegate?[Columns.Length];
            if (!Enumerable.Range(0, Columns.Length).Any(isOutputActive)) return getters;
            var featureGetter = input.GetGetter<VBuffer<float>>(features);
            var buffer = default(VBuffer<float>);
            var dense = new float[((VectorDataViewType)features.Type).Size];
            long computed = -1;
            (float Score, float Probability, bool PredictedLabel) current = default;
            void Ensure()
            {
                if (computed == input.Position) return;
                featureGetter(ref buffer);
                buffer.CopyTo(dense);
                ColumnChecks.CheckFinite(dense, features, input.Position);
                current = function.Predict(dense);
                computed = input.Position;
            }
            if (isOutputActive(0)) getters[0] = (ValueGetter<float>)((ref float value) => { Ensure(); value = current.Score; });
            if (isOutputActive(1)) getters[1] = (ValueGetter<float>)((ref float value) => { Ensure(); value = current.Probability; });
            if (isOutputActive(2)) getters[2] = (ValueGetter<bool>)((ref bool value) => { Ensure(); value = current.PredictedLabel; });
            return getters;
        }
    }
}
