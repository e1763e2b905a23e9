namespace Microsoft.ML.Recourse.Solvers.Coin;

/// <summary>
/// A <see cref="LinearProgram"/> in the column-compressed arrays that <c>Clp_loadProblem</c> and <c>Cbc_loadProblem</c>
/// take, with infinities replaced by ±<see cref="double.MaxValue"/> (COIN-OR's <c>COIN_DBL_MAX</c>).
/// </summary>
internal sealed class CoinProblemData
{
    private CoinProblemData(int rowCount, int[] columnStart, int[] rowIndex, double[] value, double[] columnLower, double[] columnUpper,
        double[] objective, double[] rowLower, double[] rowUpper)
    {
        RowCount = rowCount;
        ColumnStart = columnStart;
        RowIndex = rowIndex;
        Value = value;
        ColumnLower = columnLower;
        ColumnUpper = columnUpper;
        Objective = objective;
        RowLower = rowLower;
        RowUpper = rowUpper;
    }

    public int ColumnCount => Objective.Length;

    public int RowCount { get; }

    /// <summary>Gets where each column starts in <see cref="RowIndex"/>; length columns + 1.</summary>
    public int[] ColumnStart { get; }

    public int[] RowIndex { get; }

    public double[] Value { get; }

    public double[] ColumnLower { get; }

    /// <summary>Gets whether some variable lacks a finite lower or upper bound.</summary>
    public bool HasInfiniteColumnBound => ColumnLower.Any(b => b == -double.MaxValue) || ColumnUpper.Any(b => b == double.MaxValue);

    public double[] ColumnUpper { get; }

    public double[] Objective { get; }

    /// <summary>Gets the row lower bounds (one padding slot when there are no rows).</summary>
    public double[] RowLower { get; }

    public double[] RowUpper { get; }

    public static CoinProblemData From(LinearProgram problem)
    {
        int n = problem.VariableCount;
        int m = problem.Constraints.Count;
        var columns = new List<(int Row, double Value)>[n];
        for (int j = 0; j < n; j++)
            columns[j] = [];
        var rowLower = new double[m];
        var rowUpper = new double[m];
        for (int i = 0; i < m; i++)
        {
            var row = problem.Constraints[i];
            for (int k = 0; k < row.Indices.Count; k++)
            {
                var column = columns[row.Indices[k]];
                // A row may name a variable twice; COIN-OR matrices must not hold duplicates, so add them up.
                if (column.Count > 0 && column[^1].Row == i)
                    column[^1] = (i, column[^1].Value + row.Coefficients[k]);
                else
                    column.Add((i, row.Coefficients[k]));
            }
            rowLower[i] = ToCoin(row.Lower);
            rowUpper[i] = ToCoin(row.Upper);
        }

        var start = new int[n + 1];
        for (int j = 0; j < n; j++)
            start[j + 1] = start[j] + columns[j].Count;
        // Keep at least one slot so the pinned pointers are never null, even for a program without rows.
        var index = new int[Math.Max(1, start[n])];
        var value = new double[Math.Max(1, start[n])];
        for (int j = 0, k = 0; j < n; j++)
        {
            foreach (var (row, v) in columns[j])
            {
                index[k] = row;
                value[k++] = v;
            }
        }

        var lower = new double[n];
        var upper = new double[n];
        for (int j = 0; j < n; j++)
        {
            lower[j] = ToCoin(problem.ColumnLower[j]);
            upper[j] = ToCoin(problem.ColumnUpper[j]);
        }
        // Likewise for the row-bound arrays of a program without rows.
        if (m == 0)
            (rowLower, rowUpper) = ([0.0], [0.0]);
        return new CoinProblemData(m, start, index, value, lower, upper, problem.Objective.ToArray(), rowLower, rowUpper);
    }

    /// <summary>Evaluates the objective cᵀx in managed code, so every backend reports it the same way.</summary>
    public static double ObjectiveAt(LinearProgram problem, IReadOnlyList<double> solution)
    {
        double sum = 0;
        for (int j = 0; j < solution.Count; j++)
            sum += problem.Objective[j] * solution[j];
        return sum;
    }

    private static double ToCoin(double bound)
        => double.IsPositiveInfinity(bound) ? double.MaxValue : double.IsNegativeInfinity(bound) ? -double.MaxValue : bound;
}
