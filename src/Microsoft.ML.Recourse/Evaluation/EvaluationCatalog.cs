using Microsoft.ML.Recourse.Actions;
using Microsoft.ML.Data;
using Microsoft.ML.Recourse.Models;
using Microsoft.ML.Recourse.Trainers;

namespace Microsoft.ML.Recourse.Evaluation;

/// <summary>
/// The evaluation suite of Ross, Lakkaraju &amp; Bastani (2021), reached through <see cref="RecourseCatalog.Evaluation"/>:
/// performance metrics, recourse rates per generator, robustness of recourse, model brittleness, the in-distribution
/// check, recourse disparity between groups, and sweeps over λ, θ₀ and δ_max. Definitions: docs/evaluation.md.
/// </summary>
/// <remarks>
/// Every method takes the model as an <see cref="IScorer"/> g with a threshold θ₀ (a row is favourable iff
/// g(x) ≥ θ₀) and reads rows from the feature column of a data view (a known-sized vector of <see cref="float"/>; NaN
/// and infinite values are rejected naming the row and slot). Generators run only on the negatives, g(x) &lt; θ₀.
/// Random noise and splits are drawn with seeds from the <see cref="MLContext"/>, so results are deterministic
/// for a seeded environment.
/// </remarks>
public sealed class EvaluationCatalog
{
    /// <summary>The standard deviation of the Gaussian noise of the robustness and brittleness checks (paper §4.2).</summary>
    public const double DefaultNoiseStandardDeviation = 0.1;

    /// <summary>The validation precision the disparity threshold is chosen to match (paper Appendix B.3).</summary>
    public const double DefaultTargetPrecision = 0.65;

    /// <summary>The share of the balanced sample held out by the in-distribution check.</summary>
    public const double DefaultTestFraction = 0.3;

    // The detectors are trained longer and faster than the trainers' defaults (15 epochs at 0.002): a few hundred rows
    // from zero initialisation otherwise stop short of the boundary and understate how separable the rows are.
    private const int DetectorEpochs = 50;
    private const double DetectorLearningRate = 0.01;

    private readonly RecourseEnvironment _environment;

    internal EvaluationCatalog(RecourseEnvironment environment) => _environment = environment;

    /// <summary>Computes accuracy, precision, recall and F1 of <paramref name="model"/> at θ₀ (favourable class positive, predicted iff g(x) ≥ θ₀).</summary>
    /// <param name="model">The scorer g.</param>
    /// <param name="threshold">θ₀. Range: 0 ≤ θ₀ ≤ 1.</param>
    /// <param name="data">The rows to evaluate.</param>
    /// <param name="labelColumnName">The name of the label column. The column data must be <see cref="bool"/>.</param>
    /// <param name="featureColumnName">The name of the feature column. The column data must be a known-sized vector of <see cref="float"/>.</param>
    public ThresholdClassificationMetrics EvaluateClassification(IScorer model, double threshold, IDataView data,
        string labelColumnName = DefaultColumnNames.Label, string featureColumnName = DefaultColumnNames.Features)
    {
        CheckModel(model, threshold);
        var rows = EvaluationRows.Read(data, model, featureColumnName, labelColumnName);
        return ThresholdClassificationMetrics.Compute(rows.Scores, rows.Labels!, threshold);
    }

    /// <summary>Computes "recourse neg" and "recourse all" of one generator at θ₀.</summary>
    /// <param name="model">The scorer g.</param>
    /// <param name="threshold">θ₀. Range: 0 ≤ θ₀ &lt; 1.</param>
    /// <param name="actionSet">The allowed actions Δ.</param>
    /// <param name="generator">The recourse algorithm.</param>
    /// <param name="data">The rows to evaluate.</param>
    /// <param name="featureColumnName">The name of the feature column. The column data must be a known-sized vector of <see cref="float"/>.</param>
    public RecourseRates EvaluateRecourse(IScorer model, double threshold, ActionSet actionSet, IRecourseGenerator generator, IDataView data,
        string featureColumnName = DefaultColumnNames.Features)
    {
        CheckModel(model, threshold);
        CheckRecourseArguments(model, actionSet, generator);
        var rows = EvaluationRows.Read(data, model, featureColumnName, labelColumnName: null);
        return rows.Recourse(generator, threshold, actionSet).Rates;
    }

    /// <summary>Computes the classification metrics and every generator's recourse rates at θ₀ (one column of the paper's Table 1).</summary>
    /// <param name="model">The scorer g.</param>
    /// <param name="threshold">θ₀. Range: 0 ≤ θ₀ &lt; 1.</param>
    /// <param name="actionSet">The allowed actions Δ.</param>
    /// <param name="generators">The recourse algorithms to compare.</param>
    /// <param name="data">The rows to evaluate.</param>
    /// <param name="labelColumnName">The name of the label column. The column data must be <see cref="bool"/>.</param>
    /// <param name="featureColumnName">The name of the feature column. The column data must be a known-sized vector of <see cref="float"/>.</param>
    public RecourseEvaluationResult Evaluate(IScorer model, double threshold, ActionSet actionSet, IReadOnlyList<IRecourseGenerator> generators,
        IDataView data, string labelColumnName = DefaultColumnNames.Label, string featureColumnName = DefaultColumnNames.Features)
    {
        CheckModel(model, threshold);
        CheckGenerators(model, actionSet, generators);
        return EvaluationRows.Read(data, model, featureColumnName, labelColumnName).Evaluate(threshold, actionSet, generators);
    }

    /// <summary>
    /// Measures how robust found recourses are: each valid δ of a negative row gets N(0, σ²) noise on the actionable
    /// features (those not <see cref="FeatureActionability.Immutable"/>) and stays robust when g(x + δ') ≥ θ₀.
    /// </summary>
    /// <param name="model">The scorer g.</param>
    /// <param name="threshold">θ₀. Range: 0 ≤ θ₀ &lt; 1.</param>
    /// <param name="actionSet">The allowed actions Δ; also says which features are actionable.</param>
    /// <param name="generator">The recourse algorithm.</param>
    /// <param name="data">The rows to evaluate.</param>
    /// <param name="noiseStandardDeviation">σ in the model's (standardised) units. Range: σ ≥ 0.</param>
    /// <param name="featureColumnName">The name of the feature column. The column data must be a known-sized vector of <see cref="float"/>.</param>
    public RecourseRobustness EvaluateRecourseRobustness(IScorer model, double threshold, ActionSet actionSet, IRecourseGenerator generator,
        IDataView data, double noiseStandardDeviation = DefaultNoiseStandardDeviation, string featureColumnName = DefaultColumnNames.Features)
    {
        CheckModel(model, threshold);
        CheckRecourseArguments(model, actionSet, generator);
        Contracts.CheckNonNegative(noiseStandardDeviation, nameof(noiseStandardDeviation));
        var rows = EvaluationRows.Read(data, model, featureColumnName, labelColumnName: null);
        var noise = new GaussianNoise(_environment.NextSeed(), noiseStandardDeviation, ActionableFeatures(actionSet));
        int d = model.FeatureCount, recourses = 0, robust = 0;
        var perturbed = new double[d];
        foreach (var (row, result) in rows.Recourse(generator, threshold, actionSet).Results)
        {
            if (!result.IsValid) continue;
            recourses++;
            for (int j = 0; j < d; j++) perturbed[j] = rows.Features[row * d + j] + result.Delta![j];
            noise.AddTo(perturbed);
            if (model.Score(perturbed) >= threshold) robust++;
        }
        return new RecourseRobustness(generator.Name, noiseStandardDeviation, recourses, robust);
    }

    /// <summary>
    /// Measures model brittleness: every row gets N(0, σ²) noise on the actionable features and flips when its
    /// prediction at θ₀ changes.
    /// </summary>
    /// <param name="model">The scorer g.</param>
    /// <param name="threshold">θ₀. Range: 0 ≤ θ₀ ≤ 1.</param>
    /// <param name="actionSet">Says which features are actionable.</param>
    /// <param name="data">The rows to evaluate.</param>
    /// <param name="noiseStandardDeviation">σ in the model's (standardised) units. Range: σ ≥ 0.</param>
    /// <param name="featureColumnName">The name of the feature column. The column data must be a known-sized vector of <see cref="float"/>.</param>
    public ModelBrittleness EvaluateBrittleness(IScorer model, double threshold, ActionSet actionSet, IDataView data,
        double noiseStandardDeviation = DefaultNoiseStandardDeviation, string featureColumnName = DefaultColumnNames.Features)
    {
        CheckModel(model, threshold);
        Contracts.CheckValue(actionSet, nameof(actionSet));
        CheckActionSet(model, actionSet);
        Contracts.CheckNonNegative(noiseStandardDeviation, nameof(noiseStandardDeviation));
        var rows = EvaluationRows.Read(data, model, featureColumnName, labelColumnName: null);
        var noise = new GaussianNoise(_environment.NextSeed(), noiseStandardDeviation, ActionableFeatures(actionSet));
        var noisy = rows.Features.ToArray();
        int d = model.FeatureCount;
        for (int r = 0; r < rows.Count; r++) noise.AddTo(noisy.AsSpan(r * d, d));
        var noisyScores = new double[rows.Count];
        model.ScoreBatch(noisy, noisyScores);
        int flipped = 0;
        for (int r = 0; r < rows.Count; r++)
            if (rows.Scores[r] >= threshold != noisyScores[r] >= threshold) flipped++;
        return new ModelBrittleness(noiseStandardDeviation, rows.Count, flipped);
    }

    /// <summary>
    /// The in-distribution check: computes recourse for the negatives, then trains a logistic regression and a
    /// multilayer perceptron to tell the rows of <paramref name="data"/> from the valid counterfactuals (see
    /// <see cref="EvaluateInDistribution(IReadOnlyList{IReadOnlyList{double}}, IReadOnlyList{IReadOnlyList{double}}, double)"/>).
    /// </summary>
    /// <param name="model">The scorer g.</param>
    /// <param name="threshold">θ₀. Range: 0 ≤ θ₀ &lt; 1.</param>
    /// <param name="actionSet">The allowed actions Δ.</param>
    /// <param name="generator">The recourse algorithm whose counterfactuals are checked.</param>
    /// <param name="data">The original rows.</param>
    /// <param name="testFraction">The share of the balanced sample held out for scoring. Range: 0 &lt; value &lt; 1.</param>
    /// <param name="featureColumnName">The name of the feature column. The column data must be a known-sized vector of <see cref="float"/>.</param>
    public InDistributionResult EvaluateInDistribution(IScorer model, double threshold, ActionSet actionSet, IRecourseGenerator generator,
        IDataView data, double testFraction = DefaultTestFraction, string featureColumnName = DefaultColumnNames.Features)
    {
        CheckModel(model, threshold);
        CheckRecourseArguments(model, actionSet, generator);
        Contracts.CheckOpenUnitInterval(testFraction, nameof(testFraction));
        var rows = EvaluationRows.Read(data, model, featureColumnName, labelColumnName: null);
        int d = model.FeatureCount;
        var originals = Enumerable.Range(0, rows.Count).Select(r => (IReadOnlyList<double>)rows.Features.AsSpan(r * d, d).ToArray()).ToList();
        var counterfactuals = rows.Recourse(generator, threshold, actionSet).Results
            .Where(x => x.Result.IsValid).Select(x => x.Result.Counterfactual!).ToList();
        return EvaluateInDistribution(originals, counterfactuals, testFraction);
    }

    /// <summary>
    /// The in-distribution check of Slack et al. (2020) as used in the paper's Table 3: draws the same number of
    /// originals and counterfactuals (the smaller count), holds out <paramref name="testFraction"/> of each, trains a
    /// logistic regression and a multilayer perceptron (the library's plain trainers, 2 × 100 ReLU for the perceptron) to tell
    /// them apart (50 epochs at learning rate 0.01, so small samples train to their boundary), and reports their
    /// held-out accuracy at 0.5. Accuracy near 0.5 means the counterfactuals cannot be told from real rows.
    /// </summary>
    /// <param name="originals">Original rows, each with the same number of features.</param>
    /// <param name="counterfactuals">Counterfactual rows x + δ.</param>
    /// <param name="testFraction">The share held out for scoring. Range: 0 &lt; value &lt; 1.</param>
    public InDistributionResult EvaluateInDistribution(IReadOnlyList<IReadOnlyList<double>> originals, IReadOnlyList<IReadOnlyList<double>> counterfactuals,
        double testFraction = DefaultTestFraction)
    {
        Contracts.CheckValue(originals, nameof(originals));
        Contracts.CheckValue(counterfactuals, nameof(counterfactuals));
        Contracts.CheckOpenUnitInterval(testFraction, nameof(testFraction));
        int perClass = Math.Min(originals.Count, counterfactuals.Count);
        int testPerClass = (int)Math.Round(testFraction * perClass);
        Contracts.Check(testPerClass >= 1 && testPerClass < perClass, FormattableString.Invariant(
            $"The in-distribution check needs at least one training and one test row of each kind; {originals.Count} originals and {counterfactuals.Count} counterfactuals with a test fraction of {testFraction} leave {perClass - testPerClass} training and {testPerClass} test rows per kind."));
        int d = originals[0]?.Count ?? 0;
        Contracts.CheckParam(d > 0, nameof(originals), "Row 0 of the originals is null or empty.");
        var random = new RandomSource(_environment.NextSeed());
        var training = new List<(IReadOnlyList<double> Row, bool IsCounterfactual)>();
        var test = new List<(IReadOnlyList<double> Row, bool IsCounterfactual)>();
        foreach (var (source, isCounterfactual, name) in new[] { (originals, false, nameof(originals)), (counterfactuals, true, nameof(counterfactuals)) })
        {
            var order = Enumerable.Range(0, source.Count).ToArray();
            random.Shuffle(order);
            for (int i = 0; i < perClass; i++)
            {
                var row = source[order[i]];
                Contracts.CheckParam(row is not null && row.Count == d, name, FormattableString.Invariant($"Row {order[i]} is null or does not have {d} values."));
                (i < testPerClass ? test : training).Add((row, isCounterfactual));
            }
        }
        var trainView = ToView(training, d);
        var testLabels = test.Select(t => t.IsCounterfactual).ToArray();
        double Accuracy(ScorerModelParameters m)
        {
            var scores = new double[test.Count];
            m.ScoreBatch(test.SelectMany(t => t.Row).ToArray(), scores);
            return ThresholdClassificationMetrics.Compute(scores, testLabels, PredictionColumns.DefaultThreshold).Accuracy;
        }
        var logistic = new LogisticRegressionTrainer(_environment, new LogisticRegressionTrainer.Options
        {
            NumberOfEpochs = DetectorEpochs,
            LearningRate = DetectorLearningRate,
        }).Fit(trainView).Model;
        var perceptron = new MultilayerPerceptronTrainer(_environment, new MultilayerPerceptronTrainer.Options
        {
            NumberOfEpochs = DetectorEpochs,
            LearningRate = DetectorLearningRate,
        }).Fit(trainView).Model;
        return new InDistributionResult(perClass, training.Count, test.Count, Accuracy(logistic), Accuracy(perceptron));
    }

    /// <summary>
    /// Recourse disparity between groups: θ is the threshold whose precision on <paramref name="validationData"/> is
    /// closest to <paramref name="targetPrecision"/> (see <see cref="ThresholdSelection.ForPrecision"/>); then "recourse
    /// all" is computed per group of <paramref name="data"/> at θ.
    /// </summary>
    /// <param name="model">The scorer g.</param>
    /// <param name="actionSet">The allowed actions Δ.</param>
    /// <param name="generator">The recourse algorithm (gradient descent in the paper).</param>
    /// <param name="validationData">The rows the threshold is chosen on; needs the label column.</param>
    /// <param name="data">The rows recourse is evaluated on; needs the group column.</param>
    /// <param name="groupColumnName">The name of the group column. The column data must be <see cref="string"/>.</param>
    /// <param name="referenceGroup">The group compared with all others, e.g. <c>White</c>.</param>
    /// <param name="targetPrecision">The validation precision to match. Range: 0 ≤ value ≤ 1.</param>
    /// <param name="labelColumnName">The name of the label column. The column data must be <see cref="bool"/>.</param>
    /// <param name="featureColumnName">The name of the feature column. The column data must be a known-sized vector of <see cref="float"/>.</param>
    public RecourseDisparity EvaluateDisparity(IScorer model, ActionSet actionSet, IRecourseGenerator generator,
        IDataView validationData, IDataView data, string groupColumnName, string referenceGroup,
        double targetPrecision = DefaultTargetPrecision, string labelColumnName = DefaultColumnNames.Label,
        string featureColumnName = DefaultColumnNames.Features)
    {
        Contracts.CheckValue(model, nameof(model));
        CheckRecourseArguments(model, actionSet, generator);
        Contracts.CheckValue(groupColumnName, nameof(groupColumnName));
        Contracts.CheckValue(referenceGroup, nameof(referenceGroup));
        var validation = EvaluationRows.Read(validationData, model, featureColumnName, labelColumnName, nameof(validationData));
        var choice = ThresholdSelection.ForPrecision(validation.Scores, validation.Labels!, targetPrecision);
        Contracts.CheckValue(data, nameof(data));
        var groupColumn = ColumnChecks.CheckScalarColumn(data.Schema, "group", groupColumnName, TextDataViewType.Instance, nameof(data));
        var groups = ColumnChecks.ReadText(data, groupColumn);
        Contracts.CheckParam(groups.Contains(referenceGroup), nameof(referenceGroup),
            $"No row of the group column '{groupColumnName}' has the value '{referenceGroup}'; values: {string.Join(", ", groups.Distinct())}.");
        var rows = EvaluationRows.Read(data, model, featureColumnName, labelColumnName: null);
        var hasRecourse = new bool[rows.Count];
        foreach (var (row, result) in rows.Recourse(generator, choice.Threshold, actionSet).Results) hasRecourse[row] = result.IsValid;
        var perGroup = groups.Distinct().Select(group =>
        {
            int count = 0, negatives = 0, withRecourse = 0;
            for (int r = 0; r < rows.Count; r++)
            {
                if (groups[r] != group) continue;
                count++;
                if (rows.Scores[r] >= choice.Threshold) continue;
                negatives++;
                if (hasRecourse[r]) withRecourse++;
            }
            return new GroupRecourseRates(group, new RecourseRates(generator.Name, choice.Threshold, count, negatives, withRecourse));
        }).ToList();
        return new RecourseDisparity(choice, targetPrecision, referenceGroup, perGroup);
    }

    /// <summary>Evaluates one model at each threshold θ₀ (the paper's Figure 2).</summary>
    /// <param name="model">The scorer g.</param>
    /// <param name="thresholds">The thresholds θ₀ to evaluate. Range: each 0 ≤ θ₀ &lt; 1.</param>
    /// <param name="actionSet">The allowed actions Δ.</param>
    /// <param name="generators">The recourse algorithms.</param>
    /// <param name="data">The rows to evaluate.</param>
    /// <param name="labelColumnName">The name of the label column. The column data must be <see cref="bool"/>.</param>
    /// <param name="featureColumnName">The name of the feature column. The column data must be a known-sized vector of <see cref="float"/>.</param>
    /// <param name="progress">Receives each point as it is computed.</param>
    public IReadOnlyList<RecourseSweepPoint> SweepThreshold(IScorer model, IReadOnlyList<double> thresholds, ActionSet actionSet,
        IReadOnlyList<IRecourseGenerator> generators, IDataView data, string labelColumnName = DefaultColumnNames.Label,
        string featureColumnName = DefaultColumnNames.Features, IProgress<RecourseSweepPoint>? progress = null)
    {
        Contracts.CheckValue(model, nameof(model));
        Contracts.CheckValue(thresholds, nameof(thresholds));
        foreach (double t in thresholds) CheckThreshold(t, nameof(thresholds));
        CheckGenerators(model, actionSet, generators);
        var rows = EvaluationRows.Read(data, model, featureColumnName, labelColumnName);
        return Sweep(thresholds, t => rows.Evaluate(t, actionSet, generators), progress);
    }

    /// <summary>
    /// Trains one model per recourse weight λ with <paramref name="train"/> and evaluates each at its own threshold
    /// (the paper's Figures 1 and 5). The delegate decides the trainer, so the sweep works with any of them.
    /// </summary>
    /// <typeparam name="TModel">The type of the model parameters.</typeparam>
    /// <param name="recourseWeights">The values of λ. Range: each λ ≥ 0.</param>
    /// <param name="train">Trains the model for a given λ; its threshold and feature column are used.</param>
    /// <param name="actionSet">The allowed actions Δ.</param>
    /// <param name="generators">The recourse algorithms.</param>
    /// <param name="data">The rows to evaluate.</param>
    /// <param name="labelColumnName">The name of the label column. The column data must be <see cref="bool"/>.</param>
    /// <param name="progress">Receives each point as it is computed.</param>
    public IReadOnlyList<RecourseSweepPoint> SweepRecourseWeight<TModel>(IReadOnlyList<double> recourseWeights,
        Func<double, RecourseAwarePredictionTransformer<TModel>> train, ActionSet actionSet, IReadOnlyList<IRecourseGenerator> generators,
        IDataView data, string labelColumnName = DefaultColumnNames.Label, IProgress<RecourseSweepPoint>? progress = null)
        where TModel : ScorerModelParameters
    {
        Contracts.CheckValue(recourseWeights, nameof(recourseWeights));
        foreach (double w in recourseWeights) Contracts.CheckNonNegative(w, nameof(recourseWeights));
        Contracts.CheckValue(train, nameof(train));
        Contracts.CheckValue(actionSet, nameof(actionSet));
        Contracts.CheckValue(generators, nameof(generators));
        Contracts.CheckValue(data, nameof(data));
        return Sweep(recourseWeights, w => EvaluateTrained(train(w), actionSet, generators, data, labelColumnName), progress);
    }

    /// <summary>
    /// Trains one model per maximum change δ_max and evaluates it with the action set for that δ_max (the paper's
    /// Figure 4).
    /// </summary>
    /// <typeparam name="TModel">The type of the model parameters.</typeparam>
    /// <param name="maximumChanges">The values of δ_max in standardised units. Range: each value &gt; 0.</param>
    /// <param name="actionSetFor">Builds the action set for a δ_max, e.g. <c>m =&gt; ActionSet.FromFeatures(features, m)</c>.</param>
    /// <param name="train">Trains the model with that action set.</param>
    /// <param name="generators">The recourse algorithms.</param>
    /// <param name="data">The rows to evaluate.</param>
    /// <param name="labelColumnName">The name of the label column. The column data must be <see cref="bool"/>.</param>
    /// <param name="progress">Receives each point as it is computed.</param>
    public IReadOnlyList<RecourseSweepPoint> SweepMaximumChange<TModel>(IReadOnlyList<double> maximumChanges,
        Func<double, ActionSet> actionSetFor, Func<ActionSet, RecourseAwarePredictionTransformer<TModel>> train,
        IReadOnlyList<IRecourseGenerator> generators, IDataView data, string labelColumnName = DefaultColumnNames.Label,
        IProgress<RecourseSweepPoint>? progress = null)
        where TModel : ScorerModelParameters
    {
        Contracts.CheckValue(maximumChanges, nameof(maximumChanges));
        foreach (double m in maximumChanges) Contracts.CheckPositive(m, nameof(maximumChanges));
        Contracts.CheckValue(actionSetFor, nameof(actionSetFor));
        Contracts.CheckValue(train, nameof(train));
        Contracts.CheckValue(generators, nameof(generators));
        Contracts.CheckValue(data, nameof(data));
        return Sweep(maximumChanges, m =>
        {
            var actionSet = actionSetFor(m) ?? throw new InvalidOperationException(FormattableString.Invariant($"The action set builder returned null for δ_max = {m}."));
            return EvaluateTrained(train(actionSet), actionSet, generators, data, labelColumnName);
        }, progress);
    }

    private RecourseEvaluationResult EvaluateTrained<TModel>(RecourseAwarePredictionTransformer<TModel> model, ActionSet actionSet,
        IReadOnlyList<IRecourseGenerator> generators, IDataView data, string labelColumnName)
        where TModel : ScorerModelParameters
    {
        Contracts.Check(model is not null, "The training delegate returned null.");
        return Evaluate(model.Model, model.Threshold, actionSet, generators, data, labelColumnName, model.FeatureColumnName);
    }

    private static IReadOnlyList<RecourseSweepPoint> Sweep(IReadOnlyList<double> values, Func<double, RecourseEvaluationResult> evaluate,
        IProgress<RecourseSweepPoint>? progress)
    {
        var points = new List<RecourseSweepPoint>(values.Count);
        foreach (double value in values)
        {
            var point = new RecourseSweepPoint(value, evaluate(value));
            points.Add(point);
            progress?.Report(point);
        }
        return points;
    }

    private static IDataView ToView(List<(IReadOnlyList<double> Row, bool IsCounterfactual)> rows, int d)
        => new InMemoryDataView.Builder()
            .AddVector(DefaultColumnNames.Features, d, rows.SelectMany(r => r.Row.Select(v => (float)v)).ToArray())
            .AddScalar(DefaultColumnNames.Label, rows.Select(r => r.IsCounterfactual).ToArray())
            .Build();

    internal static bool[] ActionableFeatures(ActionSet actionSet)
        => actionSet.Actions.Select(a => a.Actionability != FeatureActionability.Immutable).ToArray();

    private static void CheckModel(IScorer model, double threshold)
    {
        Contracts.CheckValue(model, nameof(model));
        CheckThreshold(threshold, nameof(threshold));
    }

    private static void CheckThreshold(double threshold, string paramName)
        => Contracts.CheckParam(threshold >= 0 && threshold <= 1, paramName, FormattableString.Invariant($"A threshold must lie in [0, 1]; got {threshold}."));

    private static void CheckRecourseArguments(IScorer model, ActionSet actionSet, IRecourseGenerator generator)
    {
        Contracts.CheckValue(actionSet, nameof(actionSet));
        Contracts.CheckValue(generator, nameof(generator));
        CheckActionSet(model, actionSet);
    }

    private static void CheckGenerators(IScorer model, ActionSet actionSet, IReadOnlyList<IRecourseGenerator> generators)
    {
        Contracts.CheckValue(actionSet, nameof(actionSet));
        Contracts.CheckValue(generators, nameof(generators));
        for (int i = 0; i < generators.Count; i++) Contracts.CheckParam(generators[i] is not null, nameof(generators), $"Generator {i} is null.");
        CheckActionSet(model, actionSet);
    }

    private static void CheckActionSet(IScorer model, ActionSet actionSet)
        => Contracts.CheckParam(actionSet.FeatureCount == model.FeatureCount, nameof(actionSet),
            $"The action set describes {actionSet.FeatureCount} features but the model takes {model.FeatureCount}.");
}
