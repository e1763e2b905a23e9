using Microsoft.ML;
using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.ML.Recourse.Actions;
using Microsoft.ML.Recourse.Calibration;
using Microsoft.ML.Recourse.Datasets;
using Microsoft.ML.Recourse.Models;
using Microsoft.ML.Recourse.Trainers;
using Microsoft.ML.Recourse.Evaluation;

namespace Microsoft.ML.Recourse.Experiments;

/// <summary>
/// The experiments of Ross, Lakkaraju &amp; Bastani (NeurIPS 2021) with the settings of their code (ross2021-reference
/// §2, §5, §7): per data set and seed, recourse-aware MLPs for every λ of the sweep, Table 1 (λ ∈ {0, 0.8} at the
/// best-validation-F1 θ₀, all three generators on the test split), Table 2 (the same models at the PARE threshold
/// calibrated on the validation split with one-step recourse), Fig. 1 (F1, accuracy and recourse against λ) and
/// Fig. 2 (against θ₀, first seed only).
/// </summary>
internal static class Ross2021Experiment
{
    /// <summary>The data sets of the paper, in the paper's column order.</summary>
    public static IReadOnlyList<string> DatasetNames { get; } = ["adult", "compas", "bail", "german"];

    /// <summary>The two models of Tables 1 and 2: the baseline and the paper's main setting.</summary>
    public static IReadOnlyList<double> TableWeights { get; } = [0.0, 0.8];

    public const string F1MaxThreshold = "f1max";
    public const string PareThreshold = "pare";

    internal sealed class Options
    {
        public string? DataDirectory { get; init; }

        public IReadOnlyList<string> Datasets { get; init; } = DatasetNames;

        /// <summary>Each seed is both the split seed and the training seed, so a model equals <c>recourse train --seed s --split-seed s</c>.</summary>
        public IReadOnlyList<int> Seeds { get; init; } = [0, 21, 42];

        public PerturbationDirection Direction { get; init; } = PerturbationDirection.ReferenceCode;

        public ParameterConvention PacConvention { get; init; } = ParameterConvention.Standard;

        public double Epsilon { get; init; } = 0.05;

        public double Delta { get; init; } = 0.05;

        /// <summary>The λ of Fig. 1: the reference grid {0, 0.2, …, 2.0}.</summary>
        public IReadOnlyList<double> SweepWeights { get; init; } = Enumerable.Range(0, 11).Select(i => Math.Round(0.2 * i, 1)).ToArray();

        /// <summary>The θ₀ of Fig. 2: {0, 0.05, …, 0.95} (at θ₀ = 1 no row is accepted and no generator can aim at it).</summary>
        public IReadOnlyList<double> SweepThresholds { get; init; } = Enumerable.Range(0, 20).Select(i => Math.Round(0.05 * i, 2)).ToArray();

        /// <summary>Overrides the reference epochs (50 for german, 15 otherwise); for quick runs only.</summary>
        public int? Epochs { get; init; }

        public double LearningRate { get; init; } = 0.002;

        public int MaxDegreeOfParallelism { get; init; } = Environment.ProcessorCount;

        public void Check()
        {
            Contracts.CheckParam(Datasets.Count > 0 && Datasets.All(DatasetNames.Contains), nameof(Datasets),
                $"Data sets must be among {string.Join(", ", DatasetNames)}.");
            Contracts.CheckParam(Seeds.Count > 0 && Seeds.Distinct().Count() == Seeds.Count && Seeds.All(s => s >= 0), nameof(Seeds), "Seeds must be distinct and ≥ 0.");
            PacThreshold.CheckParameters(Epsilon, Delta, PacConvention);
            Contracts.CheckParam(SweepWeights.All(w => double.IsFinite(w) && w >= 0), nameof(SweepWeights), "Every λ must be finite and ≥ 0.");
            Contracts.CheckParam(SweepThresholds.Count > 0 && SweepThresholds.All(t => t >= 0 && t < 1), nameof(SweepThresholds), "Every θ₀ must lie in [0, 1).");
            Contracts.CheckParam(Epochs is null or >= 1, nameof(Epochs), "Epochs must be ≥ 1.");
            Contracts.CheckPositive(MaxDegreeOfParallelism, nameof(MaxDegreeOfParallelism));
        }

        public int EpochsFor(string dataset) => Epochs ?? (dataset == "german" ? 50 : 15);

        public static int BatchSizeFor(string dataset) => dataset == "german" ? 30 : 10;

        /// <summary>The λ trained per seed: the tables' and the sweep's, once each.</summary>
        public IReadOnlyList<double> AllWeights => TableWeights.Concat(SweepWeights).Distinct().ToArray();
    }

    /// <summary>The recourse rates of the three generators (<c>onestep</c>, <c>gradient</c>, <c>linearIp</c>); a generator not run is NaN.</summary>
    internal sealed record GeneratorRates(double OneStep, double Gradient, double LinearIp)
    {
        public static GeneratorRates Mean(IEnumerable<GeneratorRates> rates)
        {
            var list = rates.ToList();
            return new(list.Average(r => r.OneStep), list.Average(r => r.Gradient), list.Average(r => r.LinearIp));
        }
    }

    /// <summary>One evaluated model at one threshold: a row of Table 1 / Table 2 (per seed, or the mean over seeds).</summary>
    internal sealed record TableRow(double Lambda, string ThresholdKind, double Theta0, double F1, double Accuracy, double Precision, double Recall,
        int Negatives, GeneratorRates RecourseNeg, GeneratorRates RecourseAll, PareCertificate? Pare);

    /// <summary>The PARE calibration of one model: n, k*, θ̄ and the chosen θ₀'s validation F1.</summary>
    internal sealed record PareCertificate(int CalibrationSize, int AllowedMisses, double UpperBound, double CalibrationF1);

    internal sealed record SeedResult(int Seed, int SelectedEpochOfMainModel, IReadOnlyList<TableRow> Rows);

    /// <summary>One λ of Fig. 1 for one seed (at that model's F1-max θ₀; onestep and gradient only).</summary>
    internal sealed record LambdaPoint(int Seed, double Lambda, double Theta0, double F1, double Accuracy, GeneratorRates RecourseNeg, GeneratorRates RecourseAll);

    /// <summary>One θ₀ of Fig. 2 for one model (first seed; onestep only).</summary>
    internal sealed record ThresholdPoint(double Lambda, double Theta0, double F1, double Accuracy, double RecourseNeg, double RecourseAll);

    internal sealed record DatasetResult(string Name, int FeatureCount, int TrainRows, int ValidationRows, int TestRows, int Epochs, int BatchSize,
        IReadOnlyList<SeedResult> Seeds, IReadOnlyList<TableRow> MeanRows, IReadOnlyList<LambdaPoint> LambdaSweep, IReadOnlyList<ThresholdPoint> ThresholdSweep,
        double ComputeSeconds);

    /// <summary>The result; <c>CpuSeconds</c> is the process's processor time during the run (on a shared machine wall time alone says little).</summary>
    internal sealed record Result(Options Options, IReadOnlyList<DatasetResult> Datasets, double Seconds, double CpuSeconds);

    public static Result Run(Options options, Action<string>? log = null)
    {
        Contracts.CheckValue(options, nameof(options));
        options.Check();
        var watch = Stopwatch.StartNew();
        var cpuAtStart = Process.GetCurrentProcess().TotalProcessorTime;
        var loader = new MLContext(0).Recourse();
        var data = new ConcurrentDictionary<(string, int), Lazy<RecourseDataset>>();
        RecourseDataset Data(string name, int seed)
            => data.GetOrAdd((name, seed), key => new Lazy<RecourseDataset>(() => loader.Datasets.Load(key.Item1, key.Item2, options.DataDirectory))).Value;

        // One job per (data set, seed, λ); the longest (adult, the tables' λ) are started first so two cores stay busy to the end.
        var jobs = (from name in options.Datasets
                    from seed in options.Seeds
                    from lambda in options.AllWeights
                    select new Job(name, seed, lambda, TableWeights.Contains(lambda)))
            .OrderByDescending(j => Cost(j.Dataset)).ThenByDescending(j => j.IsTableModel).ToList();
        var outcomes = new ConcurrentDictionary<Job, JobOutcome>();
        var seconds = new ConcurrentDictionary<string, double>();
        int done = 0;
        Parallel.ForEach(System.Collections.Concurrent.Partitioner.Create(jobs, EnumerablePartitionerOptions.NoBuffering),
            new ParallelOptions { MaxDegreeOfParallelism = options.MaxDegreeOfParallelism }, job =>
            {
                var jobWatch = Stopwatch.StartNew();
                var outcome = RunJob(options, job, Data(job.Dataset, job.Seed));
                outcomes[job] = outcome;
                seconds.AddOrUpdate(job.Dataset, jobWatch.Elapsed.TotalSeconds, (_, s) => s + jobWatch.Elapsed.TotalSeconds);
                int k = Interlocked.Increment(ref done);
                log?.Invoke(FormattableString.Invariant(
                    $"[{k}/{jobs.Count}] {job.Dataset} seed {job.Seed} λ = {job.Lambda}: θ₀ = {outcome.Sweep.Theta0:0.00}, test F1 {outcome.Sweep.F1:0.000}, accuracy {outcome.Sweep.Accuracy:0.000}, one-step recourse-neg {outcome.Sweep.RecourseNeg.OneStep:0.000} ({jobWatch.Elapsed.TotalSeconds:0.0} s)"));
            });

        var results = new List<DatasetResult>();
        foreach (string name in options.Datasets)
        {
            var first = Data(name, options.Seeds[0]);
            var seedResults = options.Seeds.Select(seed => new SeedResult(seed,
                outcomes[new Job(name, seed, TableWeights[^1], true)].SelectedEpoch,
                TableWeights.SelectMany(w => outcomes[new Job(name, seed, w, true)].TableRows!).ToList())).ToList();
            var meanRows = seedResults[0].Rows.Select((row, i) => MeanRow(seedResults.Select(s => s.Rows[i]).ToList())).ToList();
            var lambdaSweep = (from seed in options.Seeds
                               from lambda in options.SweepWeights
                               select outcomes[new Job(name, seed, lambda, TableWeights.Contains(lambda))].Sweep).ToList();
            var thresholdSweep = TableWeights.SelectMany(w => outcomes[new Job(name, options.Seeds[0], w, true)].ThresholdSweep!).ToList();
            results.Add(new DatasetResult(name, first.FeatureCount, first.GetRowCount(DatasetSplit.Train), first.GetRowCount(DatasetSplit.Validation),
                first.GetRowCount(DatasetSplit.Test), options.EpochsFor(name), Options.BatchSizeFor(name),
                seedResults, meanRows, lambdaSweep, thresholdSweep, seconds.GetValueOrDefault(name)));
        }
        return new Result(options, results, watch.Elapsed.TotalSeconds, (Process.GetCurrentProcess().TotalProcessorTime - cpuAtStart).TotalSeconds);
    }

    private sealed record Job(string Dataset, int Seed, double Lambda, bool IsTableModel);

    private sealed record JobOutcome(int SelectedEpoch, LambdaPoint Sweep, IReadOnlyList<TableRow>? TableRows, IReadOnlyList<ThresholdPoint>? ThresholdSweep);

    /// <summary>Relative training cost: rows × epochs.</summary>
    private static int Cost(string dataset) => dataset switch { "adult" => 32, "bail" => 8, "compas" => 6, _ => 3 };

    private static JobOutcome RunJob(Options options, Job job, RecourseDataset data)
    {
        var context = new MLContext(job.Seed).Recourse();
        var actions = ActionSet.FromFeatures(data.Features, data.MaximumChange);
        var epochs = new List<TrainingProgress>();
        var model = context.Trainers.RecourseAwareMultilayerPerceptron(new RecourseAwareMultilayerPerceptronTrainer.Options
        {
            ActionSet = actions,
            RecourseWeight = job.Lambda,
            PerturbationDirection = options.Direction,
            NumberOfEpochs = options.EpochsFor(job.Dataset),
            BatchSize = Options.BatchSizeFor(job.Dataset),
            LearningRate = options.LearningRate,
            Seed = job.Seed,
            Progress = new Collector(epochs),
        }).Fit(data.TrainSet, data.ValidationSet);
        int selectedEpoch = epochs.Last(e => e.IsBest).Epoch;

        // The caller runs jobs in parallel, so every generator runs on one thread.
        var oneStep = context.Generators.OneStep(new OneStepGenerator.Options { Direction = options.Direction, NumberOfThreads = 1 });
        var gradient = context.Generators.GradientDescent(new GradientDescentGenerator.Options { NumberOfThreads = 1 });
        var evaluation = context.Evaluation;
        if (!job.IsTableModel)
        {
            var swept = evaluation.Evaluate(model.Model, model.Threshold, actions, [oneStep, gradient], data.TestSet);
            return new JobOutcome(selectedEpoch, SweepPoint(job, swept), null, null);
        }

        // The paper's "linear approximation": LIME surrogate + Ustun et al.'s integer program.
        var linearIp = context.Generators.LinearIntegerProgram(new LinearIntegerProgramGenerator.Options { Surrogate = LinearSurrogate.Lime, Seed = job.Seed });
        IRecourseGenerator[] generators = [oneStep, gradient, linearIp];
        var atF1 = evaluation.Evaluate(model.Model, model.Threshold, actions, generators, data.TestSet);
        var pare = context.Calibration.Pare(model, oneStep, actions, epsilon: options.Epsilon, delta: options.Delta, convention: options.PacConvention)
            .Fit(data.ValidationSet);
        var atPare = evaluation.Evaluate(model.Model, pare.Threshold, actions, generators, data.TestSet);
        var certificate = new PareCertificate(pare.CalibrationSize, pare.AllowedMisses, pare.ThresholdUpperBound, pare.CalibrationF1);
        TableRow[] rows = [Row(job.Lambda, F1MaxThreshold, atF1, null), Row(job.Lambda, PareThreshold, atPare, certificate)];

        IReadOnlyList<ThresholdPoint>? thresholdSweep = null;
        if (job.Seed == options.Seeds[0])
            thresholdSweep = evaluation.SweepThreshold(model.Model, options.SweepThresholds, actions, [oneStep], data.TestSet)
                .Select(p => new ThresholdPoint(job.Lambda, p.Value, p.Evaluation.Classification.F1Score, p.Evaluation.Classification.Accuracy,
                    p.Evaluation.Recourse[0].RecourseNeg, p.Evaluation.Recourse[0].RecourseAll)).ToList();
        return new JobOutcome(selectedEpoch, SweepPoint(job, atF1), rows, thresholdSweep);
    }

    private static LambdaPoint SweepPoint(Job job, RecourseEvaluationResult e)
    {
        var row = Row(job.Lambda, F1MaxThreshold, e, null);
        return new LambdaPoint(job.Seed, job.Lambda, row.Theta0, row.F1, row.Accuracy,
            row.RecourseNeg with { LinearIp = double.NaN }, row.RecourseAll with { LinearIp = double.NaN });
    }

    private static TableRow Row(double lambda, string kind, RecourseEvaluationResult e, PareCertificate? pare)
    {
        var c = e.Classification;
        double Rate(string generator, Func<RecourseRates, double> select)
            => e.Recourse.FirstOrDefault(r => r.GeneratorName == generator) is { } rates ? select(rates) : double.NaN;
        GeneratorRates Rates(Func<RecourseRates, double> select) => new(Rate("onestep", select), Rate("gradient", select), Rate("linearIp", select));
        return new TableRow(lambda, kind, e.Threshold, c.F1Score, c.Accuracy, c.PositivePrecision, c.PositiveRecall,
            e.Recourse[0].Negatives, Rates(r => r.RecourseNeg), Rates(r => r.RecourseAll), pare);
    }

    private static TableRow MeanRow(IReadOnlyList<TableRow> rows)
    {
        var first = rows[0];
        PareCertificate? pare = first.Pare is null ? null : new PareCertificate(
            first.Pare.CalibrationSize, first.Pare.AllowedMisses, rows.Average(r => r.Pare!.UpperBound), rows.Average(r => r.Pare!.CalibrationF1));
        return new TableRow(first.Lambda, first.ThresholdKind, rows.Average(r => r.Theta0), rows.Average(r => r.F1), rows.Average(r => r.Accuracy),
            rows.Average(r => r.Precision), rows.Average(r => r.Recall), (int)Math.Round(rows.Average(r => r.Negatives)),
            GeneratorRates.Mean(rows.Select(r => r.RecourseNeg)), GeneratorRates.Mean(rows.Select(r => r.RecourseAll)), pare);
    }

    // Collects progress synchronously on the training thread.
    private sealed class Collector(List<TrainingProgress> epochs) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value) => epochs.Add(value);
    }
}
