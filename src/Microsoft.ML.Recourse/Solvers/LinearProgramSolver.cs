using Microsoft.ML.Recourse.Solvers.OrTools;

namespace Microsoft.ML.Recourse.Solvers;

/// <summary>
/// Solves any <see cref="LinearProgram"/> with the solver the project's policy assigns to it: separable programs
/// (bounds only) in closed form with <see cref="SeparableBoxSolver"/>, programs with integer variables with OR-Tools'
/// <see cref="MixedIntegerSolver"/>, and all other linear programs with OR-Tools' <see cref="GlopSolver"/>.
/// For time limits, worker counts or another engine, use those solvers directly.
/// </summary>
public static class LinearProgramSolver
{
    /// <summary>Gets the dispatching solver with default settings for each backend.</summary>
    public static ILinearProgramSolver Default { get; } = new DispatchingSolver(new SeparableBoxSolver(), new GlopSolver(), new MixedIntegerSolver());

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
