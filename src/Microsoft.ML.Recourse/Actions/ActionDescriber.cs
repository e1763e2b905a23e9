using Microsoft.ML.Data;

namespace Microsoft.ML.Recourse.Actions;

/// <summary>What one step of an action does to a feature or one-hot group.</summary>
public enum ActionStepKind
{
    /// <summary>A feature's value goes up.</summary>
    Raise,

    /// <summary>A feature's value goes down.</summary>
    Lower,

    /// <summary>A one-hot group switches its active category.</summary>
    Switch,
}

/// <summary>One step of an action in original units, e.g. "raise education-num from 13 to 14.4".</summary>
/// <param name="Kind">What the step does.</param>
/// <param name="Target">The feature's display name, or the one-hot group's name.</param>
/// <param name="From">The current value (formatted in original units) or category label.</param>
/// <param name="To">The new value (formatted in original units) or category label.</param>
public sealed record ActionStep(ActionStepKind Kind, string Target, string From, string To)
{
    /// <summary>Gets the step as a sentence fragment, e.g. <c>lower amount from 2500 to 1800</c>.</summary>
    public string Sentence => $"{Kind switch { ActionStepKind.Raise => "raise", ActionStepKind.Lower => "lower", _ => "switch" }} {Target} from {From} to {To}";

    /// <inheritdoc/>
    public override string ToString() => Sentence;
}

/// <summary>A change δ described in plain language: one step per changed feature or switched one-hot group, in feature order.</summary>
public sealed class RecourseExplanation
{
    internal RecourseExplanation(IReadOnlyList<ActionStep> steps) => Steps = steps;

    /// <summary>Gets the steps, in the order of the features (a group at the position of its first indicator).</summary>
    public IReadOnlyList<ActionStep> Steps { get; }

    /// <summary>Gets whether the change leaves every feature as it is.</summary>
    public bool IsEmpty => Steps.Count == 0;

    /// <summary>Returns the steps joined by "; ", or <c>no change</c>.</summary>
    public override string ToString() => IsEmpty ? "no change" : string.Join("; ", Steps.Select(s => s.Sentence));
}

/// <summary>
/// Turns a row x and a change δ (model units) into plain-language steps in original units, using each feature's
/// <see cref="FeatureInfo.DisplayName"/>, <see cref="FeatureInfo.ToOriginal"/> and <see cref="FeatureInfo.Format"/>
/// (integer features are shown as whole numbers when the value is whole). Unchanged features are skipped.
/// </summary>
public static class ActionDescriber
{
    /// <summary>The smallest |δⱼ| (model units) reported as a change.</summary>
    public const double DefaultMinimumChange = 1e-9;

    /// <summary>Describes a change, rendering each one-hot group of <paramref name="actionSet"/> as one switch between category labels.</summary>
    /// <param name="actionSet">The action set that holds the features and one-hot groups.</param>
    /// <param name="x">The row in model units.</param>
    /// <param name="delta">The change in model units; x + δ must keep every one-hot group a valid one-hot vector.</param>
    /// <param name="minimumChange">The smallest |δⱼ| reported as a change. Range: value ≥ 0.</param>
    public static RecourseExplanation Describe(ActionSet actionSet, ReadOnlySpan<double> x, ReadOnlySpan<double> delta, double minimumChange = DefaultMinimumChange)
    {
        Contracts.CheckValue(actionSet, nameof(actionSet));
        actionSet.CheckLength(x.Length, nameof(x));
        actionSet.CheckLength(delta.Length, nameof(delta));
        Contracts.CheckNonNegative(minimumChange, nameof(minimumChange));
        var moved = new double[x.Length];
        for (int j = 0; j < x.Length; j++)
        {
            Contracts.CheckParam(double.IsFinite(x[j]), nameof(x), FormattableString.Invariant($"Feature '{actionSet.Features[j].Name}' of the row is not finite ({x[j]})."));
            Contracts.CheckParam(double.IsFinite(delta[j]), nameof(delta), FormattableString.Invariant($"The change of feature '{actionSet.Features[j].Name}' is not finite ({delta[j]})."));
            moved[j] = x[j] + delta[j];
        }

        var steps = new List<ActionStep>();
        for (int j = 0; j < x.Length; j++)
        {
            int g = actionSet.GroupOf[j];
            if (g < 0)
            {
                // An unchanged feature is skipped even when minimumChange is 0.
                if (delta[j] == 0 || Math.Abs(delta[j]) < minimumChange)
                    continue;
                var f = actionSet.Features[j];
                steps.Add(new ActionStep(delta[j] > 0 ? ActionStepKind.Raise : ActionStepKind.Lower, f.DisplayName,
                    f.Format(f.ToOriginal(x[j])), f.Format(f.ToOriginal(moved[j]))));
                continue;
            }
            var group = actionSet.OneHotGroups[g];
            if (group.FeatureIndices[0] != j)
                continue;
            const double tolerance = 1e-6;
            int before = group.ActiveCategory(x, tolerance);
            int after = group.ActiveCategory(moved, tolerance);
            Contracts.CheckParam(before >= 0, nameof(x), $"One-hot group '{group.Name}' of the row is not a valid one-hot vector.");
            Contracts.CheckParam(after >= 0, nameof(delta), $"One-hot group '{group.Name}' after the change is not a valid one-hot vector.");
            if (before != after)
                steps.Add(new ActionStep(ActionStepKind.Switch, group.Name, group.CategoryLabels[before], group.CategoryLabels[after]));
        }
        return new RecourseExplanation(steps);
    }

    /// <summary>Describes a change feature by feature (no one-hot groups).</summary>
    /// <param name="features">The features, in the order of the <c>Features</c> vector.</param>
    /// <param name="x">The row in model units.</param>
    /// <param name="delta">The change in model units.</param>
    /// <param name="minimumChange">The smallest |δⱼ| reported as a change. Range: value ≥ 0.</param>
    public static RecourseExplanation Describe(IReadOnlyList<FeatureInfo> features, ReadOnlySpan<double> x, ReadOnlySpan<double> delta, double minimumChange = DefaultMinimumChange)
        => Describe(ActionSet.FromFeatures(features, double.PositiveInfinity), x, delta, minimumChange);
}
