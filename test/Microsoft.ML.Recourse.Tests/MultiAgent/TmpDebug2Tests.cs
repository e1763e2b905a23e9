using Microsoft.ML.Recourse.Solvers;
using Xunit.Abstractions;
namespace Microsoft.ML.Recourse.Tests.MultiAgent;
public class TmpDebug2Tests(ITestOutputHelper output)
{
    [Fact]
    public void Debug2()
    {
        double ninf = double.NegativeInfinity, inf = double.PositiveInfinity;
        LinearConstraint R(double lo, double hi, params (int, double)[] t) => new(t.Select(x => x.Item1).ToArray(), t.Select(x => x.Item2).ToArray(), lo, hi);
        List<LinearConstraint> Rows(double m, bool bigM) { var l = new List<LinearConstraint> { R(ninf,1,(0,1),(1,1),(2,1)), R(ninf,1,(4,1),(5,1),(6,1)) };
            if (bigM) l.AddRange([R(ninf,3,(4,3),(5,3),(6,3),(7,1)), R(ninf,3,(4,3),(5,3),(6,3),(7,-1)), R(ninf,0,(4,-3),(5,-3),(6,-3),(3,3),(7,1)), R(ninf,0,(4,-3),(5,-3),(6,-3),(3,-3),(7,-1))]);
            l.Add(R(m,inf,(0,0.125),(1,-0.375),(2,-0.4375),(3,-1.875),(4,-0.4375),(5,-0.125),(6,0.3125),(7,0.25))); return l; }
        double[] lo = [0,0,0,0,0,0,0,ninf], hi = [1,1,1,1,1,1,1,inf], obj = [0.25,0.75,0.875,2.25,0.875,0.25,0.625,0];
        bool[] isInt = [true, true, true, true, true, true, true, false];
        foreach (var bigM in new[] { true, false })
        foreach (double m in new[] { 0, 1e-6, 1e-4, 1e-3, 1e-2 })
        {
            var r = LinearProgramSolver.Solve(new LinearProgram(obj, lo, hi, Rows(m, bigM), isInt));
            output.WriteLine($"bigM={bigM} m={m}: {r.Status} {r.ObjectiveValue} {string.Join(",", r.Solution)}");
        }
        // equality version with explicit none binaries x8 (axis p0) x9 (axis p2) x10 (axis p1)
        {
            var l = new List<LinearConstraint> { R(1,1,(0,1),(1,1),(2,1),(8,1)), R(1,1,(4,1),(5,1),(6,1),(9,1)), R(1,1,(3,1),(10,1)),
                R(ninf,3,(4,3),(5,3),(6,3),(7,1)), R(ninf,3,(4,3),(5,3),(6,3),(7,-1)), R(ninf,0,(4,-3),(5,-3),(6,-3),(3,3),(7,1)), R(ninf,0,(4,-3),(5,-3),(6,-3),(3,-3),(7,-1)),
                R(1e-4,inf,(0,0.125),(1,-0.375),(2,-0.4375),(3,-1.875),(4,-0.4375),(5,-0.125),(6,0.3125),(7,0.25)) };
            var r = LinearProgramSolver.Solve(new LinearProgram([..obj, 0, 0, 0], [..lo, 0, 0, 0], [..hi, 1, 1, 1], l, [..isInt, true, true, true]));
            output.WriteLine($"equality: {r.Status} {r.ObjectiveValue} {string.Join(",", r.Solution)}");
        }
        // bigM rows without the <=1 rows (just to see)
        {
            var l = Rows(1e-4, true).Skip(2).ToList();
            var r = LinearProgramSolver.Solve(new LinearProgram(obj, lo, hi, l, isInt));
            output.WriteLine($"noSos: {r.Status} {r.ObjectiveValue} {string.Join(",", r.Solution)}");
        }
        // residual written as r = r+ - r- ? try bounded r with big bounds
        {
            double[] hi2 = (double[])hi.Clone(); hi2[7] = 1e3; double[] lo2 = (double[])lo.Clone(); lo2[7] = -1e3;
            var r = LinearProgramSolver.Solve(new LinearProgram(obj, lo2, hi2, Rows(1e-4, true), isInt));
            output.WriteLine($"wideR: {r.Status} {r.ObjectiveValue} {string.Join(",", r.Solution)}");
        }
        var s = LinearProgramSolver.Solve(new LinearProgram([0.25, 0.625], [0, 0], [1, 1], [R(1e-4, inf, (0, 0.125), (1, 0.3125))], [true, true]));
        output.WriteLine($"tiny: {s.Status} {s.ObjectiveValue}");
    }
}
