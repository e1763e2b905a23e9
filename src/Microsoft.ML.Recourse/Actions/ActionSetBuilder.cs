using Microsoft.ML.Data;

namespace Microsoft.ML.Recourse.Actions;

/// <summary>
/// Builds an immutable <see cref="ActionSet"/> step by step; every method returns the builder, so calls chain.
/// Features are addressed by name; an unknown name throws <see cref="ArgumentOutOfRangeException"/> naming it.
/// Later calls override earlier ones for the same feature.
/// </summary>
/// <example>
/// <code>
/// var actions = ActionSet.CreateBuilder(features, maximumChange: 0.75)
///     .SetActionability("age", FeatureActionability.IncreaseOnly)
///     .SetBounds("amount", lower: 250, upper: 20_000)
///     .SetInteger("duration")
///     .AddOneHotGroup("personal_status_sex", ["personal_status_sex_1", "personal_status_sex_2"], isMutable: false)
///     .Build();
/// </code>
/// </example>
public sealed class ActionSetBuilder
{
    private readonly FeatureInfo[] _features;
    private readonly FeatureAction[] _actions;
    private readonly bool[] _maximumChangeSet;
    private readonly List<(string Name, string[] Members, string[]? Labels, bool IsMutable)> _groups = [];
    private readonly List<LinearActionConstraint> _constraints = [];
    private readonly double _maximumChange;

    internal ActionSetBuilder(IReadOnlyList<FeatureInfo> features, double maximumChange)
    {
        Contracts.CheckValue(features, nameof(features));
        Contracts.CheckParam(features.Count > 0, nameof(features), "An action set needs at least one feature.");
        CheckMaximumChange(maximumChange, nameof(maximumChange));
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (int j = 0; j < features.Count; j++)
        {
            var f = features[j];
            Contracts.CheckParam(f is not null, nameof(features), $"Feature {j} is null.");
            Contracts.CheckParam(names.Add(f.Name), nameof(features), $"Feature name '{f.Name}' appears more than once.");
            Contracts.CheckParam(double.IsFinite(f.Scale) && f.Scale > 0 && double.IsFinite(f.Mean), nameof(features),
                FormattableString.Invariant($"Feature '{f.Name}' needs a finite mean and a finite scale > 0; got mean {f.Mean}, scale {f.Scale}."));
        }
        _features = features.ToArray();
        _maximumChange = maximumChange;
        _actions = _features.Select(f => new FeatureAction { Actionability = f.Actionability, MaximumChange = maximumChange }).ToArray();
        _maximumChangeSet = new bool[_features.Length];
    }

    internal ActionSetBuilder(ActionSet source)
        : this(source.Features, source.MaximumChange)
    {
        for (int j = 0; j < _actions.Length; j++)
            _actions[j] = source.Actions[j];
        for (int j = 0; j < _maximumChangeSet.Length; j++)
            _maximumChangeSet[j] = source.HasOwnMaximumChange[j];
        foreach (var g in source.OneHotGroups)
            _groups.Add((g.Name, g.FeatureIndices.Select(i => _features[i].Name).ToArray(), g.CategoryLabels.ToArray(), g.IsMutable));
        _constraints.AddRange(source.LinearConstraints);
    }

    /// <summary>Sets the direction in which a feature may move.</summary>
    /// <param name="featureName">The feature name.</param>
    /// <param name="actionability">The allowed direction.</param>
    public ActionSetBuilder SetActionability(string featureName, FeatureActionability actionability)
    {
        int j = IndexOf(featureName);
        Contracts.CheckParam(Enum.IsDefined(actionability), nameof(actionability), $"Unknown actionability {actionability}.");
        _actions[j] = _actions[j] with { Actionability = actionability };
        return this;
    }

    /// <summary>Sets the largest change of one feature in standardised units (|δⱼ| ≤ value · sⱼ), overriding the set's default.</summary>
    /// <param name="featureName">The feature name.</param>
    /// <param name="maximumChange">The largest change; <see cref="double.PositiveInfinity"/> for none beyond the bounds. Range: value &gt; 0.</param>
    public ActionSetBuilder SetMaximumChange(string featureName, double maximumChange)
    {
        int j = IndexOf(featureName);
        CheckMaximumChange(maximumChange, nameof(maximumChange));
        _actions[j] = _actions[j] with { MaximumChange = maximumChange };
        _maximumChangeSet[j] = true;
        return this;
    }

    /// <summary>
    /// Sets sⱼ, the size of one standardised unit in the model's units. Leave it at 1 when the model's features are
    /// z-scored; set it to the feature's standard deviation (in model units) when they are not.
    /// </summary>
    /// <param name="featureName">The feature name.</param>
    /// <param name="standardScale">The scale sⱼ. Range: value &gt; 0.</param>
    public ActionSetBuilder SetStandardScale(string featureName, double standardScale)
    {
        int j = IndexOf(featureName);
        Contracts.CheckPositive(standardScale, nameof(standardScale));
        _actions[j] = _actions[j] with { StandardScale = standardScale };
        return this;
    }

    /// <summary>Sets the range of the resulting value xⱼ + δⱼ, in the feature's original units.</summary>
    /// <param name="featureName">The feature name.</param>
    /// <param name="lower">The lowest allowed value; <see cref="double.NegativeInfinity"/> for none.</param>
    /// <param name="upper">The highest allowed value; <see cref="double.PositiveInfinity"/> for none. Range: value ≥ <paramref name="lower"/>.</param>
    public ActionSetBuilder SetBounds(string featureName, double lower, double upper)
    {
        int j = IndexOf(featureName);
        Contracts.CheckParam(!double.IsNaN(lower) && lower != double.PositiveInfinity, nameof(lower),
            FormattableString.Invariant($"The lower bound of '{featureName}' must be a number below +∞; got {lower}."));
        Contracts.CheckParam(!double.IsNaN(upper) && upper != double.NegativeInfinity, nameof(upper),
            FormattableString.Invariant($"The upper bound of '{featureName}' must be a number above -∞; got {upper}."));
        Contracts.CheckParam(lower <= upper, nameof(lower),
            FormattableString.Invariant($"The bounds of '{featureName}' contradict each other: lower {lower} > upper {upper}."));
        _actions[j] = _actions[j] with { LowerBound = lower, UpperBound = upper };
        return this;
    }

    /// <summary>Requires the resulting value, when the feature changes, to lie on the grid <c>origin + k · step</c> (original units).</summary>
    /// <param name="featureName">The feature name.</param>
    /// <param name="step">The grid step. Range: value &gt; 0.</param>
    /// <param name="origin">A point of the grid.</param>
    public ActionSetBuilder SetGrid(string featureName, double step, double origin = 0)
    {
        int j = IndexOf(featureName);
        Contracts.CheckPositive(step, nameof(step));
        Contracts.CheckParam(double.IsFinite(origin), nameof(origin), FormattableString.Invariant($"The grid origin of '{featureName}' must be finite; got {origin}."));
        _actions[j] = _actions[j] with { GridStep = step, GridOrigin = origin };
        return this;
    }

    /// <summary>Requires the resulting value, when the feature changes, to be a whole number (original units).</summary>
    /// <param name="featureName">The feature name.</param>
    public ActionSetBuilder SetInteger(string featureName) => SetGrid(featureName, step: 1, origin: 0);

    /// <summary>Sets wⱼ, the feature's weight in the cost Σ wⱼ |δⱼ| / sⱼ.</summary>
    /// <param name="featureName">The feature name.</param>
    /// <param name="weight">The weight. Range: value ≥ 0.</param>
    public ActionSetBuilder SetCostWeight(string featureName, double weight)
    {
        int j = IndexOf(featureName);
        Contracts.CheckNonNegative(weight, nameof(weight));
        _actions[j] = _actions[j] with { CostWeight = weight };
        return this;
    }

    /// <summary>
    /// Declares a one-hot group: indicator features of which exactly one is 1. A mutable group makes every member
    /// <see cref="FeatureActionability.Free"/> (any switch allowed; restrict single members afterwards with
    /// <see cref="SetActionability"/>, e.g. <see cref="FeatureActionability.IncreaseOnly"/> = may be entered but not left);
    /// an immutable group makes every member <see cref="FeatureActionability.Immutable"/>.
    /// </summary>
    /// <param name="name">The name of the encoded variable, used in explanations and messages.</param>
    /// <param name="memberNames">The indicator features, in category order; at least two, each in no other group.</param>
    /// <param name="isMutable">Whether an action may switch the active category.</param>
    /// <param name="categoryLabels">
    /// The label of each category in explanations, or <see langword="null"/> to take each member's name without the
    /// group name and one separator (<c>personal_status_sex_2</c> → <c>2</c>).
    /// </param>
    public ActionSetBuilder AddOneHotGroup(string name, IReadOnlyList<string> memberNames, bool isMutable = true, IReadOnlyList<string>? categoryLabels = null)
    {
        Contracts.CheckValue(name, nameof(name));
        Contracts.CheckValue(memberNames, nameof(memberNames));
        Contracts.CheckParam(memberNames.Count >= 2, nameof(memberNames), $"One-hot group '{name}' needs at least two members; got {memberNames.Count}.");
        Contracts.CheckParam(categoryLabels is null || categoryLabels.Count == memberNames.Count, nameof(categoryLabels),
            $"One-hot group '{name}' has {memberNames.Count} members but {categoryLabels?.Count} labels.");
        Contracts.CheckParam(_groups.All(g => g.Name != name), nameof(name), $"One-hot group '{name}' is declared twice.");
        var indices = memberNames.Select(IndexOf).ToArray();
        Contracts.CheckParam(indices.Distinct().Count() == indices.Length, nameof(memberNames), $"One-hot group '{name}' lists a feature twice.");
        foreach (var g in _groups)
        {
            string? shared = g.Members.FirstOrDefault(memberNames.Contains);
            Contracts.CheckParam(shared is null, nameof(memberNames), $"Feature '{shared}' is in one-hot groups '{g.Name}' and '{name}'.");
        }
        foreach (int j in indices)
            _actions[j] = _actions[j] with { Actionability = isMutable ? FeatureActionability.Free : FeatureActionability.Immutable };
        _groups.Add((name, memberNames.ToArray(), categoryLabels?.ToArray(), isMutable));
        return this;
    }

    /// <summary>Adds a general linear constraint <c>A·Δ + B·x + b ≥ 0</c> in original units (see <see cref="LinearActionConstraint"/>).</summary>
    /// <param name="constraint">The constraint.</param>
    public ActionSetBuilder AddLinearConstraint(LinearActionConstraint constraint)
    {
        Contracts.CheckValue(constraint, nameof(constraint));
        Contracts.CheckValue(constraint.Name, nameof(constraint));
        Contracts.CheckValue(constraint.ChangeCoefficients, nameof(constraint));
        Contracts.CheckParam(constraint.ChangeCoefficients.Count > 0, nameof(constraint), $"Constraint '{constraint.Name}' has no change coefficients.");
        Contracts.CheckParam(double.IsFinite(constraint.Constant), nameof(constraint), $"Constraint '{constraint.Name}' has a constant that is not finite.");
        foreach (var (feature, coefficient) in constraint.ChangeCoefficients.Concat(constraint.ValueCoefficients ?? new Dictionary<string, double>()))
        {
            IndexOf(feature);
            Contracts.CheckParam(double.IsFinite(coefficient), nameof(constraint),
                FormattableString.Invariant($"Constraint '{constraint.Name}' has coefficient {coefficient} for '{feature}'; coefficients must be finite."));
        }
        _constraints.Add(constraint);
        return this;
    }

    /// <summary>Adds a general linear constraint <c>A·Δ + B·x + b ≥ 0</c> in original units (see <see cref="LinearActionConstraint"/>).</summary>
    /// <param name="name">A name used in error messages.</param>
    /// <param name="changeCoefficients">The coefficients of the changes, by feature name.</param>
    /// <param name="valueCoefficients">The coefficients of the current values, by feature name, or <see langword="null"/>.</param>
    /// <param name="constant">The constant term.</param>
    public ActionSetBuilder AddLinearConstraint(string name, IReadOnlyDictionary<string, double> changeCoefficients,
        IReadOnlyDictionary<string, double>? valueCoefficients = null, double constant = 0)
        => AddLinearConstraint(new LinearActionConstraint(name, changeCoefficients, valueCoefficients, constant));

    /// <summary>Creates the immutable action set; checks that no bound, grid or maximum change was set on a one-hot member.</summary>
    public ActionSet Build()
    {
        var groups = new List<OneHotGroup>(_groups.Count);
        foreach (var (name, members, labels, isMutable) in _groups)
        {
            var indices = members.Select(IndexOf).ToArray();
            foreach (int j in indices)
            {
                var a = _actions[j];
                Contracts.CheckParam(a.HasGrid == false && double.IsNegativeInfinity(a.LowerBound) && double.IsPositiveInfinity(a.UpperBound) && !_maximumChangeSet[j],
                    "featureName", $"Feature '{_features[j].Name}' is in one-hot group '{name}'; its indicator moves by 0 or ±1, so bounds, grids and maximum changes do not apply.");
            }
            groups.Add(new OneHotGroup(name, indices, labels ?? members.Select(m => CategoryLabel(name, m)).ToArray(), isMutable));
        }
        return new ActionSet(_features, _maximumChange, _actions.ToArray(), (bool[])_maximumChangeSet.Clone(), groups.ToArray(), _constraints.ToArray());
    }

    private int IndexOf(string featureName)
    {
        Contracts.CheckValue(featureName, nameof(featureName));
        int j = Array.FindIndex(_features, f => f.Name == featureName);
        if (j < 0)
            throw new ArgumentOutOfRangeException(nameof(featureName), $"Unknown feature '{featureName}'. Known features: {string.Join(", ", _features.Select(f => f.Name))}.");
        return j;
    }

    private static void CheckMaximumChange(double maximumChange, string paramName)
        => Contracts.CheckParam(maximumChange > 0, paramName,
            FormattableString.Invariant($"The maximum change must be > 0 (or +∞); got {maximumChange}."));

    private static string CategoryLabel(string groupName, string memberName)
        => memberName.Length > groupName.Length + 1 && memberName.StartsWith(groupName, StringComparison.Ordinal)
           && "_-=:.".Contains(memberName[groupName.Length])
            ? memberName[(groupName.Length + 1)..]
            : memberName;
}
