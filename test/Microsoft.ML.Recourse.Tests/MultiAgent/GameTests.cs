using Microsoft.ML.Recourse.MultiAgent;

namespace Microsoft.ML.Recourse.Tests.MultiAgent;

public class GameTests
{
    [Fact]
    public void PayoffTable_WrongShape_ThrowsWithShape()
    {
        var act = () => AgentOutcome.PayoffTable(["p", "o"], [2, 2], [1.0, 2, 3]);
        act.Should().Throw<ArgumentOutOfRangeException>().WithMessage("A payoff table of shape 2×2 needs 4 entries; got 3.*");
    }

    [Fact]
    public void NormalFormGame_WrongNumberOfProfiles_Throws()
    {
        var act = () => new NormalFormGame("g", ["a", "b"], [["C", "D"], ["C", "D"]], [[1.0, 1], [2, 2], [3, 3]]);
        act.Should().Throw<ArgumentOutOfRangeException>().WithMessage("*needs 4 payoff vectors*got 3*");
    }

    [Fact]
    public void NormalFormGame_PayoffVectorOfWrongLength_Throws()
    {
        var act = () => new NormalFormGame("g", ["a", "b"], [["C"], ["C"]], [[1.0, 1, 1]]);
        act.Should().Throw<ArgumentOutOfRangeException>().WithMessage("*payoff vector 0 has 3 entries; expected 2*");
    }

    [Fact]
    public void Load_JsonWithWrongNesting_ThrowsNamingThePath()
    {
        string path = Path.Combine(Path.GetTempPath(), $"game-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, """{"name":"g","players":["a","b"],"moves":[["C","D"],["C","D"]],"payoffs":[[[2,2],[0,3]],[[3,0]]]}""");
        try
        {
            var act = () => NormalFormGame.Load(path);
            act.Should().Throw<InvalidDataException>().WithMessage("*payoffs[1] has 1 entries; expected 2 (one per move of player 'b')*");
        }
        finally { File.Delete(path); }
    }

    [Fact]
    public void Load_ValidJson_ReproducesTheBuiltInDilemma()
    {
        string path = Path.Combine(Path.GetTempPath(), $"game-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, """{"name":"mine","players":["row","column"],"moves":[["C","D"],["C","D"]],"payoffs":[[[2,2],[0,3]],[[3,0],[1,1]]]}""");
        try
        {
            var game = NormalFormGame.Load(path).Single();
            game.Payoffs.Should().BeEquivalentTo(NormalFormGame.SentenceReduction.Payoffs, o => o.WithStrictOrdering());
        }
        finally { File.Delete(path); }
    }

    [Fact]
    public void PrisonersDilemma_NotADilemma_Throws()
    {
        var act = () => NormalFormGame.PrisonersDilemma("x", reward: 3, sucker: 0, temptation: 2, punishment: 1);
        act.Should().Throw<ArgumentOutOfRangeException>().WithMessage("*T > R > P > S*");
    }

    [Fact]
    public void DalBoGames_HaveThePublishedPayoffs()
    {
        NormalFormGame.DalBoPD1.Payoffs.Should().BeEquivalentTo(new[] { new[] { 65.0, 65 }, [10, 100], [100, 10], [35, 35] }, o => o.WithStrictOrdering());
        NormalFormGame.DalBoPD2.Payoffs.Should().BeEquivalentTo(new[] { new[] { 75.0, 75 }, [10, 100], [100, 10], [45, 45] }, o => o.WithStrictOrdering());
    }
}
