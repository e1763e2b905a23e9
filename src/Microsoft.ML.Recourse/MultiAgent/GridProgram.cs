using Microsoft.ML.Recourse.Optimization;

namespace Microsoft.ML.Recourse.MultiAgent;

/// <summary>
/// The minimum-cost grid action as a mixed-integer program, for linear equations and outcomes downstream of the grid.
/// </summary>
/// <remarks>
/// Binary s_{a,k} selects value k of axis a (Σ_k s_{a,k} ≤ 1; none selected leaves the variable alone). The change
/// Δ_v = x^SCF_v − x^F_v of every variable downstream of the grid is a linear expression that follows the equations:
/// Δ_v = Σ_p w_vp·Δ_p for non-grid variables, and Δ_v = Σ_k d_{v,k}·s_{v,k} + r_v for grid variables, where the
/// continuous residual r_v carries the parents' effect only when v is not intervened (big-M rows, M from interval
/// bounds on Δ). Outcome changes are linear in Δ. Strict rows need a margin of max(2τ, 10⁻⁴), because the MIP solver's
/// feasibility tolerances make smaller margins unreliable; so a candidate whose strict margin lies between τ and 10⁻⁴
/// is found by enumeration but not here. A decoded action that still fails the exact check is cut off with a no-good
/// row and the program solved again.
/// </remarks>
internal static class GridProgram
{
    private const int MaximumCuts = 50;

    /// <summary>
    /// The smallest margin of strict rows. With margins near the MIP solver's feasibility tolerance (10⁻⁶) it was seen both to
    /// satisfy them with row slack and to prove feasible programs infeasible.
    /// </summary>
    internal const double StrictMargin = 1e-4;

    /// <summary>Why the grid cannot be solved as a MIP, or <see langword="null"/> when it can.</summary>
    public static string? WhyNotLinear(MultiAgentSystem system, int[] axisVariables)
    {
        var scm = system.CausalModel;
        var affected = scm.DescendantsOf(axisVariables);
        foreach (var v in scm.Variables)
        {
            bool hasAffectedParent = v.ParentIndexArray.Any(p => affected[p]);
            if (affected[v.Index] && hasAffectedParent && !v.Equation.IsLinear)
                return $"the equation of '{v.Name}' is not linear";
        }
        for (int j = 0; j < system.Agents.Count; j++)
            if (system.InputIndices(j).Any(i => affected[i]) && system.Agents[j].Outcome is not LinearOutcome)
                return $"the outcome of agent '{system.Agents[j].Name}' is not linear";
        return null;
    }

    public static MultiAgentRecommendation Solve(MultiAgentRecommender recommender, RecourseProblem problem, int principal, GridCandidateSet grid,
        double[] factual, double[] noise, double[] factualOutcomes, double tolerance)
    {
        var system = recommender.System;
        var scm = system.CausalModel;
        int d = scm.VariableCount, axes = grid.Variables.Length;
        var affected = scm.DescendantsOf(grid.Variables);
        var axisOf = Enumerable.Repeat(-1, d).ToArray();
        for (int a = 0; a < axes; a++) axisOf[grid.Variables[a]] = a;

        var objective = new List<double>();
        var lower = new List<double>();
        var upper = new List<double>();
        var integer = new List<bool>();
        int AddColumn(double cost, double lo, double hi, bool isInteger)
        {
            objective.Add(cost); lower.Add(lo); upper.Add(hi); integer.Add(isInteger);
            return objective.Count - 1;
        }
        var rows = new List<LinearConstraint>();
        void AddRow(Dictionary<int, double> terms, double lo, double hi)
            => rows.Add(new LinearConstraint(terms.Keys.ToArray(), terms.Values.ToArray(), lo, hi));

        // Selection binaries.
        var selection = new int[axes][];
        for (int a = 0; a < axes; a++)
        {
            selection[a] = grid.Values[a].Select(theta => AddColumn(grid.CostWeights[a] * Math.Abs(theta - grid.Factual[a]), 0, 1, true)).ToArray();
            if (selection[a].Length > 1) AddRow(selection[a].ToDictionary(c => c, _ => 1.0), double.NegativeInfinity, 1);
        }

        // Δ_v as linear expressions (column → coefficient) over the binaries and residuals, built in topological order;
        // substituting them instead of adding Δ columns with equality rows keeps the program small. Interval bounds on
        // Δ size the big-M rows.
        var delta = new Dictionary<int, double>[d];
        var low = new double[d];
        var high = new double[d];
        foreach (int v in scm.TopologicalOrder)
        {
            if (!affected[v]) continue;
            var variable = scm.Variables[v];
            var propagated = new Dictionary<int, double>();
            double pLow = 0, pHigh = 0;
            for (int k = 0; k < variable.ParentIndexArray.Length; k++)
            {
                int parent = variable.ParentIndexArray[k];
                if (!affected[parent]) continue;
                double w = ((LinearStructuralEquation)variable.Equation).Weights[k];
                AddScaled(propagated, delta[parent], w);
                pLow += Math.Min(w * low[parent], w * high[parent]);
                pHigh += Math.Max(w * low[parent], w * high[parent]);
            }
            int a = axisOf[v];
            if (a < 0)
            {
                (low[v], high[v], delta[v]) = (pLow, pHigh, propagated);
                continue;
            }
            var steps = grid.Values[a].Select(theta => theta - grid.Factual[a]).ToArray();
            low[v] = Math.Min(pLow, steps.DefaultIfEmpty(0).Min());
            high[v] = Math.Max(pHigh, steps.DefaultIfEmpty(0).Max());
            delta[v] = [];
            for (int k = 0; k < steps.Length; k++) delta[v][selection[a][k]] = steps[k];
            double bigM = Math.Max(Math.Abs(pLow), Math.Abs(pHigh));
            RemoveZeros(propagated);
            if (propagated.Count == 0 || bigM == 0) continue;
            int residual = AddColumn(0, -bigM, bigM, false);
            delta[v][residual] = 1;
            // |r| ≤ M·(1 − S): no residual when intervened.
            var atMost = selection[a].ToDictionary(c => c, _ => bigM);
            AddRow(new Dictionary<int, double>(atMost) { [residual] = 1 }, double.NegativeInfinity, bigM);
            AddRow(new Dictionary<int, double>(atMost) { [residual] = -1 }, double.NegativeInfinity, bigM);
            // |r − Σ w·Δ_p| ≤ M·S: the residual is the parents' effect when not intervened.
            var plus = selection[a].ToDictionary(c => c, _ => -bigM);
            var minus = new Dictionary<int, double>(plus);
            AddScaled(plus, propagated, -1);
            plus[residual] = plus.GetValueOrDefault(residual) + 1;
            AddScaled(minus, propagated, 1);
            minus[residual] = minus.GetValueOrDefault(residual) - 1;
            AddRow(plus, double.NegativeInfinity, 0);
            AddRow(minus, double.NegativeInfinity, 0);
        }

        // Outcome changes Δh_j = Σ w·Δ_input.
        int n = system.Agents.Count;
        var change = new Dictionary<int, double>[n];
        for (int j = 0; j < n; j++)
        {
            change[j] = [];
            if (system.Agents[j].Outcome is not LinearOutcome linear) continue; // reads nothing affected (checked up front)
            var inputs = system.InputIndices(j);
            for (int k = 0; k < inputs.Length; k++)
                if (affected[inputs[k]]) AddScaled(change[j], delta[inputs[k]], linear.Weights[k]);
            RemoveZeros(change[j]);
        }
        var welfare = new Dictionary<int, double>();
        foreach (var terms in change) AddScaled(welfare, terms, 1);
        RemoveZeros(welfare);

        var unsatisfiable = new List<string>();
        void Require(Dictionary<int, double> terms, double bound, string what)
        {
            if (terms.Count > 0) AddRow(terms, bound, double.PositiveInfinity);
            else if (bound > 0) unsatisfiable.Add(what);
        }
        var c = problem.Constraints;
        if (c.HasFlag(RecourseConstraints.PrincipalImproves)) Require(change[principal], Math.Max(2 * tolerance, StrictMargin), "the principal's outcome does not depend on the grid variables");
        if (c.HasFlag(RecourseConstraints.PrincipalReachesThreshold))
            Require(change[principal], problem.PrincipalThreshold - factualOutcomes[principal], "the principal's outcome does not depend on the grid variables");
        if (c.HasFlag(RecourseConstraints.WelfareImproves)) Require(welfare, Math.Max(2 * tolerance, StrictMargin), "social welfare does not depend on the grid variables");
        if (c.HasFlag(RecourseConstraints.WelfareNotWorse)) Require(welfare, 0, "social welfare does not depend on the grid variables");
        if (c.HasFlag(RecourseConstraints.OthersNotWorse))
            for (int j = 0; j < n; j++)
                if (j != principal) Require(change[j], 0, "");

        long candidates = grid.Count;
        if (unsatisfiable.Count > 0)
            return recommender.NoneExists(problem, factual, factualOutcomes, MultiAgentSolver.MixedIntegerProgram, candidates,
                $"No grid action can satisfy {problem.Constraints}: {unsatisfiable[0]}.", []);

        // The solver's feasibility tolerances can let a candidate that fails the exact check through (its Δ made of
        // row slack); such a candidate is cut off with a no-good row and the program solved again.
        var binaries = selection.SelectMany(x => x).ToArray();
        for (int round = 0; round < MaximumCuts; round++)
        {
            var result = recommender.ProgramSolver.Solve(new LinearProgram(objective, lower, upper, rows, integer));
            if (result.Status == LinearProgramStatus.Infeasible)
            if (result.Status == LinearProgramStatus.Infeasible)
                return recommender.NoneExists(problem, factual, factualOutcomes, MultiAgentSolver.MixedIntegerProgram, candidates,
                    $"The mixed-integer program proved that no grid action satisfies {problem.Constraints}.", []);
            if (result.Status == LinearProgramStatus.Limit)
                throw new InvalidOperationException(
                    $"The time limit ({nameof(MultiAgentRecommender.Options)}.{nameof(MultiAgentRecommender.Options.SolverMaximumSeconds)}) stopped the grid program before it proved an optimum; raise it or remove it. {result.Message}");
            Contracts.Check(result.IsOptimal,
                $"The mixed-integer solver stopped with status {result.Status} on the grid program{(result.Message is null ? "" : $": {result.Message}")}.");
            var indices = new List<int>();
            var values = new List<double>();
            var chosen = new HashSet<int>();
            double cost = 0;
            for (int a = 0; a < axes; a++)
                for (int k = 0; k < selection[a].Length; k++)
                    if (result.Solution[selection[a][k]] > 0.5)
                    {
                        chosen.Add(selection[a][k]);
                        indices.Add(grid.Variables[a]);
                        values.Add(grid.Values[a][k]);
                        cost += objective[selection[a][k]];
                    }
            string action = CandidateSet.Format(scm, indices.ToArray(), values.ToArray());
            var evaluation = recommender.Evaluate(problem, indices.ToArray(), values.ToArray(), factual, noise, factualOutcomes);
            if (evaluation.Violated == RecourseConstraints.None)
                return recommender.Recommended(problem, indices.ToArray(), values.ToArray(), cost, action, evaluation, factual, factualOutcomes, MultiAgentSolver.MixedIntegerProgram, candidates);
            rows.Add(new LinearConstraint(binaries, binaries.Select(b => chosen.Contains(b) ? -1.0 : 1.0).ToArray(), 1 - chosen.Count, double.PositiveInfinity));
        }
        throw new InvalidOperationException(
            $"The mixed-integer solver kept returning grid actions that fail the exact check of {problem.Constraints} ({MaximumCuts} rounds); the problem is too close to the tolerance {tolerance}.");
    }

    private static void AddScaled(Dictionary<int, double> target, Dictionary<int, double> source, double factor)
    {
        foreach (var (column, w) in source) target[column] = target.GetValueOrDefault(column) + factor * w;
    }

    // Exact cancellations leave zero terms; a row without terms is then decided without the solver.
    private static void RemoveZeros(Dictionary<int, double> terms)
    {
        foreach (var column in terms.Where(t => t.Value == 0).Select(t => t.Key).ToArray()) terms.Remove(column);
    }
}
