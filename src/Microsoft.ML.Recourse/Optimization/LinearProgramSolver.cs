using Microsoft.ML.Recourse.Optimization.OrTools;

namespace Microsoft.ML.Recourse.Optimization;

/// <summary>
/// Solves any <see cref="LinearProgram"/> with the solver the project's policy assigns to it: separable programs
/// (bounds only) in closed form with <see cref="SeparableBoxSolver"/>, programs with integer variables with OR-Tools'
/// <see cref="MixedIntegerSolver"/>, and all other linear programs with OR-Tools' <see cref="GlopSolver"/>.
/// <see cref="Create"/> gives the same policy with a time limit and a worker count; for another engine, use those
/// solvers directly.
/// </summary>
public static class LinearProgramSolver
{
    /// <summary>Gets the dispatching solver with default settings for each backend.</summary>
    public static ILinearProgramSolver Default { get; } = new DispatchingSolver(new SeparableBoxSolver(), new GlopSolver(), new MixedIntegerSolver());

    /// <summary>The most search threads a caller may ask of the mixed-integer engines.</summary>
    internal const int MaximumNumberOfWorkers = 64;

    /// <summary>Creates the dispatching solver with a time limit and a worker count for its OR-Tools backends.</summary>
    /// <param name="maximumSeconds">The time limit of each solve in seconds, or <see langword="null"/> for none (the default). Range: value &gt; 0.</param>
    /// <param name="numberOfWorkers">
    /// Search threads of the mixed-integer engines (GLOP and the closed form use one); 1 (the default) gives the same
    /// answers run to run. Range: 1 ≤ value ≤ 64.
    /// </param>
    /// <param name="engine">The engine of programs with integer variables (default: automatic).</param>
    /// <returns>A solver that may be used from many threads at once.</returns>
    public static ILinearProgramSolver Create(double? maximumSeconds = null, int numberOfWorkers = MixedIntegerSolver.Defaults.NumberOfWorkers,
        MixedIntegerEngine engine = MixedIntegerSolver.Defaults.Engine)
    {
        CheckLimits(maximumSeconds, nameof(maximumSeconds), numberOfWorkers, nameof(numberOfWorkers));
        Contracts.CheckParam(Enum.IsDefined(engine), nameof(engine), $"Unknown engine {engine}.");
        if (maximumSeconds is null && numberOfWorkers == MixedIntegerSolver.Defaults.NumberOfWorkers && engine == MixedIntegerSolver.Defaults.Engine)
            return Default;
        double seconds = maximumSeconds ?? double.PositiveInfinity;
        return new DispatchingSolver(new SeparableBoxSolver(), new GlopSolver(seconds), new MixedIntegerSolver(engine, seconds, numberOfWorkers));
    }

    /// <summary>Checks a time limit and a worker count, naming the options that hold them.</summary>
    internal static void CheckLimits(double? maximumSeconds, string secondsName, int numberOfWorkers, string workersName)
    {
        if (maximumSeconds is double seconds)
            Contracts.CheckParam(seconds > 0 && !double.IsNaN(seconds), secondsName,
                FormattableString.Invariant($"Must be > 0 seconds (or null for no limit); got {seconds}."));
        Contracts.CheckParam(numberOfWorkers is >= 1 and <= MaximumNumberOfWorkers, workersName,
            FormattableString.Invariant($"Must lie in [1, {MaximumNumberOfWorkers}]; got {numberOfWorkers}."));
    }

    /// <summary>Solves <paramref name="problem"/> with <see cref="Default"/>.</summary>
    /// <param name="problem">The program.</param>
    /// <param name="cancellationToken">Stops the solve before it starts; a running solve is not interrupted (use the solvers' time limits).</param>
    /// <returns>The status, objective and solution.</returns>
    public static LinearProgramResult Solve(LinearProgram problem, CancellationToken cancellationToken = default)
        => Default.Solve(problem, cancellationToken);

    /// <summary>Chooses the backend for each program (the policy above).</summary>
    internal sealed class DispatchingSolver(ILinearProgramSolver separable, ILinearProgramSolver linear, ILinearProgramSolver mixedInteger)
        : ILinearProgramSolver
    {
        public LinearProgramResult Solve(LinearProgram problem, CancellationToken cancellationToken = default)
        {
            Contracts.CheckValue(problem, nameof(problem));
            return SolverFor(problem).Solve(problem, cancellationToken);
        }

        internal ILinearProgramSolver SolverFor(LinearProgram problem)
            => problem.IsSeparable ? separable : problem.HasIntegerVariables ? mixedInteger : linear;
    }
}
