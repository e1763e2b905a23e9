namespace Microsoft.ML.Recourse.Data;

/// <summary>
/// An immutable, columnar table of data: the input and output of every estimator and transformer.
/// Transforms return new views that share the unchanged columns of their input.
/// </summary>
public interface IDataView
{
    /// <summary>Gets the schema: the names and types of the columns.</summary>
    DataViewSchema Schema { get; }

    /// <summary>Gets the number of rows, as ML.NET's <c>GetRowCount</c> (always known for in-memory views).</summary>
    long? GetRowCount();

    /// <summary>
    /// Gets the values of a column. Scalar columns give one value per row; vector columns give
    /// <c>rows × size</c> items in row-major order. <typeparamref name="T"/> must be the column's
    /// <see cref="DataViewType.RawType"/>.
    /// </summary>
    /// <typeparam name="T">The raw item type of the column.</typeparam>
    /// <param name="column">A column of <see cref="Schema"/>.</param>
    ReadOnlyMemory<T> GetColumnValues<T>(DataViewSchema.Column column);
}
