using Microsoft.ML;
using BenchmarkDotNet.Attributes;
using Microsoft.ML.Recourse.Persuasion;

namespace Microsoft.ML.Recourse.Benchmarks.Persuasion;

/// <summary>
/// The persuasion target: 10 actions and 100,000 prior samples (23 features, as HELOC) solved in under 1 s.
/// Run: <c>dotnet run -c Release --project benchmarks/Microsoft.ML.Recourse.Benchmarks -- --filter *PersuasionBenchmarks*</c>.
/// </summary>
[MemoryDiagnoser]
public class PersuasionBenchmarks
{
    private const int Features = 23;
    private LinearPersuasionSetting _setting = null!;
    private PersuasionProblem _problem = null!;

    [Params(3, 10)]
    public int Actions { get; set; }

    [Params(100_000)]
    public int Samples { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(1);
        var weights = Enumerable.Range(0, Features).Select(_ => random.NextDouble() * 2 - 1).ToArray();
        var subject = Enumerable.Range(0, Features).Select(_ => random.NextDouble() * 2 - 1).ToArray();
        double bias = -subject.Select((x, j) => x * weights[j]).Sum() - 0.5; // just rejected
        var actions = new List<PersuasionAction> { new("nothing", 0, 0, new double[Features]) };
        for (int a = 1; a < Actions; a++)
        {
            var effect = new double[Features];
            for (int k = 0; k < 3; k++) effect[random.Next(Features)] += random.NextDouble() * 2 - 1;
            actions.Add(new PersuasionAction($"a{a}", Math.Round(random.NextDouble() * 0.5, 2), a % 2, effect));
        }
        _setting = new LinearPersuasionSetting(subject, actions, DecisionRulePrior.Gaussian([.. weights, bias], 0.4));
        _problem = new MLContext(1).Recourse().Persuasion.CreateProblem(_setting, Samples);
        var result = new MLContext(1).Recourse().Persuasion.Solve(_problem);
        Console.WriteLine($"// {Actions} actions, {Samples} samples: {result.RegionCount} regions; persuasion {result.Persuasion.DecisionMakerUtility:0.0000}, full {result.FullDisclosure.DecisionMakerUtility:0.0000}, none {result.NoDisclosure.DecisionMakerUtility:0.0000}");
    }

    /// <summary>Sampling the prior and grouping acceptance patterns into regions.</summary>
    [Benchmark]
    public int EstimateRegions() => new MLContext(2).Recourse().Persuasion.CreateProblem(_setting, Samples).Regions.Count;

    /// <summary>The signalling LP (GLOP) and both baselines on the estimated regions.</summary>
    [Benchmark]
    public double SolveLp() => new MLContext(2).Recourse().Persuasion.Solve(_problem).Persuasion.DecisionMakerUtility;

    /// <summary>Regions and LP together: the whole "solve" of the target.</summary>
    [Benchmark]
    public double EndToEnd()
    {
        var ctx = new MLContext(3).Recourse();
        return ctx.Persuasion.Solve(ctx.Persuasion.CreateProblem(_setting, Samples)).Persuasion.DecisionMakerUtility;
    }
}
