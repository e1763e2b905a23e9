namespace Microsoft.ML.Recourse.Persuasion;

/// <summary>
/// One action a decision subject may take: it moves the features by <see cref="Effect"/> (Δ(a)), costs the subject
/// <see cref="Cost"/> (c(a)) and is worth <see cref="DecisionMakerUtility"/> (u_DM(a)) to the decision maker.
/// </summary>
/// <remarks>
/// The "do nothing" action has zero cost and zero effect; every problem needs one, because a subject can always
/// decline to act. Actions of a problem given by explicit regions carry no effect (an empty list).
/// </remarks>
public sealed class PersuasionAction
{
    /// <summary>Creates an action.</summary>
    /// <param name="name">A short unique name, e.g. <c>pay-down-debt</c>.</param>
    /// <param name="cost">The subject's cost c(a), in units of the value of acceptance. Range: c(a) ≥ 0.</param>
    /// <param name="decisionMakerUtility">The decision maker's utility u_DM(a) when the subject takes the action. Range: finite.</param>
    /// <param name="effect">
    /// The feature change Δ(a), one value per feature (in the model's units), or <see langword="null"/> when the
    /// problem is given by explicit regions.
    /// </param>
    public PersuasionAction(string name, double cost, double decisionMakerUtility, IReadOnlyList<double>? effect = null)
    {
        Contracts.CheckValue(name, nameof(name));
        Contracts.CheckParam(name.Trim().Length > 0, nameof(name), "An action needs a non-empty name.");
        Contracts.CheckParam(double.IsFinite(cost) && cost >= 0, nameof(cost),
            FormattableString.Invariant($"Action '{name}': the cost must be a finite value ≥ 0; got {cost}."));
        Contracts.CheckParam(double.IsFinite(decisionMakerUtility), nameof(decisionMakerUtility),
            FormattableString.Invariant($"Action '{name}': the decision maker's utility must be finite; got {decisionMakerUtility}."));
        var delta = effect?.ToArray() ?? [];
        for (int j = 0; j < delta.Length; j++)
            Contracts.CheckParam(double.IsFinite(delta[j]), nameof(effect),
                FormattableString.Invariant($"Action '{name}': effect {j} is not finite ({delta[j]})."));
        Name = name;
        Cost = cost;
        DecisionMakerUtility = decisionMakerUtility;
        Effect = delta;
    }

    /// <summary>Gets the action's name.</summary>
    public string Name { get; }

    /// <summary>Gets the subject's cost c(a).</summary>
    public double Cost { get; }

    /// <summary>Gets the decision maker's utility u_DM(a).</summary>
    public double DecisionMakerUtility { get; }

    /// <summary>Gets the feature change Δ(a); empty when the problem is given by explicit regions.</summary>
    public IReadOnlyList<double> Effect { get; }

    /// <summary>Gets whether this is a "do nothing" action: zero cost and zero effect.</summary>
    public bool IsDoNothing => Cost == 0 && Effect.All(e => e == 0);

    /// <inheritdoc/>
    public override string ToString() => Name;
}
