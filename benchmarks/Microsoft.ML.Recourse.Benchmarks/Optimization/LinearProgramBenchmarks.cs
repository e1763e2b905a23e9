using BenchmarkDotNet.Attributes;
using Microsoft.ML.Recourse.Optimization;
using Microsoft.ML.Recourse.Optimization.OrTools;

namespace Microsoft.ML.Recourse.Benchmarks.Optimization;

/// <summary>
/// Random dense LPs min cᵀx s.t. Ax ≥ b, 0 ≤ x ≤ 10 (about half the entries non-zero), solved cold by GLOP as the
/// library runs it (<see cref="Glop"/>) and by the variants that were measured before choosing it: GLOP with its default
/// parameters, CLP through OR-Tools, and, on programs that share one matrix and differ in objective and bounds (the
/// shape of the one-step LP solved row after row), GLOP cold against one GLOP solver reused with only the objective and
/// bounds changed (a warm start). The variants call OR-Tools directly; they are measurements, not library code.
/// <c>dotnet run -c Release --project benchmarks/Microsoft.ML.Recourse.Benchmarks -- --filter *DenseLinearProgramBenchmarks*</c>
/// </summary>
[SimpleJob(launchCount: 1, warmupCount: 2, iterationCount: 5)]
[MemoryDiagnoser]
public class DenseLinearProgramBenchmarks
{
    private const int Instances = 100;
    private readonly GlopSolver _glop = new();
    private LinearProgram[] _problems = [];
    private LinearProgram[] _sameMatrix = [];
    private int _next;
    private WarmSolver? _warm;

    /// <summary>Variables; the programs have twice as many rows (10×20, 30×60, 100×200).</summary>
    [Params(10, 30, 100)]
    public int Variables { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(42);
        _problems = Enumerable.Range(0, Instances).Select(_ => DenseLp(random, Variables, 2 * Variables)).ToArray();
        // The rows of the first program with the objective of each program and new upper bounds in [10, 15]: all
        // feasible, since DenseLp's rows hold at a point of [0, 10]ⁿ (the setup prints how many are optimal).
        var rows = _problems[0].Constraints;
        _sameMatrix = _problems.Select(p => new LinearProgram(p.Objective, new double[Variables],
            Enumerable.Range(0, Variables).Select(_ => 10 + random.NextDouble() * 5).ToArray(), rows)).ToArray();
        _warm?.Dispose();
        _warm = new WarmSolver(_sameMatrix[0]);
        int optimal = _sameMatrix.Count(p => _glop.Solve(p).IsOptimal);
        double worst = _sameMatrix.Max(p => Math.Abs(_glop.Solve(p).ObjectiveValue - _warm.Solve(p)));
        double worstClp = _problems.Max(p => Math.Abs(_glop.Solve(p).ObjectiveValue - SolveCold(p, "CLP", null)));
        Console.WriteLine($"// {Variables}×{2 * Variables}: same-matrix programs optimal {optimal}/{Instances}; largest |GLOP − warm GLOP| {worst:E1}, |GLOP − CLP| {worstClp:E1}");
    }

    [GlobalCleanup]
    public void Cleanup() => _warm?.Dispose();

    private LinearProgram Next(LinearProgram[] problems)
    {
        var problem = problems[_next];
        _next = (_next + 1) % Instances;
        return problem;
    }

    /// <summary>One solve as the library runs it; each call takes the next of 100 distinct instances, so no two consecutive solves are alike.</summary>
    [Benchmark]
    public double Glop() => _glop.Solve(Next(_problems)).ObjectiveValue;

    /// <summary>The same solves with GLOP's default parameters (presolve on, primal simplex).</summary>
    [Benchmark]
    public double GlopDefaultParameters() => SolveCold(Next(_problems), "GLOP", null);

    /// <summary>The same solves with CLP through OR-Tools (OR-Tools bundles Clp).</summary>
    [Benchmark]
    public double ClpThroughOrTools() => SolveCold(Next(_problems), "CLP", null);

    /// <summary>One matrix, new objective and upper bounds per solve: GLOP as the library runs it (a new solver each time).</summary>
    [Benchmark]
    public double GlopSameMatrixCold() => _glop.Solve(Next(_sameMatrix)).ObjectiveValue;

    /// <summary>The same solves on one reused GLOP solver that only changes the objective and the bounds (a warm start).</summary>
    [Benchmark]
    public double GlopSameMatrixWarm() => _warm!.Solve(Next(_sameMatrix));

    private static double SolveCold(LinearProgram problem, string solverId, string? parameters)
    {
        using var solver = Google.OrTools.LinearSolver.Solver.CreateSolver(solverId);
        solver.SuppressOutput();
        var variables = Load(solver, problem);
        if (parameters is not null) solver.SetSolverSpecificParametersAsString(parameters);
        solver.Solve();
        return solver.Objective().Value();
    }

    private static Google.OrTools.LinearSolver.Variable[] Load(Google.OrTools.LinearSolver.Solver solver, LinearProgram problem)
    {
        var variables = new Google.OrTools.LinearSolver.Variable[problem.VariableCount];
        for (int j = 0; j < variables.Length; j++)
            variables[j] = solver.MakeVar(problem.ColumnLower[j], problem.ColumnUpper[j], false, "");
        foreach (var row in problem.Constraints)
        {
            var constraint = solver.MakeConstraint(row.Lower, row.Upper, "");
            for (int k = 0; k < row.Indices.Count; k++) constraint.SetCoefficient(variables[row.Indices[k]], row.Coefficients[k]);
        }
        var objective = solver.Objective();
        for (int j = 0; j < variables.Length; j++) objective.SetCoefficient(variables[j], problem.Objective[j]);
        objective.SetMinimization();
        return variables;
    }

    /// <summary>One GLOP solver (the library's parameters) holding one matrix; each solve changes only objective and bounds.</summary>
    private sealed class WarmSolver : IDisposable
    {
        private readonly Google.OrTools.LinearSolver.Solver _solver = Google.OrTools.LinearSolver.Solver.CreateSolver("GLOP");
        private readonly Google.OrTools.LinearSolver.Variable[] _variables;

        public WarmSolver(LinearProgram matrix)
        {
            _solver.SuppressOutput();
            _variables = Load(_solver, matrix);
            _solver.SetSolverSpecificParametersAsString("use_preprocessing:false use_dual_simplex:true");
        }

        public double Solve(LinearProgram problem)
        {
            var objective = _solver.Objective();
            for (int j = 0; j < _variables.Length; j++)
            {
                _variables[j].SetBounds(problem.ColumnLower[j], problem.ColumnUpper[j]);
                objective.SetCoefficient(_variables[j], problem.Objective[j]);
            }
            _solver.Solve();
            return objective.Value();
        }

        public void Dispose() => _solver.Dispose();
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
