using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Microsoft.ML.Recourse.Experiments;
using Spectre.Console;

namespace Microsoft.ML.Recourse.Cli.Commands;

using Command = System.CommandLine.Command;

/// <summary><c>recourse reproduce upadhyay2021 --out DIR [--json] [--data-dir DIR]</c>: recourse under model updates (ROAR).</summary>
internal static class ReproduceUpadhyay2021Command
{
    public static Command Create()
    {
        var defaults = new Upadhyay2021Experiment.Options();
        var output = new Option<DirectoryInfo>("--out") { Description = "The folder for results.json, report.md and validity-vs-cost (SVG and PNG).", Required = true };
        var json = new Option<bool>("--json") { Description = "Print the results as JSON instead of tables." };
        var dataDir = new Option<DirectoryInfo?>("--data-dir") { Description = "The folder that holds german/, shift/ and the seed data sets (default: search for shared/data)." };
        var seed = new Option<int>("--seed") { Description = "Seed of the whole experiment (training seeds, bootstrap resamples).", DefaultValueFactory = _ => defaults.Seed };
        var radius = new Option<double>("--delta-max") { Description = "δ_max of robust and robustIp in the main tables.", DefaultValueFactory = _ => defaults.RobustnessRadius }.Range(0, 100);
        var retrains = new Option<int>("--retrains") { Description = "Simulated retrains per PAC certificate.", DefaultValueFactory = _ => defaults.CertificateRetrains }.Range(MinimumRetrains(defaults), 1_000_000);
        var command = new Command("upadhyay2021",
            "Upadhyay, Joshi & Lakkaraju (NeurIPS 2021): validity of recourse after model updates (German correction, SBA temporal, student geospatial) for gradient, linearIp, onestep, robust (ROAR) and robustIp; δ_max sweep; PAC certificates; retraining shifts of the seed data sets.");
        foreach (var option in new Option[] { output, json, dataDir, seed, radius, retrains }) command.Options.Add(option);
        command.SetAction(parse => CommandErrors.Run(parse, () =>
        {
            AtomicFile.CheckWritableDirectory(parse.GetValue(output)!.FullName, "--out");
            var watch = Stopwatch.StartNew();
            var options = new Upadhyay2021Experiment.Options
            {
                DataDirectory = parse.GetValue(dataDir)?.FullName,
                Seed = parse.GetValue(seed),
                RobustnessRadius = parse.GetValue(radius),
                CertificateRetrains = parse.GetValue(retrains),
            };
            bool asJson = parse.GetValue(json);
            var result = Upadhyay2021Experiment.Run(options, asJson ? null : message => AnsiConsole.MarkupLine(Markup.Escape(message)));
            var tokens = parse.Tokens.Select(t => t.Value).ToList();
            string commandLine = "recourse " + string.Join(' ', tokens.Where(IsReproducible(tokens)));
            var files = Upadhyay2021Report.Write(result, parse.GetValue(output)!.FullName, commandLine);
            if (asJson)
            {
                Console.Out.Write(Upadhyay2021Report.ToJson(result));
            }
            else
            {
                foreach (var shift in result.Shifts.Concat(result.Retraining))
                {
                    var table = new Table().Title(Markup.Escape(shift.Name))
                        .AddColumn("method").AddColumn(new TableColumn("M1 validity").RightAligned()).AddColumn(new TableColumn("M2 validity").RightAligned())
                        .AddColumn(new TableColumn("cost").RightAligned()).AddColumn(new TableColumn("ms/row").RightAligned());
                    foreach (var m in shift.Result.Methods)
                        table.AddRow(m.Method, F(m.M1Validity), $"{F(m.M2Validity)} ± {F(m.M2ValiditySd)}", F(m.Cost), m.MillisecondsPerRow.ToString("0.###", CultureInfo.InvariantCulture));
                    AnsiConsole.Write(table);
                }
                foreach (var c in result.Certificates) AnsiConsole.MarkupLine(Markup.Escape(Upadhyay2021Experiment.Describe(c)));
                foreach (var file in files) AnsiConsole.MarkupLine($"wrote [green]{Markup.Escape(file)}[/]");
            }
            Console.Error.WriteLine(FormattableString.Invariant($"Time taken: {watch.Elapsed.TotalSeconds:0.0} s"));
            return 0;
        }));
        return command;
    }

    /// <summary>The fewest retrains that can certify anything: PARE's minimum calibration size for the certificate's ε and δ.</summary>
    internal static int MinimumRetrains(Upadhyay2021Experiment.Options options)
        => (int)Calibration.PacThreshold.MinimumCalibrationSize(options.CertificateEpsilon, options.CertificateDelta, Calibration.ParameterConvention.Standard);

    /// <summary>Keeps the command line in the report free of machine-specific paths (--data-dir) and display switches (--json).</summary>
    private static Func<string, int, bool> IsReproducible(List<string> tokens)
        => (token, i) => token != "--json" && token != "--data-dir" && (i == 0 || tokens[i - 1] != "--data-dir");

    private static string F(double value) => double.IsFinite(value) ? value.ToString("0.000", CultureInfo.InvariantCulture) : "–";
}
