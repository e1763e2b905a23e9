using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.ML.Recourse.Actions;
using Spectre.Console;

namespace Microsoft.ML.Recourse.Cli.Commands;

/// <summary>
/// <c>recourse explain --model MLModel.zip --data applicants.csv [--actions actions.json] [--options K] [--cost l1|l0|percentile]</c>:
/// recourse on the raw columns of any saved ML.NET binary classifier (Model Builder's zip included). The CSV is read by
/// header names into the model's saved input schema; every rejected row gets its status, method, the model's
/// probability (or score) before and after, and the changes in the file's own values.
/// </summary>
internal static class ColumnExplanation
{
    public static int Run(ExplainCommand.Settings settings)
    {
        var watch = Stopwatch.StartNew();
        var mlContext = new MLContext(0);
        var recourse = mlContext.Recourse();
        var model = ModelFiles.Load(recourse, settings.ModelPath, out var inputSchema, out var metadata);
        var rows = recourse.Datasets.LoadCsv(settings.DataPath!, inputSchema);
        if (settings.Limit is int limit) rows = mlContext.Data.TakeRows(rows, limit);
        var statistics = settings.TrainingDataPath is null ? rows : recourse.Datasets.LoadCsv(settings.TrainingDataPath, inputSchema);
        var actions = settings.ActionsPath is not null
            ? ColumnActionSet.FromJson(File.ReadAllText(settings.ActionsPath), Path.GetFileName(settings.ActionsPath))
            : metadata.TryGetValue(TrainCommand.MetadataKeys.Actions, out var saved) ? ColumnActionSet.FromJson(saved, "the model's saved actions") : null;
        var options = new ColumnRecourseEstimator.Options
        {
            Actions = actions,
            CostFunction = settings.Cost switch
            {
                "l0" => ColumnCostFunction.ChangedColumns,
                "percentile" => ColumnCostFunction.PercentileShift,
                _ => ColumnCostFunction.ScaledL1,
            },
            OptionCount = settings.Options ?? 1,
            UseExactMethods = settings.Method != "search",
        };
        if (options.OptionCount is < 1 or > 100)
            throw new ArgumentException(FormattableString.Invariant($"--options must lie in [1, 100]; got {options.OptionCount}."));

        var fitted = recourse.ExplainModel(model, options).Fit(statistics);
        var explaining = Stopwatch.StartNew();
        var results = fitted.ExplainAll(rows);
        double seconds = explaining.Elapsed.TotalSeconds;
        int rejected = results.Count(r => r.Status != ColumnRecourseStatus.Accepted);
        var report = new Report(Path.GetFileName(settings.ModelPath), Path.GetFileName(settings.DataPath!), fitted, results,
            settings.TrainingDataPath is null ? "--data" : Path.GetFileName(settings.TrainingDataPath), actions is null ? "every column free (no --actions)" : settings.ActionsPath is null ? "the model's saved actions" : Path.GetFileName(settings.ActionsPath),
            settings.Cost ?? "l1", seconds, rejected == 0 ? null : seconds / rejected);

        if (settings.OutputPath is not null) AtomicFile.WriteAllText(settings.OutputPath, ToCsv(report));
        if (settings.Json)
        {
            Console.Out.WriteLine(ToJson(report));
            return 0;
        }
        Print(report);
        if (settings.OutputPath is not null) AnsiConsole.MarkupLine($"wrote [green]{Markup.Escape(settings.OutputPath)}[/]");
        AnsiConsole.MarkupLine(FormattableString.Invariant($"Time taken: {watch.Elapsed.TotalSeconds:0.0} s"));
        return 0;
    }

    private sealed record Report(string Model, string Data, ColumnRecourseTransformer Recourse, IReadOnlyList<ColumnRecourseResult> Results,
        string StatisticsFrom, string ActionsFrom, string Cost, double Seconds, double? SecondsPerRejectedRow);

    internal static string StatusName(ColumnRecourseStatus status) => status switch
    {
        ColumnRecourseStatus.Accepted => "accepted",
        ColumnRecourseStatus.Found => "found",
        ColumnRecourseStatus.Infeasible => "infeasible",
        _ => "not-found",
    };

    private static void Print(Report report)
    {
        var recourse = report.Recourse;
        AnsiConsole.MarkupLine(Markup.Escape(FormattableString.Invariant(
            $"{report.Data}: {report.Results.Count} rows through {report.Model}; actions: {report.ActionsFrom}; cost {report.Cost} (statistics from {report.StatisticsFrom})")));
        AnsiConsole.MarkupLine(Markup.Escape(recourse.WhyNotExact is null
            ? $"method: {recourse.Method} (exact: every answer is a least-cost change)"
            : $"method: {recourse.Method} (a heuristic search; no exact method because {recourse.WhyNotExact})"));
        var table = new Table().AddColumns("row", "status", "before", "after", "what to change", "cost");
        for (int r = 0; r < report.Results.Count; r++)
        {
            var result = report.Results[r];
            if (result.Status == ColumnRecourseStatus.Accepted) continue;
            var best = result.Best;
            string sentence = best is null ? result.Message ?? "" : Sentence(best);
            foreach (var other in result.Options.Skip(1))
                sentence += FormattableString.Invariant($"\nOr {char.ToLowerInvariant(Sentence(other)[0])}{Sentence(other)[1..^1]} (cost {other.Cost:0.###}).");
            table.AddRow(Markup.Escape(r.ToString(CultureInfo.InvariantCulture)), Markup.Escape(StatusName(result.Status)),
                Markup.Escape(result.ScoreBefore.ToString("0.###", CultureInfo.InvariantCulture)),
                Markup.Escape(best is null ? "" : best.ScoreAfter.ToString("0.###", CultureInfo.InvariantCulture)),
                Markup.Escape(sentence), Markup.Escape(best is null ? "" : best.Cost.ToString("0.###", CultureInfo.InvariantCulture)));
        }
        if (table.Rows.Count > 0) AnsiConsole.Write(table);
        var counts = Counts(report.Results);
        AnsiConsole.MarkupLine(Markup.Escape(string.Join(", ", counts.Select(c => $"{c.Value} {c.Key}"))));
        if (report.SecondsPerRejectedRow is double perRow)
            AnsiConsole.MarkupLine(Markup.Escape(FormattableString.Invariant($"{perRow * 1000:0.###} ms per rejected row ({report.Seconds:0.###} s in all)")));
    }

    // "Change education from HS-grad to Bachelors and hours-per-week from 40 to 45."
    private static string Sentence(ColumnRecourseOption option)
    {
        var parts = option.Changes.Select(c => $"{c.Column} from {Shown(c.From)} to {Shown(c.To)}").ToArray();
        return "Change " + (parts.Length == 1 ? parts[0] : string.Join(", ", parts[..^1]) + " and " + parts[^1]) + ".";
    }

    private static string Shown(object value) => value is float f && float.IsNaN(f) ? "(missing)" : RawRows.Format(value);

    private static Dictionary<string, int> Counts(IReadOnlyList<ColumnRecourseResult> results)
    {
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var status in Enum.GetValues<ColumnRecourseStatus>()) counts[StatusName(status)] = 0;
        foreach (var r in results) counts[StatusName(r.Status)]++;
        return counts;
    }

    private static string ToJson(Report report)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            writer.WriteStartObject();
            writer.WriteString("model", report.Model);
            writer.WriteString("data", report.Data);
            writer.WriteString("method", report.Recourse.Method);
            if (report.Recourse.WhyNotExact is { } why) writer.WriteString("whyNotExact", why);
            writer.WriteString("actions", report.ActionsFrom);
            writer.WriteString("cost", report.Cost);
            writer.WriteString("statisticsFrom", report.StatisticsFrom);
            writer.WriteStartArray("rows");
            for (int r = 0; r < report.Results.Count; r++)
            {
                var result = report.Results[r];
                writer.WriteStartObject();
                writer.WriteNumber("row", r);
                writer.WriteString("status", StatusName(result.Status));
                writer.WriteString("method", result.Method);
                writer.WriteBoolean("optimal", result.IsOptimal && result.Status == ColumnRecourseStatus.Found);
                WriteNumber(writer, "before", result.ScoreBefore);
                if (result.Best is { } best)
                {
                    WriteNumber(writer, "after", best.ScoreAfter);
                    WriteChanges(writer, best);
                    WriteNumber(writer, "cost", best.Cost);
                    if (report.Recourse.OptionCount > 1)
                    {
                        writer.WriteStartArray("options");
                        foreach (var option in result.Options)
                        {
                            writer.WriteStartObject();
                            WriteChanges(writer, option);
                            WriteNumber(writer, "cost", option.Cost);
                            WriteNumber(writer, "after", option.ScoreAfter);
                            writer.WriteEndObject();
                        }
                        writer.WriteEndArray();
                    }
                }
                if (result.Message is { } message) writer.WriteString("message", message);
                writer.WriteEndObject();
            }
            writer.WriteEndArray();
            writer.WriteStartObject("summary");
            writer.WriteNumber("rows", report.Results.Count);
            writer.WriteStartObject("counts");
            foreach (var (status, count) in Counts(report.Results)) writer.WriteNumber(status, count);
            writer.WriteEndObject();
            WriteNumber(writer, "secondsPerRejectedRow", report.SecondsPerRejectedRow);
            WriteNumber(writer, "seconds", report.Seconds);
            writer.WriteEndObject();
            writer.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    // One line per row: the cheapest option's changes as "column: from → to" separated by "; ".
    private static string ToCsv(Report report)
    {
        static string Quote(string field) => field.IndexOfAny([',', '"', '\n', '\r']) < 0 ? field : "\"" + field.Replace("\"", "\"\"") + "\"";
        static string Number(double? v) => v is double d && double.IsFinite(d) ? d.ToString("R", CultureInfo.InvariantCulture) : "";
        var text = new StringBuilder("row,status,method,optimal,before,after,cost,changes\n");
        for (int r = 0; r < report.Results.Count; r++)
        {
            var result = report.Results[r];
            var best = result.Best;
            text.AppendJoin(',', r.ToString(CultureInfo.InvariantCulture), StatusName(result.Status), Quote(result.Method),
                    result.IsOptimal && best is not null ? "true" : "false", Number(result.ScoreBefore), Number(best?.ScoreAfter), Number(best?.Cost),
                    Quote(best is null ? "" : string.Join("; ", best.Changes)))
                .Append('\n');
        }
        return text.ToString();
    }

    private static void WriteChanges(Utf8JsonWriter writer, ColumnRecourseOption option)
    {
        writer.WriteStartArray("changes");
        foreach (var change in option.Changes)
        {
            writer.WriteStartObject();
            writer.WriteString("column", change.Column);
            writer.WritePropertyName("from");
            WriteValue(writer, change.From);
            writer.WritePropertyName("to");
            WriteValue(writer, change.To);
            writer.WriteEndObject();
        }
        writer.WriteEndArray();
    }

    // Numbers as the shortest text that reads back as the same value of the column's type; a missing value is null.
    private static void WriteValue(Utf8JsonWriter writer, object value)
    {
        switch (value)
        {
            case string s: writer.WriteStringValue(s); break;
            case bool b: writer.WriteBooleanValue(b); break;
            case float f when float.IsNaN(f): writer.WriteNullValue(); break;
            case double d when double.IsNaN(d): writer.WriteNullValue(); break;
            default: writer.WriteRawValue(RawRows.Format(value)); break;
        }
    }

    private static void WriteNumber(Utf8JsonWriter writer, string name, double? value)
    {
        if (value is double v && double.IsFinite(v)) writer.WriteNumber(name, v);
        else writer.WriteNull(name);
    }
}
