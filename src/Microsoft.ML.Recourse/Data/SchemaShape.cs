using System.Collections;

namespace Microsoft.ML.Recourse.Data;

/// <summary>
/// The promised shape of a schema, used by <see cref="IEstimator{TTransformer}.GetOutputSchema(SchemaShape)"/> to
/// check a pipeline before any data is read.
/// </summary>
public sealed class SchemaShape : IReadOnlyList<SchemaShape.Column>
{
    private readonly Column[] _columns;

    /// <summary>Creates a shape from its columns. A later column with the same name replaces an earlier one.</summary>
    /// <param name="columns">The columns.</param>
    public SchemaShape(IEnumerable<Column> columns)
    {
        Contracts.CheckValue(columns, nameof(columns));
        var list = new List<Column>();
        foreach (var c in columns)
        {
            int existing = list.FindIndex(x => x.Name == c.Name);
            if (existing >= 0) list[existing] = c;
            else list.Add(c);
        }
        _columns = list.ToArray();
    }

    /// <summary>Creates the shape of an existing schema.</summary>
    /// <param name="schema">The schema.</param>
    public static SchemaShape Create(DataViewSchema schema)
    {
        Contracts.CheckValue(schema, nameof(schema));
        return new SchemaShape(schema.Select(c => c.Type switch
        {
            VectorDataViewType v => new Column(c.Name, VectorKind.Vector, v.ItemType, v.Size),
            var t => new Column(c.Name, VectorKind.Scalar, t, 0),
        }));
    }

    /// <summary>Gets the number of columns.</summary>
    public int Count => _columns.Length;

    /// <summary>Gets the column at <paramref name="index"/>.</summary>
    /// <param name="index">Zero-based index. Range: 0 ≤ index &lt; <see cref="Count"/>.</param>
    public Column this[int index] => _columns[index];

    /// <summary>Finds a column by name.</summary>
    /// <param name="name">The column name.</param>
    /// <param name="column">The column, when found.</param>
    /// <returns><see langword="true"/> when the shape has a column with that name.</returns>
    public bool TryFindColumn(string name, out Column column)
    {
        foreach (var c in _columns)
        {
            if (c.Name == name) { column = c; return true; }
        }
        column = default;
        return false;
    }

    /// <summary>Returns a new shape with <paramref name="columns"/> added (replacing same-named columns).</summary>
    /// <param name="columns">The columns to add.</param>
    public SchemaShape With(params Column[] columns) => new(_columns.Concat(columns));

    /// <inheritdoc/>
    public IEnumerator<Column> GetEnumerator() => ((IEnumerable<Column>)_columns).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>Whether a column holds one value or a vector per row.</summary>
    public enum VectorKind
    {
        /// <summary>One value per row.</summary>
        Scalar,

        /// <summary>A vector of known size per row.</summary>
        Vector,
    }

    /// <summary>The promised shape of one column.</summary>
    /// <param name="Name">The column name.</param>
    /// <param name="Kind">Scalar or vector.</param>
    /// <param name="ItemType">The type of the value (for vectors, of each item).</param>
    /// <param name="Size">For vectors, the known size, or 0 when the size is not known before data is seen.</param>
    public readonly record struct Column(string Name, VectorKind Kind, DataViewType ItemType, int Size)
    {
        /// <summary>Gets a readable type such as <c>Single</c> or <c>Vector&lt;Single, 12&gt;</c>.</summary>
        public string TypeDisplay => Kind == VectorKind.Scalar ? ItemType.ToString()!
            : Size > 0 ? $"Vector<{ItemType}, {Size}>" : $"Vector<{ItemType}>";

        /// <inheritdoc/>
        public override string ToString() => $"{Name}: {TypeDisplay}";
    }
}
