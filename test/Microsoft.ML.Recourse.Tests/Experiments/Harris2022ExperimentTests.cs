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
    public void Restrict_ActionFeatures_KeepsEveryActionsScoreAtTheMeanRule()
    {
        double[] w = [0.5, -1.0, 2.0, 0.25], x0 = [1.0, -0.5, 0.2, 3.0];
        double b = -0.7;
        var options = new Harris2022Experiment.Options { GamingEffect = 0.5 };
        var actions = Harris2022Experiment.Actions(4, desirable: 1, gaming: 3, w, cost: 0.3, effect: 1.0, options);
        var (rw, rb, rx, ra) = Harris2022Experiment.Restrict(w, b, x0, actions, [1, 3]);
        rw.Should().Equal(-1.0, 0.25);
        rx.Should().Equal(-0.5, 3.0);
        ra.Should().HaveCount(3);
        for (int a = 0; a < actions.Length; a++)
        {
            double full = b + Enumerable.Range(0, 4).Sum(j => w[j] * (x0[j] + actions[a].Effect[j]));
            double reduced = rb + Enumerable.Range(0, 2).Sum(j => rw[j] * (rx[j] + ra[a].Effect[j]));
            reduced.Should().BeApproximately(full, 1e-12);
            ra[a].Cost.Should().Be(actions[a].Cost);
        }
        // A feature outside the uncertain set that an action moves cannot be folded into the intercept.
        FluentActions.Invoking(() => Harris2022Experiment.Restrict(w, b, x0, actions, [1]))
            .Should().Throw<InvalidOperationException>().WithMessage("*feature 3*known*");
    }

    [ReferenceDataFact]
    public void Run_PriorOnActionFeatures_ReportsThreeUncertainCoordinates()
    {
        var result = Harris2022Experiment.Run(new Harris2022Experiment.Options
        {
            NumberOfSubjects = 4, NumberOfSeeds = 1, NumberOfSamples = 2000, PriorVariances = [0.4], DesirableCosts = [0.3], DesirableEffects = [0.5],
            PriorOn = Harris2022Experiment.PriorSupport.ActionFeatures,
        });
        result.PersuasionDominatesEverywhere.Should().BeTrue();
        result.Data.MedianUncertainNorm.Should().BeLessThan(Math.Sqrt(24), "only two features and the intercept carry the prior");
        Harris2022Report.ToMarkdown(result, "x").Should().Contain("on 3 coordinates only");
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
