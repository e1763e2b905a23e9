using FsCheck;
using FsCheck.Fluent;
using Microsoft.ML.Recourse.Optimization;
using Microsoft.ML.Recourse.Optimization.OrTools;
using Microsoft.ML.Recourse.Tests.TestFramework;
using static Microsoft.ML.Recourse.Tests.Optimization.LinearProgramTestData;

namespace Microsoft.ML.Recourse.Tests.Optimization;

public class SeparableBoxSolverTests
{
    private static LinearProgramResult Solve(double[] c, double[] lower, double[] upper, ObjectiveSense sense = ObjectiveSense.Minimize)
        => new SeparableBoxSolver().Solve(new LinearProgram(c, lower, upper, sense: sense));

    [Fact]
    public void Solve_Minimize_PicksTheBoundEachSignFavours()
    {
        var result = Solve([2, -3, 0.5], [-1, -1, 4], [1, 2, 5]);
        result.Status.Should().Be(LinearProgramStatus.Optimal);
        result.Solution.Should().Equal(-1, 2, 4);
        result.ObjectiveValue.Should().Be(2 * -1 + -3 * 2 + 0.5 * 4);
        result.Iterations.Should().Be(0);
    }

    [Fact]
    public void Solve_Maximize_PicksTheOppositeBounds()
    {
        var result = Solve([2, -3], [-1, -1], [1, 2], ObjectiveSense.Maximize);
        result.Solution.Should().Equal(1, -1);
        result.ObjectiveValue.Should().Be(5);
    }

    [Fact]
    public void Solve_ZeroCoefficient_TakesThePointNearestZero()
    {
        var result = Solve([0, 0, 0, 0], [-2, 1, -5, double.NegativeInfinity], [3, 4, -2, double.PositiveInfinity]);
        result.Status.Should().Be(LinearProgramStatus.Optimal);
        result.Solution.Should().Equal(0, 1, -2, 0);
        result.ObjectiveValue.Should().Be(0);
    }

    [Fact]
    public void Solve_InfiniteBoundOnTheFavouredSide_IsUnbounded()
    {
        var min = Solve([1, 1], [0, double.NegativeInfinity], [1, 0]);
        min.Status.Should().Be(LinearProgramStatus.Unbounded);
        min.Message.Should().Contain("Variable 1");
        min.Solution.Should().BeEmpty();
        double.IsNaN(min.ObjectiveValue).Should().BeTrue();
        Solve([1], [0], [double.PositiveInfinity], ObjectiveSense.Maximize).Status.Should().Be(LinearProgramStatus.Unbounded);
    }

    [Fact]
    public void Solve_InfiniteBoundOnTheOtherSide_IsOptimal()
        => Solve([1, -1], [2, double.NegativeInfinity], [double.PositiveInfinity, 3]).Solution.Should().Equal(2, 3);

    [Fact]
    public void Solve_EmptyInterval_IsInfeasibleEvenWhenAnotherVariableIsUnbounded()
    {
        var result = Solve([-1, 1], [0, 2], [double.PositiveInfinity, 1]);
        result.Status.Should().Be(LinearProgramStatus.Infeasible);
        result.Message.Should().Contain("Variable 1");
        Solve([1], [double.PositiveInfinity], [double.PositiveInfinity]).Status.Should().Be(LinearProgramStatus.Infeasible);
    }

    [Fact]
    public void Solve_NonSeparableProgram_IsRejected()
    {
        var withRows = new LinearProgram([1, 1], [0, 0], [1, 1], [new LinearConstraint([0, 1], [1, 1], 1, 2)]);
        var act = () => new SeparableBoxSolver().Solve(withRows);
        act.Should().Throw<ArgumentException>().WithMessage("*only separable programs*1 rows*");
        var withIntegers = new LinearProgram([1, 1], [0, 0], [1, 1], isInteger: [true, false]);
        var integers = () => new SeparableBoxSolver().Solve(withIntegers);
        integers.Should().Throw<ArgumentException>().WithMessage("*integer variables*");
    }

    [Fact]
    public void Solve_CancelledToken_Throws()
    {
        var act = () => new SeparableBoxSolver().Solve(new LinearProgram([1], [0], [1]), new CancellationToken(canceled: true));
        act.Should().Throw<OperationCanceledException>();
    }

    private static readonly Gen<double> s_bound = Gen.Choose(-1000, 1000).Select(v => v / 100.0);

    private static readonly Gen<(double Lower, double Upper)> s_interval = Gen.Frequency(
        (6, s_bound.Two().Select(t => (Math.Min(t.Item1, t.Item2), Math.Max(t.Item1, t.Item2)))),
        (1, s_bound.Select(b => (b, Inf))),
        (1, s_bound.Select(b => (-Inf, b))),
        (1, Gen.Constant((-Inf, Inf))),
        (1, s_bound.Two().Select(t => (Math.Max(t.Item1, t.Item2) + 0.5, Math.Min(t.Item1, t.Item2)))));

    private static readonly Gen<LinearProgram> s_separable =
        from n in Gen.Choose(1, 8)
        from c in Gen.Frequency((4, s_bound), (1, Gen.Constant(0.0))).ArrayOf(n)
        from box in s_interval.ArrayOf(n)
        from maximize in Gen.Elements(false, true)
        select new LinearProgram(c, box.Select(b => b.Lower).ToArray(), box.Select(b => b.Upper).ToArray(),
            sense: maximize ? ObjectiveSense.Maximize : ObjectiveSense.Minimize);

    [Fact]
    public void Solve_RandomSeparablePrograms_AgreesWithGlop()
    {
        var glop = new GlopSolver();
        var property = Prop.ForAll(s_separable.ToArbitrary(), problem =>
        {
            var closed = new SeparableBoxSolver().Solve(problem);
            var reference = glop.Solve(problem);
            bool agree = closed.Status == reference.Status
                && (!closed.IsOptimal || Math.Abs(closed.ObjectiveValue - reference.ObjectiveValue) <= 1e-7 && MaxViolation(problem, closed.Solution) == 0);
            return agree.Label($"{Describe(problem)}: closed form {closed.Status} {closed.ObjectiveValue}, GLOP {reference.Status} {reference.ObjectiveValue} ({reference.Message})");
        });
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(1000).WithReplay(new Replay(new Rnd(20210611UL), null)), property);
    }
}
