namespace Microsoft.ML.Recourse.MultiAgent;

/// <summary>
/// Multi-agent algorithmic recourse (O'Brien &amp; Kim 2022) on structural causal models, reached through
/// <see cref="RecourseCatalog.MultiAgent"/>: define the SCM and the agents, choose problems, and recommend for one
/// principal in one situation or in a batch; analyse play logs of normal-form games; and evaluate causal recourse
/// (Karimi et al.) for fitted scorers.
/// </summary>
public sealed class MultiAgentCatalog
{
    private readonly RecourseEnvironment _environment;

    internal MultiAgentCatalog(RecourseEnvironment environment) => _environment = environment;

    /// <summary>Starts a structural causal model; add variables, then call <see cref="StructuralCausalModelBuilder.Build"/>.</summary>
    public StructuralCausalModelBuilder CreateCausalModel() => new();

    /// <summary>Joins a causal model and the agents whose outcomes are read off it.</summary>
    /// <param name="causalModel">The joint SCM; every variable's agent must be among <paramref name="agents"/> (or null).</param>
    /// <param name="agents">The agents, each with its outcome model.</param>
    public MultiAgentSystem CreateSystem(StructuralCausalModel causalModel, params Agent[] agents) => new(causalModel, agents);

    /// <summary>Creates a <see cref="MultiAgentRecommender"/> for a principal, its feasible actions and the problems to solve.</summary>
    /// <param name="system">The system.</param>
    /// <param name="principal">The name of the agent who asks for recourse.</param>
    /// <param name="actions">The principal's feasible actions; only its own actionable variables.</param>
    /// <param name="problems">The problems, e.g. <see cref="RecourseProblem.Standard"/>.</param>
    public MultiAgentRecommender Recommender(MultiAgentSystem system, string principal, ActionSpace actions, IReadOnlyList<RecourseProblem> problems)
        => new(system, principal, actions, problems, new MultiAgentRecommender.Options());

    /// <summary>Creates a <see cref="MultiAgentRecommender"/> with advanced options, which choose the solver and the tolerance.</summary>
    /// <param name="system">The system.</param>
    /// <param name="principal">The name of the agent who asks for recourse.</param>
    /// <param name="actions">The principal's feasible actions; only its own actionable variables.</param>
    /// <param name="problems">The problems.</param>
    /// <param name="options">The options.</param>
    public MultiAgentRecommender Recommender(MultiAgentSystem system, string principal, ActionSpace actions, IReadOnlyList<RecourseProblem> problems,
        MultiAgentRecommender.Options options)
        => new(system, principal, actions, problems, options);

    /// <summary>Recommends the principal's minimum-cost action for one problem in one situation.</summary>
    /// <param name="system">The system.</param>
    /// <param name="principal">The name of the agent who asks for recourse.</param>
    /// <param name="actions">The principal's feasible actions.</param>
    /// <param name="problem">The problem.</param>
    /// <param name="factualState">The factual joint state, one value per variable.</param>
    public MultiAgentRecommendation Recommend(MultiAgentSystem system, string principal, ActionSpace actions, RecourseProblem problem, ReadOnlySpan<double> factualState)
        => Recommender(system, principal, actions, [problem]).Recommend(factualState)[0];

    /// <summary>
    /// Reads the games named by <paramref name="idOrPath"/>: a built-in id (<c>pd</c>, <c>dalbo-pd1</c>, <c>dalbo-pd2</c>)
    /// or a JSON file (see <see cref="NormalFormGame.Load"/>).
    /// </summary>
    /// <param name="idOrPath">A built-in id or a path.</param>
    /// <exception cref="ArgumentOutOfRangeException">It is neither a built-in id nor an existing file.</exception>
    public IReadOnlyList<NormalFormGame> Games(string idOrPath)
    {
        Contracts.CheckValue(idOrPath, nameof(idOrPath));
        var builtIn = NormalFormGame.BuiltIn.FirstOrDefault(g => string.Equals(g.Name, idOrPath, StringComparison.OrdinalIgnoreCase));
        if (builtIn is not null) return [builtIn];
        Contracts.CheckParam(File.Exists(idOrPath), nameof(idOrPath),
            $"'{idOrPath}' is neither a built-in game ({string.Join(", ", NormalFormGame.BuiltIn.Select(g => g.Name))}) nor an existing JSON file.");
        return NormalFormGame.Load(idOrPath);
    }

    /// <summary>
    /// A synthetic play log with fixed counts of the principal's moves; the other player's moves and the games are
    /// drawn with a seed from the environment (see <see cref="GamePlayLog.Synthesize"/>).
    /// </summary>
    /// <param name="games">The games.</param>
    /// <param name="principalMoveCounts">How many plays have the principal choose each move.</param>
    public GamePlayLog SynthesizePlays(IReadOnlyList<NormalFormGame> games, IReadOnlyList<int> principalMoveCounts)
        => GamePlayLog.Synthesize(games, principalMoveCounts, _environment.NextSeed());

    /// <summary>
    /// Treats every play as a situation with the game's first player as principal, whose feasible actions are its
    /// other moves, and counts per problem the recommendations and how they change each payoff and their sum.
    /// </summary>
    /// <param name="plays">The play log.</param>
    /// <param name="problems">The problems; <see langword="null"/> for <see cref="RecourseProblem.Standard"/>.</param>
    public GamePlayAnalysis AnalyzePlays(GamePlayLog plays, IReadOnlyList<RecourseProblem>? problems = null)
    {
        Contracts.CheckValue(plays, nameof(plays));
        return GamePlayAnalysis.Run(plays, problems ?? RecourseProblem.Standard, new MultiAgentRecommender.Options());
    }

    /// <summary>
    /// Fits the German credit causal model (see <see cref="GermanCreditCausalModel"/>) on the whole of
    /// <c>german/german.csv</c>, z-scored with the file's mean and sample standard deviation.
    /// </summary>
    /// <param name="dataDirectory">The data folder, or <see langword="null"/> to search (see <see cref="Datasets.DataDirectory"/>).</param>
    public GermanCreditCausalModel LoadGermanCreditCausalModel(string? dataDirectory = null) => GermanCreditCausalModel.Load(dataDirectory);

    /// <summary>Fits the German credit causal model on rows given in model units.</summary>
    /// <param name="features">Row-major rows × 7 values in the order of <see cref="GermanCreditCausalModel.FeatureNames"/>.</param>
    public GermanCreditCausalModel FitGermanCreditCausalModel(ReadOnlySpan<double> features) => GermanCreditCausalModel.Fit(features);

    /// <summary>
    /// Computes, for each (λ, scorer, threshold), the causal recourse-neg rate on the test rows: the share of rows with
    /// g(x) &lt; θ for which an intervention on the actionable variables with |θ_i − x_i| ≤ δ_max, respecting their
    /// directions and propagated to descendants with the row's abducted noise, reaches g(x^SCF) ≥ θ.
    /// </summary>
    /// <param name="causalModel">The SCM; its variables are the scorers' features, in order.</param>
    /// <param name="models">The models.</param>
    /// <param name="testFeatures">Row-major rows × d test rows in model units.</param>
    /// <param name="maximumChange">δ_max. Range: &gt; 0.</param>
    /// <param name="gridStep">The grid step of intervention values. Range: 0 &lt; value ≤ δ_max.</param>
    public IReadOnlyList<CausalRecourseRate> CausalRecourseRates(StructuralCausalModel causalModel, IReadOnlyList<CausalRecourseModel> models,
        ReadOnlySpan<double> testFeatures, double maximumChange = CausalRecourseOptions.Defaults.MaximumChange, double gridStep = CausalRecourseOptions.Defaults.GridStep)
        => CausalRecourse.Rates(causalModel, models, testFeatures, new CausalRecourseOptions { MaximumChange = maximumChange, GridStep = gridStep });

    /// <summary>Computes the causal recourse-neg rates with advanced options.</summary>
    /// <param name="causalModel">The SCM; its variables are the scorers' features, in order.</param>
    /// <param name="models">The models.</param>
    /// <param name="testFeatures">Row-major rows × d test rows in model units.</param>
    /// <param name="options">The options.</param>
    public IReadOnlyList<CausalRecourseRate> CausalRecourseRates(StructuralCausalModel causalModel, IReadOnlyList<CausalRecourseModel> models,
        ReadOnlySpan<double> testFeatures, CausalRecourseOptions options)
        => CausalRecourse.Rates(causalModel, models, testFeatures, options);
}
