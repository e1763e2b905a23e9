namespace Microsoft.ML.Recourse.Optimization.OrTools;

/// <summary>
/// Solves linear programs with GLOP, Google's primal/dual simplex in OR-Tools (Apache-2.0, shipped in the
/// Google.OrTools package for linux-x64/arm64, osx and win: nothing to install).
/// </summary>
/// <remarks>
/// GLOP is a simplex method, so an optimum is a vertex accurate to its feasibility tolerance (1e-7 relative in the
/// worst case); PDLP, OR-Tools' first-order LP method, is only ~1e-5 accurate, so it is not used. Each call builds its own model, so one instance may be
/// used from many threads at once. An <see cref="LinearProgramStatus.Infeasible"/> answer carries a Farkas
/// <see cref="LinearProgramResult.Certificate"/> when one can be read off GLOP's phase-one duals.
/// Programs with integer variables are refused: use <see cref="MixedIntegerSolver"/>.
/// </remarks>
public sealed class GlopSolver : ILinearProgramSolver
{
    internal const string SolverId = "GLOP";

    // Measured on the benchmarks' dense LPs (docs/solvers.md): the dual simplex without presolve beats GLOP's
    // defaults on these small programs, with the same optima.
    private const string Parameters = "use_preprocessing:false use_dual_simplex:true";

    /// <summary>Creates a GLOP solver.</summary>
    /// <param name="maximumSeconds">The time limit in seconds, or <see cref="double.PositiveInfinity"/> for none (the default). Range: value &gt; 0.</param>
    public GlopSolver(double maximumSeconds = double.PositiveInfinity)
    {
        Contracts.CheckParam(maximumSeconds > 0, nameof(maximumSeconds), FormattableString.Invariant($"Must be > 0 (or +∞ for no limit); got {maximumSeconds}."));
        MaximumSeconds = maximumSeconds;
    }

    /// <summary>Gets the time limit in seconds (<see cref="double.PositiveInfinity"/> for none).</summary>
    public double MaximumSeconds { get; }

    /// <inheritdoc/>
    /// <exception cref="ArgumentOutOfRangeException">The program has integer variables.</exception>
    public LinearProgramResult Solve(LinearProgram problem, CancellationToken cancellationToken = default)
        => Solve(problem, out _, cancellationToken);

    /// <summary>Solves <paramref name="problem"/> and also returns the row duals y (empty unless optimal).</summary>
    internal LinearProgramResult Solve(LinearProgram problem, out double[] rowDuals, CancellationToken cancellationToken = default)
    {
        Contracts.CheckValue(problem, nameof(problem));
        Contracts.CheckParam(!problem.HasIntegerVariables, nameof(problem),
            $"{nameof(GlopSolver)} solves linear programs only; this one has integer variables. Use {nameof(MixedIntegerSolver)} (or {nameof(LinearProgramSolver)}.{nameof(LinearProgramSolver.Solve)}).");
        cancellationToken.ThrowIfCancellationRequested();
        rowDuals = [];
        if (problem.FindEmptyRange() is string emptyRange)
            return LinearProgram.EmptyRangeResult(emptyRange);
        var settings = new SolverSettings(MaximumSeconds, NumberOfWorkers: 1, Parameters);
        var result = OrToolsModel.Solve(SolverId, problem, settings, out rowDuals);
        if (result.Status != LinearProgramStatus.Infeasible)
            return result;
        // GLOP was seen to call a feasible program with an unbounded ray "infeasible": the phase-one program decides.
        var (minimumViolation, certificate) = InfeasibilityCertificate.Find(problem, settings);
        if (!(minimumViolation <= FeasibilityTolerance))
            return result with { Certificate = certificate };
        return SolveBoxed(problem, settings, out rowDuals);
    }

    /// <summary>A violation this small counts as feasible (GLOP's own primal tolerance is 1e-7 relative).</summary>
    internal const double FeasibilityTolerance = 1e-9;

    /// <summary>The stand-in for an infinite bound when a feasible program's "infeasible" verdict is re-examined.</summary>
    internal const double ArtificialBound = 1e9;

    /// <summary>
    /// Solves a program known to be feasible with its infinite bounds replaced by ±<see cref="ArtificialBound"/>: an
    /// optimum on such a bound means the original is unbounded.
    /// </summary>
    private static LinearProgramResult SolveBoxed(LinearProgram problem, SolverSettings settings, out double[] rowDuals)
    {
        var boxed = new LinearProgram(problem.Objective,
            problem.ColumnLower.Select(b => Math.Max(b, -ArtificialBound)).ToArray(),
            problem.ColumnUpper.Select(b => Math.Min(b, ArtificialBound)).ToArray(),
            problem.Constraints, sense: problem.Sense);
        var result = OrToolsModel.Solve(SolverId, boxed, settings, out rowDuals);
        if (result.Status != LinearProgramStatus.Optimal) return result;
        for (int j = 0; j < problem.VariableCount; j++)
        {
            bool onArtificialBound = double.IsInfinity(problem.ColumnLower[j]) && result.Solution[j] <= -ArtificialBound * (1 - 1e-9)
                                     || double.IsInfinity(problem.ColumnUpper[j]) && result.Solution[j] >= ArtificialBound * (1 - 1e-9);
            if (onArtificialBound)
            {
                rowDuals = [];
                return new LinearProgramResult(LinearProgramStatus.Unbounded, double.NaN, [], result.Iterations,
                    $"Unbounded: variable {j} runs to the artificial bound ±{ArtificialBound:0e0} while the rest stays feasible.");
            }
        }
        return result;
    }
}
