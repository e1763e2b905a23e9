using Microsoft.ML.Data;

namespace Microsoft.ML.Recourse.Tests.TestFramework;

/// <summary>
/// Builds small in-memory views for tests column by column (ML.NET's <c>LoadFromEnumerable</c> needs a row class per
/// schema); arrays are copied.
/// </summary>
internal sealed class DataViewBuilder
{
    private readonly List<Action<InMemoryDataView.Builder>> _columns = [];

    /// <summary>Starts from every visible column of <paramref name="source"/>.</summary>
    public static DataViewBuilder From(IDataView source)
    {
        var builder = new DataViewBuilder();
        foreach (var column in source.Schema.Where(c => !c.IsHidden))
        {
            _ = column.Type switch
            {
                VectorDataViewType v => builder.AddVectorColumn(column.Name, v.Size, source.GetColumn<float[]>(column.Name).SelectMany(r => r), SlotNames.Of(column)),
                TextDataViewType => builder.AddColumn(column.Name, source.GetColumn<string>(column.Name)),
                BooleanDataViewType => builder.AddColumn(column.Name, source.GetColumn<bool>(column.Name)),
                NumberDataViewType n when n == NumberDataViewType.Single => builder.AddColumn(column.Name, source.GetColumn<float>(column.Name)),
                NumberDataViewType n when n == NumberDataViewType.Double => builder.AddColumn(column.Name, source.GetColumn<double>(column.Name)),
                NumberDataViewType n when n == NumberDataViewType.Int32 => builder.AddColumn(column.Name, source.GetColumn<int>(column.Name)),
                var t => throw new NotSupportedException($"Column type {t}."),
            };
        }
        return builder;
    }

    public DataViewBuilder AddColumn(string name, IEnumerable<float> values) => Add(b => b.AddScalar(name, values.ToArray()));

    public DataViewBuilder AddColumn(string name, IEnumerable<double> values) => Add(b => b.AddScalar(name, values.ToArray()));

    public DataViewBuilder AddColumn(string name, IEnumerable<int> values) => Add(b => b.AddScalar(name, values.ToArray()));

    public DataViewBuilder AddColumn(string name, IEnumerable<bool> values) => Add(b => b.AddScalar(name, values.ToArray()));

    public DataViewBuilder AddColumn(string name, IEnumerable<string> values) => Add(b => b.AddScalar(name, values.ToArray()));

    public DataViewBuilder AddVectorColumn(string name, int size, IEnumerable<float> rowMajorValues, IReadOnlyList<string>? slotNames = null)
        => Add(b => b.AddVector(name, size, rowMajorValues.ToArray(), slotNames));

    public DataViewBuilder AddVectorColumn(string name, IEnumerable<float[]> rows, IReadOnlyList<string>? slotNames = null)
    {
        var list = rows.ToList();
        int size = list.Count > 0 ? list[0].Length : slotNames?.Count ?? throw new ArgumentException("Pass slot names for a vector column with no rows.");
        return AddVectorColumn(name, size, list.SelectMany(r => r), slotNames);
    }

    public IDataView Build()
    {
        var builder = new InMemoryDataView.Builder();
        foreach (var add in _columns) add(builder);
        return builder.Build();
    }

    private DataViewBuilder Add(Action<InMemoryDataView.Builder> add)
    {
        _columns.Add(add);
        return this;
    }
}

/// <summary>Test shorthands over ML.NET views.</summary>
internal static class DataViewTestExtensions
{
    public static int RowCount(this IDataView data) => DataViews.RowCount(data);

    public static SchemaShape ToShape(this DataViewSchema schema) => SchemaShapes.FromSchema(schema);

    public static IReadOnlyList<string>? SlotNamesOf(this DataViewSchema schema, string column) => SlotNames.Of(schema[column]);
}
