using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Microsoft.ML.Recourse.Calibration;
using Microsoft.ML.Recourse.Experiments;
using Spectre.Console;
using Microsoft.ML.Recourse.Actions;

namespace Microsoft.ML.Recourse.Cli.Commands;

using Command = System.CommandLine.Command;

/// <summary>
/// <c>recourse reproduce ross2021 --dataset &lt;adult|compas|bail|german|all&gt; --out DIR</c>: Tables 1 and 2 and
/// Figures 1 and 2 of Ross, Lakkaraju &amp; Bastani (NeurIPS 2021) with the reference code's settings.
/// </summary>
internal static class ReproduceRoss2021Command
{
    public static Command Create()
    {
        var defaults = new Ross2021Experiment.Options();
        var dataset = new Option<string>("--dataset") { Description = "The data set: adult, compas, bail, german or all.", Required = true };
        dataset.AcceptOnlyFromAmong([.. Ross2021Experiment.DatasetNames, "all"]);
        var seeds = new Option<string>("--seeds") { Description = "Comma-separated seeds; each is the split seed and the training seed.", DefaultValueFactory = _ => "0,21,42" };
        var direction = new Option<string>("--direction")
        {
            Description = "The one-step perturbation in training and evaluation: reference (the published code's sign, reproduces its tables) or recourse (the paper's objective).",
            DefaultValueFactory = _ => "reference",
        };
        direction.AcceptOnlyFromAmong("reference", "recourse");
        var convention = new Option<string>("--pac-convention")
        {
            Description = "How (ε, δ) enter the PAC rule for PARE: standard (guarantee with probability 1 − δ) or reference (the published code's CDF cut 1 − δ).",
            DefaultValueFactory = _ => "standard",
        };
        convention.AcceptOnlyFromAmong("standard", "reference");
        var output = new Option<DirectoryInfo>("--out") { Description = "The results folder; files go to a subfolder per direction (see docs/cli.md).", Required = true };
        var json = new Option<bool>("--json") { Description = "Print one JSON object with the mean rows instead of tables." };
        var dataDir = new Option<DirectoryInfo?>("--data-dir") { Description = "The folder that holds the data files (default: search for shared/data)." };
        var lambdas = new Option<string?>("--sweep-lambdas") { Description = "Comma-separated λ of the Fig. 1 sweep (default: the reference grid 0, 0.2, …, 2.0)." };
        var epochs = new Option<int?>("--epochs") { Description = "Override the reference epochs (50 for german, 15 otherwise); for quick checks only." }.Range(1, 10_000);
        var command = new Command("ross2021",
            "Ross, Lakkaraju & Bastani (NeurIPS 2021), learning models for actionable recourse: Tables 1 and 2, Fig. 1 (λ sweep) and Fig. 2 (θ₀ sweep), beside the paper's numbers.");
        foreach (var option in new Option[] { dataset, seeds, direction, convention, output, json, dataDir, lambdas, epochs }) command.Options.Add(option);
        command.SetAction(parse => CommandErrors.Run(parse, () =>
        {
            AtomicFile.CheckWritableDirectory(parse.GetValue(output)!.FullName, "--out");
            var watch = Stopwatch.StartNew();
            string chosen = parse.GetValue(dataset)!;
            var options = new Ross2021Experiment.Options
            {
                DataDirectory = parse.GetValue(dataDir)?.FullName,
                Datasets = chosen == "all" ? Ross2021Experiment.DatasetNames : [chosen],
                Seeds = ParseList(parse.GetValue(seeds)!, "--seeds", s => int.Parse(s, NumberStyles.Integer, CultureInfo.InvariantCulture)),
                Direction = parse.GetValue(direction) == "recourse" ? PerturbationDirection.Recourse : PerturbationDirection.ReferenceCode,
                PacConvention = parse.GetValue(convention) == "reference" ? ParameterConvention.ReferenceCode : ParameterConvention.Standard,
                SweepWeights = parse.GetValue(lambdas) is { } l
                    ? ParseList(l, "--sweep-lambdas", s => double.Parse(s, NumberStyles.Float, CultureInfo.InvariantCulture))
                    : defaults.SweepWeights,
                Epochs = parse.GetValue(epochs),
            };
            bool asJson = parse.GetValue(json);
            var result = Ross2021Experiment.Run(options, message => Console.Error.WriteLine(message));
            var tokens = parse.Tokens.Select(t => t.Value).ToList();
            string commandLine = "recourse " + string.Join(' ', tokens.Where(ReproduceHarris2022Command.IsReproducible(tokens)));
            var files = Ross2021Report.Write(result, parse.GetValue(output)!.FullName, commandLine);
            if (asJson)
            {
                Console.Out.Write(Ross2021Report.SummaryJson(result));
            }
            else
            {
                foreach (var d in result.Datasets)
                {
                    var paper = Ross2021PaperNumbers.Table1[d.Name];
                    var table = new Table().Title(Markup.Escape($"{d.Name} ({Ross2021Report.Subfolder(options)}): means over seeds {string.Join(", ", options.Seeds)}; paper in brackets"))
                        .AddColumn("λ").AddColumn("θ₀ rule").AddColumn(new TableColumn("θ₀").RightAligned()).AddColumn(new TableColumn("F1").RightAligned())
                        .AddColumn(new TableColumn("Accuracy").RightAligned()).AddColumn(new TableColumn("One-step neg").RightAligned())
                        .AddColumn(new TableColumn("One-step all").RightAligned()).AddColumn(new TableColumn("Gradient neg").RightAligned())
                        .AddColumn(new TableColumn("Linear IP neg").RightAligned());
                    foreach (var r in d.MeanRows)
                    {
                        var p = r.Lambda == 0 ? paper.Baseline : paper.Ours;
                        bool atF1 = r.ThresholdKind == Ross2021Experiment.F1MaxThreshold;
                        table.AddRow(F(r.Lambda), r.ThresholdKind, F(r.Theta0), atF1 ? $"{F(r.F1)} ({F(p.F1)})" : F(r.F1),
                            atF1 ? $"{F(r.Accuracy)} ({F(p.Accuracy)})" : F(r.Accuracy), atF1 ? $"{F(r.RecourseNeg.OneStep)} ({F(p.OneStepNeg)})" : F(r.RecourseNeg.OneStep),
                            F(r.RecourseAll.OneStep), F(r.RecourseNeg.Gradient), F(r.RecourseNeg.LinearIp));
                    }
                    AnsiConsole.Write(table);
                }
                foreach (var file in files) AnsiConsole.MarkupLine($"wrote [green]{Markup.Escape(file)}[/]");
            }
            Console.Error.WriteLine(FormattableString.Invariant($"Time taken: {watch.Elapsed.TotalSeconds:0.0} s (processor time {result.CpuSeconds:0.0} s on {Environment.ProcessorCount} cores)"));
            return 0;
        }));
        return command;
    }

    internal static IReadOnlyList<T> ParseList<T>(string text, string option, Func<string, T> parse)
    {
        try
        {
            var values = text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(parse).ToList();
            if (values.Count == 0) throw new FormatException();
            return values;
        }
        catch (FormatException)
        {
            throw new FormatException($"{option} must be a comma-separated list of numbers; got '{text}'.");
        }
    }

    private static string F(double value) => double.IsFinite(value) ? value.ToString("0.000", CultureInfo.InvariantCulture) : "–";
}
