using Microsoft.ML.Data;

namespace Microsoft.ML.Recourse;

/// <summary>
/// An immutable, columnar <see cref="IDataView"/> over arrays the library already holds (data sets, evaluation rows).
/// ML.NET's own array-backed view is internal; <c>LoadFromEnumerable</c> needs a row class per schema.
/// </summary>
internal sealed class InMemoryDataView : IDataView
{
    // Per column: T[] for scalars (string[] for text), float[]/double[] row-major for known-size vectors.
    private readonly Array[] _values;
    private readonly int _rowCount;

    private InMemoryDataView(DataViewSchema schema, Array[] values, int rowCount)
    {
        Schema = schema;
        _values = values;
        _rowCount = rowCount;
    }

    public DataViewSchema Schema { get; }

    public bool CanShuffle => false;

    public long? GetRowCount() => _rowCount;

    public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null)
        => new Cursor(this, columnsNeeded);

    public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null)
        => [GetRowCursor(columnsNeeded, rand)];

    private sealed class Cursor : DataViewRowCursor
    {
        private readonly InMemoryDataView _parent;
        private readonly bool[] _active;
        private long _position = -1;

        public Cursor(InMemoryDataView parent, IEnumerable<DataViewSchema.Column> columnsNeeded)
        {
            _parent = parent;
            _active = new bool[parent.Schema.Count];
            foreach (var c in columnsNeeded) _active[c.Index] = true;
        }

        public override DataViewSchema Schema => _parent.Schema;

        public override long Position => _position;

        public override long Batch => 0;

        public override bool MoveNext()
        {
            if (_position + 1 >= _parent._rowCount)
            {
                _position = _parent._rowCount;
                return false;
            }
            _position++;
            return true;
        }

        public override ValueGetter<DataViewRowId> GetIdGetter()
            => (ref DataViewRowId id) => id = new DataViewRowId((ulong)_position, 0);

        public override bool IsColumnActive(DataViewSchema.Column column) => _active[column.Index];

        public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column)
        {
            Contracts.CheckParam(column.Index < _active.Length && _active[column.Index], nameof(column),
                $"Column '{column.Name}' was not requested when the cursor was created.");
            var values = _parent._values[column.Index];
            Delegate getter = (column.Type, values) switch
            {
                (VectorDataViewType v, float[] f) => VectorGetter(f, v.Size),
                (VectorDataViewType v, double[] f) => VectorGetter(f, v.Size),
                (TextDataViewType, string[] s) => (ValueGetter<ReadOnlyMemory<char>>)((ref ReadOnlyMemory<char> value) => value = s[Row].AsMemory()),
                (_, float[] f) => ScalarGetter(f),
                (_, double[] f) => ScalarGetter(f),
                (_, int[] f) => ScalarGetter(f),
                (_, long[] f) => ScalarGetter(f),
                (_, uint[] f) => ScalarGetter(f),
                (_, bool[] f) => ScalarGetter(f),
                _ => throw new InvalidOperationException($"Column '{column.Name}' holds {values.GetType().Name}."),
            };
            return getter as ValueGetter<TValue> ?? throw new InvalidOperationException(
                $"Invalid TValue in GetGetter: '{typeof(TValue)}', expected type: '{getter.GetType().GetGenericArguments()[0]}'.");
        }

        private int Row
        {
            get
            {
                Contracts.Check(_position >= 0 && _position < _parent._rowCount, "The cursor is not on a row.");
                return (int)_position;
            }
        }

        private ValueGetter<T> ScalarGetter<T>(T[] values) => (ref T value) => value = values[Row];

        private ValueGetter<VBuffer<T>> VectorGetter<T>(T[] values, int size) => (ref VBuffer<T> value) =>
        {
            var editor = VBufferEditor.Create(ref value, size);
            values.AsSpan(Row * size, size).CopyTo(editor.Values);
            value = editor.Commit();
        };
    }

    /// <summary>Builds an <see cref="InMemoryDataView"/> column by column; arrays passed in are owned by the view.</summary>
    internal sealed class Builder
    {
        private readonly DataViewSchema.Builder _schema = new();
        private readonly List<Array> _values = [];
        private readonly HashSet<string> _names = [];
        private int? _rowCount;

        public Builder AddScalar(string name, float[] values) => Add(name, NumberDataViewType.Single, values, values.Length);

        public Builder AddScalar(string name, double[] values) => Add(name, NumberDataViewType.Double, values, values.Length);

        public Builder AddScalar(string name, int[] values) => Add(name, NumberDataViewType.Int32, values, values.Length);

        public Builder AddScalar(string name, long[] values) => Add(name, NumberDataViewType.Int64, values, values.Length);

        public Builder AddScalar(string name, uint[] values) => Add(name, NumberDataViewType.UInt32, values, values.Length);

        public Builder AddScalar(string name, bool[] values) => Add(name, BooleanDataViewType.Instance, values, values.Length);

        public Builder AddScalar(string name, string[] values) => Add(name, TextDataViewType.Instance, values, values.Length);

        /// <summary>Adds a known-size float vector column from row-major values, with optional slot names.</summary>
        public Builder AddVector(string name, int size, float[] rowMajor, IReadOnlyList<string>? slotNames = null)
        {
            Contracts.CheckParam(size > 0 && rowMajor.Length % size == 0, nameof(rowMajor),
                $"Vector column '{name}' has {rowMajor.Length} values, which is not a multiple of its size {size}.");
            return Add(name, new VectorDataViewType(NumberDataViewType.Single, size), rowMajor, rowMajor.Length / size, slotNames);
        }

        public IDataView Build() => new InMemoryDataView(_schema.ToSchema(), _values.ToArray(), _rowCount ?? 0);

        private Builder Add(string name, DataViewType type, Array values, int rows, IReadOnlyList<string>? slotNames = null)
        {
            Contracts.CheckParam(_names.Add(name), nameof(name), $"Duplicate column name '{name}'.");
            if (_rowCount is int existing)
                Contracts.CheckParam(existing == rows, nameof(values), $"Column '{name}' has {rows} rows; the other columns have {existing}.");
            _rowCount = rows;
            _schema.AddColumn(name, type, slotNames is null ? null : SlotNames.Annotations(slotNames));
            _values.Add(values);
            return this;
        }
    }
}
