using Microsoft.ML.Data;

namespace Microsoft.ML.Recourse;

/// <summary>
/// Schema checks with ML.NET's exception types and wording, and validated reads of whole columns through cursors.
/// Shapes (<see cref="SchemaShape"/>) carry no vector sizes, so sizes are checked on real schemas only.
/// </summary>
internal static class ColumnChecks
{
    /// <summary>Checks a shape has a known-size vector of <see cref="float"/> named <paramref name="name"/>.</summary>
    public static void CheckFeatureShape(SchemaShape shape, string name, string paramName = "inputSchema")
    {
        var col = SchemaShapes.Find(shape, name) ?? throw Contracts.ExceptSchemaMismatch(paramName, "feature", name);
        if (col.Kind != SchemaShape.Column.VectorKind.Vector || col.IsKey || col.ItemType != NumberDataViewType.Single)
            throw Contracts.ExceptSchemaMismatch(paramName, "feature", name, "Vector<Single>", SchemaShapes.TypeDisplay(col));
    }

    /// <summary>Checks a shape has a scalar column <paramref name="name"/> of <paramref name="type"/>.</summary>
    public static void CheckScalarShape(SchemaShape shape, string role, string name, DataViewType type, string paramName = "inputSchema")
    {
        var col = SchemaShapes.Find(shape, name) ?? throw Contracts.ExceptSchemaMismatch(paramName, role, name);
        if (col.Kind != SchemaShape.Column.VectorKind.Scalar || col.IsKey || !col.ItemType.Equals(type))
            throw Contracts.ExceptSchemaMismatch(paramName, role, name, type.ToString()!, SchemaShapes.TypeDisplay(col));
    }

    /// <summary>Finds the feature column in a real schema and checks it is a float vector of <paramref name="expectedSize"/> (0: any known size).</summary>
    public static DataViewSchema.Column CheckFeatureColumn(DataViewSchema schema, string name, int expectedSize, string paramName = "inputSchema")
    {
        var col = schema.GetColumnOrNull(name) ?? throw Contracts.ExceptSchemaMismatch(paramName, "feature", name);
        if (col.Type is not VectorDataViewType { IsKnownSize: true } v || v.ItemType != NumberDataViewType.Single || (expectedSize > 0 && v.Size != expectedSize))
            throw Contracts.ExceptSchemaMismatch(paramName, "feature", name,
                expectedSize > 0 ? $"Vector<Single, {expectedSize}>" : "Vector<Single>", col.Type.ToString()!);
        return col;
    }

    /// <summary>Finds a scalar column in a real schema and checks its type.</summary>
    public static DataViewSchema.Column CheckScalarColumn(DataViewSchema schema, string role, string name, DataViewType type, string paramName = "inputSchema")
    {
        var col = schema.GetColumnOrNull(name) ?? throw Contracts.ExceptSchemaMismatch(paramName, role, name);
        if (!col.Type.Equals(type))
            throw Contracts.ExceptSchemaMismatch(paramName, role, name, type.ToString()!, col.Type.ToString()!);
        return col;
    }

    /// <summary>
    /// Reads a feature column into a row-major <see cref="double"/> matrix, rejecting NaN and infinite values with an
    /// error that names the column, the row and the slot.
    /// </summary>
    public static double[] ReadFeatures(IDataView data, DataViewSchema.Column column, string paramName = "input")
    {
        int size = ((VectorDataViewType)column.Type).Size;
        var result = new double[size * Math.Max(1, (int)Math.Min(data.GetRowCount() ?? 1024, int.MaxValue / Math.Max(1, size)))];
        var buffer = default(VBuffer<float>);
        using var cursor = data.GetRowCursor([column]);
        var getter = cursor.GetGetter<VBuffer<float>>(column);
        int row = 0;
        while (cursor.MoveNext())
        {
            getter(ref buffer);
            if ((row + 1) * size > result.Length) Array.Resize(ref result, Math.Max(result.Length * 2, (row + 1) * size));
            var target = result.AsSpan(row * size, size);
            target.Clear();
            var values = buffer.GetValues();
            var indices = buffer.GetIndices();
            for (int k = 0; k < values.Length; k++)
            {
                int slot = buffer.IsDense ? k : indices[k];
                float value = values[k];
                if (!float.IsFinite(value))
                {
                    string slotName = SlotNames.Of(column) is { } names ? $" ('{names[slot]}')" : "";
                    throw new ArgumentOutOfRangeException(paramName, FormattableString.Invariant(
                        $"Column '{column.Name}' has a non-finite value ({value}) in row {row}, slot {slot}{slotName}."));
                }
                target[slot] = value;
            }
            row++;
        }
        return result.Length == row * size ? result : result[..(row * size)];
    }

    /// <summary>Rejects a row with a NaN or infinite feature, naming the column, the row and the slot.</summary>
    public static void CheckFinite(ReadOnlySpan<float> row, DataViewSchema.Column column, long position, string paramName = "input")
    {
        for (int j = 0; j < row.Length; j++)
        {
            if (float.IsFinite(row[j])) continue;
            string slotName = SlotNames.Of(column) is { } names ? $" ('{names[j]}')" : "";
            throw new ArgumentOutOfRangeException(paramName, FormattableString.Invariant(
                $"Column '{column.Name}' has a non-finite value ({row[j]}) in row {position}, slot {j}{slotName}."));
        }
    }

    /// <summary>Reads a scalar column whose raw type is <typeparamref name="T"/>.</summary>
    public static T[] ReadScalars<T>(IDataView data, DataViewSchema.Column column)
    {
        var result = new List<T>();
        using var cursor = data.GetRowCursor([column]);
        var getter = cursor.GetGetter<T>(column);
        T value = default!;
        while (cursor.MoveNext())
        {
            getter(ref value);
            result.Add(value);
        }
        return result.ToArray();
    }

    /// <summary>Reads a text column as strings.</summary>
    public static string[] ReadText(IDataView data, DataViewSchema.Column column)
        => ReadScalars<ReadOnlyMemory<char>>(data, column).Select(m => m.ToString()).ToArray();

    /// <summary>Reads a boolean label column.</summary>
    public static bool[] ReadLabels(IDataView data, DataViewSchema.Column column) => ReadScalars<bool>(data, column);

    /// <summary>Checks training data is non-empty and has both label values.</summary>
    public static void CheckTrainingLabels(bool[] labels, string labelColumnName)
    {
        Contracts.Check(labels.Length > 0, "The training data is empty: there are no rows to train on.");
        int positives = labels.Count(l => l);
        Contracts.Check(positives > 0 && positives < labels.Length,
            $"The label column '{labelColumnName}' has only one class ({(positives > 0 ? "all true" : "all false")}); a binary classifier needs rows of both classes.");
    }
}

/// <summary>Small helpers over ML.NET's <see cref="IDataView"/>.</summary>
internal static class DataViews
{
    /// <summary>The number of rows: the view's own count when it knows it, else counted with a cursor.</summary>
    public static int RowCount(IDataView data)
    {
        if (data.GetRowCount() is long known) return checked((int)known);
        using var cursor = data.GetRowCursor([]);
        int count = 0;
        while (cursor.MoveNext()) count++;
        return count;
    }
}
