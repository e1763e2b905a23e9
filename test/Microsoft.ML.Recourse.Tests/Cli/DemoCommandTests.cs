using System.Text.Json;
using Microsoft.ML.Recourse.Tests.TestFramework;

namespace Microsoft.ML.Recourse.Tests.Cli;

public class DemoCommandTests
{
    [Fact]
    public void Demo_Json_PrintsModelsAndPlainLanguageExamples()
    {
        var (exit, output, error) = CliRunner.Run("demo", "--json", "--rows", "1500", "--seed", "3");

        exit.Should().Be(0, error);
        using var json = JsonDocument.Parse(output);
        var root = json.RootElement;
        root.GetProperty("dataset").GetString().Should().Be("synthetic");
        root.GetProperty("rows").GetInt32().Should().Be(1500);
        var models = root.GetProperty("models").EnumerateArray().ToList();
        models.Select(m => (m.GetProperty("name").GetString(), m.GetProperty("lambda").GetDouble()))
            .Should().Equal(("logistic", 0.0), ("mlp", 0.0), ("logistic", 0.8), ("mlp", 0.8));
        foreach (var m in models)
        {
            foreach (var key in new[] { "accuracy", "f1", "recourseNeg", "recourseAll" })
                m.GetProperty(key).GetDouble().Should().BeInRange(0, 1, key);
            // (P + r·N)/(P + N) ≥ r for r ≤ 1: recourse-all counts the accepted rows as having recourse.
            m.GetProperty("recourseAll").GetDouble().Should().BeGreaterThanOrEqualTo(m.GetProperty("recourseNeg").GetDouble() - 1e-9);
        }
        var examples = root.GetProperty("examples").EnumerateArray().ToList();
        examples.Should().HaveCount(3);
        examples.Should().OnlyContain(e => e.GetProperty("recourse").GetString()!.Contains(" from "));
    }

    [Fact]
    public void Demo_Tables_ShowTheExamplesInPlainLanguage()
    {
        var (exit, output, error) = CliRunner.Run("demo", "--rows", "1000");

        exit.Should().Be(0, error);
        output.Should().Contain("rec-neg").And.Contain("Examples from the recourse-aware logistic model");
        output.Should().MatchRegex("(raise|lower) .+ from .+ to ");
    }

    [Fact]
    public void Demo_TooFewRows_ExitsWithClearError()
    {
        var (exit, _, error) = CliRunner.Run("demo", "--rows", "10");
        exit.Should().Be(1);
        error.Should().StartWith("error:").And.Contain("100");
    }
}
