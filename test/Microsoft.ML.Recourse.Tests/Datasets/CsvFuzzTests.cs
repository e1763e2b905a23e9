using Microsoft.ML.Recourse.Datasets;
using Microsoft.ML.Recourse.Tests.TestFramework;
using Xunit.Abstractions;

namespace Microsoft.ML.Recourse.Tests.Datasets;

/// <summary>
/// Fuzzes the CSV readers a user's file goes through: <c>Datasets.LoadCsv(path, label)</c> (what <c>recourse train
/// --data</c> reads), <c>Datasets.LoadCsv(path, inputSchema)</c> (what <c>recourse explain --data</c> reads) and the
/// reference data sets' <c>CsvTable</c>. Each mutated file is loaded and every value of every column read.
/// </summary>
public class CsvFuzzTests(ITestOutputHelper output)
{
    internal static string[] Seeds() =>
    [
        DocumentFuzzer.Lines("c0,c1,c2,y", "0.5,1,-2,1", "1.5,2,3.25,0", "-0.5,0,1e3,1", "2,1,0,0"),
        DocumentFuzzer.Lines("age,\"income, k\",job,y", "30,51.5,clerk,1", "41,\"72\",\"sales, retail\",0", "25,,clerk,1", "52,88,nurse,0"),
        DocumentFuzzer.Lines("y,c1,c0,c2,extra", "true,1,2,3,a", "false,4,5,6,b", "True,7,8,9,c"),
    ];

    private static readonly string[] Fields =
    [
        "", " ", "0", "-1", "1e400", "-1e400", "NaN", "Infinity", "?", "1,5", "\"", "\"\"", "\"a,b\"", "\"open", "true", "2", "y", "c0",
        "\u0000", "é", "\ufffd", "\ufeff", "x\ny", "9999999999999999999999", "0x10", "1_000",
    ];

    /// <summary>A text mutation, or a line repeated or removed, or a field added or replaced.</summary>
    internal static string MutateCsv(string text, Random random)
        => DocumentFuzzer.MutateCsv(text, random, Fields, ",\"\n\r 0.-e1yx\t\u0000\ufeff", replacementWeight: 2);

    private static readonly Type[] Documented = [typeof(FormatException), typeof(ArgumentOutOfRangeException), typeof(InvalidOperationException)];

    [Fact]
    public void LoadCsv_TenThousandMutatedFiles_LoadOrThrowTheDocumentedTypesNamingTheFile()
    {
        string path = Path.Combine(Path.GetTempPath(), $"fuzz-{Guid.NewGuid():N}.csv");
        var recourse = new MLContext(0).Recourse();
        var schema = new MLContext(0).Data.LoadFromEnumerable(new[] { new Row() }).Schema;
        int calls = 0;
        var tally = DocumentFuzzer.Run(Seeds(), MutateCsv, text =>
        {
            File.WriteAllText(path, text);
            // Alternate the two readers: with a label (train --data) and into a model's input schema (explain --data).
            var data = calls++ % 2 == 0 ? recourse.Datasets.LoadCsv(path, "y").Data : recourse.Datasets.LoadCsv(path, schema);
            ReadEverything(data);
        }, Documented, message => message.Contains(Path.GetFileName(path), StringComparison.Ordinal));
        File.Delete(path);

        output.WriteLine($"CSV (LoadCsv) fuzz: {tally}");
        tally.Inputs.Should().Be(DocumentFuzzer.Count);
        tally.Parsed.Should().BeGreaterThan(tally.Inputs / 10);
    }

    [Fact]
    public void CsvTable_TenThousandMutatedFiles_ReadOrThrowFormatExceptionNamingFileAndLine()
    {
        string path = Path.Combine(Path.GetTempPath(), $"fuzz-{Guid.NewGuid():N}.csv");
        var tally = DocumentFuzzer.Run(Seeds(), MutateCsv, text =>
        {
            File.WriteAllText(path, text);
            var table = CsvTable.ReadWithHeader(path);
            for (int r = 0; r < table.RowCount; r++)
                for (int c = 0; c < table.ColumnCount; c++)
                    if (!table.IsEmpty(r, c) && table.ColumnNames.ElementAtOrDefault(c) is "c0" or "c1" or "c2") table.Number(r, c);
        }, [typeof(FormatException)], message => message.Contains(Path.GetFileName(path), StringComparison.Ordinal)
            && (DocumentFuzzer.NamesLine(message) || message.Contains("is empty", StringComparison.Ordinal)));
        File.Delete(path);

        output.WriteLine($"CSV (CsvTable) fuzz: {tally}");
        tally.Inputs.Should().Be(DocumentFuzzer.Count);
        tally.Parsed.Should().BeGreaterThan(0);
    }

    private static void ReadEverything(IDataView data)
    {
        using var cursor = data.GetRowCursor(data.Schema);
        var getters = data.Schema.Select(c => c.Type.RawType switch
        {
            var t when t == typeof(float) => Getter<float>(cursor, c),
            var t when t == typeof(double) => Getter<double>(cursor, c),
            var t when t == typeof(bool) => Getter<bool>(cursor, c),
            var t when t == typeof(ReadOnlyMemory<char>) => Getter<ReadOnlyMemory<char>>(cursor, c),
            _ => () => { },
        }).ToArray();
        while (cursor.MoveNext())
            foreach (var get in getters) get();
    }

    private static Action Getter<T>(DataViewRowCursor cursor, DataViewSchema.Column column)
    {
        var getter = cursor.GetGetter<T>(column);
        T value = default!;
        return () => getter(ref value);
    }

    private sealed class Row
    {
        public float c0 { get; set; }
        public float c1 { get; set; }
        public string job { get; set; } = "";
        public bool y { get; set; }
    }

    // What the fuzzing found (each was another exception, or a message without the file).
    [Theory]
    [InlineData("c0,c1,job,y\n1,2,a,?\n", "*column 'y', data row 0, holds '?'*")]
    [InlineData("c0,c1,job,y\n1,2,a,\u0000true\n", "*column 'y', data row 0, holds*")]
    [InlineData("c0,\"c1,job,y\n1,2,a,true\n", "'*.csv': Line 1: a quoted field is not closed*")]
    public void LoadCsvIntoSchema_FoundByFuzzing_FormatExceptionNamingTheFile(string text, string message)
    {
        string path = Path.Combine(Path.GetTempPath(), $"fuzz-{Guid.NewGuid():N}.csv");
        File.WriteAllText(path, text);
        var schema = new MLContext(0).Data.LoadFromEnumerable(new[] { new Row() }).Schema;
        var act = () => new MLContext(0).Recourse().Datasets.LoadCsv(path, schema);
        act.Should().Throw<FormatException>().WithMessage(message);
        File.Delete(path);
    }

    [Fact]
    public void CsvTable_UnclosedQuote_NamesTheFile()
    {
        string path = Path.Combine(Path.GetTempPath(), $"fuzz-{Guid.NewGuid():N}.csv");
        File.WriteAllText(path, "a,b\n1,\"2\n");
        var act = () => CsvTable.ReadWithHeader(path);
        act.Should().Throw<FormatException>().WithMessage($"{Path.GetFileName(path)}: Line 2: a quoted field is not closed*");
        File.Delete(path);
    }
}
