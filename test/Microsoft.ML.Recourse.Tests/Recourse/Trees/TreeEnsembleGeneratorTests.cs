using Microsoft.ML.Recourse.Actions;
using Microsoft.ML.Recourse.Models;
using Microsoft.ML.Recourse.Trees;

namespace Microsoft.ML.Recourse.Tests.Recourse.Trees;

public class TreeEnsembleGeneratorTests
{
    [Fact]
    public void ScoreThreshold_is_the_smallest_raw_score_whose_probability_reaches_the_threshold()
    {
        var random = new Random(4);
        var tree = new RegressionTree([0], [0.0], null, [~0], [~1], [-1.0, 1.0]);
        for (int trial = 0; trial < 500; trial++)
        {
            var calibrator = trial % 3 == 0 ? null : new PlattCalibrator(-(0.1 + 5 * random.NextDouble()), 4 * random.NextDouble() - 2);
            var scorer = new TreeEnsembleScorer(new TreeEnsembleModel(1, [tree], calibrator: calibrator));
            double threshold = 0.001 + 0.998 * random.NextDouble();
            double s = scorer.ScoreThreshold(threshold);
            Assert.True(scorer.ProbabilityOf(s) >= threshold);
            Assert.True(scorer.ProbabilityOf(Math.BitDecrement(s)) < threshold);
        }
        // Without a calibrator θ₀ = 0.5 is s ≥ 0, up to the rounding of σ near 0.
        Assert.Equal(0, new TreeEnsembleScorer(new TreeEnsembleModel(1, [tree])).ScoreThreshold(0.5), 1e-15);
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => new TreeEnsembleScorer(new TreeEnsembleModel(1, [tree], calibrator: new PlattCalibrator(1, 0))));
        Assert.Contains("slope must be negative", ex.Message);
    }

    [Fact]
    public void Generate_returns_gated_valid_actions_and_proved_infeasibility_like_the_exact_solver()
    {
        var random = new Random(31);
        int found = 0, infeasible = 0;
        for (int trial = 0; trial < 60; trial++)
        {
            var instance = TreeRecourseBruteForce.Random(random, group: trial % 2 == 0);
            var scorer = new TreeEnsembleScorer(instance.Model);
            double threshold = scorer.ProbabilityOf(instance.ScoreThreshold);
            if (!(threshold > 0 && threshold < 1))
                continue;
            var rows = instance.X.Concat(instance.X).ToArray();
            var generator = new TreeEnsembleGenerator();
            var results = generator.Generate(scorer, threshold, instance.Actions, rows);
            var detailed = generator.GenerateDetailed(scorer, threshold, instance.Actions, rows);
            Assert.Equal(2, results.Count);
            // θ₀ on g is the raw threshold s* = ScoreThreshold(θ₀) (at most the instance's own after the round trip).
            var expected = TreeRecourseBruteForce.Solve(instance with { ScoreThreshold = scorer.ScoreThreshold(threshold) }, TreeRecourseCost.L1, null, []);
            foreach (var (result, row) in results.Zip(detailed))
            {
                if (expected is null)
                {
                    Assert.Equal(RecourseStatus.Infeasible, result.Status);
                    Assert.Null(result.Delta);
                    infeasible++;
                    continue;
                }
                Assert.Equal(RecourseStatus.Found, result.Status);
                Assert.True(result.IsValid);
                Assert.True(instance.Actions.Contains(instance.X, result.Delta!.ToArray()));
                Assert.True(result.ScoreAfter >= threshold);
                Assert.Equal(row.Best!.Delta, result.Delta);
                Assert.Equal(instance.Actions.Cost(result.Delta!.ToArray()), result.Cost, 12);
                Assert.True(Math.Abs(result.Cost - expected.Value.Cost) <= 1e-6 * (1 + result.Cost), $"trial {trial}: {result.Cost} vs {expected.Value.Cost}");
                found++;
            }
        }
        Assert.InRange(found, 10, 120);
        Assert.InRange(infeasible, 10, 120);
    }

    [Fact]
    public void An_accepted_row_gets_no_change_and_other_scorers_are_refused()
    {
        var features = new[] { new FeatureInfo("a", Actionability: FeatureActionability.Free) };
        var actions = ActionSet.FromFeatures(features, 1);
        var scorer = new TreeEnsembleScorer(new TreeEnsembleModel(1, [new RegressionTree([0], [0.0], null, [~0], [~1], [-1.0, 1.0])]));
        var result = new TreeEnsembleGenerator().Generate(scorer, 0.5, actions, new[] { 2.0 })[0];
        Assert.Equal(RecourseStatus.Found, result.Status);
        Assert.Equal([0.0], result.Delta);
        Assert.True(result.IsValid);
        Assert.Contains("already accepts", result.Message);
        var other = new LogisticRegressionModelParameters([1.0], 0);
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => new TreeEnsembleGenerator().Generate(other, 0.5, actions, new[] { 0.0 }));
        Assert.Equal("model", ex.ParamName);
        Assert.Contains(nameof(TreeEnsembleScorer), ex.Message);
        Assert.Equal("trees", new TreeEnsembleGenerator().Name);
    }
}
