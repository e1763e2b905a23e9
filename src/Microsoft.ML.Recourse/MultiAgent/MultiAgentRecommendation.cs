namespace Microsoft.ML.Recourse.MultiAgent;

/// <summary>What a recommendation search found.</summary>
public enum RecommendationStatus
{
    /// <summary>A minimum-cost action satisfies the problem's constraints.</summary>
    Recommended,

    /// <summary>The factual state already satisfies the constraints (only possible for threshold problems); no action is needed.</summary>
    NotNeeded,

    /// <summary>No feasible action satisfies the constraints; <see cref="MultiAgentRecommendation.Reason"/> says why.</summary>
    NoneExists,
}

/// <summary>How a recommendation was found.</summary>
public enum MultiAgentSolver
{
    /// <summary>Exact enumeration for discrete spaces and for grids with non-linear parts; the mixed-integer program for grids whose affected equations and outcomes are all linear.</summary>
    Auto,

    /// <summary>Exact enumeration of every feasible action.</summary>
    Enumeration,

    /// <summary>A mixed-integer program solved by OR-Tools (grid action spaces with linear equations and outcomes).</summary>
    MixedIntegerProgram,
}

/// <summary>A candidate action that a problem's constraints exclude.</summary>
/// <param name="Action">The action (a discrete action's name, or the intervention).</param>
/// <param name="Violated">The constraints it fails.</param>
/// <param name="OutcomeChanges">Each agent's outcome change Δ_j under the action.</param>
/// <param name="WelfareChange">The social-welfare change ΔSW.</param>
public sealed record RejectedAction(string Action, RecourseConstraints Violated, IReadOnlyList<double> OutcomeChanges, double WelfareChange);

/// <summary>
/// The answer to one recourse problem for one principal in one situation: the minimum-cost action with every
/// agent's outcome change, or the reason no action qualifies.
/// </summary>
public sealed class MultiAgentRecommendation
{
    internal MultiAgentRecommendation(RecourseProblem problem, MultiAgentSystem system, int principal, RecommendationStatus status,
        MultiAgentSolver solver, double[] factualState, double[] factualOutcomes, long candidateCount)
    {
        Problem = problem;
        System = system;
        PrincipalIndex = principal;
        Status = status;
        Solver = solver;
        FactualState = factualState;
        FactualOutcomes = factualOutcomes;
        CandidateCount = candidateCount;
    }

    /// <summary>Gets the problem.</summary>
    public RecourseProblem Problem { get; }

    /// <summary>Gets the system the recommendation was made in.</summary>
    public MultiAgentSystem System { get; }

    /// <summary>Gets the principal's name.</summary>
    public string Principal => System.Agents[PrincipalIndex].Name;

    /// <summary>Gets the principal's position among the agents.</summary>
    public int PrincipalIndex { get; }

    /// <summary>Gets what the search found.</summary>
    public RecommendationStatus Status { get; }

    /// <summary>Gets whether an action is recommended.</summary>
    public bool HasRecommendation => Status == RecommendationStatus.Recommended;

    /// <summary>Gets the method that found the answer (<see cref="MultiAgentSolver.Enumeration"/> or <see cref="MultiAgentSolver.MixedIntegerProgram"/>).</summary>
    public MultiAgentSolver Solver { get; }

    /// <summary>Gets the number of feasible candidate actions considered.</summary>
    public long CandidateCount { get; }

    /// <summary>Gets the recommended action's name (a discrete action's name, or the intervention), or <see langword="null"/>.</summary>
    public string? Action { get; internal init; }

    /// <summary>Gets the recommended intervention, or <see langword="null"/>.</summary>
    public Intervention? Intervention { get; internal init; }

    /// <summary>Gets the recommended action's cost, or NaN.</summary>
    public double Cost { get; internal init; } = double.NaN;

    /// <summary>Gets the factual state x^F.</summary>
    public IReadOnlyList<double> FactualState { get; }

    /// <summary>Gets the counterfactual state x^SCF under the recommended action (empty without one).</summary>
    public IReadOnlyList<double> CounterfactualState { get; internal init; } = [];

    /// <summary>Gets each agent's factual outcome h_j(x^F).</summary>
    public IReadOnlyList<double> FactualOutcomes { get; }

    /// <summary>Gets each agent's outcome change Δ_j = h_j(x^SCF) − h_j(x^F) under the recommended action (empty without one).</summary>
    public IReadOnlyList<double> OutcomeChanges { get; internal init; } = [];

    /// <summary>Gets the social-welfare change ΔSW = Σ_j Δ_j, or NaN without a recommendation.</summary>
    public double WelfareChange => OutcomeChanges.Count == 0 ? double.NaN : OutcomeChanges.Sum();

    /// <summary>Gets why no action is recommended, or <see langword="null"/>.</summary>
    public string? Reason { get; internal init; }

    /// <summary>Gets the candidates the constraints exclude (enumeration only; capped by the options) when none is recommended.</summary>
    public IReadOnlyList<RejectedAction> Rejections { get; internal init; } = [];

    /// <summary>Gets the outcome change of the agent called <paramref name="agent"/>, or NaN without a recommendation.</summary>
    /// <param name="agent">The agent's name.</param>
    public double OutcomeChange(string agent)
    {
        int j = System.IndexOfAgent(agent);
        return OutcomeChanges.Count == 0 ? double.NaN : OutcomeChanges[j];
    }

    /// <inheritdoc/>
    public override string ToString() => Status switch
    {
        RecommendationStatus.Recommended => FormattableString.Invariant($"{Problem}: {Action} (cost {Cost:0.####}, ΔSW {WelfareChange:0.####})"),
        RecommendationStatus.NotNeeded => $"{Problem}: no action needed",
        _ => $"{Problem}: none ({Reason})",
    };
}

/// <summary>How many recommendations raise, lower or leave unchanged one outcome.</summary>
/// <param name="Name">The agent's name, or <c>welfare</c> for the sum.</param>
/// <param name="Raised">Recommendations with a change above the tolerance.</param>
/// <param name="Lowered">Recommendations with a change below minus the tolerance.</param>
/// <param name="Unchanged">The other recommendations.</param>
public sealed record OutcomeChangeCounts(string Name, int Raised, int Lowered, int Unchanged);

/// <summary>The counts of one problem over a batch of situations.</summary>
/// <param name="Problem">The problem.</param>
/// <param name="Situations">The number of situations.</param>
/// <param name="Recommended">Situations with a recommended action.</param>
/// <param name="NotNeeded">Situations that already satisfy the constraints.</param>
/// <param name="NoneExists">Situations without a qualifying action.</param>
/// <param name="Agents">For each agent, how the recommendations change its outcome.</param>
/// <param name="Welfare">How the recommendations change social welfare.</param>
public sealed record RecommendationSummary(
    RecourseProblem Problem, int Situations, int Recommended, int NotNeeded, int NoneExists,
    IReadOnlyList<OutcomeChangeCounts> Agents, OutcomeChangeCounts Welfare);

/// <summary>
/// Recommendations for a batch of situations. Identical situations share one search, so
/// <see cref="DistinctSituations"/> searches were run for <see cref="Count"/> rows.
/// </summary>
public sealed class MultiAgentBatchResult
{
    private readonly int[] _distinctOfRow;
    private readonly MultiAgentRecommendation[][] _distinct; // [problem][distinct situation]
    private readonly double _tolerance;

    internal MultiAgentBatchResult(IReadOnlyList<RecourseProblem> problems, int[] distinctOfRow, MultiAgentRecommendation[][] distinct, double tolerance)
    {
        Problems = problems;
        _distinctOfRow = distinctOfRow;
        _distinct = distinct;
        _tolerance = tolerance;
        Summaries = Enumerable.Range(0, problems.Count).Select(Summarize).ToArray();
    }

    /// <summary>Gets the number of situations (rows).</summary>
    public int Count => _distinctOfRow.Length;

    /// <summary>Gets the number of distinct situations searched.</summary>
    public int DistinctSituations => _distinct.Length == 0 ? 0 : _distinct[0].Length;

    /// <summary>Gets the problems, in the order of <see cref="Summaries"/>.</summary>
    public IReadOnlyList<RecourseProblem> Problems { get; }

    /// <summary>Gets the counts per problem.</summary>
    public IReadOnlyList<RecommendationSummary> Summaries { get; }

    /// <summary>Gets the recommendation for one row and one problem.</summary>
    /// <param name="row">The row. Range: 0 ≤ row &lt; <see cref="Count"/>.</param>
    /// <param name="problem">The problem's position in <see cref="Problems"/>.</param>
    public MultiAgentRecommendation this[int row, int problem]
    {
        get
        {
            Contracts.CheckParam((uint)row < (uint)Count, nameof(row), $"Row {row} is outside 0..{Count - 1}.");
            Contracts.CheckParam((uint)problem < (uint)Problems.Count, nameof(problem), $"Problem {problem} is outside 0..{Problems.Count - 1}.");
            return _distinct[problem][_distinctOfRow[row]];
        }
    }

    private RecommendationSummary Summarize(int problem)
    {
        var multiplicity = new int[DistinctSituations];
        foreach (int d in _distinctOfRow) multiplicity[d]++;
        var results = _distinct[problem];
        int agents = results.Length == 0 ? 0 : results[0].System.Agents.Count;
        var raised = new int[agents + 1];
        var lowered = new int[agents + 1];
        var unchanged = new int[agents + 1];
        int recommended = 0, notNeeded = 0, none = 0;
        for (int d = 0; d < results.Length; d++)
        {
            int m = multiplicity[d];
            var r = results[d];
            switch (r.Status)
            {
                case RecommendationStatus.NotNeeded: notNeeded += m; continue;
                case RecommendationStatus.NoneExists: none += m; continue;
            }
            recommended += m;
            for (int j = 0; j <= agents; j++)
            {
                double change = j < agents ? r.OutcomeChanges[j] : r.WelfareChange;
                if (change > _tolerance) raised[j] += m;
                else if (change < -_tolerance) lowered[j] += m;
                else unchanged[j] += m;
            }
        }
        string Name(int j) => results[0].System.Agents[j].Name;
        var perAgent = Enumerable.Range(0, agents).Select(j => new OutcomeChangeCounts(Name(j), raised[j], lowered[j], unchanged[j])).ToArray();
        return new RecommendationSummary(Problems[problem], Count, recommended, notNeeded, none, perAgent,
            new OutcomeChangeCounts("welfare", raised[agents], lowered[agents], unchanged[agents]));
    }
}
