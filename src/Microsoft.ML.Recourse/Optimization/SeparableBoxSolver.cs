namespace Microsoft.ML.Recourse.Optimization;

/// <summary>
/// Solves separable programs (bounds only: no rows, no integrality) exactly in closed form, with no native dependency.
/// </summary>
/// <remarks>
/// Over a product of intervals the objective separates by coordinate, so each variable sits at the bound its objective
/// coefficient favours: the lower bound when the coefficient pushes the objective down (minimising a positive
/// coefficient), the upper bound otherwise. A variable with a zero coefficient takes the point of its interval nearest
/// 0, which makes the answer deterministic. The program is <see cref="LinearProgramStatus.Infeasible"/> when some
/// interval is empty, and <see cref="LinearProgramStatus.Unbounded"/> when a coefficient pushes a variable toward an
/// infinite bound.
/// </remarks>
public sealed class SeparableBoxSolver : ILinearProgramSolver
{
    /// <inheritdoc/>
    /// <exception cref="ArgumentOutOfRangeException">The program has rows or integer variables.</exception>
    public LinearProgramResult Solve(LinearProgram problem, CancellationToken cancellationToken = default)
    {
        Contracts.CheckValue(problem, nameof(problem));
        Contracts.CheckParam(problem.IsSeparable, nameof(problem),
            $"{nameof(SeparableBoxSolver)} solves only separable programs (bounds only); this one has {problem.Constraints.Count} rows" +
            $"{(problem.HasIntegerVariables ? " and integer variables" : "")}. Use {nameof(LinearProgramSolver)}.{nameof(LinearProgramSolver.Solve)}.");
        cancellationToken.ThrowIfCancellationRequested();

        if (problem.FindEmptyRange() is string emptyRange)
            return LinearProgram.EmptyRangeResult(emptyRange);

        int n = problem.VariableCount;

        double direction = problem.Sense == ObjectiveSense.Minimize ? 1 : -1;
        var solution = new double[n];
        double objective = 0;
        for (int j = 0; j < n; j++)
        {
            double lower = problem.ColumnLower[j], upper = problem.ColumnUpper[j];
            double cost = direction * problem.Objective[j]; // the coefficient of the equivalent minimisation
            double value = cost > 0 ? lower : cost < 0 ? upper : Math.Clamp(0.0, lower, upper);
            if (double.IsInfinity(value))
                return new LinearProgramResult(LinearProgramStatus.Unbounded, double.NaN, [], 0,
                    $"Variable {j} has objective coefficient {problem.Objective[j]} and no {(cost > 0 ? "lower" : "upper")} bound.");
            solution[j] = value;
            objective += problem.Objective[j] * value;
        }
        return new LinearProgramResult(LinearProgramStatus.Optimal, objective, solution, 0);
    }
}
