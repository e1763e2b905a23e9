using System.Text;

namespace Microsoft.ML.Recourse;

/// <summary>
/// A small RFC 4180 reader: fields separated by one character, optionally quoted with <c>"</c> (a doubled quote
/// inside a quoted field is a literal quote; quoted fields may span lines). Reports 1-based line numbers.
/// </summary>
internal sealed class DelimitedTextReader : IDisposable
{
    private readonly TextReader _reader;
    private readonly char _separator;
    private int _line;

    public DelimitedTextReader(TextReader reader, char separator)
    {
        _reader = reader;
        _separator = separator;
    }

    /// <summary>Gets the 1-based line on which the last record returned by <see cref="ReadRecord"/> started.</summary>
    public int RecordLine { get; private set; }

    /// <summary>Reads the next non-empty record, or <see langword="null"/> at the end of the input.</summary>
    public List<string>? ReadRecord()
    {
        while (true)
        {
            string? line = _reader.ReadLine();
            if (line is null) return null;
            _line++;
            if (line.Length == 0) continue;
            RecordLine = _line;
            return Split(line);
        }
    }

    /// <summary>Reads all remaining records.</summary>
    public IEnumerable<List<string>> ReadAll()
    {
        while (ReadRecord() is { } record) yield return record;
    }

    public static DelimitedTextReader Open(string path, char separator) => new(new StreamReader(path, Encoding.UTF8), separator);

    public void Dispose() => _reader.Dispose();

    private List<string> Split(string line)
    {
        var fields = new List<string>();
        var field = new StringBuilder();
        bool quoted = false;
        int i = 0;
        while (true)
        {
            if (i == line.Length)
            {
                if (!quoted) break;
                string? next = _reader.ReadLine()
                    ?? throw new FormatException($"Line {RecordLine}: a quoted field is not closed before the end of the file.");
                _line++;
                field.Append('\n');
                line = next;
                i = 0;
                continue;
            }
            char c = line[i];
            if (quoted)
            {
                if (c == '"')
                {
                    if (i + 1 < line.Length && line[i + 1] == '"') { field.Append('"'); i += 2; continue; }
                    quoted = false;
                }
                else field.Append(c);
            }
            else if (c == '"' && field.ToString().Trim().Length == 0)
            {
                field.Clear();
                quoted = true;
            }
            else if (c == _separator)
            {
                fields.Add(field.ToString());
                field.Clear();
            }
            else field.Append(c);
            i++;
        }
        fields.Add(field.ToString());
        return fields;
    }
}
