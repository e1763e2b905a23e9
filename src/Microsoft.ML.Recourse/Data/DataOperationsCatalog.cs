using System.Globalization;
using System.Reflection;

namespace Microsoft.ML.Recourse.Data;

/// <summary>
/// Loading, saving and splitting data, reached through <see cref="RecourseContext.Data"/> (as ML.NET's
/// <c>DataOperationsCatalog</c>).
/// </summary>
public sealed class DataOperationsCatalog
{
    private readonly RecourseContext _context;

    internal DataOperationsCatalog(RecourseContext context) => _context = context;

    /// <summary>
    /// Creates a data view from objects. Public fields and properties become columns: <see cref="float"/>,
    /// <see cref="double"/>, <see cref="int"/>, <see cref="bool"/> and <see cref="string"/> members become scalar
    /// columns; <see cref="float"/>[] members marked with <see cref="VectorTypeAttribute"/> become known-size vectors.
    /// <see cref="ColumnNameAttribute"/> renames a column and <see cref="NoColumnAttribute"/> skips a member.
    /// </summary>
    /// <typeparam name="TRow">The row type.</typeparam>
    /// <param name="data">The rows. They are copied, so later changes to the objects do not affect the view.</param>
    public IDataView LoadFromEnumerable<TRow>(IEnumerable<TRow> data) where TRow : class
    {
        Contracts.CheckValue(data, nameof(data));
        var members = RowMember.Of(typeof(TRow));
        var rows = data.ToList();
        var builder = new DataViewBuilder();
        foreach (var m in members)
        {
            if (m.VectorSize is int size)
            {
                var flat = new float[rows.Count * size];
                for (int r = 0; r < rows.Count; r++)
                {
                    var v = (float[]?)m.Get(rows[r])
                        ?? throw new ArgumentOutOfRangeException(nameof(data), $"Row {r}: vector column '{m.ColumnName}' is null.");
                    Contracts.CheckParam(v.Length == size, nameof(data),
                        $"Row {r}: vector column '{m.ColumnName}' has {v.Length} items; its VectorType size is {size}.");
                    v.CopyTo(flat, r * size);
                }
                builder.AddShared(m.ColumnName, m.Type, null, flat, rows.Count);
            }
            else
            {
                builder.AddShared(m.ColumnName, m.Type, null, m.Collect(rows), rows.Count);
            }
        }
        return builder.Build();
    }

    /// <summary>Reads a data view back into objects, matching columns to members by name.</summary>
    /// <typeparam name="TRow">The row type; it needs a public parameterless constructor.</typeparam>
    /// <param name="data">The data view.</param>
    /// <param name="reuseRowObject">Must be <see langword="false"/>; each row gets its own object.</param>
    public IEnumerable<TRow> CreateEnumerable<TRow>(IDataView data, bool reuseRowObject = false) where TRow : class, new()
    {
        Contracts.CheckValue(data, nameof(data));
        Contracts.CheckParam(!reuseRowObject, nameof(reuseRowObject), "Row objects are never reused by in-memory views.");
        var members = RowMember.Of(typeof(TRow));
        var bound = new List<(RowMember Member, Array Values, int Size)>();
        foreach (var m in members)
        {
            var col = data.Schema.GetColumnOrNull(m.ColumnName) ?? throw Contracts.ExceptSchemaMismatch(nameof(data), "input", m.ColumnName);
            int size = col.Type is VectorDataViewType v ? v.Size : 1;
            if (!m.Type.Equals(col.Type) && !(m.VectorSize is not null && col.Type is VectorDataViewType))
                throw Contracts.ExceptSchemaMismatch(nameof(data), "input", m.ColumnName, m.Type.ToString(), col.Type.ToString());
            bound.Add((m, DataViewBuilder.GetArray(data, col), size));
        }
        int rows = DataViewBuilder.RowsOf(data);
        return Enumerate();

        IEnumerable<TRow> Enumerate()
        {
            for (int r = 0; r < rows; r++)
            {
                var obj = new TRow();
                foreach (var (m, values, size) in bound)
                {
                    if (m.VectorSize is not null)
                        m.Set(obj, ((float[])values).AsSpan(r * size, size).ToArray());
                    else
                        m.Set(obj, values.GetValue(r));
                }
                yield return obj;
            }
        }
    }

    /// <summary>
    /// Loads a delimited text file whose fields map to <typeparamref name="TRow"/>'s members through
    /// <see cref="LoadColumnAttribute"/> (as ML.NET's <c>LoadFromTextFile&lt;T&gt;</c>).
    /// </summary>
    /// <typeparam name="TRow">The row type; every column member needs a <see cref="LoadColumnAttribute"/>.</typeparam>
    /// <param name="path">The file path.</param>
    /// <param name="separatorChar">The field separator.</param>
    /// <param name="hasHeader">Whether the first line is a header to skip.</param>
    public IDataView LoadFromTextFile<TRow>(string path, char separatorChar = ',', bool hasHeader = false) where TRow : class
    {
        Contracts.CheckValue(path, nameof(path));
        var columns = RowMember.Of(typeof(TRow)).Select(m =>
        {
            var load = m.Load ?? throw new ArgumentOutOfRangeException(nameof(TRow),
                $"Member '{m.MemberName}' of {typeof(TRow).Name} has no LoadColumn attribute.");
            return new TextLoaderColumn(m.ColumnName, m.Kind, load.Start, load.End);
        }).ToArray();
        return LoadFromTextFile(path, columns, separatorChar, hasHeader);
    }

    /// <summary>Loads a delimited text file with explicitly declared columns (as ML.NET's <c>TextLoader</c>).</summary>
    /// <param name="path">The file path.</param>
    /// <param name="columns">The columns to read.</param>
    /// <param name="separatorChar">The field separator.</param>
    /// <param name="hasHeader">Whether the first line is a header to skip.</param>
    public IDataView LoadFromTextFile(string path, IReadOnlyList<TextLoaderColumn> columns, char separatorChar = ',', bool hasHeader = false)
    {
        Contracts.CheckValue(path, nameof(path));
        Contracts.CheckValue(columns, nameof(columns));
        Contracts.CheckParam(columns.Count > 0, nameof(columns), "At least one column must be declared.");
        if (!File.Exists(path))
            throw new FileNotFoundException($"Data file '{Path.GetFullPath(path)}' does not exist.", path);

        var buffers = columns.Select(c => new List<object>()).ToArray();
        using (var reader = DelimitedTextReader.Open(path, separatorChar))
        {
            bool first = true;
            while (reader.ReadRecord() is { } fields)
            {
                if (first && hasHeader) { first = false; continue; }
                first = false;
                int line = reader.RecordLine;
                for (int i = 0; i < columns.Count; i++)
                {
                    var col = columns[i];
                    if (col.End >= fields.Count)
                        throw new FormatException(FormattableString.Invariant(
                            $"{Path.GetFileName(path)} line {line}: column '{col.Name}' needs field {col.End}, but the line has {fields.Count} fields."));
                    if (col.IsVector)
                    {
                        var v = new float[col.End - col.Start + 1];
                        for (int f = col.Start; f <= col.End; f++)
                            v[f - col.Start] = (float)TextLoaderColumn.Parse(fields[f], DataKind.Single, path, line, col.Name);
                        buffers[i].Add(v);
                    }
                    else
                    {
                        buffers[i].Add(TextLoaderColumn.Parse(fields[col.Start], col.Kind, path, line, col.Name));
                    }
                }
            }
        }

        var builder = new DataViewBuilder();
        for (int i = 0; i < columns.Count; i++)
        {
            var col = columns[i];
            var b = buffers[i];
            switch (col)
            {
                case { IsVector: true }: builder.AddVectorColumn(col.Name, col.End - col.Start + 1, b.SelectMany(o => (float[])o)); break;
                case { Kind: DataKind.Single }: builder.AddColumn(col.Name, b.Select(o => (float)o)); break;
                case { Kind: DataKind.Double }: builder.AddColumn(col.Name, b.Select(o => (double)o)); break;
                case { Kind: DataKind.Int32 }: builder.AddColumn(col.Name, b.Select(o => (int)o)); break;
                case { Kind: DataKind.Boolean }: builder.AddColumn(col.Name, b.Select(o => (bool)o)); break;
                default: builder.AddColumn(col.Name, b.Select(o => (string)o)); break;
            }
        }
        return builder.Build();
    }

    /// <summary>Splits rows at random into a training and a test set (as ML.NET's <c>TrainTestSplit</c>).</summary>
    /// <param name="data">The data to split.</param>
    /// <param name="testFraction">The share of rows that go to the test set. Range: 0 &lt; value &lt; 1.</param>
    /// <param name="seed">The seed of the shuffle; the context's seed sequence is used when <see langword="null"/>.</param>
    public TrainTestData TrainTestSplit(IDataView data, double testFraction = 0.1, int? seed = null)
    {
        Contracts.CheckValue(data, nameof(data));
        Contracts.CheckOpenUnitInterval(testFraction, nameof(testFraction));
        int n = DataViewBuilder.RowsOf(data);
        var order = Enumerable.Range(0, n).ToArray();
        new Random(seed ?? _context.NextSeed()).Shuffle(order);
        int nTest = (int)Math.Ceiling(testFraction * n);
        var test = order[..nTest];
        var train = order[nTest..];
        Array.Sort(test);
        Array.Sort(train);
        return new TrainTestData(TakeRows(data, train), TakeRows(data, test));
    }

    /// <summary>Selects rows by index, in the given order.</summary>
    /// <param name="data">The source view.</param>
    /// <param name="rowIndices">Zero-based row indices; each must be in range.</param>
    public IDataView TakeRows(IDataView data, IReadOnlyList<int> rowIndices)
    {
        Contracts.CheckValue(data, nameof(data));
        Contracts.CheckValue(rowIndices, nameof(rowIndices));
        int n = DataViewBuilder.RowsOf(data);
        foreach (int r in rowIndices)
            Contracts.CheckParam(r >= 0 && r < n, nameof(rowIndices), $"Row index {r} is outside 0..{n - 1}.");
        var builder = new DataViewBuilder();
        foreach (var c in data.Schema)
        {
            var src = DataViewBuilder.GetArray(data, c);
            int size = c.Type is VectorDataViewType v ? v.Size : 1;
            var dst = Array.CreateInstance(src.GetType().GetElementType()!, rowIndices.Count * size);
            for (int i = 0; i < rowIndices.Count; i++)
                Array.Copy(src, rowIndices[i] * size, dst, i * size, size);
            builder.AddShared(c.Name, c.Type, c.Annotations.SlotNames, dst, rowIndices.Count);
        }
        return builder.Build();
    }

    /// <summary>A pair of training and test views.</summary>
    /// <param name="TrainSet">The training rows.</param>
    /// <param name="TestSet">The test rows.</param>
    public sealed record TrainTestData(IDataView TrainSet, IDataView TestSet);

    private sealed class RowMember
    {
        private readonly FieldInfo? _field;
        private readonly PropertyInfo? _property;

        private RowMember(MemberInfo member, Type type)
        {
            _field = member as FieldInfo;
            _property = member as PropertyInfo;
            MemberName = member.Name;
            ColumnName = member.GetCustomAttribute<ColumnNameAttribute>()?.Name ?? member.Name;
            Load = member.GetCustomAttribute<LoadColumnAttribute>();
            var vector = member.GetCustomAttribute<VectorTypeAttribute>();
            if (type == typeof(float[]))
            {
                int size = vector?.Size ?? (Load is { } l && l.End > l.Start ? l.End - l.Start + 1 : 0);
                if (size <= 0)
                    throw new ArgumentOutOfRangeException(nameof(member),
                        $"Member '{member.Name}' is a float[] but has no VectorType attribute giving its size.");
                VectorSize = size;
                Type = new VectorDataViewType(NumberDataViewType.Single, size);
                Kind = DataKind.Single;
            }
            else
            {
                (Type, Kind) = type switch
                {
                    _ when type == typeof(float) => ((DataViewType)NumberDataViewType.Single, DataKind.Single),
                    _ when type == typeof(double) => (NumberDataViewType.Double, DataKind.Double),
                    _ when type == typeof(int) => (NumberDataViewType.Int32, DataKind.Int32),
                    _ when type == typeof(bool) => (BooleanDataViewType.Instance, DataKind.Boolean),
                    _ when type == typeof(string) => (TextDataViewType.Instance, DataKind.String),
                    _ => throw new ArgumentOutOfRangeException(nameof(member),
                        $"Member '{member.Name}' has type {type.Name}; supported types are float, double, int, bool, string and float[]."),
                };
            }
        }

        public string MemberName { get; }
        public string ColumnName { get; }
        public LoadColumnAttribute? Load { get; }
        public int? VectorSize { get; }
        public DataViewType Type { get; }
        public DataKind Kind { get; }

        public static List<RowMember> Of(Type rowType)
        {
            var members = new List<RowMember>();
            foreach (var f in rowType.GetFields(BindingFlags.Public | BindingFlags.Instance))
                if (f.GetCustomAttribute<NoColumnAttribute>() is null) members.Add(new RowMember(f, f.FieldType));
            foreach (var p in rowType.GetProperties(BindingFlags.Public | BindingFlags.Instance))
                if (p.GetCustomAttribute<NoColumnAttribute>() is null && p.GetIndexParameters().Length == 0 && p.CanRead)
                    members.Add(new RowMember(p, p.PropertyType));
            if (members.Count == 0)
                throw new ArgumentOutOfRangeException(nameof(rowType), $"Type {rowType.Name} has no public fields or properties to map to columns.");
            return members;
        }

        public object? Get(object row) => _field is not null ? _field.GetValue(row) : _property!.GetValue(row);

        public void Set(object row, object? value)
        {
            if (_field is not null) _field.SetValue(row, value);
            else if (_property!.CanWrite) _property.SetValue(row, value);
        }

        public Array Collect<TRow>(List<TRow> rows) where TRow : class
        {
            var arr = Array.CreateInstance(Type.RawType, rows.Count);
            for (int r = 0; r < rows.Count; r++)
            {
                var v = Get(rows[r]);
                if (v is null && Type.RawType == typeof(string)) v = string.Empty;
                arr.SetValue(v, r);
            }
            return arr;
        }
    }
}

/// <summary>The kind of value a text-file column holds.</summary>
public enum DataKind
{
    /// <summary>32-bit floating point.</summary>
    Single,

    /// <summary>64-bit floating point.</summary>
    Double,

    /// <summary>32-bit signed integer.</summary>
    Int32,

    /// <summary>Boolean: <c>true</c>/<c>false</c> or <c>1</c>/<c>0</c>.</summary>
    Boolean,

    /// <summary>Text.</summary>
    String,
}

/// <summary>A column of a delimited text file: a name, a kind and a field index (or an inclusive range for vectors of <see cref="float"/>).</summary>
/// <param name="Name">The column name.</param>
/// <param name="Kind">The kind of value.</param>
/// <param name="Start">The zero-based index of the first field.</param>
/// <param name="End">The zero-based index of the last field (equal to <paramref name="Start"/> for scalars).</param>
public sealed record TextLoaderColumn(string Name, DataKind Kind, int Start, int End)
{
    /// <summary>Creates a scalar column read from one field.</summary>
    /// <param name="name">The column name.</param>
    /// <param name="kind">The kind of value.</param>
    /// <param name="index">The zero-based field index.</param>
    public TextLoaderColumn(string name, DataKind kind, int index) : this(name, kind, index, index) { }

    internal bool IsVector => End > Start;

    internal static object Parse(string text, DataKind kind, string path, int line, string column)
    {
        text = text.Trim();
        object? value = kind switch
        {
            DataKind.Single => float.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var f) ? f : null,
            DataKind.Double => double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) ? d : null,
            DataKind.Int32 => int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var i) ? i : null,
            DataKind.Boolean => text switch
            {
                "1" => true,
                "0" => false,
                _ => bool.TryParse(text, out var b) ? b : null,
            },
            _ => text,
        };
        return value ?? throw new FormatException(FormattableString.Invariant(
            $"{Path.GetFileName(path)} line {line}: cannot read '{text}' as {kind} for column '{column}'."));
    }
}
