using Microsoft.ML.Recourse.Optimization;
using Microsoft.ML.Recourse.Optimization.OrTools;
using Microsoft.ML.Recourse.Tests.TestFramework;
using static Microsoft.ML.Recourse.Tests.Optimization.LinearProgramTestData;

namespace Microsoft.ML.Recourse.Tests.Optimization.OrTools;

public class GlopSolverTests
{
    // max 3x + 2y  s.t.  x + y ≤ 4,  x + 3y ≤ 6,  0 ≤ x ≤ 3,  y ≥ 0; optimum (3, 1) with value 11.
    private static LinearProgram SmallMaximization() => new([3, 2], [0, 0], [3, Inf],
        [new LinearConstraint([0, 1], [1, 1], -Inf, 4), new LinearConstraint([0, 1], [1, 3], -Inf, 6)],
        sense: ObjectiveSense.Maximize);

    [Fact]
    public void Solve_SmallMaximization_FindsTheKnownOptimum()
    {
        var result = new GlopSolver().Solve(SmallMaximization());
        result.Status.Should().Be(LinearProgramStatus.Optimal);
        result.ObjectiveValue.Should().BeApproximately(11, 1e-9);
        result.Solution[0].Should().BeApproximately(3, 1e-9);
        result.Solution[1].Should().BeApproximately(1, 1e-9);
        result.Iterations.Should().BePositive();
    }

    [Fact]
    public void Solve_RandomGeneralLps_AreFeasibleAndProvedOptimalByLpDuality()
    {
        var random = new Random(1234);
        var glop = new GlopSolver();
        for (int trial = 0; trial < 300; trial++)
        {
            var problem = FeasibleBoundedLp(random, variables: random.Next(2, 12), rows: random.Next(1, 10));
            var result = glop.Solve(problem, out var rowPrices);

            result.Status.Should().Be(LinearProgramStatus.Optimal, $"trial {trial} is feasible and bounded by construction");
            MaxViolation(problem, result.Solution).Should().BeLessThan(1e-7, $"trial {trial}");
            // GLOP's row prices are only used as a certificate: the dual bound is recomputed here.
            double dualBound = DualBound(problem, rowPrices);
            (result.ObjectiveValue - dualBound).Should().BeLessThan(1e-6 * (1 + Math.Abs(result.ObjectiveValue)), $"trial {trial}: the duality gap closes");
        }
    }

    [Fact]
    public void Solve_Maximize_EqualsMinusTheMinimumOfTheNegatedObjective()
    {
        var random = new Random(99);
        for (int trial = 0; trial < 50; trial++)
        {
            var min = FeasibleBoundedLp(random, variables: 6, rows: 5);
            var max = new LinearProgram(min.Objective.Select(c => -c).ToArray(), min.ColumnLower, min.ColumnUpper, min.Constraints,
                sense: ObjectiveSense.Maximize);
            new GlopSolver().Solve(max).ObjectiveValue.Should().BeApproximately(-new GlopSolver().Solve(min).ObjectiveValue, 1e-7);
        }
    }

    [Fact]
    public void Solve_DuplicateIndicesInARow_AreAddedUp()
    {
        // x + x ≤ 3 with max x over [0, 10]: optimum 1.5.
        var problem = new LinearProgram([1], [0], [10], [new LinearConstraint([0, 0], [1, 1], -Inf, 3)], sense: ObjectiveSense.Maximize);
        new GlopSolver().Solve(problem).ObjectiveValue.Should().BeApproximately(1.5, 1e-12);
    }

    [Fact]
    public void Solve_InfeasibleRows_IsInfeasible()
    {
        // x + y ≥ 3 with x, y ∈ [0, 1].
        var problem = new LinearProgram([1, -1], [0, 0], [1, 1], [new LinearConstraint([0, 1], [1, 1], 3, Inf)]);
        var result = new GlopSolver().Solve(problem);
        result.Status.Should().Be(LinearProgramStatus.Infeasible);
        result.Solution.Should().BeEmpty();
        double.IsNaN(result.ObjectiveValue).Should().BeTrue();
        // Any positive multiple of y = 1 proves it: the row says x + y ≥ 3, the box says x + y ≤ 2.
        result.Certificate.Should().NotBeNull();
        result.Certificate!.Verify(problem).Should().BeGreaterThan(0);
    }

    [Fact]
    public void Solve_RandomInfeasibleLps_CarryACertificateThatVerifiesWithoutTheSolver()
    {
        var random = new Random(11);
        int checkedCount = 0;
        for (int trial = 0; trial < 300; trial++)
        {
            // Random rows around a point, plus one row that contradicts a positive combination of two others.
            int n = random.Next(2, 6);
            var rows = new List<LinearConstraint>();
            var a = Enumerable.Range(0, n).Select(_ => random.NextDouble() * 2 - 1).ToArray();
            rows.Add(new LinearConstraint(Enumerable.Range(0, n).ToArray(), a, 1 + random.NextDouble(), Inf));
            rows.Add(new LinearConstraint(Enumerable.Range(0, n).ToArray(), a.Select(v => -v).ToArray(), 0, Inf));
            var problem = new LinearProgram(Enumerable.Range(0, n).Select(_ => random.NextDouble()).ToArray(),
                Enumerable.Repeat(-5.0, n).ToArray(), Enumerable.Repeat(5.0, n).ToArray(), rows);
            var result = new GlopSolver().Solve(problem);
            result.Status.Should().Be(LinearProgramStatus.Infeasible, $"trial {trial}: aᵀx ≥ 1 and −aᵀx ≥ 0 contradict");
            result.Certificate.Should().NotBeNull($"trial {trial}");
            result.Certificate!.Verify(problem).Should().BeGreaterThan(0, $"trial {trial}");
            checkedCount++;
        }
        checkedCount.Should().Be(300);
    }

    [Fact]
    public void Solve_InfeasibleRowsWithUnboundedVariables_IsInfeasible()
    {
        // x ≥ 2 with x ∈ [−0.5, 0.5] and a free y: the re-examined verdict must end (it once recursed until the stack overflowed).
        var problem = new LinearProgram([0, 1], [-0.5, 0], [0.5, Inf], [new LinearConstraint([0], [1], 2, Inf)]);
        new GlopSolver().Solve(problem).Status.Should().Be(LinearProgramStatus.Infeasible);
    }

    [Fact]
    public void Solve_CrossedRowBounds_IsInfeasibleWithoutCallingGlop()
    {
        var problem = new LinearProgram([1, 1], [0, 0], [1, 1], [new LinearConstraint([0, 1], [1, 1], 2, 1)]);
        var result = new GlopSolver().Solve(problem);
        result.Status.Should().Be(LinearProgramStatus.Infeasible);
        result.Message.Should().Be("Row 0 has an empty range [2, 1].");
    }

    [Fact]
    public void Solve_UnboundedRay_IsUnbounded()
    {
        // min x − y s.t. x − y ≤ 4, x ∈ [0, 1], y ≥ 0: y grows without limit.
        var problem = new LinearProgram([1, -1], [0, 0], [1, Inf], [new LinearConstraint([0, 1], [1, -1], -Inf, 4)]);
        new GlopSolver().Solve(problem).Status.Should().Be(LinearProgramStatus.Unbounded);
    }

    [Fact]
    public void Solve_IntegerProgram_IsRefusedWithAPointerToTheMipSolver()
    {
        var problem = new LinearProgram([1], [0], [1], [new LinearConstraint([0], [1], 0, 1)], isInteger: [true]);
        var act = () => new GlopSolver().Solve(problem);
        act.Should().Throw<ArgumentOutOfRangeException>().WithMessage("*integer variables*Use MixedIntegerSolver*");
    }

    [Fact]
    public void Solve_FromManyThreads_GivesTheSameAnswersAsSequentially()
    {
        var random = new Random(7);
        var problems = Enumerable.Range(0, 64).Select(_ => FeasibleBoundedLp(random, 10, 8)).ToArray();
        var glop = new GlopSolver();
        var sequential = problems.Select(p => glop.Solve(p).ObjectiveValue).ToArray();
        var parallel = new double[problems.Length];
        Parallel.For(0, problems.Length, i => parallel[i] = glop.Solve(problems[i]).ObjectiveValue);
        parallel.Should().Equal(sequential);
    }

    [Fact]
    public void Solve_RepeatedlyAndFromManyThreads_GivesBitIdenticalSolutions()
    {
        var random = new Random(11);
        var problems = Enumerable.Range(0, 32).Select(_ => FeasibleBoundedLp(random, 12, 10)).ToArray();
        var glop = new GlopSolver();
        var first = problems.Select(p => glop.Solve(p).Solution.ToArray()).ToArray();
        var second = problems.Select(p => glop.Solve(p).Solution.ToArray()).ToArray();
        var parallel = new double[problems.Length][];
        Parallel.For(0, problems.Length, i => parallel[i] = glop.Solve(problems[i]).Solution.ToArray());
        for (int i = 0; i < problems.Length; i++)
        {
            first[i].Should().NotBeEmpty($"program {i} is feasible and bounded");
            second[i].Should().Equal(first[i], $"program {i}, second run");
            parallel[i].Should().Equal(first[i], $"program {i}, in parallel");
        }
    }

    [Fact]
    public void Solve_TenThousandRandomSeparablePrograms_AgreeWithTheClosedForm()
    {
        var random = new Random(17);
        var glop = new GlopSolver();
        var closedForm = new SeparableBoxSolver();
        for (int trial = 0; trial < 10_000; trial++)
        {
            int n = random.Next(1, 8);
            var lower = new double[n];
            var upper = new double[n];
            var objective = new double[n];
            for (int j = 0; j < n; j++)
            {
                lower[j] = random.NextDouble() < 0.1 ? -Inf : Math.Round(random.NextDouble() * 10 - 5, 3);
                upper[j] = random.NextDouble() < 0.1 ? Inf : (double.IsInfinity(lower[j]) ? 0 : lower[j]) + Math.Round(random.NextDouble() * 4, 3);
                objective[j] = random.NextDouble() < 0.1 ? 0 : Math.Round(random.NextDouble() * 2 - 1, 3);
            }
            var problem = new LinearProgram(objective, lower, upper, sense: random.NextDouble() < 0.5 ? ObjectiveSense.Minimize : ObjectiveSense.Maximize);
            var expected = closedForm.Solve(problem);
            var actual = glop.Solve(problem);
            actual.Status.Should().Be(expected.Status, $"trial {trial}");
            if (expected.IsOptimal)
                actual.ObjectiveValue.Should().BeApproximately(expected.ObjectiveValue, 1e-9, $"trial {trial}");
        }
    }

    [Fact]
    public void Constructor_NonPositiveLimits_Throw()
    {
        var seconds = () => new GlopSolver(maximumSeconds: 0);
        seconds.Should().Throw<ArgumentOutOfRangeException>().Which.ParamName.Should().Be("maximumSeconds");
        var nan = () => new GlopSolver(maximumSeconds: double.NaN);
        nan.Should().Throw<ArgumentOutOfRangeException>();
    }

    [Fact]
    public void Solve_CancelledToken_ThrowsBeforeSolving()
    {
        var act = () => new GlopSolver().Solve(SmallMaximization(), new CancellationToken(canceled: true));
        act.Should().Throw<OperationCanceledException>();
    }
}
