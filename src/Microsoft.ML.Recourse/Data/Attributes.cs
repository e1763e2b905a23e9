namespace Microsoft.ML.Recourse.Data;

/// <summary>Names the column a field or property maps to (as ML.NET's <c>ColumnNameAttribute</c>).</summary>
/// <param name="name">The column name.</param>
[AttributeUsage(AttributeTargets.Field | AttributeTargets.Property)]
public sealed class ColumnNameAttribute(string name) : Attribute
{
    /// <summary>Gets the column name.</summary>
    public string Name { get; } = name;
}

/// <summary>Declares that an array member is a known-size vector column (as ML.NET's <c>VectorTypeAttribute</c>).</summary>
/// <param name="size">The vector size. Range: size ≥ 1.</param>
[AttributeUsage(AttributeTargets.Field | AttributeTargets.Property)]
public sealed class VectorTypeAttribute(int size) : Attribute
{
    /// <summary>Gets the vector size.</summary>
    public int Size { get; } = size;
}

/// <summary>
/// Maps a member to a zero-based field (or an inclusive range of fields, for vectors) of a text file
/// (as ML.NET's <c>LoadColumnAttribute</c>).
/// </summary>
[AttributeUsage(AttributeTargets.Field | AttributeTargets.Property)]
public sealed class LoadColumnAttribute : Attribute
{
    /// <summary>Maps the member to one field.</summary>
    /// <param name="fieldIndex">The zero-based field index. Range: index ≥ 0.</param>
    public LoadColumnAttribute(int fieldIndex) : this(fieldIndex, fieldIndex) { }

    /// <summary>Maps a vector member to the fields <paramref name="start"/> … <paramref name="end"/> (inclusive).</summary>
    /// <param name="start">The first field. Range: start ≥ 0.</param>
    /// <param name="end">The last field. Range: end ≥ start.</param>
    public LoadColumnAttribute(int start, int end)
    {
        Start = start;
        End = end;
    }

    /// <summary>Gets the first field index.</summary>
    public int Start { get; }

    /// <summary>Gets the last field index (inclusive).</summary>
    public int End { get; }
}

/// <summary>Excludes a member from the columns of a data view.</summary>
[AttributeUsage(AttributeTargets.Field | AttributeTargets.Property)]
public sealed class NoColumnAttribute : Attribute
{
}
