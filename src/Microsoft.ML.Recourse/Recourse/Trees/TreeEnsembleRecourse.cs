using System.Diagnostics;
using System.Globalization;
using Google.OrTools.Sat;
using Google.OrTools.Util;
using Microsoft.ML.Recourse.Actions;
using Microsoft.ML.Recourse.Optimization;

namespace Microsoft.ML.Recourse.Trees;

/// <summary>
/// Exact minimum-cost recourse for a tree ensemble on OR-Tools CP-SAT, with the threshold-interval encoding (the
/// constraint-programming variant of OCEAN, and Mišić's tree-ensemble optimisation): the cheapest action δ ∈ Δ(x)
/// whose counterfactual x + δ the model accepts (raw score ≥ s*), proved optimal or proved impossible, and optionally
/// the k cheapest options with different sets of changed variables.
/// </summary>
/// <remarks>
/// <para>
/// <b>Variables.</b> Per row, every feature outside the one-hot groups that some undecided split reads gets an integer
/// z ∈ {0..K}, the index of its interval over the sorted distinct thresholds θ₁ &lt; … &lt; θ_K of those splits:
/// I₀ = (−∞, θ₁], Iₖ = (θₖ, θₖ₊₁], I_K = (θ_K, ∞) (x ≤ θ goes left, so the upper end belongs to the interval). A
/// categorically split feature gets the index of its category piece. A one-hot group of the action set is one
/// categorical variable: a Boolean per category, exactly one on, and every indicator of the group reads "its
/// category is on". Every tree gets a Boolean per reachable leaf, exactly one on; a split node ties its leaves to its
/// condition (Σ left leaves ≤ [goes left], Σ right leaves ≤ [goes right], Mišić's form; an ML.NET categorical split
/// goes right when any of its one-hot slots is on).
/// </para>
/// <para>
/// <b>Actionability as domains.</b> Δ(x) (<see cref="ActionSet.Compile"/>: immutable, increase or decrease only, bounds,
/// δ_max boxes, grids, one-hot groups, general constraints on one movable feature folded into its box) gives the values
/// each variable may take; an interval is allowed when it holds an allowed value, and its value is the allowed point
/// closest to x in it (the cheapest for every cost, see <see cref="TreeRecourseCost"/>). Before the program is built, every
/// tree is walked with the allowed values narrowed along the path: a split that only one side of can be reached is
/// followed without a constraint, leaves that cannot be reached are dropped, a tree left with one leaf becomes a
/// constant, and only the thresholds of the splits left undecided partition the axes. General constraints over
/// several movable features are refused (<see cref="ArgumentOutOfRangeException"/> naming them): each variable is
/// decoded to its own cheapest point, so such a constraint cannot be encoded exactly.
/// </para>
/// <para>
/// <b>Score.</b> Σₜ Σ_ℓ Aₜ,ℓ·yₜ,ℓ ≥ R with Aₜ,ℓ = ⌊S·wₜ·vₜ,ℓ⌋ and R = ⌈S·(s* − b − constant trees + η)⌉, S a power of two
/// putting the largest |wₜ·vₜ,ℓ| near 2^30 and η = 2⁻⁵⁰·(trees + 4)·(|b| + Σₜ maxℓ|wₜ·vₜ,ℓ| + |s*|) covering the rounding of the
/// model's own double-precision sum. Rounding down the leaves and up the target is conservative: every point the
/// program accepts really scores ≥ s*. A point scoring within trees/S of s* may be missed, so a program found infeasible
/// is solved again with the leaves rounded up and the target down: only when that one is infeasible too is the row
/// reported <see cref="TreeRecourseStatus.Infeasible"/>; an accepted answer of it is the optimum.
/// </para>
/// <para>
/// <b>Cost.</b> The cost of every allowed value of a variable is a table (costs scaled to integers near 2^30 for the
/// whole program); the objective is the sum of the tables read at the chosen values, written on the same literals as the
/// splits (increments on the order encoding of a numerical variable, one coefficient per category otherwise). Every decoded point is re-scored on the
/// model, its cost recomputed from the point, and a point the model does not accept is an internal error
/// (<see cref="InvalidOperationException"/>), never a result.
/// </para>
/// <para>
/// <b>Diverse options.</b> With <see cref="Options.NumberOfOptions"/> = k &gt; 1 the program is solved again after each
/// option with a no-good cut on its set of changed variables (a feature, or a one-hot group, changes or not): the next
/// option must change a different set. Cuts on the interval vectors would instead return the same change moved to the
/// next interval (e.g. one more hour of work per week), which is not a different option for a person; cuts on the
/// changed sets give AR-style flipsets.
/// </para>
/// <para>
/// <b>Determinism.</b> One CP-SAT worker (the default) with a fixed seed gives the same answer run to run unless the time
/// limit stops the search. The instance is immutable and may be used from several threads.
/// </para>
/// </remarks>
public sealed class TreeEnsembleRecourse
{
    private const int ScoreBits = 30;
    private const int CostBits = 30;

    // OR-Tools 9.15's presolve step ProcessAtMostOneAndLinear can certify a wrong optimum on programs made of
    // exactly-one and linear rows (google/or-tools#5293, open; seen here on a 3-tree program with 2^35 leaf coefficients
    // and caught by the brute-force test). A zero inclusion work limit switches that step off and keeps the rest of presolve.
    private const string PresolveWorkaround = "presolve_inclusion_work_limit:0";

    // These programs are small (hundreds to thousands of Booleans) and solved once per row, so CP-SAT's fixed costs
    // dominate: one presolve pass without probing, no linear relaxation, and core-based lower bounds gave the lowest CPU
    // time per row among the settings tried on FastTree models of 100 and 500 trees (docs/trees.md, "CP-SAT settings").
    private const string SearchParameters = "max_presolve_iterations:1 cp_model_probing_level:0 linearization_level:0 optimize_with_core:true";

    // How many rejected leaf combinations the optimistic check cuts off before it gives up.
    private const int OptimisticRounds = 64;

    private readonly TreeEnsembleModel _model;
    private readonly Options _options;
    private readonly Action<string>? _log;
    private readonly ThresholdIntervals _intervals;
    private readonly double _modelMagnitude;

    /// <summary>Creates the exact solver for one model.</summary>
    /// <param name="model">The tree ensemble.</param>
    /// <param name="options">The options, or <see langword="null"/> for the defaults.</param>
    /// <param name="log">Receives one line per row (status, time, program size), or <see langword="null"/>.</param>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range, or the quantiles do not cover the model's features.</exception>
    public TreeEnsembleRecourse(TreeEnsembleModel model, Options? options = null, Action<string>? log = null)
    {
        _model = Contracts.CheckValue(model, nameof(model));
        _options = options ?? new Options();
        _options.Check();
        Contracts.CheckParam(_options.Quantiles is null || _options.Quantiles.FeatureCount == model.FeatureCount, nameof(options),
            $"Options.Quantiles describes {_options.Quantiles?.FeatureCount} features but the model has {model.FeatureCount}.");
        _log = log;
        _intervals = new ThresholdIntervals(model);
        double magnitude = Math.Abs(model.Bias);
        for (int t = 0; t < model.Trees.Count; t++)
            magnitude += model.Trees[t].LeafValues.Max(v => Math.Abs(model.TreeWeights[t] * v));
        _modelMagnitude = magnitude;
    }

    /// <summary>Gets the model.</summary>
    public TreeEnsembleModel Model => _model;

    /// <summary>Gets the options.</summary>
    public Options Settings => _options;

    /// <summary>Finds the cheapest actions for one row.</summary>
    /// <param name="x">The row, in the model's units; finite, each one-hot group of the action set a valid one-hot vector.</param>
    /// <param name="scoreThreshold">s*: a point is accepted when the model's raw score is ≥ s* (see <see cref="TreeEnsembleScorer.ScoreThreshold"/> and <see cref="Models.MlNetTreeEnsembles.PredictedLabelScoreThreshold"/>). Finite.</param>
    /// <param name="actionSet">Δ; its feature count must equal the model's.</param>
    /// <param name="cancellationToken">Stops the search (CP-SAT is asked to stop; the call then throws).</param>
    /// <returns>The status, the options and the bounds.</returns>
    /// <exception cref="ArgumentOutOfRangeException">Bad arguments, or a general constraint of the action set over several movable features.</exception>
    /// <exception cref="InvalidOperationException">An internal error: a decoded point the model does not accept.</exception>
    public TreeRecourseResult Solve(IReadOnlyList<double> x, double scoreThreshold, ActionSet actionSet, CancellationToken cancellationToken = default)
    {
        Contracts.CheckValue(x, nameof(x));
        Contracts.CheckValue(actionSet, nameof(actionSet));
        CheckActionSet(actionSet);
        return Solve(x.ToArray(), scoreThreshold, actionSet, rowIndex: 0, cancellationToken);
    }

    /// <summary>Checks that the action set fits the model and that its general constraints can be encoded.</summary>
    internal void CheckActionSet(ActionSet actionSet)
    {
        Contracts.CheckParam(actionSet.FeatureCount == _model.FeatureCount, nameof(actionSet),
            $"The action set describes {actionSet.FeatureCount} features but the model takes {_model.FeatureCount}.");
        TreeRecourseProgram.CheckConstraintsEncodable(actionSet, nameof(actionSet));
    }

    internal TreeRecourseResult Solve(double[] x, double scoreThreshold, ActionSet actionSet, int rowIndex, CancellationToken cancellationToken)
    {
        Contracts.CheckParam(x.Length == _model.FeatureCount, nameof(x), $"Expected {_model.FeatureCount} feature values, got {x.Length}.");
        Contracts.CheckParam(double.IsFinite(scoreThreshold), nameof(scoreThreshold), Invariant($"Must be finite; got {scoreThreshold}."));
        cancellationToken.ThrowIfCancellationRequested();
        var clock = Stopwatch.StartNew();
        var result = SolveCore(x, scoreThreshold, actionSet, rowIndex, clock, cancellationToken);
        _log?.Invoke(Invariant($"row {rowIndex}: {result.Status} in {clock.Elapsed.TotalMilliseconds:F1} ms; {result.TreesInProgram} trees and {result.LeavesInProgram} leaves in the program; {result.Message}"));
        return result;
    }

    private TreeRecourseResult SolveCore(double[] x, double threshold, ActionSet actionSet, int rowIndex, Stopwatch clock, CancellationToken cancellationToken)
    {
        double before = _model.Score(x);
        TreeRecourseResult Done(TreeRecourseStatus status, string message, IReadOnlyList<TreeRecourseOption>? options = null, double bound = double.NaN,
            double gap = double.NaN, bool exhausted = false, TreeRecourseProgram? program = null)
            => new(status, before, threshold, options ?? [], bound, gap, exhausted, clock.Elapsed.TotalSeconds,
                program?.VariableTrees.Count ?? 0, program?.VariableTrees.Sum(t => t.Leaves.Length) ?? 0, message);

        if (before >= threshold)
        {
            PerturbationPolytope.Create(actionSet, x, rowIndex);
            return Done(TreeRecourseStatus.AlreadyAccepted, Invariant($"the model already accepts the row (score {before:G6} ≥ {threshold:G6})"));
        }
        var program = TreeRecourseProgram.Compile(_model, _intervals, actionSet, _options.Cost, _options.Quantiles, x, rowIndex);
        if (program.EmptyReason is string empty)
            return Done(TreeRecourseStatus.Infeasible, empty, program: program);

        var scale = ScoreScale.Create(program, _model, threshold, _modelMagnitude);
        if (scale.BestReachable < threshold)
            return Done(TreeRecourseStatus.Infeasible, Invariant($"no action in Δ makes the model accept the row: even the best reachable leaf of every tree gives a score ≤ {scale.BestReachable:G6} < {threshold:G6}"), program: program);

        var options = new List<TreeRecourseOption>();
        var cuts = new List<bool[]>();
        double bound = double.NaN, gap = double.NaN;
        var conservative = new CpProgram(program, scale, conservative: true, _options);
        while (options.Count < _options.NumberOfOptions)
        {
            double remaining = _options.TimeLimitSeconds - clock.Elapsed.TotalSeconds;
            if (remaining <= 0)
                break;
            var outcome = conservative.Solve(remaining, _options, cancellationToken);
            if (outcome.Status == CpSolverStatus.Infeasible)
            {
                // The conservative rounding may hide points scoring within trees/S of s*: ask the optimistic program.
                // A rejected answer of it scores within the rounding below s*: its leaves are cut off and it is asked again.
                SolveOutcome check;
                double[] candidate = [];
                bool accepted = false;
                {
                    var optimistic = new CpProgram(program, scale, conservative: false, _options);
                    foreach (var cut in cuts)
                        optimistic.AddCut(cut, _options.MinimalOptions);
                    int rounds = 0;
                    while (true)
                    {
                        check = optimistic.Solve(Math.Max(_options.TimeLimitSeconds - clock.Elapsed.TotalSeconds, 0.01), _options, cancellationToken);
                        if (check.Assignment is null || rounds++ == OptimisticRounds)
                            break;
                        if (accepted = Accepts(program, check.Assignment, threshold, out candidate))
                            break;
                        optimistic.AddLeafCut(check.Leaves!);
                    }
                }
                if (check.Status == CpSolverStatus.Infeasible)
                {
                    if (options.Count > 0)
                        return Done(TreeRecourseStatus.Optimal, Invariant($"{OptimalText(options[0], program)}; no further set of changed variables reaches the threshold (proved), so {options.Count} option(s) are listed"),
                            options, bound, gap, exhausted: true, program);
                    return Done(TreeRecourseStatus.Infeasible, Invariant($"no action in Δ makes the model accept the row: CP-SAT proved the program infeasible ({program.VariableTrees.Count} trees, {program.Variables.Count} variables after pruning)"), program: program);
                }
                if (accepted)
                {
                    // The optimistic optimum is at most the true optimum; an accepted one is the optimum.
                    bool proved = check.Status == CpSolverStatus.Optimal;
                    options.Add(MakeOption(program, candidate, proved, rowIndex, threshold));
                    if (options.Count == 1)
                        (bound, gap) = proved ? (options[0].Cost, 0.0) : (double.NaN, double.NaN);
                    if (!proved)
                        break;
                    conservative.AddCut(check.Changed!, _options.MinimalOptions);
                    cuts.Add(check.Changed!);
                    continue;
                }
                string undecided = check.Assignment is null
                    ? "the time limit stopped the check of the program's infeasibility with optimistic rounding"
                    : Invariant($"more than {OptimisticRounds} leaf combinations score within the rounding of the score sum ({scale.RoundingWidth:G3}) below the threshold; neither an action nor infeasibility was proved");
                return options.Count > 0
                    ? Done(TreeRecourseStatus.Optimal, OptimalText(options[0], program) + "; listing further options stopped: " + undecided, options, bound, gap, program: program)
                    : Done(TreeRecourseStatus.Unknown, undecided, program: program);
            }
            if (outcome.Assignment is null)
                break;
            if (!Accepts(program, outcome.Assignment, threshold, out var delta))
                throw new InvalidOperationException(Invariant($"Internal error: row {rowIndex}: the decoded counterfactual scores {ScoreOf(program, delta):R} < {threshold:R}, below the threshold the program encodes."));
            bool optimal = outcome.Status == CpSolverStatus.Optimal;
            var option = MakeOption(program, delta, optimal, rowIndex, threshold);
            if (options.Count == 0)
            {
                bound = outcome.ScaledBound / conservative.CostScale + program.FixedCost;
                gap = optimal ? 0 : outcome.ScaledObjective <= 0 ? 0 : (outcome.ScaledObjective - outcome.ScaledBound) / outcome.ScaledObjective;
            }
            options.Add(option);
            if (!optimal)
                break;
            conservative.AddCut(outcome.Changed!, _options.MinimalOptions);
            cuts.Add(outcome.Changed!);
        }
        if (options.Count == 0)
            return Done(TreeRecourseStatus.Unknown, Invariant($"the time limit of {_options.TimeLimitSeconds:G6} s stopped CP-SAT before it found an action or proved there is none"), program: program);
        if (!options[0].IsProvedOptimal)
            return Done(TreeRecourseStatus.Feasible, Invariant($"the time limit of {_options.TimeLimitSeconds:G6} s stopped CP-SAT: cost {options[0].Cost:G6}, lower bound {bound:G6} (gap {100 * gap:G3} %)"),
                options, bound, gap, program: program);
        string more = options.Count < _options.NumberOfOptions ? Invariant($"; the time limit stopped the listing after {options.Count} option(s)") : "";
        return Done(TreeRecourseStatus.Optimal, OptimalText(options[0], program) + more, options, bound, gap, program: program);
    }

    private string OptimalText(TreeRecourseOption option, TreeRecourseProgram program)
        => Invariant($"optimal: cost {option.Cost:G6} ({_options.Cost}) proved by CP-SAT; {program.VariableTrees.Count} of {_model.Trees.Count} trees and {program.Variables.Count} variables in the program");

    private bool Accepts(TreeRecourseProgram program, int[] assignment, double threshold, out double[] delta)
    {
        delta = program.Decode(assignment);
        return ScoreOf(program, delta) >= threshold;
    }

    private double ScoreOf(TreeRecourseProgram program, double[] delta)
    {
        var counterfactual = new double[delta.Length];
        for (int j = 0; j < delta.Length; j++)
            counterfactual[j] = program.X[j] + delta[j];
        return _model.Score(counterfactual);
    }

    private TreeRecourseOption MakeOption(TreeRecourseProgram program, double[] delta, bool optimal, int rowIndex, double threshold)
    {
        var counterfactual = new double[delta.Length];
        for (int j = 0; j < delta.Length; j++)
            counterfactual[j] = program.X[j] + delta[j];
        double score = _model.Score(counterfactual);
        Contracts.Check(score >= threshold, Invariant($"Internal error: row {rowIndex}: the decoded counterfactual scores {score:R} < {threshold:R}."));
        var changed = Enumerable.Range(0, delta.Length).Where(j => delta[j] != 0).ToArray();
        return new TreeRecourseOption(delta, counterfactual, program.TotalCost(delta), program.L1Cost(delta), changed, score, optimal);
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    /// <summary>The integer scaling of the leaf values and the target, both roundings.</summary>
    private sealed record ScoreScale(double Scale, double Target, double Margin, double BestReachable, double RoundingWidth)
    {
        public static ScoreScale Create(TreeRecourseProgram program, TreeEnsembleModel model, double threshold, double modelMagnitude)
        {
            double maxAbs = 0, bestSum = 0;
            foreach (var (t, leaves) in program.VariableTrees)
            {
                double best = double.NegativeInfinity;
                foreach (int leaf in leaves)
                {
                    double a = model.TreeWeights[t] * model.Trees[t].LeafValues[leaf];
                    maxAbs = Math.Max(maxAbs, Math.Abs(a));
                    best = Math.Max(best, a);
                }
                bestSum += best;
            }
            double margin = Math.ScaleB(1, -50) * (model.Trees.Count + 4) * (modelMagnitude + Math.Abs(threshold));
            double target = threshold - model.Bias - program.ConstantTreeSum;
            double scale = maxAbs > 0 ? Math.ScaleB(1, ScoreBits - Math.ILogB(maxAbs) - 1) : 1;
            // An upper bound on every reachable score, rounded up by the margin.
            double bestReachable = model.Bias + program.ConstantTreeSum + bestSum + margin;
            return new ScoreScale(scale, target, margin, bestReachable, program.VariableTrees.Count / scale + 2 * margin);
        }
    }

    /// <summary>The outcome of one CP-SAT solve.</summary>
    private sealed record SolveOutcome(CpSolverStatus Status, int[]? Assignment, bool[]? Changed, double ScaledObjective, double ScaledBound, BoolVar[]? Leaves = null);

    /// <summary>
    /// A row's CP-SAT program (conservative or optimistic rounding of the score row), re-solvable with cuts. A numerical
    /// variable z ∈ {0..K} is its order encoding bⱼ ⇔ z ≥ j (b_{j+1} ⇒ bⱼ), so a split's condition is one literal and the
    /// cost table is linear in the same literals, cost(z) = cost(0) + Σⱼ (cost(j) − cost(j − 1))·bⱼ (the table an element
    /// constraint would read, written on the literals the splits use); categorical variables and groups are a Boolean per
    /// value, exactly one on, with the table as their objective coefficients.
    /// </summary>
    private sealed class CpProgram
    {
        private readonly TreeRecourseProgram _program;
        private readonly CpModel _model = new();
        private readonly ILiteral[]?[] _order;
        private readonly BoolVar?[]?[] _values;
        private readonly ILiteral[] _changed;
        private readonly List<BoolVar> _leaves = [];

        public CpProgram(TreeRecourseProgram program, ScoreScale scale, bool conservative, Options options)
        {
            _program = program;
            var variables = program.Variables;
            _order = new ILiteral[]?[variables.Count];
            _values = new BoolVar?[]?[variables.Count];
            _changed = new ILiteral[variables.Count];

            double maxCost = variables.Sum(v => v.Allowed.Max(i => v.Costs[i]));
            CostScale = maxCost > 0 ? Math.ScaleB(1, CostBits - Math.ILogB(maxCost) - 1) : 1;
            var objective = LinearExpr.NewBuilder();
            for (int v = 0; v < variables.Count; v++)
            {
                var variable = variables[v];
                var table = variable.Costs.Select(c => (long)Math.Round(c * CostScale)).ToArray();
                if (variable.Kind == ProgramVariableKind.Numerical)
                {
                    AddOrderEncoding(v, variable, table, objective);
                    continue;
                }
                var booleans = new BoolVar?[variable.Costs.Length];
                foreach (int c in variable.Allowed)
                {
                    booleans[c] = _model.NewBoolVar("");
                    objective.AddTerm(booleans[c]!, table[c]);
                }
                _model.AddExactlyOne(variable.Allowed.Select(c => (ILiteral)booleans[c]!));
                _values[v] = booleans;
            }

            // Leaves: exactly one per tree, and the score row.
            var leafVariables = new Dictionary<(int Tree, int Leaf), BoolVar>();
            var scoreRow = LinearExpr.NewBuilder();
            double sumLow = 0, sumHigh = 0;
            foreach (var (t, leaves) in program.VariableTrees)
            {
                var ys = new BoolVar[leaves.Length];
                long low = long.MaxValue, high = long.MinValue;
                for (int i = 0; i < leaves.Length; i++)
                {
                    ys[i] = _model.NewBoolVar("");
                    _leaves.Add(ys[i]);
                    leafVariables[(t, leaves[i])] = ys[i];
                    double a = scale.Scale * program.Model.TreeWeights[t] * program.Model.Trees[t].LeafValues[leaves[i]];
                    long coefficient = (long)(conservative ? Math.Floor(a) : Math.Ceiling(a));
                    scoreRow.AddTerm(ys[i], coefficient);
                    low = Math.Min(low, coefficient);
                    high = Math.Max(high, coefficient);
                }
                sumLow += low;
                sumHigh += high;
                _model.AddExactlyOne(ys);
            }
            double target = conservative
                ? Math.Ceiling(scale.Scale * (scale.Target + scale.Margin))
                : Math.Floor(scale.Scale * (scale.Target - scale.Margin));
            // Outside [Σ lows, Σ highs] the row is always met or never; clamp so the integer stays in range.
            long right = (long)Math.Clamp(target, sumLow - 1, sumHigh + 1);
            _model.Add(scoreRow >= right);

            // Σ left leaves ≤ 1 − r for every condition r of the node, Σ right leaves ≤ Σ r (the conditions are ORed).
            foreach (var node in program.Nodes)
            {
                var conditions = node.RightIf.Select(Condition).ToArray();
                foreach (var condition in conditions)
                {
                    var left = LinearExpr.NewBuilder();
                    foreach (int leaf in node.LeftLeaves)
                        left.Add(leafVariables[(node.Tree, leaf)]);
                    left.Add(condition);
                    _model.Add(left <= 1);
                }
                var rightRow = LinearExpr.NewBuilder();
                foreach (int leaf in node.RightLeaves)
                    rightRow.Add(leafVariables[(node.Tree, leaf)]);
                foreach (var condition in conditions)
                    rightRow.AddTerm(condition, -1);
                _model.Add(rightRow <= 0);
            }

            for (int v = 0; v < variables.Count; v++)
                _changed[v] = ChangedLiteral(v);
            if (options.MaximumChangedFeatures is int most)
            {
                var count = LinearExpr.NewBuilder();
                foreach (var literal in _changed)
                    count.Add(literal);
                _model.Add(count <= most - program.FixedChanges);
            }
            _model.Minimize(objective);
        }

        public double CostScale { get; }

        public SolveOutcome Solve(double seconds, Options options, CancellationToken cancellationToken)
        {
            using var solver = new CpSolver
            {
                StringParameters = string.Create(CultureInfo.InvariantCulture,
                    $"num_workers:{options.NumberOfWorkers} random_seed:{options.Seed} max_time_in_seconds:{seconds:R} {PresolveWorkaround} {SearchParameters}"),
            };
            using var registration = cancellationToken.Register(solver.StopSearch);
            var status = solver.Solve(_model, null);
            cancellationToken.ThrowIfCancellationRequested();
            if (status == CpSolverStatus.ModelInvalid)
                throw new InvalidOperationException($"Internal error: CP-SAT rejected the tree-recourse program: {_model.Validate()}");
            if (status is not (CpSolverStatus.Optimal or CpSolverStatus.Feasible))
                return new SolveOutcome(status, null, null, double.NaN, double.NaN);
            var assignment = new int[_order.Length];
            var changed = new bool[_order.Length];
            for (int v = 0; v < assignment.Length; v++)
            {
                assignment[v] = _order[v] is { } order
                    ? order.Count(solver.BooleanValue)
                    : Array.FindIndex(_values[v]!, b => b is not null && solver.BooleanValue(b));
                changed[v] = _program.Variables[v].Changed[assignment[v]];
            }
            var leaves = _leaves.Where(solver.BooleanValue).ToArray();
            return new SolveOutcome(status, assignment, changed, solver.ObjectiveValue, solver.BestObjectiveBound, leaves);
        }

        /// <summary>Forbids one combination of leaves (one per tree): at least one tree must reach another leaf.</summary>
        public void AddLeafCut(BoolVar[] leaves) => _model.AddBoolOr(leaves.Select(leaf => leaf.Not()));

        /// <summary>
        /// Forbids the set of changed variables <paramref name="changed"/>: some variable must differ in whether it
        /// changes; with <paramref name="supersets"/>, also every set that contains it (some variable of it must stay).
        /// </summary>
        public void AddCut(bool[] changed, bool supersets)
            => _model.AddBoolOr(supersets
                ? _changed.Where((_, v) => changed[v]).Select(literal => literal.Not())
                : _changed.Select((literal, v) => changed[v] ? literal.Not() : literal));

        // b[j − 1] ⇔ z ≥ j for j = 1..K: fixed outside the allowed range, a disallowed interval k inside it forbidden by
        // the clause ¬(z ≥ k ∧ ¬(z ≥ k + 1)); costs as increments on the literals.
        private void AddOrderEncoding(int v, ProgramVariable variable, long[] table, LinearExprBuilder objective)
        {
            int count = table.Length;
            int first = variable.Allowed[0], last = variable.Allowed[^1];
            var order = new ILiteral[count - 1];
            for (int j = 1; j < count; j++)
                order[j - 1] = j <= first ? _model.TrueLiteral() : j > last ? _model.FalseLiteral() : _model.NewBoolVar("");
            for (int j = first + 1; j < last; j++)
                _model.AddImplication(order[j], order[j - 1]);
            var allowed = new bool[count];
            foreach (int i in variable.Allowed)
                allowed[i] = true;
            for (int k = first + 1; k < last; k++)
                if (!allowed[k])
                    _model.AddBoolOr([order[k - 1].Not(), order[k]]);
            // Disallowed intervals take the cost of the next allowed one away from x, which keeps the increments of a
            // cost that grows away from x non-negative; they are never chosen.
            var cost = (long[])table.Clone();
            int home = variable.Allowed.MinBy(i => table[i]);
            for (int k = home - 1; k >= first; k--)
                if (!allowed[k]) cost[k] = cost[k + 1];
            for (int k = home + 1; k <= last; k++)
                if (!allowed[k]) cost[k] = cost[k - 1];
            objective.Add(cost[first]);
            for (int j = first + 1; j <= last; j++)
                objective.AddTerm(order[j - 1], cost[j] - cost[j - 1]);
            _order[v] = order;
        }

        private LinearExpr Condition(NodeCondition condition)
        {
            int v = VariableOf(condition.Kind switch
            {
                NodeConditionKind.Above => ProgramVariableKind.Numerical,
                NodeConditionKind.PieceIn => ProgramVariableKind.Categorical,
                _ => ProgramVariableKind.Group,
            }, condition.Variable);
            LinearExpr truth;
            switch (condition.Kind)
            {
                case NodeConditionKind.Above:
                    int index = _program.Variables[v].IndexAbove(condition.Threshold);
                    truth = _order[v]![index - 1].AsExpr();
                    break;
                case NodeConditionKind.PieceIn:
                    var sum = LinearExpr.NewBuilder();
                    foreach (int p in condition.Pieces!)
                        if (_values[v]![p] is BoolVar b) sum.Add(b);
                    truth = sum;
                    break;
                default:
                    truth = _values[v]![condition.Category] is BoolVar g ? g.AsExpr() : LinearExpr.Constant(0);
                    break;
            }
            return condition.Negated ? 1 - truth : truth;
        }

        private int VariableOf(ProgramVariableKind kind, int index) => _program.Variables.FindIndex(v => v.Kind == kind && v.Index == index);

        private ILiteral ChangedLiteral(int v)
        {
            var variable = _program.Variables[v];
            var unchanged = variable.Allowed.Where(i => !variable.Changed[i]).ToArray();
            if (unchanged.Length == 0)
                return _model.TrueLiteral();
            if (unchanged.Length == variable.Allowed.Length)
                return _model.FalseLiteral();
            if (_values[v] is { } values)
                return values[unchanged[0]]!.Not();
            // A numerical variable is unchanged in x's own interval k only: z = k ⇔ z ≥ k ∧ ¬(z ≥ k + 1).
            var order = _order[v]!;
            int k = unchanged[0];
            var atLeast = k == 0 ? _model.TrueLiteral() : order[k - 1];
            var above = k == order.Length ? _model.FalseLiteral() : order[k];
            var changed = _model.NewBoolVar("");
            _model.AddBoolOr([atLeast.Not(), above]).OnlyEnforceIf(changed);
            _model.AddBoolAnd([atLeast, above.Not()]).OnlyEnforceIf(changed.Not());
            return changed;
        }
    }

    /// <summary>Options of <see cref="TreeEnsembleRecourse"/>.</summary>
    public sealed class Options
    {
        /// <summary>
        /// Gets the time limit per row in seconds, shared by all the solves of the row (options and checks). A row the
        /// limit stops gets <see cref="TreeRecourseStatus.Feasible"/> with the best action found and its gap, or
        /// <see cref="TreeRecourseStatus.Unknown"/>. Default 10. Range: 0 &lt; value ≤ 86400.
        /// </summary>
        public double TimeLimitSeconds { get; init; } = Defaults.TimeLimitSeconds;

        /// <summary>Gets CP-SAT's search threads per row; 1 (the default) gives the same answers run to run. Range: 1 ≤ value ≤ 64.</summary>
        public int NumberOfWorkers { get; init; } = Defaults.NumberOfWorkers;

        /// <summary>Gets CP-SAT's random seed. Default 0. Range: value ≥ 0.</summary>
        public int Seed { get; init; }

        /// <summary>Gets the cost minimised; the default is the action set's weighted L1 (<see cref="TreeRecourseCost.L1"/>).</summary>
        public TreeRecourseCost Cost { get; init; } = TreeRecourseCost.L1;

        /// <summary>
        /// Gets the per-feature distributions of the percentile cost (e.g. <see cref="FeatureQuantiles.FromRows"/> of the
        /// training rows), required when <see cref="TreeRecourseCost.PercentileWeight"/> &gt; 0; its feature count must be the model's.
        /// </summary>
        public FeatureQuantiles? Quantiles { get; init; }

        /// <summary>
        /// Gets the largest number of changed variables (a feature outside a one-hot group, or a group), or
        /// <see langword="null"/> (the default) for no limit. Range: value ≥ 1.
        /// </summary>
        public int? MaximumChangedFeatures { get; init; }

        /// <summary>Gets k, the number of cheapest options with different sets of changed variables to list per row. Default 1. Range: 1 ≤ value ≤ 100.</summary>
        public int NumberOfOptions { get; init; } = Defaults.NumberOfOptions;

        /// <summary>
        /// Gets whether each further option's set of changed variables contains no earlier option's set (AR's minimal
        /// flipsets: a superset only adds changes to an option that already works); otherwise (the default) the sets
        /// only differ.
        /// </summary>
        public bool MinimalOptions { get; init; }

        internal static class Defaults
        {
            public const double TimeLimitSeconds = 10;
            public const int NumberOfWorkers = 1;
            public const int NumberOfOptions = 1;
        }

        internal void Check()
        {
            Contracts.CheckParam(TimeLimitSeconds > 0 && TimeLimitSeconds <= 86_400, nameof(TimeLimitSeconds),
                Invariant($"Must lie in (0, 86400] seconds; got {TimeLimitSeconds}."));
            Contracts.CheckParam(NumberOfWorkers is >= 1 and <= LinearProgramSolver.MaximumNumberOfWorkers, nameof(NumberOfWorkers),
                Invariant($"Must lie in [1, {LinearProgramSolver.MaximumNumberOfWorkers}]; got {NumberOfWorkers}."));
            Contracts.CheckParam(Seed >= 0, nameof(Seed), Invariant($"Must be ≥ 0; got {Seed}."));
            Contracts.CheckValue(Cost, nameof(Cost));
            Cost.Check(nameof(Cost));
            Contracts.CheckParam(Cost.PercentileWeight == 0 || Quantiles is not null, nameof(Quantiles),
                "The percentile cost needs the features' distributions: set Quantiles (e.g. FeatureQuantiles.FromRows of the training rows).");
            Contracts.CheckParam(MaximumChangedFeatures is null or >= 1, nameof(MaximumChangedFeatures),
                Invariant($"Must be ≥ 1 (or null for no limit); got {MaximumChangedFeatures}."));
            Contracts.CheckParam(NumberOfOptions is >= 1 and <= 100, nameof(NumberOfOptions), Invariant($"Must lie in [1, 100]; got {NumberOfOptions}."));
        }
    }
}
