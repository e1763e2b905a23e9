using Microsoft.ML.Recourse.Optimization;

namespace Microsoft.ML.Recourse.Persuasion;

/// <summary>
/// The signalling LP over regions × actions (spec §4) and the two baselines (spec §5).
/// Variables p[k, a] = P(recommend a | θ ∈ R_k); maximise Σ_k π_k Σ_a p[k, a] u_DM(a) subject to the obedience rows
/// Σ_k π_k p[k, a] (U[k, a] − U[k, a'] − η) ≥ −ε for every a ≠ a', and Σ_a p[k, a] = 1.
/// </summary>
internal static class SignalingProgram
{
    /// <summary>Utilities closer than this are ties, broken in the decision maker's favour.</summary>
    public const double TieTolerance = 1e-9;

    public static PersuasionResult Solve(PersuasionProblem problem, double obedienceMargin)
    {
        var actions = problem.Actions;
        var regions = problem.Regions;
        var (policy, iterations) = SolvePolicy(actions, regions, obedienceMargin, obedienceSlack: 0);
        int noDisclosureAction = NoDisclosureAction(actions, regions);
        var fullResponses = regions.Select(r => BestResponse(actions, a => SubjectUtility(r, actions, a))).ToArray();
        double fullDm = 0, fullDs = 0, noneDs = 0;
        for (int k = 0; k < regions.Count; k++)
        {
            fullDm += regions[k].Mass * actions[fullResponses[k]].DecisionMakerUtility;
            fullDs += regions[k].Mass * SubjectUtility(regions[k], actions, fullResponses[k]);
            noneDs += regions[k].Mass * SubjectUtility(regions[k], actions, noDisclosureAction);
        }
        return new PersuasionResult(problem, new SignalingPolicy(regions, policy), obedienceMargin,
            Evaluate(actions, regions, policy),
            new PersuasionOutcome(fullDm, fullDs),
            new PersuasionOutcome(actions[noDisclosureAction].DecisionMakerUtility, noneDs),
            noDisclosureAction, iterations);
    }

    /// <summary>The subject's utility of action <paramref name="a"/> in a region: s_a − c(a).</summary>
    public static double SubjectUtility(EquivalenceRegion region, IReadOnlyList<PersuasionAction> actions, int a)
        => (region.AcceptancePattern[a] ? 1.0 : 0.0) - actions[a].Cost;

    /// <summary>The action a* a subject takes on the prior alone.</summary>
    public static int NoDisclosureAction(IReadOnlyList<PersuasionAction> actions, IReadOnlyList<EquivalenceRegion> regions)
        => BestResponse(actions, a => regions.Sum(r => r.Mass * SubjectUtility(r, actions, a)));

    /// <summary>argmax of the subject's value; ties go to the higher decision-maker utility, then to the lower index.</summary>
    public static int BestResponse(IReadOnlyList<PersuasionAction> actions, Func<int, double> subjectValue)
    {
        int best = 0;
        double bestValue = subjectValue(0);
        for (int a = 1; a < actions.Count; a++)
        {
            double value = subjectValue(a);
            if (value > bestValue + TieTolerance
                || (Math.Abs(value - bestValue) <= TieTolerance && actions[a].DecisionMakerUtility > actions[best].DecisionMakerUtility))
            {
                best = a;
                bestValue = value;
            }
        }
        return best;
    }

    /// <summary>Both sides' expected utilities under a policy, when the subject follows every recommendation.</summary>
    public static PersuasionOutcome Evaluate(IReadOnlyList<PersuasionAction> actions, IReadOnlyList<EquivalenceRegion> regions, double[][] policy)
    {
        double dm = 0, ds = 0;
        for (int k = 0; k < regions.Count; k++)
            for (int a = 0; a < actions.Count; a++)
            {
                double weight = regions[k].Mass * policy[k][a];
                dm += weight * actions[a].DecisionMakerUtility;
                ds += weight * SubjectUtility(regions[k], actions, a);
            }
        return new PersuasionOutcome(dm, ds);
    }

    /// <summary>Builds and solves the LP; returns p[k][a] cleaned of solver round-off (clamped to [0, 1], rows summing to 1).</summary>
    public static (double[][] Policy, int Iterations) SolvePolicy(IReadOnlyList<PersuasionAction> actions,
        IReadOnlyList<EquivalenceRegion> regions, double obedienceMargin, double obedienceSlack)
    {
        var program = Build(actions, regions, obedienceMargin, obedienceSlack);
        var result = LinearProgramSolver.Solve(program);
        if (result.Status == LinearProgramStatus.Infeasible)
            throw new InvalidOperationException(FormattableString.Invariant(
                $"No signalling policy is obedient with margin η = {obedienceMargin}: lower the obedience margin."));
        Contracts.Check(result.IsOptimal, FormattableString.Invariant(
            $"The signalling LP ({regions.Count} regions × {actions.Count} actions) was not solved: {result.Status}. {result.Message}"));
        int n = actions.Count;
        var policy = new double[regions.Count][];
        for (int k = 0; k < regions.Count; k++)
        {
            var row = new double[n];
            double sum = 0;
            for (int a = 0; a < n; a++) sum += row[a] = Math.Clamp(result.Solution[k * n + a], 0, 1);
            for (int a = 0; a < n; a++) row[a] /= sum;
            policy[k] = row;
        }
        return (policy, result.Iterations);
    }

    internal static LinearProgram Build(IReadOnlyList<PersuasionAction> actions, IReadOnlyList<EquivalenceRegion> regions,
        double obedienceMargin, double obedienceSlack)
    {
        int n = actions.Count, regionCount = regions.Count;
        var objective = new double[regionCount * n];
        for (int k = 0; k < regionCount; k++)
            for (int a = 0; a < n; a++)
                objective[k * n + a] = regions[k].Mass * actions[a].DecisionMakerUtility;
        var rows = new List<LinearConstraint>(regionCount + n * (n - 1));
        for (int k = 0; k < regionCount; k++)
            rows.Add(new LinearConstraint(Enumerable.Range(k * n, n).ToArray(), Enumerable.Repeat(1.0, n).ToArray(), 1, 1));
        var indices = new List<int>(regionCount);
        var coefficients = new List<double>(regionCount);
        for (int a = 0; a < n; a++)
            for (int other = 0; other < n; other++)
            {
                if (other == a) continue;
                indices.Clear();
                coefficients.Clear();
                for (int k = 0; k < regionCount; k++)
                {
                    double gain = SubjectUtility(regions[k], actions, a) - SubjectUtility(regions[k], actions, other) - obedienceMargin;
                    if (gain == 0) continue;
                    indices.Add(k * n + a);
                    coefficients.Add(regions[k].Mass * gain);
                }
                // A row with no entries reads 0 ≥ −ε and constrains nothing.
                if (indices.Count > 0)
                    rows.Add(new LinearConstraint(indices.ToArray(), coefficients.ToArray(), -obedienceSlack, double.PositiveInfinity));
            }
        return new LinearProgram(objective, new double[objective.Length], Enumerable.Repeat(1.0, objective.Length).ToArray(),
            rows, sense: ObjectiveSense.Maximize);
    }
}
