using Microsoft.ML.Recourse.MultiAgent;
using Microsoft.ML.Recourse.Tests.TestFramework;
using Xunit.Abstractions;

namespace Microsoft.ML.Recourse.Tests.MultiAgent;

public class GameFileFuzzTests(ITestOutputHelper output)
{
    internal static string[] GameSeeds() =>
    [
        """{"name":"mine","players":["row","column"],"moves":[["C","D"],["C","D"]],"payoffs":[[[2,2],[0,3]],[[3,0],[1,1]]]}""",
        """[{"name":"a","players":["p","q"],"moves":[["x","y","z"],["u","v"]],"payoffs":[[[1,0],[0,1]],[[2,2],[0,0]],[[1,1],[3,-1]]]},{"name":"b","players":["p","q"],"moves":[["x"],["u"]],"payoffs":[[[5,5]]]}]""",
        """{"name":"solo","players":["only"],"moves":[["stay","go"]],"payoffs":[[1],[2]]}""",
        """{"name":"three","players":["a","b","c"],"moves":[["0","1"],["0"],["0","1"]],"payoffs":[[[[1,2,3],[4,5,6]]],[[[7,8,9],[0,1,2]]]]}""",
    ];

    internal static string[] PlaySeeds() =>
    [
        DocumentFuzzer.Lines("principal,other", "C,D", "D,D", "c, d ", "D,C"),
        DocumentFuzzer.Lines("principal,other,game", "C,D,pd", "D,D,dalbo-pd1", "\"C\",\"D\",dalbo-pd2"),
        DocumentFuzzer.Lines("game,other,principal", "pd,C,D", "", "dalbo-pd2,D,D"),
    ];

    [Fact]
    public void Parse_TenThousandMutatedGames_ParseOrThrowInvalidDataExceptionNamingTheJsonPath()
    {
        var tally = DocumentFuzzer.Run(GameSeeds(), DocumentFuzzer.MutateJson, json => NormalFormGame.Parse(json, "games.json"),
            [typeof(InvalidDataException)],
            message => message.StartsWith("games.json", StringComparison.Ordinal) && (message.Contains('$') || DocumentFuzzer.NamesLine(message)));

        output.WriteLine($"game JSON fuzz: {tally}");
        tally.Inputs.Should().Be(DocumentFuzzer.Count);
        tally.Rejected.GetValueOrDefault(nameof(InvalidDataException)).Should().BeGreaterThan(tally.Inputs / 2);
    }

    [Fact]
    public void Parse_TenThousandMutatedPlayLogs_ParseOrThrowInvalidDataExceptionNamingTheLine()
    {
        // One game for logs without a game column (the first seed), the three built-in games for the others.
        IReadOnlyList<NormalFormGame> GamesFor(string text) => text.Contains("game", StringComparison.OrdinalIgnoreCase) ? NormalFormGame.BuiltIn : [NormalFormGame.SentenceReduction];
        var tally = DocumentFuzzer.Run(PlaySeeds(), MutateCsv, text => GamePlayLog.Parse(text, "plays.csv", GamesFor(text)),
            [typeof(InvalidDataException)],
            message => message.StartsWith("plays.csv", StringComparison.Ordinal) && DocumentFuzzer.NamesLine(message));

        output.WriteLine($"play-log CSV fuzz: {tally}");
        tally.Inputs.Should().Be(DocumentFuzzer.Count);
        tally.Rejected.GetValueOrDefault(nameof(InvalidDataException)).Should().BeGreaterThan(tally.Inputs / 4);
        tally.Parsed.Should().BeGreaterThan(0);
    }

    private static readonly string[] Fields = ["C", "D", "c", "x", "", " ", "pd", "dalbo-pd1", "nope", "principal", "other", "game", "\"C\"", "\"", "1e400", "-1", "\u0000", "é"];

    /// <summary>A text mutation, or a line repeated, removed or given an extra or a strange field.</summary>
    private static string MutateCsv(string text, Random random)
        => DocumentFuzzer.MutateCsv(text, random, Fields, ",\"\n\r CDcdx\u0000\ufeff", replacementWeight: 1);
}

public class GameFileTests
{
    [Theory]
    [InlineData("""{"name":"g","players":["a","b"],"moves":[["C"],["C"]],"payoffs":[[[1,1]]],"note":"x"}""", "g.json: $.note is not a known key; a game has name, players, moves, payoffs.")]
    [InlineData("""[{"name":"g","players":["a"],"moves":[["C"]],"payoffs":[[1]]},{"name":"h","players":["a"],"moves":[["C"]],"Payoffs":[[1]]}]""", "g.json: $[1].Payoffs is not a known key*")]
    [InlineData("""{"name":7,"players":["a"],"moves":[["C"]],"payoffs":[[1]]}""", "g.json: $.name must be a string.")]
    [InlineData("""{"name":"g","players":["a",2],"moves":[["C"]],"payoffs":[[1]]}""", "g.json: $.players[1] must be a string.")]
    [InlineData("""{"name":"g","players":["a"],"moves":[["C"]],"payoffs":[[1e400]]}""", "g.json: $.payoffs[0][0] must be a finite number.")]
    [InlineData("""{"name":"g","name":"h","players":["a"],"moves":[["C"]],"payoffs":[[1]]}""", "g.json: $.name is repeated: a key may appear once in an object.")]
    [InlineData("""{"name":"g","players":["a","a"],"moves":[["C"],["C"]],"payoffs":[[[1,1]]]}""", "g.json: $: Game 'g': player names must be non-empty and unique*")]
    [InlineData("""[]""", "g.json: the array $ holds no game.")]
    public void Parse_MalformedGame_ThrowsInvalidDataExceptionNamingThePath(string json, string message)
        => FluentActions.Invoking(() => NormalFormGame.Parse(json, "g.json")).Should().Throw<InvalidDataException>().WithMessage(message);

    [Fact]
    public void Parse_OnePlayerGame_IsAGame()
        => NormalFormGame.Parse("""{"name":"solo","players":["only"],"moves":[["stay","go"]],"payoffs":[[1],[2]]}""", "g.json").Single().Payoff(0, 1).Should().Be(2);

    [Fact]
    public void ReadPlays_OnePlayerGame_ThrowsBeforeReadingARow()
    {
        var solo = NormalFormGame.Parse("""{"name":"solo","players":["only"],"moves":[["stay","go"]],"payoffs":[[1],[2]]}""", "g.json").Single();

        var act = () => GamePlayLog.Parse("principal,other\nstay,stay\n", "plays.csv", [solo]);

        act.Should().Throw<ArgumentOutOfRangeException>().WithMessage("Game 'solo' has 1 players; play logs hold two-player games.*");
    }

    [Fact]
    public void ReadPlays_UnclosedQuote_ThrowsInvalidDataExceptionNamingFileAndLine()
        => FluentActions.Invoking(() => GamePlayLog.Parse("principal,other\nC,\"D\n", "plays.csv", [NormalFormGame.SentenceReduction]))
            .Should().Throw<InvalidDataException>().WithMessage("plays.csv: Line 2: a quoted field is not closed before the end of the file.");

    [Fact]
    public void IndexOfMove_PlayerOutsideTheGame_ThrowsArgumentOutOfRange()
        => FluentActions.Invoking(() => NormalFormGame.SentenceReduction.IndexOfMove(2, "C")).Should().Throw<ArgumentOutOfRangeException>().WithMessage("Player 2 is outside 0..1 in game 'pd'.*");
}
