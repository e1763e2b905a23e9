using Microsoft.ML;
using Microsoft.ML.Recourse.Persuasion;
using Microsoft.ML.Recourse.Tests.TestFramework;

namespace Microsoft.ML.Recourse.Tests.Persuasion;

public class PersuasionProblemFileTests
{
    private const string Linear = """
        {
          "subject": [0.2, 0.4],
          "prior": { "mean": [1.0, -0.5, -0.8], "variance": 0.4 },
          "actions": [
            { "name": "nothing", "delta": [0, 0],   "cost": 0,   "decisionMakerUtility": 0 },
            { "name": "improve", "delta": [0.6, 0], "cost": 0.3, "decisionMakerUtility": 1 },
            { "name": "game",    "delta": [0, -0.5], "cost": 0.1, "decisionMakerUtility": 0 }
          ],
          "samples": 20000,
          "seed": 3
        }
        """;

    [Fact]
    public void Parse_ExplicitRegions_ReproducesThreeActionFixture()
    {
        var problem = PersuasionProblemFile.Parse(PersuasionFixtures.ThreeActionsJson, "three.json");
        var result = new MLContext(seed: 1).Recourse().Persuasion.Solve(problem);

        problem.Setting.Should().BeNull();
        result.RegionCount.Should().Be(4);
        result.Persuasion.DecisionMakerUtility.Should().BeApproximately(0.5, 1e-6);
        result.FullDisclosure.DecisionMakerUtility.Should().BeApproximately(0.1, 1e-6);
        result.NoDisclosure.DecisionMakerUtility.Should().BeApproximately(0, 1e-6);
    }

    [Fact]
    public void Parse_LinearSetting_EstimatesRegionsDeterministically()
    {
        var first = PersuasionProblemFile.Parse(Linear, "linear.json");
        var second = PersuasionProblemFile.Parse(Linear, "linear.json");

        first.SampleCount.Should().Be(20000);
        first.Setting!.Subject.Should().Equal(0.2, 0.4);
        first.Regions.Sum(r => r.Mass).Should().BeApproximately(1, 1e-12);
        second.Regions.Select(r => (r.PatternText, r.Mass)).Should().Equal(first.Regions.Select(r => (r.PatternText, r.Mass)));
    }

    [Fact]
    public void Parse_PriorGivenByRules_UsesEmpiricalPrior()
    {
        const string json = """
            { "subject": [1.0], "prior": { "rules": [[1.0, 0.0], [-1.0, 0.0]] },
              "actions": [ { "name": "nothing", "delta": [0], "cost": 0, "decisionMakerUtility": 0 } ], "samples": 1000 }
            """;
        var problem = PersuasionProblemFile.Parse(json, "rules.json");
        problem.Regions.Select(r => r.PatternText).Should().BeEquivalentTo(["1", "0"]);
    }

    [Theory]
    [InlineData("""{"actions":[{"name":"nothing","cost":0,"decisionMakerUtility":0},{"name":"x","cost":-0.2,"decisionMakerUtility":1}],"regions":[{"mass":1,"accepted":[false,true]}]}""",
        "*actions[1]*'x'*cost*≥ 0*-0.2*")]
    [InlineData("""{"actions":[{"name":"nothing","cost":0,"decisionMakerUtility":0},{"name":"x","cost":0.2,"decisionMakerUtility":1}],"regions":[{"mass":0.5,"accepted":[false,true]},{"mass":0.4,"accepted":[false,false]}]}""",
        "*masses sum to 0.9*must sum to 1*")]
    [InlineData("""{"actions":[{"name":"nothing","cost":0,"decisionMakerUtility":0},{"name":"x","cost":0.2,"decisionMakerUtility":1}],"regions":[{"mass":1,"accepted":[false]}]}""",
        "*Region 0*length 1*2 actions*")]
    [InlineData("""{"actions":[{"name":"x","cost":0.2,"decisionMakerUtility":1}],"regions":[{"mass":1,"accepted":[true]}]}""",
        "*\"do nothing\"*")]
    [InlineData("""{"subject":[0.2,0.4],"prior":{"mean":[1,-0.5,-0.8],"variance":0},"actions":[{"name":"nothing","delta":[0,0],"cost":0,"decisionMakerUtility":0}]}""",
        "*prior*variance σ²*> 0*got 0*")]
    [InlineData("""{"subject":[0.2,0.4,0.1],"prior":{"mean":[1,-0.5,-0.8],"variance":0.4},"actions":[{"name":"nothing","delta":[0,0,0],"cost":0,"decisionMakerUtility":0}]}""",
        "*subject has 3 features*2 weights*")]
    [InlineData("""{"subject":[0.2,0.4],"prior":{"mean":[1,-0.5,-0.8],"variance":0.4},"actions":[{"name":"up","delta":[1,0],"cost":0,"decisionMakerUtility":0}]}""",
        "*\"do nothing\"*")]
    [InlineData("""{"actions":[],"regions":[],"subject":[1]}""", "*either \"regions\"*not both*")]
    [InlineData("""{"actions":[{"name":"nothing","cost":0}],"regions":[]}""", "*\"actions[0].decisionMakerUtility\" is missing*")]
    [InlineData("""{"actions": [ """, "*not valid JSON*")]
    public void Parse_BadInput_ThrowsFormatExceptionNamingTheProblem(string json, string message)
    {
        FluentActions.Invoking(() => PersuasionProblemFile.Parse(json, "bad.json"))
            .Should().Throw<FormatException>().WithMessage("bad.json: " + message);
    }
}

public class PersuasionProblemFileKeyTests
{
    [Theory]
    [InlineData("""{"actions":[{"name":"nothing","cost":0,"decisionMakerUtility":0}],"regions":[{"mass":1,"accepted":[false]}],"comment":"x"}""",
        "problem.json: \"comment\" is not a known key; the keys of the problem are actions, regions, subject, prior, samples, seed.")]
    [InlineData("""{"actions":[{"name":"nothing","cost":0,"decisionMakerUtility":0,"colour":"red"}],"regions":[{"mass":1,"accepted":[false]}]}""",
        "problem.json: \"actions[0].colour\" is not a known key*")]
    [InlineData("""{"actions":[{"name":"nothing","cost":0,"decisionMakerUtility":0}],"regions":[{"mass":1,"accepted":[false],"weight":2}]}""",
        "problem.json: \"regions[0].weight\" is not a known key*")]
    [InlineData("""{"subject":[0.2],"prior":{"mean":[1,0],"variance":0.4,"sd":1},"actions":[{"name":"nothing","delta":[0],"cost":0,"decisionMakerUtility":0}]}""",
        "problem.json: \"prior.sd\" is not a known key*")]
    [InlineData("""{"actions":[{"name":"nothing","cost":0,"decisionMakerUtility":0}],"regions":[{"mass":1,"accepted":[false]}],"samples":10}""",
        "problem.json: \"samples\" belongs to a linear rule*")]
    [InlineData("""{"subject":[0.2],"prior":{"mean":[1,0],"variance":0.4,"rules":[[1,0]]},"actions":[{"name":"nothing","delta":[0],"cost":0,"decisionMakerUtility":0}]}""",
        "problem.json: \"prior\" gives either \"rules\" or \"mean\" with \"variance\", not both.")]
    [InlineData("""{"subject":[0.2],"prior":{"mean":[1,0],"variance":0.4},"actions":[{"name":"nothing","delta":[0],"cost":0,"decisionMakerUtility":0}],"samples":2000000000}""",
        "problem.json: \"samples\" must be between 1 and 1,000,000; got 2000000000.")]
    [InlineData("""{"subject":[0.2],"prior":{"mean":[1,0],"variance":1e400},"actions":[{"name":"nothing","delta":[0],"cost":0,"decisionMakerUtility":0}]}""",
        "problem.json: \"prior.variance\" must be a finite number.")]
    [InlineData("""{"actions":[{"name":"nothing","cost":0,"cost":1,"decisionMakerUtility":0}],"regions":[{"mass":1,"accepted":[false]}]}""",
        "problem.json: $.actions[0].cost is repeated: a key may appear once in an object.")]
    public void Parse_UnknownRepeatedOrOutOfRangeKey_ThrowsFormatExceptionNamingIt(string json, string message)
        => FluentActions.Invoking(() => PersuasionProblemFile.Parse(json, "problem.json")).Should().Throw<FormatException>().WithMessage(message);
}
