using Microsoft.ML.Recourse.Experiments;
using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using static Microsoft.ML.Recourse.Experiments.CausalGermanExperiment;
using Microsoft.ML.Recourse.MultiAgent;
using Microsoft.ML.Recourse.Actions;

namespace Microsoft.ML.Recourse.Experiments;

/// <summary>Writes the causal German experiment's JSON, Markdown report and line chart (SVG and PNG, <see cref="ReportChart"/>), each atomically.</summary>
internal static class CausalGermanReport
{
    public const string JsonFile = "results.json";
    public const string MarkdownFile = "report.md";
    public const string FigureFile = "fig3-causal-recourse-neg.svg";

    private const string CausalColour = "#d62728", OneStepColour = "#1f77b4";

    public static IReadOnlyList<string> Write(Result result, string outputDirectory, string commandLine)
    {
        return ReportChart.WriteFiles(outputDirectory,
            [(JsonFile, ToJson(result)), (MarkdownFile, ToMarkdown(result, commandLine))],
            [(FigureFile, Figure(result))]);
    }

    public static string DirectionName(PerturbationDirection direction) => direction == PerturbationDirection.ReferenceCode ? "reference" : "recourse";

    public static string ToJson(Result result)
    {
        var o = result.Options;
        var document = new
        {
            paper = "Ross, Lakkaraju, Bastani. Learning Models for Actionable Recourse. NeurIPS 2021. Figure 3 (causal recourse on German credit).",
            protocol = new
            {
                data = "german/german.csv",
                seeds = o.Seeds,
                seedUse = "split seed and training seed",
                recourseWeights = o.RecourseWeights,
                direction = DirectionName(o.Direction),
                model = "MLP 2 x 100 ReLU, dropout 0.3, balanced class weights",
                epochs = o.NumberOfEpochs,
                batchSize = o.BatchSize,
                learningRate = o.LearningRate,
                threshold = "validation F1 over {0, 0.05, ..., 1}",
                maximumChange = Datasets.RecourseDataset.DefaultMaximumChange,
                causalGridStep = o.GridStep,
                causalModel = "amount := sum_k b_k pss_k + b_age age + U; duration := g0 + g amount + U; least squares on the split's training rows",
                interventions = "amount (free) and age (increase only), each left alone or set to x + k*step with |k*step| <= maximumChange",
                evaluationRows = "the test split's rows with g(x) < threshold",
            },
            runs = result.Seeds.Select(s => new
            {
                seed = s.Seed,
                trainRows = s.TrainRows,
                validationRows = s.ValidationRows,
                testRows = s.TestRows,
                causalModel = new
                {
                    fittedOnRows = s.CausalModel.Rows,
                    amountParents = s.CausalModel.AmountParents,
                    amountWeights = s.CausalModel.AmountWeights,
                    durationIntercept = s.CausalModel.DurationIntercept,
                    durationWeight = s.CausalModel.DurationWeight,
                },
                models = s.Models.Select(m => new
                {
                    lambda = m.RecourseWeight,
                    threshold = m.Threshold,
                    testAccuracy = m.TestAccuracy,
                    testF1 = m.TestF1,
                    negatives = m.Negatives,
                    causal = new
                    {
                        withRecourse = m.CausalWithRecourse,
                        recourseNeg = m.CausalRecourseNeg,
                        meanCost = m.CausalWithRecourse == 0 ? (double?)null : m.CausalMeanCost,
                    },
                    oneStep = new { withRecourse = m.OneStepWithRecourse, recourseNeg = m.OneStepRecourseNeg },
                }),
            }),
            summary = result.Summaries.Select(w => new
            {
                lambda = w.RecourseWeight,
                causalRecourseNeg = Json(w.Causal),
                oneStepRecourseNeg = Json(w.OneStep),
                threshold = Json(w.Threshold),
                negatives = Json(w.Negatives),
                testAccuracy = Json(w.TestAccuracy),
                testF1 = Json(w.TestF1),
                causalMeanCost = Json(w.CausalMeanCost),
            }),
        };
        return JsonSerializer.Serialize(document, new JsonSerializerOptions { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }) + "\n";

        static object? Json(Summary? s) => s is null ? null : new { mean = s.Mean, sd = s.StandardDeviation, se = s.StandardError, seeds = s.Seeds };
    }

    public static string ToMarkdown(Result result, string commandLine)
    {
        var o = result.Options;
        var first = result.Seeds[0];
        var sb = new StringBuilder();
        sb.AppendLine("# Causal recourse on German credit (Ross et al. 2021, Fig. 3)");
        sb.AppendLine();
        sb.AppendLine($"Generated by `{commandLine}`. Every number below is computed by that command; nothing is typed in.");
        sb.AppendLine();
        sb.AppendLine("## Setting");
        sb.AppendLine();
        sb.AppendLine(I($"* Seeds {Seeds(o.Seeds)} ({o.Seeds.Count}); each seed is the split seed (reference split: {first.TrainRows} training, {first.ValidationRows} validation, {first.TestRows} test rows) and the training seed."));
        sb.AppendLine(I($"* Models: the reference German MLP (2 × 100 ReLU, dropout 0.3), {o.NumberOfEpochs} epochs, batch {o.BatchSize}, Adam {o.LearningRate}, δ_max = {Datasets.RecourseDataset.DefaultMaximumChange}, reference actionability, perturbation direction `{DirectionName(o.Direction)}`, λ ∈ {{{string.Join(", ", o.RecourseWeights.Select(w => I($"{w:0.0##}")))}}}; θ₀ by validation F1."));
        sb.AppendLine("* SCM (model units, fitted by least squares on the split's **training rows**): amount := Σ_k β_k·pss_k + β_age·age + U_amount, duration := γ₀ + γ·amount + U_duration; age, pss exogenous.");
        sb.AppendLine(I($"* Causal recourse: for each test row with g(x) < θ₀, amount (free) and age (increase only) are each left alone or set to x + k·{o.GridStep} within ±δ_max; the descendants follow the SCM with the row's abducted noise; recourse exists when some intervention reaches g(x^SCF) ≥ θ₀ (exhaustive on the grid)."));
        sb.AppendLine("* One-step recourse-neg (for comparison): the trainer's one-step δ* on the same rejected rows, no causal propagation; valid when g(x + δ*) ≥ θ₀.");
        sb.AppendLine();
        sb.AppendLine("## Fig. 3 analogue");
        sb.AppendLine();
        sb.AppendLine($"![Fig. 3 analogue]({FigureFile})");
        sb.AppendLine();
        sb.AppendLine("Mean ± sample standard deviation over seeds (a seed whose model rejects no test row has no recourse-neg and is left out; n says how many remain).");
        sb.AppendLine();
        sb.AppendLine("| λ | causal recourse-neg | one-step recourse-neg | n | θ₀ | test negatives | test accuracy | test F1 | causal mean L1 cost |");
        sb.AppendLine("|---|---|---|---|---|---|---|---|---|");
        foreach (var w in result.Summaries)
            sb.AppendLine(I($"| {w.RecourseWeight:0.0##} | {MeanSd(w.Causal)} | {MeanSd(w.OneStep)} | {w.Causal?.Seeds ?? 0} | {w.Threshold.Mean:0.00} | {w.Negatives.Mean:0.0} | {w.TestAccuracy.Mean:0.000} | {w.TestF1.Mean:0.000} | {(w.CausalMeanCost is { } c ? I($"{c.Mean:0.000}") : "–")} |"));
        sb.AppendLine();
        sb.AppendLine("## Findings");
        sb.AppendLine();
        foreach (var line in Findings(result)) sb.AppendLine("* " + line);
        sb.AppendLine();
        sb.AppendLine("## SCM coefficients per seed (fitted on the training rows)");
        sb.AppendLine();
        sb.AppendLine("| seed | rows | β_pss1 | β_pss2 | β_pss3 | β_pss5 | β_age | γ₀ | γ |");
        sb.AppendLine("|---|---|---|---|---|---|---|---|---|");
        foreach (var s in result.Seeds)
        {
            var b = s.CausalModel.AmountWeights;
            sb.AppendLine(I($"| {s.Seed} | {s.CausalModel.Rows} | {b[0]:0.000} | {b[1]:0.000} | {b[2]:0.000} | {b[3]:0.000} | {b[4]:0.000} | {s.CausalModel.DurationIntercept:0.000} | {s.CausalModel.DurationWeight:0.000} |"));
        }
        sb.AppendLine();
        sb.AppendLine("## Fixed relative to the published code (reference report §4d)");
        sb.AppendLine();
        sb.AppendLine("* The abducted noise is used: descendants of an intervened variable are recomputed from their parents' new values plus the row's own noise (the published code computes the noise and drops it, so nothing propagates).");
        sb.AppendLine("* The duration equation is fed the amount (the published code feeds it age).");
        sb.AppendLine("* Recourse is evaluated on test rows (the published code indexes the training frame with test positions), and the SCM is fitted on the training rows only.");
        sb.AppendLine("* The box |θ − x| ≤ δ_max is enforced on both sides by construction (the published code checks only the upper side).");
        sb.AppendLine("* Validity is g(x^SCF) ≥ θ₀ with each model's own threshold (the published code stops at a hard-coded 0.5).");
        sb.AppendLine("* The search is exhaustive on the intervention grid instead of gradient steps with hyper-parameters picked on training negatives, so a row counts as without recourse only when no grid intervention works.");
        return sb.ToString();
    }

    /// <summary>Sentences built from the numbers: the ends of the λ range, the causal curve's shape, and causal vs one-step.</summary>
    internal static IReadOnlyList<string> Findings(Result result)
    {
        var lines = new List<string>();
        var defined = result.Summaries.Where(w => w.Causal is not null).ToArray();
        if (defined.Length == 0)
        {
            lines.Add("No model rejected any test row, so no recourse-neg is defined.");
            return lines;
        }
        var low = defined[0];
        var high = defined[^1];
        var best = defined.MaxBy(w => w.Causal!.Mean)!;
        lines.Add(I($"Causal recourse-neg is {MeanSd(low.Causal)} at λ = {low.RecourseWeight:0.0##} and {MeanSd(high.Causal)} at λ = {high.RecourseWeight:0.0##}; its highest mean is {best.Causal!.Mean:0.000} at λ = {best.RecourseWeight:0.0##}."));
        if (defined.Length > 1)
        {
            int rises = 0, falls = 0;
            double largestFall = 0;
            for (int k = 1; k < defined.Length; k++)
            {
                double step = defined[k].Causal!.Mean - defined[k - 1].Causal!.Mean;
                if (step > 0) rises++;
                else if (step < 0) falls++;
                largestFall = Math.Max(largestFall, -step);
            }
            lines.Add(I($"Between consecutive λ values the causal mean rises {rises} times and falls {falls} times ({(falls == 0 ? "non-decreasing" : $"not monotone; the largest fall is {largestFall:0.000}")}); the paper reports that it increases with λ."));
            int k0 = Array.IndexOf(result.Summaries.ToArray(), low), k1 = Array.IndexOf(result.Summaries.ToArray(), high);
            var paired = result.Seeds.Where(s => s.Models[k0].CausalRecourseNeg.HasValue && s.Models[k1].CausalRecourseNeg.HasValue).ToArray();
            int higher = paired.Count(s => s.Models[k1].CausalRecourseNeg > s.Models[k0].CausalRecourseNeg);
            int equal = paired.Count(s => s.Models[k1].CausalRecourseNeg == s.Models[k0].CausalRecourseNeg);
            lines.Add(I($"Per seed, λ = {high.RecourseWeight:0.0##} gives a higher causal recourse-neg than λ = {low.RecourseWeight:0.0##} in {higher} of {paired.Length} seeds (equal in {equal})."));
        }
        var models = result.Seeds.SelectMany(s => s.Models.Select(m => (s.Seed, Model: m))).ToArray();
        var accepting = models.Where(p => p.Model.Negatives == 0).ToArray();
        if (accepting.Length > 0)
            lines.Add(I($"{accepting.Length} of {models.Length} models reject no test row, so their recourse-neg is undefined and left out of the means: their θ₀ (chosen by validation F1) is at most {accepting.Max(p => p.Model.Threshold):0.00}, low enough that every test row is accepted; (seed, λ) = {string.Join(", ", accepting.Select(p => I($"({p.Seed}, {p.Model.RecourseWeight:0.0##})")))}."));
        var first = result.Summaries[0];
        var last = result.Summaries[^1];
        lines.Add(I($"From λ = {first.RecourseWeight:0.0##} to λ = {last.RecourseWeight:0.0##} the mean number of rejected test rows goes from {first.Negatives.Mean:0.0} to {last.Negatives.Mean:0.0}, test accuracy from {first.TestAccuracy.Mean:0.000} to {last.TestAccuracy.Mean:0.000} and test F1 from {first.TestF1.Mean:0.000} to {last.TestF1.Mean:0.000}; recourse-neg is a share of these rejected rows."));
        var both = defined.Where(w => w.OneStep is not null).ToArray();
        int causalAbove = both.Count(w => w.Causal!.Mean > w.OneStep!.Mean), causalBelow = both.Count(w => w.Causal!.Mean < w.OneStep!.Mean);
        lines.Add(I($"Causal recourse-neg is above the one-step rate at {causalAbove} and below it at {causalBelow} of {both.Length} λ values: one-step recourse-neg is {string.Join(", ", both.Select(w => I($"{w.OneStep!.Mean:0.00}")))} and causal {string.Join(", ", both.Select(w => I($"{w.Causal!.Mean:0.00}")))}."));
        return lines;
    }

    /// <summary>Recourse-neg against λ, causal and one-step, mean ± sd over seeds.</summary>
    public static ReportChart.Figure Figure(Result result)
    {
        ReportChart.Series Series(string name, string colour, Func<WeightSummary, Summary?> select)
            => new(name, colour, result.Summaries
                .Select(w => (w.RecourseWeight, Value: select(w)))
                .Where(p => p.Value is not null)
                .Select(p => new ReportChart.Point(p.RecourseWeight, p.Value!.Mean, p.Value.StandardDeviation ?? 0))
                .ToList());
        return new ReportChart.Figure(
            "Recourse-neg on German credit vs λ",
            [new ReportChart.LinePanel(I($"mean ± sd over {result.Seeds.Count} seeds"), "λ (recourse weight)",
            [
                Series("causal (SCM)", CausalColour, w => w.Causal),
                Series("one-step (no SCM)", OneStepColour, w => w.OneStep),
            ]) { YLabel = "recourse-neg" }]) { PanelWidth = 420, PanelHeight = 280 };
    }

    internal static string MeanSd(Summary? s) => s is null ? "–" : s.StandardDeviation is { } sd ? I($"{s.Mean:0.000} ± {sd:0.000}") : I($"{s.Mean:0.000}");

    /// <summary>"0–19" for a run of consecutive seeds, else the list.</summary>
    private static string Seeds(IReadOnlyList<int> seeds)
        => seeds.Count > 2 && seeds.Zip(seeds.Skip(1)).All(p => p.Second == p.First + 1) ? I($"{seeds[0]}–{seeds[^1]}") : string.Join(", ", seeds);

    private static string I(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
