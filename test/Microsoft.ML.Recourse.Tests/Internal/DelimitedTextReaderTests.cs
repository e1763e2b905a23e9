using Microsoft.ML.Data;

namespace Microsoft.ML.Recourse.Tests.Internal;

public class DelimitedTextReaderTests
{
    private static List<List<string>> Read(string text, char sep = ',')
    {
        using var reader = new DelimitedTextReader(new StringReader(text), sep);
        return reader.ReadAll().ToList();
    }

    [Fact]
    public void ReadAll_QuotedSeparatorsQuotesAndNewlines()
    {
        var rows = Read("a,\"b,c\",\"say \"\"hi\"\"\"\n\"multi\nline\",2,3\n");
        rows[0].Should().Equal("a", "b,c", "say \"hi\"");
        rows[1].Should().Equal("multi\nline", "2", "3");
    }

    [Fact]
    public void ReadAll_SkipsBlankLinesAndKeepsEmptyFields()
    {
        var rows = Read("1;;3\n\n4;5;\n", ';');
        rows.Should().HaveCount(2);
        rows[0].Should().Equal("1", "", "3");
        rows[1].Should().Equal("4", "5", "");
    }

    [Fact]
    public void ReadRecord_ReportsStartLineOfRecord()
    {
        using var reader = new DelimitedTextReader(new StringReader("x\n\"a\nb\"\ny\n"), ',');
        reader.ReadRecord();
        reader.ReadRecord();
        reader.RecordLine.Should().Be(2);
        reader.ReadRecord()![0].Should().Be("y");
        reader.RecordLine.Should().Be(4);
    }

    [Fact]
    public void ReadRecord_UnclosedQuote_Throws()
    {
        var act = () => Read("\"abc\n");
        act.Should().Throw<FormatException>().WithMessage("Line 1: a quoted field is not closed*");
    }
}
