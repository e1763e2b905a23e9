using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.ML.Recourse.Calibration;
using Spectre.Console;

namespace Microsoft.ML.Recourse.Cli.Commands;

using Command = System.CommandLine.Command;

/// <summary>
/// <c>recourse pac --epsilon 0.05 --delta 0.05 [--n 500] [--convention standard|reference] [--json]</c>: sample-size
/// planning for PAC thresholds — the smallest calibration set that admits a certificate, and k* for a given size.
/// </summary>
internal static class PacCommand
{
    public static Command Create()
    {
        var epsilon = new Option<double>("--epsilon") { Description = "ε: the tolerated share of misses (0 < ε < 1).", DefaultValueFactory = _ => PareCalibratorOptions.Defaults.Epsilon }.Range(0, 1, minimumExclusive: true, maximumExclusive: true);
        var delta = new Option<double>("--delta") { Description = "δ: the probability that the calibration draw breaks the guarantee (0 < δ < 1).", DefaultValueFactory = _ => PareCalibratorOptions.Defaults.Delta }.Range(0, 1, minimumExclusive: true, maximumExclusive: true);
        var size = new Option<int?>("--n") { Description = "A calibration size n: also print k*, the misses the rule allows among n rows." }.Range(0, int.MaxValue);
        var convention = new Option<string>("--convention")
        {
            Description = "standard: cut the binomial CDF at δ (Park et al. 2020); reference: at 1 − δ, as the published code of Ross et al. (2021).",
            DefaultValueFactory = _ => "standard",
        };
        convention.AcceptOnlyFromAmong("standard", "reference");
        var json = new Option<bool>("--json") { Description = "Print one JSON object instead of a table." };
        var command = new Command("pac",
            "Plan a calibration set for PAC thresholds (PARE): the minimum size for a certificate and the misses k* allowed for a given size.");
        command.Options.Add(epsilon);
        command.Options.Add(delta);
        command.Options.Add(size);
        command.Options.Add(convention);
        command.Options.Add(json);
        command.SetAction(parse =>
        {
            double e = parse.GetValue(epsilon), d = parse.GetValue(delta);
            int? n = parse.GetValue(size);
            var parameterConvention = parse.GetValue(convention) == "reference" ? ParameterConvention.ReferenceCode : ParameterConvention.Standard;
            return CommandErrors.Run(parse, () =>
            {
                var plan = new Plan(e, d, parameterConvention, PacThreshold.MinimumCalibrationSize(e, d, parameterConvention), n,
                    n is int rows ? PacThreshold.AllowedMisses(rows, e, d, parameterConvention) : null);
                if (parse.GetValue(json)) Console.Out.WriteLine(ToJson(plan));
                else WriteTable(plan);
                return 0;
            });
        });
        return command;
    }

    private sealed record Plan(double Epsilon, double Delta, ParameterConvention Convention, long MinimumN, int? N, int? AllowedMisses);

    private static string ToJson(Plan plan)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            writer.WriteStartObject();
            writer.WriteNumber("epsilon", plan.Epsilon);
            writer.WriteNumber("delta", plan.Delta);
            writer.WriteString("convention", plan.Convention == ParameterConvention.Standard ? "standard" : "reference");
            writer.WriteNumber("confidence", Confidence(plan));
            writer.WriteNumber("minimumN", plan.MinimumN);
            if (plan.N is int n)
            {
                writer.WriteNumber("n", n);
                if (plan.AllowedMisses is int k) writer.WriteNumber("allowedMisses", k);
                else writer.WriteNull("allowedMisses");
            }
            writer.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static void WriteTable(Plan plan)
    {
        var table = new Table().Title(Markup.Escape(Invariant($"PAC calibration plan (ε = {plan.Epsilon}, δ = {plan.Delta})")))
            .AddColumn("Quantity").AddColumn(new TableColumn("Value").RightAligned());
        table.AddRow("Convention", plan.Convention == ParameterConvention.Standard ? "standard (CDF cut at δ)" : "reference code (CDF cut at 1 − δ)");
        table.AddRow("Guarantee", Markup.Escape(Invariant($"miss rate ≤ {plan.Epsilon} with probability ≥ {Confidence(plan)}")));
        table.AddRow("Minimum calibration size", plan.MinimumN.ToString(CultureInfo.InvariantCulture));
        if (plan.N is int n)
        {
            table.AddRow("Calibration size n", n.ToString(CultureInfo.InvariantCulture));
            if (plan.AllowedMisses is int k)
            {
                table.AddRow("Allowed misses k*", k.ToString(CultureInfo.InvariantCulture));
                table.AddRow("Allowed miss share k*/n", (n == 0 ? 0 : (double)k / n).ToString("0.####", CultureInfo.InvariantCulture));
            }
            else
            {
                table.AddRow("Allowed misses k*", Markup.Escape($"none: n is below the minimum of {plan.MinimumN}"));
            }
        }
        AnsiConsole.Write(table);
    }

    // The probability over the calibration draw with which the ε bound holds, rounded for display.
    private static double Confidence(Plan plan) => Math.Round(1 - PacThreshold.BinomialCut(plan.Delta, plan.Convention), 12);

    private static string Invariant(FormattableString text) => FormattableString.Invariant(text);
}
