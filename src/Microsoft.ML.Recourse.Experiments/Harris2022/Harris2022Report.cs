using System.Globalization;
using System.Text;
using System.Text.Json;
using static Microsoft.ML.Recourse.Experiments.Harris2022Experiment;
using Microsoft.ML.Recourse.Persuasion;

namespace Microsoft.ML.Recourse.Experiments;

/// <summary>Writes the experiment's JSON, Markdown report and bar charts (SVG and PNG, <see cref="ReportChart"/>), each atomically.</summary>
internal static class Harris2022Report
{
    public const string JsonFile = "results.json";
    public const string MarkdownFile = "report.md";
    public const string GridFigureFile = "fig2-utility-grid.svg";
    public const string VarianceFigureFile = "fig3-utility-by-variance.svg";

    private static readonly (string Name, string Colour)[] Methods =
        [("Persuasion (optimal signalling)", "#d62728"), ("Full disclosure", "#1f77b4"), ("No disclosure", "#2ca02c")];

    public static IReadOnlyList<string> Write(Result result, string outputDirectory, string commandLine)
    {
        return ReportChart.WriteFiles(outputDirectory,
            [(JsonFile, ToJson(result)), (MarkdownFile, ToMarkdown(result, commandLine))],
            [(GridFigureFile, GridFigure(result)), (VarianceFigureFile, VarianceFigure(result))]);
    }

    public static string ToJson(Result result)
    {
        var o = result.Options;
        var document = new
        {
            paper = "Harris, Chen, Kim, Talwalkar, Heidari, Wu. Bayesian Persuasion for Algorithmic Recourse. NeurIPS 2022.",
            protocol = new
            {
                data = HelocData.RelativePath,
                seed = o.Seed,
                subjects = o.NumberOfSubjects,
                seedsPerConfiguration = o.NumberOfSeeds,
                priorSamples = o.NumberOfSamples,
                priorVariances = o.PriorVariances,
                gridVariance = o.GridVariance,
                desirableCosts = o.DesirableCosts,
                desirableEffects = o.DesirableEffects,
                gamingCost = o.GamingCost,
                gamingEffect = o.GamingEffect,
                desirableFeature = o.DesirableFeature,
                gamingFeature = o.GamingFeature,
                l2Regularization = o.L2Regularization,
                priorOn = o.PriorOn == Harris2022Experiment.PriorSupport.AllCoefficients ? "all" : "actions",
                decisionMakerUtility = new { nothing = 0, desirable = 1, gaming = 0 },
            },
            data = new
            {
                rows = result.Data.Rows,
                features = result.Data.Features,
                goodRows = result.Data.GoodRows,
                trainingAccuracy = result.Data.TrainingAccuracy,
                newtonIterations = result.Data.NewtonIterations,
                rejectedRows = result.Data.RejectedRows,
                desirableWeight = result.Data.DesirableWeight,
                gamingWeight = result.Data.GamingWeight,
                intercept = result.Data.Intercept,
            },
            configurations = result.Configurations.Select(c => new
            {
                priorVariance = c.PriorVariance,
                desirableCost = c.DesirableCost,
                desirableEffect = c.DesirableEffect,
                instances = c.Instances,
                meanRegions = c.MeanRegions,
                maximumRegions = c.MaximumRegions,
                persuasion = Method(c.Persuasion),
                fullDisclosure = Method(c.FullDisclosure),
                noDisclosure = Method(c.NoDisclosure),
                minimumDecisionMakerAdvantage = c.MinimumDecisionMakerAdvantage,
                minimumSubjectAdvantage = c.MinimumSubjectAdvantage,
            }),
            byPriorVariance = result.Variances.Select(v => new
            {
                priorVariance = v.PriorVariance,
                persuasion = v.Persuasion,
                fullDisclosure = v.FullDisclosure,
                noDisclosure = v.NoDisclosure,
                gap = v.Gap,
            }),
            persuasionDominatesEverywhere = result.PersuasionDominatesEverywhere,
            minimumDecisionMakerAdvantage = result.MinimumDecisionMakerAdvantage,
            minimumSubjectAdvantage = result.MinimumSubjectAdvantage,
            gapTrend = Trend(result.Variances.Select(v => v.Gap).ToArray()),
        };
        return JsonSerializer.Serialize(document, new JsonSerializerOptions { WriteIndented = true }) + "\n";

        static object Method(MethodResult m) => new
        {
            decisionMakerUtility = m.DecisionMakerUtility.Mean,
            decisionMakerStandardError = m.DecisionMakerUtility.StandardError,
            subjectUtility = m.SubjectUtility.Mean,
            subjectStandardError = m.SubjectUtility.StandardError,
        };
    }

    /// <summary>How values ordered by σ² move: "increasing", "decreasing", "non-increasing", "non-decreasing", "constant" or "not monotone".</summary>
    internal static string Trend(IReadOnlyList<double> values)
    {
        if (values.Count < 2) return "single value";
        var steps = values.Skip(1).Select((v, i) => Math.Sign(v - values[i])).ToArray();
        return steps.All(x => x > 0) ? "increasing"
            : steps.All(x => x < 0) ? "decreasing"
            : steps.All(x => x == 0) ? "constant"
            : steps.All(x => x <= 0) ? "non-increasing"
            : steps.All(x => x >= 0) ? "non-decreasing"
            : "not monotone";
    }

    public static string ToMarkdown(Result result, string commandLine)
    {
        var o = result.Options;
        var data = result.Data;
        var sb = new StringBuilder();
        sb.AppendLine("# Harris et al. (NeurIPS 2022), Bayesian persuasion for recourse: HELOC reproduction");
        sb.AppendLine();
        sb.AppendLine($"Generated by `{commandLine}`. Every number below is computed by that command; nothing is typed in.");
        sb.AppendLine("The protocol is the project's reconstruction (docs/persuasion-spec §8.1), not the paper's code (none is published);");
        sb.AppendLine("the paper's own figures are not reproduced number for number.");
        sb.AppendLine();
        sb.AppendLine("## Setting");
        sb.AppendLine();
        sb.AppendLine(I($"* Data: `{HelocData.RelativePath}`, {data.Rows} rows ({data.GoodRows} good), {data.Features} features, z-scored. The paper reports 9,282 customers after its own cleaning."));
        sb.AppendLine(I($"* Rule: L2 logistic regression (λ = {o.L2Regularization}, Newton, {data.NewtonIterations} steps), training accuracy {data.TrainingAccuracy:0.000}; it rejects {data.RejectedRows} applicants."));
        sb.AppendLine(I($"* Subjects: {o.NumberOfSubjects} rejected applicants drawn with seed {o.Seed}; each configuration is run with {o.NumberOfSeeds} seeds of {o.NumberOfSamples:N0} prior samples."));
        sb.AppendLine(I($"* Actions: nothing (cost 0); desirable = move `{o.DesirableFeature}` by δ standardised units in the direction the rule rewards (weight {data.DesirableWeight:0.000}, so {(data.DesirableWeight < 0 ? "down" : "up")}; one unit = {data.DesirableScale:0.##} in original units), cost c, u_DM = 1;"));
        sb.AppendLine(I($"  gaming = move `{o.GamingFeature}` by {o.GamingEffect} units the rewarded way (weight {data.GamingWeight:0.000}; one unit = {data.GamingScale:0.##}), cost {o.GamingCost}, u_DM = 0."));
        string variances = string.Join(", ", o.PriorVariances.Select(v => I($"{v}")));
        sb.AppendLine(o.PriorOn == Harris2022Experiment.PriorSupport.AllCoefficients
            ? I($"* Prior: θ ~ N(θ_LR, σ² I) on the {data.Features + 1} coordinates (weights and intercept); σ² ∈ {{{variances}}}, grid at σ² = {o.GridVariance}.")
            : I($"* Prior: N(θ_LR, σ² I) on 3 coordinates only, the weights of `{o.DesirableFeature}` and `{o.GamingFeature}` and the intercept; the subject knows the other {data.Features - 2} weights (`--prior-on actions`). σ² ∈ {{{variances}}}, grid at σ² = {o.GridVariance}."));
        sb.AppendLine(I($"* Subjects' scale: median logit score θ_LRᵀx̃₀ {data.MedianSubjectMargin:0.000}; median ‖x̃₀‖ over the uncertain coordinates {data.MedianUncertainNorm:0.00}, so the prior s.d. of a subject's score, σ‖x̃₀‖, has median ") +
            string.Join(", ", o.PriorVariances.Select(v => I($"{Math.Sqrt(v) * data.MedianUncertainNorm:0.00} at σ² = {v}"))) + ".");
        sb.AppendLine("* Utilities: the decision maker's is the probability that the subject takes the desirable action; the subject's is P(accepted) − cost. Ties go to the decision maker in the LP and in both baselines. Values are in-sample (the LP's region masses).");
        sb.AppendLine();
        sb.AppendLine(I($"## Fig. 2 analogue: expected decision-maker utility at σ² = {o.GridVariance}"));
        sb.AppendLine();
        sb.AppendLine($"![Fig. 2 analogue]({GridFigureFile})");
        sb.AppendLine();
        sb.AppendLine("Mean over subjects ± standard error (subjects averaged over seeds first).");
        sb.AppendLine();
        sb.AppendLine("| c | δ | regions (mean / max) | DM: persuasion | DM: full | DM: none | DS: persuasion | DS: full | DS: none |");
        sb.AppendLine("|---|---|---|---|---|---|---|---|---|");
        foreach (var c in result.Configurations.Where(c => c.PriorVariance == o.GridVariance))
            sb.AppendLine(I($"| {c.DesirableCost} | {c.DesirableEffect} | {c.MeanRegions:0.0} / {c.MaximumRegions} | {E(c.Persuasion.DecisionMakerUtility)} | {E(c.FullDisclosure.DecisionMakerUtility)} | {E(c.NoDisclosure.DecisionMakerUtility)} | {E(c.Persuasion.SubjectUtility)} | {E(c.FullDisclosure.SubjectUtility)} | {E(c.NoDisclosure.SubjectUtility)} |"));
        sb.AppendLine();
        sb.AppendLine("## Fig. 3 analogue: decision-maker utility averaged over the cost × effect grid, by σ²");
        sb.AppendLine();
        sb.AppendLine($"![Fig. 3 analogue]({VarianceFigureFile})");
        sb.AppendLine();
        sb.AppendLine("| σ² | persuasion | full disclosure | no disclosure | gap = persuasion − max(full, none) |");
        sb.AppendLine("|---|---|---|---|---|");
        foreach (var v in result.Variances)
            sb.AppendLine(I($"| {v.PriorVariance} | {v.Persuasion:0.0000} | {v.FullDisclosure:0.0000} | {v.NoDisclosure:0.0000} | {v.Gap:0.0000} |"));
        sb.AppendLine();
        sb.AppendLine("## Findings");
        sb.AppendLine();
        int instances = result.Configurations.Sum(c => c.Instances);
        bool dominates = result.PersuasionDominatesEverywhere;
        sb.AppendLine(I($"* Persuasion ≥ max(full, none) for the decision maker in {(dominates ? "every one" : "NOT every one")} of the {instances} (configuration, subject, seed) instances; the smallest margin is {Small(result.MinimumDecisionMakerAdvantage)}."));
        sb.AppendLine(I($"* The subject's utility under persuasion minus under no disclosure is at least {Small(result.MinimumSubjectAdvantage)} in every instance (the theory says ≥ 0)."));
        var sorted = result.Variances.OrderBy(v => v.PriorVariance).ToArray();
        string trend = Trend(sorted.Select(v => v.Gap).ToArray());
        string gaps = string.Join(", ", sorted.Select(v => I($"{v.Gap:0.0000} at σ² = {v.PriorVariance}")));
        sb.AppendLine($"* The gap between persuasion and the better baseline is {gaps}: it is **{trend}** in σ².");
        sb.AppendLine(trend == "increasing"
            ? "  This agrees with the poster, which says the gap grows when the subject is less certain about the rule."
            : "  The poster says the gap grows when the subject is less certain about the rule (higher σ²); on this reconstruction it does not.");
        foreach (var (name, select) in new (string, Func<VarianceResult, double>)[] { ("persuasion", v => v.Persuasion), ("full disclosure", v => v.FullDisclosure), ("no disclosure", v => v.NoDisclosure) })
            sb.AppendLine($"* {char.ToUpperInvariant(name[0])}{name[1..]} averages {string.Join(", ", sorted.Select(v => I($"{select(v):0.0000}")))} over the σ² values above ({Trend(sorted.Select(select).ToArray())}).");
        var best = result.Configurations.Where(c => c.PriorVariance == o.GridVariance)
            .MaxBy(c => c.Persuasion.DecisionMakerUtility.Mean - Math.Max(c.FullDisclosure.DecisionMakerUtility.Mean, c.NoDisclosure.DecisionMakerUtility.Mean))!;
        sb.AppendLine(I($"* At σ² = {o.GridVariance} the largest advantage is at c = {best.DesirableCost}, δ = {best.DesirableEffect}: persuasion {best.Persuasion.DecisionMakerUtility.Mean:0.0000} against full {best.FullDisclosure.DecisionMakerUtility.Mean:0.0000} and none {best.NoDisclosure.DecisionMakerUtility.Mean:0.0000}."));
        return sb.ToString();

        static string E(Estimate e) => I($"{e.Mean:0.0000} ± {e.StandardError:0.0000}");
    }

    /// <summary>Paper Fig. 2: the decision maker's utility per method in each (c, Δ) cell at the grid's σ², mean ± s.e. over subjects.</summary>
    public static ReportChart.Figure GridFigure(Result result)
    {
        var o = result.Options;
        var grid = result.Configurations.Where(c => c.PriorVariance == o.GridVariance).ToArray();
        var (yMin, yMax) = Range(grid.SelectMany(c => new[] { c.Persuasion, c.FullDisclosure, c.NoDisclosure }).Select(m => m.DecisionMakerUtility), probabilityScale: true);
        var panels = new List<ReportChart.Panel>();
        foreach (double cost in o.DesirableCosts)
            foreach (double effect in o.DesirableEffects)
            {
                var c = grid.Single(g => g.DesirableCost == cost && g.DesirableEffect == effect);
                panels.Add(Panel(I($"c = {c.DesirableCost}, Δ = {c.DesirableEffect}"), yMin, yMax,
                    [c.Persuasion.DecisionMakerUtility, c.FullDisclosure.DecisionMakerUtility, c.NoDisclosure.DecisionMakerUtility], panels.Count % o.DesirableEffects.Count == 0));
            }
        return new ReportChart.Figure(I($"Expected decision-maker utility at σ² = {o.GridVariance} (HELOC, mean ± s.e. over subjects)"), panels)
        {
            Columns = o.DesirableEffects.Count,
            PanelWidth = 235,
            PanelHeight = 195,
        };
    }

    /// <summary>Paper Fig. 3: the decision maker's utility per method averaged over the cost × effect grid, one panel per σ².</summary>
    public static ReportChart.Figure VarianceFigure(Result result)
    {
        var variances = result.Variances;
        var (yMin, yMax) = Range(variances.SelectMany(v => new[] { v.Persuasion, v.FullDisclosure, v.NoDisclosure }).Select(m => new Estimate(m, 0)), probabilityScale: false);
        var panels = variances.Select((v, i) => Panel(I($"σ² = {v.PriorVariance}"), yMin, yMax,
            [new(v.Persuasion, 0), new(v.FullDisclosure, 0), new(v.NoDisclosure, 0)], i == 0)).ToList();
        return new ReportChart.Figure("Decision-maker utility averaged over the cost × effect grid, by prior variance σ²", panels)
        {
            PanelWidth = 225,
            PanelHeight = 260,
        };
    }

    private static ReportChart.Panel Panel(string title, double yMin, double yMax, Estimate[] values, bool yLabel)
        => new ReportChart.BarPanel(title, values.Select((e, m) => new ReportChart.Bar(Methods[m].Name, Methods[m].Colour, e.Mean, e.StandardError)).ToList())
        {
            YMinimum = yMin,
            YMaximum = yMax,
            YLabel = yLabel ? "decision-maker utility" : null,
        };

    /// <summary>The y range: [0, 1] widened to fit the data for probabilities, else the data's range rounded out to 0.05.</summary>
    private static (double Min, double Max) Range(IEnumerable<Estimate> values, bool probabilityScale)
    {
        var list = values.ToArray();
        double max = list.Max(e => e.Mean + e.StandardError), min = list.Min(e => e.Mean - e.StandardError);
        if (probabilityScale) return (Math.Min(0, min), Math.Max(1, max));
        return (Math.Min(0, Math.Floor(min / 0.05) * 0.05), Math.Max(0.05, Math.Ceiling(max * 1.1 / 0.05) * 0.05));
    }

    /// <summary>Formats a margin; solver round-off of order 1e-12 would otherwise print as "-0".</summary>
    internal static string Small(double value) => Math.Abs(value) < 5e-9 ? "0" : I($"{value:0.########}");

    private static string I(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
