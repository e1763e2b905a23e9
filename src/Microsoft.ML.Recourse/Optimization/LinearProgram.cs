namespace Microsoft.ML.Recourse.Optimization;

/// <summary>Whether the objective is minimised or maximised.</summary>
public enum ObjectiveSense
{
    /// <summary>Minimise the objective.</summary>
    Minimize,

    /// <summary>Maximise the objective.</summary>
    Maximize,
}

/// <summary>Why a solver stopped (MathNet's <c>ExitCondition</c> idea).</summary>
public enum LinearProgramStatus
{
    /// <summary>A proven optimum was found.</summary>
    Optimal,

    /// <summary>The constraints admit no solution.</summary>
    Infeasible,

    /// <summary>The objective is unbounded over the feasible set.</summary>
    Unbounded,

    /// <summary>An iteration, time or node limit stopped the solver before it proved optimality.</summary>
    Limit,

    /// <summary>The solver failed (numerical trouble or an internal error).</summary>
    Error,
}

/// <summary>One linear constraint <c>Lower ≤ Σ Coefficients[k]·x[Indices[k]] ≤ Upper</c> (use infinities for one-sided rows).</summary>
/// <param name="Indices">The variable indices with non-zero coefficients.</param>
/// <param name="Coefficients">The coefficients, one per index.</param>
/// <param name="Lower">The lower bound of the row; <see cref="double.NegativeInfinity"/> for none.</param>
/// <param name="Upper">The upper bound of the row; <see cref="double.PositiveInfinity"/> for none.</param>
public sealed record LinearConstraint(IReadOnlyList<int> Indices, IReadOnlyList<double> Coefficients, double Lower, double Upper);

/// <summary>
/// An immutable linear (or mixed-integer) program: optimise cᵀx subject to the rows
/// <see cref="Constraints"/>, the bounds <see cref="ColumnLower"/> ≤ x ≤ <see cref="ColumnUpper"/>, and integrality of
/// the variables flagged in <see cref="IsInteger"/>.
/// </summary>
public sealed class LinearProgram
{
    /// <summary>Creates a program.</summary>
    /// <param name="objective">The objective coefficients c, one per variable.</param>
    /// <param name="columnLower">Lower bounds of the variables; <see cref="double.NegativeInfinity"/> for none.</param>
    /// <param name="columnUpper">Upper bounds of the variables; <see cref="double.PositiveInfinity"/> for none.</param>
    /// <param name="constraints">The linear rows; may be empty.</param>
    /// <param name="isInteger">Integrality flags, one per variable, or <see langword="null"/> for a pure LP.</param>
    /// <param name="sense">Minimise or maximise.</param>
    public LinearProgram(
        IReadOnlyList<double> objective,
        IReadOnlyList<double> columnLower,
        IReadOnlyList<double> columnUpper,
        IReadOnlyList<LinearConstraint>? constraints = null,
        IReadOnlyList<bool>? isInteger = null,
        ObjectiveSense sense = ObjectiveSense.Minimize)
    {
        Contracts.CheckValue(objective, nameof(objective));
        Contracts.CheckValue(columnLower, nameof(columnLower));
        Contracts.CheckValue(columnUpper, nameof(columnUpper));
        int n = objective.Count;
        Contracts.CheckParam(n > 0, nameof(objective), "A linear program needs at least one variable.");
        Contracts.CheckParam(columnLower.Count == n, nameof(columnLower), $"Expected {n} lower bounds; got {columnLower.Count}.");
        Contracts.CheckParam(columnUpper.Count == n, nameof(columnUpper), $"Expected {n} upper bounds; got {columnUpper.Count}.");
        for (int j = 0; j < n; j++)
        {
            Contracts.CheckParam(double.IsFinite(objective[j]), nameof(objective), $"Objective coefficient {j} is not finite ({objective[j]}).");
            Contracts.CheckParam(!double.IsNaN(columnLower[j]) && !double.IsNaN(columnUpper[j]), nameof(columnLower), $"Bound of variable {j} is NaN.");
        }
        constraints ??= [];
        for (int i = 0; i < constraints.Count; i++)
        {
            var row = Contracts.CheckValue(constraints[i], nameof(constraints));
            Contracts.CheckParam(row.Indices.Count == row.Coefficients.Count, nameof(constraints), $"Row {i} has {row.Indices.Count} indices but {row.Coefficients.Count} coefficients.");
            for (int k = 0; k < row.Indices.Count; k++)
            {
                int j = row.Indices[k];
                Contracts.CheckParam(j >= 0 && j < n, nameof(constraints), $"Row {i} refers to variable {j}, outside 0..{n - 1}.");
                Contracts.CheckParam(double.IsFinite(row.Coefficients[k]), nameof(constraints), $"Row {i} has a non-finite coefficient ({row.Coefficients[k]}) for variable {j}.");
            }
            Contracts.CheckParam(!double.IsNaN(row.Lower) && !double.IsNaN(row.Upper), nameof(constraints), $"Row {i} has a NaN bound.");
        }
        Contracts.CheckParam(isInteger is null || isInteger.Count == n, nameof(isInteger), $"Expected {n} integrality flags.");
        Objective = objective.ToArray();
        ColumnLower = columnLower.ToArray();
        ColumnUpper = columnUpper.ToArray();
        Constraints = constraints.ToArray();
        IsInteger = isInteger?.ToArray() ?? new bool[n];
        Sense = sense;
    }

    /// <summary>Gets the number of variables.</summary>
    public int VariableCount => Objective.Count;

    /// <summary>Gets the objective coefficients c.</summary>
    public IReadOnlyList<double> Objective { get; }

    /// <summary>Gets the lower bounds of the variables.</summary>
    public IReadOnlyList<double> ColumnLower { get; }

    /// <summary>Gets the upper bounds of the variables.</summary>
    public IReadOnlyList<double> ColumnUpper { get; }

    /// <summary>Gets the linear rows.</summary>
    public IReadOnlyList<LinearConstraint> Constraints { get; }

    /// <summary>Gets the integrality flag of each variable.</summary>
    public IReadOnlyList<bool> IsInteger { get; }

    /// <summary>Gets whether the objective is minimised or maximised.</summary>
    public ObjectiveSense Sense { get; }

    /// <summary>Gets whether any variable must be integral (a MIP).</summary>
    public bool HasIntegerVariables => IsInteger.Any(b => b);

    /// <summary>Gets whether the program separates by coordinate: bounds only, no rows, no integrality.</summary>
    public bool IsSeparable => Constraints.Count == 0 && !HasIntegerVariables;

    /// <summary>
    /// Describes the first variable or row whose range holds no real number (lower &gt; upper, or a lower bound of +∞, or
    /// an upper bound of −∞), or returns <see langword="null"/>. Such a program is infeasible; every solver reports it
    /// before any solver call, so the verdict and its explanation do not depend on how a solver treats crossed bounds.
    /// </summary>
    internal string? FindEmptyRange()
    {
        for (int j = 0; j < VariableCount; j++)
        {
            if (IsEmpty(ColumnLower[j], ColumnUpper[j]))
                return $"Variable {j} has an empty range [{ColumnLower[j]}, {ColumnUpper[j]}].";
        }
        for (int i = 0; i < Constraints.Count; i++)
        {
            if (IsEmpty(Constraints[i].Lower, Constraints[i].Upper))
                return $"Row {i} has an empty range [{Constraints[i].Lower}, {Constraints[i].Upper}].";
        }
        return null;

        static bool IsEmpty(double lower, double upper)
            => lower > upper || double.IsPositiveInfinity(lower) || double.IsNegativeInfinity(upper);
    }

    /// <summary>The result reported for a program with an empty range (see <see cref="FindEmptyRange"/>).</summary>
    internal static LinearProgramResult EmptyRangeResult(string description)
        => new(LinearProgramStatus.Infeasible, double.NaN, [], 0, description);
}

/// <summary>The outcome of a solve, as MathNet's result objects: a status, the objective and the solution.</summary>
/// <param name="Status">Why the solver stopped.</param>
/// <param name="ObjectiveValue">The objective at <paramref name="Solution"/> (NaN when there is no solution).</param>
/// <param name="Solution">The variable values (empty when there is no solution).</param>
/// <param name="Iterations">Simplex iterations or branch-and-bound nodes, as reported by the solver (0 for closed form).</param>
/// <param name="Message">A short note from the solver, or <see langword="null"/>.</param>
public sealed record LinearProgramResult(
    LinearProgramStatus Status,
    double ObjectiveValue,
    IReadOnlyList<double> Solution,
    int Iterations,
    string? Message = null)
{
    /// <summary>Gets whether a proven optimum was found.</summary>
    public bool IsOptimal => Status == LinearProgramStatus.Optimal;

    /// <summary>
    /// Gets, for an <see cref="LinearProgramStatus.Infeasible"/> linear program with rows, a Farkas certificate that can
    /// be checked with <see cref="InfeasibilityCertificate.Verify"/>; <see langword="null"/> otherwise (an empty bound
    /// range is its own proof and is named in <see cref="Message"/>; a mixed-integer program's infeasibility is proved by
    /// the solver's search).
    /// </summary>
    public InfeasibilityCertificate? Certificate { get; init; }
}

/// <summary>A solver of <see cref="LinearProgram"/>s.</summary>
public interface ILinearProgramSolver
{
    /// <summary>Solves <paramref name="problem"/>.</summary>
    /// <param name="problem">The program.</param>
    /// <param name="cancellationToken">Stops a long solve.</param>
    LinearProgramResult Solve(LinearProgram problem, CancellationToken cancellationToken = default);
}
