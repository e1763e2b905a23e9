using System.Globalization;
using Microsoft.ML.Data;

namespace Microsoft.ML.Recourse.Datasets;

/// <summary>
/// A user's comma-separated file loaded with ML.NET's text loader by its header: columns whose every value is a number
/// are <see cref="float"/>, the others text, and the label column (when named) becomes <c>Label</c>
/// (<see cref="bool"/>). Created by <see cref="DatasetsCatalog.LoadCsv(string, string?, string?)"/>.
/// </summary>
public sealed class CsvData
{
    internal CsvData(string path, IDataView data, IReadOnlyList<string> numericColumns, IReadOnlyList<string> textColumns, string? labelColumnName, int rowCount)
    {
        Path = path;
        Data = data;
        NumericColumns = numericColumns;
        TextColumns = textColumns;
        LabelColumnName = labelColumnName;
        RowCount = rowCount;
    }

    /// <summary>Gets the file's path.</summary>
    public string Path { get; }

    /// <summary>Gets every row: the file's columns by their header names (and <c>Label</c> when a label column was named).</summary>
    public IDataView Data { get; }

    /// <summary>Gets the numeric columns other than the label, in file order.</summary>
    public IReadOnlyList<string> NumericColumns { get; }

    /// <summary>Gets the text columns other than the label, in file order.</summary>
    public IReadOnlyList<string> TextColumns { get; }

    /// <summary>Gets the label column's name in the file, or <see langword="null"/>.</summary>
    public string? LabelColumnName { get; }

    /// <summary>Gets the number of data rows.</summary>
    public int RowCount { get; }

    /// <inheritdoc/>
    public override string ToString() => FormattableString.Invariant(
        $"{System.IO.Path.GetFileName(Path)}: {RowCount} rows, {NumericColumns.Count} numeric and {TextColumns.Count} text columns{(LabelColumnName is null ? "" : $", label '{LabelColumnName}'")}");

    /// <summary>
    /// The most columns <see cref="DatasetsCatalog.LoadCsv(string, string?, string?)"/> reads: every column becomes a
    /// feature, and training and recourse work per feature, so a wider file is refused before it is read.
    /// </summary>
    public const int MaximumColumns = 1_000;

    internal static CsvData Load(MLContext mlContext, string path, string? labelColumnName, string? positiveLabel)
    {
        var header = Header(path);
        if (header.Length > MaximumColumns)
            throw new FormatException(FormattableString.Invariant(
                $"'{path}' has {header.Length} columns; a training file holds at most {MaximumColumns} (every column is a feature to train and explain over)."));
        int label = -1;
        if (labelColumnName is not null)
        {
            label = Array.IndexOf(header, labelColumnName);
            if (label < 0)
                throw new ArgumentOutOfRangeException(nameof(labelColumnName), $"'{path}' has no column '{labelColumnName}'; its columns are: {string.Join(", ", header)}.");
        }
        // One pass over the file decides each column's type (and collects the label's values); nothing else is kept.
        var text = mlContext.Data.CreateTextLoader(header.Select((name, i) => new TextLoader.Column(name, DataKind.String, i)).ToArray(),
            separatorChar: ',', hasHeader: true, allowQuoting: true, trimWhitespace: true).Load(path);
        var allNumbers = Enumerable.Repeat(true, header.Length).ToArray();
        var anyValue = new bool[header.Length];
        var labelValues = new List<string>();
        var labelSeen = new HashSet<string>(StringComparer.Ordinal);
        int rows = 0;
        using (var cursor = text.GetRowCursor(text.Schema))
        {
            var getters = text.Schema.Select(c => cursor.GetGetter<ReadOnlyMemory<char>>(c)).ToArray();
            ReadOnlyMemory<char> value = default;
            while (cursor.MoveNext())
            {
                rows++;
                for (int i = 0; i < getters.Length; i++)
                {
                    getters[i](ref value);
                    var span = value.Span;
                    if (span.Contains(Replacement)) throw NotUtf8(path, header[i], rows - 1);
                    if (i == label)
                    {
                        if (labelSeen.Count <= MaximumLabelValues && labelSeen.Add(span.ToString())) labelValues.Add(span.ToString());
                        continue;
                    }
                    if (span.Length == 0) continue;
                    anyValue[i] = true;
                    if (allNumbers[i] && !(double.TryParse(span, NumberStyles.Float, CultureInfo.InvariantCulture, out double d) && double.IsFinite(d)))
                        allNumbers[i] = false;
                }
            }
        }
        Contracts.Check(rows > 0, $"'{path}' has a header but no data rows.");
        if (labelSeen.Count > MaximumLabelValues)
            throw new ArgumentOutOfRangeException(nameof(labelColumnName), FormattableString.Invariant(
                $"The label column '{labelColumnName}' of '{path}' holds more than {MaximumLabelValues} distinct values; a label has two classes."));
        var numeric = Enumerable.Range(0, header.Length).Where(i => i != label && allNumbers[i] && anyValue[i]).ToHashSet();
        var columns = header.Select((name, i) => new TextLoader.Column(name, numeric.Contains(i) ? DataKind.Single : DataKind.String, i)).ToArray();
        var data = mlContext.Data.CreateTextLoader(columns, separatorChar: ',', hasHeader: true, allowQuoting: true, trimWhitespace: true).Load(path);
        if (label >= 0) data = WithLabel(mlContext, data, labelColumnName!, labelValues, positiveLabel, path);
        return new CsvData(path, data,
            Enumerable.Range(0, header.Length).Where(numeric.Contains).Select(i => header[i]).ToArray(),
            Enumerable.Range(0, header.Length).Where(i => i != label && !numeric.Contains(i)).Select(i => header[i]).ToArray(),
            labelColumnName, rows);
    }

    // More distinct label values than this is not a label (the message lists the first ten anyway).
    private const int MaximumLabelValues = 1_000;

    /// <summary>
    /// Loads a file into a model's input schema by header name. Schema columns the file lacks are left out: the model's
    /// own schema check then names any it needs (a label column, say, is not needed to score).
    /// </summary>
    internal static IDataView LoadInto(MLContext mlContext, string path, DataViewSchema schema)
    {
        var header = Header(path);
        Contracts.CheckParam(schema.Any(c => !c.IsHidden), nameof(schema),
            $"The model was saved without its input schema, so the columns of '{path}' cannot be matched to it by name; save the model with mlContext.Model.Save(model, data.Schema, path).");
        var columns = new List<TextLoader.Column>();
        foreach (var column in schema.Where(c => !c.IsHidden))
        {
            int index = Array.IndexOf(header, column.Name);
            if (index < 0) continue;
            var kind = column.Type switch
            {
                BooleanDataViewType => DataKind.Boolean,
                TextDataViewType => DataKind.String,
                NumberDataViewType n when n == NumberDataViewType.Single => DataKind.Single,
                NumberDataViewType n when n == NumberDataViewType.Double => DataKind.Double,
                NumberDataViewType n when n == NumberDataViewType.Int32 => DataKind.Int32,
                NumberDataViewType n when n == NumberDataViewType.Int64 => DataKind.Int64,
                _ => throw new ArgumentOutOfRangeException(nameof(schema),
                    $"The model reads column '{column.Name}' as {column.Type}, which a CSV file cannot hold by name; give a data set or an IDataView instead."),
            };
            columns.Add(new TextLoader.Column(column.Name, kind, index));
        }
        Contracts.CheckParam(columns.Count > 0, nameof(path), $"'{path}' has none of the model's input columns ({string.Join(", ", schema.Where(c => !c.IsHidden).Select(c => c.Name))}); its columns are: {string.Join(", ", header)}.");
        Contracts.Check(CheckValues(mlContext, path, columns) != 0, $"'{path}' has a header but no data rows.");
        return mlContext.Data.CreateTextLoader(columns.ToArray(), separatorChar: ',', hasHeader: true, allowQuoting: true, trimWhitespace: true).Load(path);
    }

    // ML.NET's text loader reads a value that does not parse as a missing value; a file whose column holds text where
    // the model reads numbers (or Booleans) is the wrong file, so that is an error naming the column, row and value.
    // Returns the number of data rows, or -1 when no column is typed (nothing was read).
    private static int CheckValues(MLContext mlContext, string path, IReadOnlyList<TextLoader.Column> columns)
    {
        var typed = columns.Where(c => c.DataKind != DataKind.String).ToArray();
        if (typed.Length == 0) return -1;
        int rows = -1;
        var text = mlContext.Data.CreateTextLoader(typed.Select(c => new TextLoader.Column(c.Name, DataKind.String, c.Source[0].Min)).ToArray(),
            separatorChar: ',', hasHeader: true, allowQuoting: true, trimWhitespace: true).Load(path);
        foreach (var column in typed)
        {
            var values = ColumnChecks.ReadText(text, text.Schema[column.Name]);
            rows = values.Length;
            for (int r = 0; r < values.Length; r++)
            {
                string v = values[r];
                if (v.Contains(Replacement)) throw NotUtf8(path, column.Name, r);
                // A missing number may be written empty, '?' or NaN; ML.NET's Boolean reader takes only an empty cell as missing.
                if (v.Length == 0 || (column.DataKind != DataKind.Boolean && (v == "?" || v.Equals("NaN", StringComparison.OrdinalIgnoreCase)))) continue;
                bool ok = column.DataKind switch
                {
                    // Exactly what ML.NET's Boolean reader takes (bool.TryParse would also take padding and NULs).
                    DataKind.Boolean => v.Equals("true", StringComparison.OrdinalIgnoreCase) || v.Equals("false", StringComparison.OrdinalIgnoreCase) || v is "0" or "1",
                    DataKind.Int32 => int.TryParse(v, NumberStyles.Integer, CultureInfo.InvariantCulture, out _),
                    DataKind.Int64 => long.TryParse(v, NumberStyles.Integer, CultureInfo.InvariantCulture, out _),
                    _ => double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out _),
                };
                if (!ok)
                    throw new FormatException(FormattableString.Invariant(
                        $"'{System.IO.Path.GetFileName(path)}': column '{column.Name}', data row {r}, holds '{v}', but the model reads '{column.Name}' as {column.DataKind}."));
            }
        }
        return rows;
    }

    // What a reader puts where the bytes are not valid UTF-8.
    private const char Replacement = '\uFFFD';

    private static FormatException NotUtf8(string path, string column, int dataRow) => new(FormattableString.Invariant(
        $"'{System.IO.Path.GetFileName(path)}': column '{column}', data row {dataRow} (line {dataRow + 2}), is not valid UTF-8 text; save the file as UTF-8."));

    private static string[] Header(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"File '{System.IO.Path.GetFullPath(path)}' does not exist.", path);
        using var reader = DelimitedTextReader.Open(path, ',');
        List<string>? record;
        try
        {
            record = reader.ReadRecord();
        }
        catch (FormatException e)
        {
            throw new FormatException($"'{path}': {e.Message}", e);
        }
        var header = record ?? throw new FormatException($"'{path}' is empty: it has no header line.");
        var names = header.Select(h => h.Trim()).ToArray();
        var duplicate = names.GroupBy(n => n).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null) throw new FormatException($"'{path}': the header names column '{duplicate.Key}' twice.");
        if (names.Any(n => n.Length == 0)) throw new FormatException($"'{path}': a header field is empty.");
        if (names.Any(n => n.Contains(Replacement))) throw new FormatException($"'{path}' line 1: the header is not valid UTF-8 text; save the file as UTF-8.");
        return names;
    }

    // The label as Boolean: the positive value is true and every other value false; without one, the values must be
    // 0/1 or true/false.
    private static IDataView WithLabel(MLContext mlContext, IDataView data, string labelColumn, IReadOnlyList<string> distinct, string? positiveLabel, string path)
    {
        if (positiveLabel is null)
        {
            var allowed = new[] { "0", "1", "true", "false", "True", "False" };
            var other = distinct.FirstOrDefault(v => !allowed.Contains(v));
            if (other is not null)
                throw new ArgumentOutOfRangeException(nameof(positiveLabel),
                    $"The label column '{labelColumn}' of '{path}' holds '{other}'; name the favourable value (values: {string.Join(", ", distinct.Take(10))}).");
            positiveLabel = distinct.Contains("1") || distinct.Contains("0") ? "1" : distinct.FirstOrDefault(v => v.Equals("true", StringComparison.OrdinalIgnoreCase)) ?? "true";
        }
        else if (!distinct.Contains(positiveLabel))
        {
            throw new ArgumentOutOfRangeException(nameof(positiveLabel),
                $"The label column '{labelColumn}' of '{path}' never holds '{positiveLabel}'; its values are: {string.Join(", ", distinct.Take(10))}.");
        }
        var map = distinct.Select(v => new KeyValuePair<string, bool>(v, v == positiveLabel)).ToArray();
        return mlContext.Transforms.Conversion.MapValue(DefaultColumnNames.Label, map, labelColumn).Fit(data).Transform(data);
    }
}
