using System.Text.Json;
using Microsoft.ML.Recourse.Tests.TestFramework;

namespace Microsoft.ML.Recourse.Tests.Cli;

public class ReproduceTreesCommandTests
{
    [ReferenceDataFact]
    public void ReproduceTrees_TinyRunOnEveryDataSet_WritesJsonMarkdownFiguresAndEveryExactAnswerIsValid()
    {
        string output = Path.Combine(Path.GetTempPath(), $"trees-{Guid.NewGuid():N}");
        var (exit, stdout, stderr) = CliRunner.Run("reproduce", "trees", "--rows", "3", "--sizes", "5,10", "--out", output, "--json");

        exit.Should().Be(0, stderr);
        using var json = JsonDocument.Parse(stdout);
        json.RootElement.GetProperty("command").GetString().Should().Be($"recourse reproduce trees --rows 3 --sizes 5,10 --out {output}");
        var datasets = json.RootElement.GetProperty("datasets").EnumerateArray().ToList();
        datasets.Select(d => d.GetProperty("name").GetString()).Should().Equal("adult", "compas", "german", "heloc");
        foreach (var d in datasets)
        {
            var models = d.GetProperty("models").EnumerateArray().ToList();
            models.Select(m => m.GetProperty("name").GetString()).Should().Equal("FastTree 5×20", "FastTree 10×20");
            foreach (var m in models)
            {
                var exact = m.GetProperty("exact");
                exact.GetProperty("rows").GetInt32().Should().Be(3);
                exact.GetProperty("valid").GetInt32().Should().Be(exact.GetProperty("answered").GetInt32(),
                    $"every exact answer on {d.GetProperty("name").GetString()} must be accepted by ML.NET inside Δ");
                (m.GetProperty("optimal").GetInt32() + m.GetProperty("infeasible").GetInt32()).Should().Be(3, "small models are solved to a proof");
            }
        }
        foreach (string file in new[] { "results.json", "report.md", "time-per-row.svg", "time-per-row.png", "validity.svg", "validity.png" })
            File.Exists(Path.Combine(output, file)).Should().BeTrue(file);
        File.ReadAllText(Path.Combine(output, "report.md")).Should().Contain("## heloc").And.Contain("FastTree 10×20");
        Directory.Delete(output, recursive: true);
    }

    [Fact]
    public void ReproduceTrees_WithoutOut_FailsNamingTheFlag()
    {
        var (exit, _, stderr) = CliRunner.Run("reproduce", "trees", "--rows", "1");

        exit.Should().NotBe(0);
        stderr.Should().Contain("--out");
    }

    [Fact]
    public void ReproduceTrees_UnknownSizeOrDataSet_FailsNamingTheFlagBeforeAnyWork()
    {
        string output = Path.Combine(Path.GetTempPath(), $"trees-{Guid.NewGuid():N}");
        var (exit, _, stderr) = CliRunner.Run("reproduce", "trees", "--sizes", "10,big", "--out", output);
        exit.Should().NotBe(0);
        stderr.Should().Contain("--sizes").And.Contain("'big'");

        (exit, _, stderr) = CliRunner.Run("reproduce", "trees", "--datasets", "adult,iris", "--out", output);
        exit.Should().NotBe(0);
        stderr.Should().Contain("--datasets").And.Contain("'iris'");
        Directory.Exists(output).Should().BeFalse("nothing is written before the options are checked");
    }

    [Fact]
    public void ReproduceTrees_OutIsAFile_FailsNamingTheFlagBeforeAnyWork()
    {
        string file = Path.GetTempFileName();
        var (exit, _, stderr) = CliRunner.Run("reproduce", "trees", "--out", file, "--data-dir", "/nonexistent");

        exit.Should().NotBe(0);
        stderr.Should().Contain("--out");
        File.Delete(file);
    }
}
