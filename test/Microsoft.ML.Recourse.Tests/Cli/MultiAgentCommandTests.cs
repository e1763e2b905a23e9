using Microsoft.ML.Recourse.Tests.TestFramework;
using System.CommandLine;
using System.Text.Json;
using Microsoft.ML.Recourse.Cli;
using Microsoft.ML.Recourse.MultiAgent;

namespace Microsoft.ML.Recourse.Tests.Cli;

public class MultiAgentCommandTests
{
    private static (int ExitCode, string Output, string Error) Run(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int code = Program.BuildRootCommand().Parse(args).Invoke(new InvocationConfiguration { Output = output, Error = error });
        return (code, output.ToString(), error.ToString());
    }

    [Fact]
    public void MultiAgent_JsonOnSynthesizedDalBoLog_PrintsPaperCounts()
    {
        string path = Path.Combine(Path.GetTempPath(), $"plays-{Guid.NewGuid():N}.csv");
        Run("multiagent", "synthesize-plays", "--game", "dalbo-pd1", "--game", "dalbo-pd2", "--principal-moves", "C=434,D=2860", "--seed", "7", "--out", path)
            .ExitCode.Should().Be(0);
        var (code, output, _) = Run("multiagent", "--game", "dalbo-pd1", "--game", "dalbo-pd2", "--plays", path, "--json");
        File.Delete(path);
        code.Should().Be(0);
        var problems = JsonDocument.Parse(output).RootElement.GetProperty("problems");
        int Count(string problem, string what, string direction) => problems.GetProperty(problem).GetProperty(what).GetProperty(direction).GetInt32();
        problems.GetProperty("singleAgent").GetProperty("recommendations").GetInt32().Should().Be(434);
        Count("singleAgent", "other", "lowered").Should().Be(434);
        Count("singleAgent", "sum", "lowered").Should().Be(434);
        problems.GetProperty("pareto").GetProperty("recommendations").GetInt32().Should().Be(0);
        problems.GetProperty("socialWelfare").GetProperty("recommendations").GetInt32().Should().Be(0);
        problems.GetProperty("welfareOnly").GetProperty("recommendations").GetInt32().Should().Be(2860);
        Count("welfareOnly", "principal", "lowered").Should().Be(2860);
    }

    [Fact]
    public void MultiAgent_Tables_ShowEveryProblem()
    {
        var (code, output, _) = Run("multiagent", "--game", RepositoryPaths.File("docs/examples/pd-game.json"), "--plays", RepositoryPaths.File("docs/examples/pd-plays.csv"));
        code.Should().Be(0);
        output.Should().Contain("singleAgent").And.Contain("socialWelfare").And.Contain("pareto").And.Contain("welfareOnly");
    }

    [Fact]
    public void MultiAgent_PlaysWithUnknownMove_FailsNamingTheLine()
    {
        string path = Path.Combine(Path.GetTempPath(), $"plays-{Guid.NewGuid():N}.csv");
        File.WriteAllText(path, "principal,other\nC,D\nQ,C\n");
        var (code, _, error) = Run("multiagent", "--game", "pd", "--plays", path);
        File.Delete(path);
        code.Should().Be(1);
        error.Should().Contain("line 3: unknown move 'Q' for the principal");
    }

    [Fact]
    public void MultiAgent_UnknownGame_FailsWithTheBuiltInList()
    {
        var (code, _, error) = Run("multiagent", "--game", "chicken", "--plays", "x.csv");
        code.Should().Be(1);
        error.Should().Contain("neither a built-in game (pd, dalbo-pd1, dalbo-pd2)");
    }

    [Fact]
    public void DocsExamples_SamplePlays_AreTheGeneratorsOutput()
    {
        // docs/examples/dalbo-plays-sample.csv is written by
        // recourse multiagent synthesize-plays --game dalbo-pd1 --game dalbo-pd2 --principal-moves C=13,D=87 --seed 2005
        string expected = Path.Combine(Path.GetTempPath(), $"plays-{Guid.NewGuid():N}.csv");
        Run("multiagent", "synthesize-plays", "--game", "dalbo-pd1", "--game", "dalbo-pd2", "--principal-moves", "C=13,D=87", "--seed", "2005", "--out", expected)
            .ExitCode.Should().Be(0);
        File.ReadAllText(RepositoryPaths.File("docs/examples/dalbo-plays-sample.csv")).Should().Be(File.ReadAllText(expected));
        File.Delete(expected);
    }

    [Fact]
    public void DocsExamples_GameJson_IsTheSentenceReductionDilemma()
        => NormalFormGame.Load(RepositoryPaths.File("docs/examples/pd-game.json")).Single().Payoffs
            .Should().BeEquivalentTo(NormalFormGame.SentenceReduction.Payoffs, o => o.WithStrictOrdering());
}
