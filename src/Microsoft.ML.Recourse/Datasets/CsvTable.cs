using System.Globalization;
using Microsoft.ML.Data;

namespace Microsoft.ML.Recourse.Datasets;

/// <summary>
/// A comma-separated file read whole into memory, with typed cell readers whose errors name the file, the line and
/// the column.
/// </summary>
internal sealed class CsvTable
{
    private readonly Dictionary<string, int> _columnIndex = new(StringComparer.Ordinal);
    private readonly List<string[]> _rows = new();
    private readonly List<int> _lines = new();

    private CsvTable(string path, IReadOnlyList<string>? columnNames, char separator = ',')
    {
        FileName = Path.GetFileName(path);
        using var reader = DelimitedTextReader.Open(path, separator);
        var header = columnNames ?? Next(reader) ?? throw new FormatException($"{FileName} is empty: it has no header line.");
        for (int i = 0; i < header.Count; i++)
            _columnIndex.TryAdd(header[i], i); // pandas renames later duplicates ('x.1'); the first keeps the name.
        ColumnCount = header.Count;
        while (Next(reader) is { } fields)
        {
            if (fields.Count != ColumnCount)
                throw new FormatException(FormattableString.Invariant(
                    $"{FileName} line {reader.RecordLine}: expected {ColumnCount} fields, found {fields.Count}."));
            _rows.Add(fields.ToArray());
            _lines.Add(reader.RecordLine);
        }
    }

    // The reader's own errors (an unclosed quote) name the line; this adds the file.
    private List<string>? Next(DelimitedTextReader reader)
    {
        try
        {
            return reader.ReadRecord();
        }
        catch (FormatException e)
        {
            throw new FormatException($"{FileName}: {e.Message}", e);
        }
    }

    public string FileName { get; }

    public int ColumnCount { get; }

    public int RowCount => _rows.Count;

    /// <summary>Reads a file whose first line is a header.</summary>
    public static CsvTable ReadWithHeader(string path) => new(path, null);

    /// <summary>Reads a file whose first line is a header and whose fields are separated by <paramref name="separator"/>.</summary>
    public static CsvTable ReadWithHeader(string path, char separator) => new(path, null, separator);

    /// <summary>Whether the header has a column named <paramref name="name"/>.</summary>
    public bool HasColumn(string name) => _columnIndex.ContainsKey(name);

    /// <summary>The header's column names, in file order (a repeated name is listed once, at its first place).</summary>
    public IReadOnlyList<string> ColumnNames => _columnIndex.OrderBy(kv => kv.Value).Select(kv => kv.Key).ToArray();

    /// <summary>Reads a file without a header; every line is a record and the columns get <paramref name="columnNames"/>.</summary>
    public static CsvTable ReadWithoutHeader(string path, IReadOnlyList<string> columnNames) => new(path, columnNames);

    /// <summary>The index of the column named <paramref name="name"/> (the first one when the header repeats it).</summary>
    public int Column(string name)
        => _columnIndex.TryGetValue(name, out int index)
            ? index
            : throw new FormatException($"{FileName}: the header has no column '{name}'.");

    /// <summary>The index of the column named <paramref name="name"/>, or <see langword="null"/> when the header has none.</summary>
    public int? TryColumn(string name) => _columnIndex.TryGetValue(name, out int index) ? index : null;

    /// <summary>The 1-based line of the file on which <paramref name="row"/> starts.</summary>
    public int LineOf(int row) => _lines[row];

    public string Text(int row, int column) => _rows[row][column];

    /// <summary>Whether the cell is empty (pandas reads it as NaN).</summary>
    public bool IsEmpty(int row, int column) => _rows[row][column].Trim().Length == 0;

    public double Number(int row, int column)
    {
        var text = _rows[row][column].AsSpan().Trim();
        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) && double.IsFinite(value)
            ? value
            : throw Malformed(row, column, text.ToString(), "a number");
    }

    public DateTime Timestamp(int row, int column)
    {
        string text = _rows[row][column].Trim();
        return DateTime.TryParseExact(text, ["yyyy-MM-dd HH:mm:ss", "yyyy-MM-dd"], CultureInfo.InvariantCulture,
            DateTimeStyles.None, out var value)
            ? value
            : throw Malformed(row, column, text, "a date and time (yyyy-MM-dd HH:mm:ss)");
    }

    /// <summary>An error naming the file, the line and the column of a cell whose value cannot be used.</summary>
    public FormatException Malformed(int row, int column, string text, string expected)
    {
        string name = _columnIndex.FirstOrDefault(kv => kv.Value == column).Key ?? column.ToString(CultureInfo.InvariantCulture);
        return new FormatException(FormattableString.Invariant(
            $"{FileName} line {LineOf(row)}, column '{name}': cannot read '{text}' as {expected}."));
    }
}
