using Microsoft.ML.Recourse.Actions;
using Microsoft.ML.Recourse.Models;
using Microsoft.ML.Recourse.Trainers;

namespace Microsoft.ML.Recourse;

public sealed partial class RecourseCatalog
{
    /// <summary>
    /// Create <see cref="RecourseEstimator"/>, which appends to every row the recourse action a generator finds for a
    /// scorer rejecting it: <c>RecourseDelta</c>, <c>RecourseCost</c>, <c>HasRecourse</c> and <c>RecourseStatus</c>.
    /// </summary>
    /// <param name="model">The fitted scorer g.</param>
    /// <param name="actionSet">The allowed actions Δ; its feature count must equal the model's.</param>
    /// <param name="generator">The recourse generator, e.g. <c>mlContext.Recourse().Generators.OneStep(...)</c>.</param>
    /// <param name="threshold">The decision threshold θ₀: a row is accepted when g(x) ≥ θ₀. Range: 0 &lt; θ₀ &lt; 1.</param>
    /// <param name="featureColumnName">
    /// The name of the feature column. The column data must be a known-sized vector of <see cref="float"/> of the
    /// model's feature count.
    /// </param>
    public RecourseEstimator GenerateRecourse(IScorer model, ActionSet actionSet, IRecourseGenerator generator,
        double threshold = RecourseEstimator.Defaults.Threshold, string featureColumnName = DefaultColumnNames.Features)
        => new(Environment, model, actionSet, generator, threshold, featureColumnName);

    /// <summary>
    /// Create <see cref="RecourseEstimator"/> for a fitted binary classifier, which appends to every row the recourse
    /// action a generator finds for the classifier rejecting it.
    /// </summary>
    /// <typeparam name="TModel">The type of the classifier's model parameters.</typeparam>
    /// <param name="predictor">The fitted classifier; its model is the scorer g.</param>
    /// <param name="actionSet">The allowed actions Δ; its feature count must equal the model's.</param>
    /// <param name="generator">The recourse generator.</param>
    /// <param name="threshold">The decision threshold θ₀, or <see langword="null"/> for the classifier's <see cref="RecourseAwarePredictionTransformer{TModel}.Threshold"/>. Range: 0 &lt; θ₀ &lt; 1.</param>
    /// <param name="featureColumnName">
    /// The name of the feature column. The column data must be a known-sized vector of <see cref="float"/> of the
    /// model's feature count.
    /// </param>
    public RecourseEstimator GenerateRecourse<TModel>(RecourseAwarePredictionTransformer<TModel> predictor, ActionSet actionSet, IRecourseGenerator generator,
        double? threshold = null, string featureColumnName = DefaultColumnNames.Features)
        where TModel : ScorerModelParameters
    {
        Contracts.CheckValue(predictor, nameof(predictor));
        return new(Environment, predictor.Model, actionSet, generator, threshold ?? predictor.Threshold, featureColumnName);
    }

    /// <summary>Create <see cref="RecourseEstimator"/> with advanced options, which appends recourse columns for a scorer.</summary>
    /// <param name="model">The fitted scorer g.</param>
    /// <param name="actionSet">The allowed actions Δ; its feature count must equal the model's.</param>
    /// <param name="generator">The recourse generator.</param>
    /// <param name="options">The column name and threshold (0.5 when not set).</param>
    public RecourseEstimator GenerateRecourse(IScorer model, ActionSet actionSet, IRecourseGenerator generator, RecourseEstimator.Options options)
    {
        Contracts.CheckValue(options, nameof(options));
        return new(Environment, model, actionSet, generator, options.Threshold ?? RecourseEstimator.Defaults.Threshold, options.FeatureColumnName);
    }

    /// <summary>Create <see cref="RecourseEstimator"/> with advanced options, which appends recourse columns for a fitted binary classifier.</summary>
    /// <typeparam name="TModel">The type of the classifier's model parameters.</typeparam>
    /// <param name="predictor">The fitted classifier; its model is the scorer g.</param>
    /// <param name="actionSet">The allowed actions Δ; its feature count must equal the model's.</param>
    /// <param name="generator">The recourse generator.</param>
    /// <param name="options">The column name and threshold (the classifier's threshold when not set).</param>
    public RecourseEstimator GenerateRecourse<TModel>(RecourseAwarePredictionTransformer<TModel> predictor, ActionSet actionSet, IRecourseGenerator generator, RecourseEstimator.Options options)
        where TModel : ScorerModelParameters
    {
        Contracts.CheckValue(predictor, nameof(predictor));
        Contracts.CheckValue(options, nameof(options));
        return new(Environment, predictor.Model, actionSet, generator, options.Threshold ?? predictor.Threshold, options.FeatureColumnName);
    }

    /// <summary>
    /// Create <see cref="RecourseEstimator"/> for a fitted ML.NET model (a prediction transformer, or a whole fitted
    /// pipeline ending in one), which appends to every row the recourse action a generator finds for the model
    /// rejecting it, over the user's own input columns. Fitting reads the model back through the transforms in front
    /// of the classifier (concatenations and ML.NET's normalisers are composed; any other transform is named in an
    /// error) and binds <paramref name="actions"/> to the input columns with statistics of the data it is fitted on.
    /// </summary>
    /// <param name="model">
    /// The fitted model: the library's classifiers, or ML.NET's linear binary classifiers (L-BFGS and SDCA logistic
    /// regression, averaged perceptron, linear SVM, calibrated or not), with the transforms in front of them.
    /// </param>
    /// <param name="actions">What a person may do with each input column, by name, in the column's own units.</param>
    /// <param name="generator">The recourse generator, e.g. <c>mlContext.Recourse().Generators.OneStep()</c>.</param>
    /// <param name="threshold">
    /// The decision threshold θ₀ on the model's g, or <see langword="null"/> for the model's own decision (for ML.NET's
    /// models, a margin above its boundary so that every action is accepted by its <c>PredictedLabel</c>). Range: 0 &lt; θ₀ &lt; 1.
    /// </param>
    public RecourseEstimator GenerateRecourse(ITransformer model, ColumnActionSet actions, IRecourseGenerator generator, double? threshold = null)
        => RecourseEstimator.ForModel(Environment, model, actions, generator, threshold);

    /// <summary>
    /// Create <see cref="RecourseEstimator"/> for a fitted ML.NET model with an action set over the inputs the model
    /// reads (the slots of its feature column, or its input columns when transforms stand in front of the classifier).
    /// </summary>
    /// <param name="model">The fitted model: a prediction transformer, or a fitted pipeline ending in one.</param>
    /// <param name="actions">The allowed actions Δ; its features must be the model's inputs, in order.</param>
    /// <param name="generator">The recourse generator.</param>
    /// <param name="threshold">The decision threshold θ₀, or <see langword="null"/> for the model's own. Range: 0 &lt; θ₀ &lt; 1.</param>
    public RecourseEstimator GenerateRecourse(ITransformer model, ActionSet actions, IRecourseGenerator generator, double? threshold = null)
        => RecourseEstimator.ForModel(Environment, model, actions, generator, threshold);

    /// <summary>
    /// Create <see cref="RecourseEstimator"/> that trains a model and adds recourse to its output: fitting fits
    /// <paramref name="modelEstimator"/> (a trainer, or a whole pipeline of transforms and a trainer), then proceeds as
    /// <see cref="GenerateRecourse(ITransformer, ColumnActionSet, IRecourseGenerator, double?)"/>. The fitted
    /// <see cref="RecourseTransformer"/> applies the model first, so its output has the model's columns and the recourse columns.
    /// </summary>
    /// <param name="modelEstimator">The estimator of the model, e.g. a Concatenate → NormalizeMeanVariance → LbfgsLogisticRegression pipeline.</param>
    /// <param name="actions">What a person may do with each input column, by name, in the column's own units.</param>
    /// <param name="generator">The recourse generator.</param>
    /// <param name="threshold">The decision threshold θ₀, or <see langword="null"/> for the model's own. Range: 0 &lt; θ₀ &lt; 1.</param>
    public RecourseEstimator GenerateRecourse(IEstimator<ITransformer> modelEstimator, ColumnActionSet actions, IRecourseGenerator generator, double? threshold = null)
        => RecourseEstimator.ForModelEstimator(Environment, modelEstimator, actions, generator, threshold);

    /// <summary>
    /// Audits recourse over a population: for all rows and, optionally, per value of a group column, the number of
    /// rejected rows, recourse-neg (share of them with recourse), recourse-all (share of all rows accepted or with
    /// recourse), mean and median cost over rejected rows with recourse, and the share of rejected rows certified
    /// infeasible.
    /// </summary>
    /// <param name="transformed">
    /// The output of a <see cref="RecourseTransformer"/>: it needs <c>HasRecourse</c> (<see cref="bool"/>),
    /// <c>RecourseCost</c> (<see cref="float"/>) and <c>RecourseStatus</c> (text; <c>Accepted</c> marks rows the model
    /// accepts, so the audit uses the transformer's own threshold).
    /// </param>
    /// <param name="groupColumnName">
    /// The name of a group column (e.g. <c>isWhite</c>), or <see langword="null"/>. The column data must be text,
    /// <see cref="bool"/> or <see cref="int"/>.
    /// </param>
    public RecourseAuditResult Audit(IDataView transformed, string? groupColumnName = null)
    {
        Contracts.CheckValue(transformed, nameof(transformed));
        var result = RecourseAudit.Compute(transformed, groupColumnName);
        Environment.Log(nameof(Audit), FormattableString.Invariant(
            $"{result.Overall.Negatives} of {result.Overall.Rows} rows rejected, recourse-neg {result.Overall.RecourseNegativeRate:0.###}, mean cost {result.Overall.MeanCost:0.###}"));
        return result;
    }
}
