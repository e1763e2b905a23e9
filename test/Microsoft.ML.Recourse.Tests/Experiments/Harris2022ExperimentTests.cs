using System.Xml.Linq;
using Microsoft.ML.Recourse.Experiments;
using Microsoft.ML.Recourse.Tests.TestFramework;

namespace Microsoft.ML.Recourse.Tests.Experiments;

public class Harris2022ExperimentTests
{
    private static Harris2022Experiment.Options Reduced() => new()
    {
        NumberOfSubjects = 6,
        NumberOfSeeds = 2,
        NumberOfSamples = 2000,
        PriorVariances = [0.1, 0.4],
        DesirableCosts = [0.1, 0.5],
        DesirableEffects = [0.25, 1.0],
    };

    [ReferenceDataFact]
    public void Run_ReducedHelocConfiguration_PersuasionNeverLosesToEitherBaseline()
    {
        var result = Harris2022Experiment.Run(Reduced());

        result.Configurations.Should().HaveCount(8);
        result.PersuasionDominatesEverywhere.Should().BeTrue();
        result.MinimumSubjectAdvantage.Should().BeGreaterThanOrEqualTo(-Harris2022Experiment.DominanceTolerance);
        result.Configurations.Should().OnlyContain(c => c.Instances == 12 && c.MaximumRegions <= 8);
        result.Data.Rows.Should().Be(9871);
        result.Data.DesirableWeight.Should().BeNegative("more revolving burden means more risk");
        result.Variances.Should().HaveCount(2);
    }

    [ReferenceDataFact]
    public void Write_ReducedResult_WritesJsonMarkdownAndWellFormedSvg()
    {
        var result = Harris2022Experiment.Run(Reduced());
        string folder = Path.Combine(Path.GetTempPath(), $"harris2022-{Guid.NewGuid():N}");
        var files = Harris2022Report.Write(result, folder, "recourse reproduce harris2022 --out x");

        files.Select(Path.GetFileName).Should().BeEquivalentTo(["results.json", "report.md", "fig2-utility-grid.svg", "fig2-utility-grid.png", "fig3-utility-by-variance.svg", "fig3-utility-by-variance.png"]);
        foreach (var svg in files.Where(f => f.EndsWith(".svg")))
            XDocument.Parse(File.ReadAllText(svg)).Root!.Name.LocalName.Should().Be("svg");
        var markdown = File.ReadAllText(Path.Combine(folder, "report.md"));
        markdown.Should().Contain("recourse reproduce harris2022 --out x").And.Contain("in σ²");
        System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "results.json")))
            .RootElement.GetProperty("persuasionDominatesEverywhere").GetBoolean().Should().BeTrue();
        Directory.Delete(folder, recursive: true);
    }

    [Fact]
    public void Trend_ClassifiesSequences()
    {
        Harris2022Report.Trend([0.1, 0.2, 0.3]).Should().Be("increasing");
        Harris2022Report.Trend([0.3, 0.2, 0.1]).Should().Be("decreasing");
        Harris2022Report.Trend([0.1, 0.3, 0.2]).Should().Be("not monotone");
        Harris2022Report.Trend([0.0016, 0, 0]).Should().Be("non-increasing");
    }

    [Fact]
    public void Options_GridVarianceNotAmongVariances_IsRejected()
    {
        FluentActions.Invoking(() => Harris2022Experiment.Run(new Harris2022Experiment.Options { PriorVariances = [0.1, 0.4], GridVariance = 0.7 }))
            .Should().Throw<ArgumentOutOfRangeException>().WithMessage("*grid variance 0.7*");
    }
}
