using Microsoft.ML.Recourse.Persuasion;
using Microsoft.ML.Recourse.Tests.TestFramework;
using Xunit.Abstractions;

namespace Microsoft.ML.Recourse.Tests.Persuasion;

public class PersuasionProblemFileFuzzTests(ITestOutputHelper output)
{
    /// <summary>Every key the format has, so that a message naming any of them names the place.</summary>
    private static readonly string[] Keys =
        ["actions", "regions", "subject", "prior", "samples", "seed", "name", "cost", "decisionMakerUtility", "delta", "mass", "accepted", "mean", "variance", "rules", "root"];

    internal static string[] Seeds() =>
    [
        PersuasionFixtures.ThreeActionsJson,
        """
        {"subject": [0.2, 0.4], "prior": {"mean": [1.0, -0.5, -0.8], "variance": 0.4},
         "actions": [{"name": "nothing", "delta": [0, 0], "cost": 0, "decisionMakerUtility": 0},
                     {"name": "improve", "delta": [0.6, 0], "cost": 0.3, "decisionMakerUtility": 1},
                     {"name": "game", "delta": [0, -0.5], "cost": 0.1, "decisionMakerUtility": 0}],
         "samples": 200, "seed": 3}
        """,
        """
        {"subject": [0.5], "prior": {"rules": [[1, -0.2], [0.5, 0.1], [-1, 0.3]]},
         "actions": [{"name": "nothing", "delta": [0], "cost": 0, "decisionMakerUtility": 0},
                     {"name": "up", "delta": [1], "cost": 0.2, "decisionMakerUtility": 1}],
         "samples": 50}
        """,
    ];

    [Fact]
    public void Parse_TenThousandMutatedProblems_ParseOrThrowFormatExceptionNamingThePlace()
    {
        var tally = DocumentFuzzer.Run(Seeds(), DocumentFuzzer.MutateJson, json => PersuasionProblemFile.Parse(json, "problem.json"),
            [typeof(FormatException)],
            message => message.StartsWith("problem.json: ", StringComparison.Ordinal) && (DocumentFuzzer.NamesLine(message) || message.Contains('$') || Keys.Any(k => message.Contains(k, StringComparison.Ordinal))));

        output.WriteLine($"persuasion problem JSON fuzz: {tally}");
        tally.Inputs.Should().Be(DocumentFuzzer.Count);
        tally.Rejected.GetValueOrDefault(nameof(FormatException)).Should().BeGreaterThan(tally.Inputs / 2);
    }
}
