using System.Collections;

namespace Microsoft.ML.Recourse.Data;

/// <summary>
/// The immutable schema of an <see cref="IDataView"/>: an ordered list of named, typed columns.
/// Column names are unique; a transform that produces a column whose name already exists replaces it.
/// </summary>
public sealed class DataViewSchema : IReadOnlyList<DataViewSchema.Column>
{
    private readonly Column[] _columns;
    private readonly Dictionary<string, int> _byName;

    internal DataViewSchema(IEnumerable<(string Name, DataViewType Type, IReadOnlyList<string>? SlotNames)> columns)
    {
        var list = new List<Column>();
        _byName = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var (name, type, slotNames) in columns)
        {
            if (_byName.ContainsKey(name))
                throw new ArgumentException($"Duplicate column name '{name}'.", nameof(columns));
            _byName[name] = list.Count;
            list.Add(new Column(name, list.Count, type, new Annotations(slotNames)));
        }
        _columns = list.ToArray();
    }

    /// <summary>Gets the number of columns.</summary>
    public int Count => _columns.Length;

    /// <summary>Gets the column at <paramref name="columnIndex"/>.</summary>
    /// <param name="columnIndex">The zero-based column index. Range: 0 ≤ index &lt; <see cref="Count"/>.</param>
    public Column this[int columnIndex] => _columns[columnIndex];

    /// <summary>Gets the column named <paramref name="name"/>.</summary>
    /// <param name="name">The column name.</param>
    /// <exception cref="ArgumentOutOfRangeException">No column has that name.</exception>
    public Column this[string name]
        => GetColumnOrNull(name) ?? throw new ArgumentOutOfRangeException(nameof(name), $"Column '{name}' not found");

    /// <summary>Gets the column named <paramref name="name"/>, or <see langword="null"/> when there is none.</summary>
    /// <param name="name">The column name.</param>
    public Column? GetColumnOrNull(string name)
        => _byName.TryGetValue(name, out int i) ? _columns[i] : null;

    /// <inheritdoc/>
    public IEnumerator<Column> GetEnumerator() => ((IEnumerable<Column>)_columns).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>Converts this schema into the shape used for estimator-side schema propagation.</summary>
    public SchemaShape ToShape() => SchemaShape.Create(this);

    /// <inheritdoc/>
    public override string ToString() => string.Join(", ", _columns.Select(c => $"{c.Name}: {c.Type}"));

    /// <summary>One column of a schema.</summary>
    public readonly struct Column
    {
        internal Column(string name, int index, DataViewType type, Annotations annotations)
        {
            Name = name;
            Index = index;
            Type = type;
            Annotations = annotations;
        }

        /// <summary>Gets the column name.</summary>
        public string Name { get; }

        /// <summary>Gets the zero-based position of the column in its schema.</summary>
        public int Index { get; }

        /// <summary>Gets the column type.</summary>
        public DataViewType Type { get; }

        /// <summary>Gets the annotations attached to the column (for vectors, the slot names).</summary>
        public Annotations Annotations { get; }

        /// <inheritdoc/>
        public override string ToString() => $"{Name} ({Type})";
    }

    /// <summary>Extra information attached to a column, as ML.NET's annotations.</summary>
    public sealed class Annotations
    {
        internal Annotations(IReadOnlyList<string>? slotNames) => SlotNames = slotNames;

        /// <summary>
        /// Gets the names of the items of a vector column (for <c>Features</c>, the feature names), or
        /// <see langword="null"/> when the column has none.
        /// </summary>
        public IReadOnlyList<string>? SlotNames { get; }
    }
}
