namespace Microsoft.ML.Recourse.Persuasion;

/// <summary>
/// An equivalence region R_s = {θ : s(θ) = s}: the rules under which exactly the actions flagged in
/// <see cref="AcceptancePattern"/> lead to acceptance, with its prior mass π_s. Inside a region every action's
/// utility to both sides is constant, so an optimal signalling policy needs only one recommendation distribution per
/// region.
/// </summary>
public sealed class EquivalenceRegion
{
    /// <summary>Creates a region.</summary>
    /// <param name="acceptancePattern">For each action (in the problem's order), whether it leads to acceptance.</param>
    /// <param name="mass">The prior mass π_s of the region. Range: 0 ≤ π_s ≤ 1.</param>
    public EquivalenceRegion(IReadOnlyList<bool> acceptancePattern, double mass)
    {
        Contracts.CheckValue(acceptancePattern, nameof(acceptancePattern));
        Contracts.CheckParam(double.IsFinite(mass) && mass >= 0 && mass <= 1, nameof(mass),
            FormattableString.Invariant($"A region's mass must lie in [0, 1]; got {mass}."));
        AcceptancePattern = acceptancePattern.ToArray();
        Mass = mass;
    }

    /// <summary>Gets, for each action, whether it leads to acceptance in this region.</summary>
    public IReadOnlyList<bool> AcceptancePattern { get; }

    /// <summary>Gets the prior mass π_s.</summary>
    public double Mass { get; }

    /// <summary>Gets the pattern as a string of 0/1, one character per action (e.g. <c>011</c>).</summary>
    public string PatternText => string.Concat(AcceptancePattern.Select(b => b ? '1' : '0'));

    /// <inheritdoc/>
    public override string ToString() => FormattableString.Invariant($"({PatternText}) mass {Mass}");
}
