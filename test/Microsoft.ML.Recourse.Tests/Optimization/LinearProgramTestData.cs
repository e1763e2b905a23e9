using Microsoft.ML.Recourse.Optimization;

namespace Microsoft.ML.Recourse.Tests.Optimization;

/// <summary>Random programs and independent checks of solver answers (feasibility, LP duality, brute force).</summary>
internal static class LinearProgramTestData
{
    public const double Inf = double.PositiveInfinity;

    /// <summary>
    /// A random minimisation LP that is feasible (rows are built around a point x0 inside the bounds) and bounded
    /// (c = Aᵀy + d with y and d signed to match the finite bounds, so weak duality bounds the objective below).
    /// </summary>
    public static LinearProgram FeasibleBoundedLp(Random random, int variables, int rows, double density = 0.6)
    {
        var lower = new double[variables];
        var upper = new double[variables];
        var x0 = new double[variables];
        for (int j = 0; j < variables; j++)
        {
            x0[j] = Math.Round(random.NextDouble() * 10 - 5, 2);
            switch (random.Next(4))
            {
                case 0: (lower[j], upper[j]) = (-Inf, Inf); break;
                case 1: (lower[j], upper[j]) = (x0[j] - random.Next(0, 4), Inf); break;
                case 2: (lower[j], upper[j]) = (-Inf, x0[j] + random.Next(0, 4)); break;
                default: (lower[j], upper[j]) = (x0[j] - random.Next(0, 4), x0[j] + random.Next(0, 4)); break;
            }
        }

        var constraints = new LinearConstraint[rows];
        var y = new double[rows];
        var c = new double[variables];
        for (int i = 0; i < rows; i++)
        {
            var indices = new List<int>();
            var coefficients = new List<double>();
            for (int j = 0; j < variables; j++)
            {
                if (random.NextDouble() < density)
                {
                    indices.Add(j);
                    coefficients.Add(Math.Round(random.NextDouble() * 8 - 4, 2));
                }
            }
            double activity = indices.Select((j, k) => coefficients[k] * x0[j]).Sum();
            double rowLower, rowUpper;
            switch (random.Next(4))
            {
                case 0: (rowLower, rowUpper, y[i]) = (activity - random.Next(0, 3), Inf, random.NextDouble()); break;
                case 1: (rowLower, rowUpper, y[i]) = (-Inf, activity + random.Next(0, 3), -random.NextDouble()); break;
                case 2: (rowLower, rowUpper, y[i]) = (activity, activity, random.NextDouble() * 2 - 1); break;
                default: (rowLower, rowUpper, y[i]) = (activity - random.Next(0, 3), activity + random.Next(0, 3), random.NextDouble() * 2 - 1); break;
            }
            constraints[i] = new LinearConstraint(indices, coefficients, rowLower, rowUpper);
            for (int k = 0; k < indices.Count; k++)
                c[indices[k]] += coefficients[k] * y[i];
        }
        for (int j = 0; j < variables; j++)
        {
            double d = random.NextDouble() * 2 - 1;
            if (d > 0 && double.IsInfinity(lower[j]) || d < 0 && double.IsInfinity(upper[j]))
                d = 0;
            c[j] += d;
        }
        return new LinearProgram(c, lower, upper, constraints);
    }

    public static string Describe(LinearProgram problem)
        => $"{problem.Sense} c=[{string.Join(", ", problem.Objective)}] over " +
           string.Join(" × ", problem.ColumnLower.Select((l, j) => $"[{l}, {problem.ColumnUpper[j]}]")) +
           $" with {problem.Constraints.Count} rows";

    /// <summary>The largest violation of a bound, row bound or integrality by <paramref name="x"/>.</summary>
    public static double MaxViolation(LinearProgram problem, IReadOnlyList<double> x)
    {
        double worst = 0;
        for (int j = 0; j < problem.VariableCount; j++)
        {
            worst = Math.Max(worst, Math.Max(problem.ColumnLower[j] - x[j], x[j] - problem.ColumnUpper[j]));
            if (problem.IsInteger[j])
                worst = Math.Max(worst, Math.Abs(x[j] - Math.Round(x[j])));
        }
        foreach (var row in problem.Constraints)
        {
            double activity = RowActivity(row, x);
            worst = Math.Max(worst, Math.Max(row.Lower - activity, activity - row.Upper));
        }
        return worst;
    }

    public static double RowActivity(LinearConstraint row, IReadOnlyList<double> x)
        => row.Indices.Select((j, k) => row.Coefficients[k] * x[j]).Sum();

    /// <summary>
    /// The lower bound that the dual values <paramref name="rowPrices"/> prove for a minimisation LP, or −∞ when they
    /// are not dual feasible. Reduced costs d = c − Aᵀy are recomputed here; weak duality then gives, for every
    /// feasible x, cᵀx = yᵀAx + dᵀx ≥ Σ yᵢ·(bound of row i) + Σ dⱼ·(bound of variable j), taking the bound each sign needs.
    /// </summary>
    public static double DualBound(LinearProgram problem, IReadOnlyList<double> rowPrices, double tolerance = 1e-9)
    {
        var reducedCost = problem.Objective.ToArray();
        for (int i = 0; i < problem.Constraints.Count; i++)
        {
            var row = problem.Constraints[i];
            for (int k = 0; k < row.Indices.Count; k++)
                reducedCost[row.Indices[k]] -= row.Coefficients[k] * rowPrices[i];
        }
        double bound = 0;
        for (int i = 0; i < problem.Constraints.Count; i++)
            bound += Term(rowPrices[i], problem.Constraints[i].Lower, problem.Constraints[i].Upper);
        for (int j = 0; j < problem.VariableCount; j++)
            bound += Term(reducedCost[j], problem.ColumnLower[j], problem.ColumnUpper[j]);
        return bound;

        double Term(double multiplier, double lower, double upper)
        {
            if (Math.Abs(multiplier) <= tolerance)
                return 0;
            double side = multiplier > 0 ? lower : upper;
            return double.IsInfinity(side) ? double.NegativeInfinity : multiplier * side;
        }
    }

    /// <summary>The optimum of a pure integer program with finite bounds by enumerating every integer point.</summary>
    public static (bool Feasible, double Objective) BruteForce(LinearProgram problem)
    {
        int n = problem.VariableCount;
        var lo = problem.ColumnLower.Select(b => (int)Math.Ceiling(b)).ToArray();
        var hi = problem.ColumnUpper.Select(b => (int)Math.Floor(b)).ToArray();
        var x = new double[n];
        double best = problem.Sense == ObjectiveSense.Minimize ? Inf : -Inf;
        bool found = false;
        Enumerate(0);
        return (found, best);

        void Enumerate(int j)
        {
            if (j == n)
            {
                if (MaxViolation(problem, x) > 1e-9)
                    return;
                double value = problem.Objective.Select((c, k) => c * x[k]).Sum();
                found = true;
                best = problem.Sense == ObjectiveSense.Minimize ? Math.Min(best, value) : Math.Max(best, value);
                return;
            }
            for (int v = lo[j]; v <= hi[j]; v++)
            {
                x[j] = v;
                Enumerate(j + 1);
            }
        }
    }

    /// <summary>A random pure integer program over small boxes, with a few random rows (may be infeasible).</summary>
    public static LinearProgram RandomSmallIntegerProgram(Random random)
    {
        int n = random.Next(2, 6);
        int m = random.Next(1, 4);
        var lower = Enumerable.Range(0, n).Select(_ => (double)random.Next(-2, 1)).ToArray();
        var upper = lower.Select(l => l + random.Next(0, 4)).ToArray();
        var objective = Enumerable.Range(0, n).Select(_ => (double)random.Next(-9, 10)).ToArray();
        var rows = new LinearConstraint[m];
        for (int i = 0; i < m; i++)
        {
            var coefficients = Enumerable.Range(0, n).Select(_ => Math.Round(random.NextDouble() * 6 - 3, 1)).ToArray();
            double rhs = Math.Round(random.NextDouble() * 6 - 2, 1);
            rows[i] = random.Next(3) switch
            {
                0 => new LinearConstraint(Enumerable.Range(0, n).ToArray(), coefficients, -Inf, rhs),
                1 => new LinearConstraint(Enumerable.Range(0, n).ToArray(), coefficients, rhs, Inf),
                _ => new LinearConstraint(Enumerable.Range(0, n).ToArray(), coefficients, rhs - 1, rhs + 1),
            };
        }
        return new LinearProgram(objective, lower, upper, rows, Enumerable.Repeat(true, n).ToArray(),
            random.Next(2) == 0 ? ObjectiveSense.Minimize : ObjectiveSense.Maximize);
    }

    /// <summary>A 0/1 knapsack: maximise value subject to total weight ≤ capacity.</summary>
    public static LinearProgram Knapsack(double[] values, double[] weights, double capacity)
        => new(values, new double[values.Length], Enumerable.Repeat(1.0, values.Length).ToArray(),
            [new LinearConstraint(Enumerable.Range(0, values.Length).ToArray(), weights, -Inf, capacity)],
            Enumerable.Repeat(true, values.Length).ToArray(), ObjectiveSense.Maximize);

    public static LinearProgram RandomKnapsack(Random random, int items)
    {
        var values = Enumerable.Range(0, items).Select(_ => (double)random.Next(1, 50)).ToArray();
        var weights = Enumerable.Range(0, items).Select(_ => (double)random.Next(1, 30)).ToArray();
        return Knapsack(values, weights, Math.Floor(weights.Sum() / 2));
    }
}
