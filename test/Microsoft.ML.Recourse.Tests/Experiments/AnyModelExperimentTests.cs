using System.Text.Json;
using Microsoft.ML.Recourse.Experiments;
using Microsoft.ML.Recourse.Tests.TestFramework;

namespace Microsoft.ML.Recourse.Tests.Experiments;

public class AnyModelExperimentTests
{
    [ReferenceDataFact]
    public void ReproduceAnyModel_LinearAndTreeWithSearchTwins_EveryOptionValidAndTheSearchNeverBeatsTheProvedOptimum()
    {
        string output = Path.Combine(Path.GetTempPath(), $"any-model-{Guid.NewGuid():N}");
        var (exit, stdout, stderr) = CliRunner.Run("reproduce", "any-model", "--rows", "40", "--models", "lbfgs,lbfgs-search,fasttree,fasttree-search",
            "--out", output, "--json");

        exit.Should().Be(0, stderr);
        using var json = JsonDocument.Parse(stdout);
        var models = json.RootElement.GetProperty("models").EnumerateArray().ToList();
        models.Select(m => m.GetProperty("method").GetString()).Should().Equal("linear-mip", "search", "trees-cp-sat", "search");
        foreach (var model in models)
        {
            model.GetProperty("rejectedRows").GetInt32().Should().Be(40);
            model.GetProperty("validOptions").GetInt32().Should().Be(model.GetProperty("options").GetInt32());
            if (model.GetProperty("method").GetString() != "search")
                model.GetProperty("provedOptimal").GetInt32().Should().Be(model.GetProperty("found").GetInt32());
        }
        var comparisons = json.RootElement.GetProperty("searchAgainstExact").EnumerateArray().ToList();
        comparisons.Should().HaveCount(2);
        foreach (var comparison in comparisons)
        {
            comparison.GetProperty("searchCheaper").GetInt32().Should().Be(0);
            comparison.GetProperty("searchFoundWhereProvedInfeasible").GetInt32().Should().Be(0);
        }
        File.ReadAllText(Path.Combine(output, "report.md")).Should().Contain("The search against the exact methods");
        Directory.Delete(output, recursive: true);
    }

    [Fact]
    public void Compare_SameRows_CountsCostlierCheaperAndFoundWhereProvedInfeasible()
    {
        var found = ColumnRecourseStatus.Found;
        var exact = Result("exact", [1.0, 2.0, double.NaN, 3.0, double.NaN], [found, found, ColumnRecourseStatus.Infeasible, found, ColumnRecourseStatus.Infeasible]);
        var search = Result("search", [1.0, 2.5, 4.0, double.NaN, 1.0], [found, found, found, ColumnRecourseStatus.NotFound, found]);

        var comparison = AnyModelExperiment.Compare(search, exact);

        comparison.BothFound.Should().Be(2);
        comparison.ExactMeanCost.Should().Be(1.5);
        comparison.SearchMeanCost.Should().Be(1.75);
        comparison.SearchCostlier.Should().Be(1);
        comparison.SearchCheaper.Should().Be(0);
        comparison.SearchFoundWhereProvedInfeasible.Should().Be(2);
    }

    [Fact]
    public void Compare_DifferentRowCounts_Throws()
    {
        var exact = Result("exact", [1.0], [ColumnRecourseStatus.Found]);
        var search = Result("search", [1.0, 2.0], [ColumnRecourseStatus.Found, ColumnRecourseStatus.Found]);

        var act = () => AnyModelExperiment.Compare(search, exact);

        act.Should().Throw<InvalidOperationException>().WithMessage("*'search' explained 2 rows and 'exact' 1*");
    }

    private static AnyModelExperiment.ModelResult Result(string name, double[] costs, ColumnRecourseStatus[] statuses)
        => new(name, name, "m", null, 0.9, costs.Length, statuses.Count(s => s == ColumnRecourseStatus.Found), 0, 0, 0, 0, 0, double.NaN, 1, 1, 1, 1,
            costs, statuses);
}
