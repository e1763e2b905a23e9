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
        // The sparse advice (the integer program) changes fewer features, at no more cost, than the one-step box corner.
        foreach (var e in examples)
        {
            e.GetProperty("sparseRecourse").GetString().Should().Contain(" from ");
            e.GetProperty("sparseCost").GetDouble().Should().BeLessThanOrEqualTo(e.GetProperty("cost").GetDouble() + 1e-6);
            e.GetProperty("sparseChanges").GetInt32().Should().BeLessThanOrEqualTo(e.GetProperty("recourse").GetString()!.Split("; ").Length);
        }
        examples.Should().Contain(e => e.GetProperty("sparseChanges").GetInt32() < e.GetProperty("recourse").GetString()!.Split("; ").Length);
    }

    [Fact]
    public void Demo_Tables_ShowTheExamplesInPlainLanguage()
    {
        var (exit, output, error) = CliRunner.Run("demo", "--rows", "1000");

        exit.Should().Be(0, error);
        output.Should().Contain("rec-neg").And.Contain("Advice for three applicants the recourse-aware logistic model");
        output.Should().MatchRegex("(raise|lower) .+ from .+ to ");
        // It says what recourse is and what every column means, with units, and gives the sparse advice first.
        output.Should().Contain("Recourse is what a person the model turns down can change");
        foreach (string legend in new[] { "  λ  ", "  θ₀  ", "  denied  ", "  rec-neg  ", "  rec-all  ", "  cost  " })
            output.Should().Contain(legend);
        output.Should().Contain("standard deviation").And.Contain("smallest change (").And.Contain("one-step LP step (cost ");
        // Piped, lines are not wrapped at 80 columns: each piece of advice is one line, and there is no escape code.
        output.Split('\n').Should().Contain(l => l.Length > 120 && l.Contains("one-step LP step (cost ") && l.Contains(" from "));
        output.Should().NotContain("\u001b");
    }

    [Fact]
    public void Demo_TooFewRows_ExitsWithClearError()
    {
        var (exit, _, error) = CliRunner.Run("demo", "--rows", "10");
        exit.Should().Be(1);
        error.Should().StartWith("error:").And.Contain("100");
    }
}
