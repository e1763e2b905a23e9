using Microsoft.ML.Recourse.Optimization;
using Microsoft.ML.Recourse.Optimization.OrTools;
using Microsoft.ML.Recourse.Tests.TestFramework;
using static Microsoft.ML.Recourse.Tests.Optimization.LinearProgramTestData;

namespace Microsoft.ML.Recourse.Tests.Optimization.OrTools;

public class MixedIntegerSolverTests
{
    [Theory]
    [InlineData(MixedIntegerEngine.Scip)]
    [InlineData(MixedIntegerEngine.CpSat)]
    public void Solve_TextbookKnapsack_FindsTheKnownOptimum(MixedIntegerEngine engine)
    {
        var result = new MixedIntegerSolver(engine).Solve(Knapsack([60, 100, 120], [10, 20, 30], capacity: 50));
        result.Status.Should().Be(LinearProgramStatus.Optimal);
        result.ObjectiveValue.Should().BeApproximately(220, 1e-9);
        result.Solution.Select(x => Math.Round(x)).Should().Equal(0, 1, 1);
    }

    [Theory]
    [InlineData(MixedIntegerEngine.Scip)]
    [InlineData(MixedIntegerEngine.CpSat)]
    public void Solve_FifteenItemKnapsack_MatchesBruteForce(MixedIntegerEngine engine)
    {
        var problem = RandomKnapsack(new Random(3), items: 15);
        var result = new MixedIntegerSolver(engine).Solve(problem);
        result.Status.Should().Be(LinearProgramStatus.Optimal);
        result.ObjectiveValue.Should().BeApproximately(BruteForce(problem).Objective, 1e-9);
        MaxViolation(problem, result.Solution).Should().BeLessThan(1e-7);
    }

    [Theory]
    [InlineData(MixedIntegerEngine.Scip)]
    [InlineData(MixedIntegerEngine.CpSat)]
    public void Solve_RandomSmallIntegerPrograms_MatchBruteForce(MixedIntegerEngine engine)
    {
        var random = new Random(2024);
        var solver = new MixedIntegerSolver(engine);
        for (int trial = 0; trial < 300; trial++)
        {
            var problem = RandomSmallIntegerProgram(random);
            var (feasible, optimum) = BruteForce(problem);
            var result = solver.Solve(problem);
            if (!feasible)
            {
                result.Status.Should().Be(LinearProgramStatus.Infeasible, $"trial {trial}: {Describe(problem)}");
                continue;
            }
            result.Status.Should().Be(LinearProgramStatus.Optimal, $"trial {trial}: {Describe(problem)} ({result.Message})");
            result.ObjectiveValue.Should().BeApproximately(optimum, 1e-9, $"trial {trial}: {Describe(problem)}");
            MaxViolation(problem, result.Solution).Should().BeLessThan(1e-7, $"trial {trial}");
        }
    }

    [Theory]
    [InlineData(MixedIntegerEngine.Scip)]
    public void Solve_MixedIntegerProgram_RespectsIntegralityOnlyWhereAsked(MixedIntegerEngine engine)
    {
        // max x + 2z s.t. x + 3z ≤ 7.5, x ∈ [0, 3] continuous, z ∈ [0, 10] integer: (1.5, 2) with 5.5 (the LP relaxation gives 6).
        var problem = new LinearProgram([1, 2], [0, 0], [3, 10], [new LinearConstraint([0, 1], [1, 3], -Inf, 7.5)],
            isInteger: [false, true], sense: ObjectiveSense.Maximize);
        var result = new MixedIntegerSolver(engine).Solve(problem);
        result.Status.Should().Be(LinearProgramStatus.Optimal);
        result.ObjectiveValue.Should().BeApproximately(5.5, 1e-9);
        result.Solution[0].Should().BeApproximately(1.5, 1e-9);
        result.Solution[1].Should().BeApproximately(2, 1e-9);
    }

    [Theory]
    [InlineData(MixedIntegerEngine.Scip)]
    public void Solve_IntegerProgramWithoutRows_TakesTheFavouredBounds(MixedIntegerEngine engine)
    {
        var problem = new LinearProgram([1, -1, 0.5], [-2, 0, 1], [3, 4, 2], isInteger: [true, true, false]);
        var result = new MixedIntegerSolver(engine).Solve(problem);
        result.Status.Should().Be(LinearProgramStatus.Optimal);
        result.Solution.Should().Equal(-2, 4, 1);
    }

    [Theory]
    [InlineData(MixedIntegerEngine.Scip)]
    [InlineData(MixedIntegerEngine.CpSat)]
    public void Solve_LpFeasibleButIntegerInfeasible_IsInfeasible(MixedIntegerEngine engine)
    {
        // 2x + 2y = 1 has fractional solutions only.
        var problem = new LinearProgram([1, 1], [0, 0], [1, 1], [new LinearConstraint([0, 1], [2, 2], 1, 1)], isInteger: [true, true]);
        var result = new MixedIntegerSolver(engine).Solve(problem);
        result.Status.Should().Be(LinearProgramStatus.Infeasible);
        result.Solution.Should().BeEmpty();
    }

    [Theory]
    [InlineData(MixedIntegerEngine.Scip)]
    [InlineData(MixedIntegerEngine.CpSat)]
    public void Solve_LpInfeasible_IsInfeasible(MixedIntegerEngine engine)
    {
        var problem = new LinearProgram([1, -1], [0, 0], [1, 1], [new LinearConstraint([0, 1], [1, 1], 3, 4)], isInteger: [true, true]);
        new MixedIntegerSolver(engine).Solve(problem).Status.Should().Be(LinearProgramStatus.Infeasible);
    }

    [Theory]
    [InlineData(MixedIntegerEngine.Scip)]
    public void Solve_CrossedOrInfiniteValuedBounds_IsInfeasibleWithoutCallingTheEngine(MixedIntegerEngine engine)
    {
        // Empty ranges are answered before any engine call, so no engine sees a lower bound of +∞.
        var problem = new LinearProgram([1, 1], [0, Inf], [1, Inf], isInteger: [true, false]);
        var result = new MixedIntegerSolver(engine).Solve(problem);
        result.Status.Should().Be(LinearProgramStatus.Infeasible);
        result.Message.Should().Be("Variable 1 has an empty range [Infinity, Infinity].");
    }

    [Theory]
    [InlineData(MixedIntegerEngine.Scip)]
    public void Solve_UnboundedRelaxation_IsUnbounded(MixedIntegerEngine engine)
    {
        var problem = new LinearProgram([1, -1], [0, 0], [1, Inf], [new LinearConstraint([0, 1], [1, -1], -Inf, 4)], isInteger: [true, true]);
        var result = new MixedIntegerSolver(engine).Solve(problem);
        result.Status.Should().Be(LinearProgramStatus.Unbounded, result.Message);
    }

    [Theory]
    [InlineData(MixedIntegerEngine.Scip)]
    public void Solve_ContinuousProgram_AgreesWithGlop(MixedIntegerEngine engine)
    {
        var random = new Random(11);
        for (int trial = 0; trial < 10; trial++)
        {
            var problem = FeasibleBoundedLp(random, variables: 6, rows: 4);
            new MixedIntegerSolver(engine).Solve(problem).ObjectiveValue.Should().BeApproximately(new GlopSolver().Solve(problem).ObjectiveValue, 1e-7);
        }
    }

    [Theory]
    [InlineData(MixedIntegerEngine.Scip)]
    [InlineData(MixedIntegerEngine.CpSat)]
    public void Solve_FromManyThreads_AllAnswersAreCorrect(MixedIntegerEngine engine)
    {
        var random = new Random(17);
        var problems = Enumerable.Range(0, 48).Select(_ => RandomKnapsack(random, items: 12)).ToArray();
        var expected = problems.Select(p => BruteForce(p).Objective).ToArray();
        var solver = new MixedIntegerSolver(engine);
        var results = new LinearProgramResult[problems.Length];
        Parallel.For(0, problems.Length, new ParallelOptions { MaxDegreeOfParallelism = 8 }, i => results[i] = solver.Solve(problems[i]));
        for (int i = 0; i < problems.Length; i++)
        {
            results[i].Status.Should().Be(LinearProgramStatus.Optimal, $"problem {i}: {results[i].Message}");
            results[i].ObjectiveValue.Should().BeApproximately(expected[i], 1e-7, $"problem {i}");
        }
    }

    [Theory]
    [InlineData(MixedIntegerEngine.Scip)]
    [InlineData(MixedIntegerEngine.CpSat)]
    public void Solve_TimeLimitWithoutIncumbent_ReportsLimit(MixedIntegerEngine engine)
    {
        // A market-split instance (Cornuéjols–Dawande): equality knapsacks that defeat branch and bound.
        var random = new Random(7);
        const int items = 30;
        var rows = Enumerable.Range(0, 4).Select(_ =>
        {
            var weights = Enumerable.Range(0, items).Select(_ => (double)random.Next(0, 100)).ToArray();
            double half = Math.Floor(weights.Sum() / 2);
            return new LinearConstraint(Enumerable.Range(0, items).ToArray(), weights, half, half);
        }).ToArray();
        var problem = new LinearProgram(Enumerable.Repeat(1.0, items).ToArray(), new double[items], Enumerable.Repeat(1.0, items).ToArray(),
            rows, Enumerable.Repeat(true, items).ToArray());
        var result = new MixedIntegerSolver(engine, maximumSeconds: 0.5).Solve(problem);
        result.Status.Should().Be(LinearProgramStatus.Limit, result.Message);
        result.Solution.Should().BeEmpty();
    }

    [Theory]
    [InlineData(MixedIntegerEngine.Scip)]
    [InlineData(MixedIntegerEngine.CpSat)]
    public void Solve_TimeLimitWithIncumbent_ReturnsAFeasibleSolution(MixedIntegerEngine engine)
    {
        // A 60-item knapsack with large, nearly proportional weights and values: the engines need seconds to prove optimality.
        var random = new Random(8);
        var weights = Enumerable.Range(0, 60).Select(_ => (double)random.Next(100000, 200000)).ToArray();
        var problem = Knapsack(weights.Select(w => w + random.Next(0, 3)).ToArray(), weights, Math.Floor(weights.Sum() / 2) + 0.5);
        var result = new MixedIntegerSolver(engine, maximumSeconds: 0.3).Solve(problem);
        result.Status.Should().Be(LinearProgramStatus.Limit, result.Message);
        result.Solution.Should().HaveCount(60);
        MaxViolation(problem, result.Solution).Should().BeLessThan(1e-7);
        result.ObjectiveValue.Should().Be(result.Solution.Select((x, j) => x * problem.Objective[j]).Sum());
    }

    [Fact]
    public void Solve_CpSat_RefusesContinuousVariablesAndInfiniteBounds()
    {
        var cpSat = new MixedIntegerSolver(MixedIntegerEngine.CpSat);
        var mixed = new LinearProgram([1, 2], [0, 0], [3, 10], [new LinearConstraint([0, 1], [1, 3], -Inf, 7.5)], isInteger: [false, true]);
        FluentActions.Invoking(() => cpSat.Solve(mixed)).Should().Throw<ArgumentOutOfRangeException>().WithMessage("*pure integer*continuous*Scip*");
        var unbounded = new LinearProgram([1, -1], [0, 0], [1, Inf], [new LinearConstraint([0, 1], [1, -1], -Inf, 4)], isInteger: [true, true]);
        FluentActions.Invoking(() => cpSat.Solve(unbounded)).Should().Throw<ArgumentOutOfRangeException>().WithMessage("*finite bounds*variable 1*");
    }

    [Fact]
    public void Constructor_BadSettings_Throw()
    {
        var seconds = () => new MixedIntegerSolver(maximumSeconds: -1);
        seconds.Should().Throw<ArgumentOutOfRangeException>().Which.ParamName.Should().Be("maximumSeconds");
        var workers = () => new MixedIntegerSolver(numberOfWorkers: 0);
        workers.Should().Throw<ArgumentOutOfRangeException>().Which.ParamName.Should().Be("numberOfWorkers");
        var seed = () => new MixedIntegerSolver(randomSeed: -1);
        seed.Should().Throw<ArgumentOutOfRangeException>().Which.ParamName.Should().Be("randomSeed");
    }

    [Fact]
    public void Solve_CancelledToken_Throws()
    {
        var act = () => new MixedIntegerSolver().Solve(Knapsack([1], [1], 1), new CancellationToken(canceled: true));
        act.Should().Throw<OperationCanceledException>();
    }
}
