using System.Globalization;
using System.Text;
using System.Text.Json;
using static Microsoft.ML.Recourse.Experiments.Upadhyay2021Experiment;
using Microsoft.ML.Recourse.Evaluation;

namespace Microsoft.ML.Recourse.Experiments;

/// <summary>Writes the experiment's JSON, Markdown report and figure (SVG and PNG, <see cref="ReportChart"/>), each atomically.</summary>
internal static class Upadhyay2021Report
{
    public const string JsonFile = "results.json";
    public const string MarkdownFile = "report.md";
    public const string FigureFile = "validity-vs-cost.svg";

    private static readonly string[] Colours = ["#1f77b4", "#d62728", "#2ca02c"];

    public static IReadOnlyList<string> Write(Result result, string outputDirectory, string commandLine)
    {
        return ReportChart.WriteFiles(outputDirectory, [(JsonFile, ToJson(result)), (MarkdownFile, ToMarkdown(result, commandLine))], [(FigureFile, Figure(result))]);
    }

    public static string ToJson(Result result)
    {
        var o = result.Options;
        object Shift(ShiftReport s) => new
        {
            name = s.Name,
            description = s.Description,
            beforeRows = s.BeforeRows,
            afterRows = s.AfterRows,
            features = s.Features,
            folds = s.Result.Folds.Select(f => new { fold = f.Fold, m1Accuracy = f.M1Accuracy, m2Accuracy = f.M2Accuracy, rows = f.RowsNeedingRecourse }),
            methods = s.Result.Methods.Select(m => new
            {
                name = m.Method,
                m1Validity = m.M1Validity,
                m1ValiditySd = m.M1ValiditySd,
                m2Validity = m.M2Validity,
                m2ValiditySd = m.M2ValiditySd,
                cost = m.Cost,
                costSd = m.CostSd,
                msPerRow = m.MillisecondsPerRow,
                folds = m.Folds.Select(f => new { fold = f.Fold, rows = f.Rows, m1Validity = f.M1Validity, m2Validity = f.M2Validity, cost = f.Cost, msPerRow = f.MillisecondsPerRow, lambda = f.RecourseWeight }),
            }),
        };
        var document = new
        {
            paper = "Upadhyay, Joshi, Lakkaraju. Towards Robust and Reliable Algorithmic Recourse. NeurIPS 2021.",
            protocol = new
            {
                seed = o.Seed,
                baseModel = "logistic regression (Adam, 100 epochs, batch 32, lr 0.01, L2 1/n = scikit-learn C = 1, no class weights)",
                threshold = 0.5,
                folds = 5,
                robustnessRadius = o.RobustnessRadius,
                lambda = "chosen per fold on M1's training negatives from 0.1, 0.2, …, 1.0 (reference protocol)",
                actionSet = "reference actionability; mutable features bounded to the range observed before the shift",
                sweepRadii = o.SweepRadii,
                certificate = new { epsilon = o.CertificateEpsilon, delta = o.CertificateDelta, retrains = o.CertificateRetrains, fold = 0 },
            },
            shifts = result.Shifts.Select(Shift),
            sweep = result.Sweep.Select(p => new { shift = p.Shift, method = p.Method, radius = p.Radius, m1Validity = p.M1Validity, m2Validity = p.M2Validity, m2ValiditySd = p.M2ValiditySd, cost = p.Cost }),
            certificates = result.Certificates.Select(c => new
            {
                shift = c.Shift,
                fold = c.Fold,
                epsilon = c.Epsilon,
                delta = c.Delta,
                retrains = c.Retrains,
                allowedMisses = c.AllowedMisses,
                rows = c.Rows,
                certifiedRadius = c.CertifiedRadius,
                radii = c.Radii.Select(r => new { radius = r.RobustnessRadius, misses = r.Misses, certified = r.IsCertified, cost = r.MeanCost, m1Validity = r.M1Validity }),
            }),
            retraining = result.Retraining.Select(Shift),
        };
        return JsonSerializer.Serialize(document, new JsonSerializerOptions { WriteIndented = true, NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals }) + "\n";
    }

    public static string ToMarkdown(Result result, string commandLine)
    {
        var o = result.Options;
        var sb = new StringBuilder();
        sb.AppendLine("# Upadhyay, Joshi & Lakkaraju (2021): recourse under model updates");
        sb.AppendLine();
        sb.AppendLine($"Produced by `{commandLine}`. Method and differences from the reference: `docs/robust-recourse.md`.");
        sb.AppendLine();
        sb.AppendLine(I($"Protocol: M1 trained before the shift, M2 after it (logistic regression fitted exactly, as the reference's scikit-learn `LogisticRegression()`: L2 with C = 1, Newton's method to the optimum); recourse computed with M1 for the test-chunk rows M1 rejects; 5 folds; M2 validity = share of those rows whose counterfactual M2 accepts (invalidation = 1 − M2 validity); cost = mean L1 cost in standardised units of the actions returned; δ_max = {o.RobustnessRadius} for robust and robustIp; λ of robust chosen per fold by the reference protocol. Means ± population standard deviations over folds."));
        foreach (var s in result.Shifts) AppendShift(sb, s);
        sb.AppendLine();
        sb.AppendLine("## Robustness radius sweep (mean over folds)");
        sb.AppendLine();
        sb.AppendLine("| shift | method | δ_max | M1 validity | M2 validity | cost |");
        sb.AppendLine("|---|---|---:|---:|---:|---:|");
        foreach (var p in result.Sweep)
            sb.AppendLine(I($"| {p.Shift} | {p.Method} | {p.Radius} | {F(p.M1Validity)} | {F(p.M2Validity)} ± {F(p.M2ValiditySd)} | {F(p.Cost)} |"));
        sb.AppendLine();
        sb.AppendLine($"![M2 validity vs cost]({FigureFile})");
        sb.AppendLine();
        sb.AppendLine("## PAC certificates of validity after retraining (fold 0)");
        sb.AppendLine();
        sb.AppendLine(I($"Each of n = {o.CertificateRetrains} draws retrains M2 (exact fit) on a bootstrap resample of the post-shift training rows and checks the robust recourse of one rejected row drawn at random; radii are tested from the largest down (fixed-sequence testing) and a radius is certified when its misses are ≤ k*(n, ε = {o.CertificateEpsilon}, δ = {o.CertificateDelta}). Certified means: with probability ≥ 1 − δ, a new retrain of this kind invalidates the recourse of a random rejected person with probability ≤ ε. It assumes retrains are i.i.d. draws of the simulated kind."));
        sb.AppendLine();
        sb.AppendLine("| shift | rows | k* | misses per δ_max (✓ certified) | smallest certified δ_max |");
        sb.AppendLine("|---|---:|---:|---|---:|");
        foreach (var c in result.Certificates)
            sb.AppendLine(I($"| {c.Shift} | {c.Rows} | {c.AllowedMisses} | {string.Join(", ", c.Radii.Select(r => I($"{r.RobustnessRadius}: {r.Misses}{(r.IsCertified ? " ✓" : "")}")))} | {(c.CertifiedRadius is double r ? r.ToString(CultureInfo.InvariantCulture) : "none")} |"));
        sb.AppendLine();
        sb.AppendLine("## Retraining shifts of the seed data sets");
        sb.AppendLine();
        sb.AppendLine("Fresh sample: M1 and M2 trained on disjoint halves of the rows; seed: the same rows, another training seed. Here M1 and M2 are trained by Adam (100 epochs, batch 32, learning rate 0.01), a stochastic recipe, so that another seed gives another model (an exact fit would not change). Action sets are the data sets' own (δ_max = 0.75 standardised units per feature).");
        foreach (var s in result.Retraining) AppendShift(sb, s);
        return sb.ToString();
    }

    private static void AppendShift(StringBuilder sb, ShiftReport s)
    {
        sb.AppendLine();
        sb.AppendLine($"## {s.Name}");
        sb.AppendLine();
        sb.AppendLine(I($"{s.Description}. {s.BeforeRows} rows before, {s.AfterRows} after, {s.Features} features. M1 accuracy {F(s.Result.Folds.Average(f => f.M1Accuracy))}, M2 accuracy {F(s.Result.Folds.Average(f => f.M2Accuracy))}, rows needing recourse per fold: {string.Join(", ", s.Result.Folds.Select(f => f.RowsNeedingRecourse))}."));
        sb.AppendLine();
        sb.AppendLine("| method | M1 validity | M2 validity (mean ± sd) | cost | ms per recourse |");
        sb.AppendLine("|---|---:|---:|---:|---:|");
        foreach (var m in s.Result.Methods)
            sb.AppendLine(I($"| {m.Method} | {F(m.M1Validity)} | {F(m.M2Validity)} ± {F(m.M2ValiditySd)} | {F(m.Cost)} | {m.MillisecondsPerRow:0.###} |"));
        var lambdas = s.Result.Methods.SelectMany(m => m.Folds).Where(f => f.RecourseWeight is not null).Select(f => f.RecourseWeight!.Value).ToArray();
        if (lambdas.Length > 0)
        {
            sb.AppendLine();
            sb.AppendLine(I($"λ chosen per fold for robust: {string.Join(", ", lambdas.Select(l => l.ToString("0.0", CultureInfo.InvariantCulture)))}."));
        }
    }

    /// <summary>M2 validity against cost as δ_max varies: one panel per shift, one line per robust method, each point labelled with its δ_max.</summary>
    public static ReportChart.Figure Figure(Result result)
    {
        var shifts = result.Sweep.Select(p => p.Shift).Distinct().ToArray();
        var methods = result.Sweep.Select(p => p.Method).Distinct().ToArray();
        var panels = shifts.Select((shift, s) =>
        {
            var points = result.Sweep.Where(p => p.Shift == shift && double.IsFinite(p.Cost) && double.IsFinite(p.M2Validity)).ToArray();
            double maxCost = points.Length == 0 ? 1 : points.Max(p => p.Cost) * 1.1;
            var series = methods.Select((method, m) => new ReportChart.Series(method, Colours[m % Colours.Length],
                points.Where(p => p.Method == method).OrderBy(p => p.Radius)
                    .Select(p => new ReportChart.Point(p.Cost, p.M2Validity, Label: p.Radius.ToString(CultureInfo.InvariantCulture))).ToList())).ToList();
            return (ReportChart.Panel)new ReportChart.LinePanel(shift, "mean L1 cost", series)
            {
                XMinimum = 0,
                XMaximum = maxCost > 0 ? maxCost : 1,
                YLabel = s == 0 ? "M2 validity" : null,
            };
        }).ToList();
        return new ReportChart.Figure("M2 validity vs L1 cost as δ_max varies (ROAR = robust, robust integer program = robustIp; labels = δ_max)", panels)
        {
            PanelWidth = 380,
            PanelHeight = 300,
        };
    }

    private static string F(double value) => double.IsFinite(value) ? value.ToString("0.000", CultureInfo.InvariantCulture) : "–";

    private static string I(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
