using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Microsoft.ML.Recourse.Experiments;
using Spectre.Console;
using Microsoft.ML.Recourse.Actions;

namespace Microsoft.ML.Recourse.Cli.Commands;

using Command = System.CommandLine.Command;

/// <summary>
/// <c>recourse reproduce causal-german [--seeds …] [--lambdas …] [--direction reference|recourse] [--out DIR] [--json] [--data-dir DIR]</c>:
/// causal recourse-neg of recourse-aware MLPs on German credit (Ross et al. 2021, Fig. 3).
/// </summary>
internal static class ReproduceCausalGermanCommand
{
    public static Command Create()
    {
        var defaults = new CausalGermanExperiment.Options();
        var seeds = new Option<string>("--seeds")
        {
            Description = "Comma-separated seeds; each is the split seed and the training seed.",
            DefaultValueFactory = _ => string.Join(',', defaults.Seeds),
        };
        var lambdas = new Option<string>("--lambdas")
        {
            Description = "Comma-separated recourse weights λ ≥ 0.",
            DefaultValueFactory = _ => string.Join(',', defaults.RecourseWeights.Select(w => w.ToString(CultureInfo.InvariantCulture))),
        };
        var direction = new Option<string>("--direction")
        {
            Description = "The one-step perturbation's sign in training and in the one-step comparison: 'reference' (the published code's, which reproduces the paper) or 'recourse' (the paper's objective).",
            DefaultValueFactory = _ => "reference",
        };
        direction.AcceptOnlyFromAmong("reference", "recourse");
        var output = new Option<DirectoryInfo>("--out")
        {
            Description = "The folder for results.json, report.md and the figure (SVG and PNG).",
            Required = true,
        };
        var json = new Option<bool>("--json") { Description = "Print the results as JSON instead of a table." };
        var dataDir = new Option<DirectoryInfo?>("--data-dir") { Description = "The folder that holds german/german.csv (default: search for shared/data)." };
        var command = new Command("causal-german",
            "Ross et al. (NeurIPS 2021) Fig. 3: causal recourse-neg (minimal interventions on German credit's SCM) of recourse-aware MLPs over a grid of λ, next to one-step recourse-neg.");
        foreach (var option in new Option[] { seeds, lambdas, direction, output, json, dataDir }) command.Options.Add(option);
        command.SetAction(parse => CommandErrors.Run(parse, () =>
        {
            AtomicFile.CheckWritableDirectory(parse.GetValue(output)!.FullName, "--out");
            var watch = Stopwatch.StartNew();
            var (stdout, stderr) = (parse.InvocationConfiguration.Output, parse.InvocationConfiguration.Error);
            var options = new CausalGermanExperiment.Options
            {
                DataDirectory = parse.GetValue(dataDir)?.FullName,
                Seeds = ParseList(parse.GetValue(seeds)!, "--seeds", s => int.Parse(s, NumberStyles.Integer, CultureInfo.InvariantCulture)),
                RecourseWeights = ParseList(parse.GetValue(lambdas)!, "--lambdas", s => double.Parse(s, NumberStyles.Float, CultureInfo.InvariantCulture)),
                Direction = parse.GetValue(direction) == "recourse" ? PerturbationDirection.Recourse : PerturbationDirection.ReferenceCode,
            };
            bool asJson = parse.GetValue(json);
            var result = CausalGermanExperiment.Run(options, message => (asJson ? stderr : stdout).WriteLine(message));
            var tokens = parse.Tokens.Select(t => t.Value).ToList();
            string commandLine = "recourse " + string.Join(' ', tokens.Where(IsReproducible(tokens)));
            var files = CausalGermanReport.Write(result, parse.GetValue(output)!.FullName, commandLine);
            if (asJson)
            {
                stdout.Write(CausalGermanReport.ToJson(result));
            }
            else
            {
                var console = ConsoleSetup.For(stdout);
                var table = new Table().Title(FormattableString.Invariant($"German credit, test negatives, mean ± sd over {result.Seeds.Count} seeds"))
                    .AddColumn("λ").AddColumn(new TableColumn("causal recourse-neg").RightAligned()).AddColumn(new TableColumn("one-step recourse-neg").RightAligned())
                    .AddColumn(new TableColumn("θ₀").RightAligned()).AddColumn(new TableColumn("negatives").RightAligned()).AddColumn(new TableColumn("test accuracy").RightAligned());
                foreach (var w in result.Summaries)
                    table.AddRow(I($"{w.RecourseWeight:0.0##}"), CausalGermanReport.MeanSd(w.Causal), CausalGermanReport.MeanSd(w.OneStep),
                        I($"{w.Threshold.Mean:0.00}"), I($"{w.Negatives.Mean:0.0}"), I($"{w.TestAccuracy.Mean:0.000}"));
                console.Write(table);
                foreach (var line in CausalGermanReport.Findings(result)) console.MarkupLine(Markup.Escape("* " + line));
                foreach (var file in files) console.MarkupLine($"wrote [green]{Markup.Escape(file)}[/]");
            }
            stderr.WriteLine(I($"Time taken: {watch.Elapsed.TotalSeconds:0.0} s"));
            return 0;
        }));
        return command;
    }

    private static T[] ParseList<T>(string text, string option, Func<string, T> parse)
    {
        var parts = text.Split(',', StringSplitOptions.TrimEntries);
        var values = new T[parts.Length];
        for (int i = 0; i < parts.Length; i++)
        {
            try
            {
                values[i] = parse(parts[i]);
            }
            catch (Exception e) when (e is FormatException or OverflowException)
            {
                throw new FormatException($"{option}: '{parts[i]}' is not a number (expected a comma-separated list such as 0,1,2).");
            }
        }
        return values;
    }

    /// <summary>Keeps the command line in the report free of machine-specific paths (--data-dir) and display switches (--json).</summary>
    private static Func<string, int, bool> IsReproducible(List<string> tokens)
        => (token, i) => token != "--json" && token != "--data-dir" && (i == 0 || tokens[i - 1] != "--data-dir");

    private static string I(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
