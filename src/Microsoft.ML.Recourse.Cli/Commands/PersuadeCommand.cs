using Microsoft.ML;
using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.ML.Recourse.Persuasion;
using Spectre.Console;

namespace Microsoft.ML.Recourse.Cli.Commands;

using Command = System.CommandLine.Command;

/// <summary><c>recourse persuade --problem problem.json [--json]</c>: the optimal obedient recommendation policy and both baselines.</summary>
internal static class PersuadeCommand
{
    private const int MaximumTableRegions = 30;

    public static Command Create()
    {
        var problem = new Option<FileInfo>("--problem") { Description = "The problem file (JSON; format in docs/persuasion.md).", Required = true };
        var json = new Option<bool>("--json") { Description = "Print one JSON object instead of tables." };
        var margin = new Option<double>("--obedience-margin")
        {
            Description = "Obedience margin η: following a recommendation must beat any deviation by at least η (0 ≤ η < 1).",
            DefaultValueFactory = _ => 0,
        }.Range(0, 1, maximumExclusive: true);
        var command = new Command("persuade",
            "Compute the optimal Bayesian-persuasion recourse policy (Harris et al., NeurIPS 2022) and compare it with full and no disclosure.");
        command.Options.Add(problem);
        command.Options.Add(json);
        command.Options.Add(margin);
        command.SetAction(parse => CommandErrors.Run(parse, () =>
        {
            var file = parse.GetValue(problem)!;
            var parsed = PersuasionProblemFile.Load(file.FullName);
            var result = new MLContext(PersuasionProblemFile.DefaultSeed).Recourse().Persuasion.Solve(parsed, parse.GetValue(margin));
            if (parse.GetValue(json))
                Console.Out.WriteLine(ToJson(result));
            else
                WriteTables(result);
            return 0;
        }));
        return command;
    }

    internal static string ToJson(PersuasionResult result)
    {
        var actions = result.Problem.Actions;
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            writer.WriteStartObject();
            writer.WriteStartArray("actions");
            foreach (var action in actions) writer.WriteStringValue(action.Name);
            writer.WriteEndArray();
            writer.WriteNumber("regions", result.RegionCount);
            if (result.Problem.SampleCount > 0) writer.WriteNumber("samples", result.Problem.SampleCount);
            writer.WriteNumber("obedienceMargin", result.ObedienceMargin);
            WriteOutcome(writer, "persuasion", result.Persuasion);
            WriteOutcome(writer, "fullDisclosure", result.FullDisclosure);
            WriteOutcome(writer, "noDisclosure", result.NoDisclosure, actions[result.NoDisclosureActionIndex].Name);
            writer.WriteStartArray("policy");
            for (int k = 0; k < result.RegionCount; k++)
            {
                var region = result.Policy.Regions[k];
                writer.WriteStartObject();
                writer.WriteStartArray("accepted");
                foreach (bool accepted in region.AcceptancePattern) writer.WriteBooleanValue(accepted);
                writer.WriteEndArray();
                writer.WriteNumber("mass", region.Mass);
                writer.WriteStartObject("recommend");
                var probabilities = result.Policy.GetProbabilities(k);
                for (int a = 0; a < actions.Count; a++) writer.WriteNumber(actions[a].Name, Math.Round(probabilities[a], 12));
                writer.WriteEndObject();
                writer.WriteEndObject();
            }
            writer.WriteEndArray();
            writer.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static void WriteOutcome(Utf8JsonWriter writer, string name, PersuasionOutcome outcome, string? action = null)
    {
        writer.WriteStartObject(name);
        writer.WriteNumber("decisionMakerUtility", Math.Round(outcome.DecisionMakerUtility, 12));
        writer.WriteNumber("subjectUtility", Math.Round(outcome.SubjectUtility, 12));
        if (action is not null) writer.WriteString("action", action);
        writer.WriteEndObject();
    }

    private static void WriteTables(PersuasionResult result)
    {
        var actions = result.Problem.Actions;
        var summary = new Table().Title($"Bayesian persuasion: {result.RegionCount} regions × {actions.Count} actions")
            .AddColumn("Policy").AddColumn(new TableColumn("Decision maker").RightAligned()).AddColumn(new TableColumn("Subject").RightAligned());
        summary.AddRow("Persuasion (optimal, obedient)", F(result.Persuasion.DecisionMakerUtility), F(result.Persuasion.SubjectUtility));
        summary.AddRow("Full disclosure", F(result.FullDisclosure.DecisionMakerUtility), F(result.FullDisclosure.SubjectUtility));
        summary.AddRow($"No disclosure (subject plays {Markup.Escape(actions[result.NoDisclosureActionIndex].Name)})",
            F(result.NoDisclosure.DecisionMakerUtility), F(result.NoDisclosure.SubjectUtility));
        AnsiConsole.Write(summary);

        var policy = new Table().Title("Recommendation probabilities per region (1 = the action is accepted)")
            .AddColumn("Region").AddColumn(new TableColumn("Mass").RightAligned());
        foreach (var action in actions) policy.AddColumn(new TableColumn(Markup.Escape(action.Name)).RightAligned());
        for (int k = 0; k < Math.Min(result.RegionCount, MaximumTableRegions); k++)
        {
            var probabilities = result.Policy.GetProbabilities(k);
            policy.AddRow([result.Policy.Regions[k].PatternText, F(result.Policy.Regions[k].Mass), .. probabilities.Select(F)]);
        }
        AnsiConsole.Write(policy);
        if (result.RegionCount > MaximumTableRegions)
            AnsiConsole.MarkupLine($"[grey]{result.RegionCount - MaximumTableRegions} smaller regions not shown; use --json for all.[/]");
    }

    private static string F(double value) => value.ToString("0.####", CultureInfo.InvariantCulture);
}
