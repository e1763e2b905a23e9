using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.ML.Recourse.Calibration;
using static Microsoft.ML.Recourse.Experiments.Ross2021Experiment;
using Microsoft.ML.Recourse.Evaluation;
using Microsoft.ML.Recourse.Actions;

namespace Microsoft.ML.Recourse.Experiments;

/// <summary>
/// Writes a <see cref="Ross2021Experiment"/> result: per data set <c>&lt;name&gt;.json</c>, <c>&lt;name&gt;.md</c> (the
/// paper's numbers beside ours) and two figures (SVG and PNG), in a subfolder per perturbation direction (and PAC convention),
/// each file atomically.
/// </summary>
internal static class Ross2021Report
{
    /// <summary>Targets of the reproduction (issue 4): |ours − paper| for F1 and accuracy, and for one-step recourse-neg.</summary>
    public const double PerformanceTolerance = 0.05;
    public const double OneStepTolerance = 0.08;

    /// <summary>The subfolder of a run: <c>reference</c> or <c>recourse</c>, with <c>-pac-reference</c> for the reference PAC convention.</summary>
    public static string Subfolder(Options options)
        => DirectionName(options.Direction) + (options.PacConvention == ParameterConvention.ReferenceCode ? "-pac-reference" : "");

    public static string DirectionName(PerturbationDirection direction) => direction == PerturbationDirection.ReferenceCode ? "reference" : "recourse";

    public static string ConventionName(ParameterConvention convention) => convention == ParameterConvention.ReferenceCode ? "reference" : "standard";

    public static IReadOnlyList<string> Write(Result result, string outputDirectory, string commandLine)
    {
        string folder = Path.Combine(outputDirectory, Subfolder(result.Options));
        return ReportChart.WriteFiles(folder,
            result.Datasets.SelectMany(dataset => new[]
            {
                ($"{dataset.Name}.json", DatasetJson(result.Options, dataset, commandLine)),
                ($"{dataset.Name}.md", Markdown(result.Options, dataset, commandLine)),
            }),
            result.Datasets.SelectMany(dataset => new[]
            {
                ($"{dataset.Name}-fig1-lambda.svg", LambdaFigure(result.Options, dataset)),
                ($"{dataset.Name}-fig2-threshold.svg", ThresholdFigure(result.Options, dataset)),
            }));
    }

    /// <summary>The command's <c>--json</c> summary: the mean rows of every data set.</summary>
    public static string SummaryJson(Result result)
    {
        var document = new
        {
            seconds = Math.Round(result.Seconds, 1),
            cpuSeconds = Math.Round(result.CpuSeconds, 1),
            datasets = result.Datasets.Select(d => new
            {
                name = d.Name,
                direction = DirectionName(result.Options.Direction),
                pacConvention = ConventionName(result.Options.PacConvention),
                rows = d.MeanRows.Select(RowObject),
            }),
        };
        return JsonSerializer.Serialize(document, new JsonSerializerOptions { WriteIndented = true }) + "\n";
    }

    private static object RowObject(TableRow r) => new
    {
        lambda = r.Lambda,
        threshold = r.ThresholdKind,
        theta0 = r.Theta0,
        f1 = r.F1,
        accuracy = r.Accuracy,
        precision = r.Precision,
        recall = r.Recall,
        negatives = r.Negatives,
        recourseNeg = Rates(r.RecourseNeg),
        recourseAll = Rates(r.RecourseAll),
        pare = r.Pare is { } p ? new { calibrationSize = p.CalibrationSize, allowedMisses = p.AllowedMisses, upperBound = p.UpperBound, calibrationF1 = p.CalibrationF1 } : null,
    };

    private static object Rates(GeneratorRates r) => new { onestep = Finite(r.OneStep), gradient = Finite(r.Gradient), linearIp = Finite(r.LinearIp) };

    private static double? Finite(double value) => double.IsFinite(value) ? value : null;

    public static string DatasetJson(Options o, DatasetResult d, string commandLine)
    {
        var paper = Ross2021PaperNumbers.Table1[d.Name];
        var table2 = Ross2021PaperNumbers.Table2[d.Name];
        var document = new
        {
            paper = "Ross, Lakkaraju, Bastani. Learning Models for Actionable Recourse. NeurIPS 2021.",
            command = commandLine,
            name = d.Name,
            direction = DirectionName(o.Direction),
            pacConvention = ConventionName(o.PacConvention),
            epsilon = o.Epsilon,
            delta = o.Delta,
            seeds = o.Seeds,
            settings = new
            {
                model = "MLP d → 100 → 100 → 1, ReLU, dropout 0.3",
                epochs = d.Epochs,
                batchSize = d.BatchSize,
                learningRate = o.LearningRate,
                classWeighting = "balanced",
                maximumChange = 0.75,
                modelSelection = "lowest validation loss (classification + λ term)",
                theta0 = "first best validation F1 on {0, 0.05, …, 1}",
                generators = new { onestep = DirectionName(o.Direction), gradient = "Wachter, alibi 0.5.2 schedule (standard reading)", linearIp = "LIME surrogate + exact integer program" },
            },
            data = new { features = d.FeatureCount, train = d.TrainRows, validation = d.ValidationRows, test = d.TestRows },
            rows = d.MeanRows.Select(RowObject),
            perSeed = d.Seeds.Select(s => new { seed = s.Seed, selectedEpochOfLambda08 = s.SelectedEpochOfMainModel, rows = s.Rows.Select(RowObject) }),
            paperNumbers = new
            {
                source = "paper Table 1 and Table 2; θ₀ from ross2021-reference.md §8 (reference notebook)",
                table1 = new { baseline = paper.Baseline, ours = paper.Ours },
                table2,
            },
            lambdaSweep = d.LambdaSweep.Select(p => new
            {
                seed = p.Seed, lambda = p.Lambda, theta0 = p.Theta0, f1 = p.F1, accuracy = p.Accuracy,
                recourseNeg = Rates(p.RecourseNeg), recourseAll = Rates(p.RecourseAll),
            }),
            thresholdSweep = new
            {
                seed = o.Seeds[0],
                points = d.ThresholdSweep.Select(p => new { lambda = p.Lambda, theta0 = p.Theta0, f1 = p.F1, accuracy = p.Accuracy, recourseNeg = p.RecourseNeg, recourseAll = p.RecourseAll }),
            },
            computeSeconds = Math.Round(d.ComputeSeconds, 1),
        };
        return JsonSerializer.Serialize(document, new JsonSerializerOptions { WriteIndented = true }) + "\n";
    }

    public static string Markdown(Options o, DatasetResult d, string commandLine)
    {
        var paper = Ross2021PaperNumbers.Table1[d.Name];
        var table2 = Ross2021PaperNumbers.Table2[d.Name];
        TableRow Mean(double lambda, string kind) => d.MeanRows.Single(r => r.Lambda == lambda && r.ThresholdKind == kind);
        var baseline = Mean(0, F1MaxThreshold);
        var ours = Mean(0.8, F1MaxThreshold);
        var sb = new StringBuilder();
        sb.AppendLine(I($"# Ross, Lakkaraju & Bastani (NeurIPS 2021) on {d.Name}: perturbation direction `{DirectionName(o.Direction)}`, PAC convention `{ConventionName(o.PacConvention)}`"));
        sb.AppendLine();
        sb.AppendLine($"Generated by `{commandLine}`. Numbers under \"ours\" are computed by that command; numbers under \"paper\" are the");
        sb.AppendLine("paper's published figures (`Ross2021PaperNumbers.cs`), shown for comparison only.");
        sb.AppendLine();
        sb.AppendLine(I($"* Data: {d.FeatureCount} features; train / validation / test = {d.TrainRows} / {d.ValidationRows} / {d.TestRows} rows (split seed {o.Seeds[0]}; the split seed is each run's seed)."));
        sb.AppendLine(I($"* Model: MLP 2 × 100 ReLU, dropout 0.3; {d.Epochs} epochs, batch {d.BatchSize}, Adam {o.LearningRate}, balanced class weights, δ_max = 0.75; the epoch with the lowest validation loss is kept; θ₀ = the first best validation F1 on {{0, 0.05, …, 1}}."));
        sb.AppendLine(I($"* Seeds {string.Join(", ", o.Seeds)} (split seed = training seed); means over seeds. Recourse is evaluated on the test rows the model rejects (g(x) < θ₀)."));
        sb.AppendLine(I($"* Generators: one-step (`{DirectionName(o.Direction)}` direction, the paper's \"adversarial training\"), gradient descent (Wachter et al. with alibi's schedule), linear IP (LIME surrogate + integer program, the paper's \"linear approximation\")."));
        sb.AppendLine(I($"* PARE: ε = {o.Epsilon}, δ = {o.Delta}, convention `{ConventionName(o.PacConvention)}`, calibrated on the validation split (all rows) with one-step recourse; θ₀ = the best validation F1 among linspace(0, θ̄, 10)."));
        sb.AppendLine(I($"* Compute: {d.ComputeSeconds:0.0} s of job time for this data set (summed over parallel jobs)."));
        sb.AppendLine();

        sb.AppendLine("## Table 1: performance and recourse at the best-F1 threshold");
        sb.AppendLine();
        sb.AppendLine("| metric | λ = 0 ours ± s.e. | paper | diff | λ = 0.8 ours ± s.e. | paper | diff |");
        sb.AppendLine("|---|---|---|---|---|---|---|");
        IEnumerable<TableRow> PerSeed(double lambda) => d.Seeds.Select(s => s.Rows.Single(r => r.Lambda == lambda && r.ThresholdKind == F1MaxThreshold));
        void Line(string name, Func<TableRow, double> select, double pb, double pa, double? tolerance = null)
        {
            string Mark(double ours, double published) => tolerance is double t ? (Math.Abs(ours - published) <= t ? " ✓" : " ✗") : "";
            double b = select(baseline), a = select(ours);
            sb.AppendLine(I($"| {name} | {b:0.000} ± {StandardError(PerSeed(0).Select(select)):0.000} | {pb:0.000} | {b - pb:+0.000;-0.000;0.000}{Mark(b, pb)} | {a:0.000} ± {StandardError(PerSeed(0.8).Select(select)):0.000} | {pa:0.000} | {a - pa:+0.000;-0.000;0.000}{Mark(a, pa)} |"));
        }
        Line("θ₀", r => r.Theta0, paper.Baseline.Theta0, paper.Ours.Theta0);
        Line("F1", r => r.F1, paper.Baseline.F1, paper.Ours.F1, PerformanceTolerance);
        Line("Accuracy", r => r.Accuracy, paper.Baseline.Accuracy, paper.Ours.Accuracy, PerformanceTolerance);
        Line("Precision", r => r.Precision, paper.Baseline.Precision, paper.Ours.Precision);
        Line("Recall", r => r.Recall, paper.Baseline.Recall, paper.Ours.Recall);
        Line("Recourse neg: linear approx. (linear IP)", r => r.RecourseNeg.LinearIp, paper.Baseline.LinearNeg, paper.Ours.LinearNeg);
        Line("Recourse neg: gradient descent", r => r.RecourseNeg.Gradient, paper.Baseline.GradientNeg, paper.Ours.GradientNeg);
        Line("Recourse neg: adversarial train. (one-step)", r => r.RecourseNeg.OneStep, paper.Baseline.OneStepNeg, paper.Ours.OneStepNeg, OneStepTolerance);
        Line("Recourse all: linear approx. (linear IP)", r => r.RecourseAll.LinearIp, paper.Baseline.LinearAll, paper.Ours.LinearAll);
        Line("Recourse all: gradient descent", r => r.RecourseAll.Gradient, paper.Baseline.GradientAll, paper.Ours.GradientAll);
        Line("Recourse all: adversarial train. (one-step)", r => r.RecourseAll.OneStep, paper.Baseline.OneStepAll, paper.Ours.OneStepAll);
        sb.AppendLine();
        sb.AppendLine(I($"Ours: mean ± standard error over the seeds. ✓ / ✗: within / outside the reproduction target (|diff| ≤ {PerformanceTolerance} for F1 and accuracy, ≤ {OneStepTolerance} for one-step recourse-neg)."));
        sb.AppendLine();

        sb.AppendLine("## Table 2: best-F1 threshold vs PARE threshold (one-step recourse-all)");
        sb.AppendLine();
        sb.AppendLine("| row | F1 ours | paper | diff | recourse ours | paper | diff | θ₀ | θ̄ | n | k* | recourse ≥ 1 − ε in every seed |");
        sb.AppendLine("|---|---|---|---|---|---|---|---|---|---|---|---|");
        foreach (var (label, lambda, kind, pf1, prec) in new[]
        {
            ("BL + F1 max", 0.0, F1MaxThreshold, table2.BaselineF1MaxF1, table2.BaselineF1MaxRecourse),
            ("BL + PARE", 0.0, PareThreshold, table2.BaselinePareF1, table2.BaselinePareRecourse),
            ("Ours + F1 max", 0.8, F1MaxThreshold, table2.OursF1MaxF1, table2.OursF1MaxRecourse),
            ("Ours + PARE", 0.8, PareThreshold, table2.OursPareF1, table2.OursPareRecourse),
        })
        {
            var r = Mean(lambda, kind);
            string bound = r.Pare is { } p ? I($"{p.UpperBound:0.000} | {p.CalibrationSize} | {p.AllowedMisses}") : "– | – | –";
            string holds = kind == PareThreshold
                ? (d.Seeds.All(s => s.Rows.Single(x => x.Lambda == lambda && x.ThresholdKind == kind).RecourseAll.OneStep >= 1 - o.Epsilon) ? "yes" : "**no**")
                : "–";
            string f1Mark = kind == PareThreshold ? (Math.Abs(r.F1 - pf1) <= PerformanceTolerance ? " ✓" : " ✗") : "";
            sb.AppendLine(I($"| {label} | {r.F1:0.000} | {pf1:0.000} | {r.F1 - pf1:+0.000;-0.000;0.000}{f1Mark} | {r.RecourseAll.OneStep:0.000} | {prec:0.000} | {r.RecourseAll.OneStep - prec:+0.000;-0.000;0.000} | {r.Theta0:0.000} | {bound} | {holds} |"));
        }
        sb.AppendLine();
        sb.AppendLine(I($"θ₀ and θ̄ are means over seeds. ✓ / ✗ on PARE rows: F1 within {PerformanceTolerance} of the paper's PARE row."));
        sb.AppendLine();

        sb.AppendLine("## Per seed");
        sb.AppendLine();
        sb.AppendLine("| seed | λ | threshold | θ₀ | F1 | accuracy | negatives | one-step neg / all | gradient neg / all | linear IP neg / all |");
        sb.AppendLine("|---|---|---|---|---|---|---|---|---|---|");
        foreach (var s in d.Seeds)
            foreach (var r in s.Rows)
                sb.AppendLine(I($"| {s.Seed} | {r.Lambda} | {r.ThresholdKind} | {r.Theta0:0.000} | {r.F1:0.000} | {r.Accuracy:0.000} | {r.Negatives} | {r.RecourseNeg.OneStep:0.000} / {r.RecourseAll.OneStep:0.000} | {r.RecourseNeg.Gradient:0.000} / {r.RecourseAll.Gradient:0.000} | {r.RecourseNeg.LinearIp:0.000} / {r.RecourseAll.LinearIp:0.000} |"));
        sb.AppendLine();
        sb.AppendLine(I($"Selected epoch of the λ = 0.8 model (of {d.Epochs}): {string.Join(", ", d.Seeds.Select(s => I($"seed {s.Seed}: {s.SelectedEpochOfMainModel}")))}."));
        sb.AppendLine();

        sb.AppendLine("## Figure 1: performance and recourse against λ (paper Fig. 1)");
        sb.AppendLine();
        sb.AppendLine($"![Figure 1]({d.Name}-fig1-lambda.svg)");
        sb.AppendLine();
        sb.AppendLine("Means ± standard errors over seeds, each model at its own best-F1 θ₀.");
        sb.AppendLine();
        sb.AppendLine("| λ | θ₀ | F1 | accuracy | one-step neg | gradient neg | one-step all | gradient all |");
        sb.AppendLine("|---|---|---|---|---|---|---|---|");
        foreach (var g in d.LambdaSweep.GroupBy(p => p.Lambda).OrderBy(g => g.Key))
            sb.AppendLine(I($"| {g.Key} | {g.Average(p => p.Theta0):0.000} | {E(g.Select(p => p.F1))} | {E(g.Select(p => p.Accuracy))} | {E(g.Select(p => p.RecourseNeg.OneStep))} | {E(g.Select(p => p.RecourseNeg.Gradient))} | {E(g.Select(p => p.RecourseAll.OneStep))} | {E(g.Select(p => p.RecourseAll.Gradient))} |"));
        sb.AppendLine();

        sb.AppendLine(I($"## Figure 2: performance and one-step recourse against θ₀ (paper Fig. 2; seed {o.Seeds[0]})"));
        sb.AppendLine();
        sb.AppendLine($"![Figure 2]({d.Name}-fig2-threshold.svg)");
        sb.AppendLine();
        sb.AppendLine("| θ₀ | λ = 0.8: F1 | accuracy | recourse neg | recourse all | λ = 0: F1 | accuracy | recourse neg | recourse all |");
        sb.AppendLine("|---|---|---|---|---|---|---|---|---|");
        foreach (var g in d.ThresholdSweep.GroupBy(p => p.Theta0).OrderBy(g => g.Key))
        {
            var a = g.Single(p => p.Lambda == 0.8);
            var b = g.Single(p => p.Lambda == 0);
            sb.AppendLine(I($"| {g.Key:0.00} | {a.F1:0.000} | {a.Accuracy:0.000} | {a.RecourseNeg:0.000} | {a.RecourseAll:0.000} | {b.F1:0.000} | {b.Accuracy:0.000} | {b.RecourseNeg:0.000} | {b.RecourseAll:0.000} |"));
        }
        return sb.ToString();
    }

    private static readonly (string Name, string Colour)[] Palette =
        [("F1", "#1f77b4"), ("Accuracy", "#ff7f0e"), ("gradient descent", "#2ca02c"), ("one-step (adversarial training)", "#d62728"), ("recourse neg", "#9467bd"), ("recourse all", "#8c564b")];

    private static string Colour(string name) => Palette.First(p => p.Name == name).Colour;

    /// <summary>Paper Fig. 1: performance, recourse-neg and recourse-all against λ, mean ± s.e. over seeds.</summary>
    public static ReportChart.Figure LambdaFigure(Options o, DatasetResult d)
    {
        var groups = d.LambdaSweep.GroupBy(p => p.Lambda).OrderBy(g => g.Key).ToList();
        ReportChart.Series Series(string name, Func<LambdaPoint, double> select, bool dashed = false)
            => new(name, Colour(name), groups.Select(g => new ReportChart.Point(g.Key, g.Average(select), StandardError(g.Select(select)))).ToList(), dashed);
        return new ReportChart.Figure(
            I($"{d.Name}: performance and recourse vs λ (direction {DirectionName(o.Direction)}; mean ± s.e. over seeds {string.Join(", ", o.Seeds)})"),
            [
                new ReportChart.LinePanel("Performance", "λ", [Series("F1", p => p.F1), Series("Accuracy", p => p.Accuracy)]),
                new ReportChart.LinePanel("Recourse neg", "λ", [Series("gradient descent", p => p.RecourseNeg.Gradient), Series("one-step (adversarial training)", p => p.RecourseNeg.OneStep)]),
                new ReportChart.LinePanel("Recourse all", "λ", [Series("gradient descent", p => p.RecourseAll.Gradient), Series("one-step (adversarial training)", p => p.RecourseAll.OneStep)]),
            ]);
    }

    /// <summary>Paper Fig. 2: performance and one-step recourse against θ₀ for λ = 0.8 and λ = 0 (first seed).</summary>
    public static ReportChart.Figure ThresholdFigure(Options o, DatasetResult d)
    {
        ReportChart.Panel Panel(double lambda, string title)
        {
            var points = d.ThresholdSweep.Where(p => p.Lambda == lambda).OrderBy(p => p.Theta0).ToList();
            ReportChart.Series Series(string name, Func<ThresholdPoint, double> select)
                => new(name, Colour(name), points.Select(p => new ReportChart.Point(p.Theta0, select(p))).ToList());
            return new ReportChart.LinePanel(title, "θ₀", [Series("F1", p => p.F1), Series("Accuracy", p => p.Accuracy), Series("recourse neg", p => p.RecourseNeg), Series("recourse all", p => p.RecourseAll)]);
        }
        return new ReportChart.Figure(I($"{d.Name}: performance and one-step recourse vs θ₀ (seed {o.Seeds[0]}, direction {DirectionName(o.Direction)})"),
            [Panel(0.8, "ours (λ = 0.8)"), Panel(0, "baseline (λ = 0)")]);
    }

    private static double StandardError(IEnumerable<double> values)
    {
        var list = values.ToList();
        if (list.Count < 2) return 0;
        double mean = list.Average();
        return Math.Sqrt(list.Sum(v => (v - mean) * (v - mean)) / (list.Count - 1) / list.Count);
    }

    private static string E(IEnumerable<double> values)
    {
        var list = values.ToList();
        return I($"{list.Average():0.000} ± {StandardError(list):0.000}");
    }

    private static string I(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
