using Microsoft.ML.Recourse.Optimization;
using Microsoft.ML.Recourse.Optimization.OrTools;
using Microsoft.ML.Recourse.Tests.TestFramework;
using static Microsoft.ML.Recourse.Tests.Optimization.LinearProgramTestData;

namespace Microsoft.ML.Recourse.Tests.Optimization;

public class LinearProgramSolverTests
{
    private static readonly LinearProgram s_separable = new([1, -2], [0, -1], [1, 3]);
    private static readonly LinearProgram s_general = new([-1, -1], [0, 0], [Inf, Inf], [new LinearConstraint([0, 1], [1, 2], -Inf, 4), new LinearConstraint([0, 1], [3, 1], -Inf, 6)]);
    private static readonly LinearProgram s_integer = new([-1, -1], [0, 0], [Inf, Inf], s_general.Constraints, isInteger: [true, true]);
    private static readonly LinearProgram s_integerWithoutRows = new([1, 1], [0, 0], [2, 2], isInteger: [true, false]);

    private static LinearProgramSolver.DispatchingSolver Dispatcher => (LinearProgramSolver.DispatchingSolver)LinearProgramSolver.Default;

    [Fact]
    public void Default_FollowsThePolicy()
    {
        Dispatcher.SolverFor(s_separable).Should().BeOfType<SeparableBoxSolver>();
        Dispatcher.SolverFor(s_general).Should().BeOfType<GlopSolver>();
        Dispatcher.SolverFor(s_integer).Should().BeOfType<MixedIntegerSolver>();
        Dispatcher.SolverFor(s_integerWithoutRows).Should().BeOfType<MixedIntegerSolver>();
    }

    [Fact]
    public void Solve_SeparableProgram_NeedsNoNativeLibrary()
    {
        var result = LinearProgramSolver.Solve(s_separable);
        result.Status.Should().Be(LinearProgramStatus.Optimal);
        result.Solution.Should().Equal(0, 3);
        result.ObjectiveValue.Should().Be(-6);
    }

    [Fact]
    public void Solve_GeneralLp_UsesGlop()
    {
        // max x + y s.t. x + 2y ≤ 4, 3x + y ≤ 6: (1.6, 1.2) with 2.8.
        var result = LinearProgramSolver.Solve(s_general);
        result.Status.Should().Be(LinearProgramStatus.Optimal);
        result.ObjectiveValue.Should().BeApproximately(-2.8, 1e-9);
        result.Iterations.Should().BePositive("GLOP reports simplex iterations; the closed form reports 0");
    }

    [Fact]
    public void Solve_IntegerProgram_UsesTheMixedIntegerSolver()
    {
        var result = LinearProgramSolver.Solve(s_integer);
        result.Status.Should().Be(LinearProgramStatus.Optimal);
        result.ObjectiveValue.Should().BeApproximately(BruteForce(new LinearProgram(s_integer.Objective, [0, 0], [4, 4], s_integer.Constraints, s_integer.IsInteger)).Objective, 1e-9);
        result.Solution.Should().OnlyContain(x => Math.Abs(x - Math.Round(x)) < 1e-9);
    }

    [Fact]
    public void Create_WithoutLimits_IsTheDefault()
        => LinearProgramSolver.Create().Should().BeSameAs(LinearProgramSolver.Default);

    [Fact]
    public void Create_WithLimits_HandsThemToTheOrToolsBackends()
    {
        var dispatcher = (LinearProgramSolver.DispatchingSolver)LinearProgramSolver.Create(maximumSeconds: 5, numberOfWorkers: 3);

        dispatcher.SolverFor(s_separable).Should().BeOfType<SeparableBoxSolver>();
        dispatcher.SolverFor(s_general).Should().BeOfType<GlopSolver>().Which.MaximumSeconds.Should().Be(5);
        var mixed = dispatcher.SolverFor(s_integer).Should().BeOfType<MixedIntegerSolver>().Subject;
        mixed.MaximumSeconds.Should().Be(5);
        mixed.NumberOfWorkers.Should().Be(3);
        dispatcher.Solve(s_integer).ObjectiveValue.Should().BeApproximately(LinearProgramSolver.Solve(s_integer).ObjectiveValue, 1e-9);
    }

    [Theory]
    [InlineData(0.0, 1, "maximumSeconds")]
    [InlineData(-1.0, 1, "maximumSeconds")]
    [InlineData(double.NaN, 1, "maximumSeconds")]
    [InlineData(1.0, 0, "numberOfWorkers")]
    [InlineData(1.0, 65, "numberOfWorkers")]
    public void Create_OutOfRangeLimits_ThrowNamingTheParameter(double seconds, int workers, string parameter)
    {
        var act = () => LinearProgramSolver.Create(seconds, workers);
        act.Should().Throw<ArgumentOutOfRangeException>().Which.ParamName.Should().Be(parameter);
    }

    [Fact]
    public void Solve_Null_Throws()
    {
        var act = () => LinearProgramSolver.Solve(null!);
        act.Should().Throw<ArgumentNullException>();
    }
}
