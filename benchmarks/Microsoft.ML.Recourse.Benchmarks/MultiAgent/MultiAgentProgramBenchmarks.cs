using BenchmarkDotNet.Attributes;
using Microsoft.ML;
using Microsoft.ML.Recourse.Actions;
using Microsoft.ML.Recourse.MultiAgent;

namespace Microsoft.ML.Recourse.Benchmarks.MultiAgent;

/// <summary>
/// The multi-agent mixed-integer program (grid actions over a linear causal model; binaries plus continuous residuals
/// with big-M rows, so the automatic engine is SCIP). <see cref="RandomGrids"/>: the 20 random two-agent instances of
/// <c>GridProgramTests</c> (seed 5), six recourse problems each, one <c>Recommend</c> per instance (OperationsPerInvoke = 20);
/// <see cref="LargeGrid"/>: 6 axes × 40 values (41⁶ candidates) with one threshold problem.
/// <c>dotnet run -c Release --project benchmarks/Microsoft.ML.Recourse.Benchmarks -- --filter *MultiAgentProgramBenchmarks*</c>
/// </summary>
[SimpleJob(launchCount: 1, warmupCount: 2, iterationCount: 5)]
[MemoryDiagnoser]
public class MultiAgentProgramBenchmarks
{
    private const int Instances = 20;
    private (MultiAgentRecommender Recommender, double[] Factual)[] _random = [];
    private MultiAgentRecommender _large = null!;

    private static MultiAgentCatalog Context() => new MLContext(1).Recourse().MultiAgent;

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(5);
        _random = new (MultiAgentRecommender, double[])[Instances];
        for (int i = 0; i < Instances; i++)
        {
            var (system, actions, factual) = RandomInstance(random);
            double principalOutcome = system.Outcomes(factual)[0];
            RecourseProblem[] problems = [.. RecourseProblem.Standard, RecourseProblem.Threshold(principalOutcome + 0.5),
                new("combined", RecourseConstraints.PrincipalImproves | RecourseConstraints.OthersNotWorse | RecourseConstraints.WelfareNotWorse)];
            _random[i] = (Context().Recommender(system, "p", actions, problems, new() { Solver = MultiAgentSolver.MixedIntegerProgram }), factual);
        }
        var builder = Context().CreateCausalModel();
        for (int i = 0; i < 6; i++) builder.AddRoot($"x{i}", "a", FeatureActionability.Free);
        var scm = builder.Build();
        var large = Context().CreateSystem(scm, new Agent("a", AgentOutcome.Linear(0, Enumerable.Range(0, 6).Select(i => ($"x{i}", 1.0 + i)).ToArray())));
        var grid = ActionSpace.Grid(Enumerable.Range(0, 6).Select(i => GridAxis.Offsets($"x{i}", Enumerable.Range(1, 40).Select(k => k * 0.1).ToArray())).ToArray());
        _large = Context().Recommender(large, "a", grid, [RecourseProblem.Threshold(3)]);
        int found = _random.Sum(r => r.Recommender.Recommend(r.Factual).Count(x => x.HasRecommendation));
        Console.WriteLine($"// {Instances} random instances: {found} recommendations of {Instances * 6}; large grid: {_large.Recommend(new double[6])[0].Action}");
    }

    [Benchmark(OperationsPerInvoke = Instances, Description = "random two-agent grids, six problems, per instance")]
    public int RandomGrids()
    {
        int found = 0;
        foreach (var (recommender, factual) in _random)
            found += recommender.Recommend(factual).Count(r => r.HasRecommendation);
        return found;
    }

    [Benchmark(Description = "6 axes × 40 values, one threshold problem")]
    public double LargeGrid() => _large.Recommend(new double[6])[0].Cost;

    // The generator of GridProgramTests.RandomInstance, unchanged.
    private static (MultiAgentSystem System, GridActionSpace Actions, double[] Factual) RandomInstance(Random random)
    {
        double W() => random.Next(-8, 9) / 4.0;
        bool Edge() => random.NextDouble() < 0.6;
        (string, double)[] Terms(params string[] candidates) => candidates.Where(_ => Edge()).Select(c => (c, W())).ToArray();
        var actionabilities = new[] { FeatureActionability.Free, FeatureActionability.IncreaseOnly, FeatureActionability.DecreaseOnly };
        var scm = Context().CreateCausalModel()
            .AddRoot("c")
            .AddLinear("p0", W(), Terms("c"), "p", actionabilities[random.Next(3)])
            .AddLinear("p1", W(), Terms("c", "p0"), "p", actionabilities[random.Next(3)])
            .AddLinear("o0", W(), Terms("p0", "p1"), "o")
            .AddLinear("p2", W(), Terms("o0", "p1"), "p", FeatureActionability.Free)
            .AddLinear("o1", W(), Terms("o0", "p2", "c"), "o")
            .Build();
        var names = scm.Variables.Select(v => v.Name).ToArray();
        AgentOutcome Outcome() => AgentOutcome.Linear(W(), names.Where(_ => Edge()).Select(n => (n, W())).ToArray());
        var system = Context().CreateSystem(scm, new Agent("p", Outcome()), new Agent("o", Outcome()));
        GridAxis Axis(string v) => random.Next(2) == 0
            ? GridAxis.Offsets(v, Enumerable.Range(0, random.Next(2, 5)).Select(_ => W()).ToArray(), costWeight: 0.5 + random.Next(3))
            : GridAxis.Values(v, Enumerable.Range(0, random.Next(2, 5)).Select(_ => W()).ToArray(), costWeight: 0.5 + random.Next(3));
        var actions = ActionSpace.Grid(Axis("p0"), Axis("p1"), Axis("p2"));
        var noise = Enumerable.Range(0, names.Length).Select(_ => W()).ToArray();
        return (system, actions, scm.Evaluate(noise));
    }
}
