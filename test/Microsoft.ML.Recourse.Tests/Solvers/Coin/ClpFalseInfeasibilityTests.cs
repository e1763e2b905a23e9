using Microsoft.ML.Recourse.Solvers;
using Microsoft.ML.Recourse.Solvers.Coin;
using Microsoft.ML.Recourse.Tests.TestFramework;

namespace Microsoft.ML.Recourse.Tests.Solvers.Coin;

// Two programs on which Clp's dual simplex alone answered "primal infeasible" although a feasible point exists
// (found by the action-set and persuasion tests). Free variables get temporary ±1e10 bounds in the dual, which is
// where its verdict goes wrong.
public class ClpFalseInfeasibilityTests
{
    private static readonly double Inf = double.PositiveInfinity;

    [ClpFact]
    public void Solve_FeasibleUnboundedProgramWithFreeVariables_IsNotReportedInfeasible()
    {
        var problem = new LinearProgram(
            [0, .6106, .6216, -.4576, -.6234, .8149, -.9669],
            [0, -Inf, -Inf, -Inf, -1, 0, 0],
            [Inf, Inf, 0, 0, 0, 1, 1],
            [
                new LinearConstraint([4, 5, 6], [1, 1, 1], 0, 0),
                new LinearConstraint([5], [.8411], -.4971, Inf),
                new LinearConstraint([0, 1], [-.4782, -.0573], -.6402, Inf),
            ]);
        // δ = 0 satisfies every row and bound, and δ₂ → −∞ lowers the objective without limit.
        new ClpSolver().Solve(problem).Status.Should().Be(LinearProgramStatus.Unbounded);
    }

    [ClpFact]
    public void Solve_FeasibleProgramWithFreeVariablesAndZeroObjective_IsOptimal()
    {
        double[][] points = [[0.2, 0.4, 1], [-0.0877, 0.2324, 1], [-1.5643, 0.3166, 1], [-0.7224, 0.0959, 1]];
        int[] signs = [1, 1, -1, -1]; // the pattern s = 1100: accepted, accepted, rejected, rejected
        var rows = points.Select((p, i) => new LinearConstraint([0, 1, 2], p.Select(v => signs[i] * v).ToArray(), 1, Inf)).ToArray();
        var problem = new LinearProgram([0, 0, 0], [-Inf, -Inf, -Inf], [Inf, Inf, Inf], rows);

        var result = new ClpSolver().Solve(problem);

        result.Status.Should().Be(LinearProgramStatus.Optimal);
        foreach (var row in rows)
            row.Indices.Select((j, k) => row.Coefficients[k] * result.Solution[j]).Sum().Should().BeGreaterThanOrEqualTo(1 - 1e-7);
    }
}
