using Microsoft.ML.Data;

namespace Microsoft.ML.Recourse.Models.MlNet;

/// <summary>
/// What a fitted ML.NET binary classifier decides about raw rows: accepted or not, and its probability (or score, when
/// the model has no Probability column). Accepted means the model's own <c>PredictedLabel</c>, or, with a threshold,
/// Probability (else Score) ≥ threshold. Rows are scored in batches through the model's <see cref="ITransformer.Transform"/>,
/// so any pipeline works, transparent or not.
/// </summary>
internal sealed class ModelDecision
{
    private long _evaluations;

    /// <param name="model">The fitted model, from raw input columns to a binary classifier's outputs.</param>
    /// <param name="inputSchema">The model's raw input schema.</param>
    /// <param name="threshold">The acceptance threshold on Probability (else Score), or <see langword="null"/> for the model's PredictedLabel.</param>
    public ModelDecision(ITransformer model, DataViewSchema inputSchema, double? threshold = null)
    {
        Model = Contracts.CheckValue(model, nameof(model));
        Contracts.CheckValue(inputSchema, nameof(inputSchema));
        Contracts.CheckParam(threshold is null || double.IsFinite(threshold.Value), nameof(threshold), $"The threshold must be finite; got {threshold}.");
        RawColumns = RawRows.Columns(inputSchema);
        foreach (var c in RawColumns)
            if (!RawRows.IsSupported(c.Type))
                throw new ArgumentOutOfRangeException(nameof(inputSchema), $"The model's input column '{c.Name}' is {c.Type}, which recourse over raw columns cannot read or write.");
        var output = model.GetOutputSchema(inputSchema);
        var probability = output.GetColumnOrNull(DefaultColumnNames.Probability);
        var score = output.GetColumnOrNull(DefaultColumnNames.Score);
        var label = output.GetColumnOrNull(DefaultColumnNames.PredictedLabel);
        if (probability is { } p && p.Type == NumberDataViewType.Single) ScoreColumnName = p.Name;
        else if (score is { } s && s.Type == NumberDataViewType.Single) ScoreColumnName = s.Name;
        else throw Contracts.ExceptSchemaMismatch(nameof(model), "score", DefaultColumnNames.Score);
        if (threshold is null && label is not { Type: BooleanDataViewType })
            throw Contracts.ExceptSchemaMismatch(nameof(model), "predicted label", DefaultColumnNames.PredictedLabel, "Boolean", label?.Type.ToString() ?? "missing");
        Threshold = threshold;
    }

    public ITransformer Model { get; }

    /// <summary>Gets the visible input columns, the positions of a raw row.</summary>
    public IReadOnlyList<DataViewSchema.Column> RawColumns { get; }

    /// <summary>Gets the column reported as the model's score: <c>Probability</c> when the model has it, else <c>Score</c>.</summary>
    public string ScoreColumnName { get; }

    /// <summary>Gets the threshold on <see cref="ScoreColumnName"/>, or <see langword="null"/> when the model's PredictedLabel decides.</summary>
    public double? Threshold { get; }

    /// <summary>Gets how many rows were scored so far.</summary>
    public long Evaluations => Interlocked.Read(ref _evaluations);

    /// <summary>Scores raw rows in one pass through the model.</summary>
    public (bool Accepted, double Score)[] Decide(IReadOnlyList<object?[]> rows)
    {
        if (rows.Count == 0) return [];
        Interlocked.Add(ref _evaluations, rows.Count);
        var scored = Model.Transform(RawRows.ToView(RawColumns, rows));
        var scoreColumn = scored.Schema[ScoreColumnName];
        var labelColumn = Threshold is null ? scored.Schema[DefaultColumnNames.PredictedLabel] : (DataViewSchema.Column?)null;
        var result = new (bool, double)[rows.Count];
        using var cursor = scored.GetRowCursor(labelColumn is { } l ? [scoreColumn, l] : [scoreColumn]);
        var scoreGetter = cursor.GetGetter<float>(scoreColumn);
        var labelGetter = labelColumn is { } lc ? cursor.GetGetter<bool>(lc) : null;
        float value = 0;
        bool label = false;
        int r = 0;
        while (cursor.MoveNext())
        {
            scoreGetter(ref value);
            if (labelGetter is not null) labelGetter(ref label);
            else label = value >= Threshold!.Value;
            result[r++] = (label, value);
        }
        Contracts.Check(r == rows.Count, $"The model returned {r} rows for {rows.Count}; recourse needs a model that keeps every row.");
        return result;
    }
}
