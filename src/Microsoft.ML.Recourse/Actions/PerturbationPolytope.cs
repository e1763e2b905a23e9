using System.Globalization;
using Microsoft.ML.Recourse.Optimization;

namespace Microsoft.ML.Recourse.Actions;

/// <summary>
/// The perturbation polytope Δ(x): the changes δ (model units) an <see cref="ActionSet"/> allows from one row x.
/// It is the intersection of per-feature boxes <see cref="Lower"/>ⱼ ≤ δⱼ ≤ <see cref="Upper"/>ⱼ, one-hot rows
/// (the indicators of each group sum to 1 after the change) and general rows A·δ ≥ −(B·x + b); on top of these,
/// grid features and one-hot indicators take discrete values. Immutable; create it with <see cref="ActionSet.Compile"/>.
/// </summary>
/// <remarks>
/// Every box contains 0. Boxes of grid features are already tightened to the outermost grid points they contain, so
/// a linear objective over a box-only polytope attains its minimum on the grid.
/// </remarks>
public sealed class PerturbationPolytope
{
    /// <summary>The default absolute slack of <see cref="Contains"/> in model units (scaled by 1 + the magnitude checked).</summary>
    public const double DefaultTolerance = 1e-9;

    private readonly double[] _x;
    private readonly double[] _lower;
    private readonly double[] _upper;
    private readonly int[] _activeCategory;
    private readonly LinearConstraint[] _generalRows;
    private readonly int? _rowIndex;

    private PerturbationPolytope(ActionSet set, double[] x, double[] lower, double[] upper, int[] activeCategory, LinearConstraint[] generalRows, int? rowIndex)
    {
        ActionSet = set;
        _x = x;
        _lower = lower;
        _upper = upper;
        _activeCategory = activeCategory;
        _generalRows = generalRows;
        _rowIndex = rowIndex;
    }

    /// <summary>Gets the action set this polytope was compiled from.</summary>
    public ActionSet ActionSet { get; }

    /// <summary>Gets the row x (model units).</summary>
    public IReadOnlyList<double> Row => _x;

    /// <summary>Gets the number of coordinates d.</summary>
    public int Dimension => _x.Length;

    /// <summary>Gets the lower end of each coordinate's box (≤ 0; <see cref="double.NegativeInfinity"/> when unlimited).</summary>
    public IReadOnlyList<double> Lower => _lower;

    /// <summary>Gets the upper end of each coordinate's box (≥ 0; <see cref="double.PositiveInfinity"/> when unlimited).</summary>
    public IReadOnlyList<double> Upper => _upper;

    /// <summary>Gets the one-hot groups (their rows are Σ_{j∈group} δⱼ = 1 − Σ_{j∈group} xⱼ).</summary>
    public IReadOnlyList<OneHotGroup> OneHotGroups => ActionSet.OneHotGroups;

    /// <summary>Gets the general rows A·δ ≥ −(B·x + b) for this row, in the order of <see cref="ActionSet.LinearConstraints"/>.</summary>
    public IReadOnlyList<LinearConstraint> GeneralRows => _generalRows;

    /// <summary>Gets whether Δ is a product of intervals (boxes only), so every linear objective separates by coordinate.</summary>
    public bool IsSeparable => OneHotGroups.Count == 0 && _generalRows.Length == 0;

    internal static PerturbationPolytope Create(ActionSet set, ReadOnlySpan<double> x, int? rowIndex)
    {
        set.CheckLength(x.Length, nameof(x));
        // Compiled once per row by every generator's Δ gate: messages are built only on failure.
        for (int j = 0; j < x.Length; j++)
            if (!double.IsFinite(x[j]))
                throw new ArgumentOutOfRangeException(nameof(x),
                    FormattableString.Invariant($"Feature '{set.Features[j].Name}' of {RowName(rowIndex)} is not finite ({x[j]})."));
        var active = new int[set.OneHotGroups.Count];
        for (int g = 0; g < active.Length; g++)
        {
            var group = set.OneHotGroups[g];
            active[g] = group.ActiveCategory(x, DefaultTolerance);
            if (active[g] < 0)
                throw new ArgumentOutOfRangeException(nameof(x),
                    $"One-hot group '{group.Name}' of {RowName(rowIndex)} is not a valid one-hot vector: ({FormatValues(group, x)}).");
        }

        var lower = new double[x.Length];
        var upper = new double[x.Length];
        for (int j = 0; j < x.Length; j++)
            (lower[j], upper[j]) = set.Boxes[j].At(x[j]);

        var rows = new LinearConstraint[set.CompiledConstraints.Count];
        for (int r = 0; r < rows.Length; r++)
        {
            var c = set.CompiledConstraints[r];
            rows[r] = new LinearConstraint(c.ChangeIndices, c.ChangeCoefficients, c.LowerBound(x), double.PositiveInfinity);
        }
        return new PerturbationPolytope(set, x.ToArray(), lower, upper, active, rows, rowIndex);
    }

    private static string RowName(int? rowIndex) => rowIndex is int i ? $"row {i}" : "the row";

    /// <summary>Returns whether <paramref name="delta"/> lies in Δ(x): boxes, grids, one-hot validity of x + δ and general rows.</summary>
    /// <param name="delta">The change in model units, one value per feature.</param>
    /// <param name="tolerance">The absolute slack of every check, scaled by 1 + the magnitude checked. Range: value ≥ 0.</param>
    public bool Contains(ReadOnlySpan<double> delta, double tolerance = DefaultTolerance) => FindViolation(delta, tolerance) is null;

    /// <summary>Returns the first constraint <paramref name="delta"/> violates as a readable sentence, or <see langword="null"/> when it lies in Δ(x).</summary>
    /// <param name="delta">The change in model units, one value per feature.</param>
    /// <param name="tolerance">The absolute slack of every check, scaled by 1 + the magnitude checked. Range: value ≥ 0.</param>
    public string? FindViolation(ReadOnlySpan<double> delta, double tolerance = DefaultTolerance)
        => FindViolation(delta, tolerance, checkDiscrete: true);

    internal string? FindViolation(ReadOnlySpan<double> delta, double tolerance, bool checkDiscrete)
    {
        ActionSet.CheckLength(delta.Length, nameof(delta));
        Contracts.CheckNonNegative(tolerance, nameof(tolerance));
        var features = ActionSet.Features;
        for (int j = 0; j < delta.Length; j++)
        {
            double d = delta[j];
            switch (CheckFeature(ActionSet, j, _x[j], d, _lower[j], _upper[j], tolerance, checkDiscrete))
            {
                case FeatureCheck.NotFinite:
                    return Invariant($"feature '{features[j].Name}': δ = {d} is not finite.");
                case FeatureCheck.OutsideBox:
                    return Invariant($"feature '{features[j].Name}': δ = {d:R} lies outside its box [{_lower[j]:R}, {_upper[j]:R}] ({BoxReason(j)}).");
                case FeatureCheck.OffGrid:
                    var action = ActionSet.Actions[j];
                    return Invariant($"feature '{features[j].Name}': the new value {features[j].ToOriginal(_x[j] + d):R} is not on its grid {action.GridOrigin:R} + k·{action.GridStep!.Value:R}.");
            }
        }
        var moved = new double[_x.Length];
        for (int j = 0; j < moved.Length; j++)
            moved[j] = _x[j] + delta[j];
        foreach (var group in OneHotGroups)
        {
            bool valid = checkDiscrete
                ? group.ActiveCategory(moved, Slack(1, tolerance)) >= 0
                : Math.Abs(group.FeatureIndices.Sum(j => moved[j]) - 1) <= Slack(group.FeatureIndices.Count, tolerance);
            if (!valid)
                return $"one-hot group '{group.Name}': x + δ = ({FormatValues(group, moved)}) is not a valid one-hot vector.";
        }
        for (int r = 0; r < _generalRows.Length; r++)
        {
            var row = _generalRows[r];
            double activity = 0, magnitude = Math.Abs(row.Lower);
            for (int k = 0; k < row.Indices.Count; k++)
            {
                double term = row.Coefficients[k] * delta[row.Indices[k]];
                activity += term;
                magnitude += Math.Abs(term);
            }
            if (activity < row.Lower - Slack(magnitude, tolerance))
                return Invariant($"constraint '{ActionSet.LinearConstraints[r].Name}': A·δ = {activity:R} is below {row.Lower:R}, its lower bound for this row.");
        }
        return null;
    }

    /// <summary>
    /// Whether <paramref name="delta"/> lies in Δ(<paramref name="x"/>) of a separable action set, checked feature by
    /// feature on the compiled boxes without compiling Δ(x): the same answer as <see cref="FindViolation(ReadOnlySpan{double}, double)"/>
    /// with the default tolerance, for the rows the Δ gate sees every time. <see langword="false"/> also when the set is not
    /// separable or x or δ is malformed: compile Δ(x) then, for the message or the exception.
    /// </summary>
    internal static bool SeparableContains(ActionSet set, ReadOnlySpan<double> x, ReadOnlySpan<double> delta)
    {
        if (!set.IsSeparable || x.Length != set.FeatureCount || delta.Length != set.FeatureCount) return false;
        var boxes = set.Boxes;
        for (int j = 0; j < x.Length; j++)
        {
            if (!double.IsFinite(x[j])) return false;
            var (lower, upper) = boxes[j].At(x[j]);
            if (CheckFeature(set, j, x[j], delta[j], lower, upper, DefaultTolerance, checkDiscrete: true) != FeatureCheck.Inside) return false;
        }
        return true;
    }

    private static FeatureCheck CheckFeature(ActionSet set, int j, double x, double d, double lower, double upper, double tolerance, bool checkDiscrete)
    {
        if (!double.IsFinite(d))
            return FeatureCheck.NotFinite;
        if (d < lower - Slack(lower, tolerance) || d > upper + Slack(upper, tolerance))
            return FeatureCheck.OutsideBox;
        var action = set.Actions[j];
        if (checkDiscrete && action.GridStep is double step && Math.Abs(d) > Slack(0, tolerance))
        {
            var feature = set.Features[j];
            double value = x + d;
            double nearest = action.GridOrigin + step * Math.Round((feature.ToOriginal(value) - action.GridOrigin) / step);
            if (Math.Abs(feature.FromOriginal(nearest) - value) > Slack(value, tolerance))
                return FeatureCheck.OffGrid;
        }
        return FeatureCheck.Inside;
    }

    /// <summary>Returns the cost Σ wⱼ |δⱼ| / sⱼ of a change (see <see cref="ActionSet.Cost"/>).</summary>
    /// <param name="delta">The change in model units, one value per feature.</param>
    public double Cost(ReadOnlySpan<double> delta) => ActionSet.Cost(delta);

    /// <summary>
    /// Builds the linear program min cᵀδ over the continuous relaxation of Δ(x): variables δ with the boxes as column
    /// bounds, one equality row per one-hot group and one row per general constraint. Grids and 0/1 indicators are
    /// relaxed to their hull (exact discrete choices are the integer program's job).
    /// </summary>
    /// <param name="objective">The objective coefficients c, one per feature.</param>
    public LinearProgram ToLinearProgram(IReadOnlyList<double> objective)
    {
        Contracts.CheckValue(objective, nameof(objective));
        ActionSet.CheckLength(objective.Count, nameof(objective));
        var rows = new List<LinearConstraint>(OneHotGroups.Count + _generalRows.Length);
        foreach (var group in OneHotGroups)
        {
            double rhs = 1 - group.FeatureIndices.Sum(j => _x[j]);
            rows.Add(new LinearConstraint(group.FeatureIndices, Enumerable.Repeat(1.0, group.FeatureIndices.Count).ToArray(), rhs, rhs));
        }
        rows.AddRange(_generalRows);
        return new LinearProgram(objective, _lower, _upper, rows);
    }

    /// <summary>
    /// Minimises cᵀδ over Δ(x). Without general rows the problem splits into blocks (single coordinates and one-hot
    /// groups) whose minima are found exactly by comparing their vertices: cⱼ &gt; 0 takes the lower end, cⱼ &lt; 0 the
    /// upper end, and cⱼ = 0 (or a tie) keeps δⱼ = 0; a group switches to its cheapest allowed category only when that
    /// strictly lowers the objective (ties go to the lowest index). With general rows the continuous relaxation
    /// (<see cref="ToLinearProgram"/>) is solved with <see cref="LinearProgramSolver"/>.
    /// </summary>
    /// <param name="objective">The objective coefficients c, one per feature; finite.</param>
    /// <param name="cancellationToken">Stops a long solve.</param>
    /// <exception cref="InvalidOperationException">The returned δ would violate Δ(x) (an internal error; the message names the row and the constraint).</exception>
    public PerturbationResult Minimize(ReadOnlySpan<double> objective, CancellationToken cancellationToken = default)
    {
        ActionSet.CheckLength(objective.Length, nameof(objective));
        for (int j = 0; j < objective.Length; j++)
            if (!double.IsFinite(objective[j]))
                throw new ArgumentOutOfRangeException(nameof(objective),
                    FormattableString.Invariant($"Objective coefficient of '{ActionSet.Features[j].Name}' is not finite ({objective[j]})."));
        return _generalRows.Length == 0 ? MinimizeByBlocks(objective) : MinimizeByLinearProgram(objective.ToArray(), cancellationToken);
    }

    private PerturbationResult MinimizeByBlocks(ReadOnlySpan<double> c)
    {
        var delta = new double[_x.Length];
        for (int j = 0; j < delta.Length; j++)
        {
            if (ActionSet.GroupOf[j] >= 0 || c[j] == 0)
                continue;
            double end = c[j] > 0 ? _lower[j] : _upper[j];
            if (double.IsInfinity(end))
                return new PerturbationResult(LinearProgramStatus.Unbounded, [], double.NaN, false, 0,
                    $"Feature '{ActionSet.Features[j].Name}' has no limit in the improving direction.");
            delta[j] = end;
        }
        for (int g = 0; g < OneHotGroups.Count; g++)
        {
            var members = OneHotGroups[g].FeatureIndices;
            int a = members[_activeCategory[g]];
            if (_lower[a] > -1 + DefaultTolerance)
                continue;
            int best = a;
            double bestValue = 0;
            foreach (int k in members)
            {
                if (k != a && _upper[k] >= 1 - DefaultTolerance && c[k] - c[a] < bestValue)
                    (best, bestValue) = (k, c[k] - c[a]);
            }
            if (best != a)
            {
                delta[a] = -_x[a];
                delta[best] = 1 - _x[best];
            }
        }
        return Checked(delta, c, meetsDiscrete: true, iterations: 0, message: null);
    }

    private PerturbationResult MinimizeByLinearProgram(double[] c, CancellationToken cancellationToken)
    {
        var result = LinearProgramSolver.Solve(ToLinearProgram(c), cancellationToken);
        if (!result.IsOptimal)
            return new PerturbationResult(result.Status, [], double.NaN, false, result.Iterations, result.Message);
        // The simplex may leave a variable a hair outside its bound; the bounds are exact, so clamp to them.
        var delta = new double[_x.Length];
        for (int j = 0; j < delta.Length; j++)
            delta[j] = Math.Clamp(result.Solution[j], _lower[j], _upper[j]);
        bool meetsDiscrete = FindViolation(delta, DefaultTolerance, checkDiscrete: true) is null;
        return Checked(delta, c, meetsDiscrete, result.Iterations, result.Message);
    }

    private PerturbationResult Checked(double[] delta, ReadOnlySpan<double> c, bool meetsDiscrete, int iterations, string? message)
    {
        string? violation = FindViolation(delta, DefaultTolerance, checkDiscrete: meetsDiscrete);
        if (violation is not null)
        {
            string row = _rowIndex is int i ? $"row {i}" : $"row ({string.Join(", ", _x.Select(v => v.ToString("R", CultureInfo.InvariantCulture)))})";
            throw new InvalidOperationException($"Internal error: the minimiser for {row} left the perturbation polytope: {violation}");
        }
        double value = 0;
        for (int j = 0; j < delta.Length; j++)
            value += c[j] * delta[j];
        return new PerturbationResult(LinearProgramStatus.Optimal, delta, value, meetsDiscrete, iterations, message);
    }

    private string BoxReason(int j)
    {
        if (ActionSet.GroupOf[j] >= 0)
            return $"indicator of one-hot group '{OneHotGroups[ActionSet.GroupOf[j]].Name}', {ActionSet.Actions[j].Actionability}";
        var a = ActionSet.Actions[j];
        return Invariant($"{a.Actionability}, maximum change {a.MaximumChange:R} standardised units, bounds [{a.LowerBound:R}, {a.UpperBound:R}] in original units");
    }

    private static double Slack(double magnitude, double tolerance) => tolerance * (1 + Math.Abs(magnitude));

    private static string FormatValues(OneHotGroup group, ReadOnlySpan<double> values)
    {
        var parts = new string[group.FeatureIndices.Count];
        for (int k = 0; k < parts.Length; k++)
            parts[k] = values[group.FeatureIndices[k]].ToString("R", CultureInfo.InvariantCulture);
        return string.Join(", ", parts);
    }

    private static string Invariant(FormattableString text) => FormattableString.Invariant(text);
}

/// <summary>How one coordinate of δ stands against its box and grid.</summary>
internal enum FeatureCheck
{
    Inside,
    NotFinite,
    OutsideBox,
    OffGrid,
}
