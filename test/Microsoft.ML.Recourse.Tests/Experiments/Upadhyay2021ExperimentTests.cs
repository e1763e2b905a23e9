using System.Text.Json;
using Microsoft.ML.Recourse.Experiments;
using Microsoft.ML.Recourse.Tests.TestFramework;

namespace Microsoft.ML.Recourse.Tests.Experiments;

public class Upadhyay2021ExperimentTests
{
    [ReferenceDataFact]
    public void Run_ReducedSettings_WritesJsonMarkdownAndSvgWithEveryShiftAndMethod()
    {
        var options = new Upadhyay2021Experiment.Options { SweepRadii = [0.1], CertificateRetrains = 29, RetrainingDatasets = ["german"] };
        var result = Upadhyay2021Experiment.Run(options);
        string dir = Path.Combine(Path.GetTempPath(), "upadhyay2021-" + Guid.NewGuid().ToString("N"));
        try
        {
            var files = Upadhyay2021Report.Write(result, dir, "recourse reproduce upadhyay2021 --out x");
            files.Select(Path.GetFileName).Should().Equal("results.json", "report.md", "validity-vs-cost.svg", "validity-vs-cost.png");
            using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "results.json")));
            var shifts = json.RootElement.GetProperty("shifts").EnumerateArray().ToArray();
            shifts.Select(s => s.GetProperty("name").GetString()).Should().Equal("german-correction", "sba-temporal", "student-geospatial");
            foreach (var shift in shifts)
            {
                var methods = shift.GetProperty("methods").EnumerateArray().ToArray();
                methods.Select(m => m.GetProperty("name").GetString()).Should().Equal("gradient", "linearIp", "onestep", "robust", "robustIp");
                foreach (var m in methods)
                    foreach (string key in new[] { "m1Validity", "m2Validity", "m2ValiditySd", "cost", "msPerRow" })
                        m.GetProperty(key).GetDouble().Should().BeGreaterThanOrEqualTo(0, key);
            }
            json.RootElement.GetProperty("certificates").GetArrayLength().Should().Be(3);
            json.RootElement.GetProperty("retraining").EnumerateArray().Select(s => s.GetProperty("name").GetString()).Should().Equal("german-fresh-sample", "german-seed");
            File.ReadAllText(Path.Combine(dir, "report.md")).Should().Contain("| robust |").And.Contain("validity-vs-cost.svg");
            var figureTexts = System.Xml.Linq.XDocument.Parse(File.ReadAllText(Path.Combine(dir, "validity-vs-cost.svg"))).Descendants()
                .Where(e => e.Name.LocalName == "text").Select(e => e.Value).ToList();
            figureTexts.Should().Contain(["german-correction", "sba-temporal", "student-geospatial", "robust", "robustIp", "mean L1 cost", "M2 validity"]);
            figureTexts.Count(t => t == "0.1").Should().BeGreaterThanOrEqualTo(6, "each shift's robust and robustIp points are labelled with δ_max = 0.1");
        }
        finally
        {
            if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
        }
    }
}
