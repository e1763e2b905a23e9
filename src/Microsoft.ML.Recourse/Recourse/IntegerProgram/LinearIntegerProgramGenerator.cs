using System.Globalization;
using System.Runtime.ExceptionServices;
using Microsoft.ML.Recourse.Actions;
using Microsoft.ML.Recourse.Models;
using Microsoft.ML.Recourse.Optimization;
using Microsoft.ML.Recourse.Optimization.OrTools;

using System.Text.Json.Nodes;
using Microsoft.ML.Recourse.Persistence;

namespace Microsoft.ML.Recourse;

/// <summary>How <see cref="LinearIntegerProgramGenerator"/> turns the model into the linear score of its integer program.</summary>
public enum LinearSurrogate
{
    /// <summary>
    /// The first-order Taylor expansion g(x) + ∇ₓg(x)ᵀa ≥ θ₀ (needs an <see cref="IDifferentiableScorer"/>). For a
    /// <see cref="LogisticRegressionModelParameters"/> model the exact linear logit wᵀ(x + a) + b ≥ logit θ₀ is used instead.
    /// </summary>
    InputGradient,

    /// <summary>
    /// A LIME-style local logistic surrogate fitted to the model's probabilities on seeded perturbations around x; works
    /// for any black-box <see cref="IScorer"/>.
    /// </summary>
    Lime,
}

/// <summary>The cost an integer program minimises (Ustun, Spangher &amp; Liu 2019).</summary>
public enum RecourseCostFunction
{
    /// <summary>Σⱼ wⱼ |aⱼ| / sⱼ: L1 in standardised units with the action set's weights (<see cref="ActionSet.Cost"/>).</summary>
    L1,

    /// <summary>Σⱼ |Qⱼ(xⱼ + aⱼ) − Qⱼ(xⱼ)|, Qⱼ the empirical CDF of feature j in a reference population.</summary>
    TotalPercentileShift,

    /// <summary>maxⱼ |Qⱼ(xⱼ + aⱼ) − Qⱼ(xⱼ)|, ties broken by the total shift (min c_max + ε Σⱼ cⱼ).</summary>
    MaximumPercentileShift,
}

/// <summary>Which exact method solves the integer program.</summary>
public enum IntegerProgramSolver
{
    /// <summary>The managed multiple-choice knapsack solver when the action set has no general linear constraints, the mixed-integer program otherwise.</summary>
    Automatic,

    /// <summary>The managed exact multiple-choice knapsack solver (dominance lists with LP bounds); rejects action sets with general linear constraints.</summary>
    MultipleChoiceKnapsack,

    /// <summary>The mixed-integer program, solved by OR-Tools (<see cref="Optimization.LinearProgramSolver"/>), for every row.</summary>
    MixedIntegerProgram,
}

/// <summary>
/// The actionable-recourse integer program of Ustun, Spangher &amp; Liu (2019): the least-cost action on finite
/// per-feature grids that makes a linear score of the model reach the threshold; <see cref="IRecourseGenerator.Name"/>
/// is <c>linearIp</c>. Create it with
/// <see cref="LinearIntegerProgramCatalog.LinearIntegerProgram(RecourseGenerators, LinearSurrogate, RecourseCostFunction, int, IReadOnlyList{double})"/>.
/// </summary>
/// <remarks>
/// <list type="table">
/// <listheader><term>Characteristic</term><description>Value</description></listheader>
/// <item><term>Models</term><description><see cref="IDifferentiableScorer"/> (input gradient; exact for logistic regression), any <see cref="IScorer"/> with <see cref="LinearSurrogate.Lime"/></description></item>
/// <item><term>Action sets</term><description>all: boxes, directions, grids, one-hot groups (choice sets), general linear constraints (mixed-integer program)</description></item>
/// <item><term>Solver dependency</term><description>none beyond the Google.OrTools package (used with general linear constraints)</description></item>
/// <item><term>Parallel</term><description>rows in parallel</description></item>
/// </list>
/// <para>
/// <b>Linear score.</b> Around each row x the model is replaced by a linear score s(x + a) = s₀ + cᵀa (see
/// <see cref="LinearSurrogate"/>), and the program asks for s(x + a) ≥ target. The answer is checked on the real model:
/// <see cref="RecourseResult.IsValid"/> is false when the linearisation promised a flip the non-linear model does not make.
/// </para>
/// <para>
/// <b>Action grids.</b> From Δ(x) (<see cref="ActionSet.Compile"/>), each movable feature outside a one-hot group
/// gets its declared grid inside its box (thinned by whole steps to about <see cref="Options.GridPointsPerFeature"/>
/// points when denser), or else <see cref="Options.GridPointsPerFeature"/> evenly spaced points over its box; 0 is
/// always a choice. Immutable features keep 0. A one-hot group is one choice set: stay, or switch the active
/// category to one the group may enter. General linear constraints of the action set are rows over the chosen values.
/// </para>
/// <para>
/// <b>Solving.</b> Without general rows the program is a multiple-choice knapsack, solved exactly in managed code by
/// dominance lists with LP-relaxation bounds (for the max cost: the least feasible c_max by binary search, then the
/// total); with general rows, by the mixed-integer program (OR-Tools). When even the best choice of every block cannot reach the target, the row
/// gets <see cref="RecourseStatus.Infeasible"/> and a message "no action in Δ can flip this model …": a certificate
/// for the linear score over the grids, not a search failure.
/// </para>
/// <para>
/// <b>Flipsets.</b> <see cref="GenerateFlipset"/> lists up to k least-cost actions with distinct sets of changed
/// features ("distinct subsets" no-good cuts), in increasing cost.
/// </para>
/// </remarks>
public sealed class LinearIntegerProgramGenerator : IRecourseGenerator, IPersistedGenerator
{
    // Stored under one kind; the robust variant is the same generator with a robustness radius.
    internal const string GeneratorName = "linearIp";

    private readonly Options _options;
    private readonly int _seed;
    private readonly ILinearProgramSolver _programSolver;
    private readonly object _percentileLock = new();
    private PercentileTable? _percentiles;

    internal LinearIntegerProgramGenerator(RecourseEnvironment environment, Options options)
    {
        Contracts.CheckValue(environment, nameof(environment));
        Contracts.CheckValue(options, nameof(options));
        options.Check();
        _options = options;
        _seed = options.Seed ?? environment.NextSeed();
        // CP-SAT is fast on the plain programs but stalled on ROAR's robust ones (its integer scaling of the real-valued
        // robust row, we think): seconds per row on sba against SCIP's tenths (docs/solvers.md).
        var engine = options.SolverEngine == MixedIntegerEngine.Automatic && options.RobustnessRadius > 0 ? MixedIntegerEngine.Scip : options.SolverEngine;
        _programSolver = LinearProgramSolver.Create(options.SolverMaximumSeconds, options.SolverNumberOfWorkers, engine);
    }

    JsonObject IPersistedGenerator.Save() => GeneratorOptionsJson.Save(GeneratorName, StoredOptions);

    [PersistedKind(PersistedFamily.Generator, GeneratorName, 1)]
    internal static IRecourseGenerator Load(JsonObject data, int version, RecourseEnvironment environment)
        => new LinearIntegerProgramGenerator(environment, GeneratorOptionsJson.Read<Options>(data));

    /// <inheritdoc/>
    public string Name => _options.RobustnessRadius > 0 ? "robustIp" : "linearIp";

    /// <summary>Gets ρ, the radius of the parameter shifts ‖Δθ‖∞ ≤ ρ the answer must withstand; 0 for the plain program.</summary>
    public double RobustnessRadius => _options.RobustnessRadius;

    /// <summary>Gets the surrogate of the model (input gradient or LIME).</summary>
    public LinearSurrogate Surrogate => _options.Surrogate;

    /// <summary>Gets the cost function.</summary>
    public RecourseCostFunction Cost => _options.Cost;

    /// <summary>Gets the exact method used.</summary>
    public IntegerProgramSolver Solver => _options.Solver;

    /// <summary>Gets the number of points of an evenly spaced action grid.</summary>
    public int GridPointsPerFeature => _options.GridPointsPerFeature;

    /// <summary>The options with the seed in use, as a model file stores them (see RecourseGeneratorDescriptors).</summary>
    internal Options StoredOptions => new()
    {
        Surrogate = _options.Surrogate,
        Cost = _options.Cost,
        GridPointsPerFeature = _options.GridPointsPerFeature,
        ReferencePopulation = _options.ReferencePopulation,
        Solver = _options.Solver,
        LimeSampleCount = _options.LimeSampleCount,
        LimeKernelWidth = _options.LimeKernelWidth,
        Seed = _seed,
        RobustnessRadius = _options.RobustnessRadius,
        SolverMaximumSeconds = _options.SolverMaximumSeconds,
        SolverNumberOfWorkers = _options.SolverNumberOfWorkers,
        SolverEngine = _options.SolverEngine,
    };

    /// <inheritdoc/>
    /// <exception cref="ArgumentOutOfRangeException">
    /// Bad arguments; a non-differentiable model with <see cref="LinearSurrogate.InputGradient"/>; a feature without a
    /// finite box; a reference population whose length is not a multiple of the feature count.
    /// </exception>
    public IReadOnlyList<RecourseResult> Generate(IScorer model, double threshold, ActionSet actionSet, ReadOnlyMemory<double> rows,
        CancellationToken cancellationToken = default)
    {
        RecourseGate.CheckArguments(model, threshold, actionSet, rows);
        var costs = CostsFor(actionSet);
        CheckModelAndSolver(model, actionSet);
        int d = model.FeatureCount;
        int count = rows.Length / d;
        var scores = new double[count];
        var linear = LinearScoresFor(model, threshold, rows.Span, scores, count);

        var results = new RecourseResult[count];
        var errors = new Exception?[count];
        Parallel.For(0, count, new ParallelOptions { CancellationToken = cancellationToken }, i =>
        {
            try
            {
                var x = rows.Span.Slice(i * d, d);
                var polytope = PerturbationPolytope.Create(actionSet, x, rowIndex: i);
                var score = RobustScore(linear?[i] ?? LocalLogisticSurrogate.Fit(model, polytope, threshold, _options.LimeSampleCount, _options.LimeKernelWidth, new RandomSource(_seed, i)), x);
                if (score is null)
                {
                    results[i] = RecourseGate.None(scores[i], RecourseStatus.NotFound, Invariant($"Row {i}: the model is saturated at this row (g = {scores[i]}), so its logit cannot be linearised for the robust score."));
                    return;
                }
                var problem = ActionGridBuilder.Build(polytope, score.Coefficients, score.RequiredGain, costs, _options.GridPointsPerFeature, i, _options.RobustnessRadius);
                var (choice, status, message) = Solve(problem, score, threshold, [], i, cancellationToken);
                results[i] = choice is null
                    ? RecourseGate.None(scores[i], status, message)
                    : RecourseGate.Accept(Name, i, model, threshold, actionSet, x, problem.Delta(choice), scores[i], status, message);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                errors[i] = e;
            }
        });
        // The first failing row decides, so the error does not depend on thread scheduling; it is rethrown unwrapped.
        if (Array.Find(errors, e => e is not null) is Exception error)
            ExceptionDispatchInfo.Throw(error);
        return results;
    }

    /// <summary>
    /// Lists up to <paramref name="count"/> least-cost actions for one row whose sets of changed features are all
    /// different ("distinct subsets": each new solve forbids the change sets found so far), in increasing cost. The list
    /// ends early when no further change set reaches the target (<see cref="Flipset.IsExhausted"/>).
    /// </summary>
    /// <param name="model">The fitted scorer g.</param>
    /// <param name="threshold">The decision threshold θ₀. Range: 0 &lt; θ₀ &lt; 1.</param>
    /// <param name="actionSet">The allowed actions Δ; its feature count must equal the model's.</param>
    /// <param name="row">The row x in the model's units.</param>
    /// <param name="count">The largest number of items k. Range: value ≥ 1.</param>
    /// <param name="cancellationToken">Stops the solves between items.</param>
    /// <returns>The flipset; every item's action has passed the Δ gate and is scored on the real model.</returns>
    public Flipset GenerateFlipset(IScorer model, double threshold, ActionSet actionSet, ReadOnlySpan<double> row, int count,
        CancellationToken cancellationToken = default)
    {
        var rowCopy = row.ToArray();
        RecourseGate.CheckArguments(model, threshold, actionSet, rowCopy);
        Contracts.CheckParam(row.Length == model.FeatureCount, nameof(row), $"Expected {model.FeatureCount} feature values, one per feature of the model; got {row.Length}.");
        Contracts.CheckPositive(count, nameof(count));
        var costs = CostsFor(actionSet);
        CheckModelAndSolver(model, actionSet);
        var scores = new double[1];
        var polytope = PerturbationPolytope.Create(actionSet, rowCopy, rowIndex: 0);
        var score = RobustScore(LinearScoresFor(model, threshold, rowCopy, scores, 1)?[0]
            ?? LocalLogisticSurrogate.Fit(model, polytope, threshold, _options.LimeSampleCount, _options.LimeKernelWidth, new RandomSource(_seed, 0)), rowCopy)
            ?? throw new ArgumentOutOfRangeException(nameof(row), Invariant($"The model is saturated at this row (g = {scores[0]}), so its logit cannot be linearised for the robust score."));
        var problem = ActionGridBuilder.Build(polytope, score.Coefficients, score.RequiredGain, costs, _options.GridPointsPerFeature, 0, _options.RobustnessRadius);

        var items = new List<FlipsetItem>();
        var forbidden = new List<bool[]>();
        while (items.Count < count)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var (choice, status, message) = Solve(problem, score, threshold, forbidden, 0, cancellationToken);
            if (choice is null)
            {
                return items.Count == 0
                    ? new Flipset(rowCopy, items, status, isExhausted: status == RecourseStatus.Infeasible, message)
                    : new Flipset(rowCopy, items, RecourseStatus.Found, isExhausted: status == RecourseStatus.Infeasible,
                        status == RecourseStatus.Infeasible ? "recovered all minimum-cost items: no further set of changed features reaches the target" : message);
            }
            var delta = problem.Delta(choice);
            var result = RecourseGate.Accept(Name, 0, model, threshold, actionSet, rowCopy, delta, scores[0], status, message);
            var support = ActionGridProblem.Support(choice);
            var changed = problem.Items.Where((_, b) => support[b]).Select(item => item.Name).ToArray();
            var explanation = result.Delta is null ? null : actionSet.Describe(rowCopy, delta);
            items.Add(new FlipsetItem(result, ObjectiveOf(problem, choice), changed, explanation));
            forbidden.Add(support);
        }
        return new Flipset(rowCopy, items, RecourseStatus.Found, isExhausted: false, null);
    }

    /// <summary>Solves one row's program (knapsack or mixed-integer program) and words the outcome.</summary>
    private (int[]? Choice, RecourseStatus Status, string? Message) Solve(ActionGridProblem problem, LinearScore score, double threshold,
        IReadOnlyList<bool[]> forbidden, int rowIndex, CancellationToken cancellationToken)
    {
        if (!problem.MeetsScore(problem.MaximumGain))
            return (null, RecourseStatus.Infeasible, Invariant($"no action in Δ can flip this model ({score.Basis}): best reachable score {score.ProbabilityAfter(problem.MaximumGain):G6} < {threshold:G6}"));
        bool useMixedIntegerProgram = _options.Solver == IntegerProgramSolver.MixedIntegerProgram
            || (_options.Solver == IntegerProgramSolver.Automatic && problem.GeneralRows.Count > 0);
        if (!useMixedIntegerProgram)
        {
            var solution = MultipleChoiceKnapsack.Solve(problem, forbidden);
            if (solution.Choice is null)
                return (null, RecourseStatus.Infeasible, Invariant($"no action in Δ can flip this model ({score.Basis}): every set of changed features that reaches the target has been listed"));
            return solution.HitStateLimit
                ? (solution.Choice, RecourseStatus.Limit, Invariant($"the search stopped at its limit of {MultipleChoiceKnapsack.DefaultStateLimit} partial solutions the search; the best action found is returned"))
                : (solution.Choice, RecourseStatus.Found, Invariant($"optimal on the action grids ({ObjectiveText(problem, solution.Choice)}; {score.Basis})"));
        }

        var result = _programSolver.Solve(problem.ToIntegerProgram(forbidden), cancellationToken);
        switch (result.Status)
        {
            case LinearProgramStatus.Optimal:
                var choice = problem.ChoiceFromSolution(result.Solution);
                return (choice, RecourseStatus.Found, Invariant($"optimal on the action grids by the mixed-integer program ({ObjectiveText(problem, choice)}; {score.Basis})"));
            case LinearProgramStatus.Infeasible:
                return (null, RecourseStatus.Infeasible, Invariant($"no action in Δ can flip this model ({score.Basis}): the mixed-integer solver proved the integer program over the action grids infeasible{(forbidden.Count > 0 ? " with the change sets already listed excluded" : "")}"));
            case LinearProgramStatus.Limit when result.Solution.Count > 0:
                return (problem.ChoiceFromSolution(result.Solution), RecourseStatus.Limit, "The mixed-integer solver stopped on a limit; the best action found is returned. " + result.Message);
            case LinearProgramStatus.Limit:
                return (null, RecourseStatus.Limit, "The mixed-integer solver stopped on a limit before finding an action. " + result.Message);
            default:
                throw new InvalidOperationException($"The mixed-integer solver failed on the integer program of row {rowIndex} ({result.Status}): {result.Message}");
        }
    }

    /// <summary>The score of the program: the linear score itself, or with a robustness radius its worst-case logit.</summary>
    private LinearScore? RobustScore(LinearScore score, ReadOnlySpan<double> x)
        => _options.RobustnessRadius > 0 ? score.Robust(x, _options.RobustnessRadius) : score;

    private static double ObjectiveOf(ActionGridProblem problem, int[] choice) => problem.Objective(choice).Primary;

    private string ObjectiveText(ActionGridProblem problem, int[] choice)
    {
        var (primary, tie) = problem.Objective(choice);
        return _options.Cost switch
        {
            RecourseCostFunction.L1 => Invariant($"L1 cost {primary:G6}"),
            RecourseCostFunction.TotalPercentileShift => Invariant($"total percentile shift {primary:G6}"),
            _ => Invariant($"max percentile shift {primary:G6}, total {tie:G6}"),
        };
    }

    private void CheckModelAndSolver(IScorer model, ActionSet actionSet)
    {
        if (_options.Solver == IntegerProgramSolver.MultipleChoiceKnapsack && actionSet.LinearConstraints.Count > 0)
            throw new ArgumentOutOfRangeException(nameof(Options.Solver),
                $"Solver = MultipleChoiceKnapsack does not handle general linear constraints, and the action set has {actionSet.LinearConstraints.Count} (first: '{actionSet.LinearConstraints[0].Name}'); use Automatic or MixedIntegerProgram.");
        if (_options.Surrogate == LinearSurrogate.InputGradient && model is not IDifferentiableScorer)
            throw new ArgumentOutOfRangeException(nameof(model),
                $"The linear integer program with Surrogate = InputGradient needs an {nameof(IDifferentiableScorer)}; {model.GetType().Name} is a black box. Use Surrogate = Lime for black-box scorers.");
    }

    /// <summary>The linear scores of all rows for the gradient path (batched), or null for LIME (fitted per row); fills g(x).</summary>
    private LinearScore[]? LinearScoresFor(IScorer model, double threshold, ReadOnlySpan<double> rows, double[] scores, int count)
    {
        int d = model.FeatureCount;
        if (_options.Surrogate == LinearSurrogate.Lime)
        {
            model.ScoreBatch(rows, scores);
            return null;
        }
        var linear = new LinearScore[count];
        if (model is LogisticRegressionModelParameters logistic)
        {
            var logits = new double[count];
            logistic.ScoreLogitBatch(rows, logits);
            for (int i = 0; i < count; i++)
            {
                scores[i] = ScorerModelParameters.Sigmoid(logits[i]);
                linear[i] = LinearScore.Exact(logistic, logits[i], threshold);
            }
            return linear;
        }
        var gradients = new double[rows.Length];
        ((IDifferentiableScorer)model).ScoreAndInputGradientBatch(rows, scores, gradients);
        for (int i = 0; i < count; i++)
            linear[i] = LinearScore.FromGradient(gradients.AsSpan(i * d, d), scores[i], threshold);
        return linear;
    }

    private ActionGridCosts CostsFor(ActionSet actionSet)
    {
        if (_options.Cost == RecourseCostFunction.L1)
            return new ActionGridCosts(actionSet, _options.Cost, null);
        lock (_percentileLock)
        {
            if (_percentiles is null || _percentiles.FeatureCount != actionSet.FeatureCount)
                _percentiles = PercentileTable.Create(_options.ReferencePopulation!, actionSet.FeatureCount, nameof(Options.ReferencePopulation));
            return new ActionGridCosts(actionSet, _options.Cost, _percentiles);
        }
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    /// <summary>Options of <see cref="LinearIntegerProgramGenerator"/>.</summary>
    public sealed class Options
    {
        /// <summary>Gets how the model becomes a linear score.</summary>
        public LinearSurrogate Surrogate { get; init; } = Defaults.Surrogate;

        /// <summary>Gets the cost function; the percentile costs need <see cref="ReferencePopulation"/>.</summary>
        public RecourseCostFunction Cost { get; init; } = Defaults.Cost;

        /// <summary>
        /// Gets the number of points of an evenly spaced action grid over a feature's box (0 is added when it is not
        /// among them), and the most points kept of a declared grid. Range: value ≥ 2.
        /// </summary>
        public int GridPointsPerFeature { get; init; } = Defaults.GridPointsPerFeature;

        /// <summary>
        /// Gets the reference population whose empirical CDFs Qⱼ price the percentile costs, e.g. the training set:
        /// rows × d values, row-major, in the model's units; <see langword="null"/> when the cost is <see cref="RecourseCostFunction.L1"/>.
        /// </summary>
        public IReadOnlyList<double>? ReferencePopulation { get; init; }

        /// <summary>Gets the exact method: the managed knapsack solver, the mixed-integer program, or the first where it applies.</summary>
        public IntegerProgramSolver Solver { get; init; } = Defaults.Solver;

        /// <summary>Gets the number of perturbed samples of the LIME surrogate (LIME's default 5000). Range: value ≥ 10.</summary>
        public int LimeSampleCount { get; init; } = Defaults.LimeSampleCount;

        /// <summary>
        /// Gets the width w of the LIME kernel exp(−‖ε‖²/(2w²)) in standardised units, or <see langword="null"/> for
        /// LIME's default 0.75·√d′ (d′ = the number of features that can move). Range: value &gt; 0.
        /// </summary>
        public double? LimeKernelWidth { get; init; }

        /// <summary>
        /// Gets the seed of the LIME perturbations (row i uses stream i, so results do not depend on thread
        /// scheduling), or <see langword="null"/> to draw one from the <see cref="MLContext"/>.
        /// </summary>
        public int? Seed { get; init; }

        /// <summary>
        /// Gets ρ: with ρ &gt; 0 the score row asks the worst-case logit over parameter shifts ‖Δθ‖∞ ≤ ρ (all weights
        /// and the intercept of the linear logit) to reach logit θ₀, ROAR's robustness as a hard constraint; the
        /// generator is then named <c>robustIp</c>. 0 gives the plain program. Range: 0 ≤ value &lt; ∞.
        /// </summary>
        public double RobustnessRadius { get; init; }

        /// <summary>
        /// Gets the time limit of each row's mixed-integer program in seconds, or <see langword="null"/> (the default)
        /// for none. A row whose program the limit stops gets <see cref="RecourseStatus.Limit"/> with the best action
        /// found, if any. The managed knapsack solver has no time limit. Range: value &gt; 0.
        /// </summary>
        public double? SolverMaximumSeconds { get; init; }

        /// <summary>
        /// Gets the search threads of each row's mixed-integer program (rows already run in parallel); 1, the default,
        /// gives the same answers run to run. Range: 1 ≤ value ≤ 64.
        /// </summary>
        public int SolverNumberOfWorkers { get; init; } = Defaults.SolverNumberOfWorkers;

        /// <summary>
        /// Gets the engine of each row's mixed-integer program. <see cref="MixedIntegerEngine.Automatic"/> (the default)
        /// gives the plain programs to CP-SAT and the robust ones (<see cref="RobustnessRadius"/> &gt; 0) to SCIP, the
        /// faster of the two on each in docs/solvers.md.
        /// </summary>
        public MixedIntegerEngine SolverEngine { get; init; } = Defaults.SolverEngine;

        internal static class Defaults
        {
            public const LinearSurrogate Surrogate = LinearSurrogate.InputGradient;
            public const RecourseCostFunction Cost = RecourseCostFunction.L1;
            public const int GridPointsPerFeature = 21;
            public const IntegerProgramSolver Solver = IntegerProgramSolver.Automatic;
            public const int LimeSampleCount = 5000;
            public const int SolverNumberOfWorkers = 1;
            public const MixedIntegerEngine SolverEngine = MixedIntegerEngine.Automatic;
        }

        internal void Check()
        {
            Contracts.CheckParam(Enum.IsDefined(Surrogate), nameof(Surrogate), $"Unknown surrogate {Surrogate}.");
            Contracts.CheckParam(Enum.IsDefined(Cost), nameof(Cost), $"Unknown cost function {Cost}.");
            Contracts.CheckParam(Enum.IsDefined(Solver), nameof(Solver), $"Unknown solver {Solver}.");
            Contracts.CheckParam(Enum.IsDefined(SolverEngine), nameof(SolverEngine), $"Unknown engine {SolverEngine}.");
            Contracts.CheckParam(GridPointsPerFeature >= 2, nameof(GridPointsPerFeature), $"Must be ≥ 2; got {GridPointsPerFeature}.");
            RobustGenerator.CheckRadius(RobustnessRadius, nameof(RobustnessRadius));
            LinearProgramSolver.CheckLimits(SolverMaximumSeconds, nameof(SolverMaximumSeconds), SolverNumberOfWorkers, nameof(SolverNumberOfWorkers));
            Contracts.CheckParam(LimeSampleCount >= 10, nameof(LimeSampleCount), $"Must be ≥ 10; got {LimeSampleCount}.");
            if (LimeKernelWidth is double width)
                Contracts.CheckPositive(width, nameof(LimeKernelWidth));
            Contracts.CheckParam(Cost == RecourseCostFunction.L1 || ReferencePopulation is { Count: > 0 }, nameof(ReferencePopulation),
                $"Cost = {Cost} prices actions by percentiles of a reference population: set ReferencePopulation to rows × d feature values (e.g. the training set's feature matrix).");
        }
    }
}
