using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Microsoft.ML.Recourse.Experiments;
using Spectre.Console;

namespace Microsoft.ML.Recourse.Cli.Commands;

using Command = System.CommandLine.Command;

/// <summary><c>recourse reproduce harris2022 --out DIR [--json] [--data-dir DIR]</c>: the HELOC persuasion experiment (poster Fig. 2 and Fig. 3).</summary>
internal static class ReproduceHarris2022Command
{
    public static Command Create()
    {
        var defaults = new Harris2022Experiment.Options();
        var output = new Option<DirectoryInfo>("--out") { Description = "The folder for results.json, report.md and the figures (SVG and PNG).", Required = true };
        var json = new Option<bool>("--json") { Description = "Print the results as JSON instead of tables." };
        var dataDir = new Option<DirectoryInfo?>("--data-dir") { Description = "The folder that holds heloc/heloc.csv (default: search for shared/data)." };
        var subjects = new Option<int>("--subjects") { Description = "Number of rejected applicants used as decision subjects.", DefaultValueFactory = _ => defaults.NumberOfSubjects }.Range(1, 100_000);
        var seeds = new Option<int>("--seeds") { Description = "Seeds (independent prior samples) per configuration and subject.", DefaultValueFactory = _ => defaults.NumberOfSeeds }.Range(1, 10_000);
        var samples = new Option<int>("--samples") { Description = "Prior samples per LP (region masses).", DefaultValueFactory = _ => defaults.NumberOfSamples }.Range(1, 1_000_000);
        var seed = new Option<int>("--seed") { Description = "Seed of the whole experiment.", DefaultValueFactory = _ => defaults.Seed };
        var variances = new Option<string?>("--variances") { Description = "Comma-separated prior variances σ² of Fig. 3 (default: 0.1,0.4,1)." };
        var gridVariance = new Option<double>("--grid-variance") { Description = "The σ² of the Fig. 2 grid; one of --variances.", DefaultValueFactory = _ => defaults.GridVariance }.Range(0, double.MaxValue, minimumExclusive: true);
        var priorOn = new Option<string>("--prior-on")
        {
            Description = "Coordinates of θ with prior variance σ²: 'all' (every weight and the intercept) or 'actions' (the weights of the two action features and the intercept; the other weights are known).",
            DefaultValueFactory = _ => "all",
        };
        priorOn.AcceptOnlyFromAmong("all", "actions");
        var command = new Command("harris2022",
            "Harris et al. (NeurIPS 2022), Bayesian persuasion for recourse on HELOC: optimal signalling vs full and no disclosure over a cost × effect grid and three prior variances.");
        foreach (var option in new Option[] { output, json, dataDir, subjects, seeds, samples, seed, variances, gridVariance, priorOn }) command.Options.Add(option);
        command.SetAction(parse => CommandErrors.Run(parse, () =>
        {
            AtomicFile.CheckWritableDirectory(parse.GetValue(output)!.FullName, "--out");
            var watch = Stopwatch.StartNew();
            var options = new Harris2022Experiment.Options
            {
                DataDirectory = parse.GetValue(dataDir)?.FullName,
                NumberOfSubjects = parse.GetValue(subjects),
                NumberOfSeeds = parse.GetValue(seeds),
                NumberOfSamples = parse.GetValue(samples),
                Seed = parse.GetValue(seed),
                PriorVariances = parse.GetValue(variances) is { } variancesText
                    ? ReproduceRoss2021Command.ParseList(variancesText, "--variances", s => double.Parse(s, NumberStyles.Float, CultureInfo.InvariantCulture))
                    : defaults.PriorVariances,
                GridVariance = parse.GetValue(gridVariance),
                PriorOn = parse.GetValue(priorOn) == "actions" ? Harris2022Experiment.PriorSupport.ActionFeatures : Harris2022Experiment.PriorSupport.AllCoefficients,
            };
            bool asJson = parse.GetValue(json);
            var result = Harris2022Experiment.Run(options, asJson ? null : message => AnsiConsole.MarkupLine(Markup.Escape(message)));
            var tokens = parse.Tokens.Select(t => t.Value).ToList();
            string commandLine = "recourse " + string.Join(' ', tokens.Where(IsReproducible(tokens)));
            var files = Harris2022Report.Write(result, parse.GetValue(output)!.FullName, commandLine);
            if (asJson)
            {
                Console.Out.Write(Harris2022Report.ToJson(result));
            }
            else
            {
                var table = new Table().Title("Decision-maker utility averaged over the cost × effect grid")
                    .AddColumn("σ²").AddColumn(new TableColumn("Persuasion").RightAligned()).AddColumn(new TableColumn("Full").RightAligned())
                    .AddColumn(new TableColumn("None").RightAligned()).AddColumn(new TableColumn("Gap").RightAligned());
                foreach (var v in result.Variances)
                    table.AddRow(F(v.PriorVariance), F(v.Persuasion), F(v.FullDisclosure), F(v.NoDisclosure), F(v.Gap));
                AnsiConsole.Write(table);
                AnsiConsole.MarkupLine(Markup.Escape(FormattableString.Invariant(
                    $"Persuasion − max(full, none), smallest over all instances: {Harris2022Report.Small(result.MinimumDecisionMakerAdvantage)}; gap trend in σ²: {Harris2022Report.Trend(result.Variances.OrderBy(v => v.PriorVariance).Select(v => v.Gap).ToArray())}.")));
                foreach (var file in files) AnsiConsole.MarkupLine($"wrote [green]{Markup.Escape(file)}[/]");
            }
            Console.Error.WriteLine(FormattableString.Invariant($"Time taken: {watch.Elapsed.TotalSeconds:0.0} s"));
            return 0;
        }));
        return command;
    }

    /// <summary>Keeps the command line in the report free of machine-specific paths (--data-dir) and display switches (--json).</summary>
    internal static Func<string, int, bool> IsReproducible(List<string> tokens)
        => (token, i) => token != "--json" && token != "--data-dir" && (i == 0 || tokens[i - 1] != "--data-dir");

    private static string F(double value) => value.ToString("0.0000", CultureInfo.InvariantCulture);
}
