using Microsoft.ML.Recourse.Solvers;
using Microsoft.ML.Recourse.Solvers.Coin;
using Microsoft.ML.Recourse.Tests.TestFramework;

namespace Microsoft.ML.Recourse.Tests.Solvers;

public class SmokeTests
{
    [ClpFact]
    public void Clp_Small()
    {
        // max 3x + 2y s.t. x + y <= 4, x + 3y <= 6, x <= 3
        var lp = new LinearProgram([3, 2], [0, 0], [3, double.PositiveInfinity],
            [new LinearConstraint([0, 1], [1, 1], double.NegativeInfinity, 4), new LinearConstraint([0, 1], [1, 3], double.NegativeInfinity, 6)],
            sense: ObjectiveSense.Maximize);
        var r = new ClpSolver().Solve(lp);
        r.Status.Should().Be(LinearProgramStatus.Optimal);
        r.ObjectiveValue.Should().BeApproximately(11, 1e-9);
        var sep = new LinearProgram([1, -1], [0, 0], [1, 1]);
        new ClpSolver().Solve(sep).ObjectiveValue.Should().BeApproximately(-1, 1e-12);
        var unb = new LinearProgram([1, -1], [0, 0], [1, double.PositiveInfinity], [new LinearConstraint([0, 1], [1, -1], double.NegativeInfinity, 4)]);
        new ClpSolver().Solve(unb).Status.Should().Be(LinearProgramStatus.Unbounded);
        var inf = new LinearProgram([1, -1], [0, 0], [1, 1], [new LinearConstraint([0, 1], [1, 1], 3, 4)]);
        new ClpSolver().Solve(inf).Status.Should().Be(LinearProgramStatus.Infeasible);
    }

    [CbcFact]
    public void Cbc_Small()
    {
        var lp = new LinearProgram([3, 2], [0, 0], [3, double.PositiveInfinity],
            [new LinearConstraint([0, 1], [1, 1], double.NegativeInfinity, 4.5), new LinearConstraint([0, 1], [1, 3], double.NegativeInfinity, 6)],
            isInteger: [true, true], sense: ObjectiveSense.Maximize);
        var r = new CbcSolver().Solve(lp);
        r.Message.Should().BeNull();
        r.Status.Should().Be(LinearProgramStatus.Optimal);
        r.ObjectiveValue.Should().BeApproximately(11, 1e-9);
        var sep = new LinearProgram([1, -1], [0, 0], [1, 1], isInteger: [true, true]);
        new CbcSolver().Solve(sep).ObjectiveValue.Should().BeApproximately(-1, 1e-12);
        var unb = new LinearProgram([1, -1], [0, 0], [1, double.PositiveInfinity], [new LinearConstraint([0, 1], [1, -1], double.NegativeInfinity, 4)], isInteger: [true, true]);
        var u = new CbcSolver().Solve(unb);
        u.Status.Should().Be(LinearProgramStatus.Unbounded, u.Message);
        var inf = new LinearProgram([1, -1], [0, 0], [1, 1], [new LinearConstraint([0, 1], [1, 1], 3, 4)], isInteger: [true, true]);
        var i = new CbcSolver().Solve(inf);
        i.Status.Should().Be(LinearProgramStatus.Infeasible, i.Message);
        var inf2 = new LinearProgram([1, -1], [0, 0], [1, 1], [new LinearConstraint([0, 1], [2, 2], 1, 1)], isInteger: [true, true]);
        var i2 = new CbcSolver().Solve(inf2);
        i2.Status.Should().Be(LinearProgramStatus.Infeasible, i2.Message);
    }
}
