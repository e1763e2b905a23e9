using Microsoft.ML;
using Microsoft.ML.Recourse.Persuasion;
using Microsoft.ML.Recourse.Tests.TestFramework;

namespace Microsoft.ML.Recourse.Tests.Persuasion;

public class PersuasionCatalogTests
{
    private const double Exact = 1e-6;

    [Theory]
    [InlineData(0.1, 0.2, 0.5, 0.1, 0.0)]
    [InlineData(0.05, 0.06, 0.05 / 0.06, 0.05, 0.0)]
    [InlineData(0.5, 0.2, 1.0, 0.5, 1.0)]
    public void Solve_BinaryFixture_MatchesSpecTable(double p, double c, double persuasion, double full, double none)
    {
        var ctx = new MLContext(seed: 1).Recourse();
        var result = ctx.Persuasion.Solve(PersuasionFixtures.Binary(ctx, p, c));

        result.Persuasion.DecisionMakerUtility.Should().BeApproximately(persuasion, Exact);
        result.FullDisclosure.DecisionMakerUtility.Should().BeApproximately(full, Exact);
        result.NoDisclosure.DecisionMakerUtility.Should().BeApproximately(none, Exact);
        result.FullDisclosure.SubjectUtility.Should().BeApproximately(p * (1 - c), Exact);
        result.NoDisclosure.SubjectUtility.Should().BeApproximately(Math.Max(0, p - c), Exact);
        if (p < c) result.Persuasion.SubjectUtility.Should().BeApproximately(0, Exact);
        result.RegionCount.Should().Be(2);
    }

    [Fact]
    public void Solve_BinaryFixture_RecommendsImproveInGoodRegionAndBindsObedienceInBad()
    {
        var ctx = new MLContext(seed: 1).Recourse();
        var result = ctx.Persuasion.Solve(PersuasionFixtures.Binary(ctx, 0.1, 0.2));

        result.Policy.GetProbabilities(0)[1].Should().BeApproximately(1, Exact);
        // q = p(1 − c) / ((1 − p) c) = 0.08 / 0.18.
        result.Policy.GetProbabilities(1)[1].Should().BeApproximately(0.08 / 0.18, Exact);
    }

    [Fact]
    public void Solve_ThreeActionFixture_MatchesSpecValuesAndPolicy()
    {
        var ctx = new MLContext(seed: 1).Recourse();
        var result = ctx.Persuasion.Solve(PersuasionFixtures.ThreeActions(ctx, gamingUtility: 0));

        result.Persuasion.DecisionMakerUtility.Should().BeApproximately(0.5, Exact);
        result.FullDisclosure.DecisionMakerUtility.Should().BeApproximately(0.1, Exact);
        result.NoDisclosure.DecisionMakerUtility.Should().BeApproximately(0, Exact);
        result.Persuasion.SubjectUtility.Should().BeApproximately(0.2, Exact);
        result.FullDisclosure.SubjectUtility.Should().BeApproximately(0.34, Exact);
        result.NoDisclosure.SubjectUtility.Should().BeApproximately(0.2, Exact);
        result.Problem.Actions[result.NoDisclosureActionIndex].Name.Should().Be("game");

        // The spec's policy (improve in (0,1,1) and (0,1,0), game in (0,0,1), improve 1/3 in (0,0,0)) is one of several
        // optimal vertices of this LP (the decision maker is indifferent between nothing and game); every optimum
        // recommends improve with total probability 0.5 and is obedient. Which vertex a simplex returns is the solver's choice.
        var policy = result.Policy;
        double improve = policy.Regions.Select((r, k) => r.Mass * policy.GetProbabilities(k)[1]).Sum();
        improve.Should().BeApproximately(0.5, Exact);
        MinimumObedienceSlack(result).Should().BeGreaterThanOrEqualTo(-1e-7);
    }

    [Fact]
    public void Solve_ThreeActionFixtureWithGamingPenalty_MatchesSpecValues()
    {
        var ctx = new MLContext(seed: 1).Recourse();
        var result = ctx.Persuasion.Solve(PersuasionFixtures.ThreeActions(ctx, gamingUtility: -1));

        result.Persuasion.DecisionMakerUtility.Should().BeApproximately(4.0 / 9, Exact);
        result.FullDisclosure.DecisionMakerUtility.Should().BeApproximately(-0.2, Exact);
        result.NoDisclosure.DecisionMakerUtility.Should().BeApproximately(-1, Exact);
    }

    [Fact]
    public void Solve_RandomInstances_PersuasionDominatesBaselinesAndPolicyIsObedient()
    {
        var random = new Random(20220);
        for (int instance = 0; instance < 300; instance++)
        {
            var ctx = new MLContext(seed: instance).Recourse();
            var problem = RandomProblem(ctx, random);
            var result = ctx.Persuasion.Solve(problem);

            double dm = result.Persuasion.DecisionMakerUtility, ds = result.Persuasion.SubjectUtility;
            dm.Should().BeGreaterThanOrEqualTo(Math.Max(result.FullDisclosure.DecisionMakerUtility, result.NoDisclosure.DecisionMakerUtility) - 1e-7,
                $"instance {instance}: the decision maker is never worse off");
            ds.Should().BeGreaterThanOrEqualTo(result.NoDisclosure.SubjectUtility - 1e-7, $"instance {instance}: the subject is never worse off than with no information");
            result.FullDisclosure.SubjectUtility.Should().BeGreaterThanOrEqualTo(ds - 1e-7, $"instance {instance}: full transparency bounds the subject's utility");
            MinimumObedienceSlack(result).Should().BeGreaterThanOrEqualTo(-1e-7, $"instance {instance}: the policy is obedient");
        }
    }

    [Fact]
    public void Solve_WithObedienceMargin_EveryRecommendationStrictlyBeatsDeviation()
    {
        var ctx = new MLContext(seed: 3).Recourse();
        var problem = PersuasionFixtures.ThreeActions(ctx, gamingUtility: 0);
        var result = ctx.Persuasion.Solve(problem, obedienceMargin: 1e-3);

        var regions = result.Policy.Regions;
        for (int a = 0; a < 3; a++)
        {
            double recommended = regions.Select((r, k) => r.Mass * result.Policy.GetProbabilities(k)[a]).Sum();
            if (recommended < 1e-9) continue;
            for (int other = 0; other < 3; other++)
            {
                if (other == a) continue;
                double gain = regions.Select((r, k) => r.Mass * result.Policy.GetProbabilities(k)[a] *
                    ((r.AcceptancePattern[a] ? 1 : 0) - problem.Actions[a].Cost - (r.AcceptancePattern[other] ? 1 : 0) + problem.Actions[other].Cost)).Sum();
                (gain / recommended).Should().BeGreaterThanOrEqualTo(1e-3 - 1e-7);
            }
        }
        result.Persuasion.DecisionMakerUtility.Should().BeLessThan(0.5).And.BeGreaterThan(0.45);
    }

    [Fact]
    public void Recommend_KnownAndUnseenPatterns_DrawsFromRegionOrFallsBackToNoInformationAction()
    {
        var ctx = new MLContext(seed: 5).Recourse();
        var result = ctx.Persuasion.Solve(PersuasionFixtures.ThreeActions(ctx, gamingUtility: 0));

        var policy = result.Policy;
        var unseen = ctx.Persuasion.Recommend(result, [true, true, true]);
        unseen.IsRegionKnown.Should().BeFalse();
        unseen.Action.Name.Should().Be("game");

        // Draws follow the policy's probabilities in the region (within 4.5 binomial standard deviations).
        foreach (bool[] pattern in new[] { new[] { false, false, false }, [false, true, true], [false, false, true] })
        {
            var probabilities = policy.GetProbabilities(policy.FindRegion(pattern));
            var draws = Enumerable.Range(0, 3000).Select(_ => ctx.Persuasion.Recommend(result, pattern).ActionIndex).ToArray();
            for (int a = 0; a < probabilities.Count; a++)
            {
                double p = probabilities[a], spread = 4.5 * Math.Sqrt(3000 * p * (1 - p)) + 1;
                ((double)draws.Count(d => d == a)).Should().BeInRange(3000 * p - spread, 3000 * p + spread, $"action {a} in {string.Concat(pattern.Select(b => b ? '1' : '0'))}");
            }
        }
    }

    [Fact]
    public void CreateProblem_BadExplicitInput_ThrowsClearErrors()
    {
        var ctx = new MLContext(seed: 1).Recourse();
        PersuasionAction[] actions = [new("nothing", 0, 0), new("improve", 0.3, 1)];

        FluentActions.Invoking(() => new PersuasionAction("improve", -0.1, 1))
            .Should().Throw<ArgumentOutOfRangeException>().WithMessage("*'improve'*cost*≥ 0*-0.1*");
        FluentActions.Invoking(() => ctx.Persuasion.CreateProblem(actions, [new EquivalenceRegion([false, true], 0.5), new EquivalenceRegion([false, false], 0.5 + 2e-9)]))
            .Should().Throw<ArgumentOutOfRangeException>().WithMessage("*masses sum to 1.000000002*must sum to 1*");
        FluentActions.Invoking(() => ctx.Persuasion.CreateProblem(actions, [new EquivalenceRegion([false, true], 0.5), new EquivalenceRegion([false, false], 0.5 + 5e-10)]))
            .Should().NotThrow("a sum within 1e-9 of 1 is accepted");
        FluentActions.Invoking(() => ctx.Persuasion.CreateProblem(actions, [new EquivalenceRegion([false, true, true], 1)]))
            .Should().Throw<ArgumentOutOfRangeException>().WithMessage("*Region 0*length 3*2 actions*");
        FluentActions.Invoking(() => ctx.Persuasion.CreateProblem([new PersuasionAction("improve", 0.3, 1)], [new EquivalenceRegion([true], 1)]))
            .Should().Throw<ArgumentOutOfRangeException>().WithMessage("*\"do nothing\"*zero cost*");
        FluentActions.Invoking(() => ctx.Persuasion.CreateProblem(actions, [new EquivalenceRegion([false, true], 0.5), new EquivalenceRegion([false, true], 0.5)]))
            .Should().Throw<ArgumentOutOfRangeException>().WithMessage("*Region 1 repeats*(01)*region 0*");
        FluentActions.Invoking(() => ctx.Persuasion.Solve(PersuasionFixtures.Binary(ctx, 0.1, 0.2), obedienceMargin: -0.1))
            .Should().Throw<ArgumentOutOfRangeException>().WithMessage("*obedience margin*");
    }

    private static bool Close(double actual, double expected) => Math.Abs(actual - expected) <= Exact;

    /// <summary>The smallest obedience-row value Σ_k π_k p[k,a] (U[k,a] − U[k,a']) over all a ≠ a'.</summary>
    private static double MinimumObedienceSlack(PersuasionResult result)
    {
        var actions = result.Problem.Actions;
        var regions = result.Policy.Regions;
        double minimum = double.PositiveInfinity;
        for (int a = 0; a < actions.Count; a++)
            for (int other = 0; other < actions.Count; other++)
            {
                if (other == a) continue;
                double row = 0;
                for (int k = 0; k < regions.Count; k++)
                    row += regions[k].Mass * result.Policy.GetProbabilities(k)[a] *
                        ((regions[k].AcceptancePattern[a] ? 1 : 0) - actions[a].Cost - (regions[k].AcceptancePattern[other] ? 1 : 0) + actions[other].Cost);
                minimum = Math.Min(minimum, row);
            }
        return minimum;
    }

    private static PersuasionProblem RandomProblem(RecourseCatalog ctx, Random random)
    {
        int n = random.Next(2, 6);
        var actions = new List<PersuasionAction> { new("a0", 0, Math.Round(random.NextDouble() * 2 - 1, 2)) };
        for (int a = 1; a < n; a++)
            actions.Add(new PersuasionAction($"a{a}", Math.Round(random.NextDouble() * 1.2, 2), Math.Round(random.NextDouble() * 2 - 1, 2)));
        var masks = Enumerable.Range(0, 1 << n).OrderBy(_ => random.Next()).Take(random.Next(1, Math.Min(1 << n, 12) + 1)).ToArray();
        var weights = masks.Select(_ => -Math.Log(1 - random.NextDouble())).ToArray();
        double total = weights.Sum();
        var regions = masks.Select((mask, k) => new EquivalenceRegion(
            Enumerable.Range(0, n).Select(a => (mask >> a & 1) != 0).ToArray(), weights[k] / total)).ToArray();
        return ctx.Persuasion.CreateProblem(actions, regions);
    }
}
