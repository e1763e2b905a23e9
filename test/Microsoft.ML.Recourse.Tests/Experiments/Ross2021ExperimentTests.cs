using Microsoft.ML.Recourse.Tests.TestFramework;
using System.Text.Json;
using System.Xml.Linq;
using Microsoft.ML.Recourse.Experiments;
using Microsoft.ML.Recourse.Tests.Persuasion;

namespace Microsoft.ML.Recourse.Tests.Experiments;

/// <summary><c>recourse reproduce ross2021</c> on german with one seed and a two-λ sweep, run as a user would.</summary>
public class Ross2021ExperimentTests
{
    private static readonly string[] Generators = ["onestep", "gradient", "linearIp"];

    [ReferenceDataFact]
    public void ReproduceRoss2021_GermanOneSeed_WritesConsistentTablesAndFigures()
    {
        string output = Path.Combine(Path.GetTempPath(), $"ross2021-{Guid.NewGuid():N}");
        var (exit, stdout, stderr) = CliRunner.Run("reproduce", "ross2021", "--dataset", "german", "--seeds", "0", "--sweep-lambdas", "0,0.8",
            "--out", output, "--json");

        exit.Should().Be(0, stderr);
        stderr.Should().Contain("Time taken:");
        using var json = JsonDocument.Parse(stdout);
        json.RootElement.GetProperty("seconds").GetDouble().Should().BePositive();
        var dataset = json.RootElement.GetProperty("datasets").EnumerateArray().Should().ContainSingle().Subject;
        dataset.GetProperty("name").GetString().Should().Be("german");
        dataset.GetProperty("direction").GetString().Should().Be("reference");
        var rows = dataset.GetProperty("rows").EnumerateArray().ToList();
        rows.Select(r => (r.GetProperty("lambda").GetDouble(), r.GetProperty("threshold").GetString()))
            .Should().Equal((0.0, "f1max"), (0.0, "pare"), (0.8, "f1max"), (0.8, "pare"));
        const int testRows = 100;
        foreach (var row in rows)
        {
            double theta0 = row.GetProperty("theta0").GetDouble();
            theta0.Should().BeInRange(0, 1);
            foreach (string metric in new[] { "f1", "accuracy", "precision", "recall" })
                row.GetProperty(metric).GetDouble().Should().BeInRange(0, 1, metric);
            int negatives = row.GetProperty("negatives").GetInt32();
            foreach (string generator in Generators)
            {
                double neg = row.GetProperty("recourseNeg").GetProperty(generator).GetDouble();
                double all = row.GetProperty("recourseAll").GetProperty(generator).GetDouble();
                // recourse-all counts the accepted rows plus the rejected rows with recourse.
                all.Should().BeApproximately((testRows - negatives + neg * negatives) / testRows, 1e-9, generator);
                all.Should().BeGreaterThanOrEqualTo((testRows - negatives) / (double)testRows, generator);
            }
            if (row.GetProperty("threshold").GetString() == "pare")
            {
                var pare = row.GetProperty("pare");
                pare.GetProperty("calibrationSize").GetInt32().Should().Be(100);
                pare.GetProperty("allowedMisses").GetInt32().Should().Be(1, "k* = 1 for n = 100, ε = δ = 0.05 in the standard convention");
                theta0.Should().BeLessThanOrEqualTo(pare.GetProperty("upperBound").GetDouble());
                row.GetProperty("recourseAll").GetProperty("onestep").GetDouble().Should().BeGreaterThanOrEqualTo(0.95, "PARE holds on this run");
            }
        }
        // The λ = 0.8 model is `recourse train --seed 0 --split-seed 0` (docs/recourse-aware-training.md).
        var main = rows[2];
        main.GetProperty("theta0").GetDouble().Should().BeApproximately(0.6, 1e-9);
        main.GetProperty("f1").GetDouble().Should().BeApproximately(0.457, 5e-4);
        main.GetProperty("recourseNeg").GetProperty("onestep").GetDouble().Should().Be(1.0);
        rows[0].GetProperty("recourseNeg").GetProperty("onestep").GetDouble().Should().BeLessThan(0.2, "the reference sign gives the baseline almost no one-step recourse");

        string folder = Path.Combine(output, "reference");
        using var file = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "german.json")));
        file.RootElement.GetProperty("lambdaSweep").GetArrayLength().Should().Be(2);
        file.RootElement.GetProperty("thresholdSweep").GetProperty("points").GetArrayLength().Should().Be(2 * 20);
        file.RootElement.GetProperty("paperNumbers").GetProperty("table1").GetProperty("ours").GetProperty("F1").GetDouble().Should().Be(0.419);
        string markdown = File.ReadAllText(Path.Combine(folder, "german.md"));
        markdown.Should().Contain("## Table 1").And.Contain("## Table 2").And.Contain("| Ours + PARE |").And.Contain("german-fig1-lambda.svg");
        foreach (string figure in new[] { "german-fig1-lambda.svg", "german-fig2-threshold.svg" })
            XDocument.Parse(File.ReadAllText(Path.Combine(folder, figure))).Root!.Name.LocalName.Should().Be("svg");
        Directory.Delete(output, recursive: true);
    }

    [Fact]
    public void ReproduceRoss2021_BadSeeds_ExitsWithClearError()
    {
        var (exit, _, stderr) = CliRunner.Run("reproduce", "ross2021", "--dataset", "german", "--seeds", "0,x", "--out", Path.GetTempPath());
        exit.Should().Be(1);
        stderr.Should().Contain("--seeds must be a comma-separated list of numbers");
    }

    [Fact]
    public void PaperNumbers_Table1_MatchesReferenceSection8()
    {
        // ross2021-reference.md §8 (mean of seeds 0/21/42, λ=0 | λ=0.8), typed in independently of the source file.
        var adult = Ross2021PaperNumbers.Table1["adult"];
        adult.Baseline.Theta0.Should().Be(0.583);
        adult.Ours.Theta0.Should().Be(0.733);
        adult.Baseline.F1.Should().Be(0.697);
        adult.Ours.OneStepNeg.Should().Be(0.498);
        var compas = Ross2021PaperNumbers.Table1["compas"];
        compas.Ours.Recall.Should().Be(0.991);
        compas.Baseline.GradientAll.Should().Be(0.883);
        var bail = Ross2021PaperNumbers.Table1["bail"];
        bail.Baseline.Accuracy.Should().Be(0.643);
        bail.Ours.OneStepAll.Should().Be(0.999);
        var german = Ross2021PaperNumbers.Table1["german"];
        german.Baseline.OneStepNeg.Should().Be(0.127);
        german.Ours.Precision.Should().Be(0.317);
        german.Ours.GradientNeg.Should().Be(0.864);
        Ross2021PaperNumbers.Table1.Keys.Should().BeEquivalentTo(Ross2021Experiment.DatasetNames);
    }

    [Fact]
    public void PaperNumbers_Table2_F1MaxRowsRepeatTable1()
    {
        foreach (var (name, cells) in Ross2021PaperNumbers.Table2)
        {
            var table1 = Ross2021PaperNumbers.Table1[name];
            cells.BaselineF1MaxF1.Should().Be(table1.Baseline.F1, name);
            cells.BaselineF1MaxRecourse.Should().Be(table1.Baseline.OneStepAll, name);
            cells.OursF1MaxF1.Should().Be(table1.Ours.F1, name);
            cells.OursF1MaxRecourse.Should().Be(table1.Ours.OneStepAll, name);
        }
        Ross2021PaperNumbers.Table2["adult"].OursPareF1.Should().Be(0.526);
        Ross2021PaperNumbers.Table2["german"].OursPareRecourse.Should().Be(1.000);
    }
}
