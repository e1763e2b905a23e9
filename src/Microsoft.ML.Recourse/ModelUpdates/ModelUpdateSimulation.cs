using System.Diagnostics;
using Microsoft.ML.Recourse.Actions;
using Microsoft.ML.Recourse.Calibration;
using Microsoft.ML.Data;
using Microsoft.ML.Recourse.Datasets;
using Microsoft.ML.Recourse.Models;
using Microsoft.ML.Recourse.Trainers;

namespace Microsoft.ML.Recourse.ModelUpdates;

/// <summary>The model family trained before (M1) and after (M2) a shift.</summary>
public enum ModelUpdateBaseModel
{
    /// <summary>Logistic regression (the reference's base model): the exact optimum of scikit-learn's <c>LogisticRegression(C=1)</c> objective, or Adam with <see cref="ModelUpdateSimulation.Options.ExactLogisticRegression"/> off.</summary>
    LogisticRegression,

    /// <summary>The reference's neural network, ReLU layers of 50, 100 and 200 units, trained with Adam.</summary>
    MultilayerPerceptron,

    /// <summary>
    /// ML.NET's FastTree (boosted trees, Platt-calibrated), <see cref="ModelUpdateSimulation.Options.NumberOfTrees"/> ×
    /// <see cref="ModelUpdateSimulation.Options.NumberOfLeaves"/>, on one thread; M1 and M2 are read as
    /// <see cref="Trees.TreeEnsembleScorer"/>s, so the exact tree generator (<c>Generators.TreeEnsemble()</c>) computes
    /// the recourse and the invalidation by a retrained ensemble is measured.
    /// </summary>
    FastTree,
}

/// <summary>
/// Simulates model updates (Upadhyay, Joshi &amp; Lakkaraju 2021): for each fold of a <see cref="ShiftDataset"/> it
/// trains M1 on the data before the shift and M2 on the data after it, computes recourse with M1 for the rows of the
/// fold's test chunk that M1 rejects, and measures the share of them whose counterfactual M1 accepts (M1 validity)
/// and M2 accepts (M2 validity; the invalidation rate is 1 − M2 validity), the cost and the time per row. It also
/// certifies validity after updates with the PAC rule (<see cref="CertifyInvalidation"/>). Created by
/// <see cref="RecourseCatalog.ModelUpdateSimulation"/>.
/// </summary>
/// <remarks>
/// Rows without a returned action count as invalid under both models, as in the reference (where every row gets a
/// counterfactual). Means over folds come with the population standard deviation (numpy's <c>std</c>, as the
/// reference prints). M1 and M2 get different training seeds, drawn from the simulation's seed.
/// </remarks>
public sealed class ModelUpdateSimulation
{
    private readonly RecourseEnvironment _environment;
    private readonly Options _options;
    private readonly int _seed;

    internal ModelUpdateSimulation(RecourseEnvironment environment, Options options)
    {
        Contracts.CheckValue(options, nameof(options));
        Contracts.CheckParam(Enum.IsDefined(options.BaseModel), nameof(options.BaseModel), $"Unknown base model {options.BaseModel}.");
        Contracts.CheckPositive(options.NumberOfEpochs, nameof(options.NumberOfEpochs));
        Contracts.CheckPositive(options.BatchSize, nameof(options.BatchSize));
        Contracts.CheckPositive(options.LearningRate, nameof(options.LearningRate));
        Contracts.CheckOpenUnitInterval(options.Threshold, nameof(options.Threshold));
        Contracts.CheckPositive(options.NumberOfTrees, nameof(options.NumberOfTrees));
        Contracts.CheckParam(options.NumberOfLeaves >= 2, nameof(options.NumberOfLeaves), $"Must be ≥ 2; got {options.NumberOfLeaves}.");
        _environment = environment;
        _options = options;
        _seed = options.Seed ?? environment.NextSeed();
    }

    /// <summary>Gets the decision threshold θ₀ of M1 and M2.</summary>
    public double Threshold => _options.Threshold;

    /// <summary>
    /// Trains one model (M1, M2 or a retrain) with the simulation's settings: no class weighting and an L2 penalty
    /// equivalent to scikit-learn's default <c>C = 1</c> (strength 1/n on the mean loss), as the reference's
    /// <c>LogisticRegression()</c>. With <see cref="Options.ExactLogisticRegression"/> (the default) the logistic model
    /// is that objective's unique minimiser, found by Newton's method, as scikit-learn's L-BFGS finds it; the seed is
    /// then not used.
    /// </summary>
    /// <param name="trainingData">Rows with <c>Features</c> and <c>Label</c>.</param>
    /// <param name="seed">The training seed (Adam and the multilayer perceptron only).</param>
    /// <exception cref="InvalidOperationException">The base model is <see cref="ModelUpdateBaseModel.FastTree"/>, which is not one of the library's own classifiers; use <see cref="TrainScorer"/>.</exception>
    public ScorerModelParameters TrainModel(IDataView trainingData, int seed)
    {
        Contracts.CheckValue(trainingData, nameof(trainingData));
        Contracts.Check(_options.BaseModel != ModelUpdateBaseModel.FastTree,
            $"{nameof(TrainModel)} returns the library's own classifiers; with {nameof(Options.BaseModel)} = {nameof(ModelUpdateBaseModel.FastTree)} use {nameof(TrainScorer)}.");
        int n = DataViews.RowCount(trainingData);
        Contracts.CheckParam(n > 0, nameof(trainingData), "The training data is empty.");
        if (_options.BaseModel == ModelUpdateBaseModel.LogisticRegression && _options.ExactLogisticRegression)
            return FitExactLogisticRegression(trainingData);
        return _options.BaseModel == ModelUpdateBaseModel.LogisticRegression
            ? new LogisticRegressionTrainer(_environment, new LogisticRegressionTrainer.Options
            {
                NumberOfEpochs = _options.NumberOfEpochs,
                BatchSize = _options.BatchSize,
                LearningRate = _options.LearningRate,
                ClassWeighting = ClassWeighting.None,
                L2Regularization = 1.0 / n,
                ShuffleEachEpoch = true,
                Seed = seed,
            }).Fit(trainingData).Model
            : new MultilayerPerceptronTrainer(_environment, new MultilayerPerceptronTrainer.Options
            {
                HiddenLayerSizes = [50, 100, 200],
                DropoutRate = 0,
                NumberOfEpochs = _options.NumberOfEpochs,
                BatchSize = _options.BatchSize,
                LearningRate = _options.LearningRate,
                ClassWeighting = ClassWeighting.None,
                ShuffleEachEpoch = true,
                Seed = seed,
            }).Fit(trainingData).Model;
    }

    /// <summary>
    /// Trains one model (M1, M2 or a retrain) with the simulation's settings as a scorer: <see cref="TrainModel"/> for
    /// the logistic and neural base models, a FastTree ensemble read as a <see cref="Trees.TreeEnsembleScorer"/> for
    /// <see cref="ModelUpdateBaseModel.FastTree"/>.
    /// </summary>
    /// <param name="trainingData">Rows with <c>Features</c> (a known-sized vector of <see cref="float"/>) and <c>Label</c> (<see cref="bool"/>).</param>
    /// <param name="seed">The training seed.</param>
    public IScorer TrainScorer(IDataView trainingData, int seed)
    {
        Contracts.CheckValue(trainingData, nameof(trainingData));
        if (_options.BaseModel != ModelUpdateBaseModel.FastTree)
            return TrainModel(trainingData, seed);
        Contracts.CheckParam(DataViews.RowCount(trainingData) > 0, nameof(trainingData), "The training data is empty.");
        var trainer = new MLContext(seed).BinaryClassification.Trainers.FastTree(new Microsoft.ML.Trainers.FastTree.FastTreeBinaryTrainer.Options
        {
            NumberOfTrees = _options.NumberOfTrees,
            NumberOfLeaves = _options.NumberOfLeaves,
            NumberOfThreads = 1,
        });
        return new Trees.TreeEnsembleScorer(MlNetTreeEnsembles.FromTransformer(trainer.Fit(trainingData)));
    }

    // Σᵢ BCE(σ(wᵀxᵢ + b), yᵢ) + ½‖w‖² (scikit-learn's LogisticRegression(C=1) objective, intercept not penalised),
    // minimised exactly. Adam for a fixed number of epochs stops far from this optimum where the loss is flat, e.g.
    // along the sum of a text variable's indicators, which the one-hot encoding makes collinear with the intercept.
    private static LogisticRegressionModelParameters FitExactLogisticRegression(IDataView trainingData)
    {
        var featureColumn = ColumnChecks.CheckFeatureColumn(trainingData.Schema, DefaultColumnNames.Features, 0, nameof(trainingData));
        var labelColumn = ColumnChecks.CheckScalarColumn(trainingData.Schema, "label", DefaultColumnNames.Label, BooleanDataViewType.Instance, nameof(trainingData));
        int d = ((VectorDataViewType)featureColumn.Type).Size, p = d + 1;
        var features = ColumnChecks.ReadFeatures(trainingData, featureColumn, nameof(trainingData));
        var labels = ColumnChecks.ReadLabels(trainingData, labelColumn);
        int n = labels.Length;
        var design = new double[n * p];
        for (int i = 0; i < n; i++)
        {
            design[i * p] = 1;
            features.AsSpan(i * d, d).CopyTo(design.AsSpan(i * p + 1, d));
        }
        var (beta, _, converged) = NewtonLogisticRegression.Fit(design, labels.Select(l => l ? 1.0 : 0.0).ToArray(), Enumerable.Repeat(1.0, n).ToArray(), p, ridge: 1);
        Contracts.Check(converged, FormattableString.Invariant(
            $"The logistic regression on {n} rows did not converge in {NewtonLogisticRegression.MaximumIterations} Newton steps."));
        return new LogisticRegressionModelParameters(beta[1..], beta[0]);
    }

    /// <summary>Runs every fold of a shift for every generator.</summary>
    /// <param name="shift">The shift.</param>
    /// <param name="generators">The recourse generators; their names must be distinct.</param>
    /// <param name="actionSet">The allowed actions, or <see langword="null"/> for <see cref="ShiftDataset.CreateActionSet"/>.</param>
    /// <param name="progress">Receives a line per fold and generator, or <see langword="null"/>.</param>
    /// <param name="cancellationToken">Stops a long run.</param>
    public ModelUpdateResult Run(ShiftDataset shift, IReadOnlyList<IRecourseGenerator> generators, ActionSet? actionSet = null,
        IProgress<string>? progress = null, CancellationToken cancellationToken = default)
    {
        Contracts.CheckValue(shift, nameof(shift));
        Contracts.CheckValue(generators, nameof(generators));
        Contracts.CheckParam(generators.Count > 0 && generators.All(g => g is not null), nameof(generators), "Give at least one generator and no null entries.");
        Contracts.CheckParam(generators.Select(g => g.Name).Distinct().Count() == generators.Count, nameof(generators),
            $"Generator names must be distinct; got {string.Join(", ", generators.Select(g => g.Name))}.");
        actionSet ??= shift.CreateActionSet();
        Contracts.CheckParam(actionSet.FeatureCount == shift.FeatureCount, nameof(actionSet),
            $"The action set describes {actionSet.FeatureCount} features but the shift has {shift.FeatureCount}.");

        var folds = new List<ModelUpdateFold>();
        var perMethod = generators.Select(_ => new List<ModelUpdateFoldResult>()).ToArray();
        for (int f = 0; f < ShiftDataset.FoldCount; f++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var fold = shift.GetFold(f);
            var (m1, m2) = TrainPair(fold, f);
            var negatives = RowsRejected(m1, fold.GetFeatureMatrix(ShiftPart.BeforeTest), shift.FeatureCount);
            var trainingNegatives = RowsRejected(m1, fold.GetFeatureMatrix(ShiftPart.BeforeTrain), shift.FeatureCount);
            folds.Add(new ModelUpdateFold(f, Accuracy(m1, fold, ShiftPart.BeforeTest), Accuracy(m2, fold, ShiftPart.AfterTest), negatives.Length / shift.FeatureCount));
            for (int g = 0; g < generators.Count; g++)
            {
                var generator = generators[g];
                double? recourseWeight = null;
                if (generator is RobustGenerator robust && _options.ChooseRecourseWeight && trainingNegatives.Length > 0)
                {
                    var selection = robust.SelectRecourseWeight(m1, Threshold, actionSet, trainingNegatives, cancellationToken: cancellationToken);
                    generator = selection.Generator;
                    recourseWeight = selection.RecourseWeight;
                }
                var watch = Stopwatch.StartNew();
                var results = negatives.Length == 0 ? [] : generator.Generate(m1, Threshold, actionSet, negatives, cancellationToken);
                watch.Stop();
                var validity = Evaluate(m1, m2, Threshold, results);
                double ms = results.Count == 0 ? 0 : watch.Elapsed.TotalMilliseconds / results.Count;
                perMethod[g].Add(new ModelUpdateFoldResult(f, results.Count, validity.M1Validity, validity.M2Validity, validity.MeanCost, ms, recourseWeight));
                progress?.Report(FormattableString.Invariant(
                    $"{shift.Name} fold {f}: {generator.Name} on {results.Count} rows, M1 validity {validity.M1Validity:0.000}, M2 validity {validity.M2Validity:0.000}, cost {validity.MeanCost:0.000}, {ms:0.###} ms/row"));
            }
        }
        var methods = generators.Select((g, i) => ModelUpdateMethodResult.FromFolds(g.Name, perMethod[i])).ToArray();
        return new ModelUpdateResult(shift.Name, methods, folds);
    }

    /// <summary>
    /// Measures recourse under the model it was computed for (M1) and an updated model (M2): the share of rows whose
    /// counterfactual each model accepts (rows without an action count as invalid) and the mean cost of the actions returned.
    /// </summary>
    /// <param name="m1">The model the recourse was computed for.</param>
    /// <param name="m2">The updated model.</param>
    /// <param name="threshold">The decision threshold θ₀. Range: 0 &lt; θ₀ &lt; 1.</param>
    /// <param name="results">The recourse of each row.</param>
    /// <exception cref="ArgumentOutOfRangeException">M1 and M2 take different numbers of features, or a counterfactual does not fit them.</exception>
    public static RecourseValidity Evaluate(IScorer m1, IScorer m2, double threshold, IReadOnlyList<RecourseResult> results)
    {
        Contracts.CheckValue(m1, nameof(m1));
        Contracts.CheckValue(m2, nameof(m2));
        Contracts.CheckValue(results, nameof(results));
        Contracts.CheckOpenUnitInterval(threshold, nameof(threshold));
        Contracts.CheckParam(m1.FeatureCount == m2.FeatureCount, nameof(m2), FormattableString.Invariant(
            $"M1 takes {m1.FeatureCount} features but M2 takes {m2.FeatureCount}; M1 and M2 must share one feature set to compare recourse across the update."));
        int valid1 = 0, valid2 = 0, withAction = 0;
        double cost = 0;
        for (int i = 0; i < results.Count; i++)
        {
            var cf = results[i].Counterfactual;
            if (cf is null) continue;
            Contracts.CheckParam(cf.Count == m1.FeatureCount, nameof(results), FormattableString.Invariant(
                $"The counterfactual of row {i} has {cf.Count} values but the models take {m1.FeatureCount} features."));
            var x = cf as double[] ?? cf.ToArray();
            withAction++;
            cost += results[i].Cost;
            if (m1.Score(x) >= threshold) valid1++;
            if (m2.Score(x) >= threshold) valid2++;
        }
        int n = results.Count;
        return new RecourseValidity(n, withAction, n == 0 ? double.NaN : valid1 / (double)n, n == 0 ? double.NaN : valid2 / (double)n,
            withAction == 0 ? double.NaN : cost / withAction);
    }

    /// <summary>
    /// Certifies, with the PAC rule of Park et al. (<see cref="PacThreshold"/>), how often recourse is invalidated by a
    /// retrain, and picks the smallest robustness radius that meets the target.
    /// </summary>
    /// <remarks>
    /// <para>
    /// <b>Draws.</b> M1 is trained on the fold's data before the shift and recourse is computed with it for every
    /// radius on the rows M1 rejects. Each of the n draws k trains a new model M2ₖ on a bootstrap resample of the
    /// data after the shift with a fresh seed, and picks one of those rows uniformly at random; the draw is a
    /// <em>miss</em> when M2ₖ rejects that row's counterfactual (or the row got none). The draws are i.i.d., so the
    /// misses of a fixed radius are Binomial(n, p) with p = P[a new retrain invalidates the recourse of a random
    /// person], and the radius is certified when the misses are at most k*(n, ε, δ) of the binomial rule: then, with
    /// probability at least 1 − δ over the draws, p ≤ ε.
    /// </para>
    /// <para>
    /// <b>Choosing the radius.</b> The radii are tested from the largest to the smallest, each at level δ, and
    /// testing stops at the first radius that is not certified (fixed-sequence testing): the probability that any
    /// radius is certified wrongly stays ≤ δ under any dependence between the tests, so the smallest certified radius
    /// carries the guarantee although it was chosen with the same draws.
    /// </para>
    /// <para>
    /// <b>Assumption.</b> Future retrains are draws from the same distribution as the simulated ones: a bootstrap
    /// resample of the post-shift data with a new seed, i.i.d. across retrains. A retrain on data from a further
    /// shift, a different training recipe or a different population of people voids the guarantee.
    /// </para>
    /// </remarks>
    /// <param name="shift">The shift.</param>
    /// <param name="fold">The fold whose data is used. Range: 0 ≤ fold &lt; 5.</param>
    /// <param name="generator">The robust recourse generator; its radius is replaced by each of <paramref name="robustnessRadii"/> (and its λ chosen per radius when <see cref="Options.ChooseRecourseWeight"/> is set).</param>
    /// <param name="robustnessRadii">The candidate radii δ_max; at least one. Range: each value ≥ 0.</param>
    /// <param name="epsilon">ε, the tolerated invalidation probability. Range: 0 &lt; ε &lt; 1.</param>
    /// <param name="delta">δ, the failure probability of the certificate. Range: 0 &lt; δ &lt; 1.</param>
    /// <param name="retrains">n, the number of simulated retrains. Range: n ≥ the rule's minimum, ln δ / ln(1 − ε).</param>
    /// <param name="actionSet">The allowed actions, or <see langword="null"/> for <see cref="ShiftDataset.CreateActionSet"/>.</param>
    /// <param name="cancellationToken">Stops a long run.</param>
    public InvalidationCertificate CertifyInvalidation(ShiftDataset shift, int fold, RobustGenerator generator, IReadOnlyList<double> robustnessRadii,
        double epsilon, double delta, int retrains, ActionSet? actionSet = null, CancellationToken cancellationToken = default)
    {
        Contracts.CheckValue(shift, nameof(shift));
        Contracts.CheckValue(generator, nameof(generator));
        Contracts.CheckValue(robustnessRadii, nameof(robustnessRadii));
        Contracts.CheckParam(robustnessRadii.Count > 0, nameof(robustnessRadii), "Give at least one radius.");
        foreach (double r in robustnessRadii) RobustGenerator.CheckRadius(r, nameof(robustnessRadii));
        long minimum = PacThreshold.MinimumCalibrationSize(epsilon, delta);
        Contracts.CheckParam(retrains >= minimum, nameof(retrains), FormattableString.Invariant(
            $"ε = {epsilon} and δ = {delta} need at least {minimum} retrains for any certificate; got {retrains}."));
        int allowed = PacThreshold.AllowedMisses(retrains, epsilon, delta)!.Value;
        actionSet ??= shift.CreateActionSet();
        var data = shift.GetFold(fold);
        int d = shift.FeatureCount;
        var (m1, _) = TrainPair(data, fold);
        var negatives = RowsRejected(m1, data.GetFeatureMatrix(ShiftPart.BeforeTest), d);
        Contracts.Check(negatives.Length > 0, $"M1 rejects no row of fold {fold} of '{shift.Name}', so there is no recourse to certify.");
        int rows = negatives.Length / d;
        var radii = robustnessRadii.Distinct().OrderDescending().ToArray();
        var trainingNegatives = RowsRejected(m1, data.GetFeatureMatrix(ShiftPart.BeforeTrain), d);
        var recourse = radii.Select(r =>
        {
            var atRadius = generator.WithRobustnessRadius(r);
            // λ as in Run: chosen per radius by the reference protocol on M1's training negatives.
            if (_options.ChooseRecourseWeight && trainingNegatives.Length > 0)
                atRadius = atRadius.SelectRecourseWeight(m1, Threshold, actionSet, trainingNegatives, cancellationToken: cancellationToken).Generator;
            return atRadius.Generate(m1, Threshold, actionSet, negatives, cancellationToken);
        }).ToArray();

        var afterFeatures = data.GetFeatureMatrix(ShiftPart.AfterTrain);
        var afterLabels = data.GetLabels(ShiftPart.AfterTrain);
        var misses = new int[radii.Length];
        var random = new RandomSource(_seed, stream: 1000 + fold);
        for (int k = 0; k < retrains; k++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var m2 = TrainScorer(Bootstrap(afterFeatures, afterLabels, d, random, data.GetView(ShiftPart.AfterTrain)), (int)(random.NextUInt64() & int.MaxValue));
            int row = (int)(random.NextDouble() * rows);
            for (int r = 0; r < radii.Length; r++)
            {
                var cf = recourse[r][row].Counterfactual;
                if (cf is null || m2.Score(cf as double[] ?? cf.ToArray()) < Threshold) misses[r]++;
            }
        }

        var levels = new List<RadiusCertificate>();
        double? chosen = null;
        for (int r = 0; r < radii.Length; r++)
        {
            bool certified = misses[r] <= allowed;
            var valid = recourse[r].Where(x => x.Counterfactual is not null).ToArray();
            levels.Add(new RadiusCertificate(radii[r], misses[r], certified, valid.Length == 0 ? double.NaN : valid.Average(x => x.Cost),
                recourse[r].Count(x => x.IsValid) / (double)rows));
            if (!certified) break;
            chosen = radii[r];
        }
        levels.Reverse();
        return new InvalidationCertificate(shift.Name, fold, epsilon, delta, retrains, allowed, rows, chosen, levels);
    }

    private (IScorer M1, IScorer M2) TrainPair(ShiftFold fold, int foldIndex)
    {
        // Different, fold-specific seeds for M1 and M2, fixed by the simulation's seed.
        var random = new RandomSource(_seed, stream: foldIndex);
        int seed1 = (int)(random.NextUInt64() & int.MaxValue), seed2 = (int)(random.NextUInt64() & int.MaxValue);
        return (TrainScorer(fold.GetView(ShiftPart.BeforeTrain), seed1), TrainScorer(fold.GetView(ShiftPart.AfterTrain), seed2));
    }

    private double[] RowsRejected(IScorer model, double[] rows, int d)
    {
        var scores = new double[rows.Length / d];
        model.ScoreBatch(rows, scores);
        var kept = new List<double>();
        for (int i = 0; i < scores.Length; i++)
            if (scores[i] < Threshold) kept.AddRange(rows.AsSpan(i * d, d).ToArray());
        return kept.ToArray();
    }

    private double Accuracy(IScorer model, ShiftFold fold, ShiftPart part)
    {
        var rows = fold.GetFeatureMatrix(part);
        var labels = fold.GetLabels(part);
        if (labels.Length == 0) return double.NaN;
        var scores = new double[labels.Length];
        model.ScoreBatch(rows, scores);
        return scores.Where((s, i) => (s >= Threshold) == labels[i]).Count() / (double)labels.Length;
    }

    private static IDataView Bootstrap(double[] features, bool[] labels, int d, RandomSource random, IDataView source)
    {
        int n = labels.Length;
        var sample = new float[n * d];
        var sampleLabels = new bool[n];
        for (int i = 0; i < n; i++)
        {
            int pick = (int)(random.NextDouble() * n);
            for (int j = 0; j < d; j++) sample[i * d + j] = (float)features[pick * d + j];
            sampleLabels[i] = labels[pick];
        }
        var slotNames = SlotNames.Of(source.Schema[DefaultColumnNames.Features]);
        return new InMemoryDataView.Builder()
            .AddVector(DefaultColumnNames.Features, d, sample, slotNames)
            .AddScalar(DefaultColumnNames.Label, sampleLabels)
            .Build();
    }

    /// <summary>Options of the <see cref="ModelUpdateSimulation"/>.</summary>
    public sealed class Options
    {
        /// <summary>Gets the model family of M1 and M2.</summary>
        public ModelUpdateBaseModel BaseModel { get; init; } = Defaults.BaseModel;

        /// <summary>
        /// Gets whether a logistic base model is fitted exactly (Newton's method to the unique optimum of the L2
        /// objective, as the reference's scikit-learn fit) instead of by Adam with <see cref="NumberOfEpochs"/>,
        /// <see cref="BatchSize"/> and <see cref="LearningRate"/>. The default is <see langword="true"/>. An exact fit
        /// does not depend on the training seed, so M1 and M2 trained on the same rows are the same model.
        /// </summary>
        public bool ExactLogisticRegression { get; init; } = Defaults.ExactLogisticRegression;

        /// <summary>Gets the number of training epochs of every model trained by Adam. Range: value ≥ 1.</summary>
        public int NumberOfEpochs { get; init; } = Defaults.NumberOfEpochs;

        /// <summary>Gets the number of rows per Adam step. Range: value ≥ 1.</summary>
        public int BatchSize { get; init; } = Defaults.BatchSize;

        /// <summary>Gets Adam's learning rate. Range: value &gt; 0.</summary>
        public double LearningRate { get; init; } = Defaults.LearningRate;

        /// <summary>Gets the decision threshold θ₀ of M1 and M2. Range: 0 &lt; θ₀ &lt; 1.</summary>
        public double Threshold { get; init; } = Defaults.Threshold;

        /// <summary>Gets the number of trees of a <see cref="ModelUpdateBaseModel.FastTree"/> base model. Range: value ≥ 1.</summary>
        public int NumberOfTrees { get; init; } = Defaults.NumberOfTrees;

        /// <summary>Gets the leaves per tree of a <see cref="ModelUpdateBaseModel.FastTree"/> base model. Range: value ≥ 2.</summary>
        public int NumberOfLeaves { get; init; } = Defaults.NumberOfLeaves;

        /// <summary>
        /// Gets whether a <see cref="RobustGenerator"/>'s λ is chosen per fold by the reference protocol
        /// (<see cref="RobustGenerator.SelectRecourseWeight"/> on the training rows M1 rejects) instead of its own λ.
        /// </summary>
        public bool ChooseRecourseWeight { get; init; } = Defaults.ChooseRecourseWeight;

        /// <summary>Gets the seed of the training seeds, the bootstrap resamples and the sampled rows, or <see langword="null"/> to draw one from the environment.</summary>
        public int? Seed { get; init; }

        internal static class Defaults
        {
            public const ModelUpdateBaseModel BaseModel = ModelUpdateBaseModel.LogisticRegression;
            public const int NumberOfEpochs = 100;
            public const int BatchSize = 32;
            public const double LearningRate = 0.01;
            public const double Threshold = 0.5;
            public const bool ChooseRecourseWeight = true;
            public const bool ExactLogisticRegression = true;
            public const int NumberOfTrees = 100;
            public const int NumberOfLeaves = 20;
        }
    }
}

/// <summary>Recourse measured under the model it was computed for (M1) and an updated model (M2).</summary>
/// <param name="Rows">The rows that needed recourse.</param>
/// <param name="RowsWithAction">The rows for which the generator returned an action.</param>
/// <param name="M1Validity">The share of rows whose counterfactual M1 accepts.</param>
/// <param name="M2Validity">The share of rows whose counterfactual M2 accepts; 1 − this is the invalidation rate.</param>
/// <param name="MeanCost">The mean cost of the actions returned.</param>
public sealed record RecourseValidity(int Rows, int RowsWithAction, double M1Validity, double M2Validity, double MeanCost)
{
    /// <summary>Gets the invalidation rate 1 − M2 validity.</summary>
    public double InvalidationRate => 1 - M2Validity;
}

/// <summary>One fold of a model-update simulation.</summary>
/// <param name="Fold">The fold.</param>
/// <param name="M1Accuracy">M1's accuracy on the fold's test rows before the shift.</param>
/// <param name="M2Accuracy">M2's accuracy on the fold's test rows after the shift.</param>
/// <param name="RowsNeedingRecourse">The test rows before the shift that M1 rejects.</param>
public sealed record ModelUpdateFold(int Fold, double M1Accuracy, double M2Accuracy, int RowsNeedingRecourse);

/// <summary>One generator on one fold.</summary>
/// <param name="Fold">The fold.</param>
/// <param name="Rows">The rows that needed recourse.</param>
/// <param name="M1Validity">The share of rows whose counterfactual M1 accepts.</param>
/// <param name="M2Validity">The share of rows whose counterfactual M2 accepts.</param>
/// <param name="Cost">The mean cost of the actions returned.</param>
/// <param name="MillisecondsPerRow">The generation time per row.</param>
/// <param name="RecourseWeight">The λ chosen by the protocol for a robust generator, or <see langword="null"/>.</param>
public sealed record ModelUpdateFoldResult(int Fold, int Rows, double M1Validity, double M2Validity, double Cost, double MillisecondsPerRow, double? RecourseWeight);

/// <summary>One generator over all folds: means and population standard deviations over the folds.</summary>
/// <param name="Method">The generator's name.</param>
/// <param name="M1Validity">The mean M1 validity.</param>
/// <param name="M1ValiditySd">The standard deviation of M1 validity over the folds.</param>
/// <param name="M2Validity">The mean M2 validity.</param>
/// <param name="M2ValiditySd">The standard deviation of M2 validity over the folds.</param>
/// <param name="Cost">The mean cost.</param>
/// <param name="CostSd">The standard deviation of the cost over the folds.</param>
/// <param name="MillisecondsPerRow">The mean generation time per row.</param>
/// <param name="Folds">The per-fold results.</param>
public sealed record ModelUpdateMethodResult(string Method, double M1Validity, double M1ValiditySd, double M2Validity, double M2ValiditySd,
    double Cost, double CostSd, double MillisecondsPerRow, IReadOnlyList<ModelUpdateFoldResult> Folds)
{
    internal static ModelUpdateMethodResult FromFolds(string method, IReadOnlyList<ModelUpdateFoldResult> folds)
    {
        var used = folds.Where(f => f.Rows > 0).ToArray();
        static (double Mean, double Sd) Stats(IEnumerable<double> values)
        {
            var v = values.Where(double.IsFinite).ToArray();
            if (v.Length == 0) return (double.NaN, double.NaN);
            double mean = v.Average();
            return (mean, Math.Sqrt(v.Sum(x => (x - mean) * (x - mean)) / v.Length));
        }
        var m1 = Stats(used.Select(f => f.M1Validity));
        var m2 = Stats(used.Select(f => f.M2Validity));
        var cost = Stats(used.Select(f => f.Cost));
        double rows = used.Sum(f => f.Rows);
        double ms = rows == 0 ? double.NaN : used.Sum(f => f.MillisecondsPerRow * f.Rows) / rows;
        return new ModelUpdateMethodResult(method, m1.Mean, m1.Sd, m2.Mean, m2.Sd, cost.Mean, cost.Sd, ms, folds);
    }
}

/// <summary>The result of <see cref="ModelUpdateSimulation.Run"/>.</summary>
/// <param name="Shift">The shift's name.</param>
/// <param name="Methods">One entry per generator, in the order given.</param>
/// <param name="Folds">The models' accuracies and the rows needing recourse, per fold.</param>
public sealed record ModelUpdateResult(string Shift, IReadOnlyList<ModelUpdateMethodResult> Methods, IReadOnlyList<ModelUpdateFold> Folds);

/// <summary>The PAC certificate of one robustness radius.</summary>
/// <param name="RobustnessRadius">The radius δ_max.</param>
/// <param name="Misses">The draws whose retrained model rejected the sampled row's counterfactual.</param>
/// <param name="IsCertified">Whether the misses are at most the rule's allowance.</param>
/// <param name="MeanCost">The mean cost of the recourse at this radius.</param>
/// <param name="M1Validity">The share of rows whose recourse M1 accepts.</param>
public sealed record RadiusCertificate(double RobustnessRadius, int Misses, bool IsCertified, double MeanCost, double M1Validity);

/// <summary>
/// The result of <see cref="ModelUpdateSimulation.CertifyInvalidation"/>: with probability at least 1 − <see cref="Delta"/>
/// over the simulated retrains, the recourse at <see cref="CertifiedRadius"/> is invalidated by a new retrain (for a
/// person drawn at random from the rows needing recourse) with probability at most <see cref="Epsilon"/>, provided
/// retrains are i.i.d. draws of the simulated kind.
/// </summary>
/// <param name="Shift">The shift's name.</param>
/// <param name="Fold">The fold.</param>
/// <param name="Epsilon">ε, the tolerated invalidation probability.</param>
/// <param name="Delta">δ, the failure probability.</param>
/// <param name="Retrains">n, the number of simulated retrains.</param>
/// <param name="AllowedMisses">k*, the misses the binomial rule allows.</param>
/// <param name="Rows">The rows needing recourse that were sampled from.</param>
/// <param name="CertifiedRadius">The smallest certified radius, or <see langword="null"/> when even the largest is not certified.</param>
/// <param name="Radii">The radii tested, smallest first (testing stops at the first failure from the largest down).</param>
public sealed record InvalidationCertificate(string Shift, int Fold, double Epsilon, double Delta, int Retrains, int AllowedMisses, int Rows,
    double? CertifiedRadius, IReadOnlyList<RadiusCertificate> Radii);
