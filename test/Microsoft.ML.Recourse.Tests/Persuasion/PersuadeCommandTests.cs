using System.Text.Json;
using Microsoft.ML.Recourse.Tests.TestFramework;

namespace Microsoft.ML.Recourse.Tests.Persuasion;

/// <summary>Runs the real <c>recourse</c> executable, as a user would.</summary>
public class PersuadeCommandTests
{
    [Fact]
    public void Persuade_Json_PrintsUtilitiesRegionsAndPolicy()
    {
        string path = WriteTemp(PersuasionFixtures.ThreeActionsJson);
        var (exit, output, error) = CliRunner.Run("persuade", "--problem", path, "--json");

        exit.Should().Be(0, error);
        using var json = JsonDocument.Parse(output);
        var root = json.RootElement;
        root.GetProperty("regions").GetInt32().Should().Be(4);
        root.GetProperty("persuasion").GetProperty("decisionMakerUtility").GetDouble().Should().BeApproximately(0.5, 1e-6);
        root.GetProperty("persuasion").GetProperty("subjectUtility").GetDouble().Should().BeApproximately(0.2, 1e-6);
        root.GetProperty("fullDisclosure").GetProperty("decisionMakerUtility").GetDouble().Should().BeApproximately(0.1, 1e-6);
        root.GetProperty("fullDisclosure").GetProperty("subjectUtility").GetDouble().Should().BeApproximately(0.34, 1e-6);
        root.GetProperty("noDisclosure").GetProperty("decisionMakerUtility").GetDouble().Should().BeApproximately(0, 1e-6);
        var policy = root.GetProperty("policy");
        policy[3].GetProperty("mass").GetDouble().Should().Be(0.6);
        // Several policies are optimal here; all of them recommend improve with total probability 0.5.
        policy.EnumerateArray().Sum(r => r.GetProperty("mass").GetDouble() * r.GetProperty("recommend").GetProperty("improve").GetDouble())
            .Should().BeApproximately(0.5, 1e-6);
        File.Delete(path);
    }

    [Fact]
    public void Persuade_Tables_PrintsSummaryAndPolicy()
    {
        string path = WriteTemp(PersuasionFixtures.ThreeActionsJson);
        var (exit, output, error) = CliRunner.Run("persuade", "--problem", path);

        exit.Should().Be(0, error);
        output.Should().Contain("Full disclosure").And.Contain("0.34").And.Contain("No disclosure (subject plays game)").And.Contain("Recommendation probabilities per region");
        File.Delete(path);
    }

    [Fact]
    public void Persuade_BadProblem_ExitsWithClearError()
    {
        string path = WriteTemp("""{"actions":[{"name":"nothing","cost":0,"decisionMakerUtility":0}],"regions":[{"mass":0.7,"accepted":[false]}]}""");
        var (exit, _, error) = CliRunner.Run("persuade", "--problem", path, "--json");

        exit.Should().Be(1);
        error.Should().Contain("masses sum to 0.7").And.Contain("must sum to 1");
        File.Delete(path);
    }

    private static string WriteTemp(string content)
    {
        string path = Path.Combine(Path.GetTempPath(), $"persuasion-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, content);
        return path;
    }
}
