namespace Microsoft.ML.Recourse.Persuasion;

/// <summary>
/// The polynomial-time ε-approximate signalling scheme (Dughmi &amp; Xu 2016, black-box model; Harris et al. 2022,
/// Algorithm 1), run online once per realised rule: draw K − 1 rules from the prior, add the realised rule, solve
/// the empirical LP over these K samples with obedience relaxed by ε, and recommend from the realised rule's row.
/// Its size is at most K × n, whatever the number of regions, which is what makes it usable for large action sets.
/// </summary>
/// <remarks>
/// Samples with equal acceptance patterns share one LP block (the empirical LP of spec §4 with masses N_s / K), so
/// the position at which the realised rule is inserted does not matter. The ε-BIC and ε-optimality guarantees of
/// Dughmi &amp; Xu hold when K is polynomial in n / ε; K is the caller's choice here.
/// </remarks>
public sealed class ApproximateSignalingScheme
{
    private readonly Random _random;

    internal ApproximateSignalingScheme(LinearPersuasionSetting setting, double epsilon, int numberOfSamples, int seed)
    {
        Setting = setting;
        Epsilon = epsilon;
        NumberOfSamples = numberOfSamples;
        _random = new Random(seed);
    }

    /// <summary>Gets the setting (subject, actions, prior).</summary>
    public LinearPersuasionSetting Setting { get; }

    /// <summary>Gets the obedience relaxation ε.</summary>
    public double Epsilon { get; }

    /// <summary>Gets the number K of samples per recommendation, the realised rule included.</summary>
    public int NumberOfSamples { get; }

    /// <summary>Draws a recommendation for the realised rule θ.</summary>
    /// <param name="rule">The realised rule: d weights followed by the intercept.</param>
    public PersuasionRecommendation Recommend(IReadOnlyList<double> rule)
    {
        var probabilities = RecommendationProbabilities(Setting.AcceptancePattern(rule));
        int action = PersuasionCatalog.Draw(probabilities, _random);
        return new PersuasionRecommendation(action, Setting.Actions[action], probabilities, IsRegionKnown: true);
    }

    /// <summary>
    /// Estimates both sides' expected utilities when the subject follows the scheme's recommendations, averaging the
    /// recommendation distributions of <paramref name="numberOfRules"/> rules drawn from the prior.
    /// </summary>
    /// <param name="numberOfRules">The number of realised rules to average over (one LP each). Range: value &gt; 0.</param>
    public PersuasionOutcome Evaluate(int numberOfRules)
    {
        Contracts.CheckPositive(numberOfRules, nameof(numberOfRules));
        var actions = Setting.Actions;
        double dm = 0, ds = 0;
        for (int i = 0; i < numberOfRules; i++)
        {
            var pattern = Setting.AcceptancePattern(Setting.Prior.SampleRule(_random));
            var probabilities = RecommendationProbabilities(pattern);
            for (int a = 0; a < actions.Count; a++)
            {
                dm += probabilities[a] * actions[a].DecisionMakerUtility;
                ds += probabilities[a] * ((pattern[a] ? 1.0 : 0.0) - actions[a].Cost);
            }
        }
        return new PersuasionOutcome(dm / numberOfRules, ds / numberOfRules);
    }

    private double[] RecommendationProbabilities(IReadOnlyList<bool> realisedPattern)
    {
        var counts = RegionEstimator.CountPatterns(Setting, NumberOfSamples - 1, _random, out var patterns);
        int realisedIndex = patterns.FindIndex(p => p.AsSpan().SequenceEqual(realisedPattern.ToArray()));
        if (realisedIndex < 0)
        {
            realisedIndex = patterns.Count;
            patterns.Add(realisedPattern.ToArray());
            counts.Add(0);
        }
        counts[realisedIndex]++;
        var regions = patterns.Select((p, k) => new EquivalenceRegion(p, (double)counts[k] / NumberOfSamples)).ToArray();
        var (policy, _) = SignalingProgram.SolvePolicy(Setting.Actions, regions, obedienceMargin: 0, obedienceSlack: Epsilon);
        return policy[realisedIndex];
    }
}
