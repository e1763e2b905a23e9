using Microsoft.ML.Data;

namespace Microsoft.ML.Recourse;

/// <summary>A column a <see cref="RowMapper"/> adds.</summary>
/// <param name="Name">The column name; it hides a same-named input column, as ML.NET's transforms do.</param>
/// <param name="Type">The column type.</param>
/// <param name="Annotations">The column's annotations (e.g. slot names), or <see langword="null"/>.</param>
internal sealed record OutputColumn(string Name, DataViewType Type, DataViewSchema.Annotations? Annotations = null);

/// <summary>
/// Computes a transformer's added columns from the columns of an input row, bound to one input schema. The library's
/// transformers are built on it: ML.NET's row-to-row transformer bases are internal.
/// </summary>
internal abstract class RowMapper
{
    protected RowMapper(DataViewSchema inputSchema, IReadOnlyList<OutputColumn> outputs)
    {
        InputSchema = inputSchema;
        Outputs = outputs;
        var builder = new DataViewSchema.Builder();
        builder.AddColumns(inputSchema);
        foreach (var output in outputs) builder.AddColumn(output.Name, output.Type, output.Annotations);
        OutputSchema = builder.ToSchema();
    }

    public DataViewSchema InputSchema { get; }

    /// <summary>The input columns followed by <see cref="Outputs"/>.</summary>
    public DataViewSchema OutputSchema { get; }

    public IReadOnlyList<OutputColumn> Outputs { get; }

    /// <summary>The input columns needed to compute the active outputs.</summary>
    /// <param name="isOutputActive">Whether output <c>i</c> (an index into <see cref="Outputs"/>) is requested.</param>
    public abstract IEnumerable<DataViewSchema.Column> Dependencies(Func<int, bool> isOutputActive);

    /// <summary>Creates a getter for each active output (<see langword="null"/> for inactive ones).</summary>
    /// <param name="input">The input row; its dependencies are active.</param>
    /// <param name="isOutputActive">Whether output <c>i</c> is requested.</param>
    /// <param name="source">
    /// The whole input view when rows are read by a cursor in order (a mapper may then read ahead in blocks), or
    /// <see langword="null"/> when rows come one at a time (PredictionEngine, shuffled cursors).
    /// </param>
    /// <param name="disposer">Called once when the row or cursor is disposed, or <see langword="null"/>.</param>
    public abstract Delegate?[] CreateGetters(DataViewRow input, Func<int, bool> isOutputActive, IDataView? source, out Action? disposer);

    /// <summary>Wraps an input row: input columns pass through, outputs come from <see cref="CreateGetters"/>.</summary>
    public DataViewRow MapRow(DataViewRow input, IEnumerable<DataViewSchema.Column> activeColumns, IDataView? source)
        => new MappedRow(this, input, activeColumns, source);

    public DataViewRowCursor MapCursor(DataViewRowCursor input, IEnumerable<DataViewSchema.Column> activeColumns, IDataView? source)
        => new MappedCursor(this, input, activeColumns, source);

    /// <summary>Splits requested output-schema columns into the input columns to activate and the active outputs.</summary>
    public (DataViewSchema.Column[] Inputs, bool[] ActiveOutputs) Split(IEnumerable<DataViewSchema.Column> columns)
    {
        int n = InputSchema.Count;
        var activeOutputs = new bool[Outputs.Count];
        var inputs = new HashSet<int>();
        foreach (var c in columns)
        {
            if (c.Index < n) inputs.Add(c.Index);
            else activeOutputs[c.Index - n] = true;
        }
        foreach (var c in Dependencies(i => activeOutputs[i])) inputs.Add(c.Index);
        return (inputs.Order().Select(i => InputSchema[i]).ToArray(), activeOutputs);
    }

    private sealed class Getters
    {
        private readonly RowMapper _mapper;
        private readonly DataViewRow _input;
        private readonly bool[] _active;
        private readonly Delegate?[] _outputs;

        public Getters(RowMapper mapper, DataViewRow input, IEnumerable<DataViewSchema.Column> activeColumns, IDataView? source)
        {
            _mapper = mapper;
            _input = input;
            _active = new bool[mapper.OutputSchema.Count];
            foreach (var c in activeColumns) _active[c.Index] = true;
            int n = mapper.InputSchema.Count;
            _outputs = mapper.CreateGetters(input, i => _active[n + i], source, out _disposer);
        }

        private Action? _disposer;

        public void Dispose()
        {
            _disposer?.Invoke();
            _disposer = null;
        }

        public bool IsActive(DataViewSchema.Column column) => _active[column.Index];

        public ValueGetter<T> Get<T>(DataViewSchema.Column column)
        {
            int n = _mapper.InputSchema.Count;
            Contracts.CheckParam(column.Index < _active.Length && _active[column.Index], nameof(column),
                $"Column '{column.Name}' was not requested when the cursor was created.");
            if (column.Index < n) return _input.GetGetter<T>(_input.Schema[column.Index]);
            var getter = _outputs[column.Index - n] ?? throw new InvalidOperationException($"Column '{column.Name}' is not active.");
            return getter as ValueGetter<T> ?? throw new InvalidOperationException(
                $"Invalid TValue in GetGetter: '{typeof(T)}', expected type: '{column.Type.RawType}'.");
        }
    }

    private sealed class MappedRow(RowMapper mapper, DataViewRow input, IEnumerable<DataViewSchema.Column> activeColumns, IDataView? source) : DataViewRow
    {
        private readonly Getters _getters = new(mapper, input, activeColumns, source);

        public override DataViewSchema Schema => mapper.OutputSchema;

        public override long Position => input.Position;

        public override long Batch => input.Batch;

        public override ValueGetter<DataViewRowId> GetIdGetter() => input.GetIdGetter();

        public override bool IsColumnActive(DataViewSchema.Column column) => _getters.IsActive(column);

        public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column) => _getters.Get<TValue>(column);

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                _getters.Dispose();
                input.Dispose();
            }
            base.Dispose(disposing);
        }
    }

    private sealed class MappedCursor(RowMapper mapper, DataViewRowCursor input, IEnumerable<DataViewSchema.Column> activeColumns, IDataView? source) : DataViewRowCursor
    {
        private readonly Getters _getters = new(mapper, input, activeColumns, source);

        public override DataViewSchema Schema => mapper.OutputSchema;

        public override long Position => input.Position;

        public override long Batch => input.Batch;

        public override bool MoveNext() => input.MoveNext();

        public override ValueGetter<DataViewRowId> GetIdGetter() => input.GetIdGetter();

        public override bool IsColumnActive(DataViewSchema.Column column) => _getters.IsActive(column);

        public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column) => _getters.Get<TValue>(column);

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                _getters.Dispose();
                input.Dispose();
            }
            base.Dispose(disposing);
        }
    }
}

/// <summary>The lazy output of a library transformer: nothing is computed until a cursor asks for an added column.</summary>
internal sealed class MappedDataView(IDataView source, RowMapper mapper) : IDataView
{
    public DataViewSchema Schema => mapper.OutputSchema;

    public bool CanShuffle => source.CanShuffle;

    public long? GetRowCount() => source.GetRowCount();

    public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null)
    {
        var needed = columnsNeeded.ToArray();
        var (inputs, _) = mapper.Split(needed);
        // A shuffled cursor visits rows in an order a second cursor would not repeat, so no reading ahead then.
        return mapper.MapCursor(source.GetRowCursor(inputs, rand), needed, rand is null ? source : null);
    }

    public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null)
        => [GetRowCursor(columnsNeeded, rand)];
}

/// <summary>The <see cref="IRowToRowMapper"/> of a library transformer, which makes <c>PredictionEngine</c> work.</summary>
internal sealed class RowToRowMapper(RowMapper mapper) : IRowToRowMapper
{
    public DataViewSchema InputSchema => mapper.InputSchema;

    public DataViewSchema OutputSchema => mapper.OutputSchema;

    public IEnumerable<DataViewSchema.Column> GetDependencies(IEnumerable<DataViewSchema.Column> dependingColumns)
        => mapper.Split(dependingColumns).Inputs;

    public DataViewRow GetRow(DataViewRow input, IEnumerable<DataViewSchema.Column> activeColumns)
    {
        Contracts.CheckParam(input.Schema == mapper.InputSchema, nameof(input), "The row's schema is not the schema this mapper was created for.");
        return mapper.MapRow(input, activeColumns, source: null);
    }
}

/// <summary>Two row mappers in sequence (a model the transformer applies first, then the transformer's own columns).</summary>
internal sealed class ComposedRowToRowMapper(IRowToRowMapper first, IRowToRowMapper second) : IRowToRowMapper
{
    public DataViewSchema InputSchema => first.InputSchema;

    public DataViewSchema OutputSchema => second.OutputSchema;

    public IEnumerable<DataViewSchema.Column> GetDependencies(IEnumerable<DataViewSchema.Column> dependingColumns)
        => first.GetDependencies(second.GetDependencies(dependingColumns));

    public DataViewRow GetRow(DataViewRow input, IEnumerable<DataViewSchema.Column> activeColumns)
    {
        var active = activeColumns.ToArray();
        var middle = first.GetRow(input, second.GetDependencies(active));
        return second.GetRow(middle, active);
    }
}
