namespace Microsoft.ML.Recourse.Data;

/// <summary>
/// The type of a column in an <see cref="IDataView"/>. Mirrors ML.NET's <c>DataViewType</c> hierarchy:
/// <see cref="NumberDataViewType"/>, <see cref="BooleanDataViewType"/>, <see cref="TextDataViewType"/> and
/// <see cref="VectorDataViewType"/>.
/// </summary>
public abstract class DataViewType : IEquatable<DataViewType>
{
    private protected DataViewType(Type rawType) => RawType = rawType;

    /// <summary>Gets the .NET type of one value of this column type (for vectors, of one item).</summary>
    public Type RawType { get; }

    /// <inheritdoc/>
    public abstract bool Equals(DataViewType? other);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is DataViewType other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => RawType.GetHashCode();

    /// <summary>Gets ML.NET's display name of the type, such as <c>Single</c> or <c>Vector&lt;Single, 12&gt;</c>.</summary>
    public abstract override string ToString();
}

/// <summary>Scalar numeric column types.</summary>
public sealed class NumberDataViewType : DataViewType
{
    private readonly string _name;

    private NumberDataViewType(Type rawType, string name) : base(rawType) => _name = name;

    /// <summary>Gets the 32-bit floating point type, the type of features, scores and probabilities.</summary>
    public static NumberDataViewType Single { get; } = new(typeof(float), "Single");

    /// <summary>Gets the 64-bit floating point type.</summary>
    public static NumberDataViewType Double { get; } = new(typeof(double), "Double");

    /// <summary>Gets the 32-bit signed integer type.</summary>
    public static NumberDataViewType Int32 { get; } = new(typeof(int), "Int32");

    /// <inheritdoc/>
    public override bool Equals(DataViewType? other) => ReferenceEquals(this, other);

    /// <inheritdoc/>
    public override int GetHashCode() => RawType.GetHashCode();

    /// <inheritdoc/>
    public override string ToString() => _name;
}

/// <summary>The boolean column type, used for <c>Label</c>, <c>PredictedLabel</c> and <c>HasRecourse</c>.</summary>
public sealed class BooleanDataViewType : DataViewType
{
    private BooleanDataViewType() : base(typeof(bool)) { }

    /// <summary>Gets the single instance of the boolean type.</summary>
    public static BooleanDataViewType Instance { get; } = new();

    /// <inheritdoc/>
    public override bool Equals(DataViewType? other) => ReferenceEquals(this, other);

    /// <inheritdoc/>
    public override int GetHashCode() => RawType.GetHashCode();

    /// <inheritdoc/>
    public override string ToString() => "Boolean";
}

/// <summary>The text column type, used for group columns such as race or sex.</summary>
public sealed class TextDataViewType : DataViewType
{
    private TextDataViewType() : base(typeof(string)) { }

    /// <summary>Gets the single instance of the text type.</summary>
    public static TextDataViewType Instance { get; } = new();

    /// <inheritdoc/>
    public override bool Equals(DataViewType? other) => ReferenceEquals(this, other);

    /// <inheritdoc/>
    public override int GetHashCode() => RawType.GetHashCode();

    /// <inheritdoc/>
    public override string ToString() => "String";
}

/// <summary>A known-size vector of numbers, such as <c>Features</c> (a vector of <see cref="float"/>).</summary>
public sealed class VectorDataViewType : DataViewType
{
    /// <summary>Creates a known-size vector type.</summary>
    /// <param name="itemType">The type of each item. Must be <see cref="NumberDataViewType"/>.</param>
    /// <param name="size">The number of items. Range: size ≥ 1.</param>
    public VectorDataViewType(NumberDataViewType itemType, int size) : base(Contracts.CheckValue(itemType, nameof(itemType)).RawType)
    {
        Contracts.CheckParam(size > 0, nameof(size), "A vector column must have a known size of at least 1.");
        ItemType = itemType;
        Size = size;
    }

    /// <summary>Gets the type of each item.</summary>
    public NumberDataViewType ItemType { get; }

    /// <summary>Gets the number of items in each row.</summary>
    public int Size { get; }

    /// <inheritdoc/>
    public override bool Equals(DataViewType? other)
        => other is VectorDataViewType v && v.Size == Size && v.ItemType.Equals(ItemType);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(ItemType, Size);

    /// <inheritdoc/>
    public override string ToString() => $"Vector<{ItemType}, {Size}>";
}
