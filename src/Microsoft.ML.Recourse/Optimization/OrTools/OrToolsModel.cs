using System.Globalization;
using Google.OrTools.LinearSolver;
using OrSolver = Google.OrTools.LinearSolver.Solver;

namespace Microsoft.ML.Recourse.Optimization.OrTools;

/// <summary>Loads a <see cref="LinearProgram"/> into an OR-Tools <c>MPSolver</c>, solves it, and maps the answer.</summary>
/// <remarks>
/// MPSolver instances are not thread-safe, so every solve builds its own. Reusing one solver per thread with warm
/// starts was measured and not adopted (docs/solvers.md, "Measured"): which of several optima a warm start returns
/// would depend on what the thread solved before, so answers would depend on how rows are spread over threads.
/// </remarks>
internal static class OrToolsModel
{
    private const double IntegralityTolerance = 1e-6;

    public static LinearProgramResult Solve(string solverId, LinearProgram problem, SolverSettings settings, out double[] rowDuals)
    {
        rowDuals = [];
        using var solver = OrSolver.CreateSolver(solverId)
            ?? throw new InvalidOperationException($"OR-Tools has no '{solverId}' solver in this build.");
        solver.SuppressOutput();
        var variables = new Variable[problem.VariableCount];
        for (int j = 0; j < variables.Length; j++)
            variables[j] = solver.MakeVar(problem.ColumnLower[j], problem.ColumnUpper[j], problem.IsInteger[j], "");
        var rows = new Constraint[problem.Constraints.Count];
        // Repeated indices add up, as they do in the row's definition: the sums are gathered in two arrays indexed by
        // variable (stamped with the row), so no row allocates.
        var sums = new double[variables.Length];
        var stamps = new int[variables.Length];
        for (int i = 0; i < rows.Length; i++)
        {
            var row = problem.Constraints[i];
            rows[i] = solver.MakeConstraint(row.Lower, row.Upper, "");
            int stamp = i + 1;
            var indices = row.Indices;
            var coefficients = row.Coefficients;
            for (int k = 0; k < indices.Count; k++)
            {
                int j = indices[k];
                if (stamps[j] == stamp) sums[j] += coefficients[k];
                else (stamps[j], sums[j]) = (stamp, coefficients[k]);
            }
            for (int k = 0; k < indices.Count; k++)
            {
                int j = indices[k];
                if (stamps[j] != stamp) continue;
                rows[i].SetCoefficient(variables[j], sums[j]);
                stamps[j] = -stamp;
            }
        }
        var objective = solver.Objective();
        for (int j = 0; j < variables.Length; j++)
        {
            if (problem.Objective[j] != 0) objective.SetCoefficient(variables[j], problem.Objective[j]);
        }
        if (problem.Sense == ObjectiveSense.Minimize) objective.SetMinimization(); else objective.SetMaximization();

        if (double.IsFinite(settings.MaximumSeconds))
            solver.SetTimeLimit((long)Math.Ceiling(settings.MaximumSeconds * 1000));
        solver.SetNumThreads(settings.NumberOfWorkers);
        if (settings.SolverSpecificParameters is { Length: > 0 } parameters)
            solver.SetSolverSpecificParametersAsString(parameters);

        var status = solver.Solve();
        int work = (int)Math.Min(int.MaxValue, problem.HasIntegerVariables ? solver.Nodes() : solver.Iterations());
        string note = string.Create(CultureInfo.InvariantCulture, $"{solverId} status {status}.");
        switch (status)
        {
            case OrSolver.ResultStatus.OPTIMAL:
            case OrSolver.ResultStatus.FEASIBLE:
                var solution = new double[variables.Length];
                for (int j = 0; j < solution.Length; j++) solution[j] = variables[j].SolutionValue();
                // Integer variables come back within the engine's integrality tolerance (1e-6 for SCIP); snapping them
                // makes the reported point and objective exact.
                for (int j = 0; j < solution.Length; j++)
                {
                    if (problem.IsInteger[j] && Math.Abs(solution[j] - Math.Round(solution[j])) <= IntegralityTolerance)
                        solution[j] = Math.Round(solution[j]);
                }
                if (!problem.HasIntegerVariables && status == OrSolver.ResultStatus.OPTIMAL)
                {
                    rowDuals = new double[rows.Length];
                    for (int i = 0; i < rows.Length; i++) rowDuals[i] = rows[i].DualValue();
                }
                var mapped = status == OrSolver.ResultStatus.OPTIMAL ? LinearProgramStatus.Optimal : LinearProgramStatus.Limit;
                return new LinearProgramResult(mapped, ObjectiveAt(problem, solution), solution, work,
                    mapped == LinearProgramStatus.Optimal ? null : note + " The time limit stopped the search; the incumbent is returned.");
            case OrSolver.ResultStatus.INFEASIBLE:
                return new LinearProgramResult(LinearProgramStatus.Infeasible, double.NaN, [], work, note);
            case OrSolver.ResultStatus.UNBOUNDED:
                return new LinearProgramResult(LinearProgramStatus.Unbounded, double.NaN, [], work, note);
            case OrSolver.ResultStatus.NOT_SOLVED:
                return new LinearProgramResult(LinearProgramStatus.Limit, double.NaN, [], work, note + " No feasible solution was found within the limit.");
            default:
                return new LinearProgramResult(LinearProgramStatus.Error, double.NaN, [], work, note);
        }
    }

    /// <summary>cᵀx computed from the program itself, so the reported objective does not depend on solver rounding.</summary>
    public static double ObjectiveAt(LinearProgram problem, IReadOnlyList<double> solution)
    {
        double value = 0;
        for (int j = 0; j < solution.Count; j++) value += problem.Objective[j] * solution[j];
        return value;
    }

}

/// <summary>Limits and determinism settings shared by the OR-Tools solvers.</summary>
internal readonly record struct SolverSettings(double MaximumSeconds, int NumberOfWorkers, string? SolverSpecificParameters);
