using Microsoft.ML;
using System.Diagnostics;
using Microsoft.ML.Recourse.Actions;
using Microsoft.ML.Recourse.Calibration;
using Microsoft.ML.Recourse.Datasets;
using Microsoft.ML.Recourse.Models;
using Microsoft.ML.Recourse.Trainers;
using Microsoft.ML.Recourse.Evaluation;

namespace Microsoft.ML.Recourse.Experiments;

/// <summary>
/// Checks the PAC guarantee behind PARE empirically. One recourse-aware model is trained; every row of a held-out pool
/// (the validation and test splits) gets its after-action score sᵢ = g(xᵢ + A(xᵢ)) with one-step recourse A, as PARE
/// computes it. The population is the pool's empirical distribution, so the true miss rate of a threshold τ is exactly
/// the share of pool scores below τ. Many calibration sets of n rows are drawn i.i.d. from it (with replacement), θ̄ is
/// fitted on each, and the share of draws whose miss rate exceeds ε is compared with the rule's failure bound (δ in the
/// standard convention) and with the exact failure probability for this distribution.
/// </summary>
internal static class PacValidityExperiment
{
    internal sealed class Options
    {
        public string? DataDirectory { get; init; }

        public string Dataset { get; init; } = "adult";

        public int Seed { get; init; }

        public double RecourseWeight { get; init; } = 0.8;

        public PerturbationDirection Direction { get; init; } = PerturbationDirection.ReferenceCode;

        public IReadOnlyList<int> CalibrationSizes { get; init; } = [100, 500, 1000];

        public int Draws { get; init; } = 10_000;

        public double Epsilon { get; init; } = 0.05;

        public double Delta { get; init; } = 0.05;

        /// <summary>Overrides the reference epochs (15; 50 for german); for quick checks only.</summary>
        public int? Epochs { get; init; }

        public void Check()
        {
            Contracts.CheckParam(DatasetsCatalog.Names.Contains(Dataset), nameof(Dataset), $"Unknown data set '{Dataset}'.");
            Contracts.CheckNonNegative(RecourseWeight, nameof(RecourseWeight));
            Contracts.CheckParam(CalibrationSizes.Count > 0 && CalibrationSizes.All(n => n >= 1), nameof(CalibrationSizes), "Every calibration size must be ≥ 1.");
            Contracts.CheckPositive(Draws, nameof(Draws));
            PacThreshold.CheckParameters(Epsilon, Delta, ParameterConvention.Standard);
            Contracts.CheckParam(Epochs is null or >= 1, nameof(Epochs), "Epochs must be ≥ 1.");
        }
    }

    /// <summary>
    /// One (convention, n) cell. <c>FailureBound</c> is the CDF cut (δ standard, 1 − δ reference); <c>ExactFailureProbability</c>
    /// is F(k*; n, p*) with p* the pool's share of scores ≤ the largest score whose miss rate is ≤ ε; <c>Failures</c> counts
    /// the draws with miss rate &gt; ε (or with no certificate, n below the minimum).
    /// </summary>
    internal sealed record Cell(ParameterConvention Convention, int CalibrationSize, int? AllowedMisses, double FailureBound, double ExactFailureProbability,
        int Draws, int Failures, double MeanUpperBound, double MeanMissRate, double MaximumMissRate)
    {
        public double Frequency => (double)Failures / Draws;

        /// <summary>The binomial standard error of <see cref="Frequency"/>.</summary>
        public double StandardError => Math.Sqrt(Frequency * (1 - Frequency) / Draws);
    }

    internal sealed record Result(Options Options, int PoolSize, double Theta0, IReadOnlyList<Cell> Cells, double Seconds);

    public static Result Run(Options options, Action<string>? log = null)
    {
        Contracts.CheckValue(options, nameof(options));
        options.Check();
        var watch = Stopwatch.StartNew();
        var context = new MLContext(options.Seed).Recourse();
        var data = context.Datasets.Load(options.Dataset, options.Seed, options.DataDirectory);
        var actions = ActionSet.FromFeatures(data.Features, data.MaximumChange);
        bool german = options.Dataset == "german";
        var model = context.Trainers.RecourseAwareMultilayerPerceptron(new RecourseAwareMultilayerPerceptronTrainer.Options
        {
            ActionSet = actions,
            RecourseWeight = options.RecourseWeight,
            PerturbationDirection = options.Direction,
            NumberOfEpochs = options.Epochs ?? (german ? 50 : 15),
            BatchSize = german ? 30 : 10,
            Seed = options.Seed,
        }).Fit(data.TrainSet, data.ValidationSet);
        log?.Invoke(FormattableString.Invariant($"trained {options.Dataset} λ = {options.RecourseWeight} ({watch.Elapsed.TotalSeconds:0.0} s)"));

        var pool = data.GetFeatureMatrix(DatasetSplit.Validation).Concat(data.GetFeatureMatrix(DatasetSplit.Test)).ToArray();
        var results = context.Generators.OneStep(options.Direction).Generate(model.Model, model.Threshold, actions, pool);
        // As PARE: a row without a proposed action keeps its own score.
        var scores = results.Select(r => r.Delta is null ? r.ScoreBefore : r.ScoreAfter).ToArray();
        Array.Sort(scores);
        int poolSize = scores.Length;

        var cells = new List<Cell>();
        var random = new RandomSource(options.Seed, stream: 1);
        foreach (var convention in new[] { ParameterConvention.Standard, ParameterConvention.ReferenceCode })
            foreach (int n in options.CalibrationSizes)
                cells.Add(RunCell(options, convention, n, scores, random));
        return new Result(options, poolSize, model.Threshold, cells, watch.Elapsed.TotalSeconds);
    }

    private static Cell RunCell(Options o, ParameterConvention convention, int n, double[] sortedScores, RandomSource random)
    {
        int? k = PacThreshold.AllowedMisses(n, o.Epsilon, o.Delta, convention);
        double cut = PacThreshold.BinomialCut(o.Delta, convention);
        var sample = new double[n];
        int failures = 0;
        double sumBound = 0, sumMiss = 0, maxMiss = 0;
        for (int draw = 0; draw < o.Draws; draw++)
        {
            if (k is null) { failures++; continue; }
            for (int i = 0; i < n; i++) sample[i] = sortedScores[random.NextInt(sortedScores.Length)];
            double bound = PacThreshold.Fit(sample, o.Epsilon, o.Delta, convention).Threshold;
            double miss = MissRate(sortedScores, bound);
            sumBound += bound;
            sumMiss += miss;
            maxMiss = Math.Max(maxMiss, miss);
            if (miss > o.Epsilon) failures++;
        }
        int fitted = k is null ? 0 : o.Draws;
        return new Cell(convention, n, k, cut, ExactFailureProbability(sortedScores, n, k, o.Epsilon), o.Draws, failures,
            fitted == 0 ? double.NaN : sumBound / fitted, fitted == 0 ? double.NaN : sumMiss / fitted, maxMiss);
    }

    /// <summary>The share of the pool strictly below τ: the true miss rate of τ under the pool's distribution.</summary>
    internal static double MissRate(double[] sortedScores, double threshold)
    {
        int lo = 0, hi = sortedScores.Length;
        while (lo < hi)
        {
            int mid = (lo + hi) >>> 1;
            if (sortedScores[mid] < threshold) lo = mid + 1; else hi = mid;
        }
        return (double)lo / sortedScores.Length;
    }

    /// <summary>
    /// The rule fails when τ = the (k*+1)-th smallest sample exceeds t*, the largest pool score whose miss rate is ≤ ε;
    /// that happens when at most k* samples are ≤ t*, a Binomial(n, p*) event with p* = P[s ≤ t*].
    /// </summary>
    internal static double ExactFailureProbability(double[] sortedScores, int n, int? allowedMisses, double epsilon)
    {
        if (allowedMisses is not int k) return 1;
        int count = sortedScores.Length;
        // t* is the largest distinct value v with #(s < v) ≤ ε·N; #(s ≤ t*) is the end of its run of ties.
        int atMost = 0;
        for (int i = 0; i < count; i++)
        {
            if (i > 0 && sortedScores[i] == sortedScores[i - 1]) continue;
            if (i > epsilon * count) break;
            int end = i;
            while (end < count && sortedScores[end] == sortedScores[i]) end++;
            atMost = end;
        }
        double p = (double)atMost / count;
        if (p >= 1) return 0;
        return Math.Exp(PacThreshold.LogBinomialCdf(k, n, p));
    }
}
