using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Microsoft.ML.Recourse.Experiments;
using Spectre.Console;

namespace Microsoft.ML.Recourse.Cli.Commands;

using Command = System.CommandLine.Command;

/// <summary>
/// <c>recourse reproduce any-model --out DIR [--rows N] [--models …] [--json]</c>: recourse on the raw columns of
/// Model Builder-shaped models on adult (L-BFGS, FastTree, LightGbm, FastForest; exact and search only): time per
/// rejected row, validity of every answer, share proved optimal.
/// </summary>
internal static class ReproduceAnyModelCommand
{
    public static Command Create()
    {
        var defaults = new AnyModelExperiment.Options();
        var output = new Option<DirectoryInfo>("--out") { Description = "The folder for results.json and report.md.", Required = true };
        var json = new Option<bool>("--json") { Description = "Print the results as JSON instead of a table." };
        var dataDir = new Option<DirectoryInfo?>("--data-dir") { Description = "The folder that holds the data files (default: search for shared/data)." };
        var rows = new Option<int>("--rows") { Description = "Rejected test rows explained per model.", DefaultValueFactory = _ => defaults.Rows }.Range(1, 1_000_000);
        var seed = new Option<int>("--seed") { Description = "The split and training seed.", DefaultValueFactory = _ => defaults.Seed };
        var models = new Option<string?>("--models")
        {
            Description = "Comma-separated model kinds (default: all): " + string.Join(", ", AnyModelExperiment.ModelKinds.Select(k => $"{k.Id} ({k.Name})")),
        };
        var command = new Command("any-model",
            "Recourse on the raw columns of Model Builder-shaped adult models (L-BFGS, FastTree, LightGbm, FastForest): time per row, validity, share proved optimal.");
        foreach (var option in new Option[] { output, json, dataDir, rows, seed, models }) command.Options.Add(option);
        command.SetAction(parse => CommandErrors.Run(parse, () =>
        {
            var watch = Stopwatch.StartNew();
            if (parse.GetValue(rows) < 1) throw new ArgumentException(FormattableString.Invariant($"--rows must be ≥ 1; got {parse.GetValue(rows)}."));
            var names = parse.GetValue(models)?.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
            foreach (var name in names ?? [])
                if (!AnyModelExperiment.ModelKinds.Any(k => k.Id == name))
                    throw new ArgumentException($"--models: unknown model '{name}'; the models are: {string.Join(", ", AnyModelExperiment.ModelKinds.Select(k => k.Id))}.");
            string outputPath = parse.GetValue(output)!.FullName;
            AtomicFile.CheckWritableDirectory(outputPath, "--out");
            var options = new AnyModelExperiment.Options
            {
                DataDirectory = parse.GetValue(dataDir)?.FullName,
                Rows = parse.GetValue(rows),
                Seed = parse.GetValue(seed),
                Models = names,
            };
            var result = AnyModelExperiment.Run(options, message => Console.Error.WriteLine(message));
            var tokens = parse.Tokens.Select(t => t.Value).ToList();
            string commandLine = "recourse " + string.Join(' ', tokens.Where(ReproduceHarris2022Command.IsReproducible(tokens)));
            var files = AnyModelReport.Write(result, outputPath, commandLine);
            if (parse.GetValue(json))
            {
                Console.Out.Write(AnyModelReport.ToJson(result, commandLine));
            }
            else
            {
                var table = new Table().Title("adult, raw columns")
                    .AddColumn("Model").AddColumn("Method").AddColumn(new TableColumn("Found").RightAligned()).AddColumn(new TableColumn("Infeasible").RightAligned())
                    .AddColumn(new TableColumn("Valid").RightAligned()).AddColumn(new TableColumn("Median ms").RightAligned()).AddColumn(new TableColumn("p95 ms").RightAligned());
                foreach (var m in result.Models)
                    table.AddRow(Markup.Escape(m.Name), Markup.Escape(m.Method), $"{m.Found}/{m.Rows}", m.Infeasible.ToString(CultureInfo.InvariantCulture),
                        $"{m.ValidOptions}/{m.Options}", m.MedianMilliseconds.ToString("0.0", CultureInfo.InvariantCulture), m.P95Milliseconds.ToString("0.0", CultureInfo.InvariantCulture));
                AnsiConsole.Write(table);
                foreach (var file in files) AnsiConsole.MarkupLine($"wrote [green]{Markup.Escape(file)}[/]");
            }
            Console.Error.WriteLine(FormattableString.Invariant($"Time taken: {watch.Elapsed.TotalSeconds:0.0} s"));
            return 0;
        }));
        return command;
    }
}
