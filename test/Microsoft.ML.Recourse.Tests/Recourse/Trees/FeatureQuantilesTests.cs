using Microsoft.ML.Recourse.Trees;

namespace Microsoft.ML.Recourse.Tests.Recourse.Trees;

public class FeatureQuantilesTests
{
    [Fact]
    public void Cdf_interpolates_between_quantile_points_and_jumps_over_ties()
    {
        // Points 0, 1, 1, 3 at probabilities 0, 1/3, 2/3, 1: an atom at 1.
        var quantiles = new FeatureQuantiles([new[] { 0.0, 1, 1, 3 }]);
        Assert.Equal(0, quantiles.Cdf(0, -1));
        Assert.Equal(0, quantiles.Cdf(0, 0));
        Assert.Equal(1.0 / 6, quantiles.Cdf(0, 0.5), 12);
        Assert.Equal(2.0 / 3, quantiles.Cdf(0, 1), 12);
        Assert.Equal(2.0 / 3 + 1.0 / 6, quantiles.Cdf(0, 2), 12);
        Assert.Equal(1, quantiles.Cdf(0, 3));
        Assert.Equal(1, quantiles.Cdf(0, 10));
    }

    [Fact]
    public void FromRows_keeps_the_order_statistics_of_each_column()
    {
        double[] rows = [5, 10, 1, 30, 3, 20, 2, 40, 4, 50];
        var quantiles = FeatureQuantiles.FromRows(rows, 2, pointsPerFeature: 3);
        Assert.Equal(2, quantiles.FeatureCount);
        Assert.Equal([1.0, 3, 5], quantiles.Points(0));
        Assert.Equal([10.0, 30, 50], quantiles.Points(1));
        var random = new Random(3);
        var sample = Enumerable.Range(0, 500).Select(_ => Math.Round(random.NextDouble() * 10, 1)).ToArray();
        var full = FeatureQuantiles.FromRows(sample, 1);
        double previous = 0;
        for (double v = -1; v <= 11; v += 0.05)
        {
            double q = full.Cdf(0, v);
            Assert.InRange(q, previous, 1);
            previous = q;
        }
    }

    [Fact]
    public void Bad_points_and_rows_are_rejected_naming_the_feature()
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => new FeatureQuantiles([new[] { 0.0, 1 }, new[] { 2.0, 1 }]));
        Assert.Contains("feature 1", ex.Message);
        ex = Assert.Throws<ArgumentOutOfRangeException>(() => FeatureQuantiles.FromRows(new double[] { 1, double.NaN, 2, 3 }, 2));
        Assert.Contains("Value 1 of row 0", ex.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => FeatureQuantiles.FromRows(new double[] { 1, 2, 3 }, 2));
        Assert.Equal("L1 + 0.3·L0 + 2·percentile shift", new TreeRecourseCost(1, 0.3, 2).ToString());
    }
}
