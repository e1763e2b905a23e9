using Microsoft.ML;
using Microsoft.ML.Recourse.Actions;
using Microsoft.ML.Recourse.MultiAgent;

namespace Microsoft.ML.Recourse.Tests.MultiAgent;

public class MultiAgentRecommenderTests
{
    private static MultiAgentRecommender PdRecommender(NormalFormGame game)
    {
        var ctx = new MLContext(seed: 1).Recourse();
        return ctx.MultiAgent.Recommender(game.CreateSystem(), game.Players[0], game.MoveActions(0), RecourseProblem.Standard);
    }

    // Spec §2.4: factual (principal, other), Δ_p, Δ_o, ΔSW, then single-agent, Pareto, social-welfare, welfare-only.
    [Theory]
    [InlineData("C", "C", 1, -2, -1, true, false, false, false)]
    [InlineData("C", "D", 1, -2, -1, true, false, false, false)]
    [InlineData("D", "C", -1, 2, 1, false, false, false, true)]
    [InlineData("D", "D", -1, 2, 1, false, false, false, true)]
    public void Recommend_PrisonersDilemma_ReproducesSpecTable(string principal, string other, double dp, double dOther, double dsw,
        bool single, bool pareto, bool socialWelfare, bool welfareOnly)
    {
        var game = NormalFormGame.SentenceReduction;
        var results = PdRecommender(game).Recommend([game.IndexOfMove(0, principal), game.IndexOfMove(1, other)]);
        var byName = results.ToDictionary(r => r.Problem.Name);
        byName["singleAgent"].HasRecommendation.Should().Be(single);
        byName["pareto"].HasRecommendation.Should().Be(pareto);
        byName["socialWelfare"].HasRecommendation.Should().Be(socialWelfare);
        byName["welfareOnly"].HasRecommendation.Should().Be(welfareOnly);
        // The flip is the only candidate; whichever problem recommends it reports the table's changes.
        var flip = results.Single(r => r.HasRecommendation);
        flip.Action.Should().Be(principal == "C" ? "D" : "C");
        flip.OutcomeChanges.Should().Equal(dp, dOther);
        flip.WelfareChange.Should().Be(dsw);
        flip.OutcomeChange("column").Should().Be(dOther);
        // And the problems that refuse it say which constraint excludes it.
        foreach (var refused in results.Where(r => !r.HasRecommendation))
        {
            refused.Status.Should().Be(RecommendationStatus.NoneExists);
            refused.Rejections.Should().ContainSingle().Which.Action.Should().Be(flip.Action);
            refused.Reason.Should().Contain($"'{flip.Action}' fails");
        }
    }

    [Fact]
    public void Recommend_ParetoOnCooperator_ReasonNamesOthersNotWorse()
    {
        var game = NormalFormGame.SentenceReduction;
        var pareto = PdRecommender(game).Recommend([0, 0])[2];
        pareto.Problem.Should().BeSameAs(RecourseProblem.Pareto);
        pareto.Rejections.Single().Violated.Should().Be(RecourseConstraints.OthersNotWorse);
        pareto.Reason.Should().Be("No feasible action satisfies the constraints: 'D' fails OthersNotWorse.");
    }

    [Fact]
    public void AnalyzePlays_GeneratedDalBoLog_ReproducesPaperCounts()
    {
        var ctx = new MLContext(seed: 2005).Recourse();
        var log = ctx.MultiAgent.SynthesizePlays([NormalFormGame.DalBoPD1, NormalFormGame.DalBoPD2], [434, 2860]);
        log.Plays.Should().HaveCount(3294);
        log.Plays.Select(p => p.Game).Distinct().Should().HaveCount(2);
        log.Plays.Select(p => p.OtherMove).Distinct().Should().HaveCount(2);

        var analysis = ctx.MultiAgent.AnalyzePlays(log);
        var counts = analysis.Problems.ToDictionary(p => p.Problem.Name);
        analysis.Plays.Should().Be(3294);
        counts["singleAgent"].Should().BeEquivalentTo(new { Recommendations = 434,
            Principal = new { Raised = 434, Lowered = 0 }, Other = new { Raised = 0, Lowered = 434 }, Sum = new { Raised = 0, Lowered = 434 } });
        counts["socialWelfare"].Recommendations.Should().Be(0);
        counts["pareto"].Recommendations.Should().Be(0);
        counts["welfareOnly"].Should().BeEquivalentTo(new { Recommendations = 2860,
            Principal = new { Raised = 0, Lowered = 2860 }, Other = new { Raised = 2860, Lowered = 0 }, Sum = new { Raised = 2860, Lowered = 0 } });
    }

    [Fact]
    public void RecommendBatch_RepeatedSituations_SearchesEachOnce()
    {
        var game = NormalFormGame.DalBoPD1;
        var batch = PdRecommender(game).RecommendBatch([0, 0, 1, 1, 0, 0, 0, 1, 1, 1]);
        batch.Count.Should().Be(5);
        batch.DistinctSituations.Should().Be(3);
        batch[2, 0].Should().BeSameAs(batch[0, 0]);
        batch[4, 3].Should().BeSameAs(batch[1, 3]);
        batch.Summaries[0].Recommended.Should().Be(3); // the three cooperating principals
        batch.Summaries[3].Recommended.Should().Be(2);
    }

    [Fact]
    public void Recommend_RandomGames_ParetoIsContainedInSocialWelfare()
    {
        var random = new Random(11);
        int paretoSeen = 0;
        for (int trial = 0; trial < 300; trial++)
        {
            int players = random.Next(2, 4);
            var moves = Enumerable.Range(0, players).Select(_ => (IReadOnlyList<string>)Enumerable.Range(0, random.Next(2, 4)).Select(m => $"m{m}").ToArray()).ToArray();
            int profiles = moves.Aggregate(1, (n, m) => n * m.Count);
            // Small integer payoffs make ties (Δ_o = 0) common, which exercises the weak inequalities.
            var payoffs = Enumerable.Range(0, profiles).Select(_ => (IReadOnlyList<double>)Enumerable.Range(0, players).Select(_ => (double)random.Next(0, 4)).ToArray()).ToArray();
            var game = new NormalFormGame("random", Enumerable.Range(0, players).Select(p => $"p{p}").ToArray(), moves, payoffs);
            var recommender = new MLContext(1).Recourse().MultiAgent.Recommender(game.CreateSystem(), "p0", game.MoveActions(0),
                [RecourseProblem.Pareto, RecourseProblem.SocialWelfare]);
            var factual = moves.Select(m => (double)random.Next(m.Count)).ToArray();
            var results = recommender.Recommend(factual);
            var (pareto, welfare) = (results[0], results[1]);
            if (!pareto.HasRecommendation) continue;
            paretoSeen++;
            welfare.HasRecommendation.Should().BeTrue("every Pareto-valid action is social-welfare-valid (trial {0})", trial);
            welfare.Cost.Should().BeLessThanOrEqualTo(pareto.Cost);
            pareto.WelfareChange.Should().BeGreaterThan(0);
        }
        paretoSeen.Should().BeGreaterThan(20);
    }

    [Fact]
    public void Recommender_ActionOnAnotherAgentsVariable_Throws()
    {
        var game = NormalFormGame.SentenceReduction;
        var act = () => new MLContext(1).Recourse().MultiAgent.Recommender(game.CreateSystem(), "row", game.MoveActions(1), RecourseProblem.Standard);
        act.Should().Throw<ArgumentOutOfRangeException>().WithMessage("Variable 'column' belongs to agent 'column'; the principal 'row' may act only on its own variables.*");
    }

    [Fact]
    public void Recommender_ActionOnImmutableVariable_Throws()
    {
        var ctx = new MLContext(1).Recourse();
        var scm = ctx.MultiAgent.CreateCausalModel().AddRoot("age", "a").AddRoot("income", "a", FeatureActionability.Free).Build();
        var system = ctx.MultiAgent.CreateSystem(scm, new Agent("a", AgentOutcome.Linear(0, ("income", 1.0))));
        var act = () => ctx.MultiAgent.Recommender(system, "a", ActionSpace.Grid(GridAxis.Values("age", [40.0])), [RecourseProblem.SingleAgent]);
        act.Should().Throw<ArgumentOutOfRangeException>().WithMessage("Variable 'age' is not actionable*");
    }

    [Fact]
    public void Recommend_ThresholdAlreadyMet_IsNotNeeded()
    {
        var ctx = new MLContext(1).Recourse();
        var scm = ctx.MultiAgent.CreateCausalModel().AddRoot("income", "a", FeatureActionability.IncreaseOnly).Build();
        var system = ctx.MultiAgent.CreateSystem(scm, new Agent("a", AgentOutcome.Linear(0, ("income", 1.0))));
        var actions = ActionSpace.Grid(GridAxis.Offsets("income", [-1.0, 1, 2]));
        var options = new MultiAgentRecommender.Options { Solver = MultiAgentSolver.Enumeration };
        var recommender = ctx.MultiAgent.Recommender(system, "a", actions, [RecourseProblem.Threshold(2)], options);
        recommender.Recommend([3])[0].Status.Should().Be(RecommendationStatus.NotNeeded);
        var found = recommender.Recommend([0.5])[0];
        found.Action.Should().Be("do(income := 2.5)"); // +1 falls short; −1 breaks increase-only
        found.Cost.Should().Be(2);
        recommender.Recommend([-5])[0].Reason.Should().Be(
            "No feasible action satisfies the constraints: 'do(income := -4)' fails PrincipalReachesThreshold; 'do(income := -3)' fails PrincipalReachesThreshold.");
    }

    [Fact]
    public void Recommend_CrossAgentEdge_OtherAgentsOutcomeFollowsTheScm()
    {
        // The principal's savings raise the other agent's income through a cross-agent edge.
        var ctx = new MLContext(1).Recourse();
        var scm = ctx.MultiAgent.CreateCausalModel()
            .AddRoot("savings", "p", FeatureActionability.Free)
            .AddLinear("income", 0, [("savings", -0.5)], "o")
            .Build();
        var system = ctx.MultiAgent.CreateSystem(scm,
            new Agent("p", AgentOutcome.Linear(0, ("savings", 1.0))), new Agent("o", AgentOutcome.Linear(0, ("income", 1.0))));
        var actions = ActionSpace.Discrete(new DiscreteAction("save more", [("savings", 2.0)]), new DiscreteAction("save less", [("savings", 0.0)]));
        var results = ctx.MultiAgent.Recommender(system, "p", actions, RecourseProblem.Standard).Recommend([1, 3]);
        results[0].Action.Should().Be("save more");
        results[0].OutcomeChanges.Should().Equal(1, -0.5);
        results[0].CounterfactualState.Should().Equal(2, 2.5);
        results[1].Action.Should().Be("save more"); // ΔSW = 0.5 > 0
        results[2].HasRecommendation.Should().BeFalse();
        results[3].Action.Should().Be("save more");
    }
}
