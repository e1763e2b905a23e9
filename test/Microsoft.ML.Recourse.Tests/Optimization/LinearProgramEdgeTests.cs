using Microsoft.ML.Recourse.Optimization;
using Microsoft.ML.Recourse.Optimization.OrTools;
using static Microsoft.ML.Recourse.Tests.Optimization.LinearProgramTestData;

namespace Microsoft.ML.Recourse.Tests.Optimization;

// The exact messages and boundaries of the program, its closed-form solver and the dispatcher.
public class LinearProgramEdgeTests
{
    [Fact]
    public void Constructor_KeepsEveryPartAndDefaults()
    {
        var row = new LinearConstraint([0], [2], -1, 1);
        var problem = new LinearProgram([1, -2], [0, -1], [3, 4], [row], [false, true], ObjectiveSense.Maximize);
        problem.VariableCount.Should().Be(2);
        problem.Objective.Should().Equal(1, -2);
        problem.ColumnLower.Should().Equal(0, -1);
        problem.ColumnUpper.Should().Equal(3, 4);
        problem.Constraints.Should().Equal(row);
        problem.IsInteger.Should().Equal(false, true);
        problem.Sense.Should().Be(ObjectiveSense.Maximize);
        problem.HasIntegerVariables.Should().BeTrue();

        var plain = new LinearProgram([1], [0], [1]);
        plain.Constraints.Should().BeEmpty();
        plain.IsInteger.Should().Equal(false);
        plain.HasIntegerVariables.Should().BeFalse();
        plain.Sense.Should().Be(ObjectiveSense.Minimize);
    }

    [Fact]
    public void Constructor_CopiesTheInputs()
    {
        double[] objective = [1, 2];
        bool[] integers = [true, false];
        var problem = new LinearProgram(objective, [0, 0], [1, 1], isInteger: integers);
        objective[0] = 9;
        integers[0] = false;
        problem.Objective.Should().Equal(1, 2);
        problem.IsInteger.Should().Equal(true, false);
    }

    [Fact]
    public void Constructor_NullParts_ThrowNamingThem()
    {
        FluentActions.Invoking(() => new LinearProgram(null!, [0], [1])).Should().Throw<ArgumentNullException>().Which.ParamName.Should().Be("objective");
        FluentActions.Invoking(() => new LinearProgram([1], null!, [1])).Should().Throw<ArgumentNullException>().Which.ParamName.Should().Be("columnLower");
        FluentActions.Invoking(() => new LinearProgram([1], [0], null!)).Should().Throw<ArgumentNullException>().Which.ParamName.Should().Be("columnUpper");
    }

    [Fact]
    public void Constructor_Messages_NameCountsIndicesAndValues()
    {
        FluentActions.Invoking(() => new LinearProgram([1, 2], [0], [1, 1])).Should().Throw<ArgumentOutOfRangeException>()
            .WithMessage("Expected 2 lower bounds; got 1. (Parameter 'columnLower')");
        FluentActions.Invoking(() => new LinearProgram([1, 2], [0, 0], [1, 1, 1])).Should().Throw<ArgumentOutOfRangeException>()
            .WithMessage("Expected 2 upper bounds; got 3. (Parameter 'columnUpper')");
        FluentActions.Invoking(() => new LinearProgram([1, double.NegativeInfinity], [0, 0], [1, 1])).Should().Throw<ArgumentOutOfRangeException>()
            .WithMessage("Objective coefficient 1 is not finite (-Infinity). (Parameter 'objective')");
        FluentActions.Invoking(() => new LinearProgram([1, 2], [0, 0], [1, double.NaN])).Should().Throw<ArgumentOutOfRangeException>()
            .WithMessage("Bound of variable 1 is NaN. (Parameter 'columnLower')");
        FluentActions.Invoking(() => new LinearProgram([1, 2], [0, 0], [1, 1], [new LinearConstraint([0, -1], [1, 1], 0, 1)])).Should().Throw<ArgumentOutOfRangeException>()
            .WithMessage("Row 0 refers to variable -1, outside 0..1. (Parameter 'constraints')");
        FluentActions.Invoking(() => new LinearProgram([1, 2], [0, 0], [1, 1], [new LinearConstraint([1], [double.PositiveInfinity], 0, 1)])).Should().Throw<ArgumentOutOfRangeException>()
            .WithMessage("Row 0 has a non-finite coefficient (Infinity) for variable 1. (Parameter 'constraints')");
        FluentActions.Invoking(() => new LinearProgram([1], [0], [1], [new LinearConstraint([0], [1], 0, double.NaN)])).Should().Throw<ArgumentOutOfRangeException>()
            .WithMessage("Row 0 has a NaN bound. (Parameter 'constraints')");
        FluentActions.Invoking(() => new LinearProgram([1, 2], [0, 0], [1, 1], isInteger: [true, false, true])).Should().Throw<ArgumentOutOfRangeException>()
            .WithMessage("Expected 2 integrality flags. (Parameter 'isInteger')");
    }

    [Fact]
    public void Constructor_LastVariableAndInfiniteBounds_AreAccepted()
    {
        var problem = new LinearProgram([1, 2], [double.NegativeInfinity, 0], [1, double.PositiveInfinity],
            [new LinearConstraint([1, 0], [1, -1], double.NegativeInfinity, double.PositiveInfinity)]);
        problem.Constraints[0].Indices.Should().Equal(1, 0);
    }

    [Theory]
    [InlineData(1.0, 0.0, "Variable 0 has an empty range [1, 0].")]
    [InlineData(double.PositiveInfinity, double.PositiveInfinity, "Variable 0 has an empty range [Infinity, Infinity].")]
    [InlineData(double.NegativeInfinity, double.NegativeInfinity, "Variable 0 has an empty range [-Infinity, -Infinity].")]
    public void FindEmptyRange_EmptyColumn_IsNamed(double lower, double upper, string expected)
        => new LinearProgram([1, 1], [lower, 0], [upper, 1]).FindEmptyRange().Should().Be(expected);

    [Theory]
    [InlineData(2.0, 1.0, "Row 1 has an empty range [2, 1].")]
    [InlineData(double.PositiveInfinity, double.PositiveInfinity, "Row 1 has an empty range [Infinity, Infinity].")]
    [InlineData(double.NegativeInfinity, double.NegativeInfinity, "Row 1 has an empty range [-Infinity, -Infinity].")]
    public void FindEmptyRange_EmptyRow_IsNamed(double lower, double upper, string expected)
    {
        var problem = new LinearProgram([1], [0], [1], [new LinearConstraint([0], [1], 0, 1), new LinearConstraint([0], [1], lower, upper)]);
        problem.FindEmptyRange().Should().Be(expected);
    }

    [Fact]
    public void FindEmptyRange_PointAndUnboundedRanges_AreNotEmpty()
    {
        var problem = new LinearProgram([1, 1], [2, double.NegativeInfinity], [2, double.PositiveInfinity],
            [new LinearConstraint([0], [1], 3, 3), new LinearConstraint([1], [1], double.NegativeInfinity, double.PositiveInfinity)]);
        problem.FindEmptyRange().Should().BeNull();
    }

    [Fact]
    public void EmptyRangeResult_IsInfeasibleWithoutSolution()
    {
        var result = LinearProgram.EmptyRangeResult("why");
        result.Status.Should().Be(LinearProgramStatus.Infeasible);
        double.IsNaN(result.ObjectiveValue).Should().BeTrue();
        result.Solution.Should().BeEmpty();
        result.Iterations.Should().Be(0);
        result.Message.Should().Be("why");
        result.Certificate.Should().BeNull();
        result.IsOptimal.Should().BeFalse();
    }

    [Theory]
    [InlineData(LinearProgramStatus.Optimal, true)]
    [InlineData(LinearProgramStatus.Limit, false)]
    [InlineData(LinearProgramStatus.Unbounded, false)]
    public void IsOptimal_IsTheOptimalStatusOnly(LinearProgramStatus status, bool expected)
        => new LinearProgramResult(status, 0, [], 0).IsOptimal.Should().Be(expected);

    [Fact]
    public void SeparableBoxSolver_UnboundedMessage_NamesTheMissingBound()
    {
        var solver = new SeparableBoxSolver();
        var lower = solver.Solve(new LinearProgram([1, 2], [0, double.NegativeInfinity], [1, 1]));
        lower.Message.Should().Be("Variable 1 has objective coefficient 2 and no lower bound.");
        lower.Iterations.Should().Be(0);
        var upper = solver.Solve(new LinearProgram([1, -0.5], [0, 0], [1, double.PositiveInfinity]));
        upper.Message.Should().Be("Variable 1 has objective coefficient -0.5 and no upper bound.");
        var maximized = solver.Solve(new LinearProgram([0.5], [0], [double.PositiveInfinity], sense: ObjectiveSense.Maximize));
        maximized.Message.Should().Be("Variable 0 has objective coefficient 0.5 and no upper bound.");
        solver.Solve(new LinearProgram([1], [0], [1])).Message.Should().BeNull();
    }

    [Fact]
    public void SeparableBoxSolver_RejectionMessages_AreExact()
    {
        var solver = new SeparableBoxSolver();
        var rows = new LinearProgram([1, 1], [0, 0], [1, 1], [new LinearConstraint([0], [1], 0, 1), new LinearConstraint([1], [1], 0, 1)]);
        FluentActions.Invoking(() => solver.Solve(rows)).Should().Throw<ArgumentOutOfRangeException>()
            .WithMessage("SeparableBoxSolver solves only separable programs (bounds only); this one has 2 rows. Use LinearProgramSolver.Solve. (Parameter 'problem')");
        var integers = new LinearProgram([1], [0], [1], isInteger: [true]);
        FluentActions.Invoking(() => solver.Solve(integers)).Should().Throw<ArgumentOutOfRangeException>()
            .WithMessage("SeparableBoxSolver solves only separable programs (bounds only); this one has 0 rows and integer variables. Use LinearProgramSolver.Solve. (Parameter 'problem')");
        FluentActions.Invoking(() => solver.Solve(null!)).Should().Throw<ArgumentNullException>().Which.ParamName.Should().Be("problem");
    }

    [Fact]
    public void SeparableBoxSolver_Objective_SumsEveryTerm()
    {
        var result = new SeparableBoxSolver().Solve(new LinearProgram([3, -2, 0.5, 0], [1, -4, 2, -1], [5, 6, 3, 1], sense: ObjectiveSense.Maximize));
        result.Solution.Should().Equal(5, -4, 3, 0);
        result.ObjectiveValue.Should().Be(15 + 8 + 1.5);
    }

    [Fact]
    public void Create_OnlyOneLimit_StillBuildsOwnBackends()
    {
        var seconds = (LinearProgramSolver.DispatchingSolver)LinearProgramSolver.Create(maximumSeconds: 2);
        seconds.Should().NotBeSameAs(LinearProgramSolver.Default);
        seconds.SolverFor(new LinearProgram([1], [0], [1], [new LinearConstraint([0], [1], 0, 1)])).Should().BeOfType<GlopSolver>().Which.MaximumSeconds.Should().Be(2);
        var mixed = seconds.SolverFor(new LinearProgram([1], [0], [1], isInteger: [true])).Should().BeOfType<MixedIntegerSolver>().Subject;
        mixed.MaximumSeconds.Should().Be(2);
        mixed.NumberOfWorkers.Should().Be(1);
        mixed.Engine.Should().Be(MixedIntegerEngine.Automatic);

        var workers = (LinearProgramSolver.DispatchingSolver)LinearProgramSolver.Create(numberOfWorkers: 64);
        workers.Should().NotBeSameAs(LinearProgramSolver.Default);
        workers.SolverFor(new LinearProgram([1], [0], [1], [new LinearConstraint([0], [1], 0, 1)])).Should().BeOfType<GlopSolver>()
            .Which.MaximumSeconds.Should().Be(double.PositiveInfinity);
        workers.SolverFor(new LinearProgram([1], [0], [1], isInteger: [true])).Should().BeOfType<MixedIntegerSolver>().Which.NumberOfWorkers.Should().Be(64);
        LinearProgramSolver.Create(maximumSeconds: double.Epsilon, numberOfWorkers: 1).Should().NotBeSameAs(LinearProgramSolver.Default);
    }

    [Fact]
    public void Create_Messages_NameTheRangeAndTheValue()
    {
        FluentActions.Invoking(() => LinearProgramSolver.Create(maximumSeconds: -2)).Should().Throw<ArgumentOutOfRangeException>()
            .WithMessage("Must be > 0 seconds (or null for no limit); got -2. (Parameter 'maximumSeconds')");
        FluentActions.Invoking(() => LinearProgramSolver.Create(numberOfWorkers: 65)).Should().Throw<ArgumentOutOfRangeException>()
            .WithMessage("Must lie in [1, 64]; got 65. (Parameter 'numberOfWorkers')");
        LinearProgramSolver.CheckLimits(null, "s", 1, "w");
        LinearProgramSolver.CheckLimits(double.PositiveInfinity, "s", 64, "w");
        FluentActions.Invoking(() => LinearProgramSolver.CheckLimits(1, "s", 0, "w")).Should().Throw<ArgumentOutOfRangeException>().Which.ParamName.Should().Be("w");
        FluentActions.Invoking(() => LinearProgramSolver.CheckLimits(0, "s", 1, "w")).Should().Throw<ArgumentOutOfRangeException>().Which.ParamName.Should().Be("s");
    }

    [Fact]
    public void Dispatcher_PassesTheTokenAndChecksNull()
    {
        var dispatcher = (LinearProgramSolver.DispatchingSolver)LinearProgramSolver.Default;
        FluentActions.Invoking(() => dispatcher.Solve(null!)).Should().Throw<ArgumentNullException>().Which.ParamName.Should().Be("problem");
        FluentActions.Invoking(() => LinearProgramSolver.Solve(new LinearProgram([1], [0], [1]), new CancellationToken(canceled: true)))
            .Should().Throw<OperationCanceledException>();
        var general = new LinearProgram([1], [0], [1], [new LinearConstraint([0], [1], 0, 1)]);
        FluentActions.Invoking(() => LinearProgramSolver.Solve(general, new CancellationToken(canceled: true))).Should().Throw<OperationCanceledException>();
    }
}
