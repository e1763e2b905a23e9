using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Microsoft.ML.Recourse.Experiments.Trees;

/// <summary>Writes <see cref="TreeRecourseExperiment"/> results as <c>results.json</c> and <c>report.md</c>, each atomically.</summary>
public static class TreeRecourseReport
{
    /// <summary>The JSON file name.</summary>
    public const string JsonFile = "results.json";

    /// <summary>The Markdown file name.</summary>
    public const string MarkdownFile = "report.md";

    /// <summary>Writes both files into <paramref name="outputDirectory"/> and returns their paths.</summary>
    /// <param name="results">The experiment's results.</param>
    /// <param name="data">The data they came from.</param>
    /// <param name="outputDirectory">The folder to write into (created when missing).</param>
    /// <param name="commandLine">The command that produced them, recorded in both files.</param>
    /// <param name="environment">A line about the machine (cores, load), recorded in both files.</param>
    public static IReadOnlyList<string> Write(IReadOnlyList<TreeExperimentResult> results, TreeExperimentData data, string outputDirectory,
        string commandLine, string environment)
        => AtomicFile.WriteAllText(outputDirectory, new[]
        {
            (JsonFile, ToJson(results, data, commandLine, environment)),
            (MarkdownFile, ToMarkdown(results, data, commandLine, environment)),
        });

    /// <summary>The results as indented JSON.</summary>
    /// <param name="results">The experiment's results.</param>
    /// <param name="data">The data they came from.</param>
    /// <param name="commandLine">The command that produced them.</param>
    /// <param name="environment">A line about the machine.</param>
    public static string ToJson(IReadOnlyList<TreeExperimentResult> results, TreeExperimentData data, string commandLine, string environment)
    {
        object Method(TreeMethodSummary m) => new
        {
            rows = m.Rows,
            answered = m.Answered,
            valid = m.Valid,
            validity = Round(m.Validity),
            medianMs = Round(m.MedianMilliseconds),
            p95Ms = Round(m.P95Milliseconds),
            medianCpuMs = Round(m.MedianCpuMilliseconds),
            p95CpuMs = Round(m.P95CpuMilliseconds),
            meanCost = Round(m.MeanCost),
        };
        var document = new
        {
            command = commandLine,
            environment,
            dataset = data.Name,
            trainRows = data.TrainLabels.Length,
            testRows = data.TestLabels.Length,
            features = data.FeatureCount,
            models = results.Select(r => new
            {
                name = r.Setting.Name,
                trees = r.TreeCount,
                trainSeconds = Round(r.TrainSeconds),
                testAccuracy = Round(r.TestAccuracy),
                rejectedTestRows = r.RejectedTestRows,
                optimal = r.Optimal,
                feasible = r.Feasible,
                infeasible = r.Infeasible,
                unknown = r.Unknown,
                shareProved = Round(r.ShareProved),
                exact = Method(r.Exact),
                featureTweaking = Method(r.Tweaking),
                featureTweakingCostRatio = Round(r.TweakingCostRatio),
            }),
        };
        // Relaxed escaping keeps "×" in the model names readable; the file is not embedded in HTML.
        return JsonSerializer.Serialize(document, new JsonSerializerOptions { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }) + "\n";
    }

    /// <summary>The results as a Markdown report with one table.</summary>
    /// <param name="results">The experiment's results.</param>
    /// <param name="data">The data they came from.</param>
    /// <param name="commandLine">The command that produced them.</param>
    /// <param name="environment">A line about the machine.</param>
    public static string ToMarkdown(IReadOnlyList<TreeExperimentResult> results, TreeExperimentData data, string commandLine, string environment)
    {
        var text = new StringBuilder();
        text.AppendLine("# Exact recourse for tree ensembles: timings and validity");
        text.AppendLine();
        text.AppendLine(Invariant($"Data: {data.Name}, {data.TrainLabels.Length} training and {data.TestLabels.Length} test rows, {data.FeatureCount} features. Rows explained: the first test rows each model rejects (ML.NET's PredictedLabel). Exact: CP-SAT, one worker, weighted L1 cost. Valid: ML.NET's own PredictedLabel accepts the counterfactual and it is an action of Δ. Times per row, one after the other on one thread; wall clock and process CPU time."));
        text.AppendLine();
        text.AppendLine($"Command: `{commandLine}`");
        text.AppendLine();
        text.AppendLine($"Machine: {environment}");
        text.AppendLine();
        text.AppendLine("| model | trees | test acc. | rows | optimal | infeasible | time limit | proved | exact median / p95 ms (wall) | exact median / p95 ms (CPU) | exact valid | exact mean cost | FT answered | FT valid | FT median / p95 ms (wall) | FT mean cost | FT cost / optimum |");
        text.AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var r in results)
        {
            text.AppendLine(Invariant(
                $"| {r.Setting.Name} | {r.TreeCount} | {r.TestAccuracy:P1} | {r.Exact.Rows} | {r.Optimal} | {r.Infeasible} | {r.Feasible + r.Unknown} | {r.ShareProved:P1} | {r.Exact.MedianMilliseconds:F1} / {r.Exact.P95Milliseconds:F1} | {r.Exact.MedianCpuMilliseconds:F1} / {r.Exact.P95CpuMilliseconds:F1} | {r.Exact.Valid}/{r.Exact.Answered} | {r.Exact.MeanCost:F3} | {r.Tweaking.Answered} | {r.Tweaking.Valid}/{r.Tweaking.Answered} | {r.Tweaking.MedianMilliseconds:F1} / {r.Tweaking.P95Milliseconds:F1} | {r.Tweaking.MeanCost:F3} | {r.TweakingCostRatio:F2} |"));
        }
        return text.ToString();
    }

    private static double Round(double value) => double.IsFinite(value) ? Math.Round(value, 4) : double.NaN;

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
