using Microsoft.ML.Data;

namespace Microsoft.ML.Recourse;

/// <summary>Reads and writes ML.NET's <c>SlotNames</c> annotation of vector columns.</summary>
internal static class SlotNames
{
    /// <summary>Annotations holding <paramref name="names"/> as slot names.</summary>
    public static DataViewSchema.Annotations Annotations(IReadOnlyList<string> names)
    {
        var copy = names.ToArray();
        var builder = new DataViewSchema.Annotations.Builder();
        builder.Add("SlotNames", new VectorDataViewType(TextDataViewType.Instance, copy.Length), (ValueGetter<VBuffer<ReadOnlyMemory<char>>>)((ref VBuffer<ReadOnlyMemory<char>> value) =>
        {
            var editor = VBufferEditor.Create(ref value, copy.Length);
            for (int i = 0; i < copy.Length; i++) editor.Values[i] = copy[i].AsMemory();
            value = editor.Commit();
        }));
        return builder.ToAnnotations();
    }

    /// <summary>The slot names of a vector column, or <see langword="null"/> when it has none.</summary>
    public static IReadOnlyList<string>? Of(DataViewSchema.Column column)
    {
        if (column.Type is not VectorDataViewType { IsKnownSize: true } vector || !column.HasSlotNames()) return null;
        var names = default(VBuffer<ReadOnlyMemory<char>>);
        column.GetSlotNames(ref names);
        if (names.Length != vector.Size) return null;
        var dense = names.DenseValues().Select(n => n.ToString()).ToArray();
        return dense;
    }
}
