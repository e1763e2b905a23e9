using System.Globalization;
using Microsoft.ML.Recourse.Actions;
using Microsoft.ML.Recourse.Optimization;

namespace Microsoft.ML.Recourse.MultiAgent;

/// <summary>
/// Finds the principal's minimum-cost action for one or more <see cref="RecourseProblem"/>s in a
/// <see cref="MultiAgentSystem"/>; created by <see cref="MultiAgentCatalog.Recommender(MultiAgentSystem, string, ActionSpace, IReadOnlyList{RecourseProblem})"/>.
/// </summary>
/// <remarks>
/// <para>For a factual state x^F and each candidate action A ∈ F_p, the structural counterfactual
/// x^SCF(A) = F_A(F⁻¹(x^F)) is computed and every agent's outcome re-evaluated on it. A problem's recommendation is
/// the cheapest candidate that satisfies its constraints (ties: the first candidate in enumeration order). Candidates
/// that leave the state unchanged are not actions and are skipped.</para>
/// <para>Discrete action spaces are enumerated exactly. Grids are enumerated too, unless every equation downstream of
/// the grid variables and every outcome that reads them is linear; then a mixed-integer program solved by OR-Tools
/// finds the same minimum (<see cref="MultiAgentSolver.Auto"/>). Strict inequalities need a margin above
/// <see cref="Options.Tolerance"/> and weak ones accept a shortfall of up to it.</para>
/// </remarks>
public sealed class MultiAgentRecommender
{
    private const int ChunkSize = 1024;

    private readonly int _principal;
    private readonly RecourseProblem[] _problems;
    private readonly Options _options;
    private readonly MultiAgentSolver _solver;
    private readonly int[] _actionVariables; // per discrete action assignment, or per grid axis

    internal MultiAgentRecommender(MultiAgentSystem system, string principal, ActionSpace actions, IReadOnlyList<RecourseProblem> problems, Options options)
    {
        Contracts.CheckValue(system, nameof(system));
        Contracts.CheckValue(principal, nameof(principal));
        Contracts.CheckValue(actions, nameof(actions));
        Contracts.CheckValue(problems, nameof(problems));
        Contracts.CheckValue(options, nameof(options));
        Contracts.CheckParam(problems.Count > 0, nameof(problems), "Give at least one problem.");
        foreach (var p in problems) Contracts.CheckValue(p, nameof(problems));
        Contracts.CheckParam(Enum.IsDefined(options.Solver), nameof(options), $"Unknown solver {options.Solver}.");
        Contracts.CheckNonNegative(options.Tolerance, nameof(options.Tolerance));
        Contracts.CheckPositive(options.MaximumCandidates, nameof(options.MaximumCandidates));
        Contracts.CheckParam(options.MaximumRecordedRejections >= 0, nameof(options.MaximumRecordedRejections),
            $"Must be ≥ 0; got {options.MaximumRecordedRejections}.");
        LinearProgramSolver.CheckLimits(options.SolverMaximumSeconds, nameof(options.SolverMaximumSeconds),
            options.SolverNumberOfWorkers, nameof(options.SolverNumberOfWorkers));
        System = system;
        _principal = system.IndexOfAgent(principal);
        Actions = actions;
        _problems = problems.ToArray();
        _options = options;
        var scm = system.CausalModel;
        _actionVariables = actions switch
        {
            DiscreteActionSpace d => d.Actions.SelectMany(a => a.Assignments).Select(a => CheckActionVariable(scm, a.Variable)).ToArray(),
            GridActionSpace g => g.Axes.Select(a => CheckActionVariable(scm, a.Variable)).ToArray(),
            _ => throw new ArgumentOutOfRangeException(nameof(actions), $"Unsupported action space {actions.GetType().Name}."),
        };
        foreach (var action in (actions as DiscreteActionSpace)?.Actions ?? [])
            Contracts.CheckParam(action.Assignments.Select(a => a.Variable).Distinct().Count() == action.Assignments.Count, nameof(actions),
                $"Action '{action.Name}' sets a variable twice.");
        _solver = ResolveSolver();
        ProgramSolver = LinearProgramSolver.Create(options.SolverMaximumSeconds, options.SolverNumberOfWorkers);
    }

    /// <summary>Gets the system.</summary>
    public MultiAgentSystem System { get; }

    /// <summary>Gets the principal's name.</summary>
    public string Principal => System.Agents[_principal].Name;

    /// <summary>Gets the principal's feasible actions.</summary>
    public ActionSpace Actions { get; }

    /// <summary>Gets the problems solved for each situation.</summary>
    public IReadOnlyList<RecourseProblem> Problems => _problems;

    /// <summary>The solver of the grid programs, with the options' time limit and worker count.</summary>
    internal ILinearProgramSolver ProgramSolver { get; }

    /// <summary>Gets the method used: <see cref="MultiAgentSolver.Enumeration"/> or <see cref="MultiAgentSolver.MixedIntegerProgram"/>.</summary>
    public MultiAgentSolver Solver => _solver;

    /// <summary>Recommends an action for each problem in one situation.</summary>
    /// <param name="factualState">The factual joint state x^F, one value per variable.</param>
    /// <returns>One recommendation per problem, in the order of <see cref="Problems"/>.</returns>
    public IReadOnlyList<MultiAgentRecommendation> Recommend(ReadOnlySpan<double> factualState)
    {
        CheckState(factualState, row: null);
        return Search(factualState.ToArray());
    }

    /// <summary>
    /// Recommends actions for a batch of situations. Identical rows are searched once and share their results.
    /// </summary>
    /// <param name="factualStates">Row-major rows × d factual states.</param>
    public MultiAgentBatchResult RecommendBatch(ReadOnlySpan<double> factualStates)
    {
        int d = System.CausalModel.VariableCount;
        Contracts.CheckParam(factualStates.Length % d == 0, nameof(factualStates),
            $"Expected rows × {d} values (one per variable); got {factualStates.Length}, which is not a multiple of {d}.");
        int rows = factualStates.Length / d;
        var data = factualStates.ToArray();
        var distinctOfRow = new int[rows];
        var firstRows = new List<int>();
        var seen = new Dictionary<int, int>(new RowComparer(data, d));
        for (int r = 0; r < rows; r++)
        {
            if (!seen.TryGetValue(r, out int id))
            {
                CheckState(data.AsSpan(r * d, d), r);
                id = firstRows.Count;
                firstRows.Add(r);
                seen.Add(r, id);
            }
            distinctOfRow[r] = id;
        }
        var distinct = new MultiAgentRecommendation[_problems.Length][];
        for (int p = 0; p < _problems.Length; p++) distinct[p] = new MultiAgentRecommendation[firstRows.Count];
        for (int id = 0; id < firstRows.Count; id++)
        {
            var results = Search(data.AsSpan(firstRows[id] * d, d).ToArray());
            for (int p = 0; p < _problems.Length; p++) distinct[p][id] = results[p];
        }
        return new MultiAgentBatchResult(_problems, distinctOfRow, distinct, _options.Tolerance);
    }

    private MultiAgentRecommendation[] Search(double[] factual)
    {
        var scm = System.CausalModel;
        var noise = scm.Abduct(factual);
        var factualOutcomes = System.Outcomes(factual);
        var candidates = CandidateSet.Create(Actions, _actionVariables, scm, factual);
        var results = new MultiAgentRecommendation[_problems.Length];
        var zero = new double[factualOutcomes.Length];
        var pending = new List<int>();
        for (int p = 0; p < _problems.Length; p++)
        {
            if (_problems[p].Violations(zero, _principal, factualOutcomes[_principal], _options.Tolerance) == RecourseConstraints.None)
                results[p] = new MultiAgentRecommendation(_problems[p], System, _principal, RecommendationStatus.NotNeeded, _solver, factual, factualOutcomes, candidates.Count);
            else pending.Add(p);
        }
        if (pending.Count == 0) return results;
        if (_solver == MultiAgentSolver.MixedIntegerProgram)
        {
            foreach (int p in pending)
                results[p] = GridProgram.Solve(this, _problems[p], _principal, (GridCandidateSet)candidates, factual, noise, factualOutcomes, _options.Tolerance);
            return results;
        }
        Contracts.Check(candidates.Count <= _options.MaximumCandidates, FormattableString.Invariant(
            $"The action space has {candidates.Count} candidate actions from this state, more than MaximumCandidates ({_options.MaximumCandidates}). Use a coarser grid, or linear equations and outcomes so that the mixed-integer program can solve it."));
        Enumerate(candidates, factual, noise, factualOutcomes, pending, results);
        return results;
    }

    private void Enumerate(CandidateSet candidates, double[] factual, double[] noise, double[] factualOutcomes, List<int> pending, MultiAgentRecommendation[] results)
    {
        var scm = System.CausalModel;
        int d = scm.VariableCount, n = factualOutcomes.Length, count = (int)candidates.Count;
        var changes = new double[count * n];
        var isAction = new bool[count];
        var costs = new double[count];
        var states = new double[Math.Min(count, ChunkSize) * d];
        var outcomes = new double[Math.Min(count, ChunkSize) * n];
        Span<int> indices = stackalloc int[candidates.MaximumAssignments];
        Span<double> values = stackalloc double[candidates.MaximumAssignments];
        Span<double> scratch = stackalloc double[scm.MaximumParents];
        Span<bool> changed = stackalloc bool[d];
        for (int start = 0; start < count; start += ChunkSize)
        {
            int size = Math.Min(ChunkSize, count - start);
            for (int c = 0; c < size; c++)
            {
                int m = candidates.Get(start + c, indices, values, out costs[start + c]);
                scm.Counterfactual(factual, noise, indices[..m], values[..m], states.AsSpan(c * d, d), scratch, changed);
                isAction[start + c] = changed.Contains(true);
            }
            System.EvaluateOutcomes(states.AsSpan(0, size * d), size, outcomes);
            for (int k = 0; k < size * n; k++) changes[start * n + k] = outcomes[k] - factualOutcomes[k % n];
        }
        int actions = isAction.Count(a => a);
        foreach (int p in pending)
        {
            var problem = _problems[p];
            int best = -1;
            var rejections = new List<RejectedAction>();
            var violationCounts = new Dictionary<RecourseConstraints, int>();
            for (int c = 0; c < count; c++)
            {
                if (!isAction[c] || (best >= 0 && costs[c] >= costs[best])) continue;
                var delta = changes.AsSpan(c * n, n);
                var violated = problem.Violations(delta, _principal, factualOutcomes[_principal] + delta[_principal], _options.Tolerance);
                if (violated == RecourseConstraints.None) { best = c; continue; }
                if (best >= 0) continue;
                foreach (var flag in Enum.GetValues<RecourseConstraints>())
                    if (flag != RecourseConstraints.None && violated.HasFlag(flag))
                        violationCounts[flag] = violationCounts.GetValueOrDefault(flag) + 1;
                if (rejections.Count < _options.MaximumRecordedRejections)
                    rejections.Add(new RejectedAction(candidates.Describe(c), violated, delta.ToArray(), Sum(delta)));
            }
            if (best < 0)
            {
                results[p] = NoneExists(problem, factual, factualOutcomes, MultiAgentSolver.Enumeration, actions,
                    NoneReason(actions, rejections, violationCounts), rejections);
                continue;
            }
            var bestIndices = new int[candidates.MaximumAssignments];
            var bestValues = new double[candidates.MaximumAssignments];
            int m = candidates.Get(best, bestIndices, bestValues, out double cost);
            var evaluation = Evaluate(problem, bestIndices[..m], bestValues[..m], factual, noise, factualOutcomes);
            results[p] = Recommended(problem, bestIndices[..m], bestValues[..m], cost, candidates.Describe(best), evaluation,
                factual, factualOutcomes, MultiAgentSolver.Enumeration, actions);
        }
    }

    /// <summary>The exact counterfactual of one action, every agent's outcome change, and the constraints it fails.</summary>
    internal (double[] State, double[] Changes, RecourseConstraints Violated) Evaluate(RecourseProblem problem, int[] indices, double[] values,
        double[] factual, double[] noise, double[] factualOutcomes)
    {
        var scm = System.CausalModel;
        var state = new double[scm.VariableCount];
        scm.Counterfactual(factual, noise, indices, values, state, new double[scm.MaximumParents], new bool[scm.VariableCount]);
        var outcomes = System.Outcomes(state);
        var changes = new double[outcomes.Length];
        for (int j = 0; j < changes.Length; j++) changes[j] = outcomes[j] - factualOutcomes[j];
        return (state, changes, problem.Violations(changes, _principal, outcomes[_principal], _options.Tolerance));
    }

    /// <summary>Builds the result for an action that passed <see cref="Evaluate"/>.</summary>
    internal MultiAgentRecommendation Recommended(RecourseProblem problem, int[] indices, double[] values, double cost, string action,
        (double[] State, double[] Changes, RecourseConstraints Violated) evaluation, double[] factual, double[] factualOutcomes,
        MultiAgentSolver solver, long candidateCount)
        => new(problem, System, _principal, RecommendationStatus.Recommended, solver, factual, factualOutcomes, candidateCount)
        {
            Action = action,
            Intervention = new Intervention(System.CausalModel, indices, values),
            Cost = cost,
            CounterfactualState = evaluation.State,
            OutcomeChanges = evaluation.Changes,
        };

    internal MultiAgentRecommendation NoneExists(RecourseProblem problem, double[] factual, double[] factualOutcomes, MultiAgentSolver solver,
        long candidateCount, string reason, IReadOnlyList<RejectedAction> rejections)
        => new(problem, System, _principal, RecommendationStatus.NoneExists, solver, factual, factualOutcomes, candidateCount)
        {
            Reason = reason,
            Rejections = rejections,
        };

    private static string NoneReason(int actions, List<RejectedAction> rejections, Dictionary<RecourseConstraints, int> counts)
    {
        if (actions == 0)
            return "The principal has no feasible action from this state: every candidate leaves the state unchanged or moves a variable against its actionability.";
        if (rejections.Count == actions && actions <= 3)
            return "No feasible action satisfies the constraints: " +
                string.Join("; ", rejections.Select(r => $"'{r.Action}' fails {r.Violated}")) + ".";
        return string.Create(CultureInfo.InvariantCulture,
            $"None of the {actions} feasible actions satisfies the constraints: {string.Join(", ", counts.OrderBy(c => c.Key).Select(c => $"{c.Value} fail {c.Key}"))}.");
    }

    private static double Sum(ReadOnlySpan<double> values)
    {
        double s = 0;
        foreach (double v in values) s += v;
        return s;
    }

    private int CheckActionVariable(StructuralCausalModel scm, string name)
    {
        int index = scm.IndexOf(name);
        var variable = scm.Variables[index];
        Contracts.CheckParam(variable.Actionability != FeatureActionability.Immutable, "actions",
            $"Variable '{name}' is not actionable; no action may set it.");
        Contracts.CheckParam(variable.Agent == Principal, "actions",
            $"Variable '{name}' belongs to {(variable.Agent is null ? "no agent" : $"agent '{variable.Agent}'")}; the principal '{Principal}' may act only on its own variables.");
        return index;
    }

    private MultiAgentSolver ResolveSolver()
    {
        string? notLinear = Actions is GridActionSpace ? GridProgram.WhyNotLinear(System, _actionVariables) : "discrete action spaces are enumerated";
        return _options.Solver switch
        {
            MultiAgentSolver.Enumeration => MultiAgentSolver.Enumeration,
            MultiAgentSolver.MixedIntegerProgram when notLinear is not null => throw new ArgumentOutOfRangeException(nameof(Options.Solver),
                $"The mixed-integer program needs a grid action space with linear equations and outcomes downstream of it: {notLinear}."),
            MultiAgentSolver.MixedIntegerProgram => MultiAgentSolver.MixedIntegerProgram,
            _ => notLinear is null ? MultiAgentSolver.MixedIntegerProgram : MultiAgentSolver.Enumeration,
        };
    }

    private void CheckState(ReadOnlySpan<double> state, int? row)
    {
        var variables = System.CausalModel.Variables;
        string where = row is int r ? $"Row {r}: " : "";
        Contracts.CheckParam(state.Length == variables.Count, "factualState",
            $"{where}expected {variables.Count} values (one per variable); got {state.Length}.");
        for (int v = 0; v < state.Length; v++)
            Contracts.CheckParam(double.IsFinite(state[v]), "factualState", $"{where}the value of '{variables[v].Name}' is not finite ({state[v]}).");
    }

    /// <summary>Compares rows of a row-major matrix by content, so identical situations share one search.</summary>
    private sealed class RowComparer(double[] data, int width) : IEqualityComparer<int>
    {
        public bool Equals(int a, int b) => data.AsSpan(a * width, width).SequenceEqual(data.AsSpan(b * width, width));

        public int GetHashCode(int row)
        {
            var hash = new HashCode();
            foreach (double v in data.AsSpan(row * width, width)) hash.Add(v);
            return hash.ToHashCode();
        }
    }

    /// <summary>Options of <see cref="MultiAgentRecommender"/>.</summary>
    public sealed class Options
    {
        /// <summary>Gets how recommendations are found.</summary>
        public MultiAgentSolver Solver { get; init; } = Defaults.Solver;

        /// <summary>Gets the tolerance τ: strict inequalities need a margin above τ, weak ones accept a shortfall of up to τ. Range: ≥ 0.</summary>
        public double Tolerance { get; init; } = Defaults.Tolerance;

        /// <summary>Gets the largest number of candidate actions enumerated for one situation. Range: &gt; 0.</summary>
        public int MaximumCandidates { get; init; } = Defaults.MaximumCandidates;

        /// <summary>Gets how many rejected candidates a result without recommendation lists. Range: ≥ 0.</summary>
        public int MaximumRecordedRejections { get; init; } = Defaults.MaximumRecordedRejections;

        /// <summary>
        /// Gets the time limit of each grid program (<see cref="MultiAgentSolver.MixedIntegerProgram"/>) in seconds, or
        /// <see langword="null"/> (the default) for none; a program the limit stops before it proves an optimum makes
        /// <see cref="MultiAgentRecommender.Recommend"/> throw, since only a proven optimum is a recommendation. Range: value &gt; 0.
        /// </summary>
        public double? SolverMaximumSeconds { get; init; }

        /// <summary>
        /// Gets the search threads of each grid program; 1, the default, gives the same answers run to run.
        /// Range: 1 ≤ value ≤ 64.
        /// </summary>
        public int SolverNumberOfWorkers { get; init; } = Defaults.SolverNumberOfWorkers;

        internal static class Defaults
        {
            public const MultiAgentSolver Solver = MultiAgentSolver.Auto;
            public const double Tolerance = 1e-6;
            public const int MaximumCandidates = 10_000_000;
            public const int MaximumRecordedRejections = 1000;
            public const int SolverNumberOfWorkers = 1;
        }
    }
}
