namespace Microsoft.ML.Recourse.Data;

/// <summary>The in-memory, columnar <see cref="IDataView"/> that every component of the library produces.</summary>
internal sealed class InMemoryDataView : IDataView
{
    private readonly Array[] _values;

    internal InMemoryDataView(DataViewSchema schema, Array[] values, int rowCount)
    {
        Schema = schema;
        _values = values;
        RowCount = rowCount;
    }

    public DataViewSchema Schema { get; }

    public int RowCount { get; }

    public long? GetRowCount() => RowCount;

    public ReadOnlyMemory<T> GetColumnValues<T>(DataViewSchema.Column column)
    {
        var own = Schema.GetColumnOrNull(column.Name);
        Contracts.CheckParam(own is { } c && c.Index == column.Index && c.Type.Equals(column.Type), nameof(column),
            $"Column '{column.Name}' does not belong to this data view.");
        if (_values[column.Index] is not T[] typed)
            throw new InvalidOperationException(
                $"Column '{column.Name}' holds {column.Type.RawType.Name} values, not {typeof(T).Name}.");
        return typed;
    }

    internal Array GetRaw(int index) => _values[index];
}

/// <summary>
/// Builds an <see cref="IDataView"/> column by column. Arrays handed to the builder are copied, so the
/// resulting view is immutable.
/// </summary>
public sealed class DataViewBuilder
{
    private readonly List<(string Name, DataViewType Type, IReadOnlyList<string>? SlotNames, Array Values)> _columns = new();
    private int? _rowCount;

    /// <summary>Creates an empty builder.</summary>
    public DataViewBuilder() { }

    /// <summary>Starts from all columns of an existing view (shared, not copied).</summary>
    /// <param name="source">The view whose columns are kept.</param>
    public static DataViewBuilder From(IDataView source)
    {
        Contracts.CheckValue(source, nameof(source));
        var b = new DataViewBuilder();
        foreach (var c in source.Schema)
            b.AddShared(c.Name, c.Type, c.Annotations.SlotNames, GetArray(source, c), RowsOf(source));
        return b;
    }

    /// <summary>Adds a scalar <see cref="float"/> column.</summary>
    /// <param name="name">The column name.</param>
    /// <param name="values">One value per row.</param>
    public DataViewBuilder AddColumn(string name, IEnumerable<float> values)
        => AddShared(name, NumberDataViewType.Single, null, values.ToArray());

    /// <summary>Adds a scalar <see cref="double"/> column.</summary>
    /// <param name="name">The column name.</param>
    /// <param name="values">One value per row.</param>
    public DataViewBuilder AddColumn(string name, IEnumerable<double> values)
        => AddShared(name, NumberDataViewType.Double, null, values.ToArray());

    /// <summary>Adds a scalar <see cref="int"/> column.</summary>
    /// <param name="name">The column name.</param>
    /// <param name="values">One value per row.</param>
    public DataViewBuilder AddColumn(string name, IEnumerable<int> values)
        => AddShared(name, NumberDataViewType.Int32, null, values.ToArray());

    /// <summary>Adds a <see cref="bool"/> column.</summary>
    /// <param name="name">The column name.</param>
    /// <param name="values">One value per row.</param>
    public DataViewBuilder AddColumn(string name, IEnumerable<bool> values)
        => AddShared(name, BooleanDataViewType.Instance, null, values.ToArray());

    /// <summary>Adds a text column.</summary>
    /// <param name="name">The column name.</param>
    /// <param name="values">One value per row.</param>
    public DataViewBuilder AddColumn(string name, IEnumerable<string> values)
        => AddShared(name, TextDataViewType.Instance, null, values.ToArray());

    /// <summary>Adds a known-size vector column of <see cref="float"/> from row-major items.</summary>
    /// <param name="name">The column name.</param>
    /// <param name="size">The vector size. Range: size ≥ 1.</param>
    /// <param name="rowMajorValues">rows × <paramref name="size"/> items.</param>
    /// <param name="slotNames">Optional names of the items (for <c>Features</c>, the feature names).</param>
    public DataViewBuilder AddVectorColumn(string name, int size, IEnumerable<float> rowMajorValues, IReadOnlyList<string>? slotNames = null)
    {
        var type = new VectorDataViewType(NumberDataViewType.Single, size);
        var values = rowMajorValues.ToArray();
        Contracts.CheckParam(values.Length % size == 0, nameof(rowMajorValues),
            $"Vector column '{name}' has {values.Length} items, which is not a multiple of its size {size}.");
        return AddShared(name, type, CheckSlotNames(name, size, slotNames), values, values.Length / size);
    }

    /// <summary>Adds a known-size vector column of <see cref="float"/> from one array per row.</summary>
    /// <param name="name">The column name.</param>
    /// <param name="rows">One array per row; all must have the same length.</param>
    /// <param name="slotNames">Optional names of the items.</param>
    public DataViewBuilder AddVectorColumn(string name, IEnumerable<float[]> rows, IReadOnlyList<string>? slotNames = null)
    {
        var list = rows.ToList();
        Contracts.CheckParam(list.Count > 0 || slotNames is not null, nameof(rows),
            $"Cannot infer the size of vector column '{name}' from zero rows; pass slot names.");
        int size = list.Count > 0 ? list[0].Length : slotNames!.Count;
        var flat = new float[list.Count * size];
        for (int r = 0; r < list.Count; r++)
        {
            Contracts.CheckParam(list[r].Length == size, nameof(rows),
                $"Row {r} of vector column '{name}' has {list[r].Length} items; expected {size}.");
            list[r].CopyTo(flat, r * size);
        }
        return AddShared(name, new VectorDataViewType(NumberDataViewType.Single, size), CheckSlotNames(name, size, slotNames), flat, list.Count);
    }

    /// <summary>Builds the immutable view.</summary>
    public IDataView Build()
    {
        var schema = new DataViewSchema(_columns.Select(c => (c.Name, c.Type, c.SlotNames)));
        return new InMemoryDataView(schema, _columns.Select(c => c.Values).ToArray(), _rowCount ?? 0);
    }

    // Arrays passed here are owned by the view from now on.
    internal DataViewBuilder AddShared(string name, DataViewType type, IReadOnlyList<string>? slotNames, Array values, int? rows = null)
    {
        Contracts.CheckValue(name, nameof(name));
        Contracts.CheckParam(name.Length > 0, nameof(name), "A column name must not be empty.");
        int rowCount = rows ?? values.Length;
        if (_rowCount is int existing && existing != rowCount)
            throw new ArgumentOutOfRangeException(nameof(values),
                $"Column '{name}' has {rowCount} rows; the other columns have {existing}.");
        _rowCount = rowCount;
        int at = _columns.FindIndex(c => c.Name == name);
        var entry = (name, type, slotNames, values);
        if (at >= 0) _columns[at] = entry;
        else _columns.Add(entry);
        return this;
    }

    internal static Array GetArray(IDataView view, DataViewSchema.Column c)
    {
        if (view is InMemoryDataView mem) return mem.GetRaw(c.Index);
        return c.Type.RawType switch
        {
            var t when t == typeof(float) => view.GetColumnValues<float>(c).ToArray(),
            var t when t == typeof(double) => view.GetColumnValues<double>(c).ToArray(),
            var t when t == typeof(int) => view.GetColumnValues<int>(c).ToArray(),
            var t when t == typeof(bool) => view.GetColumnValues<bool>(c).ToArray(),
            var t when t == typeof(string) => view.GetColumnValues<string>(c).ToArray(),
            var t => throw new NotSupportedException($"Column type {t.Name} is not supported."),
        };
    }

    /// <summary>A zero-row view with <paramref name="schema"/>: transformers derive their output schema by transforming it.</summary>
    internal static IDataView Empty(DataViewSchema schema)
    {
        var b = new DataViewBuilder();
        foreach (var c in schema)
            b.AddShared(c.Name, c.Type, c.Annotations.SlotNames, Array.CreateInstance(c.Type.RawType, 0), 0);
        return b.Build();
    }

    internal static int RowsOf(IDataView view) => checked((int)(view.GetRowCount() ?? throw new InvalidOperationException("The data view does not know its row count.")));

    private static IReadOnlyList<string>? CheckSlotNames(string name, int size, IReadOnlyList<string>? slotNames)
    {
        if (slotNames is null) return null;
        Contracts.CheckParam(slotNames.Count == size, nameof(slotNames),
            $"Vector column '{name}' has size {size} but {slotNames.Count} slot names.");
        return slotNames.ToArray();
    }
}
