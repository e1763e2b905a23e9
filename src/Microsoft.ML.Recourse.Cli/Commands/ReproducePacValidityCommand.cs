using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Microsoft.ML.Recourse.Datasets;
using Microsoft.ML.Recourse.Experiments;
using Spectre.Console;

namespace Microsoft.ML.Recourse.Cli.Commands;

using Command = System.CommandLine.Command;

/// <summary>
/// <c>recourse reproduce pac-validity --out DIR [--json]</c>: how often the PAC threshold behind PARE misses its ε
/// bound over many calibration draws, against δ, in both parameter conventions.
/// </summary>
internal static class ReproducePacValidityCommand
{
    public static Command Create()
    {
        var defaults = new PacValidityExperiment.Options();
        var output = new Option<DirectoryInfo>("--out") { Description = "The folder for results.json and report.md.", Required = true };
        var json = new Option<bool>("--json") { Description = "Print the results as JSON instead of a table." };
        var dataDir = new Option<DirectoryInfo?>("--data-dir") { Description = "The folder that holds the data files (default: search for shared/data)." };
        var dataset = new Option<string>("--dataset") { Description = "The data set whose validation + test splits form the pool.", DefaultValueFactory = _ => defaults.Dataset };
        dataset.AcceptOnlyFromAmong([.. DatasetsCatalog.Names]);
        var sizes = new Option<string>("--sizes") { Description = "Comma-separated calibration sizes n.", DefaultValueFactory = _ => string.Join(',', defaults.CalibrationSizes) };
        var draws = new Option<int>("--draws") { Description = "Calibration sets drawn per (convention, n).", DefaultValueFactory = _ => defaults.Draws }.Range(1, 1_000_000);
        var epochs = new Option<int?>("--epochs") { Description = "Override the reference epochs; for quick checks only." }.Range(1, 10_000);
        var seed = new Option<int>("--seed") { Description = "Split, training and sampling seed.", DefaultValueFactory = _ => defaults.Seed };
        var command = new Command("pac-validity",
            "Empirical check of the PAC guarantee behind PARE: the share of calibration draws whose recourse miss rate exceeds ε, against δ, in both conventions.");
        foreach (var option in new Option[] { output, json, dataDir, dataset, sizes, draws, epochs, seed }) command.Options.Add(option);
        command.SetAction(parse => CommandErrors.Run(parse, () =>
        {
            AtomicFile.CheckWritableDirectory(parse.GetValue(output)!.FullName, "--out");
            var watch = Stopwatch.StartNew();
            var options = new PacValidityExperiment.Options
            {
                DataDirectory = parse.GetValue(dataDir)?.FullName,
                Dataset = parse.GetValue(dataset)!,
                CalibrationSizes = ReproduceRoss2021Command.ParseList(parse.GetValue(sizes)!, "--sizes", s => int.Parse(s, NumberStyles.Integer, CultureInfo.InvariantCulture)),
                Draws = parse.GetValue(draws),
                Epochs = parse.GetValue(epochs),
                Seed = parse.GetValue(seed),
            };
            bool asJson = parse.GetValue(json);
            var result = PacValidityExperiment.Run(options, message => Console.Error.WriteLine(message));
            var tokens = parse.Tokens.Select(t => t.Value).ToList();
            string commandLine = "recourse " + string.Join(' ', tokens.Where(ReproduceHarris2022Command.IsReproducible(tokens)));
            var files = PacValidityReport.Write(result, parse.GetValue(output)!.FullName, commandLine);
            if (asJson)
            {
                Console.Out.Write(PacValidityReport.ToJson(result, commandLine));
            }
            else
            {
                var table = new Table().Title(Markup.Escape(FormattableString.Invariant(
                        $"{options.Dataset}: {result.PoolSize} pool rows, {options.Draws:N0} draws per cell, ε = {options.Epsilon}, δ = {options.Delta}")))
                    .AddColumn("Convention").AddColumn(new TableColumn("n").RightAligned()).AddColumn(new TableColumn("k*").RightAligned())
                    .AddColumn(new TableColumn("Miss > ε frequency").RightAligned()).AddColumn(new TableColumn("± s.e.").RightAligned())
                    .AddColumn(new TableColumn("Bound").RightAligned()).AddColumn(new TableColumn("Exact").RightAligned());
                foreach (var c in result.Cells)
                    table.AddRow(Ross2021Report.ConventionName(c.Convention), I(c.CalibrationSize), c.AllowedMisses is int k ? I(k) : "none",
                        F(c.Frequency), F(c.StandardError), F(c.FailureBound), F(c.ExactFailureProbability));
                AnsiConsole.Write(table);
                foreach (var file in files) AnsiConsole.MarkupLine($"wrote [green]{Markup.Escape(file)}[/]");
            }
            Console.Error.WriteLine(FormattableString.Invariant($"Time taken: {watch.Elapsed.TotalSeconds:0.0} s"));
            return 0;
        }));
        return command;
    }

    private static string I(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static string F(double value) => value.ToString("0.0000", CultureInfo.InvariantCulture);
}
