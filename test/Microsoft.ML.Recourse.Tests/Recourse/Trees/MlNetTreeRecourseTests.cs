namespace Microsoft.ML.Recourse.Tests.Recourse.Trees;

using Microsoft.ML.Recourse.Actions;
using Microsoft.ML.Recourse.Models;
using Microsoft.ML.Recourse.Trees;
using static Microsoft.ML.Recourse.Tests.Recourse.Trees.MlNetTreeFixtures;

/// <summary>Recourse on models trained by ML.NET, checked by ML.NET's own scoring of every returned counterfactual.</summary>
public class MlNetTreeRecourseTests
{
    // x0 free, x1 increase-only on an integer grid, x2 decrease-only within [−2, 2], x3 immutable; the category (slots
    // 4–6) a mutable one-hot group; δ_max = 1.5.
    private static ActionSet Actions()
    {
        var features = new[]
        {
            new FeatureInfo("x0", Actionability: FeatureActionability.Free),
            new FeatureInfo("x1", Actionability: FeatureActionability.IncreaseOnly),
            new FeatureInfo("x2", Actionability: FeatureActionability.DecreaseOnly),
            new FeatureInfo("x3", Actionability: FeatureActionability.Immutable),
            new FeatureInfo("red", IsCategorical: true),
            new FeatureInfo("green", IsCategorical: true),
            new FeatureInfo("blue", IsCategorical: true),
        };
        return ActionSet.CreateBuilder(features, 1.5).SetInteger("x1").SetBounds("x2", -2, 2)
            .AddOneHotGroup("colour", ["red", "green", "blue"]).Build();
    }

    [Theory]
    [InlineData(MlNetTreeTrainer.FastTree)]
    [InlineData(MlNetTreeTrainer.FastTreeCategorical)]
    [InlineData(MlNetTreeTrainer.FastForest)]
    [InlineData(MlNetTreeTrainer.LightGbm)]
    [InlineData(MlNetTreeTrainer.LightGbmCategorical)]
    public void Every_counterfactual_is_accepted_by_MLNET_PredictedLabel(MlNetTreeTrainer trainer)
    {
        var trained = Train(trainer, trees: 30, leaves: 12);
        var model = MlNetTreeEnsembles.FromTransformer(trained.Predictor);
        var actions = Actions();
        var solver = new TreeEnsembleRecourse(model, new TreeEnsembleRecourse.Options { NumberOfOptions = 2 });
        var test = trained.TestFeatures();
        var before = trained.Predict(test);
        var counterfactuals = new List<float[]>();
        int rejected = 0, infeasible = 0;
        for (int r = 0; r < test.Length; r++)
        {
            if (before[r].Label)
                continue;
            rejected++;
            var result = solver.Solve(test[r].Select(v => (double)v).ToArray(), MlNetTreeEnsembles.PredictedLabelScoreThreshold, actions);
            Assert.True(result.Status is TreeRecourseStatus.Optimal or TreeRecourseStatus.Infeasible, $"row {r}: {result}");
            infeasible += result.Status == TreeRecourseStatus.Infeasible ? 1 : 0;
            foreach (var option in result.Options)
            {
                Assert.True(actions.Contains(test[r].Select(v => (double)v).ToArray(), option.Delta.ToArray()));
                // The counterfactual is exactly a float vector: ML.NET sees the point the solver scored.
                Assert.All(option.Counterfactual, v => Assert.Equal(v, (double)(float)v));
                counterfactuals.Add(option.Counterfactual.Select(v => (float)v).ToArray());
            }
        }
        var after = trained.Predict(counterfactuals);
        Assert.All(after, prediction => Assert.True(prediction.Label, $"ML.NET scores a counterfactual {prediction.Score}"));
        Assert.InRange(rejected, 20, test.Length);
        Assert.InRange(counterfactuals.Count, rejected - infeasible, 2 * (rejected - infeasible));
        Assert.InRange(rejected - infeasible, 10, rejected);
    }

    [Fact]
    public void The_generator_meets_the_calibrated_probability_threshold_as_MLNET_computes_it()
    {
        var trained = Train(MlNetTreeTrainer.FastTreeCategorical, trees: 30, leaves: 12);
        var scorer = new TreeEnsembleScorer(MlNetTreeEnsembles.FromTransformer(trained.Predictor));
        var test = trained.TestFeatures();
        var rows = test.SelectMany(f => f.Select(v => (double)v)).ToArray();
        var results = new TreeEnsembleGenerator().Generate(scorer, 0.7, Actions(), rows);
        var valid = results.Where(r => r.IsValid && r.Delta!.Any(d => d != 0)).ToList();
        Assert.InRange(valid.Count, 10, test.Length);
        var view = trained.Context.Data.LoadFromEnumerable(valid.Select(r => new FeatureRow { Features = r.Counterfactual!.Select(v => (float)v).ToArray() }));
        var scored = trained.Context.Data.CreateEnumerable<CalibratedOutput>(trained.Predictor.Transform(view), reuseRowObject: false).ToList();
        // ML.NET computes the probability in single precision.
        Assert.All(scored, row => Assert.True(row.Probability >= 0.7 - 1e-6, $"probability {row.Probability}"));
    }
}
