using System.Collections.Concurrent;
using Microsoft.ML.Data;

namespace Microsoft.ML.Recourse;

/// <summary>
/// Builds <see cref="SchemaShape"/> promises. ML.NET keeps <see cref="SchemaShape.Column"/>'s constructor internal, so a
/// column is obtained from the shape a stateless <c>CustomMapping</c> estimator promises for that name and type.
/// </summary>
internal static class SchemaShapes
{
    private static readonly MLContext Probe = new(seed: 0);
    private static readonly ConcurrentDictionary<(string Name, string Type), SchemaShape.Column> Cache = new();

    /// <summary>The shape of a column named <paramref name="name"/> of <paramref name="type"/>.</summary>
    public static SchemaShape.Column Column(string name, DataViewType type)
        => Cache.GetOrAdd((name, type.ToString()!), _ => type switch
        {
            VectorDataViewType { ItemType: NumberDataViewType n } when n == NumberDataViewType.Single => Make<VBuffer<float>>(name, type),
            NumberDataViewType n when n == NumberDataViewType.Single => Make<float>(name, type),
            NumberDataViewType n when n == NumberDataViewType.Double => Make<double>(name, type),
            NumberDataViewType n when n == NumberDataViewType.Int32 => Make<int>(name, type),
            BooleanDataViewType => Make<bool>(name, type),
            TextDataViewType => Make<ReadOnlyMemory<char>>(name, type),
            _ => throw new NotSupportedException($"No shape for column type {type}."),
        });

    /// <summary>
    /// The shape of the visible columns of <paramref name="schema"/> (ML.NET's <c>SchemaShape.Create</c> is internal):
    /// the library's estimators accept what it can express, scalars of Single, Double, Int32, Boolean and text and
    /// known-size vectors of Single.
    /// </summary>
    public static SchemaShape FromSchema(DataViewSchema schema)
        => new(schema.Where(c => !c.IsHidden).Select(c => Column(c.Name, c.Type)));

    /// <summary><paramref name="input"/> with <paramref name="outputs"/> added; an output replaces a same-named input column.</summary>
    public static SchemaShape With(SchemaShape input, params (string Name, DataViewType Type)[] outputs)
    {
        var columns = input.ToDictionary(c => c.Name);
        foreach (var (name, type) in outputs) columns[name] = Column(name, type);
        return new SchemaShape(columns.Values);
    }

    /// <summary>The column named <paramref name="name"/>, or <see langword="null"/> (ML.NET's <c>TryFindColumn</c> is internal).</summary>
    public static SchemaShape.Column? Find(SchemaShape shape, string name)
    {
        foreach (var column in shape)
            if (column.Name == name) return column;
        return null;
    }

    /// <summary>ML.NET's display of a shape column's type, e.g. <c>Vector&lt;Single&gt;</c>.</summary>
    public static string TypeDisplay(SchemaShape.Column column)
    {
        string item = column.IsKey ? $"Key<{column.ItemType}>" : column.ItemType.ToString()!;
        return column.Kind switch
        {
            SchemaShape.Column.VectorKind.Vector => $"Vector<{item}>",
            SchemaShape.Column.VectorKind.VariableVector => $"VarVector<{item}>",
            _ => item,
        };
    }

    private static SchemaShape.Column Make<T>(string name, DataViewType type)
    {
        var definition = SchemaDefinition.Create(typeof(ShapeProbe<T>));
        definition[0].ColumnName = name;
        definition[0].ColumnType = type;
        var estimator = Probe.Transforms.CustomMapping<ShapeProbeInput, ShapeProbe<T>>((_, _) => { }, contractName: null, outputSchemaDefinition: definition);
        return estimator.GetOutputSchema(new SchemaShape([])).Single(c => c.Name == name);
    }

    // Public members are what CustomMapping maps; the types themselves stay internal.
    internal sealed class ShapeProbeInput;

    internal sealed class ShapeProbe<T>
    {
        public T Value = default!;
    }
}
