namespace Microsoft.ML.Recourse.Experiments.Trees;

using System.Diagnostics;
using System.Globalization;
using Microsoft.ML.Recourse.Actions;
using Microsoft.ML.Recourse.Models;
using Microsoft.ML.Recourse.Trees;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers.FastTree;
using Microsoft.ML.Trainers.LightGbm;

/// <summary>A data set for the tree experiment: row-major feature matrices in the model's units, labels and the action set.</summary>
/// <param name="Name">A name for reports.</param>
/// <param name="FeatureCount">d, the number of features.</param>
/// <param name="TrainFeatures">n × d training values, row-major.</param>
/// <param name="TrainLabels">n labels (true = the favourable class).</param>
/// <param name="TestFeatures">m × d test values, row-major; the rejected ones are explained.</param>
/// <param name="TestLabels">m labels (kept for reports; the experiment explains by the model's decision).</param>
/// <param name="Actions">Δ over the d features.</param>
public sealed record TreeExperimentData(string Name, int FeatureCount, double[] TrainFeatures, bool[] TrainLabels, double[] TestFeatures, bool[] TestLabels, ActionSet Actions);

/// <summary>Which ML.NET trainer a model setting uses.</summary>
public enum TreeExperimentTrainer
{
    /// <summary>FastTree binary (boosted trees, Platt-calibrated).</summary>
    FastTree,

    /// <summary>LightGbm binary (boosted trees, Platt-calibrated).</summary>
    LightGbm,
}

/// <summary>One model of the experiment.</summary>
/// <param name="Name">A name for reports, e.g. <c>FastTree 100×20</c>.</param>
/// <param name="Trainer">The trainer.</param>
/// <param name="Trees">The number of trees (boosting iterations), or <see langword="null"/> for the trainer's default.</param>
/// <param name="Leaves">The leaves per tree, or <see langword="null"/> for the trainer's default.</param>
public sealed record TreeModelSetting(string Name, TreeExperimentTrainer Trainer, int? Trees, int? Leaves)
{
    /// <summary>Gets the settings of the issue: FastTree with 10, 100 and 500 trees of 20 leaves, and LightGbm with its defaults.</summary>
    public static IReadOnlyList<TreeModelSetting> Reference { get; } =
    [
        new("FastTree 10×20", TreeExperimentTrainer.FastTree, 10, 20),
        new("FastTree 100×20", TreeExperimentTrainer.FastTree, 100, 20),
        new("FastTree 500×20", TreeExperimentTrainer.FastTree, 500, 20),
        new("LightGbm defaults", TreeExperimentTrainer.LightGbm, null, null),
    ];
}

/// <summary>How one method did on the rows explained: time per row, how many got an answer, how many answers ML.NET accepts inside Δ, and cost.</summary>
/// <param name="Rows">The rows explained.</param>
/// <param name="Answered">Rows for which the method returned a counterfactual.</param>
/// <param name="Valid">Answers that ML.NET's own <c>PredictedLabel</c> accepts and that are actions of Δ taken literally (the gate, one-hot indicators exactly 0 or 1, changed grid features on their grid).</param>
/// <param name="MedianMilliseconds">The median wall-clock time per row.</param>
/// <param name="P95Milliseconds">The 95th percentile of the wall-clock time per row.</param>
/// <param name="MedianCpuMilliseconds">The median process CPU time per row (a fairer figure on a loaded machine).</param>
/// <param name="P95CpuMilliseconds">The 95th percentile of the CPU time per row.</param>
/// <param name="MeanCost">The mean action-set cost (standardised L1) of the valid answers; NaN without one.</param>
public sealed record TreeMethodSummary(int Rows, int Answered, int Valid, double MedianMilliseconds, double P95Milliseconds,
    double MedianCpuMilliseconds, double P95CpuMilliseconds, double MeanCost)
{
    /// <summary>Gets the share of answers that are valid (1 when there is no answer).</summary>
    public double Validity => Answered == 0 ? 1 : (double)Valid / Answered;
}

/// <summary>The outcome for one model setting.</summary>
/// <param name="Setting">The model.</param>
/// <param name="TreeCount">The trees in the trained model.</param>
/// <param name="TrainSeconds">Training time.</param>
/// <param name="TestAccuracy">The model's accuracy on the test rows (ML.NET's PredictedLabel against the labels).</param>
/// <param name="RejectedTestRows">Test rows the model rejects.</param>
/// <param name="Optimal">Explained rows with a proved optimal action.</param>
/// <param name="Feasible">Explained rows where the time limit stopped CP-SAT after it found an action.</param>
/// <param name="Infeasible">Explained rows proved to have no action in Δ.</param>
/// <param name="Unknown">Explained rows the time limit stopped before any answer.</param>
/// <param name="Exact">The exact CP-SAT method.</param>
/// <param name="Tweaking">Feature tweaking (Tolomei et al. 2017), the baseline.</param>
/// <param name="TweakingCostRatio">The mean ratio of feature tweaking's cost to the exact cost on rows where both are valid and the exact cost is &gt; 0; NaN without such rows.</param>
public sealed record TreeExperimentResult(TreeModelSetting Setting, int TreeCount, double TrainSeconds, double TestAccuracy, int RejectedTestRows,
    int Optimal, int Feasible, int Infeasible, int Unknown, TreeMethodSummary Exact, TreeMethodSummary Tweaking, double TweakingCostRatio)
{
    /// <summary>Gets the share of explained rows with a proved optimum or a proof of infeasibility.</summary>
    public double ShareProved => Exact.Rows == 0 ? 1 : (double)(Optimal + Infeasible) / Exact.Rows;
}

/// <summary>Options of <see cref="TreeRecourseExperiment.Run"/>.</summary>
public sealed class TreeExperimentOptions
{
    /// <summary>Gets the models to train; <see cref="TreeModelSetting.Reference"/> by default.</summary>
    public IReadOnlyList<TreeModelSetting> Settings { get; init; } = TreeModelSetting.Reference;

    /// <summary>Gets the largest number of rejected test rows explained per model (the first ones in test order). Range: value ≥ 1.</summary>
    public int MaximumRows { get; init; } = 200;

    /// <summary>Gets the exact solver's options (time limit, workers, cost, …); the defaults when <see langword="null"/>.</summary>
    public TreeEnsembleRecourse.Options? Solver { get; init; }

    /// <summary>Gets the seed of ML.NET's context and trainers.</summary>
    public int Seed { get; init; }
}

/// <summary>
/// Trains ML.NET tree models on a data set with its own <see cref="MLContext"/>, explains the test rows each model
/// rejects (ML.NET's <c>PredictedLabel</c> = Score &gt; 0, i.e. raw score ≥ <see cref="MlNetTreeEnsembles.PredictedLabelScoreThreshold"/>)
/// with the exact CP-SAT method and with feature tweaking, and checks every counterfactual with ML.NET's own scoring
/// and with the action set's gate. Rows are solved one after the other, so the times are per row on one thread.
/// </summary>
public static class TreeRecourseExperiment
{
    /// <summary>Runs the experiment.</summary>
    /// <param name="data">The data and action set.</param>
    /// <param name="options">The settings, or <see langword="null"/> for the defaults.</param>
    /// <param name="log">Receives progress lines, or <see langword="null"/>.</param>
    /// <returns>One result per model setting, in order.</returns>
    public static IReadOnlyList<TreeExperimentResult> Run(TreeExperimentData data, TreeExperimentOptions? options = null, Action<string>? log = null)
    {
        ArgumentNullException.ThrowIfNull(data);
        options ??= new TreeExperimentOptions();
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaximumRows, 1, nameof(options.MaximumRows));
        int d = data.FeatureCount;
        if (data.TrainFeatures.Length != data.TrainLabels.Length * d || data.TestFeatures.Length != data.TestLabels.Length * d)
            throw new ArgumentOutOfRangeException(nameof(data), $"The feature matrices must hold rows × {d} values, one row per label.");
        if (data.Actions.FeatureCount != d)
            throw new ArgumentOutOfRangeException(nameof(data), $"The action set describes {data.Actions.FeatureCount} features, the data {d}.");

        var context = new MLContext(seed: options.Seed);
        var train = TrainingView(context, data);
        var results = new List<TreeExperimentResult>();
        foreach (var setting in options.Settings)
        {
            var clock = Stopwatch.StartNew();
            var predictor = Fit(context, train, setting, options.Seed);
            double trainSeconds = clock.Elapsed.TotalSeconds;
            var model = MlNetTreeEnsembles.FromTransformer(predictor);
            log?.Invoke(string.Create(CultureInfo.InvariantCulture, $"{setting.Name}: {model.Trees.Count} trees trained in {trainSeconds:F1} s"));
            results.Add(Explain(context, predictor, model, setting, trainSeconds, data, options, log));
        }
        return results;
    }

    /// <summary>Trains one model setting on the data's training rows with its own <see cref="MLContext"/> and reads it.</summary>
    /// <param name="data">The data.</param>
    /// <param name="setting">The model.</param>
    /// <param name="seed">The seed of the context and the trainer.</param>
    /// <returns>The trained ensemble (single-precision inputs, as ML.NET scores it).</returns>
    public static TreeEnsembleModel Train(TreeExperimentData data, TreeModelSetting setting, int seed = 0)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(setting);
        var context = new MLContext(seed: seed);
        return MlNetTreeEnsembles.FromTransformer(Fit(context, TrainingView(context, data), setting, seed));
    }

    private static IDataView TrainingView(MLContext context, TreeExperimentData data)
    {
        var schema = SchemaDefinition.Create(typeof(LabelledRow));
        schema[nameof(LabelledRow.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, data.FeatureCount);
        return context.Data.LoadFromEnumerable(Rows(data.TrainFeatures, data.TrainLabels, data.FeatureCount), schema);
    }

    // FastTree and LightGbm on one thread, so the models do not depend on the machine.
    private static ITransformer Fit(MLContext context, IDataView train, TreeModelSetting setting, int seed) => setting.Trainer switch
    {
        TreeExperimentTrainer.FastTree => context.BinaryClassification.Trainers.FastTree(new FastTreeBinaryTrainer.Options
        {
            NumberOfTrees = setting.Trees ?? new FastTreeBinaryTrainer.Options().NumberOfTrees,
            NumberOfLeaves = setting.Leaves ?? new FastTreeBinaryTrainer.Options().NumberOfLeaves,
            NumberOfThreads = 1,
        }).Fit(train),
        _ => context.BinaryClassification.Trainers.LightGbm(new LightGbmBinaryTrainer.Options
        {
            NumberOfIterations = setting.Trees ?? new LightGbmBinaryTrainer.Options().NumberOfIterations,
            NumberOfLeaves = setting.Leaves,
            NumberOfThreads = 1,
            Seed = seed,
        }).Fit(train),
    };

    private static TreeExperimentResult Explain(MLContext context, ITransformer predictor, TreeEnsembleModel model, TreeModelSetting setting,
        double trainSeconds, TreeExperimentData data, TreeExperimentOptions options, Action<string>? log)
    {
        int d = data.FeatureCount;
        int testCount = data.TestLabels.Length;
        var testRows = Enumerable.Range(0, testCount).Select(r => data.TestFeatures.AsSpan(r * d, d).ToArray()).ToArray();
        var predictions = Predict(context, predictor, testRows, d);
        double accuracy = predictions.Where((p, r) => p == data.TestLabels[r]).Count() / (double)testCount;
        var rejected = Enumerable.Range(0, testCount).Where(r => !predictions[r]).ToArray();
        var explained = rejected.Take(options.MaximumRows).ToArray();

        double threshold = MlNetTreeEnsembles.PredictedLabelScoreThreshold;
        var solver = new TreeEnsembleRecourse(model, options.Solver);
        var tweaking = new FeatureTweaking(model,
            data.Actions.Actions.Select(a => a.Actionability != FeatureActionability.Immutable).ToArray(), data.Actions.CostPerUnitChange);
        var exactPoints = new double[]?[explained.Length];
        var tweakPoints = new double[]?[explained.Length];
        var exactTimes = new List<(double Wall, double Cpu)>();
        var tweakTimes = new List<(double Wall, double Cpu)>();
        int optimal = 0, feasible = 0, infeasible = 0, unknown = 0;
        var process = Process.GetCurrentProcess();
        for (int i = 0; i < explained.Length; i++)
        {
            var x = testRows[explained[i]];
            var (result, wall, cpu) = Timed(process, () => solver.Solve(x, threshold, data.Actions));
            exactTimes.Add((wall, cpu));
            switch (result.Status)
            {
                case TreeRecourseStatus.Optimal: optimal++; break;
                case TreeRecourseStatus.Feasible: feasible++; break;
                case TreeRecourseStatus.Infeasible: infeasible++; break;
                default: unknown++; break;
            }
            exactPoints[i] = result.Best?.Counterfactual.ToArray();
            var (point, tweakWall, tweakCpu) = Timed(process, () => tweaking.Find(x, threshold));
            tweakTimes.Add((tweakWall, tweakCpu));
            tweakPoints[i] = point;
        }
        var exact = Summarise(context, predictor, data, testRows, explained, exactPoints, exactTimes, d, out var exactCosts);
        var tweak = Summarise(context, predictor, data, testRows, explained, tweakPoints, tweakTimes, d, out var tweakCosts);
        var ratios = Enumerable.Range(0, explained.Length)
            .Where(i => exactCosts[i] is > 0 && tweakCosts[i] is not null)
            .Select(i => tweakCosts[i]!.Value / exactCosts[i]!.Value).ToArray();
        var summary = new TreeExperimentResult(setting, model.Trees.Count, trainSeconds, accuracy, rejected.Length, optimal, feasible, infeasible, unknown,
            exact, tweak, ratios.Length == 0 ? double.NaN : ratios.Average());
        log?.Invoke(string.Create(CultureInfo.InvariantCulture,
            $"{setting.Name}: {explained.Length} rows; exact median {exact.MedianMilliseconds:F1} ms, p95 {exact.P95Milliseconds:F1} ms, proved {summary.ShareProved:P1}, valid {exact.Validity:P1}; tweaking valid {tweak.Valid}/{tweak.Answered}"));
        return summary;
    }

    private static TreeMethodSummary Summarise(MLContext context, ITransformer predictor, TreeExperimentData data, double[][] testRows, int[] explained,
        double[]?[] points, List<(double Wall, double Cpu)> times, int d, out double?[] validCosts)
    {
        var answered = Enumerable.Range(0, points.Length).Where(i => points[i] is not null).ToArray();
        var accepted = Predict(context, predictor, answered.Select(i => points[i]!).ToArray(), d);
        validCosts = new double?[points.Length];
        for (int k = 0; k < answered.Length; k++)
        {
            int i = answered[k];
            var x = testRows[explained[i]];
            var delta = points[i]!.Select((v, j) => v - x[j]).ToArray();
            if (accepted[k] && IsAction(data.Actions, x, delta))
                validCosts[i] = data.Actions.Cost(delta);
        }
        var valid = validCosts.Where(c => c is not null).Select(c => c!.Value).ToArray();
        var wall = times.Select(t => t.Wall).Order().ToArray();
        var cpu = times.Select(t => t.Cpu).Order().ToArray();
        return new TreeMethodSummary(points.Length, answered.Length, valid.Length, 1000 * Quantile(wall, 0.5), 1000 * Quantile(wall, 0.95),
            1000 * Quantile(cpu, 0.5), 1000 * Quantile(cpu, 0.95), valid.Length == 0 ? double.NaN : valid.Average());
    }

    /// <summary>
    /// Whether δ is an action of Δ(x) taken literally: the gate (<see cref="ActionSet.Contains"/>, which allows a
    /// rounding error of 1e-9 on every check), and on top of it every one-hot indicator of x + δ exactly 0 or 1 and every
    /// changed grid feature on its grid. Without the last two, moving an indicator or a grid feature by 1e-35 (past a
    /// FastTree threshold of 1e-35 between 0 and 1) would pass as an action of almost no cost.
    /// </summary>
    internal static bool IsAction(ActionSet actions, double[] x, double[] delta)
    {
        if (!actions.Contains(x, delta))
            return false;
        foreach (var group in actions.OneHotGroups)
            foreach (int j in group.FeatureIndices)
                if (x[j] + delta[j] is not (0 or 1))
                    return false;
        for (int j = 0; j < x.Length; j++)
        {
            var action = actions.Actions[j];
            if (delta[j] == 0 || action.GridStep is not double step)
                continue;
            double original = actions.Features[j].ToOriginal(x[j] + delta[j]);
            double nearest = action.GridOrigin + step * Math.Round((original - action.GridOrigin) / step);
            if (Math.Abs(original - nearest) > 1e-9 * (1 + Math.Abs(original)))
                return false;
        }
        return true;
    }

    // The nearest-rank quantile of sorted values (NaN for none).
    private static double Quantile(double[] sorted, double p)
        => sorted.Length == 0 ? double.NaN : sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];

    private static (T Value, double Wall, double Cpu) Timed<T>(Process process, Func<T> action)
    {
        process.Refresh();
        var cpu = process.TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        var value = action();
        double wall = clock.Elapsed.TotalSeconds;
        process.Refresh();
        return (value, wall, (process.TotalProcessorTime - cpu).TotalSeconds);
    }

    private static bool[] Predict(MLContext context, ITransformer predictor, IReadOnlyList<double[]> rows, int d)
    {
        if (rows.Count == 0)
            return [];
        var schema = SchemaDefinition.Create(typeof(FeatureRow));
        schema[nameof(FeatureRow.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, d);
        var view = context.Data.LoadFromEnumerable(rows.Select(r => new FeatureRow { Features = r.Select(v => (float)v).ToArray() }), schema);
        return context.Data.CreateEnumerable<Prediction>(predictor.Transform(view), reuseRowObject: false).Select(p => p.PredictedLabel).ToArray();
    }

    private static IEnumerable<LabelledRow> Rows(double[] features, bool[] labels, int d)
    {
        for (int r = 0; r < labels.Length; r++)
            yield return new LabelledRow { Features = features.AsSpan(r * d, d).ToArray().Select(v => (float)v).ToArray(), Label = labels[r] };
    }

    private sealed class LabelledRow
    {
        public float[] Features { get; set; } = [];
        public bool Label { get; set; }
    }

    private sealed class FeatureRow
    {
        public float[] Features { get; set; } = [];
    }

    private sealed class Prediction
    {
        public bool PredictedLabel { get; set; }
    }
}
