using Microsoft.ML.Recourse.Optimization;

namespace Microsoft.ML.Recourse.Persuasion;

/// <summary>
/// Bayesian persuasion for algorithmic recourse (Harris et al., NeurIPS 2022), reached through
/// <see cref="RecourseCatalog.Persuasion"/>: the decision maker keeps its linear rule θ secret, commits to a
/// signalling policy, and recommends an action to the subject; the subject follows because the policy is Bayesian
/// incentive compatible (obedient).
/// </summary>
/// <remarks>
/// <list type="table">
/// <item><term>Problem</term><description>Equivalence regions of rule space (acceptance patterns with prior masses) × a finite action set.</description></item>
/// <item><term>Solver</term><description>An LP over regions × actions (OR-Tools GLOP through <see cref="LinearProgramSolver"/>).</description></item>
/// <item><term>Baselines</term><description>Full disclosure (publish θ) and no disclosure (the subject acts on the prior), both feasible points of the LP.</description></item>
/// <item><term>Ties</term><description>Broken in the decision maker's favour, in the LP and in both baselines.</description></item>
/// </list>
/// The optimal policy is never worse for the decision maker than either baseline, and never worse for the subject
/// than no disclosure. For large action sets, <see cref="ApproximateSignaling"/> gives the ε-approximate scheme.
/// </remarks>
public sealed class PersuasionCatalog
{
    private readonly RecourseEnvironment _environment;

    internal PersuasionCatalog(RecourseEnvironment environment) => _environment = environment;

    /// <summary>Default values of the catalog's parameters.</summary>
    internal static class Defaults
    {
        public const int NumberOfSamples = 10_000;
        public const double ObedienceMargin = 0;
        public const double Epsilon = 0.01;
        public const int MaximumEnumeratedActions = 16;
        public const double InteriorTolerance = 1e-9;
    }

    /// <summary>Creates a problem from explicitly given regions.</summary>
    /// <param name="actions">The actions, with costs and decision-maker utilities; one must have zero cost (do nothing) and names must be unique.</param>
    /// <param name="regions">The regions: an acceptance pattern of length <paramref name="actions"/>.Count each, distinct patterns, masses summing to 1 (within 1e-9).</param>
    public PersuasionProblem CreateProblem(IReadOnlyList<PersuasionAction> actions, IReadOnlyList<EquivalenceRegion> regions)
        => new(actions, regions, setting: null, sampleCount: 0);

    /// <summary>
    /// Creates a problem for one subject of a fitted linear model, with the Gaussian prior N(μ, σ² I) centred on the
    /// model (μ = its weights and bias); the regions are estimated from <paramref name="numberOfSamples"/> prior draws
    /// seeded from the environment.
    /// </summary>
    /// <param name="weights">The model's weights w (d values, in the units of <paramref name="subject"/>).</param>
    /// <param name="bias">The model's bias b; a subject is accepted when wᵀx + b ≥ 0.</param>
    /// <param name="subject">The subject's features x₀ (d values).</param>
    /// <param name="actions">The actions, each with an effect Δ(a) of d values; one must be "do nothing" (zero cost and effect).</param>
    /// <param name="priorVariance">The prior variance σ² of every coordinate of θ. Range: σ² &gt; 0.</param>
    /// <param name="numberOfSamples">The number N of prior draws behind the region masses. Range: N &gt; 0.</param>
    /// <param name="seed">The seed of the prior draws, or <see langword="null"/> to draw one from the context.</param>
    public PersuasionProblem CreateProblem(IReadOnlyList<double> weights, double bias, IReadOnlyList<double> subject,
        IReadOnlyList<PersuasionAction> actions, double priorVariance, int numberOfSamples = Defaults.NumberOfSamples, int? seed = null)
    {
        Contracts.CheckValue(weights, nameof(weights));
        Contracts.CheckParam(double.IsFinite(bias), nameof(bias), FormattableString.Invariant($"The bias must be finite; got {bias}."));
        var prior = DecisionRulePrior.Gaussian([.. weights, bias], priorVariance);
        return CreateProblem(new LinearPersuasionSetting(subject, actions, prior), numberOfSamples, seed);
    }

    /// <summary>Creates a problem for a linear setting with any prior; the regions are estimated from prior draws.</summary>
    /// <param name="setting">The subject, actions and prior.</param>
    /// <param name="numberOfSamples">The number N of prior draws behind the region masses. Range: N &gt; 0.</param>
    /// <param name="seed">The seed of the prior draws, or <see langword="null"/> to draw one from the context.</param>
    public PersuasionProblem CreateProblem(LinearPersuasionSetting setting, int numberOfSamples = Defaults.NumberOfSamples, int? seed = null)
    {
        Contracts.CheckValue(setting, nameof(setting));
        Contracts.CheckPositive(numberOfSamples, nameof(numberOfSamples));
        var regions = RegionEstimator.Estimate(setting, numberOfSamples, new Random(seed ?? _environment.NextSeed()));
        return new PersuasionProblem(setting.Actions, regions, setting, numberOfSamples);
    }

    /// <summary>Computes the optimal obedient signalling policy and both baselines.</summary>
    /// <param name="problem">The problem.</param>
    /// <param name="obedienceMargin">
    /// The obedience margin η: given any recommendation, following it must beat every other action by at least η in
    /// posterior expectation, which keeps the policy obedient under small errors in the region masses. With η &gt; 0
    /// the optimum may fall below a baseline that relies on ties. Range: 0 ≤ η &lt; 1.
    /// </param>
    /// <exception cref="InvalidOperationException">No policy is obedient with margin η, or the LP solver failed.</exception>
    public PersuasionResult Solve(PersuasionProblem problem, double obedienceMargin = Defaults.ObedienceMargin)
    {
        Contracts.CheckValue(problem, nameof(problem));
        Contracts.CheckParam(double.IsFinite(obedienceMargin) && obedienceMargin >= 0 && obedienceMargin < 1, nameof(obedienceMargin),
            FormattableString.Invariant($"The obedience margin must lie in [0, 1); got {obedienceMargin}."));
        var result = SignalingProgram.Solve(problem, obedienceMargin);
        _environment.Log(nameof(PersuasionCatalog), FormattableString.Invariant(
            $"Solved the signalling LP: {result.RegionCount} regions × {problem.Actions.Count} actions, {result.SolverIterations} iterations."));
        return result;
    }

    /// <summary>
    /// Draws the recommendation for a realised rule θ from a solved policy (with a seed drawn from the environment).
    /// When θ's acceptance pattern is not one of the policy's regions, the no-information action a* is recommended.
    /// </summary>
    /// <param name="result">A result whose problem was built from a <see cref="LinearPersuasionSetting"/>.</param>
    /// <param name="rule">The realised rule: d weights followed by the intercept.</param>
    public PersuasionRecommendation Recommend(PersuasionResult result, IReadOnlyList<double> rule)
    {
        Contracts.CheckValue(result, nameof(result));
        Contracts.CheckValue(rule, nameof(rule));
        var setting = result.Problem.Setting;
        Contracts.CheckParam(setting is not null, nameof(result),
            "The problem was given by explicit regions; pass the realised acceptance pattern instead of a rule.");
        return Recommend(result, setting.AcceptancePattern(rule));
    }

    /// <summary>Draws the recommendation for a realised acceptance pattern s(θ) from a solved policy (with a seed drawn from the environment).</summary>
    /// <param name="result">The solved problem.</param>
    /// <param name="acceptancePattern">For each action, whether it leads to acceptance under the realised rule.</param>
    public PersuasionRecommendation Recommend(PersuasionResult result, IReadOnlyList<bool> acceptancePattern)
    {
        Contracts.CheckValue(result, nameof(result));
        Contracts.CheckValue(acceptancePattern, nameof(acceptancePattern));
        var actions = result.Problem.Actions;
        Contracts.CheckParam(acceptancePattern.Count == actions.Count, nameof(acceptancePattern),
            FormattableString.Invariant($"The pattern has {acceptancePattern.Count} entries; there are {actions.Count} actions."));
        int region = result.Policy.FindRegion(acceptancePattern);
        IReadOnlyList<double> probabilities = region >= 0
            ? result.Policy.GetProbabilities(region)
            : Enumerable.Range(0, actions.Count).Select(a => a == result.NoDisclosureActionIndex ? 1.0 : 0.0).ToArray();
        int action = Draw(probabilities, new Random(_environment.NextSeed()));
        return new PersuasionRecommendation(action, actions[action], probabilities, IsRegionKnown: region >= 0);
    }

    /// <summary>
    /// Creates the ε-approximate signalling scheme of Dughmi &amp; Xu (Harris et al., Algorithm 1), which solves one
    /// empirical LP of at most K blocks per realised rule, however many regions the prior spans.
    /// </summary>
    /// <param name="setting">The subject, actions and prior.</param>
    /// <param name="epsilon">The obedience relaxation ε (utilities are in units of the value of acceptance). Range: 0 ≤ ε &lt; 1.</param>
    /// <param name="numberOfSamples">The number K of samples per recommendation, the realised rule included. Range: K &gt; 0.</param>
    public ApproximateSignalingScheme ApproximateSignaling(LinearPersuasionSetting setting, double epsilon = Defaults.Epsilon,
        int numberOfSamples = Defaults.NumberOfSamples)
    {
        Contracts.CheckValue(setting, nameof(setting));
        Contracts.CheckParam(double.IsFinite(epsilon) && epsilon >= 0 && epsilon < 1, nameof(epsilon),
            FormattableString.Invariant($"ε must lie in [0, 1); got {epsilon}."));
        Contracts.CheckPositive(numberOfSamples, nameof(numberOfSamples));
        return new ApproximateSignalingScheme(setting, epsilon, numberOfSamples, _environment.NextSeed());
    }

    /// <summary>
    /// Decides exactly whether a region has an interior, with the LP max t subject to (2 s_a − 1) θᵀx̃(a) ≥ t for every
    /// action a, −1 ≤ θ ≤ 1 and 0 ≤ t ≤ 1: the open cone is non-empty iff t* &gt; 0 (regions are cones, so bounding θ
    /// loses nothing). Regions without interior have zero mass under a Gaussian prior.
    /// </summary>
    /// <param name="setting">The subject and actions (the prior is not used).</param>
    /// <param name="acceptancePattern">The pattern s to test, one entry per action.</param>
    /// <exception cref="InvalidOperationException">The LP solver failed.</exception>
    public bool IsRegionNonEmpty(LinearPersuasionSetting setting, IReadOnlyList<bool> acceptancePattern)
    {
        Contracts.CheckValue(setting, nameof(setting));
        Contracts.CheckValue(acceptancePattern, nameof(acceptancePattern));
        int n = setting.Actions.Count, dim = setting.Prior.Dimension;
        Contracts.CheckParam(acceptancePattern.Count == n, nameof(acceptancePattern),
            FormattableString.Invariant($"The pattern has {acceptancePattern.Count} entries; there are {n} actions."));
        var points = setting.AugmentedPoints;
        var rows = new LinearConstraint[n];
        for (int a = 0; a < n; a++)
        {
            double sign = acceptancePattern[a] ? 1 : -1;
            var coefficients = new double[dim + 1];
            for (int j = 0; j < dim; j++) coefficients[j] = sign * points[a * dim + j];
            coefficients[dim] = -1;
            rows[a] = new LinearConstraint(Enumerable.Range(0, dim + 1).ToArray(), coefficients, 0, double.PositiveInfinity);
        }
        var objective = new double[dim + 1];
        objective[dim] = 1;
        var lower = Enumerable.Repeat(-1.0, dim + 1).ToArray();
        lower[dim] = 0;
        var program = new LinearProgram(objective, lower, Enumerable.Repeat(1.0, dim + 1).ToArray(), rows, sense: ObjectiveSense.Maximize);
        var result = LinearProgramSolver.Solve(program);
        Contracts.Check(result.IsOptimal, FormattableString.Invariant($"The region LP ended with status {result.Status}. {result.Message}"));
        return result.ObjectiveValue > Defaults.InteriorTolerance;
    }

    /// <summary>
    /// Lists every acceptance pattern whose region has an interior (2ⁿ feasibility LPs), for small action sets.
    /// </summary>
    /// <param name="setting">The subject and actions. Range: at most 16 actions.</param>
    public IReadOnlyList<IReadOnlyList<bool>> EnumerateRegions(LinearPersuasionSetting setting)
    {
        Contracts.CheckValue(setting, nameof(setting));
        int n = setting.Actions.Count;
        Contracts.CheckParam(n <= Defaults.MaximumEnumeratedActions, nameof(setting),
            FormattableString.Invariant($"Exact enumeration tests 2^n patterns; it is limited to {Defaults.MaximumEnumeratedActions} actions, got {n}. Estimate regions by sampling instead."));
        var found = new List<IReadOnlyList<bool>>();
        for (int mask = 0; mask < 1 << n; mask++)
        {
            var pattern = Enumerable.Range(0, n).Select(a => (mask >> a & 1) != 0).ToArray();
            if (IsRegionNonEmpty(setting, pattern)) found.Add(pattern);
        }
        return found;
    }

    internal static int Draw(IReadOnlyList<double> probabilities, Random random)
    {
        double u = random.NextDouble(), cumulative = 0;
        int last = 0;
        for (int a = 0; a < probabilities.Count; a++)
        {
            if (probabilities[a] <= 0) continue;
            last = a;
            cumulative += probabilities[a];
            if (u < cumulative) return a;
        }
        return last;
    }
}
