using Microsoft.ML;
using Microsoft.ML.Recourse.Actions;
using Microsoft.ML.Recourse.Datasets;
using Microsoft.ML.Recourse.Trainers;
using Microsoft.ML.Recourse.MultiAgent;

namespace Microsoft.ML.Recourse.Experiments;

/// <summary>
/// Fig. 3 of Ross, Lakkaraju &amp; Bastani (NeurIPS 2021): the causal recourse-neg rate (Karimi et al.'s minimal
/// interventions on German credit's SCM) of recourse-aware MLPs trained with a grid of λ, next to the plain one-step
/// recourse-neg. For each seed s: the reference split with seed s, the SCM fitted on that split's training rows, and
/// one model per λ trained with seed s; both rates are computed on the test rows the model rejects.
/// </summary>
internal static class CausalGermanExperiment
{
    /// <summary>The experiment's settings; the defaults are the reference German setting.</summary>
    internal sealed class Options
    {
        public string? DataDirectory { get; init; }

        /// <summary>Each seed is both the split seed and the training seed.</summary>
        public IReadOnlyList<int> Seeds { get; init; } = Enumerable.Range(0, 20).ToArray();

        public IReadOnlyList<double> RecourseWeights { get; init; } = Enumerable.Range(0, 11).Select(k => Math.Round(0.2 * k, 10)).ToArray();

        public PerturbationDirection Direction { get; init; } = PerturbationDirection.ReferenceCode;

        public int NumberOfEpochs { get; init; } = 50;

        public int BatchSize { get; init; } = 30;

        public double LearningRate { get; init; } = 0.002;

        /// <summary>The grid step of the causal interventions (δ_max is the data set's, 0.75).</summary>
        public double GridStep { get; init; } = CausalRecourseOptions.Defaults.GridStep;

        public void Check()
        {
            Contracts.CheckParam(Seeds.Count > 0, nameof(Seeds), "At least one seed is needed.");
            Contracts.CheckParam(Seeds.Distinct().Count() == Seeds.Count, nameof(Seeds), $"The seeds repeat: {string.Join(", ", Seeds)}.");
            Contracts.CheckParam(Seeds.All(s => s >= 0), nameof(Seeds), "Seeds must be ≥ 0 (they seed scikit-learn's split).");
            Contracts.CheckParam(RecourseWeights.Count > 0, nameof(RecourseWeights), "At least one λ is needed.");
            Contracts.CheckParam(RecourseWeights.All(w => double.IsFinite(w) && w >= 0), nameof(RecourseWeights), "Every λ must be finite and ≥ 0.");
            Contracts.CheckParam(RecourseWeights.Distinct().Count() == RecourseWeights.Count, nameof(RecourseWeights), "The λ values repeat.");
            Contracts.CheckPositive(NumberOfEpochs, nameof(NumberOfEpochs));
            Contracts.CheckPositive(BatchSize, nameof(BatchSize));
            Contracts.CheckPositive(LearningRate, nameof(LearningRate));
            Contracts.CheckPositive(GridStep, nameof(GridStep));
            Contracts.CheckParam(GridStep <= RecourseDataset.DefaultMaximumChange, nameof(GridStep),
                $"The grid step must be ≤ δ_max = {RecourseDataset.DefaultMaximumChange}.");
        }
    }

    /// <summary>The SCM's fitted coefficients, recorded so that the fit can be checked.</summary>
    internal sealed record CausalModelFit(int Rows, IReadOnlyList<string> AmountParents, IReadOnlyList<double> AmountWeights, double DurationIntercept, double DurationWeight);

    /// <summary>One model (seed, λ) on the test split.</summary>
    internal sealed record ModelResult(
        double RecourseWeight, double Threshold, double TestAccuracy, double TestF1, int TestRows, int Negatives,
        int CausalWithRecourse, double CausalMeanCost, int OneStepWithRecourse)
    {
        /// <summary>Null when the model rejects no test row (recourse-neg is then undefined).</summary>
        public double? CausalRecourseNeg => Negatives == 0 ? null : (double)CausalWithRecourse / Negatives;

        public double? OneStepRecourseNeg => Negatives == 0 ? null : (double)OneStepWithRecourse / Negatives;
    }

    internal sealed record SeedResult(int Seed, int TrainRows, int ValidationRows, int TestRows, CausalModelFit CausalModel, IReadOnlyList<ModelResult> Models);

    /// <summary>Mean, sample standard deviation (ddof = 1) and standard error over the seeds where the value is defined.</summary>
    internal sealed record Summary(double Mean, double? StandardDeviation, double? StandardError, int Seeds)
    {
        public static Summary? Of(IEnumerable<double?> values)
        {
            var defined = values.Where(v => v.HasValue).Select(v => v!.Value).ToArray();
            if (defined.Length == 0) return null;
            double mean = defined.Average();
            if (defined.Length == 1) return new Summary(mean, null, null, 1);
            double sd = Math.Sqrt(defined.Sum(v => (v - mean) * (v - mean)) / (defined.Length - 1));
            return new Summary(mean, sd, sd / Math.Sqrt(defined.Length), defined.Length);
        }
    }

    internal sealed record WeightSummary(
        double RecourseWeight, Summary? Causal, Summary? OneStep, Summary Threshold, Summary Negatives, Summary TestAccuracy, Summary TestF1, Summary? CausalMeanCost);

    internal sealed record Result(Options Options, IReadOnlyList<SeedResult> Seeds, IReadOnlyList<WeightSummary> Summaries);

    public static Result Run(Options options, Action<string>? progress = null)
    {
        Contracts.CheckValue(options, nameof(options));
        options.Check();
        var seeds = new List<SeedResult>();
        foreach (int seed in options.Seeds)
        {
            var result = RunSeed(options, seed);
            seeds.Add(result);
            progress?.Invoke(FormattableString.Invariant(
                $"seed {seed}: {string.Join("  ", result.Models.Select(m => $"λ={m.RecourseWeight:0.0#} causal {Rate(m.CausalRecourseNeg)} one-step {Rate(m.OneStepRecourseNeg)}"))}"));
        }
        var summaries = options.RecourseWeights.Select((weight, k) =>
        {
            var models = seeds.Select(s => s.Models[k]).ToArray();
            return new WeightSummary(weight,
                Summary.Of(models.Select(m => m.CausalRecourseNeg)),
                Summary.Of(models.Select(m => m.OneStepRecourseNeg)),
                Summary.Of(models.Select(m => (double?)m.Threshold))!,
                Summary.Of(models.Select(m => (double?)m.Negatives))!,
                Summary.Of(models.Select(m => (double?)m.TestAccuracy))!,
                Summary.Of(models.Select(m => (double?)m.TestF1))!,
                Summary.Of(models.Select(m => m.CausalWithRecourse == 0 ? null : (double?)m.CausalMeanCost)));
        }).ToArray();
        return new Result(options, seeds, summaries);

        static string Rate(double? value) => value is { } v ? FormattableString.Invariant($"{v:0.00}") : "n/a";
    }

    /// <summary>One split: the SCM on its training rows, then every λ's model and its two rates on its test rows.</summary>
    internal static SeedResult RunSeed(Options options, int seed)
    {
        var context = new MLContext(seed).Recourse();
        var german = context.Datasets.German(seed, options.DataDirectory);
        var scm = FitCausalModel(context, german);
        CheckAgreement(german, scm.CausalModel);
        var actions = ActionSet.FromFeatures(german.Features, german.MaximumChange);
        var oneStep = context.Generators.OneStep(options.Direction);
        var testRows = ReadFeatures(german.TestSet);
        var causalOptions = new CausalRecourseOptions { MaximumChange = german.MaximumChange, GridStep = options.GridStep };
        var models = new List<ModelResult>();
        foreach (double weight in options.RecourseWeights)
        {
            var fitted = context.Trainers.RecourseAwareMultilayerPerceptron(new RecourseAwareMultilayerPerceptronTrainer.Options
            {
                ActionSet = actions, RecourseWeight = weight, PerturbationDirection = options.Direction,
                NumberOfEpochs = options.NumberOfEpochs, BatchSize = options.BatchSize, LearningRate = options.LearningRate, Seed = seed,
            }).Fit(german.TrainSet, german.ValidationSet);
            var evaluation = context.Evaluation.Evaluate(fitted.Model, fitted.Threshold, actions, [oneStep], german.TestSet);
            var causal = context.MultiAgent.CausalRecourseRates(scm.CausalModel, [new CausalRecourseModel(weight, fitted.Model, fitted.Threshold)], testRows, causalOptions)[0];
            var plain = evaluation.Recourse[0];
            // Both rates must judge the same rejected rows; they do, since both score the same float-rounded test rows.
            Contracts.Check(plain.Negatives == causal.Negatives && plain.RowCount == causal.Rows,
                $"Seed {seed}, λ = {weight}: the one-step and causal evaluations disagree on the test negatives ({plain.Negatives} vs {causal.Negatives}).");
            models.Add(new ModelResult(weight, fitted.Threshold, evaluation.Classification.Accuracy, evaluation.Classification.F1Score, causal.Rows,
                causal.Negatives, causal.WithRecourse, causal.MeanCost, plain.NegativesWithRecourse));
        }
        return new SeedResult(seed, german.GetRowCount(DatasetSplit.Train), german.GetRowCount(DatasetSplit.Validation), german.GetRowCount(DatasetSplit.Test),
            Describe(scm, german.GetRowCount(DatasetSplit.Train)), models);
    }

    /// <summary>The SCM of the experiment: fitted on the split's training rows only, as the model sees them.</summary>
    internal static GermanCreditCausalModel FitCausalModel(RecourseCatalog context, RecourseDataset german)
        => context.MultiAgent.FitGermanCreditCausalModel(ReadFeatures(german.TrainSet));

    /// <summary>
    /// The scorer's features are fed to the SCM as its variables, so the data set's feature order and actionability
    /// must be the SCM's; a change on either side fails here instead of silently mislabelling variables.
    /// </summary>
    internal static void CheckAgreement(RecourseDataset german, StructuralCausalModel scm)
    {
        var names = german.Features.Select(f => f.Name).ToArray();
        var variables = scm.Variables.Select(v => v.Name).ToArray();
        Contracts.Check(names.SequenceEqual(variables),
            $"The German features ({string.Join(", ", names)}) are not the causal model's variables ({string.Join(", ", variables)}).");
        for (int j = 0; j < names.Length; j++)
            Contracts.Check(german.Features[j].Actionability == scm.Variables[j].Actionability,
                $"Feature '{names[j]}' is {german.Features[j].Actionability} in the data set but {scm.Variables[j].Actionability} in the causal model.");
    }

    private static double[] ReadFeatures(IDataView view)
        => ColumnChecks.ReadFeatures(view, ColumnChecks.CheckFeatureColumn(view.Schema, DefaultColumnNames.Features, GermanCreditCausalModel.FeatureNames.Count, "data"), "data");

    private static CausalModelFit Describe(GermanCreditCausalModel scm, int rows)
        => new(rows, scm.AmountEquation.Parents, scm.AmountEquation.Weights, scm.DurationEquation.Intercept, scm.DurationEquation.Weights[0]);
}
