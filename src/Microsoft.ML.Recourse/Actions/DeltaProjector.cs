using Microsoft.ML.Recourse.Optimization;

namespace Microsoft.ML.Recourse.Actions;

/// <summary>
/// Keeps the iterates of a gradient search for one row inside Δ(x). <see cref="Project"/> maps any δ to the closest
/// point of the continuous hull of Δ(x) (boxes, one-hot sums, general rows); <see cref="Round"/> maps a hull point to
/// a point of Δ(x) itself (grid values, one-hot vectors), the point the model is evaluated at.
/// </summary>
/// <remarks>
/// <para>
/// <b>Projection.</b> Over boxes alone the closest point (in L1 and in L2) is the clipped δ, and whenever the clipped
/// δ already satisfies the one-hot sums and general rows it is the closest point of the hull as well. Otherwise:
/// without general rows each one-hot group is projected in Euclidean distance onto {box, Σ δ = 1 − Σ x}, exactly, by
/// locating the multiplier τ of δₖ = clamp(vₖ − τ, lowerₖ, upperₖ) between the sorted breakpoints; with general
/// rows the L1-closest point is the linear program min Σ tⱼ s.t. −tⱼ ≤ zⱼ − vⱼ ≤ tⱼ, z ∈ hull, solved with
/// <see cref="LinearProgramSolver"/> (there is no QP solver in the project, and L1 keeps the problem linear).
/// </para>
/// <para>
/// <b>Rounding.</b> A grid feature takes the nearer of "no change" and the grid value nearest to x + δ inside its box;
/// a one-hot group takes its largest indicator (the active category on ties). The rounded point lies in Δ(x) except
/// when a general row involves a grid or one-hot feature and rounding broke it; <see cref="Round"/> then returns
/// <see langword="false"/> and the point must not be reported as a solution.
/// </para>
/// </remarks>
internal sealed class DeltaProjector
{
    private readonly PerturbationPolytope _polytope;
    private readonly double[] _x;
    private readonly double[] _lower;
    private readonly double[] _upper;
    private readonly int[] _movable;
    private readonly int[] _gridFeatures;
    private readonly int[][] _groups;
    private readonly double[] _groupSums;
    private readonly bool _hasRows;
    private readonly bool _checkRounded;
    private readonly double[] _scratch;

    public DeltaProjector(PerturbationPolytope polytope)
    {
        _polytope = polytope;
        var set = polytope.ActionSet;
        int d = polytope.Dimension;
        _x = polytope.Row.ToArray();
        _lower = polytope.Lower.ToArray();
        _upper = polytope.Upper.ToArray();
        _movable = Enumerable.Range(0, d).Where(j => _lower[j] < _upper[j]).ToArray();
        _groups = set.OneHotGroups.Select(g => g.FeatureIndices.ToArray()).ToArray();
        _groupSums = _groups.Select(g => 1 - g.Sum(j => _x[j])).ToArray();
        _gridFeatures = _movable.Where(j => set.Actions[j].HasGrid).ToArray();
        _hasRows = polytope.GeneralRows.Count > 0;
        _checkRounded = polytope.GeneralRows.Any(r => r.Indices.Any(j => set.GroupOf[j] >= 0 || set.Actions[j].HasGrid));
        IsFrozen = _movable.Length == 0;
        _scratch = new double[d];
    }

    /// <summary>Gets whether Δ(x) allows no change at all (every box is [0, 0]).</summary>
    public bool IsFrozen { get; }

    /// <summary>Gets the indices of the coordinates whose box is not [0, 0].</summary>
    public ReadOnlySpan<int> Movable => _movable;

    /// <summary>Projects <paramref name="delta"/> in place onto the hull of Δ(x); coordinates outside <see cref="Movable"/> must be 0.</summary>
    /// <returns><see langword="false"/> when the hull is empty or the projection program failed; <paramref name="delta"/> is then unchanged.</returns>
    public bool Project(Span<double> delta)
    {
        if (_groups.Length == 0 && !_hasRows)
        {
            foreach (int j in _movable)
                delta[j] = Math.Clamp(delta[j], _lower[j], _upper[j]);
            return true;
        }
        var clipped = _scratch.AsSpan();
        for (int j = 0; j < clipped.Length; j++)
            clipped[j] = Math.Clamp(delta[j], _lower[j], _upper[j]);
        if (SatisfiesRows(clipped))
        {
            clipped.CopyTo(delta);
            return true;
        }
        if (!_hasRows)
        {
            for (int g = 0; g < _groups.Length; g++)
                ProjectGroup(delta, clipped, _groups[g], _groupSums[g]);
            clipped.CopyTo(delta);
            return true;
        }
        return ProjectByLinearProgram(delta);
    }

    /// <summary>
    /// Writes the point of Δ(x) that stands for the hull point <paramref name="delta"/> into <paramref name="rounded"/>;
    /// only coordinates in <see cref="Movable"/> and one-hot groups are written (the others stay 0).
    /// </summary>
    /// <returns>Whether <paramref name="rounded"/> lies in Δ(x).</returns>
    public bool Round(ReadOnlySpan<double> delta, Span<double> rounded)
    {
        foreach (int j in _movable)
            rounded[j] = delta[j];
        var set = _polytope.ActionSet;
        foreach (int j in _gridFeatures)
        {
            var action = set.Actions[j];
            var feature = set.Features[j];
            double step = action.GridStep!.Value;
            double nearest = action.GridOrigin + step * Math.Round((feature.ToOriginal(_x[j] + delta[j]) - action.GridOrigin) / step);
            // Box ends are grid points or 0 ("no change" needs no grid value), so clamping keeps an allowed value.
            double onGrid = Math.Clamp(feature.FromOriginal(nearest) - _x[j], _lower[j], _upper[j]);
            rounded[j] = Math.Abs(onGrid - delta[j]) < Math.Abs(delta[j]) ? onGrid : 0;
        }
        foreach (var group in _groups)
        {
            int chosen = -1;
            double best = double.NegativeInfinity;
            foreach (int j in group)
            {
                double value = _x[j] + delta[j];
                if (value > best || (value == best && _x[j] > 0.5))
                    (chosen, best) = (j, value);
            }
            foreach (int j in group)
                rounded[j] = (j == chosen ? 1 : 0) - _x[j];
        }
        return !_checkRounded || _polytope.FindViolation(rounded) is null;
    }

    private bool SatisfiesRows(ReadOnlySpan<double> delta)
    {
        for (int g = 0; g < _groups.Length; g++)
        {
            double sum = 0;
            foreach (int j in _groups[g]) sum += delta[j];
            if (Math.Abs(sum - _groupSums[g]) > PerturbationPolytope.DefaultTolerance * _groups[g].Length)
                return false;
        }
        foreach (var row in _polytope.GeneralRows)
        {
            double activity = 0;
            for (int k = 0; k < row.Indices.Count; k++)
                activity += row.Coefficients[k] * delta[row.Indices[k]];
            if (activity < row.Lower || activity > row.Upper)
                return false;
        }
        return true;
    }

    // Euclidean projection onto {lower ≤ δ ≤ upper, Σ δ = sum} over one group: δₖ = clamp(vₖ − τ), where
    // h(τ) = Σ clamp(vₖ − τ) is piecewise linear and non-increasing with breakpoints vₖ − upperₖ and vₖ − lowerₖ.
    private void ProjectGroup(ReadOnlySpan<double> delta, Span<double> projected, int[] group, double sum)
    {
        Span<double> breakpoints = stackalloc double[2 * group.Length];
        for (int k = 0; k < group.Length; k++)
        {
            int j = group[k];
            breakpoints[2 * k] = delta[j] - _upper[j];
            breakpoints[2 * k + 1] = delta[j] - _lower[j];
        }
        breakpoints.Sort();
        double tau = breakpoints[^1];
        double previousTau = breakpoints[0], previousValue = GroupSum(delta, group, previousTau);
        if (previousValue <= sum)
        {
            tau = previousTau;
        }
        else
        {
            for (int b = 1; b < breakpoints.Length; b++)
            {
                double value = GroupSum(delta, group, breakpoints[b]);
                if (value <= sum)
                {
                    // h is linear between consecutive breakpoints and previousValue > sum ≥ value.
                    tau = previousTau + (previousValue - sum) / (previousValue - value) * (breakpoints[b] - previousTau);
                    break;
                }
                (previousTau, previousValue) = (breakpoints[b], value);
            }
        }
        foreach (int j in group)
            projected[j] = Math.Clamp(delta[j] - tau, _lower[j], _upper[j]);
    }

    private double GroupSum(ReadOnlySpan<double> delta, int[] group, double tau)
    {
        double s = 0;
        foreach (int j in group) s += Math.Clamp(delta[j] - tau, _lower[j], _upper[j]);
        return s;
    }

    // min Σ t  s.t.  z − t ≤ v,  z + t ≥ v,  lower ≤ z ≤ upper, one-hot sums and general rows on z.
    private bool ProjectByLinearProgram(Span<double> delta)
    {
        int d = delta.Length;
        var objective = new double[2 * d];
        var columnLower = new double[2 * d];
        var columnUpper = new double[2 * d];
        var rows = new List<LinearConstraint>(2 * d + _groups.Length + _polytope.GeneralRows.Count);
        for (int j = 0; j < d; j++)
        {
            (columnLower[j], columnUpper[j]) = (_lower[j], _upper[j]);
            (objective[d + j], columnUpper[d + j]) = (1, double.PositiveInfinity);
            rows.Add(new LinearConstraint([j, d + j], [1.0, -1.0], double.NegativeInfinity, delta[j]));
            rows.Add(new LinearConstraint([j, d + j], [1.0, 1.0], delta[j], double.PositiveInfinity));
        }
        for (int g = 0; g < _groups.Length; g++)
            rows.Add(new LinearConstraint(_groups[g], Enumerable.Repeat(1.0, _groups[g].Length).ToArray(), _groupSums[g], _groupSums[g]));
        rows.AddRange(_polytope.GeneralRows);
        var result = LinearProgramSolver.Solve(new LinearProgram(objective, columnLower, columnUpper, rows));
        if (!result.IsOptimal)
            return false;
        for (int j = 0; j < d; j++)
            delta[j] = Math.Clamp(result.Solution[j], _lower[j], _upper[j]);
        return true;
    }
}
