using System.Globalization;

namespace Microsoft.ML.Recourse.Solvers.Coin;

/// <summary>
/// Solves mixed-integer programs with COIN-OR Cbc (EPL-2.0) through its C API, with Cbc's default presolve, cuts and
/// heuristics (stripping them was seen to return a wrong "proven optimal" answer).
/// </summary>
/// <remarks>
/// Needs the native Cbc library (Debian/Ubuntu <c>coinor-libcbc3</c>, macOS <c>brew install cbc</c>, conda
/// <c>coin-or-cbc</c>, vcpkg <c>coin-or-cbc</c>); see <see cref="IsAvailable"/>. Cbc's C API keeps shared state in its
/// command-line front end, so this class runs all native Cbc work, across all instances, under one process-wide lock:
/// calls from many threads are safe but run one at a time. Each call builds a new native model. A small MIP costs tens
/// of milliseconds. <see cref="LinearProgramResult.Iterations"/> holds the number of branch-and-bound nodes.
/// </remarks>
public sealed class CbcSolver : ILinearProgramSolver
{
    private static readonly SemaphoreSlim s_cbcLock = new(1, 1);

    /// <summary>Creates a Cbc solver.</summary>
    /// <param name="maximumSeconds">The time limit in seconds, or <see cref="double.PositiveInfinity"/> for none. Range: value &gt; 0.</param>
    /// <param name="allowableGap">
    /// The absolute gap between the incumbent and the best bound at which Cbc stops and reports optimality.
    /// The default 0 makes answers exact. Range: value ≥ 0.
    /// </param>
    public CbcSolver(double maximumSeconds = Defaults.MaximumSeconds, double allowableGap = Defaults.AllowableGap)
    {
        Contracts.CheckParam(maximumSeconds > 0, nameof(maximumSeconds), $"Must be > 0 (or +∞ for no limit); got {maximumSeconds}.");
        Contracts.CheckNonNegative(allowableGap, nameof(allowableGap));
        MaximumSeconds = maximumSeconds;
        AllowableGap = allowableGap;
    }

    /// <summary>Gets whether the native Cbc library can be loaded on this machine (probed once).</summary>
    public static bool IsAvailable => CoinLibraryResolver.IsAvailable(CoinLibrary.Cbc);

    /// <summary>Gets the time limit in seconds (<see cref="double.PositiveInfinity"/> for none).</summary>
    public double MaximumSeconds { get; }

    /// <summary>Gets the absolute optimality gap at which the search stops.</summary>
    public double AllowableGap { get; }

    /// <inheritdoc/>
    /// <remarks>Cancellation is observed while waiting for the process-wide Cbc lock; a running native solve is bounded only by <see cref="MaximumSeconds"/>.</remarks>
    /// <exception cref="DllNotFoundException">Cbc is not installed; the message says how to install it.</exception>
    public unsafe LinearProgramResult Solve(LinearProgram problem, CancellationToken cancellationToken = default)
    {
        Contracts.CheckValue(problem, nameof(problem));
        cancellationToken.ThrowIfCancellationRequested();
        if (problem.FindEmptyRange() is string emptyRange)
            return LinearProgram.EmptyRangeResult(emptyRange);
        var data = CoinProblemData.From(problem);

        s_cbcLock.Wait(cancellationToken);
        try
        {
            using var model = CbcModelHandle.Create();
            CbcNative.Cbc_setLogLevel(model, 0);
            CbcNative.Cbc_setParameter(model, "log", "0");
            CbcNative.Cbc_setParameter(model, "slog", "0");
            fixed (int* start = data.ColumnStart, index = data.RowIndex)
            fixed (double* value = data.Value, colLower = data.ColumnLower, colUpper = data.ColumnUpper, objective = data.Objective,
                rowLower = data.RowLower, rowUpper = data.RowUpper)
            {
                CbcNative.Cbc_loadProblem(model, data.ColumnCount, data.RowCount, start, index, value, colLower, colUpper, objective, rowLower, rowUpper);
            }
            for (int j = 0; j < problem.VariableCount; j++)
            {
                if (problem.IsInteger[j])
                    CbcNative.Cbc_setInteger(model, j);
            }
            CbcNative.Cbc_setObjSense(model, problem.Sense == ObjectiveSense.Minimize ? 1 : -1);
            if (double.IsFinite(MaximumSeconds))
                CbcNative.Cbc_setParameter(model, "seconds", MaximumSeconds.ToString("R", CultureInfo.InvariantCulture));
            CbcNative.Cbc_setParameter(model, "allowableGap", AllowableGap.ToString("R", CultureInfo.InvariantCulture));
            CbcNative.Cbc_setParameter(model, "ratioGap", "0");
            // Cbc 2.10's default Cgl preprocessing ("sos") returned suboptimal "proven optimal" answers on small
            // recourse grid programs (coin-or/Cbc#283, #724 describe the same); presolve, cuts and heuristics stay on.
            CbcNative.Cbc_setParameter(model, "preprocess", "off");

            CbcNative.Cbc_solve(model);
            return ReadResult(model, problem, data.ColumnCount);
        }
        finally
        {
            s_cbcLock.Release();
        }
    }

    private static unsafe LinearProgramResult ReadResult(CbcModelHandle model, LinearProgram problem, int columnCount)
    {
        int nodes = CbcNative.Cbc_getNodeCount(model);
        int status = CbcNative.Cbc_status(model);
        int secondary = CbcNative.Cbc_secondaryStatus(model);
        string note = $"Cbc status {status}, secondary status {secondary}.";
        if (CbcNative.Cbc_isProvenOptimal(model) != 0)
        {
            var solution = new ReadOnlySpan<double>(CbcNative.Cbc_getColSolution(model), columnCount).ToArray();
            return new LinearProgramResult(LinearProgramStatus.Optimal, CoinProblemData.ObjectiveAt(problem, solution), solution, nodes);
        }
        if (CbcNative.Cbc_isProvenInfeasible(model) != 0)
            return new LinearProgramResult(LinearProgramStatus.Infeasible, double.NaN, [], nodes, note);
        if (CbcNative.Cbc_isContinuousUnbounded(model) != 0 || secondary == CbcSecondaryStatus.RelaxationUnbounded)
            return new LinearProgramResult(LinearProgramStatus.Unbounded, double.NaN, [], nodes, note);
        if (status == CbcStatus.StoppedOnLimit)
        {
            // A limit may leave an incumbent: return it, since it is feasible, with the Limit status.
            double* best = CbcNative.Cbc_bestSolution(model);
            if (best == null)
                return new LinearProgramResult(LinearProgramStatus.Limit, double.NaN, [], nodes, note + " No feasible solution was found.");
            var incumbent = new ReadOnlySpan<double>(best, columnCount).ToArray();
            return new LinearProgramResult(LinearProgramStatus.Limit, CoinProblemData.ObjectiveAt(problem, incumbent), incumbent, nodes, note);
        }
        return new LinearProgramResult(LinearProgramStatus.Error, double.NaN, [], nodes, note);
    }

    /// <summary>The default settings.</summary>
    internal static class Defaults
    {
        public const double MaximumSeconds = double.PositiveInfinity;
        public const double AllowableGap = 0;
    }

    /// <summary>Values of <c>Cbc_status</c>.</summary>
    private static class CbcStatus
    {
        public const int StoppedOnLimit = 1;
    }

    /// <summary>Values of <c>Cbc_secondaryStatus</c>.</summary>
    private static class CbcSecondaryStatus
    {
        public const int RelaxationUnbounded = 7;
    }
}
