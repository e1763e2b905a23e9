namespace Microsoft.ML.Recourse.Tests.Recourse.Trees;

using Microsoft.ML.Recourse.Models;
using Microsoft.ML.Recourse.Trees;
using static Microsoft.ML.Recourse.Tests.Recourse.Trees.MlNetTreeFixtures;

public class MlNetTreeEnsemblesTests
{
    [Theory]
    [InlineData(MlNetTreeTrainer.FastTree)]
    [InlineData(MlNetTreeTrainer.FastTreeCategorical)]
    [InlineData(MlNetTreeTrainer.FastForest)]
    [InlineData(MlNetTreeTrainer.LightGbm)]
    [InlineData(MlNetTreeTrainer.LightGbmCategorical)]
    public void FromTransformer_recomputes_MLNET_score_and_probability_on_every_test_row(MlNetTreeTrainer trainer)
    {
        var trained = Train(trainer);
        var model = MlNetTreeEnsembles.FromTransformer(trained.Predictor);
        Assert.Equal(FeatureCount, model.FeatureCount);
        Assert.True(model.SinglePrecisionInputs);
        var scored = trained.Predictor.Transform(trained.Featurizer.Transform(trained.Test));
        int rows = 0;
        if (trainer == MlNetTreeTrainer.FastForest)
        {
            Assert.Null(model.Calibrator);
            foreach (var row in trained.Context.Data.CreateEnumerable<RawOutput>(scored, reuseRowObject: false))
            {
                double[] x = row.Features.Select(v => (double)v).ToArray();
                Assert.Equal(row.Score, model.Score(x), 1e-5);
                Assert.Equal(row.PredictedLabel, model.Score(x) >= MlNetTreeEnsembles.PredictedLabelScoreThreshold);
                rows++;
            }
        }
        else
        {
            Assert.NotNull(model.Calibrator);
            foreach (var row in trained.Context.Data.CreateEnumerable<CalibratedOutput>(scored, reuseRowObject: false))
            {
                double[] x = row.Features.Select(v => (double)v).ToArray();
                Assert.Equal(row.Score, model.Score(x), 1e-5);
                Assert.Equal(row.Probability, model.Probability(x)!.Value, 1e-5);
                Assert.Equal(row.PredictedLabel, model.Score(x) >= MlNetTreeEnsembles.PredictedLabelScoreThreshold);
                rows++;
            }
        }
        Assert.Equal(200, rows);
    }

    [Theory]
    [InlineData(MlNetTreeTrainer.FastTreeCategorical)]
    [InlineData(MlNetTreeTrainer.LightGbmCategorical)]
    public void Categorical_trainers_produce_indicator_set_splits_over_the_one_hot_slots(MlNetTreeTrainer trainer)
    {
        var model = MlNetTreeEnsembles.FromTransformer(Train(trainer).Predictor);
        var indicatorNodes = model.Trees.SelectMany(t => Enumerable.Range(0, t.NodeCount)
            .Where(n => t.GetNodeKind(n) == RegressionTreeNodeKind.IndicatorSet).Select(n => t.IndicatorFeatures(n)!)).ToList();
        Assert.NotEmpty(indicatorNodes);
        Assert.All(indicatorNodes, slots => Assert.All(slots, f => Assert.InRange(f, 4, 6)));
    }

    [Fact]
    public void Unsupported_models_and_bad_feature_counts_are_rejected_with_the_reason()
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => MlNetTreeEnsembles.FromModelParameters("not a model", 3));
        Assert.Contains("String is not a tree ensemble", ex.Message);
        var trained = Train(MlNetTreeTrainer.FastTree, trees: 3);
        var predictor = MlNetTreeEnsembles.FindPredictionTransformer(trained.Predictor)!;
        ex = Assert.Throws<ArgumentOutOfRangeException>(() => MlNetTreeEnsembles.FromModelParameters(predictor.Model, 2));
        Assert.Contains("outside the 2 features", ex.Message);
        ex = Assert.Throws<ArgumentOutOfRangeException>(() => MlNetTreeEnsembles.FromTransformer(trained.Featurizer));
        Assert.Contains("No prediction transformer", ex.Message);
        // A chain of chains that ends in the trainer is searched.
        var chain = new Microsoft.ML.Data.TransformerChain<Microsoft.ML.ITransformer>(trained.Featurizer, trained.Predictor);
        Assert.Equal(3, MlNetTreeEnsembles.FromTransformer(chain).Trees.Count);
    }
}
