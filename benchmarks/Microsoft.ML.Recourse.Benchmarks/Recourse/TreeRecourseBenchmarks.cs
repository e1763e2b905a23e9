using BenchmarkDotNet.Attributes;
using Microsoft.ML.Recourse.Actions;
using Microsoft.ML.Recourse.Datasets;
using Microsoft.ML.Recourse.Experiments.Trees;
using Microsoft.ML.Recourse.Models;
using Microsoft.ML.Recourse.Trees;

namespace Microsoft.ML.Recourse.Benchmarks.Recourse;

/// <summary>
/// Exact tree-ensemble recourse (CP-SAT, one worker, L1 cost) per row on adult: FastTree trained by ML.NET on
/// <see cref="AdultTreeData"/> (five numerical features, three immutable binaries, occupation one-hot and mutable) with
/// <see cref="Trees"/> trees of 20 leaves, explaining the first <see cref="Rows"/> test rows the model rejects
/// (ML.NET's PredictedLabel = Score &gt; 0). Times are per row (OperationsPerInvoke = rows); feature tweaking on the same
/// rows is the baseline. When adult.csv is not found, synthetic rows of the same shape are used; the setup prints which.
/// </summary>
[SimpleJob(launchCount: 1, warmupCount: 1, iterationCount: 3)]
public class TreeRecourseBenchmarks
{
    private const int Rows = 20;

    private TreeEnsembleRecourse _solver = null!;
    private FeatureTweaking _tweaking = null!;
    private ActionSet _actions = null!;
    private double[][] _rows = null!;

    /// <summary>The number of trees of the FastTree model (20 leaves each).</summary>
    [Params(10, 100, 500)]
    public int Trees { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        TreeExperimentData data;
        try
        {
            data = AdultTreeData.Load(DataDirectory.Locate("adult/adult.csv"));
            Console.WriteLine("// TreeRecourseBenchmarks: real adult data.");
        }
        catch (FileNotFoundException)
        {
            data = AdultTreeData.Synthetic(30_000, seed: 1);
            Console.WriteLine("// TreeRecourseBenchmarks: adult.csv not found; synthetic rows of the same shape.");
        }
        var model = TreeRecourseExperiment.Train(data, new TreeModelSetting($"FastTree {Trees}×20", TreeExperimentTrainer.FastTree, Trees, 20));
        int d = data.FeatureCount;
        _rows = Enumerable.Range(0, data.TestLabels.Length)
            .Select(r => data.TestFeatures.AsSpan(r * d, d).ToArray())
            .Where(x => model.Score(x) < MlNetTreeEnsembles.PredictedLabelScoreThreshold)
            .Take(Rows).ToArray();
        _actions = data.Actions;
        _solver = new TreeEnsembleRecourse(model);
        _tweaking = new FeatureTweaking(model, _actions.Actions.Select(a => a.Actionability != FeatureActionability.Immutable).ToArray(), _actions.CostPerUnitChange);
    }

    [Benchmark(OperationsPerInvoke = Rows)]
    public int Exact()
    {
        int found = 0;
        foreach (var x in _rows)
            found += _solver.Solve(x, MlNetTreeEnsembles.PredictedLabelScoreThreshold, _actions).Best is null ? 0 : 1;
        return found;
    }

    [Benchmark(OperationsPerInvoke = Rows)]
    public int Tweaking()
    {
        int found = 0;
        foreach (var x in _rows)
            found += _tweaking.Find(x, MlNetTreeEnsembles.PredictedLabelScoreThreshold) is null ? 0 : 1;
        return found;
    }
}
