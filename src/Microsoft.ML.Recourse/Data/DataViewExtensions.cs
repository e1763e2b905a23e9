namespace Microsoft.ML.Recourse.Data;

/// <summary>Convenience readers for <see cref="IDataView"/>, as ML.NET's <c>ColumnCursorExtensions</c>.</summary>
public static class DataViewExtensions
{
    /// <summary>
    /// Reads one column as a sequence of values. For vector columns use <typeparamref name="T"/> =
    /// <see cref="float"/>[]; each row gets its own array.
    /// </summary>
    /// <typeparam name="T">The value type of the column (or <see cref="float"/>[] for vectors).</typeparam>
    /// <param name="data">The data view.</param>
    /// <param name="columnName">The column name.</param>
    public static IEnumerable<T> GetColumn<T>(this IDataView data, string columnName)
    {
        Contracts.CheckValue(data, nameof(data));
        Contracts.CheckValue(columnName, nameof(columnName));
        var col = data.Schema.GetColumnOrNull(columnName) ?? throw Contracts.ExceptSchemaMismatch(nameof(columnName), "input", columnName);
        if (col.Type is VectorDataViewType v)
        {
            if (typeof(T) != typeof(float[]))
                throw Contracts.ExceptSchemaMismatch(nameof(columnName), "input", columnName, typeof(T).Name, col.Type.ToString());
            var values = data.GetColumnValues<float>(col);
            return Enumerable.Range(0, values.Length / v.Size).Select(r => (T)(object)values.Span.Slice(r * v.Size, v.Size).ToArray());
        }
        if (typeof(T) != col.Type.RawType)
            throw Contracts.ExceptSchemaMismatch(nameof(columnName), "input", columnName, typeof(T).Name, col.Type.ToString());
        return data.GetColumnValues<T>(col).ToArray();
    }

    /// <summary>Gets the number of rows of an in-memory view.</summary>
    /// <param name="data">The data view.</param>
    public static int RowCount(this IDataView data) => DataViewBuilder.RowsOf(Contracts.CheckValue(data, nameof(data)));
}

/// <summary>Schema checks and validated reads of the feature and label columns shared by every component.</summary>
internal static class ColumnChecks
{
    /// <summary>Checks a shape has a known-size float vector column <paramref name="name"/> (size checked when known on both sides).</summary>
    public static void CheckFeatureShape(SchemaShape shape, string name, int expectedSize, string paramName = "inputSchema")
    {
        if (!shape.TryFindColumn(name, out var col)) throw Contracts.ExceptSchemaMismatch(paramName, "feature", name);
        bool ok = col.Kind == SchemaShape.VectorKind.Vector && col.ItemType.Equals(NumberDataViewType.Single)
                  && (expectedSize <= 0 || col.Size <= 0 || col.Size == expectedSize);
        if (!ok)
            throw Contracts.ExceptSchemaMismatch(paramName, "feature", name, ExpectedVector(expectedSize), col.TypeDisplay);
    }

    /// <summary>Checks a shape has a scalar column <paramref name="name"/> of <paramref name="type"/>.</summary>
    public static void CheckScalarShape(SchemaShape shape, string role, string name, DataViewType type, string paramName = "inputSchema")
    {
        if (!shape.TryFindColumn(name, out var col)) throw Contracts.ExceptSchemaMismatch(paramName, role, name);
        if (col.Kind != SchemaShape.VectorKind.Scalar || !col.ItemType.Equals(type))
            throw Contracts.ExceptSchemaMismatch(paramName, role, name, type.ToString(), col.TypeDisplay);
    }

    /// <summary>Finds the feature column in a real schema and checks its type and size.</summary>
    public static DataViewSchema.Column CheckFeatureColumn(DataViewSchema schema, string name, int expectedSize, string paramName = "inputSchema")
    {
        var col = schema.GetColumnOrNull(name) ?? throw Contracts.ExceptSchemaMismatch(paramName, "feature", name);
        if (col.Type is not VectorDataViewType v || !v.ItemType.Equals(NumberDataViewType.Single) || (expectedSize > 0 && v.Size != expectedSize))
            throw Contracts.ExceptSchemaMismatch(paramName, "feature", name, ExpectedVector(expectedSize), col.Type.ToString());
        return col;
    }

    /// <summary>Finds a scalar column in a real schema and checks its type.</summary>
    public static DataViewSchema.Column CheckScalarColumn(DataViewSchema schema, string role, string name, DataViewType type, string paramName = "inputSchema")
    {
        var col = schema.GetColumnOrNull(name) ?? throw Contracts.ExceptSchemaMismatch(paramName, role, name);
        if (!col.Type.Equals(type))
            throw Contracts.ExceptSchemaMismatch(paramName, role, name, type.ToString(), col.Type.ToString());
        return col;
    }

    /// <summary>
    /// Reads a feature column into a row-major <see cref="double"/> matrix, rejecting NaN and infinite values with
    /// an error that names the column, the row and the slot.
    /// </summary>
    public static double[] ReadFeatures(IDataView data, DataViewSchema.Column column, string paramName = "input")
    {
        int size = ((VectorDataViewType)column.Type).Size;
        var span = data.GetColumnValues<float>(column).Span;
        var result = new double[span.Length];
        for (int i = 0; i < span.Length; i++)
        {
            float value = span[i];
            if (!float.IsFinite(value))
            {
                int row = i / size, slot = i % size;
                string slotName = column.Annotations.SlotNames is { } names ? $" ('{names[slot]}')" : "";
                throw new ArgumentOutOfRangeException(paramName, FormattableString.Invariant(
                    $"Column '{column.Name}' has a non-finite value ({value}) in row {row}, slot {slot}{slotName}."));
            }
            result[i] = value;
        }
        return result;
    }

    /// <summary>Reads a boolean label column.</summary>
    public static bool[] ReadLabels(IDataView data, DataViewSchema.Column column) => data.GetColumnValues<bool>(column).ToArray();

    /// <summary>Checks training data is non-empty and has both label values.</summary>
    public static void CheckTrainingLabels(bool[] labels, string labelColumnName)
    {
        Contracts.Check(labels.Length > 0, "The training data is empty: there are no rows to train on.");
        int positives = labels.Count(l => l);
        Contracts.Check(positives > 0 && positives < labels.Length,
            $"The label column '{labelColumnName}' has only one class ({(positives > 0 ? "all true" : "all false")}); a binary classifier needs rows of both classes.");
    }

    private static string ExpectedVector(int size) => size > 0 ? $"Vector<Single, {size}>" : "Vector<Single>";
}
