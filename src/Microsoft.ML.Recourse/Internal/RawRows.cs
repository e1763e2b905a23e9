using System.Globalization;
using Microsoft.ML.Data;

namespace Microsoft.ML.Recourse;

/// <summary>
/// A model's raw input rows as values: one <see cref="object"/> per visible input column, a <see cref="float"/>,
/// <see cref="double"/>, <see cref="int"/>, <see cref="long"/>, <see cref="uint"/>, <see cref="bool"/> or
/// <see cref="string"/> for scalars and a <see cref="float"/>[] for a known-size vector of Single. Recourse over raw
/// columns reads people's rows this way and builds candidate rows to score with the model.
/// </summary>
internal static class RawRows
{
    /// <summary>The visible columns of a model's input schema, in order: the positions of a raw row.</summary>
    public static IReadOnlyList<DataViewSchema.Column> Columns(DataViewSchema inputSchema)
        => inputSchema.Where(c => !c.IsHidden).ToArray();

    public static bool IsNumeric(DataViewType type) => type is NumberDataViewType n
        && (n == NumberDataViewType.Single || n == NumberDataViewType.Double || n == NumberDataViewType.Int32 || n == NumberDataViewType.Int64 || n == NumberDataViewType.UInt32);

    /// <summary>Whether a raw row can hold a value of the type.</summary>
    public static bool IsSupported(DataViewType type) => IsNumeric(type) || type is TextDataViewType or BooleanDataViewType
        || type is VectorDataViewType { IsKnownSize: true, ItemType: NumberDataViewType i } && i == NumberDataViewType.Single;

    /// <summary>Whether <paramref name="value"/> is a raw value of a column of type <paramref name="type"/>.</summary>
    public static bool Holds(DataViewType type, object? value) => (type, value) switch
    {
        (VectorDataViewType v, float[] f) => IsSupported(v) && f.Length == v.Size,
        (TextDataViewType, string) or (BooleanDataViewType, bool) => true,
        (_, float) => type == NumberDataViewType.Single,
        (_, double) => type == NumberDataViewType.Double,
        (_, int) => type == NumberDataViewType.Int32,
        (_, long) => type == NumberDataViewType.Int64,
        (_, uint) => type == NumberDataViewType.UInt32,
        _ => false,
    };

    /// <summary>
    /// Reads <paramref name="data"/> into raw rows over <paramref name="columns"/> (the model's input columns), matching
    /// by name; a missing column or one of another type is an error naming it.
    /// </summary>
    public static List<object?[]> Read(IDataView data, IReadOnlyList<DataViewSchema.Column> columns, string paramName = "data")
    {
        var sources = new DataViewSchema.Column[columns.Count];
        for (int i = 0; i < columns.Count; i++)
        {
            var wanted = columns[i];
            if (!IsSupported(wanted.Type))
                throw new ArgumentOutOfRangeException(paramName, $"The model's input column '{wanted.Name}' is {wanted.Type}, which recourse over raw columns cannot read.");
            var found = data.Schema.GetColumnOrNull(wanted.Name);
            if (found is not { IsHidden: false })
                throw Contracts.ExceptSchemaMismatch(paramName, "input", wanted.Name);
            if (!found.Value.Type.Equals(wanted.Type))
                throw Contracts.ExceptSchemaMismatch(paramName, "input", wanted.Name, wanted.Type.ToString()!, found.Value.Type.ToString()!);
            sources[i] = found.Value;
        }
        var rows = new List<object?[]>();
        using var cursor = data.GetRowCursor(sources);
        var getters = sources.Select(c => Getter(cursor, c)).ToArray();
        while (cursor.MoveNext())
            rows.Add(getters.Select(g => g()).ToArray());
        return rows;
    }

    /// <summary>Every value of one column.</summary>
    public static object?[] ReadColumn(IDataView data, DataViewSchema.Column column)
    {
        var values = new List<object?>();
        using var cursor = data.GetRowCursor([column]);
        var getter = Getter(cursor, column);
        while (cursor.MoveNext()) values.Add(getter());
        return values.ToArray();
    }

    /// <summary>An in-memory view over raw rows with the schema of <paramref name="columns"/> (slot names of vectors kept).</summary>
    public static IDataView ToView(IReadOnlyList<DataViewSchema.Column> columns, IReadOnlyList<object?[]> rows)
    {
        var builder = new InMemoryDataView.Builder();
        for (int i = 0; i < columns.Count; i++)
        {
            var c = columns[i];
            int k = i;
            switch (c.Type)
            {
                case VectorDataViewType v:
                    builder.AddVector(c.Name, v.Size, rows.SelectMany(r => (float[])r[k]!).ToArray(), SlotNames.Of(c));
                    break;
                case TextDataViewType: builder.AddScalar(c.Name, rows.Select(r => (string)r[k]!).ToArray()); break;
                case BooleanDataViewType: builder.AddScalar(c.Name, rows.Select(r => (bool)r[k]!).ToArray()); break;
                case var t when t == NumberDataViewType.Single: builder.AddScalar(c.Name, rows.Select(r => (float)r[k]!).ToArray()); break;
                case var t when t == NumberDataViewType.Double: builder.AddScalar(c.Name, rows.Select(r => (double)r[k]!).ToArray()); break;
                case var t when t == NumberDataViewType.Int32: builder.AddScalar(c.Name, rows.Select(r => (int)r[k]!).ToArray()); break;
                case var t when t == NumberDataViewType.Int64: builder.AddScalar(c.Name, rows.Select(r => (long)r[k]!).ToArray()); break;
                case var t when t == NumberDataViewType.UInt32: builder.AddScalar(c.Name, rows.Select(r => (uint)r[k]!).ToArray()); break;
                default: throw new ArgumentOutOfRangeException(nameof(columns), $"Column '{c.Name}' is {c.Type}, which a raw row cannot hold.");
            }
        }
        return builder.Build();
    }

    public static double ToDouble(object value) => value switch
    {
        float f => f,
        double d => d,
        int i => i,
        long l => l,
        uint u => u,
        _ => throw new InvalidOperationException($"A {value.GetType().Name} is not a number."),
    };

    /// <summary>A number as a value of the column's type (rounded to it).</summary>
    // Each arm is cast to object: otherwise the arms meet at their best common type, double, and that is what gets boxed.
    public static object FromDouble(DataViewType type, double value) => type switch
    {
        var t when t == NumberDataViewType.Single => (object)(float)value,
        var t when t == NumberDataViewType.Double => (object)value,
        var t when t == NumberDataViewType.Int32 => (object)checked((int)Math.Round(value)),
        var t when t == NumberDataViewType.Int64 => (object)checked((long)Math.Round(value)),
        var t when t == NumberDataViewType.UInt32 => (object)checked((uint)Math.Round(value)),
        _ => throw new InvalidOperationException($"{type} is not a number type."),
    };

    /// <summary>Whether two raw values are the same (NaN equals NaN; vectors element-wise).</summary>
    public static bool SameValue(object? a, object? b) => (a, b) switch
    {
        (float[] x, float[] y) => x.AsSpan().SequenceEqual(y),
        (null, null) => true,
        (null, _) or (_, null) => false,
        _ => a.Equals(b),
    };

    /// <summary>A raw value as it would be written in a CSV file (numbers round-trip exactly).</summary>
    public static string Format(object? value) => value switch
    {
        null => "",
        float f => float.IsNaN(f) ? "" : f.ToString("R", CultureInfo.InvariantCulture),
        double d => double.IsNaN(d) ? "" : d.ToString("R", CultureInfo.InvariantCulture),
        bool b => b ? "true" : "false",
        float[] v => string.Join(" ", v.Select(x => x.ToString("R", CultureInfo.InvariantCulture))),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    /// <summary>A getter of one column's raw value on a row or cursor.</summary>
    public static Func<object?> Getter(DataViewRow cursor, DataViewSchema.Column column)
    {
        switch (column.Type)
        {
            case VectorDataViewType { IsKnownSize: true, ItemType: NumberDataViewType i } v when i == NumberDataViewType.Single:
            {
                var getter = cursor.GetGetter<VBuffer<float>>(column);
                VBuffer<float> buffer = default;
                return () =>
                {
                    getter(ref buffer);
                    var dense = new float[v.Size];
                    buffer.CopyTo(dense);
                    return dense;
                };
            }
            case TextDataViewType:
            {
                var getter = cursor.GetGetter<ReadOnlyMemory<char>>(column);
                ReadOnlyMemory<char> value = default;
                return () =>
                {
                    getter(ref value);
                    return value.ToString();
                };
            }
            case BooleanDataViewType: return Scalar<bool>(cursor, column);
            case var t when t == NumberDataViewType.Single: return Scalar<float>(cursor, column);
            case var t when t == NumberDataViewType.Double: return Scalar<double>(cursor, column);
            case var t when t == NumberDataViewType.Int32: return Scalar<int>(cursor, column);
            case var t when t == NumberDataViewType.Int64: return Scalar<long>(cursor, column);
            case var t when t == NumberDataViewType.UInt32: return Scalar<uint>(cursor, column);
            default: throw new ArgumentOutOfRangeException(nameof(column), $"Column '{column.Name}' is {column.Type}, which a raw row cannot hold.");
        }
    }

    private static Func<object?> Scalar<T>(DataViewRow cursor, DataViewSchema.Column column)
    {
        var getter = cursor.GetGetter<T>(column);
        T value = default!;
        return () =>
        {
            getter(ref value);
            return value;
        };
    }
}
