using Microsoft.ML.Recourse.Actions;

namespace Microsoft.ML.Recourse.MultiAgent;

/// <summary>
/// The principal's feasible actions F_p: a list of discrete interventions (<see cref="Discrete"/>) or a grid of
/// values over actionable variables (<see cref="Grid"/>). Every variable acted on must belong to the principal and
/// be actionable; values that move a variable against its <see cref="FeatureActionability"/> are not feasible from
/// that state and are left out.
/// </summary>
public abstract class ActionSpace
{
    private protected ActionSpace() { }

    /// <summary>Gets the names of the variables the space acts on.</summary>
    public abstract IReadOnlyList<string> Variables { get; }

    /// <summary>A discrete action space: each action is one intervention with its cost.</summary>
    /// <param name="actions">The actions.</param>
    public static DiscreteActionSpace Discrete(params DiscreteAction[] actions) => new(actions);

    /// <summary>
    /// A grid action space: each variable is either left alone or set to one of its axis values; the cost is
    /// Σ weight·|θ − x^F| over the intervened variables.
    /// </summary>
    /// <param name="axes">One axis per variable.</param>
    public static GridActionSpace Grid(params GridAxis[] axes) => new(axes);
}

/// <summary>One discrete action: an intervention do(X_I := θ) and its cost.</summary>
public sealed class DiscreteAction
{
    /// <summary>Creates an action.</summary>
    /// <param name="name">The action's name, shown in results.</param>
    /// <param name="assignments">The variables it sets and their values.</param>
    /// <param name="cost">The action's cost; <see langword="null"/> for Σ|θ − x^F|. Range: ≥ 0.</param>
    public DiscreteAction(string name, IReadOnlyList<(string Variable, double Value)> assignments, double? cost = null)
    {
        Contracts.CheckParam(!string.IsNullOrWhiteSpace(name), nameof(name), "An action needs a name.");
        Contracts.CheckValue(assignments, nameof(assignments));
        Contracts.CheckParam(assignments.Count > 0, nameof(assignments), $"Action '{name}' sets no variable.");
        foreach (var (variable, value) in assignments)
            Contracts.CheckParam(double.IsFinite(value), nameof(assignments), $"Action '{name}': the value for '{variable}' must be finite; got {value}.");
        if (cost is double c) Contracts.CheckNonNegative(c, nameof(cost));
        Name = name;
        Assignments = assignments.ToArray();
        Cost = cost;
    }

    /// <summary>Gets the action's name.</summary>
    public string Name { get; }

    /// <summary>Gets the variables it sets and their values.</summary>
    public IReadOnlyList<(string Variable, double Value)> Assignments { get; }

    /// <summary>Gets the fixed cost, or <see langword="null"/> for Σ|θ − x^F|.</summary>
    public double? Cost { get; }
}

/// <summary>A list of discrete actions.</summary>
public sealed class DiscreteActionSpace : ActionSpace
{
    internal DiscreteActionSpace(IReadOnlyList<DiscreteAction> actions)
    {
        Contracts.CheckValue(actions, nameof(actions));
        Contracts.CheckParam(actions.Count > 0, nameof(actions), "A discrete action space needs at least one action.");
        Actions = actions.ToArray();
    }

    /// <summary>Gets the actions.</summary>
    public IReadOnlyList<DiscreteAction> Actions { get; }

    /// <inheritdoc/>
    public override IReadOnlyList<string> Variables
        => Actions.SelectMany(a => a.Assignments.Select(x => x.Variable)).Distinct(StringComparer.Ordinal).ToArray();
}

/// <summary>A grid over actionable variables.</summary>
public sealed class GridActionSpace : ActionSpace
{
    internal GridActionSpace(IReadOnlyList<GridAxis> axes)
    {
        Contracts.CheckValue(axes, nameof(axes));
        Contracts.CheckParam(axes.Count > 0, nameof(axes), "A grid needs at least one axis.");
        Contracts.CheckParam(axes.Select(a => a.Variable).Distinct(StringComparer.Ordinal).Count() == axes.Count, nameof(axes),
            "Two axes act on the same variable.");
        Axes = axes.ToArray();
    }

    /// <summary>Gets the axes.</summary>
    public IReadOnlyList<GridAxis> Axes { get; }

    /// <inheritdoc/>
    public override IReadOnlyList<string> Variables => Axes.Select(a => a.Variable).ToArray();
}

/// <summary>The values one variable may be set to in a <see cref="GridActionSpace"/>.</summary>
public sealed class GridAxis
{
    private GridAxis(string variable, double[] points, bool isRelative, double costWeight)
    {
        Contracts.CheckParam(!string.IsNullOrWhiteSpace(variable), nameof(variable), "An axis needs a variable.");
        Contracts.CheckParam(points.Length > 0, nameof(points), $"The axis of '{variable}' has no values.");
        foreach (double p in points)
            Contracts.CheckParam(double.IsFinite(p), nameof(points), $"The axis of '{variable}' has a non-finite value ({p}).");
        Contracts.CheckNonNegative(costWeight, nameof(costWeight));
        Variable = variable;
        Points = points.Distinct().Order().ToArray();
        IsRelative = isRelative;
        CostWeight = costWeight;
    }

    /// <summary>Gets the variable.</summary>
    public string Variable { get; }

    /// <summary>Gets the axis points: absolute values, or offsets from the factual value when <see cref="IsRelative"/>.</summary>
    public IReadOnlyList<double> Points { get; }

    /// <summary>Gets whether <see cref="Points"/> are offsets from the factual value.</summary>
    public bool IsRelative { get; }

    /// <summary>Gets the cost per unit of change, w in w·|θ − x^F|.</summary>
    public double CostWeight { get; }

    /// <summary>An axis of absolute values θ.</summary>
    /// <param name="variable">The variable.</param>
    /// <param name="values">The values it may be set to.</param>
    /// <param name="costWeight">The cost per unit of change. Range: ≥ 0.</param>
    public static GridAxis Values(string variable, IReadOnlyList<double> values, double costWeight = 1)
    {
        Contracts.CheckValue(values, nameof(values));
        return new(variable, values.ToArray(), false, costWeight);
    }

    /// <summary>An axis of offsets: θ = x^F + offset.</summary>
    /// <param name="variable">The variable.</param>
    /// <param name="offsets">The offsets from the factual value.</param>
    /// <param name="costWeight">The cost per unit of change. Range: ≥ 0.</param>
    public static GridAxis Offsets(string variable, IReadOnlyList<double> offsets, double costWeight = 1)
    {
        Contracts.CheckValue(offsets, nameof(offsets));
        return new(variable, offsets.ToArray(), true, costWeight);
    }

    /// <summary>
    /// Offsets −<paramref name="maximumChange"/> … +<paramref name="maximumChange"/> in steps of
    /// <paramref name="step"/>, both ends included: a box |θ − x^F| ≤ δ_max on a grid.
    /// </summary>
    /// <param name="variable">The variable.</param>
    /// <param name="maximumChange">δ_max. Range: &gt; 0.</param>
    /// <param name="step">The grid step. Range: 0 &lt; step ≤ δ_max.</param>
    /// <param name="costWeight">The cost per unit of change. Range: ≥ 0.</param>
    public static GridAxis Range(string variable, double maximumChange, double step, double costWeight = 1)
    {
        Contracts.CheckPositive(maximumChange, nameof(maximumChange));
        Contracts.CheckPositive(step, nameof(step));
        Contracts.CheckParam(step <= maximumChange, nameof(step), $"The step ({step}) exceeds the maximum change ({maximumChange}).");
        int steps = (int)Math.Floor(maximumChange / step + 1e-9);
        var offsets = new List<double> { -maximumChange, maximumChange };
        for (int i = -steps; i <= steps; i++) offsets.Add(Math.Clamp(Math.Round(i * step, 12), -maximumChange, maximumChange));
        return new(variable, offsets.ToArray(), true, costWeight);
    }
}
