using Microsoft.ML;
using Microsoft.ML.Recourse.Actions;
using Microsoft.ML.Recourse.MultiAgent;
using Microsoft.ML.Recourse.Tests.TestFramework;

namespace Microsoft.ML.Recourse.Tests.MultiAgent;

public class GridProgramTests
{
    /// <summary>
    /// A random linear two-agent SCM: the principal owns p0..p2 (p1 may depend on p0, so an intervened grid variable
    /// can sit below another one), the other agent owns o0 and o1, c is context; edges cross agents.
    /// </summary>
    private static (MultiAgentSystem System, GridActionSpace Actions, double[] Factual) RandomInstance(Random random)
    {
        // Quarter steps keep every nonzero change far above the program's strict margin (see GridProgram.StrictMargin).
        double W() => random.Next(-8, 9) / 4.0;
        bool Edge() => random.NextDouble() < 0.6;
        (string, double)[] Terms(params string[] candidates) => candidates.Where(_ => Edge()).Select(c => (c, W())).ToArray();
        var actionabilities = new[] { FeatureActionability.Free, FeatureActionability.IncreaseOnly, FeatureActionability.DecreaseOnly };
        var scm = new MLContext(1).Recourse().MultiAgent.CreateCausalModel()
            .AddRoot("c")
            .AddLinear("p0", W(), Terms("c"), "p", actionabilities[random.Next(3)])
            .AddLinear("p1", W(), Terms("c", "p0"), "p", actionabilities[random.Next(3)])
            .AddLinear("o0", W(), Terms("p0", "p1"), "o")
            .AddLinear("p2", W(), Terms("o0", "p1"), "p", FeatureActionability.Free)
            .AddLinear("o1", W(), Terms("o0", "p2", "c"), "o")
            .Build();
        var names = scm.Variables.Select(v => v.Name).ToArray();
        AgentOutcome Outcome() => AgentOutcome.Linear(W(), names.Where(_ => Edge()).Select(n => (n, W())).ToArray());
        var system = new MLContext(1).Recourse().MultiAgent.CreateSystem(scm, new Agent("p", Outcome()), new Agent("o", Outcome()));
        GridAxis Axis(string v) => random.Next(2) == 0
            ? GridAxis.Offsets(v, Enumerable.Range(0, random.Next(2, 5)).Select(_ => W()).ToArray(), costWeight: 0.5 + random.Next(3))
            : GridAxis.Values(v, Enumerable.Range(0, random.Next(2, 5)).Select(_ => W()).ToArray(), costWeight: 0.5 + random.Next(3));
        var actions = ActionSpace.Grid(Axis("p0"), Axis("p1"), Axis("p2"));
        var noise = Enumerable.Range(0, names.Length).Select(_ => W()).ToArray();
        return (system, actions, scm.Evaluate(noise));
    }

    [Fact]
    public void Recommend_SmallRandomGrids_MixedIntegerProgramMatchesEnumeration()
    {
        var random = new Random(5);
        var ctx = new MLContext(1).Recourse();
        int recommended = 0, none = 0;
        for (int trial = 0; trial < 60; trial++)
        {
            var (system, actions, factual) = RandomInstance(random);
            double principalOutcome = system.Outcomes(factual)[0];
            RecourseProblem[] problems = [.. RecourseProblem.Standard, RecourseProblem.Threshold(principalOutcome + 0.5),
                new("combined", RecourseConstraints.PrincipalImproves | RecourseConstraints.OthersNotWorse | RecourseConstraints.WelfareNotWorse)];
            var mip = ctx.MultiAgent.Recommender(system, "p", actions, problems, new() { Solver = MultiAgentSolver.MixedIntegerProgram }).Recommend(factual);
            var enumerated = ctx.MultiAgent.Recommender(system, "p", actions, problems, new() { Solver = MultiAgentSolver.Enumeration }).Recommend(factual);
            for (int k = 0; k < problems.Length; k++)
            {
                mip[k].Solver.Should().Be(MultiAgentSolver.MixedIntegerProgram);
                mip[k].Status.Should().Be(enumerated[k].Status, "trial {0}, problem {1}: enumeration says {2}", trial, problems[k], enumerated[k]);
                if (!mip[k].HasRecommendation) { none++; continue; }
                recommended++;
                mip[k].Cost.Should().BeApproximately(enumerated[k].Cost, 1e-9, "trial {0}, problem {1}", trial, problems[k]);
            }
        }
        recommended.Should().BeGreaterThan(50);
        none.Should().BeGreaterThan(50);
    }

    [Fact]
    public void Solver_AutoOnNonLinearOutcome_UsesEnumeration()
    {
        var ctx = new MLContext(1).Recourse();
        var scm = ctx.MultiAgent.CreateCausalModel().AddRoot("x", "a", FeatureActionability.Free).Build();
        var system = ctx.MultiAgent.CreateSystem(scm, new Agent("a", AgentOutcome.FromFunction(["x"], v => v[0] * v[0])));
        var grid = ActionSpace.Grid(GridAxis.Values("x", [1.0, 2]));
        ctx.MultiAgent.Recommender(system, "a", grid, [RecourseProblem.SingleAgent]).Solver.Should().Be(MultiAgentSolver.Enumeration);
        var act = () => ctx.MultiAgent.Recommender(system, "a", grid, [RecourseProblem.SingleAgent], new() { Solver = MultiAgentSolver.MixedIntegerProgram });
        act.Should().Throw<ArgumentOutOfRangeException>().WithMessage("*the outcome of agent 'a' is not linear*");
    }

    [Fact]
    public void Recommend_LargeLinearGrid_MixedIntegerProgramSolvesBeyondEnumerationLimit()
    {
        // 6 axes × 40 values: 41⁶ ≈ 4.75e9 candidates, far beyond enumeration.
        var ctx = new MLContext(1).Recourse();
        var builder = ctx.MultiAgent.CreateCausalModel();
        for (int i = 0; i < 6; i++) builder.AddRoot($"x{i}", "a", FeatureActionability.Free);
        var scm = builder.Build();
        var system = ctx.MultiAgent.CreateSystem(scm,
            new Agent("a", AgentOutcome.Linear(0, Enumerable.Range(0, 6).Select(i => ($"x{i}", 1.0 + i)).ToArray())));
        var grid = ActionSpace.Grid(Enumerable.Range(0, 6).Select(i => GridAxis.Offsets($"x{i}", Enumerable.Range(1, 40).Select(k => k * 0.1).ToArray())).ToArray());
        var recommender = ctx.MultiAgent.Recommender(system, "a", grid, [RecourseProblem.Threshold(3)]);
        recommender.Solver.Should().Be(MultiAgentSolver.MixedIntegerProgram);
        var result = recommender.Recommend(new double[6])[0];
        // Cheapest per unit of score is x5 (weight 6): 3/6 = 0.5.
        result.Action.Should().Be("do(x5 := 0.5)");
        result.Cost.Should().BeApproximately(0.5, 1e-9);
    }

    [Fact]
    public void Recommend_MoreWorkersAndATimeLimit_FindTheSameCostsAsOneWorker()
    {
        var random = new Random(8);
        var ctx = new MLContext(1).Recourse();
        int compared = 0;
        for (int trial = 0; trial < 15; trial++)
        {
            var (system, actions, factual) = RandomInstance(random);
            RecourseProblem[] problems = [.. RecourseProblem.Standard];
            var one = ctx.MultiAgent.Recommender(system, "p", actions, problems, new() { Solver = MultiAgentSolver.MixedIntegerProgram }).Recommend(factual);
            var four = ctx.MultiAgent.Recommender(system, "p", actions, problems,
                new() { Solver = MultiAgentSolver.MixedIntegerProgram, SolverNumberOfWorkers = 4, SolverMaximumSeconds = 60 }).Recommend(factual);
            for (int k = 0; k < problems.Length; k++)
            {
                four[k].Status.Should().Be(one[k].Status, "trial {0}, problem {1}", trial, problems[k]);
                if (!one[k].HasRecommendation) continue;
                compared++;
                four[k].Cost.Should().BeApproximately(one[k].Cost, 1e-9, "trial {0}, problem {1}", trial, problems[k]);
            }
        }
        compared.Should().BeGreaterThan(5);
    }

    [Fact]
    public void Recommend_RepeatedRuns_GiveIdenticalRecommendations()
    {
        var random = new Random(9);
        int found = 0;
        for (int trial = 0; trial < 10; trial++)
        {
            var (system, actions, factual) = RandomInstance(random);
            RecourseProblem[] problems = [.. RecourseProblem.Standard];
            MultiAgentRecommendation[] Run() => new MLContext(1).Recourse().MultiAgent.Recommender(system, "p", actions, problems,
                new() { Solver = MultiAgentSolver.MixedIntegerProgram }).Recommend(factual).ToArray();
            var first = Run();
            var second = Run();
            for (int k = 0; k < problems.Length; k++)
            {
                second[k].Status.Should().Be(first[k].Status, "trial {0}, problem {1}", trial, problems[k]);
                second[k].Action.Should().Be(first[k].Action, "trial {0}, problem {1}", trial, problems[k]);
                second[k].Cost.Should().Be(first[k].Cost, "trial {0}, problem {1}", trial, problems[k]);
                found += first[k].HasRecommendation ? 1 : 0;
            }
        }
        found.Should().BeGreaterThan(5);
    }

    [Theory]
    [InlineData(0.0, 1, "SolverMaximumSeconds")]
    [InlineData(10.0, 0, "SolverNumberOfWorkers")]
    [InlineData(10.0, 65, "SolverNumberOfWorkers")]
    public void Recommender_OutOfRangeSolverLimits_ThrowNamingTheOption(double seconds, int workers, string option)
    {
        var (system, actions, _) = RandomInstance(new Random(1));
        var act = () => new MLContext(1).Recourse().MultiAgent.Recommender(system, "p", actions, [.. RecourseProblem.Standard],
            new() { SolverMaximumSeconds = seconds, SolverNumberOfWorkers = workers });
        act.Should().Throw<ArgumentOutOfRangeException>().Which.ParamName.Should().Be(option);
    }
}
