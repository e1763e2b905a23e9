using Microsoft.ML.Recourse.Data;

namespace Microsoft.ML.Recourse.Tests.Data;

public class DataOperationsCatalogTests
{
    private sealed class Row
    {
        [VectorType(3)]
        public float[] Features { get; set; } = [];

        public bool Label { get; set; }

        [ColumnName("Group")]
        public string Race { get; set; } = "";
    }

    [Fact]
    public void LoadFromEnumerable_MapsMembersToTypedColumns()
    {
        var ctx = new RecourseContext(seed: 1);
        var data = ctx.Data.LoadFromEnumerable(new[]
        {
            new Row { Features = [1, 2, 3], Label = true, Race = "a" },
            new Row { Features = [4, 5, 6], Label = false, Race = "b" },
        });

        data.GetRowCount().Should().Be(2);
        data.Schema["Features"].Type.Should().Be(new VectorDataViewType(NumberDataViewType.Single, 3));
        data.Schema["Features"].Type.ToString().Should().Be("Vector<Single, 3>");
        data.Schema["Label"].Type.Should().Be(BooleanDataViewType.Instance);
        data.Schema["Group"].Type.Should().Be(TextDataViewType.Instance);
        data.GetColumn<float[]>("Features").Last().Should().Equal(4f, 5f, 6f);
        data.GetColumn<string>("Group").Should().Equal("a", "b");
    }

    [Fact]
    public void CreateEnumerable_RoundTripsRows()
    {
        var ctx = new RecourseContext(seed: 1);
        var rows = new[] { new Row { Features = [1, 2, 3], Label = true, Race = "x" } };
        var back = ctx.Data.CreateEnumerable<Row>(ctx.Data.LoadFromEnumerable(rows)).Single();
        back.Features.Should().Equal(1f, 2f, 3f);
        back.Label.Should().BeTrue();
        back.Race.Should().Be("x");
    }

    [Fact]
    public void LoadFromEnumerable_VectorOfWrongLength_NamesRowAndColumn()
    {
        var ctx = new RecourseContext(seed: 1);
        var act = () => ctx.Data.LoadFromEnumerable(new[] { new Row { Features = [1, 2] } });
        act.Should().Throw<ArgumentOutOfRangeException>().WithMessage("*Row 0*'Features'*");
    }

    [Fact]
    public void LoadFromTextFile_ReadsQuotedFieldsAndReportsBadValuesByLine()
    {
        var ctx = new RecourseContext(seed: 1);
        string path = Path.Combine(Path.GetTempPath(), $"recourse-{Guid.NewGuid():N}.csv");
        File.WriteAllText(path, "a,b,c,label,name\n1,2,3,1,\"Smith, J\"\n4,5,6,0,Doe\n");
        try
        {
            var columns = new[]
            {
                new TextLoaderColumn("Features", DataKind.Single, 0, 2),
                new TextLoaderColumn("Label", DataKind.Boolean, 3),
                new TextLoaderColumn("Name", DataKind.String, 4),
            };
            var data = ctx.Data.LoadFromTextFile(path, columns, hasHeader: true);
            data.GetColumn<string>("Name").Should().Equal("Smith, J", "Doe");
            data.GetColumn<bool>("Label").Should().Equal(true, false);

            File.WriteAllText(path, "a,b,c,label,name\n1,2,3,1,x\n4,oops,6,0,y\n");
            var act = () => ctx.Data.LoadFromTextFile(path, columns, hasHeader: true);
            act.Should().Throw<FormatException>().WithMessage("*line 3*'oops'*'Features'*");
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void TrainTestSplit_IsDeterministicForASeedAndPartitionsRows()
    {
        var ctx = new RecourseContext(seed: 1);
        var rows = Enumerable.Range(0, 100).Select(i => new Row { Features = [i, 0, 0], Label = i % 2 == 0 }).ToArray();
        var data = ctx.Data.LoadFromEnumerable(rows);
        var a = ctx.Data.TrainTestSplit(data, 0.2, seed: 7);
        var b = ctx.Data.TrainTestSplit(data, 0.2, seed: 7);
        a.TestSet.GetRowCount().Should().Be(20);
        a.TrainSet.GetRowCount().Should().Be(80);
        var testIds = a.TestSet.GetColumn<float[]>("Features").Select(f => f[0]).ToArray();
        testIds.Should().Equal(b.TestSet.GetColumn<float[]>("Features").Select(f => f[0]));
        testIds.Concat(a.TrainSet.GetColumn<float[]>("Features").Select(f => f[0])).Should().BeEquivalentTo(Enumerable.Range(0, 100).Select(i => (float)i));
    }
}
