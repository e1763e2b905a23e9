namespace Microsoft.ML.Recourse.MultiAgent;

/// <summary>
/// The validity constraints of a multi-agent recourse problem (O'Brien &amp; Kim 2022). Δ_j is agent j's outcome change
/// h_j(x^SCF) − h_j(x^F) and ΔSW = Σ_j Δ_j the change in social welfare. Combine flags freely.
/// </summary>
[Flags]
public enum RecourseConstraints
{
    /// <summary>No constraint.</summary>
    None = 0,

    /// <summary>The principal strictly improves: Δ_p &gt; 0.</summary>
    PrincipalImproves = 1,

    /// <summary>The principal's outcome reaches the threshold: h_p(x^SCF) ≥ t (Karimi et al.'s score form).</summary>
    PrincipalReachesThreshold = 2,

    /// <summary>Social welfare strictly rises: ΔSW &gt; 0.</summary>
    WelfareImproves = 4,

    /// <summary>Social welfare does not fall: ΔSW ≥ 0.</summary>
    WelfareNotWorse = 8,

    /// <summary>No other agent loses: Δ_o ≥ 0 for every o ≠ p (Pareto).</summary>
    OthersNotWorse = 16,
}

/// <summary>
/// A multi-agent recourse problem: minimise the principal's action cost subject to a set of
/// <see cref="RecourseConstraints"/>. The four problems of the paper are <see cref="SingleAgent"/>,
/// <see cref="SocialWelfare"/>, <see cref="Pareto"/> and <see cref="WelfareOnly"/>.
/// </summary>
public sealed class RecourseProblem
{
    private const RecourseConstraints StrictConstraints =
        RecourseConstraints.PrincipalImproves | RecourseConstraints.PrincipalReachesThreshold | RecourseConstraints.WelfareImproves;

    /// <summary>Creates a problem.</summary>
    /// <param name="name">A short name used in reports and JSON output.</param>
    /// <param name="constraints">The constraints. At least one of <see cref="RecourseConstraints.PrincipalImproves"/>,
    /// <see cref="RecourseConstraints.PrincipalReachesThreshold"/> or <see cref="RecourseConstraints.WelfareImproves"/> is
    /// required; otherwise doing nothing would always be valid.</param>
    /// <param name="principalThreshold">The threshold t of <see cref="RecourseConstraints.PrincipalReachesThreshold"/>; NaN otherwise.</param>
    public RecourseProblem(string name, RecourseConstraints constraints, double principalThreshold = double.NaN)
    {
        Contracts.CheckParam(!string.IsNullOrWhiteSpace(name), nameof(name), "A problem needs a name.");
        Contracts.CheckParam((constraints & ~(StrictConstraints | RecourseConstraints.WelfareNotWorse | RecourseConstraints.OthersNotWorse)) == 0,
            nameof(constraints), $"Unknown constraint flags {constraints}.");
        Contracts.CheckParam((constraints & StrictConstraints) != 0, nameof(constraints),
            "A problem needs PrincipalImproves, PrincipalReachesThreshold or WelfareImproves; with weak constraints only, doing nothing is always valid.");
        bool needsThreshold = constraints.HasFlag(RecourseConstraints.PrincipalReachesThreshold);
        Contracts.CheckParam(needsThreshold ? double.IsFinite(principalThreshold) : double.IsNaN(principalThreshold), nameof(principalThreshold),
            needsThreshold ? $"PrincipalReachesThreshold needs a finite threshold; got {principalThreshold}."
                           : "A threshold is given but the constraints do not include PrincipalReachesThreshold.");
        Name = name;
        Constraints = constraints;
        PrincipalThreshold = principalThreshold;
    }

    /// <summary>Gets the problem's name.</summary>
    public string Name { get; }

    /// <summary>Gets the constraints.</summary>
    public RecourseConstraints Constraints { get; }

    /// <summary>Gets the threshold t of <see cref="RecourseConstraints.PrincipalReachesThreshold"/>, or NaN.</summary>
    public double PrincipalThreshold { get; }

    /// <summary>(P1) Single-agent recourse: the principal improves; other agents are ignored.</summary>
    public static RecourseProblem SingleAgent { get; } = new("singleAgent", RecourseConstraints.PrincipalImproves);

    /// <summary>(P2) Social-welfare-efficient recourse: the principal improves and social welfare rises.</summary>
    public static RecourseProblem SocialWelfare { get; } =
        new("socialWelfare", RecourseConstraints.PrincipalImproves | RecourseConstraints.WelfareImproves);

    /// <summary>(P3) Pareto-efficient recourse: the principal improves and no other agent loses.</summary>
    public static RecourseProblem Pareto { get; } =
        new("pareto", RecourseConstraints.PrincipalImproves | RecourseConstraints.OthersNotWorse);

    /// <summary>Welfare-only recourse: social welfare rises, whatever happens to the principal.</summary>
    public static RecourseProblem WelfareOnly { get; } = new("welfareOnly", RecourseConstraints.WelfareImproves);

    /// <summary>Gets the paper's four problems, in the order single-agent, social welfare, Pareto, welfare-only.</summary>
    public static IReadOnlyList<RecourseProblem> Standard { get; } = [SingleAgent, SocialWelfare, Pareto, WelfareOnly];

    /// <summary>Karimi et al.'s single-agent score form: h_p(x^SCF) ≥ <paramref name="threshold"/>.</summary>
    /// <param name="threshold">The threshold t.</param>
    public static RecourseProblem Threshold(double threshold)
        => new("threshold", RecourseConstraints.PrincipalReachesThreshold, threshold);

    /// <summary>
    /// The constraints of this problem that fail for the given changes. Strict inequalities need a margin of more than
    /// <paramref name="tolerance"/>; weak ones accept a shortfall of up to <paramref name="tolerance"/>.
    /// </summary>
    internal RecourseConstraints Violations(ReadOnlySpan<double> outcomeChanges, int principal, double principalOutcome, double tolerance)
    {
        var violated = RecourseConstraints.None;
        double welfare = 0;
        foreach (double d in outcomeChanges) welfare += d;
        if (Constraints.HasFlag(RecourseConstraints.PrincipalImproves) && !(outcomeChanges[principal] > tolerance))
            violated |= RecourseConstraints.PrincipalImproves;
        if (Constraints.HasFlag(RecourseConstraints.PrincipalReachesThreshold) && !(principalOutcome >= PrincipalThreshold - tolerance))
            violated |= RecourseConstraints.PrincipalReachesThreshold;
        if (Constraints.HasFlag(RecourseConstraints.WelfareImproves) && !(welfare > tolerance))
            violated |= RecourseConstraints.WelfareImproves;
        if (Constraints.HasFlag(RecourseConstraints.WelfareNotWorse) && !(welfare >= -tolerance))
            violated |= RecourseConstraints.WelfareNotWorse;
        if (Constraints.HasFlag(RecourseConstraints.OthersNotWorse))
            for (int j = 0; j < outcomeChanges.Length; j++)
                if (j != principal && !(outcomeChanges[j] >= -tolerance)) { violated |= RecourseConstraints.OthersNotWorse; break; }
        return violated;
    }

    /// <inheritdoc/>
    public override string ToString() => Name;
}
