using Microsoft.ML.Recourse.Datasets;
using Microsoft.ML.Recourse.Experiments.Trees;
using Microsoft.ML.Recourse.Tests.TestFramework;

namespace Microsoft.ML.Recourse.Tests.Recourse.Trees;

public class TreeRecourseExperimentTests
{
    [Fact]
    public void Run_explains_rejected_rows_with_valid_proved_answers_and_measures_feature_tweaking()
    {
        var data = AdultTreeData.Synthetic(3000, seed: 2);
        var settings = new[]
        {
            new TreeModelSetting("FastTree 10×20", TreeExperimentTrainer.FastTree, 10, 20),
            new TreeModelSetting("LightGbm 20×8", TreeExperimentTrainer.LightGbm, 20, 8),
        };
        var lines = new List<string>();
        var results = TreeRecourseExperiment.Run(data, new TreeExperimentOptions { Settings = settings, MaximumRows = 15 }, lines.Add);
        Assert.Equal(2, results.Count);
        foreach (var result in results)
        {
            Assert.Equal(15, result.Exact.Rows);
            Assert.Equal(15, result.Optimal + result.Feasible + result.Infeasible + result.Unknown);
            Assert.Equal(1, result.ShareProved);
            Assert.Equal(result.Optimal, result.Exact.Answered);
            // Every exact answer is accepted by ML.NET and lies in Δ.
            Assert.Equal(result.Exact.Answered, result.Exact.Valid);
            Assert.InRange(result.Exact.Valid, 1, 15);
            Assert.InRange(result.Tweaking.Valid, 0, result.Tweaking.Answered);
            Assert.True(result.Exact.MedianMilliseconds > 0 && result.Exact.P95Milliseconds >= result.Exact.MedianMilliseconds);
            Assert.InRange(result.TestAccuracy, 0.6, 1);
            // Feature tweaking is never cheaper than the optimum on rows where both are valid.
            Assert.True(double.IsNaN(result.TweakingCostRatio) || result.TweakingCostRatio >= 1 - 1e-9);
        }
        Assert.Equal(20, results[1].TreeCount);
        Assert.Contains(lines, line => line.StartsWith("FastTree 10×20: 15 rows", StringComparison.Ordinal));
    }

    [ReferenceDataFact]
    public void Adult_has_the_numeric_subset_one_hot_occupation_and_an_action_set_the_rows_fit()
    {
        var data = AdultTreeData.Load(DataDirectory.Locate("adult/adult.csv"));
        Assert.Equal(22, data.FeatureCount);
        int n = data.TrainLabels.Length + data.TestLabels.Length;
        Assert.InRange(n, 30_000, 32_561);
        Assert.InRange(data.TrainLabels.Count(l => l) / (double)data.TrainLabels.Length, 0.2, 0.3);
        var group = Assert.Single(data.Actions.OneHotGroups);
        Assert.Equal(14, group.FeatureIndices.Count);
        for (int r = 0; r < 200; r++)
            data.Actions.Compile(data.TestFeatures.AsSpan(r * 22, 22));
    }
}
