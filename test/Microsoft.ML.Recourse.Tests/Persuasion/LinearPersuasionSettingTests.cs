using Microsoft.ML;
using MathNet.Numerics.Distributions;
using Microsoft.ML.Recourse.Persuasion;
using Microsoft.ML.Recourse.Tests.TestFramework;

namespace Microsoft.ML.Recourse.Tests.Persuasion;

public class LinearPersuasionSettingTests
{
    private static readonly double[] Weights = [1.0, -0.5];
    private const double Bias = -0.8;
    private static readonly double[] Subject = [0.2, 0.4];

    private static PersuasionAction[] Actions() =>
    [
        new("nothing", 0, 0, [0.0, 0.0]),
        new("improve", 0.3, 1, [0.6, 0.0]),
        new("game", 0.1, 0, [0.0, -0.5]),
    ];

    [Fact]
    public void CreateProblem_GaussianPrior_AcceptanceMarginalsMatchClosedForm()
    {
        var ctx = new MLContext(seed: 11).Recourse();
        const double variance = 0.4;
        const int samples = 40_000;
        var problem = ctx.Persuasion.CreateProblem(Weights, Bias, Subject, Actions(), variance, samples);

        problem.Regions.Sum(r => r.Mass).Should().BeApproximately(1, 1e-12);
        problem.SampleCount.Should().Be(samples);
        for (int a = 0; a < 3; a++)
        {
            double[] x = [Subject[0] + problem.Actions[a].Effect[0], Subject[1] + problem.Actions[a].Effect[1], 1];
            double mean = Weights[0] * x[0] + Weights[1] * x[1] + Bias;
            double expected = Normal.CDF(0, 1, mean / Math.Sqrt(variance * x.Sum(v => v * v)));
            double estimated = problem.Regions.Where(r => r.AcceptancePattern[a]).Sum(r => r.Mass);
            estimated.Should().BeApproximately(expected, 4 * Math.Sqrt(expected * (1 - expected) / samples), $"action {a}");
        }
    }

    [Fact]
    public void CreateProblem_SameSeed_GivesSameRegions()
    {
        PersuasionProblem Make() => new MLContext(seed: 7).Recourse().Persuasion.CreateProblem(Weights, Bias, Subject, Actions(), 0.4, 5000);
        var first = Make();
        var second = Make();
        second.Regions.Select(r => (r.PatternText, r.Mass)).Should().Equal(first.Regions.Select(r => (r.PatternText, r.Mass)));
    }

    [Fact]
    public void CreateProblem_IdenticalActions_AlwaysShareTheirAcceptance()
    {
        var ctx = new MLContext(seed: 2).Recourse();
        PersuasionAction[] actions = [new("nothing", 0, 0, [0.0, 0.0]), new("a", 0.1, 1, [0.5, 0.5]), new("b", 0.2, 0, [0.5, 0.5])];
        var problem = ctx.Persuasion.CreateProblem(Weights, Bias, Subject, actions, 1.0, 5000);

        problem.Regions.Should().OnlyContain(r => r.AcceptancePattern[1] == r.AcceptancePattern[2]);
        problem.Regions.Count.Should().BeGreaterThan(1);
    }

    [Fact]
    public void CreateProblem_EmpiricalPrior_MassesAreFrequenciesOfTheGivenRules()
    {
        var ctx = new MLContext(seed: 4).Recourse();
        IReadOnlyList<double>[] rules = [[1.0, 0, 0], [-1.0, 0, 0], [0, 0, -1.0], [0, 0, -1.0]];
        var setting = new LinearPersuasionSetting([1.0, 0], [new("nothing", 0, 0, [0.0, 0]), new("up", 0.1, 1, [0.0, 2])], DecisionRulePrior.FromSamples(rules));
        var problem = ctx.Persuasion.CreateProblem(setting, 40_000);

        problem.Regions.Select(r => r.PatternText).Should().BeEquivalentTo(["11", "00"]);
        problem.Regions.Single(r => r.PatternText == "11").Mass.Should().BeApproximately(0.25, 0.01);
    }

    [Fact]
    public void EnumerateRegions_GeneralPosition_MatchesCoverCountAndContainsEverySampledPattern()
    {
        var ctx = new MLContext(seed: 9).Recourse();
        var random = new Random(9);
        var actions = new List<PersuasionAction> { new("nothing", 0, 0, [0.0, 0.0]) };
        for (int a = 1; a < 4; a++) actions.Add(new PersuasionAction($"a{a}", 0.1 * a, 1, [random.NextDouble() * 4 - 2, random.NextDouble() * 4 - 2]));
        var setting = new LinearPersuasionSetting(Subject, actions, DecisionRulePrior.Gaussian([.. Weights, Bias], 3.0));

        var exact = ctx.Persuasion.EnumerateRegions(setting);
        // Cover (1965): n = 4 hyperplanes through the origin of ℝ³ in general position cut 2·Σ_{i<3} C(3, i) = 14 cells.
        exact.Should().HaveCount(14);
        var exactPatterns = exact.Select(p => string.Concat(p.Select(b => b ? '1' : '0'))).ToHashSet();
        var sampled = ctx.Persuasion.CreateProblem(setting, 50_000);
        sampled.Regions.Should().OnlyContain(r => exactPatterns.Contains(r.PatternText));
        ctx.Persuasion.IsRegionNonEmpty(setting, sampled.Regions[0].AcceptancePattern).Should().BeTrue();
    }

    [Fact]
    public void Recommend_RealisedRule_UsesItsAcceptancePattern()
    {
        var ctx = new MLContext(seed: 12).Recourse();
        var result = ctx.Persuasion.Solve(ctx.Persuasion.CreateProblem(Weights, Bias, Subject, Actions(), 0.4, 5000));
        var setting = result.Problem.Setting!;
        var rule = setting.Prior.SampleRule(new Random(1));
        var pattern = setting.AcceptancePattern(rule);

        var recommendation = ctx.Persuasion.Recommend(result, rule);
        recommendation.IsRegionKnown.Should().Be(result.Policy.FindRegion(pattern) >= 0);
        recommendation.Probabilities[recommendation.ActionIndex].Should().BeGreaterThan(0);
    }

    [Fact]
    public void ApproximateSignaling_ManySamples_ApproachesExactOptimumAndNeverLosesToBaselines()
    {
        var ctx = new MLContext(seed: 21).Recourse();
        var exact = ctx.Persuasion.Solve(ctx.Persuasion.CreateProblem(Weights, Bias, Subject, Actions(), 0.4, 100_000));
        var scheme = ctx.Persuasion.ApproximateSignaling(exact.Problem.Setting!, epsilon: 0.01, numberOfSamples: 4000);

        var outcome = scheme.Evaluate(numberOfRules: 300);
        outcome.DecisionMakerUtility.Should().BeApproximately(exact.Persuasion.DecisionMakerUtility, 0.08);
        outcome.DecisionMakerUtility.Should().BeGreaterThan(Math.Max(exact.FullDisclosure.DecisionMakerUtility, exact.NoDisclosure.DecisionMakerUtility) - 0.05);
        var recommendation = scheme.Recommend([.. Weights, Bias]);
        recommendation.IsRegionKnown.Should().BeTrue();
        recommendation.Probabilities.Sum().Should().BeApproximately(1, 1e-9);
    }

    [Fact]
    public void Constructors_BadLinearInput_ThrowClearErrors()
    {
        var ctx = new MLContext(seed: 1).Recourse();
        FluentActions.Invoking(() => ctx.Persuasion.CreateProblem(Weights, Bias, Subject, Actions(), priorVariance: 0))
            .Should().Throw<ArgumentOutOfRangeException>().WithMessage("*variance σ²*> 0*got 0*");
        FluentActions.Invoking(() => ctx.Persuasion.CreateProblem(Weights, Bias, Subject, Actions(), priorVariance: -1))
            .Should().Throw<ArgumentOutOfRangeException>().WithMessage("*variance σ²*");
        FluentActions.Invoking(() => ctx.Persuasion.CreateProblem(Weights, Bias, [0.2, 0.4, 0.1], Actions(), 0.4))
            .Should().Throw<ArgumentOutOfRangeException>().WithMessage("*subject has 3 features*2 weights*");
        FluentActions.Invoking(() => ctx.Persuasion.CreateProblem(Weights, Bias, Subject, [new("improve", 0.3, 1, [0.6, 0.0]), new("free", 0, 0, [0.1, 0])], 0.4))
            .Should().Throw<ArgumentOutOfRangeException>().WithMessage("*\"do nothing\"*");
        FluentActions.Invoking(() => ctx.Persuasion.CreateProblem(Weights, Bias, Subject, [new("nothing", 0, 0, [0.0, 0.0]), new("improve", 0.3, 1, [0.6])], 0.4))
            .Should().Throw<ArgumentOutOfRangeException>().WithMessage("*'improve'*effect of length 1*2 features*");
        FluentActions.Invoking(() => ctx.Persuasion.CreateProblem(Weights, Bias, Subject, Actions(), 0.4, numberOfSamples: 0))
            .Should().Throw<ArgumentOutOfRangeException>().WithParameterName("numberOfSamples");
    }
}
