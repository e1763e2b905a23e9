using System.Text;
using Microsoft.ML.Data;

namespace Microsoft.ML.Recourse.MultiAgent;

/// <summary>One observed play of a two-player game, seen from the principal (the game's first player).</summary>
/// <param name="Game">The game's position in <see cref="GamePlayLog.Games"/>.</param>
/// <param name="PrincipalMove">The principal's move index.</param>
/// <param name="OtherMove">The other player's move index.</param>
public readonly record struct GamePlay(int Game, int PrincipalMove, int OtherMove);

/// <summary>
/// A log of plays of two-player normal-form games. The CSV form has a header and one row per play:
/// <c>principal,other[,game]</c>, moves by name (case-insensitive), and the game's id in the optional <c>game</c>
/// column (required when the log mixes several games).
/// </summary>
public sealed class GamePlayLog
{
    private readonly GamePlay[] _plays;

    /// <summary>Creates a log.</summary>
    /// <param name="games">The games; each has exactly two players.</param>
    /// <param name="plays">The plays.</param>
    /// <exception cref="ArgumentOutOfRangeException">A game is not two-player, or a play refers to an unknown game or move.</exception>
    public GamePlayLog(IReadOnlyList<NormalFormGame> games, IReadOnlyList<GamePlay> plays)
    {
        Contracts.CheckValue(games, nameof(games));
        Contracts.CheckValue(plays, nameof(plays));
        CheckGames(games);
        _plays = plays.ToArray();
        for (int i = 0; i < _plays.Length; i++)
        {
            var p = _plays[i];
            Contracts.CheckParam((uint)p.Game < (uint)games.Count, nameof(plays), $"Play {i} refers to game {p.Game}, outside 0..{games.Count - 1}.");
            var moves = games[p.Game].Moves;
            Contracts.CheckParam((uint)p.PrincipalMove < (uint)moves[0].Count && (uint)p.OtherMove < (uint)moves[1].Count, nameof(plays),
                $"Play {i} has a move outside the moves of game '{games[p.Game].Name}'.");
        }
        Games = games.ToArray();
    }

    /// <summary>Gets the games.</summary>
    public IReadOnlyList<NormalFormGame> Games { get; }

    /// <summary>Gets the plays.</summary>
    public IReadOnlyList<GamePlay> Plays => _plays;

    /// <summary>Reads a plays CSV file (see the class remarks).</summary>
    /// <param name="path">The file.</param>
    /// <param name="games">The games the file may refer to; each has exactly two players.</param>
    /// <exception cref="ArgumentOutOfRangeException">A game is not two-player, or two games share an id.</exception>
    /// <exception cref="InvalidDataException">The header is wrong, a quoted field is not closed, or a row has a missing field, an unknown game or an unknown move; the message names the line.</exception>
    public static GamePlayLog Read(string path, IReadOnlyList<NormalFormGame> games)
    {
        Contracts.CheckValue(path, nameof(path));
        Contracts.CheckValue(games, nameof(games));
        CheckGames(games);
        using var reader = DelimitedTextReader.Open(path, ',');
        return Read(reader, Path.GetFileName(path), games);
    }

    /// <summary>Reads plays CSV text, as <see cref="Read(string, IReadOnlyList{NormalFormGame})"/> does from a file.</summary>
    /// <param name="text">The text.</param>
    /// <param name="file">Names the text in messages.</param>
    /// <param name="games">The games the text may refer to.</param>
    internal static GamePlayLog Parse(string text, string file, IReadOnlyList<NormalFormGame> games)
    {
        Contracts.CheckValue(text, nameof(text));
        Contracts.CheckValue(games, nameof(games));
        CheckGames(games);
        using var reader = new DelimitedTextReader(new StringReader(text), ',');
        return Read(reader, file, games);
    }

    /// <summary>The games' checks, before any row is read: a play needs the principal's and the other player's moves.</summary>
    private static void CheckGames(IReadOnlyList<NormalFormGame> games)
    {
        Contracts.CheckParam(games.Count > 0, nameof(games), "A play log needs at least one game.");
        foreach (var game in games)
        {
            Contracts.CheckValue(game, nameof(games));
            Contracts.CheckParam(game.Players.Count == 2, nameof(games), $"Game '{game.Name}' has {game.Players.Count} players; play logs hold two-player games.");
        }
        Contracts.CheckParam(games.Select(g => g.Name).Distinct(StringComparer.OrdinalIgnoreCase).Count() == games.Count, nameof(games),
            "Two games share an id.");
    }

    private static GamePlayLog Read(DelimitedTextReader reader, string file, IReadOnlyList<NormalFormGame> games)
    {
        try
        {
            return ReadRecords(reader, file, games);
        }
        catch (FormatException e)
        {
            throw new InvalidDataException($"{file}: {e.Message}", e);
        }
    }

    private static GamePlayLog ReadRecords(DelimitedTextReader reader, string file, IReadOnlyList<NormalFormGame> games)
    {
        var header = reader.ReadRecord() ?? throw new InvalidDataException($"{file} line 1: the file is empty; expected a header 'principal,other[,game]'.");
        var names = header.Select(h => h.Trim().ToLowerInvariant()).ToList();
        int principal = names.IndexOf("principal"), other = names.IndexOf("other"), gameColumn = names.IndexOf("game");
        if (principal < 0 || other < 0 || names.Any(n => n is not ("principal" or "other" or "game")) || names.Distinct().Count() != names.Count)
            throw new InvalidDataException($"{file} line {reader.RecordLine}: the header must name the columns principal, other and optionally game; got '{string.Join(",", header)}'.");
        if (gameColumn < 0 && games.Count != 1)
            throw new InvalidDataException($"{file} line {reader.RecordLine}: the header has no game column, so the log needs exactly one game; {games.Count} were given ({string.Join(", ", games.Select(g => g.Name))}).");
        var plays = new List<GamePlay>();
        while (reader.ReadRecord() is { } record)
        {
            int line = reader.RecordLine;
            if (record.Count != names.Count)
                throw new InvalidDataException($"{file} line {line}: expected {names.Count} fields; got {record.Count}.");
            int game = 0;
            if (gameColumn >= 0)
            {
                string id = record[gameColumn].Trim();
                game = FindIndex(games, g => string.Equals(g.Name, id, StringComparison.OrdinalIgnoreCase));
                if (game < 0)
                    throw new InvalidDataException($"{file} line {line}: unknown game '{id}'; the games are {string.Join(", ", games.Select(g => g.Name))}.");
            }
            plays.Add(new GamePlay(game, Move(games[game], 0, record[principal], "principal", line), Move(games[game], 1, record[other], "other", line)));
        }
        return new GamePlayLog(games, plays);

        int Move(NormalFormGame game, int player, string move, string role, int line)
        {
            int index = game.IndexOfMove(player, move);
            if (index < 0)
                throw new InvalidDataException($"{file} line {line}: unknown move '{move}' for the {role} in game '{game.Name}'; expected one of {string.Join(", ", game.Moves[player])}.");
            return index;
        }
    }

    /// <summary>Writes the log as CSV (<c>principal,other,game</c>), atomically.</summary>
    /// <param name="path">The file.</param>
    public void Write(string path)
    {
        Contracts.CheckValue(path, nameof(path));
        var text = new StringBuilder("principal,other,game\n");
        foreach (var p in _plays)
        {
            var game = Games[p.Game];
            text.Append(game.Moves[0][p.PrincipalMove]).Append(',').Append(game.Moves[1][p.OtherMove]).Append(',').Append(game.Name).Append('\n');
        }
        AtomicFile.WriteAllText(path, text.ToString());
    }

    /// <summary>The most plays <see cref="Synthesize"/> builds (the log and its CSV text are held in memory).</summary>
    public const int MaximumSynthesizedPlays = 1_000_000;

    /// <summary>
    /// A synthetic log: <paramref name="principalMoveCounts"/>[k] plays in which the principal chooses move k, the other
    /// player's move and the game drawn uniformly at random, in shuffled order. It stands in for experimental data the
    /// project does not ship; only the principal's move counts are fixed.
    /// </summary>
    /// <param name="games">The games; all must give their first player the same number of moves.</param>
    /// <param name="principalMoveCounts">How many plays have the principal choose each move. Range: each ≥ 0, in all at most <see cref="MaximumSynthesizedPlays"/>.</param>
    /// <param name="seed">The seed of the random draws.</param>
    public static GamePlayLog Synthesize(IReadOnlyList<NormalFormGame> games, IReadOnlyList<int> principalMoveCounts, int seed)
    {
        Contracts.CheckValue(games, nameof(games));
        Contracts.CheckValue(principalMoveCounts, nameof(principalMoveCounts));
        Contracts.CheckParam(games.Count > 0, nameof(games), "Give at least one game.");
        Contracts.CheckParam(games.All(g => g.Players.Count == 2 && g.Moves[0].Count == principalMoveCounts.Count), nameof(principalMoveCounts),
            $"Every game must be two-player and give the principal {principalMoveCounts.Count} moves.");
        Contracts.CheckParam(principalMoveCounts.All(c => c >= 0), nameof(principalMoveCounts), "Counts must be ≥ 0.");
        long total = principalMoveCounts.Sum(c => (long)c);
        Contracts.CheckParam(total <= MaximumSynthesizedPlays, nameof(principalMoveCounts), FormattableString.Invariant(
            $"The counts add up to {total} plays; a synthetic log holds at most {MaximumSynthesizedPlays} (it is built in memory)."));
        var random = new Random(seed);
        var plays = new List<GamePlay>();
        for (int move = 0; move < principalMoveCounts.Count; move++)
            for (int i = 0; i < principalMoveCounts[move]; i++)
            {
                int game = random.Next(games.Count);
                plays.Add(new GamePlay(game, move, random.Next(games[game].Moves[1].Count)));
            }
        var shuffled = plays.ToArray();
        random.Shuffle(shuffled);
        return new GamePlayLog(games, shuffled);
    }

    private static int FindIndex<T>(IReadOnlyList<T> items, Func<T, bool> match)
    {
        for (int i = 0; i < items.Count; i++) if (match(items[i])) return i;
        return -1;
    }
}

/// <summary>For one problem, how the recommendations over a play log change the principal's, the other player's and the summed payoff.</summary>
/// <param name="Problem">The problem.</param>
/// <param name="Recommendations">Plays with a recommended action.</param>
/// <param name="Principal">How the recommendations change the principal's payoff.</param>
/// <param name="Other">How they change the other player's payoff.</param>
/// <param name="Sum">How they change the sum of both payoffs.</param>
public sealed record GameProblemCounts(RecourseProblem Problem, int Recommendations, OutcomeChangeCounts Principal, OutcomeChangeCounts Other, OutcomeChangeCounts Sum);

/// <summary>Recommendations for every play of a <see cref="GamePlayLog"/>, counted per problem.</summary>
/// <param name="Plays">The number of plays.</param>
/// <param name="Problems">The counts, one entry per problem.</param>
public sealed record GamePlayAnalysis(int Plays, IReadOnlyList<GameProblemCounts> Problems)
{
    internal static GamePlayAnalysis Run(GamePlayLog log, IReadOnlyList<RecourseProblem> problems, MultiAgentRecommender.Options options)
    {
        var games = log.Games;
        var plays = log.Plays;
        var perGame = new int[games.Count];
        foreach (var p in plays) perGame[p.Game]++;
        var rows = perGame.Select(c => new double[2 * c]).ToArray();
        var filled = new int[games.Count];
        foreach (var p in plays)
        {
            var r = rows[p.Game];
            int at = 2 * filled[p.Game]++;
            r[at] = p.PrincipalMove;
            r[at + 1] = p.OtherMove;
        }
        var totals = new int[problems.Count, 7];
        for (int g = 0; g < games.Count; g++)
        {
            if (perGame[g] == 0) continue;
            var game = games[g];
            var recommender = new MultiAgentRecommender(game.CreateSystem(), game.Players[0], game.MoveActions(0), problems, options);
            var batch = recommender.RecommendBatch(rows[g]);
            for (int k = 0; k < problems.Count; k++)
            {
                var s = batch.Summaries[k];
                int[] counts = [s.Recommended, s.Agents[0].Raised, s.Agents[0].Lowered, s.Agents[1].Raised, s.Agents[1].Lowered, s.Welfare.Raised, s.Welfare.Lowered];
                for (int c = 0; c < counts.Length; c++) totals[k, c] += counts[c];
            }
        }
        var result = new GameProblemCounts[problems.Count];
        for (int k = 0; k < problems.Count; k++)
        {
            int n = totals[k, 0];
            OutcomeChangeCounts Counts(string name, int c) => new(name, totals[k, c], totals[k, c + 1], n - totals[k, c] - totals[k, c + 1]);
            result[k] = new GameProblemCounts(problems[k], n, Counts("principal", 1), Counts("other", 3), Counts("sum", 5));
        }
        return new GamePlayAnalysis(plays.Count, result);
    }
}
