using Microsoft.ML.Data;
using Microsoft.ML.Recourse.Optimization;

namespace Microsoft.ML.Recourse.Actions;

/// <summary>
/// The actions a person may take on the features of a model, declared once and compiled for each row x into the
/// perturbation polytope Δ(x) of allowed changes δ (see <see cref="Compile"/>). Immutable; create it with
/// <see cref="FromFeatures"/> or <see cref="CreateBuilder"/>.
/// </summary>
/// <remarks>
/// <para>
/// <b>Units.</b> δ is in the model's units, the units of the <c>Features</c> vector. The maximum change is in
/// standardised units: |δⱼ| ≤ δ_max · sⱼ, where sⱼ (<see cref="FeatureAction.StandardScale"/>) is 1 when the model's
/// features are z-scored (the reference setup of Ross, Lakkaraju &amp; Bastani 2021, δ_max = 0.75) and the feature's
/// standard deviation in model units otherwise. Bounds, grids and general constraints are written in original units
/// and converted with each feature's <see cref="FeatureInfo"/>. Costs are weighted L1 in standardised units,
/// Σ wⱼ |δⱼ| / sⱼ.
/// </para>
/// <para>
/// <b>Doing nothing is always allowed by the per-feature constraints:</b> every box contains 0 and a grid never
/// forces a change; only general linear constraints can exclude δ = 0 (and make Δ empty).
/// </para>
/// </remarks>
public sealed class ActionSet
{
    private readonly CompiledConstraint[] _compiledConstraints;

    internal ActionSet(FeatureInfo[] features, double maximumChange, FeatureAction[] actions, bool[] hasOwnMaximumChange,
        OneHotGroup[] groups, LinearActionConstraint[] constraints)
    {
        Features = features;
        MaximumChange = maximumChange;
        Actions = actions;
        HasOwnMaximumChange = hasOwnMaximumChange;
        OneHotGroups = groups;
        LinearConstraints = constraints;
        _compiledConstraints = constraints.Select(c => CompiledConstraint.Create(c, this)).ToArray();
        var groupOf = Enumerable.Repeat(-1, features.Length).ToArray();
        for (int g = 0; g < groups.Length; g++)
            foreach (int j in groups[g].FeatureIndices)
                groupOf[j] = g;
        GroupOf = groupOf;
        _costPerUnitChange = actions.Select(a => a.CostWeight / a.StandardScale).ToArray();
        Boxes = features.Select((f, j) => new FeatureBox(f, actions[j], isIndicator: groupOf[j] >= 0)).ToArray();
    }

    /// <summary>Gets the features, in the order of the <c>Features</c> vector.</summary>
    public IReadOnlyList<FeatureInfo> Features { get; }

    /// <summary>Gets the number of features d.</summary>
    public int FeatureCount => Features.Count;

    /// <summary>Gets the default maximum change δ_max in standardised units (features may override it).</summary>
    public double MaximumChange { get; }

    /// <summary>Gets how each feature may change, one per feature.</summary>
    public IReadOnlyList<FeatureAction> Actions { get; }

    /// <summary>Gets the one-hot groups.</summary>
    public IReadOnlyList<OneHotGroup> OneHotGroups { get; }

    /// <summary>Gets the general linear constraints.</summary>
    public IReadOnlyList<LinearActionConstraint> LinearConstraints { get; }

    /// <summary>Gets the cost of a unit change of each feature in model units, wⱼ / sⱼ (the L1 cost's coefficients).</summary>
    public IReadOnlyList<double> CostPerUnitChange => _costPerUnitChange;

    // The array behind CostPerUnitChange: Cost runs for every accepted row, without an interface call per feature.
    private readonly double[] _costPerUnitChange;

    /// <summary>Gets whether Δ is a product of intervals (no one-hot groups, no general constraints), so linear objectives have a closed-form minimum.</summary>
    public bool IsSeparable => OneHotGroups.Count == 0 && LinearConstraints.Count == 0;

    internal IReadOnlyList<bool> HasOwnMaximumChange { get; }

    internal IReadOnlyList<int> GroupOf { get; }

    /// <summary>Each feature's box in Δ(x), compiled once for all rows.</summary>
    internal FeatureBox[] Boxes { get; }

    internal IReadOnlyList<CompiledConstraint> CompiledConstraints => _compiledConstraints;

    /// <summary>
    /// Creates the reference action set: each feature moves as its <see cref="FeatureInfo.Actionability"/> says, by at
    /// most <paramref name="maximumChange"/> standardised units, with no bounds, grids, groups or general constraints.
    /// </summary>
    /// <param name="features">The features, in the order of the <c>Features</c> vector.</param>
    /// <param name="maximumChange">δ_max in standardised units (0.75 in Ross et al. 2021). Range: value &gt; 0.</param>
    public static ActionSet FromFeatures(IReadOnlyList<FeatureInfo> features, double maximumChange)
        => new ActionSetBuilder(features, maximumChange).Build();

    /// <summary>Starts a builder whose features move as their <see cref="FeatureInfo.Actionability"/> says, by at most <paramref name="maximumChange"/> standardised units.</summary>
    /// <param name="features">The features, in the order of the <c>Features</c> vector.</param>
    /// <param name="maximumChange">The default δ_max in standardised units; <see cref="double.PositiveInfinity"/> for none. Range: value &gt; 0.</param>
    public static ActionSetBuilder CreateBuilder(IReadOnlyList<FeatureInfo> features, double maximumChange)
        => new(features, maximumChange);

    /// <summary>Starts a builder holding this set's declarations, to derive a modified set.</summary>
    public ActionSetBuilder ToBuilder() => new(this);

    /// <summary>Returns the index of a feature in the <c>Features</c> vector.</summary>
    /// <param name="featureName">The feature name.</param>
    /// <exception cref="ArgumentOutOfRangeException">No feature has that name.</exception>
    public int IndexOf(string featureName)
    {
        Contracts.CheckValue(featureName, nameof(featureName));
        for (int j = 0; j < Features.Count; j++)
            if (Features[j].Name == featureName)
                return j;
        throw new ArgumentOutOfRangeException(nameof(featureName), $"Unknown feature '{featureName}'. Known features: {string.Join(", ", Features.Select(f => f.Name))}.");
    }

    /// <summary>Compiles the perturbation polytope Δ(x) of the changes allowed from row <paramref name="x"/>.</summary>
    /// <param name="x">The row in model units; length <see cref="FeatureCount"/>, finite, each one-hot group a valid one-hot vector.</param>
    public PerturbationPolytope Compile(ReadOnlySpan<double> x) => PerturbationPolytope.Create(this, x, rowIndex: null);

    /// <summary>Returns whether <paramref name="delta"/> is an allowed change from row <paramref name="x"/> (boxes, grids, one-hot validity, general constraints).</summary>
    /// <param name="x">The row in model units.</param>
    /// <param name="delta">The change in model units.</param>
    /// <param name="tolerance">The absolute slack allowed on every check, in model units. Range: value ≥ 0.</param>
    public bool Contains(ReadOnlySpan<double> x, ReadOnlySpan<double> delta, double tolerance = PerturbationPolytope.DefaultTolerance)
        => Compile(x).Contains(delta, tolerance);

    /// <summary>Minimises cᵀδ over Δ(x); see <see cref="PerturbationPolytope.Minimize"/>.</summary>
    /// <param name="x">The row in model units.</param>
    /// <param name="objective">The objective coefficients c, one per feature.</param>
    /// <param name="cancellationToken">Stops a long solve.</param>
    public PerturbationResult Minimize(ReadOnlySpan<double> x, ReadOnlySpan<double> objective, CancellationToken cancellationToken = default)
        => Compile(x).Minimize(objective, cancellationToken);

    /// <summary>
    /// Minimises cᵢᵀδ over Δ(xᵢ) for many rows: in closed form when no general constraint couples the features,
    /// otherwise with one linear program per row, solved in parallel.
    /// </summary>
    /// <param name="rows">The rows xᵢ in model units.</param>
    /// <param name="objectives">The objective cᵢ of each row.</param>
    /// <param name="cancellationToken">Stops the solves.</param>
    /// <returns>One result per row, in row order.</returns>
    public IReadOnlyList<PerturbationResult> MinimizeAll(IReadOnlyList<double[]> rows, IReadOnlyList<double[]> objectives, CancellationToken cancellationToken = default)
    {
        Contracts.CheckValue(rows, nameof(rows));
        Contracts.CheckValue(objectives, nameof(objectives));
        Contracts.CheckParam(rows.Count == objectives.Count, nameof(objectives), $"Expected {rows.Count} objectives, one per row; got {objectives.Count}.");
        var polytopes = new PerturbationPolytope[rows.Count];
        for (int i = 0; i < rows.Count; i++)
        {
            Contracts.CheckParam(rows[i] is not null && objectives[i] is not null, nameof(rows), $"Row {i} or its objective is null.");
            polytopes[i] = PerturbationPolytope.Create(this, rows[i], rowIndex: i);
        }
        var results = new PerturbationResult[rows.Count];
        if (LinearConstraints.Count == 0)
        {
            for (int i = 0; i < rows.Count; i++)
                results[i] = polytopes[i].Minimize(objectives[i], cancellationToken);
        }
        else
        {
            Parallel.For(0, rows.Count, new ParallelOptions { CancellationToken = cancellationToken },
                i => results[i] = polytopes[i].Minimize(objectives[i], cancellationToken));
        }
        return results;
    }

    /// <summary>Returns the cost Σ wⱼ |δⱼ| / sⱼ of a change: weighted L1 in standardised units.</summary>
    /// <param name="delta">The change in model units, one value per feature.</param>
    public double Cost(ReadOnlySpan<double> delta)
    {
        CheckLength(delta.Length, nameof(delta));
        double cost = 0;
        for (int j = 0; j < delta.Length; j++)
            cost += _costPerUnitChange[j] * Math.Abs(delta[j]);
        return cost;
    }

    /// <summary>Describes a change in plain language, in original units; see <see cref="ActionDescriber"/>.</summary>
    /// <param name="x">The row in model units.</param>
    /// <param name="delta">The change in model units.</param>
    public RecourseExplanation Describe(ReadOnlySpan<double> x, ReadOnlySpan<double> delta) => ActionDescriber.Describe(this, x, delta);

    internal void CheckLength(int length, string paramName)
    {
        // Runs for every row a generator checks: the message is built only on failure.
        if (length != FeatureCount)
            throw new ArgumentOutOfRangeException(paramName, $"Expected {FeatureCount} values, one per feature; got {length}.");
    }
}

/// <summary>A general constraint converted to model units: Σ ChangeCoefficients·δ + Σ ValueCoefficients·x + Constant ≥ 0.</summary>
internal sealed record CompiledConstraint(string Name, int[] ChangeIndices, double[] ChangeCoefficients, int[] ValueIndices, double[] ValueCoefficients, double Constant)
{
    public static CompiledConstraint Create(LinearActionConstraint c, ActionSet set)
    {
        // Original units: Δ = Scale·δ and x_orig = Mean + Scale·x, so the constant absorbs the means.
        var change = c.ChangeCoefficients.Select(kv => (Index: set.IndexOf(kv.Key), Value: kv.Value * set.Features[set.IndexOf(kv.Key)].Scale)).OrderBy(t => t.Index).ToArray();
        var value = (c.ValueCoefficients ?? new Dictionary<string, double>()).Select(kv => (Index: set.IndexOf(kv.Key), kv.Value)).OrderBy(t => t.Index).ToArray();
        double constant = c.Constant + value.Sum(t => t.Value * set.Features[t.Index].Mean);
        return new CompiledConstraint(c.Name,
            change.Select(t => t.Index).ToArray(), change.Select(t => t.Value).ToArray(),
            value.Select(t => t.Index).ToArray(), value.Select(t => t.Value * set.Features[t.Index].Scale).ToArray(),
            constant);
    }

    /// <summary>Returns −(B·x + b), the lower bound of A·δ for row <paramref name="x"/>.</summary>
    public double LowerBound(ReadOnlySpan<double> x)
    {
        double s = Constant;
        for (int k = 0; k < ValueIndices.Length; k++)
            s += ValueCoefficients[k] * x[ValueIndices[k]];
        return -s;
    }
}
