namespace Microsoft.ML.Recourse.Solvers.Coin;

/// <summary>
/// Solves linear programs with COIN-OR Clp (EPL-2.0) through its C API: dual simplex first, then primal simplex from
/// the dual's basis to settle an unbounded verdict, a numerical failure, or variables without finite bounds.
/// </summary>
/// <remarks>
/// Needs the native Clp library (Debian/Ubuntu <c>coinor-libclp1</c>, macOS <c>brew install clp</c>, conda
/// <c>coin-or-clp</c>, vcpkg <c>coin-or-clp</c>); see <see cref="IsAvailable"/>. Every call builds its own native model,
/// so one instance may be used from many threads at once. Programs with integer variables are refused: use
/// <see cref="CbcSolver"/>.
/// </remarks>
public sealed class ClpSolver : ILinearProgramSolver
{
    /// <summary>Creates a Clp solver.</summary>
    /// <param name="maximumIterations">The simplex iteration limit. Range: value &gt; 0.</param>
    /// <param name="maximumSeconds">The time limit in seconds, or <see cref="double.PositiveInfinity"/> for none. Range: value &gt; 0.</param>
    public ClpSolver(int maximumIterations = Defaults.MaximumIterations, double maximumSeconds = Defaults.MaximumSeconds)
    {
        Contracts.CheckPositive(maximumIterations, nameof(maximumIterations));
        Contracts.CheckParam(maximumSeconds > 0, nameof(maximumSeconds), $"Must be > 0 (or +∞ for no limit); got {maximumSeconds}.");
        MaximumIterations = maximumIterations;
        MaximumSeconds = maximumSeconds;
    }

    /// <summary>Gets whether the native Clp library can be loaded on this machine (probed once).</summary>
    public static bool IsAvailable => CoinLibraryResolver.IsAvailable(CoinLibrary.Clp);

    /// <summary>Gets the simplex iteration limit.</summary>
    public int MaximumIterations { get; }

    /// <summary>Gets the time limit in seconds (<see cref="double.PositiveInfinity"/> for none).</summary>
    public double MaximumSeconds { get; }

    /// <inheritdoc/>
    /// <exception cref="ArgumentOutOfRangeException">The program has integer variables.</exception>
    /// <exception cref="DllNotFoundException">Clp is not installed; the message says how to install it.</exception>
    public LinearProgramResult Solve(LinearProgram problem, CancellationToken cancellationToken = default)
        => Solve(problem, out _, cancellationToken);

    /// <summary>Solves <paramref name="problem"/> and also returns Clp's row prices (the dual values y), empty unless optimal.</summary>
    internal LinearProgramResult Solve(LinearProgram problem, out double[] rowPrices, CancellationToken cancellationToken = default)
        => Solve(problem, out rowPrices, examineInfeasibleVerdict: true, cancellationToken);

    private unsafe LinearProgramResult Solve(LinearProgram problem, out double[] rowPrices, bool examineInfeasibleVerdict, CancellationToken cancellationToken)
    {
        Contracts.CheckValue(problem, nameof(problem));
        Contracts.CheckParam(!problem.HasIntegerVariables, nameof(problem),
            $"{nameof(ClpSolver)} solves linear programs only; this one has integer variables. Use {nameof(CbcSolver)} (or {nameof(LinearProgramSolver)}.{nameof(LinearProgramSolver.Solve)}).");
        cancellationToken.ThrowIfCancellationRequested();
        rowPrices = [];
        if (problem.FindEmptyRange() is string emptyRange)
            return LinearProgram.EmptyRangeResult(emptyRange);
        var data = CoinProblemData.From(problem);

        using var model = Load(problem, data);
        ClpNative.Clp_dual(model, 0);
        int status = ClpNative.Clp_status(model);
        int iterations = ClpNative.Clp_numberIterations(model);
        // The dual simplex gives variables without a finite bound temporary ±1e10 bounds: a nonbasic one with zero
        // reduced cost can be left there, and "dual infeasible" does not separate unbounded from infeasible. A primal
        // pass from the dual's basis settles both (it costs no iterations when the basis is already optimal).
        if (status is ClpStatus.DualInfeasible or ClpStatus.Error
            || data.HasInfiniteColumnBound && status is ClpStatus.Optimal or ClpStatus.PrimalInfeasible)
        {
            ClpNative.Clp_primal(model, 0);
            status = ClpNative.Clp_status(model);
            iterations += ClpNative.Clp_numberIterations(model);
        }
        var mapped = status switch
        {
            ClpStatus.Optimal => LinearProgramStatus.Optimal,
            ClpStatus.PrimalInfeasible => LinearProgramStatus.Infeasible,
            ClpStatus.DualInfeasible => LinearProgramStatus.Unbounded,
            ClpStatus.Limit => LinearProgramStatus.Limit,
            _ => LinearProgramStatus.Error,
        };
        // Clp was seen to call a feasible, unbounded program with free variables "primal infeasible" after 0
        // iterations, from either simplex; such a verdict is checked before it is believed.
        if (mapped == LinearProgramStatus.Infeasible && data.HasInfiniteColumnBound && examineInfeasibleVerdict)
            return CheckInfeasibleVerdict(problem, out rowPrices, cancellationToken)
                ?? new LinearProgramResult(mapped, double.NaN, [], iterations, $"Clp status {status}, confirmed by a feasibility solve.");
        if (mapped != LinearProgramStatus.Optimal)
            return new LinearProgramResult(mapped, double.NaN, [], iterations,
                $"Clp status {status}, secondary status {ClpNative.Clp_secondaryStatus(model)}.");

        // The arrays belong to the model: copy them before it is deleted.
        var solution = new ReadOnlySpan<double>(ClpNative.Clp_getColSolution(model), data.ColumnCount).ToArray();
        if (data.RowCount > 0)
            rowPrices = new ReadOnlySpan<double>(ClpNative.Clp_getRowPrice(model), data.RowCount).ToArray();
        return new LinearProgramResult(LinearProgramStatus.Optimal, CoinProblemData.ObjectiveAt(problem, solution), solution, iterations);
    }

    /// <summary>
    /// Re-examines an "infeasible" verdict on a program with unbounded variables: a zero-objective solve decides
    /// feasibility; when a feasible point exists, the program is solved with the infinite bounds replaced by
    /// ±<see cref="Defaults.ArtificialBound"/>, and an optimum on such a bound means the original is unbounded.
    /// Returns <see langword="null"/> when the program is indeed infeasible.
    /// </summary>
    private LinearProgramResult? CheckInfeasibleVerdict(LinearProgram problem, out double[] rowPrices, CancellationToken cancellationToken)
    {
        rowPrices = [];
        var feasibility = new LinearProgram(new double[problem.VariableCount], problem.ColumnLower, problem.ColumnUpper, problem.Constraints);
        // A zero objective cannot be unbounded, so this verdict is final (re-examining it would recurse forever).
        if (Solve(feasibility, out _, examineInfeasibleVerdict: false, cancellationToken).Status != LinearProgramStatus.Optimal)
            return null;
        const double bound = Defaults.ArtificialBound;
        var boxed = new LinearProgram(problem.Objective,
            problem.ColumnLower.Select(b => Math.Max(b, -bound)).ToArray(),
            problem.ColumnUpper.Select(b => Math.Min(b, bound)).ToArray(),
            problem.Constraints, sense: problem.Sense);
        var result = Solve(boxed, out rowPrices, cancellationToken);
        if (result.Status != LinearProgramStatus.Optimal) return result;
        for (int j = 0; j < problem.VariableCount; j++)
        {
            bool onArtificialBound = double.IsInfinity(problem.ColumnLower[j]) && result.Solution[j] <= -bound * (1 - 1e-9)
                                     || double.IsInfinity(problem.ColumnUpper[j]) && result.Solution[j] >= bound * (1 - 1e-9);
            if (onArtificialBound)
            {
                rowPrices = [];
                return new LinearProgramResult(LinearProgramStatus.Unbounded, double.NaN, [], result.Iterations,
                    $"Unbounded: variable {j} runs to the artificial bound ±{bound:0e0} while the rest stays feasible.");
            }
        }
        return result;
    }

    private unsafe ClpModelHandle Load(LinearProgram problem, CoinProblemData data)
    {
        var model = ClpModelHandle.Create();
        ClpNative.Clp_setLogLevel(model, 0);
        fixed (int* start = data.ColumnStart, index = data.RowIndex)
        fixed (double* value = data.Value, colLower = data.ColumnLower, colUpper = data.ColumnUpper, objective = data.Objective,
            rowLower = data.RowLower, rowUpper = data.RowUpper)
        {
            ClpNative.Clp_loadProblem(model, data.ColumnCount, data.RowCount, start, index, value, colLower, colUpper, objective, rowLower, rowUpper);
        }
        ClpNative.Clp_setObjSense(model, problem.Sense == ObjectiveSense.Minimize ? 1 : -1);
        ClpNative.Clp_setMaximumIterations(model, MaximumIterations);
        if (double.IsFinite(MaximumSeconds))
            ClpNative.Clp_setMaximumSeconds(model, MaximumSeconds);
        return model;
    }

    /// <summary>The default settings.</summary>
    internal static class Defaults
    {
        /// <summary>The stand-in for an infinite bound when an "infeasible" verdict is re-examined.</summary>
        public const double ArtificialBound = 1e9;

        public const int MaximumIterations = int.MaxValue;
        public const double MaximumSeconds = double.PositiveInfinity;
    }

    /// <summary>Values of <c>Clp_status</c>.</summary>
    private static class ClpStatus
    {
        public const int Optimal = 0;
        public const int PrimalInfeasible = 1;
        public const int DualInfeasible = 2;
        public const int Limit = 3;
        public const int Error = 4;
    }
}
