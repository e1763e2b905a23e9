using Microsoft.ML.Recourse.Tests.TestFramework;
using System.Text.Json;
using Microsoft.ML.Recourse.Calibration;
using Microsoft.ML.Recourse.Experiments;
using Microsoft.ML.Recourse.Tests.Persuasion;

namespace Microsoft.ML.Recourse.Tests.Experiments;

public class PacValidityExperimentTests
{
    [ReferenceDataFact]
    public void ReproducePacValidity_TinyGermanConfiguration_FailureFrequencyMatchesTheExactProbability()
    {
        string output = Path.Combine(Path.GetTempPath(), $"pac-validity-{Guid.NewGuid():N}");
        var (exit, stdout, stderr) = CliRunner.Run("reproduce", "pac-validity", "--dataset", "german", "--sizes", "60,100", "--draws", "2000",
            "--epochs", "5", "--out", output, "--json");

        exit.Should().Be(0, stderr);
        using var json = JsonDocument.Parse(stdout);
        json.RootElement.GetProperty("pool").GetProperty("rows").GetInt32().Should().Be(200);
        var cells = json.RootElement.GetProperty("results").EnumerateArray().ToList();
        cells.Should().HaveCount(4);
        foreach (var cell in cells)
        {
            double frequency = cell.GetProperty("frequency").GetDouble();
            double exact = cell.GetProperty("exactFailureProbability").GetDouble();
            double bound = cell.GetProperty("failureBound").GetDouble();
            exact.Should().BeLessThanOrEqualTo(bound + 1e-12, "the exact failure probability never exceeds the CDF cut");
            // 4.5 binomial standard errors of the exact probability (plus a floor for probabilities near 0).
            frequency.Should().BeApproximately(exact, 4.5 * Math.Sqrt(exact * (1 - exact) / 2000) + 0.003);
            if (cell.GetProperty("convention").GetString() == "standard")
                frequency.Should().BeLessThanOrEqualTo(0.05 + 2 * cell.GetProperty("standardError").GetDouble());
        }
        File.Exists(Path.Combine(output, "report.md")).Should().BeTrue();
        File.Exists(Path.Combine(output, "results.json")).Should().BeTrue();
        Directory.Delete(output, recursive: true);
    }

    [Fact]
    public void ExactFailureProbability_DistinctScores_IsTheBinomialCdfAtTheEpsilonQuantile()
    {
        var scores = Enumerable.Range(0, 1000).Select(i => i / 1000.0).ToArray();
        int k = PacThreshold.AllowedMisses(100, 0.05, 0.05)!.Value;

        double exact = PacValidityExperiment.ExactFailureProbability(scores, 100, k, 0.05);

        // t* = 0.050 (50 scores below it), so p* = P[s ≤ t*] = 51 / 1000.
        exact.Should().BeApproximately(MathNet.Numerics.Distributions.Binomial.CDF(0.051, 100, k), 1e-12);
        PacValidityExperiment.MissRate(scores, 0.050).Should().Be(0.050);
        PacValidityExperiment.MissRate(scores, 0.0505).Should().Be(0.051);
    }
}
