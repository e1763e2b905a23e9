namespace Microsoft.ML.Recourse.Persuasion;

/// <summary>Both sides' expected utilities under one way of sharing information.</summary>
/// <param name="DecisionMakerUtility">The decision maker's expected utility E[u_DM(a)] over rules and recommendations.</param>
/// <param name="SubjectUtility">The subject's expected utility E[1{θᵀx̃(a) ≥ 0} − c(a)].</param>
public sealed record PersuasionOutcome(double DecisionMakerUtility, double SubjectUtility);

/// <summary>
/// A signalling policy constant on each equivalence region: for region k, the probability p(a | k) of recommending
/// each action a.
/// </summary>
public sealed class SignalingPolicy
{
    private readonly double[][] _probabilities;
    private readonly Dictionary<string, int> _regionByPattern;

    internal SignalingPolicy(IReadOnlyList<EquivalenceRegion> regions, double[][] probabilities)
    {
        Regions = regions;
        _probabilities = probabilities;
        _regionByPattern = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int k = 0; k < regions.Count; k++) _regionByPattern[regions[k].PatternText] = k;
    }

    /// <summary>Gets the regions the policy is defined on.</summary>
    public IReadOnlyList<EquivalenceRegion> Regions { get; }

    /// <summary>Gets the recommendation probabilities p(· | k) of region <paramref name="regionIndex"/>, one per action.</summary>
    /// <param name="regionIndex">The region's index in <see cref="Regions"/>.</param>
    public IReadOnlyList<double> GetProbabilities(int regionIndex)
    {
        Contracts.CheckParam(regionIndex >= 0 && regionIndex < _probabilities.Length, nameof(regionIndex),
            FormattableString.Invariant($"Region index {regionIndex} is outside 0..{_probabilities.Length - 1}."));
        return _probabilities[regionIndex];
    }

    /// <summary>Finds the region with the given acceptance pattern; −1 when the pattern was never seen.</summary>
    /// <param name="acceptancePattern">For each action, whether it leads to acceptance.</param>
    public int FindRegion(IReadOnlyList<bool> acceptancePattern)
    {
        Contracts.CheckValue(acceptancePattern, nameof(acceptancePattern));
        return _regionByPattern.TryGetValue(string.Concat(acceptancePattern.Select(b => b ? '1' : '0')), out int k) ? k : -1;
    }
}

/// <summary>
/// The optimal Bayesian-incentive-compatible signalling policy of a <see cref="PersuasionProblem"/>, with the two
/// baselines it is compared against: full disclosure (the rule is published) and no disclosure (the subject acts on
/// the prior alone).
/// </summary>
public sealed class PersuasionResult
{
    internal PersuasionResult(PersuasionProblem problem, SignalingPolicy policy, double obedienceMargin,
        PersuasionOutcome persuasion, PersuasionOutcome fullDisclosure, PersuasionOutcome noDisclosure,
        int noDisclosureActionIndex, int solverIterations)
    {
        Problem = problem;
        Policy = policy;
        ObedienceMargin = obedienceMargin;
        Persuasion = persuasion;
        FullDisclosure = fullDisclosure;
        NoDisclosure = noDisclosure;
        NoDisclosureActionIndex = noDisclosureActionIndex;
        SolverIterations = solverIterations;
    }

    /// <summary>Gets the problem that was solved.</summary>
    public PersuasionProblem Problem { get; }

    /// <summary>Gets the optimal policy.</summary>
    public SignalingPolicy Policy { get; }

    /// <summary>Gets the obedience margin η the policy was solved with.</summary>
    public double ObedienceMargin { get; }

    /// <summary>Gets the expected utilities under the optimal policy (the decision maker's is the LP optimum).</summary>
    public PersuasionOutcome Persuasion { get; }

    /// <summary>Gets the expected utilities when the rule is published and the subject best-responds to it.</summary>
    public PersuasionOutcome FullDisclosure { get; }

    /// <summary>Gets the expected utilities when nothing is revealed and the subject best-responds to the prior.</summary>
    public PersuasionOutcome NoDisclosure { get; }

    /// <summary>Gets the index of the action a subject takes without information (a*, ties in the decision maker's favour).</summary>
    public int NoDisclosureActionIndex { get; }

    /// <summary>Gets the number of equivalence regions (LP blocks).</summary>
    public int RegionCount => Policy.Regions.Count;

    /// <summary>Gets the simplex iterations reported by the LP solver.</summary>
    public int SolverIterations { get; }
}

/// <summary>A recommendation drawn from a signalling policy for one realised rule.</summary>
/// <param name="ActionIndex">The index of the recommended action.</param>
/// <param name="Action">The recommended action.</param>
/// <param name="Probabilities">The distribution it was drawn from, one probability per action.</param>
/// <param name="IsRegionKnown">
/// Whether the rule's acceptance pattern is one of the policy's regions; when it is not (a pattern never sampled),
/// the no-information action a* is recommended with certainty.
/// </param>
public sealed record PersuasionRecommendation(int ActionIndex, PersuasionAction Action, IReadOnlyList<double> Probabilities, bool IsRegionKnown);
