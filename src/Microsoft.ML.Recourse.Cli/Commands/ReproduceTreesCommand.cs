using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Microsoft.ML.Recourse.Experiments.Trees;
using Spectre.Console;

namespace Microsoft.ML.Recourse.Cli.Commands;

using Command = System.CommandLine.Command;

/// <summary>
/// <c>recourse reproduce trees --out DIR [--rows N] [--seed S] [--datasets …] [--sizes …] [--json]</c>: exact tree-ensemble
/// recourse on CP-SAT against feature tweaking, on adult, compas, german and heloc with FastTree 10, 100 and 500 trees ×
/// 20 leaves and LightGbm with its defaults: time per row, share proved optimal, validity re-scored by ML.NET, cost.
/// </summary>
internal static class ReproduceTreesCommand
{
    public static Command Create()
    {
        var defaults = new TreesReproduction.Options();
        var output = new Option<DirectoryInfo>("--out") { Description = "The folder for results.json, report.md and the figures.", Required = true };
        var json = new Option<bool>("--json") { Description = "Print the results as JSON instead of a table." };
        var dataDir = new Option<DirectoryInfo?>("--data-dir") { Description = "The folder that holds the data files (default: search for shared/data)." };
        var rows = new Option<int>("--rows") { Description = "Rejected test rows explained per data set and model.", DefaultValueFactory = _ => defaults.Rows };
        var seed = new Option<int>("--seed") { Description = "The split, training and solver seed.", DefaultValueFactory = _ => defaults.Seed };
        var datasets = new Option<string?>("--datasets")
        {
            Description = "Comma-separated data sets (default: all): " + string.Join(", ", TreeDatasets.Names.Select(n => $"'{n}'")),
        };
        var sizes = new Option<string?>("--sizes")
        {
            Description = $"Comma-separated models: a FastTree tree count (20 leaves per tree) or '{TreesReproduction.LightGbmSize}' for LightGbm with its defaults (default: {string.Join(",", TreesReproduction.DefaultSizes)}).",
        };
        var command = new Command("trees",
            "Exact tree-ensemble recourse (CP-SAT) against feature tweaking on FastTree and LightGbm models: time per row, share proved optimal, validity, cost.");
        foreach (var option in new Option[] { output, json, dataDir, rows, seed, datasets, sizes }) command.Options.Add(option);
        command.SetAction(parse => CommandErrors.Run(parse, () =>
        {
            var watch = Stopwatch.StartNew();
            if (parse.GetValue(rows) < 1) throw new ArgumentException(FormattableString.Invariant($"--rows must be ≥ 1; got {parse.GetValue(rows)}."));
            var names = Split(parse.GetValue(datasets), "--datasets")?.Select(n => TreesReproduction.Dataset(n, "--datasets")).ToArray();
            var chosen = Split(parse.GetValue(sizes), "--sizes");
            foreach (var size in chosen ?? []) TreesReproduction.Setting(size, "--sizes");
            string outputPath = parse.GetValue(output)!.FullName;
            AtomicFile.CheckWritableDirectory(outputPath, "--out");
            var options = new TreesReproduction.Options
            {
                DataDirectory = parse.GetValue(dataDir)?.FullName,
                Rows = parse.GetValue(rows),
                Seed = parse.GetValue(seed),
                Datasets = names,
                Sizes = chosen,
            };
            var result = TreesReproduction.Run(options, message => Console.Error.WriteLine(message));
            var tokens = parse.Tokens.Select(t => t.Value).ToList();
            string commandLine = "recourse " + string.Join(' ', tokens.Where(ReproduceHarris2022Command.IsReproducible(tokens)));
            var files = TreeRecourseReport.Write(result, outputPath, commandLine);
            if (parse.GetValue(json))
            {
                Console.Out.Write(TreeRecourseReport.ToJson(result, commandLine));
            }
            else
            {
                var table = new Table().Title("Exact tree recourse (CP-SAT) and feature tweaking")
                    .AddColumn("Data").AddColumn("Model").AddColumn(new TableColumn("Rows").RightAligned()).AddColumn(new TableColumn("Proved").RightAligned())
                    .AddColumn(new TableColumn("Valid").RightAligned()).AddColumn(new TableColumn("Median ms").RightAligned()).AddColumn(new TableColumn("p95 ms").RightAligned())
                    .AddColumn(new TableColumn("FT valid").RightAligned()).AddColumn(new TableColumn("FT median ms").RightAligned());
                foreach (var d in result.Results)
                    foreach (var m in d.Models)
                        table.AddRow(Markup.Escape(d.Data.Name), Markup.Escape(m.Setting.Name), m.Exact.Rows.ToString(CultureInfo.InvariantCulture),
                            (100 * m.ShareProved).ToString("0.0", CultureInfo.InvariantCulture) + " %", $"{m.Exact.Valid}/{m.Exact.Answered}",
                            F(m.Exact.MedianMilliseconds), F(m.Exact.P95Milliseconds), $"{m.Tweaking.Valid}/{m.Tweaking.Answered}", F(m.Tweaking.MedianMilliseconds));
                AnsiConsole.Write(table);
                foreach (var file in files) AnsiConsole.MarkupLine($"wrote [green]{Markup.Escape(file)}[/]");
            }
            Console.Error.WriteLine(FormattableString.Invariant($"Time taken: {watch.Elapsed.TotalSeconds:0.0} s"));
            return 0;
        }));
        return command;
    }

    private static string[]? Split(string? list, string option)
    {
        if (list is null) return null;
        var items = list.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (items.Length == 0) throw new ArgumentException($"{option}: give at least one value.");
        return items;
    }

    private static string F(double value) => double.IsFinite(value) ? value.ToString("0.0", CultureInfo.InvariantCulture) : "–";
}
