using Microsoft.ML;
using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Microsoft.ML.Recourse.MultiAgent;
using Spectre.Console;

namespace Microsoft.ML.Recourse.Cli.Commands;

using Command = System.CommandLine.Command;

/// <summary>
/// <c>recourse multiagent --game &lt;pd|dalbo-pd1|dalbo-pd2|file.json&gt; --plays plays.csv [--json]</c>, and
/// <c>recourse multiagent synthesize-plays</c> to write a synthetic play log.
/// </summary>
internal static class MultiAgentCommand
{
    public static Command Create()
    {
        var games = GameOption();
        var plays = new Option<string>("--plays") { Description = "CSV with one row per play: principal,other[,game] (moves by name, e.g. C/D).", Required = true };
        var json = new Option<bool>("--json") { Description = "Print one JSON object instead of tables." };
        var command = new Command("multiagent",
            "Multi-agent recourse on normal-form games (O'Brien & Kim 2022): for every play, the principal's recommended move " +
            "under the single-agent, social-welfare, Pareto and welfare-only problems, and how it changes each payoff.");
        command.Options.Add(games);
        command.Options.Add(plays);
        command.Options.Add(json);
        command.Subcommands.Add(SynthesizeCommand());
        command.SetAction(parse => CommandErrors.Run(parse, () =>
        {
            var ctx = new MLContext().Recourse();
            var log = GamePlayLog.Read(parse.GetValue(plays)!, LoadGames(ctx, parse.GetValue(games)!));
            var analysis = ctx.MultiAgent.AnalyzePlays(log);
            var output = parse.InvocationConfiguration.Output;
            if (parse.GetValue(json)) WriteJson(output, log, analysis);
            else WriteTables(output, log, analysis);
            return 0;
        }));
        return command;
    }

    private static Command SynthesizeCommand()
    {
        var games = GameOption();
        var counts = new Option<string>("--principal-moves")
        {
            Description = "How many plays have the principal choose each move, e.g. C=434,D=2860.",
            Required = true,
        };
        var seed = new Option<int>("--seed") { Description = "Seed of the random partner moves and games.", DefaultValueFactory = _ => 1 };
        var output = new Option<string>("--out") { Description = "The CSV file to write.", Required = true };
        var command = new Command("synthesize-plays",
            "Write a synthetic play log with fixed counts of the principal's moves; partner moves and games are drawn at random. " +
            "It stands in for experimental data the project does not ship.");
        command.Options.Add(games);
        command.Options.Add(counts);
        command.Options.Add(seed);
        command.Options.Add(output);
        command.SetAction(parse => CommandErrors.Run(parse, () =>
        {
            AtomicFile.CheckWritableFile(parse.GetValue(output)!, "--out");
            var ctx = new MLContext(parse.GetValue(seed)).Recourse();
            var loaded = LoadGames(ctx, parse.GetValue(games)!);
            var log = ctx.MultiAgent.SynthesizePlays(loaded, ParseCounts(parse.GetValue(counts)!, loaded[0]));
            log.Write(parse.GetValue(output)!);
            parse.InvocationConfiguration.Output.WriteLine(
                $"Wrote {log.Plays.Count} plays of {string.Join(", ", loaded.Select(g => g.Name))} to {parse.GetValue(output)}.");
            return 0;
        }));
        return command;
    }

    private static Option<string[]> GameOption() => new("--game")
    {
        Description = "A built-in game (pd, dalbo-pd1, dalbo-pd2) or a game JSON file; repeat for logs that mix games.",
        Required = true,
        Arity = ArgumentArity.OneOrMore,
    };

    private static IReadOnlyList<NormalFormGame> LoadGames(RecourseCatalog ctx, string[] ids)
        => ids.SelectMany(ctx.MultiAgent.Games).ToArray();

    private static int[] ParseCounts(string text, NormalFormGame game)
    {
        var counts = new int[game.Moves[0].Count];
        foreach (string part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var pieces = part.Split('=', StringSplitOptions.TrimEntries);
            int move = pieces.Length == 2 ? game.IndexOfMove(0, pieces[0]) : -1;
            if (move < 0 || !int.TryParse(pieces[1], NumberStyles.None, CultureInfo.InvariantCulture, out counts[move]))
                throw new ArgumentException($"--principal-moves: '{part}' is not MOVE=COUNT with a move of {string.Join(", ", game.Moves[0])} and a count ≥ 0.");
        }
        return counts;
    }

    private static void WriteJson(TextWriter output, GamePlayLog log, GamePlayAnalysis analysis)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            writer.WriteStartObject();
            writer.WriteStartArray("games");
            foreach (var game in log.Games) writer.WriteStringValue(game.Name);
            writer.WriteEndArray();
            writer.WriteNumber("plays", analysis.Plays);
            writer.WriteStartObject("problems");
            foreach (var p in analysis.Problems)
            {
                writer.WriteStartObject(p.Problem.Name);
                writer.WriteNumber("recommendations", p.Recommendations);
                foreach (var counts in new[] { p.Principal, p.Other, p.Sum })
                {
                    writer.WriteStartObject(counts.Name);
                    writer.WriteNumber("raised", counts.Raised);
                    writer.WriteNumber("lowered", counts.Lowered);
                    writer.WriteEndObject();
                }
                writer.WriteEndObject();
            }
            writer.WriteEndObject();
            writer.WriteEndObject();
        }
        output.WriteLine(System.Text.Encoding.UTF8.GetString(stream.ToArray()));
    }

    private static void WriteTables(TextWriter output, GamePlayLog log, GamePlayAnalysis analysis)
    {
        var console = ConsoleSetup.For(output);
        foreach (var game in log.Games)
        {
            var payoffs = new Table().Title($"{game.Name} payoffs (principal, other)");
            payoffs.AddColumn("");
            foreach (string move in game.Moves[1]) payoffs.AddColumn($"other {move}");
            for (int a = 0; a < game.Moves[0].Count; a++)
                payoffs.AddRow([$"principal {game.Moves[0][a]}", .. Enumerable.Range(0, game.Moves[1].Count)
                    .Select(b => FormattableString.Invariant($"({game.Payoff(0, a, b)}, {game.Payoff(1, a, b)})"))]);
            console.Write(payoffs);
        }
        var table = new Table().Title($"Recommendations over {analysis.Plays} plays");
        foreach (string column in new[] { "problem", "recommendations", "principal +/−", "other +/−", "sum +/−" })
            table.AddColumn(new TableColumn(column).RightAligned());
        foreach (var p in analysis.Problems)
            table.AddRow(p.Problem.Name, p.Recommendations.ToString(CultureInfo.InvariantCulture),
                $"{p.Principal.Raised} / {p.Principal.Lowered}", $"{p.Other.Raised} / {p.Other.Lowered}", $"{p.Sum.Raised} / {p.Sum.Lowered}");
        console.Write(table);
        console.WriteLine("+/−: recommendations that raise / lower the payoff. The principal is each game's first player; its only actions are its other moves.");
    }
}
