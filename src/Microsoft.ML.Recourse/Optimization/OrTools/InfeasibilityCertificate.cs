using Microsoft.ML.Recourse.Optimization.OrTools;

namespace Microsoft.ML.Recourse.Optimization;

/// <summary>
/// A Farkas certificate that a linear program has no solution: row multipliers y such that the rows imply
/// (Aᵀy)ᵀx ≥ L while the variables' bounds give (Aᵀy)ᵀx ≤ U, with L − U = <see cref="Gap"/> &gt; 0.
/// </summary>
/// <param name="RowMultipliers">y, one per row of the program.</param>
/// <param name="Gap">L − U; positive for a valid certificate.</param>
public sealed record InfeasibilityCertificate(IReadOnlyList<double> RowMultipliers, double Gap)
{
    /// <summary>
    /// Recomputes L − U for <paramref name="problem"/> from <see cref="RowMultipliers"/> alone (no solver), so a caller
    /// can check the certificate; −∞ when a multiplier leans on an infinite row bound or Aᵀy on an infinite variable bound.
    /// </summary>
    /// <param name="problem">The program the certificate is claimed for.</param>
    public double Verify(LinearProgram problem) => GapOf(problem, RowMultipliers);

    /// <summary>
    /// Minimises the total violation of the rows (a phase-one program with one pair of slacks per row) and reads a
    /// certificate off its row duals, trying both signs (solvers differ in their dual sign convention). Returns the
    /// minimum violation (0 for a feasible program, NaN when the phase-one solve fails) and the certificate, which is
    /// null when the minimum violation is not positive or no sign gives a positive gap.
    /// </summary>
    internal static (double MinimumViolation, InfeasibilityCertificate? Certificate) Find(LinearProgram problem, SolverSettings settings)
    {
        int n = problem.VariableCount, m = problem.Constraints.Count;
        var objective = new double[n + 2 * m];
        var lower = new double[n + 2 * m];
        var upper = new double[n + 2 * m];
        for (int j = 0; j < n; j++) { lower[j] = problem.ColumnLower[j]; upper[j] = problem.ColumnUpper[j]; }
        var rows = new LinearConstraint[m];
        for (int i = 0; i < m; i++)
        {
            var row = problem.Constraints[i];
            int plus = n + 2 * i, minus = plus + 1;
            objective[plus] = objective[minus] = 1;
            upper[plus] = upper[minus] = double.PositiveInfinity;
            rows[i] = new LinearConstraint([.. row.Indices, plus, minus], [.. row.Coefficients, 1, -1], row.Lower, row.Upper);
        }
        var phaseOne = new LinearProgram(objective, lower, upper, rows);
        var result = OrToolsModel.Solve(GlopSolver.SolverId, phaseOne, settings, out var duals);
        if (result.Status != LinearProgramStatus.Optimal) return (double.NaN, null);
        double violation = result.ObjectiveValue;
        if (violation <= GlopSolver.FeasibilityTolerance || duals.Length != m) return (violation, null);
        var negated = duals.Select(y => -y).ToArray();
        double gap = GapOf(problem, duals), negatedGap = GapOf(problem, negated);
        if (gap <= 0 && negatedGap <= 0) return (violation, null);
        return (violation, gap >= negatedGap ? new InfeasibilityCertificate(duals, gap) : new InfeasibilityCertificate(negated, negatedGap));
    }

    private static double GapOf(LinearProgram problem, IReadOnlyList<double> y)
    {
        Contracts.CheckParam(y.Count == problem.Constraints.Count, nameof(y), $"Expected {problem.Constraints.Count} multipliers; got {y.Count}.");
        const double negligible = 1e-12;
        var combined = new double[problem.VariableCount];
        double rowsLower = 0;
        for (int i = 0; i < y.Count; i++)
        {
            if (Math.Abs(y[i]) <= negligible) continue;
            var row = problem.Constraints[i];
            double side = y[i] > 0 ? row.Lower : row.Upper;
            if (double.IsInfinity(side)) return double.NegativeInfinity;
            rowsLower += y[i] * side;
            for (int k = 0; k < row.Indices.Count; k++) combined[row.Indices[k]] += y[i] * row.Coefficients[k];
        }
        double boxUpper = 0;
        for (int j = 0; j < combined.Length; j++)
        {
            if (Math.Abs(combined[j]) <= negligible) continue;
            double bound = combined[j] > 0 ? problem.ColumnUpper[j] : problem.ColumnLower[j];
            if (double.IsInfinity(bound)) return double.NegativeInfinity;
            boxUpper += combined[j] * bound;
        }
        return rowsLower - boxUpper;
    }
}
