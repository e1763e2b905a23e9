using System.Globalization;

namespace Microsoft.ML.Recourse.Optimization.OrTools;

/// <summary>The OR-Tools engine behind <see cref="MixedIntegerSolver"/>.</summary>
public enum MixedIntegerEngine
{
    /// <summary>
    /// <see cref="CpSat"/> for pure integer programs with finite bounds (measured faster on the recourse programs),
    /// <see cref="Scip"/> for everything else.
    /// </summary>
    Automatic,

    /// <summary>SCIP (Apache-2.0), a branch-and-cut MIP solver working on the program's own real coefficients.</summary>
    Scip,

    /// <summary>
    /// CP-SAT, OR-Tools' constraint solver, for pure integer programs only: it scales real coefficients and continuous
    /// variables to integers, which was seen to return a wrong "optimal" answer on continuous variables, so programs
    /// with any continuous variable, or any infinite bound (CP-SAT's domains are finite), are refused.
    /// </summary>
    CpSat,
}

/// <summary>
/// Solves mixed-integer programs with OR-Tools (shipped in the Google.OrTools package: nothing to install).
/// </summary>
/// <remarks>
/// Each call builds its own model, so one instance may be used from many threads at once. The answers are
/// deterministic for a given <see cref="NumberOfWorkers"/> and <see cref="RandomSeed"/> (a time limit can stop two
/// runs at different incumbents). <see cref="LinearProgramResult.Iterations"/> holds the branch-and-bound nodes.
/// A time limit that stops the search returns the incumbent with <see cref="LinearProgramStatus.Limit"/>.
/// </remarks>
public sealed class MixedIntegerSolver : ILinearProgramSolver
{
    /// <summary>Creates a mixed-integer solver.</summary>
    /// <param name="engine">The OR-Tools engine; <see cref="Defaults.Engine"/> by default.</param>
    /// <param name="maximumSeconds">The time limit in seconds, or <see cref="double.PositiveInfinity"/> for none (the default). Range: value &gt; 0.</param>
    /// <param name="numberOfWorkers">Search threads; 1 (the default) keeps answers reproducible run to run. Range: 1 ≤ value ≤ 64.</param>
    /// <param name="randomSeed">The engine's random seed (default 0). Range: value ≥ 0.</param>
    public MixedIntegerSolver(MixedIntegerEngine engine = Defaults.Engine, double maximumSeconds = double.PositiveInfinity,
        int numberOfWorkers = Defaults.NumberOfWorkers, int randomSeed = 0)
    {
        Contracts.CheckParam(Enum.IsDefined(engine), nameof(engine), $"Unknown engine {engine}.");
        Contracts.CheckParam(maximumSeconds > 0, nameof(maximumSeconds), FormattableString.Invariant($"Must be > 0 (or +∞ for no limit); got {maximumSeconds}."));
        Contracts.CheckParam(numberOfWorkers is >= 1 and <= LinearProgramSolver.MaximumNumberOfWorkers, nameof(numberOfWorkers),
            FormattableString.Invariant($"Must lie in [1, {LinearProgramSolver.MaximumNumberOfWorkers}]; got {numberOfWorkers}."));
        Contracts.CheckParam(randomSeed >= 0, nameof(randomSeed), FormattableString.Invariant($"Must be ≥ 0; got {randomSeed}."));
        Engine = engine;
        MaximumSeconds = maximumSeconds;
        NumberOfWorkers = numberOfWorkers;
        RandomSeed = randomSeed;
    }

    /// <summary>Gets the engine.</summary>
    public MixedIntegerEngine Engine { get; }

    /// <summary>Gets the time limit in seconds (<see cref="double.PositiveInfinity"/> for none).</summary>
    public double MaximumSeconds { get; }

    /// <summary>Gets the number of search threads.</summary>
    public int NumberOfWorkers { get; }

    /// <summary>Gets the engine's random seed.</summary>
    public int RandomSeed { get; }

    /// <inheritdoc/>
    public LinearProgramResult Solve(LinearProgram problem, CancellationToken cancellationToken = default)
    {
        Contracts.CheckValue(problem, nameof(problem));
        cancellationToken.ThrowIfCancellationRequested();
        Contracts.CheckParam(Engine != MixedIntegerEngine.CpSat || problem.IsInteger.All(b => b), nameof(problem),
            $"The CP-SAT engine solves pure integer programs only; this one has continuous variables. Use {nameof(MixedIntegerEngine)}.{nameof(MixedIntegerEngine.Scip)}.");
        var engine = Engine == MixedIntegerEngine.Automatic ? (IsPureBoundedInteger(problem) ? MixedIntegerEngine.CpSat : MixedIntegerEngine.Scip) : Engine;
        if (engine == MixedIntegerEngine.CpSat)
        {
            for (int j = 0; j < problem.VariableCount; j++)
                Contracts.CheckParam(double.IsFinite(problem.ColumnLower[j]) && double.IsFinite(problem.ColumnUpper[j]), nameof(problem),
                    $"The CP-SAT engine needs finite bounds on every variable; variable {j} has [{problem.ColumnLower[j]}, {problem.ColumnUpper[j]}]. Use {nameof(MixedIntegerEngine)}.{nameof(MixedIntegerEngine.Scip)}.");
        }
        if (problem.FindEmptyRange() is string emptyRange)
            return LinearProgram.EmptyRangeResult(emptyRange);
        var (id, parameters) = engine switch
        {
            // Gaps 0: an answer reported optimal is optimal, not within SCIP's default 1e-4 relative gap.
            MixedIntegerEngine.Scip => ("SCIP", string.Create(CultureInfo.InvariantCulture,
                $"limits/gap = 0\nlimits/absgap = 0\nrandomization/randomseedshift = {RandomSeed}\n")),
            _ => ("CP_SAT", string.Create(CultureInfo.InvariantCulture,
                $"random_seed:{RandomSeed} num_workers:{NumberOfWorkers} relative_gap_limit:0 absolute_gap_limit:0")),
        };
        return OrToolsModel.Solve(id, problem, new SolverSettings(MaximumSeconds, NumberOfWorkers, parameters), out _);
    }

    private static bool IsPureBoundedInteger(LinearProgram problem)
    {
        for (int j = 0; j < problem.VariableCount; j++)
        {
            if (!problem.IsInteger[j] || !double.IsFinite(problem.ColumnLower[j]) || !double.IsFinite(problem.ColumnUpper[j]))
                return false;
        }
        return true;
    }

    /// <summary>The default settings.</summary>
    public static class Defaults
    {
        /// <summary>The default engine.</summary>
        public const MixedIntegerEngine Engine = MixedIntegerEngine.Automatic;

        /// <summary>The default number of search threads.</summary>
        public const int NumberOfWorkers = 1;
    }
}
