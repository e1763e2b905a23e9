using Microsoft.ML.Recourse.Optimization;
using Microsoft.ML.Recourse.Tests.TestFramework;

namespace Microsoft.ML.Recourse.Tests.Recourse;

/// <summary>
/// The exact solvers of the integer program against brute-force enumeration and against each other. Gains, changes
/// and costs are multiples of 1/8 and every right-hand side sits half a step off that lattice, so no choice lies within
/// rounding of a row and every method must agree on the optimum value.
/// </summary>
public class LinearIntegerProgramKnapsackTests
{
    private const double Step = 0.125;

    internal static ActionGridProblem RandomProblem(Random random, bool maximumCost, int generalRows = 0, int maxBlocks = 5, int maxChoices = 6)
    {
        int blocks = random.Next(1, maxBlocks + 1);
        var items = new ActionGridItem[blocks];
        int feature = 0;
        for (int i = 0; i < blocks; i++)
        {
            int members = random.Next(5) == 0 ? 2 : 1; // some blocks change two features, as a one-hot switch does
            int choices = random.Next(1, maxChoices + 1);
            var features = Enumerable.Range(feature, members).ToArray();
            feature += members;
            var changes = new double[choices * members];
            var gains = new double[choices];
            var costs = new double[choices];
            var ties = new double[choices];
            for (int k = 1; k < choices; k++)
            {
                for (int m = 0; m < members; m++) changes[k * members + m] = Step * random.Next(-8, 9);
                gains[k] = Step * random.Next(-6, 17);
                // Some free moves (cost 0) and repeated cost values, so ties and zero-cost gains occur.
                double leave = Step * random.Next(0, 9), enter = members == 2 ? Step * random.Next(0, 9) : 0;
                costs[k] = maximumCost ? Math.Max(leave, enter) : leave + enter;
                ties[k] = leave + enter;
            }
            items[i] = new ActionGridItem($"block{i}", features, changes, gains, costs, ties);
        }
        double maximum = items.Sum(item => item.Gains.Max());
        double need = Step * random.Next(-2, (int)(maximum / Step) + 3) + Step / 2;
        var rows = new List<LinearConstraint>();
        for (int r = 0; r < generalRows; r++)
        {
            var indices = Enumerable.Range(0, feature).Where(_ => random.Next(2) == 0).DefaultIfEmpty(0).ToArray();
            var coefficients = indices.Select(_ => (double)random.Next(-2, 3)).ToArray();
            // Centre the bound on the activity of a random choice, so some choices pass and some fail.
            var probe = new ActionGridProblem(feature, items, need, maximumCost, []).Delta(items.Select(item => random.Next(item.ChoiceCount)).ToArray());
            double activity = indices.Select((j, k) => coefficients[k] * probe[j]).Sum();
            rows.Add(new LinearConstraint(indices, coefficients, activity + Step * random.Next(-4, 3) + Step / 2, double.PositiveInfinity));
        }
        return new ActionGridProblem(feature, items, need, maximumCost, rows);
    }

    /// <summary>The least (primary, tie) objective over every combination, or null when none meets the rows.</summary>
    internal static (double Primary, double Tie)? BruteForce(ActionGridProblem problem, IReadOnlyList<bool[]> forbidden)
    {
        (double Primary, double Tie)? best = null;
        var choice = new int[problem.Items.Length];
        while (true)
        {
            if (problem.MeetsScore(problem.Gain(choice)) && problem.SatisfiesGeneralRows(choice)
                && !forbidden.Any(f => f.SequenceEqual(ActionGridProblem.Support(choice))))
            {
                var value = problem.Objective(choice);
                if (best is null || value.Primary < best.Value.Primary - 1e-12
                    || (Math.Abs(value.Primary - best.Value.Primary) <= 1e-12 && value.Tie < best.Value.Tie))
                    best = value;
            }
            int i = 0;
            while (i < choice.Length && ++choice[i] == problem.Items[i].ChoiceCount) choice[i++] = 0;
            if (i == choice.Length) return best;
        }
    }

    private static void ShouldMatch(ActionGridProblem problem, int[]? choice, (double Primary, double Tie)? expected, IReadOnlyList<bool[]> forbidden, string because)
    {
        if (expected is null)
        {
            choice.Should().BeNull(because);
            return;
        }
        choice.Should().NotBeNull(because);
        problem.MeetsScore(problem.Gain(choice!)).Should().BeTrue(because);
        problem.SatisfiesGeneralRows(choice!).Should().BeTrue(because);
        forbidden.Should().NotContain(f => f.SequenceEqual(ActionGridProblem.Support(choice!)), because);
        var value = problem.Objective(choice!);
        value.Primary.Should().BeApproximately(expected.Value.Primary, 1e-9, because);
        value.Tie.Should().BeApproximately(expected.Value.Tie, 1e-6, because);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Solve_RandomInstances_MatchesBruteForce(bool maximumCost)
    {
        var random = new Random(maximumCost ? 11 : 7);
        int feasible = 0;
        for (int instance = 0; instance < 600; instance++)
        {
            var problem = RandomProblem(random, maximumCost);
            var expected = BruteForce(problem, []);
            var solution = MultipleChoiceKnapsack.Solve(problem, []);
            solution.HitStateLimit.Should().BeFalse();
            ShouldMatch(problem, solution.Choice, expected, [], $"instance {instance}");
            if (expected is not null) feasible++;
        }
        feasible.Should().BeInRange(100, 550, "the instances mix feasible and infeasible programs");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Solve_DistinctSubsetCuts_MatchesBruteForceAtEveryStep(bool maximumCost)
    {
        var random = new Random(maximumCost ? 23 : 19);
        for (int instance = 0; instance < 200; instance++)
        {
            var problem = RandomProblem(random, maximumCost);
            var forbidden = new List<bool[]>();
            (double Primary, double Tie)? previous = null;
            for (int step = 0; step < 5; step++)
            {
                var expected = BruteForce(problem, forbidden);
                var choice = MultipleChoiceKnapsack.Solve(problem, forbidden).Choice;
                ShouldMatch(problem, choice, expected, forbidden, $"instance {instance}, step {step}");
                if (choice is null) break;
                var value = problem.Objective(choice);
                if (previous is not null) value.Primary.Should().BeGreaterThanOrEqualTo(previous.Value.Primary - 1e-12);
                previous = value;
                forbidden.Add(ActionGridProblem.Support(choice));
            }
        }
    }

    [Fact]
    public void Solve_LargeGrids_ProvesOptimumWithinTheStateLimit()
    {
        // 12 blocks of 41 choices: far beyond enumeration; the LP bounds must keep the tree small.
        var random = new Random(5);
        for (int instance = 0; instance < 20; instance++)
        {
            var items = Enumerable.Range(0, 12).Select(i =>
            {
                var changes = Enumerable.Range(0, 41).Select(k => (k - 20) * 0.05).ToArray();
                double w = random.NextDouble() * 2 - 1, c = random.NextDouble() + 0.1;
                return new ActionGridItem($"f{i}", [i], changes, changes.Select(a => w * a).ToArray(), changes.Select(a => c * Math.Abs(a)).ToArray(), changes.Select(a => c * Math.Abs(a)).ToArray());
            }).ToArray();
            var problem = new ActionGridProblem(12, items, 0.4 * items.Sum(item => item.Gains.Max()), false, []);
            var solution = MultipleChoiceKnapsack.Solve(problem, [], stateLimit: 1_000_000);
            solution.HitStateLimit.Should().BeFalse($"instance {instance}");
            solution.Choice.Should().NotBeNull();
        }
    }

    [Fact]
    public void MixedIntegerEngine_RandomInstances_MatchesKnapsackSolver()
    {
        var random = new Random(31);
        for (int instance = 0; instance < 150; instance++)
        {
            bool maximumCost = instance % 2 == 1;
            var problem = RandomProblem(random, maximumCost, maxBlocks: 7, maxChoices: 8);
            var fast = MultipleChoiceKnapsack.Solve(problem, []).Choice;
            var expected = fast is null ? ((double, double)?)null : problem.Objective(fast);
            ShouldMatch(problem, SolveWithMixedIntegerEngine(problem, []), expected, [], $"instance {instance} ({(maximumCost ? "max" : "additive")})");
        }
    }

    [Fact]
    public void MixedIntegerEngine_GeneralRowsAndCuts_MatchesBruteForce()
    {
        var random = new Random(37);
        int feasible = 0;
        for (int instance = 0; instance < 150; instance++)
        {
            bool maximumCost = instance % 3 == 2;
            var problem = RandomProblem(random, maximumCost, generalRows: 1 + instance % 3);
            var forbidden = new List<bool[]>();
            for (int step = 0; step < 3; step++)
            {
                var expected = BruteForce(problem, forbidden);
                var choice = SolveWithMixedIntegerEngine(problem, forbidden);
                ShouldMatch(problem, choice, expected, forbidden, $"instance {instance}, step {step}");
                if (choice is null) break;
                feasible++;
                forbidden.Add(ActionGridProblem.Support(choice));
            }
        }
        feasible.Should().BeGreaterThan(100);
    }

    private static int[]? SolveWithMixedIntegerEngine(ActionGridProblem problem, IReadOnlyList<bool[]> forbidden)
    {
        var result = LinearProgramSolver.Solve(problem.ToIntegerProgram(forbidden));
        result.Status.Should().BeOneOf(LinearProgramStatus.Optimal, LinearProgramStatus.Infeasible);
        return result.IsOptimal ? problem.ChoiceFromSolution(result.Solution) : null;
    }
}
