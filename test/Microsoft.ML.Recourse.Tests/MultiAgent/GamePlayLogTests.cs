using Microsoft.ML.Recourse.MultiAgent;

namespace Microsoft.ML.Recourse.Tests.MultiAgent;

public class GamePlayLogTests
{
    private static string Write(string text)
    {
        string path = Path.Combine(Path.GetTempPath(), $"plays-{Guid.NewGuid():N}.csv");
        File.WriteAllText(path, text);
        return path;
    }

    [Fact]
    public void Read_UnknownMove_ThrowsNamingTheLine()
    {
        string path = Write("principal,other\nC,D\nD,D\nC,X\n");
        var act = () => GamePlayLog.Read(path, [NormalFormGame.SentenceReduction]);
        act.Should().Throw<InvalidDataException>().WithMessage("*line 4: unknown move 'X' for the other in game 'pd'; expected one of C, D.");
        File.Delete(path);
    }

    [Fact]
    public void Read_UnknownGame_ThrowsNamingTheLine()
    {
        string path = Write("principal,other,game\nC,D,dalbo-pd1\nD,D,pd9\n");
        var act = () => GamePlayLog.Read(path, [NormalFormGame.DalBoPD1, NormalFormGame.DalBoPD2]);
        act.Should().Throw<InvalidDataException>().WithMessage("*line 3: unknown game 'pd9'*");
        File.Delete(path);
    }

    [Fact]
    public void Read_NoGameColumnWithTwoGames_Throws()
    {
        string path = Write("principal,other\nC,D\n");
        var act = () => GamePlayLog.Read(path, [NormalFormGame.DalBoPD1, NormalFormGame.DalBoPD2]);
        act.Should().Throw<InvalidDataException>().WithMessage("*line 1: the header has no game column, so the log needs exactly one game*");
        File.Delete(path);
    }

    [Fact]
    public void Read_MissingField_ThrowsNamingTheLine()
    {
        string path = Write("principal,other\nC\n");
        var act = () => GamePlayLog.Read(path, [NormalFormGame.SentenceReduction]);
        act.Should().Throw<InvalidDataException>().WithMessage("*line 2: expected 2 fields; got 1.");
        File.Delete(path);
    }

    [Fact]
    public void WriteRead_SynthesizedLog_RoundTrips()
    {
        NormalFormGame[] games = [NormalFormGame.DalBoPD1, NormalFormGame.DalBoPD2];
        var log = GamePlayLog.Synthesize(games, [5, 7], seed: 3);
        log.Plays.Count(p => p.PrincipalMove == 0).Should().Be(5);
        string path = Path.Combine(Path.GetTempPath(), $"plays-{Guid.NewGuid():N}.csv");
        log.Write(path);
        GamePlayLog.Read(path, games).Plays.Should().Equal(log.Plays);
        File.Delete(path);
    }

    [Fact]
    public void Synthesize_SameSeed_SameLog()
        => GamePlayLog.Synthesize([NormalFormGame.DalBoPD1], [3, 4], 9).Plays
            .Should().Equal(GamePlayLog.Synthesize([NormalFormGame.DalBoPD1], [3, 4], 9).Plays);
}
