using Microsoft.ML.Recourse.Trees;

namespace Microsoft.ML.Recourse.Tests.Recourse.Trees;

public class FeatureTweakingTests
{
    [Fact]
    public void Returned_points_are_accepted_keep_immutable_features_and_are_found_sometimes()
    {
        var random = new Random(7);
        int found = 0, rejectedRows = 0;
        for (int trial = 0; trial < 300; trial++)
        {
            var model = TreeEnsembleModelTests.RandomEnsemble(random, features: 3, trees: 1 + random.Next(6));
            bool[] mutable = [true, random.Next(2) == 0, false];
            var tweaking = new FeatureTweaking(model, mutable, [1.0, 2.0, 1.0]);
            double[] x = Enumerable.Range(0, 3).Select(_ => Math.Round(random.NextDouble() * 8 - 4, 1)).ToArray();
            double threshold = model.Score(x) + 0.1;
            rejectedRows++;
            double[]? point = tweaking.Find(x, threshold);
            if (point is null)
                continue;
            found++;
            Assert.True(model.Score(point) >= threshold);
            for (int j = 0; j < 3; j++)
                if (!mutable[j])
                    Assert.Equal(x[j], point[j]);
        }
        Assert.InRange(found, 1, rejectedRows);
    }

    [Fact]
    public void An_accepted_row_is_returned_unchanged()
    {
        var model = TreeEnsembleModelTests.RandomEnsemble(new Random(1), features: 3, trees: 3);
        double[] x = [0.5, -1, 2];
        var point = new FeatureTweaking(model, [true, true, true], [1, 1, 1]).Find(x, model.Score(x));
        Assert.Equal(x, point);
    }
}
