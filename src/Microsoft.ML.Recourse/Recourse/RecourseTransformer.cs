using System.Diagnostics;
using System.Text.Json.Nodes;
using Microsoft.ML.Recourse.Actions;
using Microsoft.ML.Recourse.Data;
using Microsoft.ML.Recourse.Models;

namespace Microsoft.ML.Recourse;

/// <summary>
/// Appends recourse to every row: <c>RecourseDelta</c> (the action δ in model units, NaN where there is no recourse),
/// <c>RecourseCost</c>, <c>HasRecourse</c> and <c>RecourseStatus</c>, keeping every input column untouched. Rows the
/// model already accepts get δ = 0, cost 0 and <c>HasRecourse</c> = <see langword="true"/>; see
/// <see cref="RecourseEstimator"/> for the full contract. Created by fitting a <see cref="RecourseEstimator"/>.
/// </summary>
/// <remarks>
/// <format type="text/markdown"><![CDATA[
/// ### Transformer Characteristics
/// | | |
/// | -- | -- |
/// | Input column | the feature column: known-sized vector of Single, of the model's feature count, no NaN or ∞ |
/// | Output columns | RecourseDelta: Vector&lt;Single, d&gt;; RecourseCost: Single; HasRecourse: Boolean; RecourseStatus: String |
/// | Row to row | Yes |
/// | Saved to a model file | when the model is one of the library's fitted scorers and the generator is one of the library's generators |
/// ]]></format>
/// </remarks>
public sealed class RecourseTransformer : ITransformer, IPersistableTransformer
{
    internal const string Kind = "RecourseTransformer";

    /// <summary>The <c>RecourseStatus</c> of a row the model already accepts.</summary>
    public const string AcceptedStatus = "Accepted";

    private readonly RecourseContext _context;

    internal RecourseTransformer(RecourseContext context, IScorer model, ActionSet actionSet, IRecourseGenerator generator, double threshold, string featureColumnName)
    {
        _context = context;
        Model = model;
        ActionSet = actionSet;
        Generator = generator;
        Threshold = threshold;
        FeatureColumnName = featureColumnName;
    }

    /// <summary>Gets the scorer g whose rejections get recourse.</summary>
    public IScorer Model { get; }

    /// <summary>Gets the allowed actions Δ.</summary>
    public ActionSet ActionSet { get; }

    /// <summary>Gets the recourse generator.</summary>
    public IRecourseGenerator Generator { get; }

    /// <summary>Gets the decision threshold θ₀: a row is accepted when g(x) ≥ θ₀. Range: 0 &lt; θ₀ &lt; 1.</summary>
    public double Threshold { get; }

    /// <summary>Gets the name of the feature column.</summary>
    public string FeatureColumnName { get; }

    /// <inheritdoc/>
    public bool IsRowToRowMapper => true;

    /// <inheritdoc/>
    public DataViewSchema GetOutputSchema(DataViewSchema inputSchema)
    {
        Contracts.CheckValue(inputSchema, nameof(inputSchema));
        CheckInput(inputSchema, FeatureColumnName, ActionSet, nameof(inputSchema));
        var columns = inputSchema.Select(c => (c.Name, c.Type, c.Annotations.SlotNames)).ToList();
        foreach (var output in OutputColumns(ActionSet.FeatureCount, FeatureNames))
        {
            int at = columns.FindIndex(c => c.Name == output.Name);
            if (at >= 0) columns[at] = output;
            else columns.Add(output);
        }
        return new DataViewSchema(columns);
    }

    /// <inheritdoc/>
    public IDataView Transform(IDataView input)
    {
        Contracts.CheckValue(input, nameof(input));
        var featureColumn = CheckInput(input.Schema, FeatureColumnName, ActionSet, nameof(input));
        var features = ColumnChecks.ReadFeatures(input, featureColumn, nameof(input));
        int d = ActionSet.FeatureCount, rows = features.Length / d;
        var watch = Stopwatch.StartNew();

        var scores = new double[rows];
        Model.ScoreBatch(features, scores);
        var rejected = Enumerable.Range(0, rows).Where(r => !(scores[r] >= Threshold)).ToArray();
        var rejectedRows = new double[rejected.Length * d];
        for (int k = 0; k < rejected.Length; k++)
            features.AsSpan(rejected[k] * d, d).CopyTo(rejectedRows.AsSpan(k * d, d));
        IReadOnlyList<RecourseResult> results = rejected.Length == 0 ? [] : Generator.Generate(Model, Threshold, ActionSet, rejectedRows);
        Contracts.Check(results.Count == rejected.Length,
            $"Recourse generator '{Generator.Name}' returned {results.Count} results for {rejected.Length} rows.");

        // Accepted rows keep δ = 0, cost 0, HasRecourse = true.
        var delta = new float[rows * d];
        var cost = new float[rows];
        var hasRecourse = Enumerable.Repeat(true, rows).ToArray();
        var status = Enumerable.Repeat(AcceptedStatus, rows).ToArray();
        int found = 0;
        for (int k = 0; k < rejected.Length; k++)
        {
            int r = rejected[k];
            var result = results[k];
            status[r] = result.Status.ToString();
            if (result.IsValid && result.Delta is { } action)
            {
                Contracts.Check(action.Count == d,
                    $"Recourse generator '{Generator.Name}' returned an action of {action.Count} values for row {r}; the model takes {d}.");
                for (int j = 0; j < d; j++) delta[r * d + j] = (float)action[j];
                cost[r] = (float)result.Cost;
                found++;
            }
            else
            {
                delta.AsSpan(r * d, d).Fill(float.NaN);
                cost[r] = float.NaN;
                hasRecourse[r] = false;
            }
        }
        _context.WriteLog(nameof(RecourseTransformer), FormattableString.Invariant(
            $"{Generator.Name}: {rejected.Length} of {rows} rows rejected at θ₀ = {Threshold}, {found} with recourse, {watch.Elapsed.TotalSeconds:0.###} s"));

        return DataViewBuilder.From(input)
            .AddShared(DefaultColumnNames.RecourseDelta, new VectorDataViewType(NumberDataViewType.Single, d), FeatureNames, delta, rows)
            .AddShared(DefaultColumnNames.RecourseCost, NumberDataViewType.Single, null, cost, rows)
            .AddShared(DefaultColumnNames.HasRecourse, BooleanDataViewType.Instance, null, hasRecourse, rows)
            .AddShared(DefaultColumnNames.RecourseStatus, TextDataViewType.Instance, null, status, rows)
            .Build();
    }

    /// <summary>
    /// Describes the recourse of one row of a transformed view in plain language and original units, e.g.
    /// "raise education-num from 13 to 14.4" (see <see cref="ActionSet.Describe"/>).
    /// </summary>
    /// <param name="transformed">The output of <see cref="Transform"/> (it needs the feature, <c>RecourseDelta</c> and <c>HasRecourse</c> columns).</param>
    /// <param name="rowIndex">The zero-based row. Range: 0 ≤ rowIndex &lt; row count.</param>
    /// <returns>
    /// The steps of the action (empty for a row the model already accepts), or <see langword="null"/> when the row has
    /// no recourse.
    /// </returns>
    public RecourseExplanation? Explain(IDataView transformed, int rowIndex)
    {
        Contracts.CheckValue(transformed, nameof(transformed));
        int rows = transformed.RowCount();
        Contracts.CheckParam(rowIndex >= 0 && rowIndex < rows, nameof(rowIndex),
            FormattableString.Invariant($"Must lie in [0, {rows}); got {rowIndex}."));
        return Explain(transformed, [rowIndex])[0];
    }

    /// <summary>Describes the recourse of every row of a transformed view; see <see cref="Explain(IDataView, int)"/>.</summary>
    /// <param name="transformed">The output of <see cref="Transform"/>.</param>
    /// <returns>One explanation per row, in row order; <see langword="null"/> where the row has no recourse.</returns>
    public IReadOnlyList<RecourseExplanation?> ExplainAll(IDataView transformed)
    {
        Contracts.CheckValue(transformed, nameof(transformed));
        return Explain(transformed, Enumerable.Range(0, transformed.RowCount()).ToArray());
    }

    private RecourseExplanation?[] Explain(IDataView transformed, int[] rowIndices)
    {
        var schema = transformed.Schema;
        var featureColumn = CheckInput(schema, FeatureColumnName, ActionSet, nameof(transformed));
        var deltaColumn = schema.GetColumnOrNull(DefaultColumnNames.RecourseDelta)
                          ?? throw Contracts.ExceptSchemaMismatch(nameof(transformed), "recourse", DefaultColumnNames.RecourseDelta);
        var expected = new VectorDataViewType(NumberDataViewType.Single, ActionSet.FeatureCount);
        if (!deltaColumn.Type.Equals(expected))
            throw Contracts.ExceptSchemaMismatch(nameof(transformed), "recourse", DefaultColumnNames.RecourseDelta, expected.ToString(), deltaColumn.Type.ToString());
        var hasColumn = ColumnChecks.CheckScalarColumn(schema, "recourse", DefaultColumnNames.HasRecourse, BooleanDataViewType.Instance, nameof(transformed));

        int d = ActionSet.FeatureCount;
        var x = transformed.GetColumnValues<float>(featureColumn);
        var delta = transformed.GetColumnValues<float>(deltaColumn);
        var has = transformed.GetColumnValues<bool>(hasColumn);
        var row = new double[d];
        var change = new double[d];
        var explanations = new RecourseExplanation?[rowIndices.Length];
        for (int k = 0; k < rowIndices.Length; k++)
        {
            int r = rowIndices[k];
            if (!has.Span[r]) continue;
            for (int j = 0; j < d; j++)
            {
                row[j] = x.Span[r * d + j];
                change[j] = delta.Span[r * d + j];
            }
            explanations[k] = ActionSet.Describe(row, change);
        }
        return explanations;
    }

    private IReadOnlyList<string> FeatureNames => ActionSet.Features.Select(f => f.Name).ToArray();

    /// <summary>The columns a recourse transformer appends, in order.</summary>
    internal static (string Name, DataViewType Type, IReadOnlyList<string>? SlotNames)[] OutputColumns(int featureCount, IReadOnlyList<string>? slotNames) =>
    [
        (DefaultColumnNames.RecourseDelta, new VectorDataViewType(NumberDataViewType.Single, featureCount), slotNames),
        (DefaultColumnNames.RecourseCost, NumberDataViewType.Single, null),
        (DefaultColumnNames.HasRecourse, BooleanDataViewType.Instance, null),
        (DefaultColumnNames.RecourseStatus, TextDataViewType.Instance, null),
    ];

    /// <summary>
    /// Checks the feature column: present, a vector of <see cref="float"/> of the action set's size, and, when it has
    /// slot names, naming the action set's features in the same order.
    /// </summary>
    internal static DataViewSchema.Column CheckInput(DataViewSchema schema, string featureColumnName, ActionSet actionSet, string paramName)
    {
        var column = ColumnChecks.CheckFeatureColumn(schema, featureColumnName, actionSet.FeatureCount, paramName);
        if (column.Annotations.SlotNames is { } slots)
        {
            for (int j = 0; j < slots.Count; j++)
            {
                Contracts.CheckParam(slots[j] == actionSet.Features[j].Name, paramName,
                    $"Slot {j} of feature column '{featureColumnName}' is '{slots[j]}' but feature {j} of the action set is '{actionSet.Features[j].Name}'; the data and the action set must list the same features in the same order.");
            }
        }
        return column;
    }

    string IPersistableTransformer.ModelKind => Kind;

    int IPersistableTransformer.ModelVersion => 1;

    JsonObject IPersistableTransformer.SaveModel()
    {
        if (Model is not ScorerModelParameters model)
            throw new NotSupportedException(
                $"A recourse transformer over a black-box scorer ({Model.GetType().Name}) cannot be saved; only the library's fitted scorers (logistic regression, multilayer perceptron) can be.");
        return new JsonObject
        {
            ["featureColumnName"] = FeatureColumnName,
            ["threshold"] = Threshold,
            ["modelKind"] = model.ModelKind,
            ["model"] = model.ToJson(),
            ["actionSet"] = ActionSetJson.ToJson(ActionSet),
            ["generator"] = RecourseGeneratorDescriptors.Save(Generator),
        };
    }

    internal static ITransformer Load(JsonObject data, RecourseContext context)
    {
        string featureColumnName = (string?)data["featureColumnName"] ?? throw new InvalidOperationException("no 'featureColumnName'");
        double threshold = data["threshold"]?.GetValue<double>() ?? throw new InvalidOperationException("no 'threshold'");
        string modelKind = (string?)data["modelKind"] ?? throw new InvalidOperationException("no 'modelKind'");
        var model = ScorerModelParameters.FromJson(modelKind, data["model"] as JsonObject ?? throw new InvalidOperationException("no 'model' object"));
        var actionSet = ActionSetJson.FromJson(data["actionSet"] as JsonObject ?? throw new InvalidOperationException("no 'actionSet' object"));
        var generator = RecourseGeneratorDescriptors.Load(data["generator"] as JsonObject ?? throw new InvalidOperationException("no 'generator' object"), context);
        return new RecourseEstimator(context, model, actionSet, generator, threshold, featureColumnName).CreateTransformer();
    }
}
