using System.Text.Json.Nodes;
using Microsoft.ML.Recourse.Data;
using Microsoft.ML.Recourse.Models;

namespace Microsoft.ML.Recourse.Trainers;

/// <summary>
/// The fitted binary classifier returned by the library's trainers (as ML.NET's
/// <c>BinaryPredictionTransformer&lt;TModel&gt;</c>): it keeps every input column and appends <c>Score</c> (the
/// logit f(x)), <c>Probability</c> (g(x) = σ(f(x))) and <c>PredictedLabel</c> (g(x) ≥ <see cref="Threshold"/>).
/// </summary>
/// <remarks>
/// <format type="text/markdown"><![CDATA[
/// ### Transformer Characteristics
/// | | |
/// | -- | -- |
/// | Input column | the feature column: known-sized vector of Single, of the model's feature count |
/// | Output columns | Score: Single; Probability: Single; PredictedLabel: Boolean |
/// | Row to row | Yes |
/// ]]></format>
/// </remarks>
/// <typeparam name="TModel">The type of the model parameters.</typeparam>
public sealed class BinaryPredictionTransformer<TModel> : ITransformer, IPersistableTransformer
    where TModel : ScorerModelParameters
{
    internal BinaryPredictionTransformer(TModel model, string featureColumnName, double threshold = BinaryPredictionTransformer.DefaultThreshold)
    {
        Model = Contracts.CheckValue(model, nameof(model));
        FeatureColumnName = Contracts.CheckValue(featureColumnName, nameof(featureColumnName));
        BinaryPredictionTransformer.CheckThreshold(threshold, nameof(threshold));
        Threshold = threshold;
    }

    /// <summary>Gets the fitted model parameters.</summary>
    public TModel Model { get; }

    /// <summary>Gets the name of the feature column the model reads.</summary>
    public string FeatureColumnName { get; }

    /// <summary>Gets the decision threshold θ₀: a row is predicted favourable when g(x) ≥ θ₀. Range: 0 ≤ θ₀ ≤ 1.</summary>
    public double Threshold { get; }

    /// <inheritdoc/>
    public bool IsRowToRowMapper => true;

    /// <summary>
    /// Returns a transformer with the same model and a new decision threshold (ML.NET's <c>ChangeModelThreshold</c>).
    /// </summary>
    /// <param name="threshold">The new threshold θ₀. Range: 0 ≤ θ₀ ≤ 1.</param>
    public BinaryPredictionTransformer<TModel> WithThreshold(double threshold)
    {
        BinaryPredictionTransformer.CheckThreshold(threshold, nameof(threshold));
        return new BinaryPredictionTransformer<TModel>(Model, FeatureColumnName, threshold);
    }

    /// <inheritdoc/>
    public DataViewSchema GetOutputSchema(DataViewSchema inputSchema)
    {
        Contracts.CheckValue(inputSchema, nameof(inputSchema));
        ColumnChecks.CheckFeatureColumn(inputSchema, FeatureColumnName, Model.FeatureCount, nameof(inputSchema));
        var columns = inputSchema.Select(c => (c.Name, c.Type, c.Annotations.SlotNames)).ToList();
        foreach (var (name, type) in OutputColumns)
        {
            int at = columns.FindIndex(c => c.Name == name);
            if (at >= 0) columns[at] = (name, type, null);
            else columns.Add((name, type, null));
        }
        return new DataViewSchema(columns);
    }

    /// <inheritdoc/>
    public IDataView Transform(IDataView input)
    {
        Contracts.CheckValue(input, nameof(input));
        var featureColumn = ColumnChecks.CheckFeatureColumn(input.Schema, FeatureColumnName, Model.FeatureCount, nameof(input));
        var features = ColumnChecks.ReadFeatures(input, featureColumn, nameof(input));
        int rows = features.Length / Model.FeatureCount;
        var logits = new double[rows];
        Model.ScoreLogitBatch(features, logits);
        var score = new float[rows];
        var probability = new float[rows];
        var predicted = new bool[rows];
        for (int r = 0; r < rows; r++)
        {
            double g = ScorerModelParameters.Sigmoid(logits[r]);
            score[r] = (float)logits[r];
            probability[r] = (float)g;
            predicted[r] = g >= Threshold;
        }
        return DataViewBuilder.From(input)
            .AddShared(DefaultColumnNames.Score, NumberDataViewType.Single, null, score, rows)
            .AddShared(DefaultColumnNames.Probability, NumberDataViewType.Single, null, probability, rows)
            .AddShared(DefaultColumnNames.PredictedLabel, BooleanDataViewType.Instance, null, predicted, rows)
            .Build();
    }

    private static readonly (string Name, DataViewType Type)[] OutputColumns =
    [
        (DefaultColumnNames.Score, NumberDataViewType.Single),
        (DefaultColumnNames.Probability, NumberDataViewType.Single),
        (DefaultColumnNames.PredictedLabel, BooleanDataViewType.Instance),
    ];

    string IPersistableTransformer.ModelKind => BinaryPredictionTransformer.Kind;

    int IPersistableTransformer.ModelVersion => 1;

    JsonObject IPersistableTransformer.SaveModel() => new()
    {
        ["featureColumnName"] = FeatureColumnName,
        ["threshold"] = Threshold,
        ["modelKind"] = Model.ModelKind,
        ["model"] = Model.ToJson(),
    };
}

/// <summary>Persistence and checks shared by every <see cref="BinaryPredictionTransformer{TModel}"/>.</summary>
internal static class BinaryPredictionTransformer
{
    public const string Kind = "BinaryPredictionTransformer";
    public const double DefaultThreshold = 0.5;

    public static void CheckThreshold(double threshold, string paramName)
        => Contracts.CheckParam(threshold >= 0 && threshold <= 1, paramName,
            FormattableString.Invariant($"The threshold must lie in [0, 1]; got {threshold}."));

    public static ITransformer Load(JsonObject data, RecourseContext context)
    {
        string featureColumnName = (string?)data["featureColumnName"] ?? throw new InvalidOperationException("no 'featureColumnName'");
        double threshold = data["threshold"]?.GetValue<double>() ?? throw new InvalidOperationException("no 'threshold'");
        string modelKind = (string?)data["modelKind"] ?? throw new InvalidOperationException("no 'modelKind'");
        var modelJson = data["model"] as JsonObject ?? throw new InvalidOperationException("no 'model' object");
        return ScorerModelParameters.FromJson(modelKind, modelJson) switch
        {
            LogisticRegressionModelParameters m => new BinaryPredictionTransformer<LogisticRegressionModelParameters>(m, featureColumnName, threshold),
            MultilayerPerceptronModelParameters m => new BinaryPredictionTransformer<MultilayerPerceptronModelParameters>(m, featureColumnName, threshold),
            var m => throw new InvalidOperationException($"model parameters of type {m.GetType().Name} cannot be wrapped"),
        };
    }
}
