using Microsoft.ML.Recourse.Actions;
using Microsoft.ML.Recourse.Tests.TestFramework;
using Xunit.Abstractions;

namespace Microsoft.ML.Recourse.Tests.Actions;

public class ActionSetJsonFuzzTests(ITestOutputHelper output)
{
    internal static ActionSet Rich()
    {
        FeatureInfo[] features =
        [
            new("amount", Mean: 3000, Scale: 2500, Actionability: FeatureActionability.Free, Description: "credit amount"),
            new("duration", Mean: 20, Scale: 12, Actionability: FeatureActionability.DecreaseOnly, IsInteger: true),
            new("status_1", IsCategorical: true),
            new("status_2", IsCategorical: true),
            new("age", Actionability: FeatureActionability.IncreaseOnly),
        ];
        return ActionSet.CreateBuilder(features, 0.75)
            .SetBounds("amount", 250, 20_000)
            .SetCostWeight("amount", 2)
            .SetInteger("duration")
            .SetMaximumChange("duration", double.PositiveInfinity)
            .SetMaximumChange("age", 1.5)
            .SetStandardScale("age", 11)
            .AddOneHotGroup("status", ["status_1", "status_2"], isMutable: true, categoryLabels: ["single", "married"])
            .SetActionability("status_2", FeatureActionability.IncreaseOnly)
            .AddLinearConstraint("halving", new Dictionary<string, double> { ["amount"] = 1 }, new Dictionary<string, double> { ["amount"] = 0.5 }, constant: -10)
            .Build();
    }

    internal static string[] Seeds() =>
    [
        ActionSetJson.ToJson(Rich()).ToJsonString(),
        ActionSetJson.ToJson(ActionSet.FromFeatures([new FeatureInfo("x"), new FeatureInfo("y", Actionability: FeatureActionability.Immutable)], 0.5)).ToJsonString(),
    ];

    [Fact]
    public void Parse_TenThousandMutatedDocuments_ParseOrThrowFormatExceptionNamingTheJsonPath()
    {
        var tally = DocumentFuzzer.Run(Seeds(), DocumentFuzzer.MutateJson, json => ActionSetJson.Parse(json, "actions.json"),
            [typeof(FormatException)], message => message.StartsWith("actions.json: ", StringComparison.Ordinal) && (message.Contains('$') || DocumentFuzzer.NamesLine(message)));

        output.WriteLine($"action-set JSON fuzz: {tally}");
        tally.Inputs.Should().Be(DocumentFuzzer.Count);
        tally.Rejected.GetValueOrDefault(nameof(FormatException)).Should().BeGreaterThan(tally.Inputs / 2, "most mutations break the document");
    }
}
