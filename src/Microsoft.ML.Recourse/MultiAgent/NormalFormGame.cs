using System.Text.Json;
using Microsoft.ML.Recourse.Actions;

namespace Microsoft.ML.Recourse.MultiAgent;

/// <summary>
/// A normal-form game: players, each player's moves, and a payoff vector for every move profile. It is a ready-made
/// source of agents and outcomes: <see cref="CreateSystem"/> gives the §2.3 SCM (one exogenous move variable per
/// player, no edges in a simultaneous game) with payoff-table outcomes, and <see cref="MoveActions"/> the moves a
/// principal may switch to.
/// </summary>
public sealed class NormalFormGame
{
    private readonly string[][] _moves;
    private readonly double[][] _payoffs;

    /// <summary>Creates a game.</summary>
    /// <param name="name">The game's id, e.g. <c>pd</c>; plays files refer to it.</param>
    /// <param name="players">The players' names (at least one, unique).</param>
    /// <param name="moves">Each player's moves (at least one each, unique per player).</param>
    /// <param name="payoffs">One payoff vector per move profile (one payoff per player), profiles in row-major order with
    /// the last player's move varying fastest: for two players with moves C, D the order is CC, CD, DC, DD.</param>
    /// <exception cref="ArgumentOutOfRangeException">A name is missing or repeated, or the payoff table has the wrong shape.</exception>
    public NormalFormGame(string name, IReadOnlyList<string> players, IReadOnlyList<IReadOnlyList<string>> moves, IReadOnlyList<IReadOnlyList<double>> payoffs)
    {
        Contracts.CheckParam(!string.IsNullOrWhiteSpace(name), nameof(name), "A game needs a name.");
        Contracts.CheckValue(players, nameof(players));
        Contracts.CheckValue(moves, nameof(moves));
        Contracts.CheckValue(payoffs, nameof(payoffs));
        Contracts.CheckParam(players.Count > 0, nameof(players), $"Game '{name}' has no players.");
        Contracts.CheckParam(players.All(p => !string.IsNullOrWhiteSpace(p)) && players.Distinct(StringComparer.Ordinal).Count() == players.Count,
            nameof(players), $"Game '{name}': player names must be non-empty and unique ({string.Join(", ", players)}).");
        Contracts.CheckParam(moves.Count == players.Count, nameof(moves),
            $"Game '{name}' has {players.Count} players but {moves.Count} move lists.");
        long profiles = 1;
        for (int i = 0; i < moves.Count; i++)
        {
            Contracts.CheckValue(moves[i], nameof(moves));
            Contracts.CheckParam(moves[i].Count > 0, nameof(moves), $"Game '{name}': player '{players[i]}' has no moves.");
            Contracts.CheckParam(moves[i].All(m => !string.IsNullOrWhiteSpace(m)) &&
                moves[i].Distinct(StringComparer.OrdinalIgnoreCase).Count() == moves[i].Count, nameof(moves),
                $"Game '{name}': the moves of player '{players[i]}' must be non-empty and unique ignoring case ({string.Join(", ", moves[i])}).");
            profiles *= moves[i].Count;
        }
        string shape = string.Join("×", moves.Select(m => m.Count));
        Contracts.CheckParam(payoffs.Count == profiles, nameof(payoffs),
            $"Game '{name}': a {shape} game needs {profiles} payoff vectors (one per move profile); got {payoffs.Count}.");
        for (int k = 0; k < payoffs.Count; k++)
        {
            Contracts.CheckValue(payoffs[k], nameof(payoffs));
            Contracts.CheckParam(payoffs[k].Count == players.Count, nameof(payoffs),
                $"Game '{name}': payoff vector {k} has {payoffs[k].Count} entries; expected {players.Count} (one per player).");
            Contracts.CheckParam(payoffs[k].All(double.IsFinite), nameof(payoffs), $"Game '{name}': payoff vector {k} has a non-finite entry.");
        }
        Name = name;
        Players = players.ToArray();
        _moves = moves.Select(m => m.ToArray()).ToArray();
        _payoffs = payoffs.Select(p => p.ToArray()).ToArray();
    }

    /// <summary>Gets the game's id.</summary>
    public string Name { get; }

    /// <summary>Gets the players' names.</summary>
    public IReadOnlyList<string> Players { get; }

    /// <summary>Gets each player's moves.</summary>
    public IReadOnlyList<IReadOnlyList<string>> Moves => _moves;

    /// <summary>Gets the payoff vectors, one per move profile in row-major order.</summary>
    public IReadOnlyList<IReadOnlyList<double>> Payoffs => _payoffs;

    /// <summary>Gets a player's payoff for a move profile.</summary>
    /// <param name="player">The player's position.</param>
    /// <param name="profile">Each player's move index.</param>
    public double Payoff(int player, params int[] profile)
    {
        Contracts.CheckParam((uint)player < (uint)Players.Count, nameof(player), $"Player {player} is outside 0..{Players.Count - 1}.");
        Contracts.CheckValue(profile, nameof(profile));
        Contracts.CheckParam(profile.Length == Players.Count, nameof(profile), $"Expected {Players.Count} moves; got {profile.Length}.");
        int offset = 0;
        for (int i = 0; i < profile.Length; i++)
        {
            Contracts.CheckParam((uint)profile[i] < (uint)_moves[i].Length, nameof(profile), $"Move {profile[i]} of player '{Players[i]}' is outside 0..{_moves[i].Length - 1}.");
            offset = offset * _moves[i].Length + profile[i];
        }
        return _payoffs[offset][player];
    }

    /// <summary>Gets the index of a player's move by name (case-insensitive), or −1.</summary>
    /// <param name="player">The player's position.</param>
    /// <param name="move">The move's name.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="player"/> is not a player's position.</exception>
    public int IndexOfMove(int player, string move)
    {
        Contracts.CheckParam((uint)player < (uint)Players.Count, nameof(player), $"Player {player} is outside 0..{Players.Count - 1} in game '{Name}'.");
        Contracts.CheckValue(move, nameof(move));
        return Array.FindIndex(_moves[player], m => string.Equals(m, move.Trim(), StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>
    /// Creates the game's system: one exogenous, freely actionable variable per player (named after the player and
    /// owned by it) holding the index of the player's move, and one agent per player whose outcome is its payoff table.
    /// </summary>
    public MultiAgentSystem CreateSystem()
    {
        var builder = new StructuralCausalModelBuilder();
        foreach (string player in Players) builder.AddRoot(player, player, FeatureActionability.Free);
        var levels = _moves.Select(m => m.Length).ToArray();
        var agents = Players.Select((player, j) =>
            new Agent(player, AgentOutcome.PayoffTable(Players, levels, _payoffs.Select(p => p[j]).ToArray()))).ToArray();
        return new MultiAgentSystem(builder.Build(), agents);
    }

    /// <summary>The moves a player may switch to, each as do(X_player := move) with cost 1.</summary>
    /// <param name="player">The player's position.</param>
    public DiscreteActionSpace MoveActions(int player)
    {
        Contracts.CheckParam((uint)player < (uint)Players.Count, nameof(player), $"Player {player} is outside 0..{Players.Count - 1}.");
        return ActionSpace.Discrete(_moves[player].Select((move, k) => new DiscreteAction(move, [(Players[player], (double)k)], cost: 1)).ToArray());
    }

    /// <summary>
    /// A two-player symmetric prisoner's dilemma with moves C (cooperate) and D (defect) and players <c>row</c> and
    /// <c>column</c>: (C,C) = (R,R), (C,D) = (S,T), (D,C) = (T,S), (D,D) = (P,P).
    /// </summary>
    /// <param name="name">The game's id.</param>
    /// <param name="reward">R, both cooperate.</param>
    /// <param name="sucker">S, cooperate against defect.</param>
    /// <param name="temptation">T, defect against cooperate.</param>
    /// <param name="punishment">P, both defect.</param>
    /// <exception cref="ArgumentOutOfRangeException">The payoffs break T &gt; R &gt; P &gt; S.</exception>
    public static NormalFormGame PrisonersDilemma(string name, double reward, double sucker, double temptation, double punishment)
    {
        Contracts.CheckParam(temptation > reward && reward > punishment && punishment > sucker, nameof(reward),
            FormattableString.Invariant($"A prisoner's dilemma needs T > R > P > S; got T={temptation}, R={reward}, P={punishment}, S={sucker}."));
        string[] cd = ["C", "D"];
        return new NormalFormGame(name, ["row", "column"], [cd, cd],
            [[reward, reward], [sucker, temptation], [temptation, sucker], [punishment, punishment]]);
    }

    /// <summary>The prisoner's dilemma of O'Brien &amp; Kim in years of sentence reduction: (R,S,T,P) = (2,0,3,1); id <c>pd</c>.</summary>
    public static NormalFormGame SentenceReduction { get; } = PrisonersDilemma("pd", reward: 2, sucker: 0, temptation: 3, punishment: 1);

    /// <summary>Dal Bó (2005) stage game PD1: (R,S,T,P) = (65,10,100,35); id <c>dalbo-pd1</c>.</summary>
    public static NormalFormGame DalBoPD1 { get; } = PrisonersDilemma("dalbo-pd1", reward: 65, sucker: 10, temptation: 100, punishment: 35);

    /// <summary>Dal Bó (2005) stage game PD2: (R,S,T,P) = (75,10,100,45); id <c>dalbo-pd2</c>.</summary>
    public static NormalFormGame DalBoPD2 { get; } = PrisonersDilemma("dalbo-pd2", reward: 75, sucker: 10, temptation: 100, punishment: 45);

    /// <summary>Gets the built-in games: <c>pd</c>, <c>dalbo-pd1</c>, <c>dalbo-pd2</c>.</summary>
    public static IReadOnlyList<NormalFormGame> BuiltIn { get; } = [SentenceReduction, DalBoPD1, DalBoPD2];

    /// <summary>
    /// Reads games from a JSON file: one game object or an array of them, each
    /// <c>{"name": "...", "players": ["row", "column"], "moves": [["C", "D"], ["C", "D"]], "payoffs": [[[2, 2], [0, 3]], [[3, 0], [1, 1]]]}</c>,
    /// where <c>payoffs</c> nests one array level per player (indexed by that player's move) around the payoff vector.
    /// Unknown and repeated keys are rejected.
    /// </summary>
    /// <param name="path">The file.</param>
    /// <exception cref="InvalidDataException">The file is not valid JSON or a game is malformed; the message names the file and the JSON path
    /// (or, for text that is not JSON, the line and byte position).</exception>
    public static IReadOnlyList<NormalFormGame> Load(string path)
    {
        Contracts.CheckValue(path, nameof(path));
        return Parse(File.ReadAllText(path), Path.GetFileName(path));
    }

    private static readonly string[] GameKeys = ["name", "players", "moves", "payoffs"];

    /// <summary>Reads games from JSON text, as <see cref="Load"/> does from a file.</summary>
    /// <param name="json">The text.</param>
    /// <param name="file">Names the text in messages.</param>
    /// <exception cref="InvalidDataException">The text is not valid JSON or a game is malformed.</exception>
    internal static IReadOnlyList<NormalFormGame> Parse(string json, string file)
    {
        Contracts.CheckValue(json, nameof(json));
        Contracts.CheckValue(file, nameof(file));
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{file} is not valid JSON: {e.Message}", e);
        }
        using (document)
        {
            var root = document.RootElement;
            if (JsonDocumentCheck.FirstProblem(root) is { } problem)
                throw new InvalidDataException($"{file}: {problem}.");
            var elements = root.ValueKind == JsonValueKind.Array ? root.EnumerateArray().Select((e, i) => (e, $"$[{i}]")).ToArray() : [(root, "$")];
            if (elements.Length == 0) throw new InvalidDataException($"{file}: the array $ holds no game.");
            return elements.Select(e => ParseGame(e.Item1, file, e.Item2)).ToArray();
        }
    }

    private static NormalFormGame ParseGame(JsonElement game, string file, string path)
    {
        InvalidDataException Error(string where, string problem) => new($"{file}: {where} {problem}.");
        if (game.ValueKind != JsonValueKind.Object) throw Error(path, "must be a game object");
        foreach (var property in game.EnumerateObject())
            if (!GameKeys.Contains(property.Name, StringComparer.Ordinal))
                throw Error($"{path}.{property.Name}", $"is not a known key; a game has {string.Join(", ", GameKeys)}");
        JsonElement Property(string name) => game.TryGetProperty(name, out var value) ? value : throw Error($"{path}.{name}", "is missing");
        var nameElement = Property("name");
        string name = nameElement.ValueKind == JsonValueKind.String ? nameElement.GetString()! : throw Error($"{path}.name", "must be a string");
        var players = Strings(Property("players"), file, $"{path}.players");
        var movesElement = Property("moves");
        if (movesElement.ValueKind != JsonValueKind.Array) throw Error($"{path}.moves", "must be an array with one array of move names per player");
        var moves = movesElement.EnumerateArray().Select((m, i) => (IReadOnlyList<string>)Strings(m, file, $"{path}.moves[{i}]")).ToArray();
        if (moves.Length != players.Length)
            throw Error($"{path}.moves", $"has {moves.Length} move lists for {players.Length} players");
        var payoffs = new List<IReadOnlyList<double>>();
        Flatten(Property("payoffs"), 0, $"{path}.payoffs");
        try
        {
            return new NormalFormGame(name, players, moves, payoffs);
        }
        catch (ArgumentException e)
        {
            throw new InvalidDataException($"{file}: {path}: {e.Message.Replace($" (Parameter '{e.ParamName}')", "", StringComparison.Ordinal)}", e);
        }

        void Flatten(JsonElement element, int depth, string at)
        {
            if (element.ValueKind != JsonValueKind.Array) throw Error(at, "must be an array");
            int length = element.GetArrayLength();
            if (depth == players.Length)
            {
                if (length != players.Length)
                    throw Error(at, $"has {length} entries; expected {players.Length} (one payoff per player)");
                payoffs.Add(element.EnumerateArray().Select((v, i) => v.ValueKind == JsonValueKind.Number && v.TryGetDouble(out double x) && double.IsFinite(x) ? x
                    : throw Error($"{at}[{i}]", "must be a finite number")).ToArray());
                return;
            }
            if (length != moves[depth].Count)
                throw Error(at, $"has {length} entries; expected {moves[depth].Count} (one per move of player '{players[depth]}')");
            int i = 0;
            foreach (var child in element.EnumerateArray()) Flatten(child, depth + 1, $"{at}[{i++}]");
        }
    }

    private static string[] Strings(JsonElement element, string file, string where)
    {
        if (element.ValueKind != JsonValueKind.Array) throw new InvalidDataException($"{file}: {where} must be an array of strings.");
        return element.EnumerateArray().Select((e, i) => e.ValueKind == JsonValueKind.String ? e.GetString()!
            : throw new InvalidDataException($"{file}: {where}[{i}] must be a string.")).ToArray();
    }

    /// <inheritdoc/>
    public override string ToString() => Name;
}
