using BenchmarkDotNet.Attributes;
using Microsoft.ML.Recourse.Optimization;
using Microsoft.ML.Recourse.Optimization.OrTools;

namespace Microsoft.ML.Recourse.Benchmarks.Optimization;

/// <summary>Random dense LPs min cᵀx s.t. Ax ≥ b, 0 ≤ x ≤ 10 (about half the entries non-zero), solved cold by GLOP.</summary>
[SimpleJob(launchCount: 1, warmupCount: 2, iterationCount: 5)]
[MemoryDiagnoser]
public class DenseLinearProgramBenchmarks
{
    private const int Instances = 100;
    private readonly GlopSolver _glop = new();
    private LinearProgram[] _problems = [];
    private int _next;

    /// <summary>Variables; the programs have twice as many rows (10×20, 30×60, 100×200).</summary>
    [Params(10, 30, 100)]
    public int Variables { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(42);
        _problems = Enumerable.Range(0, Instances).Select(_ => DenseLp(random, Variables, 2 * Variables)).ToArray();
    }

    /// <summary>One solve; each call takes the next of 100 distinct instances, so no two consecutive solves are alike.</summary>
    [Benchmark]
    public double Glop()
    {
        var problem = _problems[_next];
        _next = (_next + 1) % Instances;
        return _glop.Solve(problem).ObjectiveValue;
    }

    internal static LinearProgram DenseLp(Random random, int variables, int rows)
    {
        var x0 = Enumerable.Range(0, variables).Select(_ => random.NextDouble() * 10).ToArray();
        var constraints = new LinearConstraint[rows];
        for (int i = 0; i < rows; i++)
        {
            var indices = Enumerable.Range(0, variables).Where(_ => random.NextDouble() < 0.5).ToArray();
            var coefficients = indices.Select(_ => random.NextDouble() * 2 - 0.5).ToArray();
            double activity = indices.Select((j, k) => coefficients[k] * x0[j]).Sum();
            constraints[i] = new LinearConstraint(indices, coefficients, activity - random.NextDouble(), double.PositiveInfinity);
        }
        var objective = Enumerable.Range(0, variables).Select(_ => random.NextDouble() * 2 - 0.5).ToArray();
        return new LinearProgram(objective, new double[variables], Enumerable.Repeat(10.0, variables).ToArray(), constraints);
    }
}

/// <summary>The closed form on a separable 100-variable program (the one-step linear recourse shape).</summary>
[SimpleJob(launchCount: 1, warmupCount: 2, iterationCount: 5)]
[MemoryDiagnoser]
public class SeparableLinearProgramBenchmarks
{
    private readonly SeparableBoxSolver _solver = new();
    private LinearProgram _problem = null!;

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(42);
        const int n = 100;
        var lower = Enumerable.Range(0, n).Select(_ => -random.NextDouble() * 5).ToArray();
        var upper = lower.Select(l => l + random.NextDouble() * 10).ToArray();
        var objective = Enumerable.Range(0, n).Select(_ => random.NextDouble() * 2 - 1).ToArray();
        _problem = new LinearProgram(objective, lower, upper);
    }

    [Benchmark]
    public double ClosedForm() => _solver.Solve(_problem).ObjectiveValue;
}

/// <summary>
/// A recourse-shaped MIP in the style of Ustun et al.: 20 features × 20 grid actions as binaries, one "at most one
/// action per feature" row per feature, one row that moves the linear score past the threshold, and a cost that grows
/// with the size of each step. Solved by SCIP and by CP-SAT (one worker).
/// </summary>
[SimpleJob(launchCount: 1, warmupCount: 2, iterationCount: 5)]
[MemoryDiagnoser]
public class RecourseMipBenchmarks
{
    private const int Features = 20;
    private const int GridPoints = 20;
    private const int Instances = 10;
    private readonly MixedIntegerSolver _scip = new(MixedIntegerEngine.Scip);
    private readonly MixedIntegerSolver _cpSat = new(MixedIntegerEngine.CpSat);
    private LinearProgram[] _problems = [];
    private int _next;

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(42);
        _problems = Enumerable.Range(0, Instances).Select(_ => RecourseMip(random)).ToArray();
    }

    /// <summary>The same solves with OR-Tools' SCIP.</summary>
    [Benchmark]
    public double Scip()
    {
        var problem = _problems[_next];
        _next = (_next + 1) % Instances;
        return _scip.Solve(problem).ObjectiveValue;
    }

    /// <summary>The same solves with OR-Tools' CP-SAT (one worker; the program is pure binary).</summary>
    [Benchmark]
    public double CpSat()
    {
        var problem = _problems[_next];
        _next = (_next + 1) % Instances;
        return _cpSat.Solve(problem).ObjectiveValue;
    }

    private static LinearProgram RecourseMip(Random random)
    {
        int n = Features * GridPoints;
        var cost = new double[n];
        var scoreGain = new double[n];
        var rows = new List<LinearConstraint>();
        double bestGain = 0;
        for (int f = 0; f < Features; f++)
        {
            double weight = random.NextDouble() * 2 - 1;
            double scale = 0.5 + random.NextDouble();
            var indices = new int[GridPoints];
            for (int k = 0; k < GridPoints; k++)
            {
                int j = f * GridPoints + k;
                double step = (k - GridPoints / 2 + (k >= GridPoints / 2 ? 1 : 0)) * 0.25; // ±0.25 … ±2.5, no zero step
                indices[k] = j;
                cost[j] = Math.Abs(step) / scale;
                scoreGain[j] = weight * step;
            }
            bestGain += Enumerable.Range(0, GridPoints).Max(k => scoreGain[f * GridPoints + k]);
            rows.Add(new LinearConstraint(indices, Enumerable.Repeat(1.0, GridPoints).ToArray(), double.NegativeInfinity, 1));
        }
        // Ask for a third of the largest reachable score gain, so the program is feasible but needs several features.
        rows.Add(new LinearConstraint(Enumerable.Range(0, n).ToArray(), scoreGain, bestGain / 3, double.PositiveInfinity));
        return new LinearProgram(cost, new double[n], Enumerable.Repeat(1.0, n).ToArray(), rows, Enumerable.Repeat(true, n).ToArray());
    }
}
