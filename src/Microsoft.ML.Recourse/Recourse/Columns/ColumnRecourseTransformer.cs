using Microsoft.ML.Data;
using Microsoft.ML.Recourse.Actions;

namespace Microsoft.ML.Recourse;

/// <summary>
/// Attaches recourse on a model's raw columns to every row: <c>RecourseStatus</c> (<c>Accepted</c>, <c>Found</c>,
/// <c>Infeasible</c> or <c>NotFound</c>), <c>RecourseMethod</c>, <c>HasRecourse</c>, <c>RecourseCost</c>,
/// <c>RecourseScore</c> (the model's probability, or score, after the change), <c>RecourseChanges</c> (the changes as
/// text) and, for every column people act on, <c>Recourse.&lt;column&gt;</c>: the recommended value, of the column's
/// type (the row's own value when it does not change or there is no recourse). Created by fitting a
/// <see cref="ColumnRecourseEstimator"/>.
/// </summary>
/// <remarks>
/// <format type="text/markdown"><![CDATA[
/// ### Transformer Characteristics
/// | | |
/// | -- | -- |
/// | Input columns | the model's raw input columns, by name and type |
/// | Output columns | RecourseStatus, RecourseMethod, RecourseChanges: String; HasRecourse: Boolean; RecourseCost, RecourseScore: Single; Recourse.&lt;column&gt; of each column's type |
/// | Lazy | Yes: recourse is computed when a cursor asks for an added column, in blocks of rows |
/// | Row to row | Yes (works with PredictionEngine) |
/// | Saved by `mlContext.Model.Save` | No: it holds the user's whole model and is rebuilt from it in a few seconds; save the model itself |
/// ]]></format>
/// </remarks>
public sealed class ColumnRecourseTransformer : ITransformer
{
    private const int BlockRows = 256;
    private readonly RecourseEnvironment _environment;
    private readonly ColumnRecourseEngine _engine;

    internal ColumnRecourseTransformer(RecourseEnvironment environment, ColumnRecourseEngine engine, int optionCount)
    {
        _environment = environment;
        _engine = engine;
        OptionCount = optionCount;
    }

    /// <summary>The prefix of the columns holding recommended values: <c>Recourse.</c> followed by the column name.</summary>
    public const string RecommendedColumnPrefix = "Recourse.";

    /// <summary>Gets how many options <see cref="ExplainAll"/> returns per rejected row.</summary>
    public int OptionCount { get; }

    /// <summary>Gets the method used for rejected rows: <c>linear-mip</c> (exact) or <c>search</c>.</summary>
    public string Method => _engine.Method;

    /// <summary>Gets why no exact method applies to the model, or <see langword="null"/> when one does.</summary>
    public string? WhyNotExact => _engine.WhyNotExact;

    /// <summary>Gets the names of the columns people may change.</summary>
    public IReadOnlyList<string> MutableColumnNames => _engine.Space.MutableColumns.Select(c => c.Name).ToArray();

    /// <inheritdoc/>
    public bool IsRowToRowMapper => true;

    internal ColumnActionSpace Space => _engine.Space;

    internal static (string Name, DataViewType Type)[] FixedOutputs =>
    [
        (DefaultColumnNames.RecourseStatus, TextDataViewType.Instance),
        (RecourseMethodColumnName, TextDataViewType.Instance),
        (DefaultColumnNames.HasRecourse, BooleanDataViewType.Instance),
        (DefaultColumnNames.RecourseCost, NumberDataViewType.Single),
        (RecourseScoreColumnName, NumberDataViewType.Single),
        (RecourseChangesColumnName, TextDataViewType.Instance),
    ];

    internal const string RecourseMethodColumnName = "RecourseMethod";
    internal const string RecourseScoreColumnName = "RecourseScore";
    internal const string RecourseChangesColumnName = "RecourseChanges";

    internal static string RecommendedColumnName(string column) => RecommendedColumnPrefix + column;

    /// <summary>Recourse for every row of <paramref name="input"/>, with up to <see cref="OptionCount"/> options each.</summary>
    /// <param name="input">Rows with the model's raw input columns.</param>
    /// <param name="cancellationToken">Stops the work between rows.</param>
    public IReadOnlyList<ColumnRecourseResult> ExplainAll(IDataView input, CancellationToken cancellationToken = default)
    {
        Contracts.CheckValue(input, nameof(input));
        return _engine.Explain(RawRows.Read(input, Space.RawColumns, nameof(input)), OptionCount, cancellationToken);
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

    void ICanSaveModel.Save(ModelSaveContext ctx)
        => throw new NotSupportedException(
            "A ColumnRecourseTransformer holds the user's whole model, so it is not saved: save the model itself and, after loading it, " +
            "create recourse again with mlContext.Recourse().ExplainModel(model, …).Fit(trainingData).");

    private Mapper CreateMapper(DataViewSchema schema, string paramName)
    {
        var inputs = new DataViewSchema.Column[Space.RawColumns.Count];
        for (int i = 0; i < inputs.Length; i++)
        {
            var wanted = Space.RawColumns[i];
            var found = schema.GetColumnOrNull(wanted.Name);
            if (found is not { IsHidden: false }) throw Contracts.ExceptSchemaMismatch(paramName, "input", wanted.Name);
            if (!found.Value.Type.Equals(wanted.Type))
                throw Contracts.ExceptSchemaMismatch(paramName, "input", wanted.Name, wanted.Type.ToString()!, found.Value.Type.ToString()!);
            inputs[i] = found.Value;
        }
        return new Mapper(this, schema, inputs);
    }

    private sealed class Mapper(ColumnRecourseTransformer parent, DataViewSchema inputSchema, DataViewSchema.Column[] inputs)
        : RowMapper(inputSchema, OutputsOf(parent.Space))
    {
        private static OutputColumn[] OutputsOf(ColumnActionSpace space)
            => FixedOutputs.Select(o => new OutputColumn(o.Name, o.Type))
                .Concat(space.Columns.Select(c => new OutputColumn(RecommendedColumnName(c.Name), c.Type))).ToArray();

        public override IEnumerable<DataViewSchema.Column> Dependencies(Func<int, bool> isOutputActive)
            => Enumerable.Range(0, Outputs.Count).Any(isOutputActive) ? inputs : [];

        public override Delegate?[] CreateGetters(DataViewRow input, Func<int, bool> isOutputActive, IDataView? source, out Action? disposer)
        {
            disposer = null;
            var getters = new Delegate?[Outputs.Count];
            if (!Enumerable.Range(0, Outputs.Count).Any(isOutputActive)) return getters;
            var readers = inputs.Select(c => RawRows.Getter(input, c)).ToArray();
            DataViewRowCursor? ahead = null;
            Func<object?>[]? aheadReaders = null;
            var block = Array.Empty<(object?[] Row, ColumnRecourseResult Result)>();
            long blockStart = -1;
            (object?[] Row, ColumnRecourseResult Result) Current()
            {
                long position = input.Position;
                if (position < blockStart || position >= blockStart + block.Length)
                {
                    var rows = new List<object?[]>();
                    if (source is not null)
                    {
                        // A second cursor reads the block ahead, so one batch goes through the model and the solver.
                        if (ahead is null || ahead.Position >= position)
                        {
                            ahead?.Dispose();
                            ahead = source.GetRowCursor(inputs.Select(c => source.Schema[c.Index]));
                            aheadReaders = inputs.Select(c => RawRows.Getter(ahead, ahead.Schema[c.Index])).ToArray();
                        }
                        while (ahead.Position < position - 1 && ahead.MoveNext()) { }
                        while (rows.Count < BlockRows && ahead.MoveNext()) rows.Add(aheadReaders!.Select(g => g()).ToArray());
                        Contracts.Check(rows.Count > 0, FormattableString.Invariant(
                            $"The input view returned fewer rows to a second cursor than to the first (row {position}); recourse needs a view whose cursors see the same rows."));
                    }
                    else
                    {
                        rows.Add(readers.Select(g => g()).ToArray());
                    }
                    var results = parent._engine.Explain(rows, 1);
                    block = rows.Select((r, k) => (r, results[k])).ToArray();
                    blockStart = position;
                }
                return block[position - blockStart];
            }
            if (isOutputActive(0)) getters[0] = (ValueGetter<ReadOnlyMemory<char>>)((ref ReadOnlyMemory<char> value) => value = Current().Result.Status.ToString().AsMemory());
            if (isOutputActive(1)) getters[1] = (ValueGetter<ReadOnlyMemory<char>>)((ref ReadOnlyMemory<char> value) => value = Current().Result.Method.AsMemory());
            if (isOutputActive(2)) getters[2] = (ValueGetter<bool>)((ref bool value) => value = Current().Result.Status is ColumnRecourseStatus.Accepted or ColumnRecourseStatus.Found);
            if (isOutputActive(3)) getters[3] = (ValueGetter<float>)((ref float value) => value = Current().Result switch
            {
                { Status: ColumnRecourseStatus.Accepted } => 0,
                { Best: { } best } => (float)best.Cost,
                _ => float.NaN,
            });
            if (isOutputActive(4)) getters[4] = (ValueGetter<float>)((ref float value) => value = Current().Result switch
            {
                { Status: ColumnRecourseStatus.Accepted } r => (float)r.ScoreBefore,
                { Best: { } best } => (float)best.ScoreAfter,
                _ => float.NaN,
            });
            if (isOutputActive(5)) getters[5] = (ValueGetter<ReadOnlyMemory<char>>)((ref ReadOnlyMemory<char> value) =>
                value = (Current().Result.Best is { } best ? string.Join("; ", best.Changes) : "").AsMemory());
            var columns = parent.Space.Columns;
            for (int k = 0; k < columns.Count; k++)
            {
                if (!isOutputActive(FixedOutputs.Length + k)) continue;
                var column = columns[k];
                getters[FixedOutputs.Length + k] = RecommendedGetter(column, () =>
                {
                    var (row, result) = Current();
                    return result.Best?.Changes.FirstOrDefault(c => c.Column == column.Name)?.To ?? row[column.Index]!;
                });
            }
            disposer = () => ahead?.Dispose();
            return getters;
        }

        private static Delegate RecommendedGetter(ColumnSpace column, Func<object> value) => column.Type switch
        {
            TextDataViewType => (ValueGetter<ReadOnlyMemory<char>>)((ref ReadOnlyMemory<char> v) => v = ((string)value()).AsMemory()),
            BooleanDataViewType => (ValueGetter<bool>)((ref bool v) => v = (bool)value()),
            var t when t == NumberDataViewType.Single => (ValueGetter<float>)((ref float v) => v = (float)value()),
            var t when t == NumberDataViewType.Double => (ValueGetter<double>)((ref double v) => v = (double)value()),
            var t when t == NumberDataViewType.Int32 => (ValueGetter<int>)((ref int v) => v = (int)value()),
            var t when t == NumberDataViewType.Int64 => (ValueGetter<long>)((ref long v) => v = (long)value()),
            _ => (ValueGetter<uint>)((ref uint v) => v = (uint)value()),
        };
    }
}
