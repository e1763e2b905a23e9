using Microsoft.ML.Recourse.Actions;
using Microsoft.ML.Data;
using Microsoft.ML.Recourse.Trainers;

namespace Microsoft.ML.Recourse;

/// <summary>
/// Creates the recourse-aware binary classifiers of Ross, Lakkaraju &amp; Bastani (2021) from
/// <c>mlContext.Recourse()</c>.<see cref="RecourseCatalog.Trainers"/>.
/// </summary>
public static class RecourseAwareTrainersCatalog
{
    /// <summary>
    /// Create <see cref="RecourseAwareLogisticRegressionTrainer"/>, which trains a linear binary classifier whose
    /// decision boundary leaves one-step recourse within <paramref name="actionSet"/> for rejected rows.
    /// </summary>
    /// <param name="catalog">The binary classification catalog trainer object.</param>
    /// <param name="actionSet">The actions Δ the perturbation δ* is chosen from; its feature count must equal the feature column's length.</param>
    /// <param name="recourseWeight">λ, the weight of the recourse term. Range: value ≥ 0.</param>
    /// <param name="perturbationDirection">Which corner of Δ(x) δ* takes (the paper's objective by default).</param>
    /// <param name="labelColumnName">The name of the label column. The column data must be <see cref="bool"/>.</param>
    /// <param name="featureColumnName">The name of the feature column. The column data must be a known-sized vector of <see cref="float"/>.</param>
    /// <param name="numberOfEpochs">The number of passes over the training rows. Range: value ≥ 1.</param>
    /// <param name="batchSize">The number of rows per Adam step. Range: value ≥ 1.</param>
    /// <param name="learningRate">Adam's learning rate. Range: value &gt; 0.</param>
    public static RecourseAwareLogisticRegressionTrainer RecourseAwareLogisticRegression(
        this RecourseTrainers catalog,
        ActionSet actionSet,
        double recourseWeight = RecourseAwareTrainerOptionsBase.RecourseDefaults.RecourseWeight,
        PerturbationDirection perturbationDirection = RecourseAwareTrainerOptionsBase.RecourseDefaults.PerturbationDirection,
        string labelColumnName = DefaultColumnNames.Label,
        string featureColumnName = DefaultColumnNames.Features,
        int numberOfEpochs = ScorerTrainerOptionsBase.Defaults.NumberOfEpochs,
        int batchSize = ScorerTrainerOptionsBase.Defaults.BatchSize,
        double learningRate = ScorerTrainerOptionsBase.Defaults.LearningRate)
    {
        Contracts.CheckValue(catalog, nameof(catalog));
        Contracts.CheckValue(actionSet, nameof(actionSet));
        return new RecourseAwareLogisticRegressionTrainer(catalog.Environment, new RecourseAwareLogisticRegressionTrainer.Options
        {
            ActionSet = actionSet,
            RecourseWeight = recourseWeight,
            PerturbationDirection = perturbationDirection,
            LabelColumnName = labelColumnName,
            FeatureColumnName = featureColumnName,
            NumberOfEpochs = numberOfEpochs,
            BatchSize = batchSize,
            LearningRate = learningRate,
        });
    }

    /// <summary>
    /// Create <see cref="RecourseAwareLogisticRegressionTrainer"/> with actions named by column, which trains a linear
    /// binary classifier that leaves one-step recourse for rejected rows; the actions bind to the feature column's
    /// slots (named after the columns Concatenate put there) when the trainer is fitted.
    /// </summary>
    /// <param name="catalog">The binary classification catalog trainer object.</param>
    /// <param name="columnActions">What a person may do with each column; every mutable column needs a maximum change (in standard deviations of the features).</param>
    /// <param name="recourseWeight">λ, the weight of the recourse term. Range: value ≥ 0.</param>
    /// <param name="labelColumnName">The name of the label column. The column data must be <see cref="bool"/>.</param>
    /// <param name="featureColumnName">The name of the feature column. The column data must be a known-sized vector of <see cref="float"/>.</param>
    /// <param name="numberOfEpochs">The number of passes over the training rows. Range: value ≥ 1.</param>
    public static RecourseAwareLogisticRegressionTrainer RecourseAwareLogisticRegression(
        this RecourseTrainers catalog,
        ColumnActionSet columnActions,
        double recourseWeight = RecourseAwareTrainerOptionsBase.RecourseDefaults.RecourseWeight,
        string labelColumnName = DefaultColumnNames.Label,
        string featureColumnName = DefaultColumnNames.Features,
        int numberOfEpochs = ScorerTrainerOptionsBase.Defaults.NumberOfEpochs)
    {
        Contracts.CheckValue(catalog, nameof(catalog));
        Contracts.CheckValue(columnActions, nameof(columnActions));
        return new RecourseAwareLogisticRegressionTrainer(catalog.Environment, new RecourseAwareLogisticRegressionTrainer.Options
        {
            ColumnActions = columnActions,
            RecourseWeight = recourseWeight,
            LabelColumnName = labelColumnName,
            FeatureColumnName = featureColumnName,
            NumberOfEpochs = numberOfEpochs,
        });
    }

    /// <summary>
    /// Create <see cref="RecourseAwareLogisticRegressionTrainer"/> with advanced options, which trains a linear binary
    /// classifier whose decision boundary leaves one-step recourse for rejected rows.
    /// </summary>
    /// <param name="catalog">The binary classification catalog trainer object.</param>
    /// <param name="options">The trainer options; exactly one of <see cref="RecourseAwareTrainerOptionsBase.ActionSet"/> and <see cref="RecourseAwareTrainerOptionsBase.ColumnActions"/> is required.</param>
    public static RecourseAwareLogisticRegressionTrainer RecourseAwareLogisticRegression(
        this RecourseTrainers catalog, RecourseAwareLogisticRegressionTrainer.Options options)
    {
        Contracts.CheckValue(catalog, nameof(catalog));
        Contracts.CheckValue(options, nameof(options));
        return new RecourseAwareLogisticRegressionTrainer(catalog.Environment, options);
    }

    /// <summary>
    /// Create <see cref="RecourseAwareMultilayerPerceptronTrainer"/>, which trains a multilayer perceptron with dropout
    /// (by default the reference network, 2 × 100 ReLU) that leaves one-step recourse within
    /// <paramref name="actionSet"/> for rejected rows.
    /// </summary>
    /// <param name="catalog">The binary classification catalog trainer object.</param>
    /// <param name="actionSet">The actions Δ the perturbation δ* is chosen from; its feature count must equal the feature column's length.</param>
    /// <param name="recourseWeight">λ, the weight of the recourse term. Range: value ≥ 0.</param>
    /// <param name="perturbationDirection">Which corner of Δ(x) δ* takes (the paper's objective by default).</param>
    /// <param name="labelColumnName">The name of the label column. The column data must be <see cref="bool"/>.</param>
    /// <param name="featureColumnName">The name of the feature column. The column data must be a known-sized vector of <see cref="float"/>.</param>
    /// <param name="hiddenLayerSizes">The units of each hidden layer, or <see langword="null"/> for two layers of 100. Range: each value ≥ 1.</param>
    /// <param name="numberOfEpochs">The number of passes over the training rows. Range: value ≥ 1.</param>
    /// <param name="batchSize">The number of rows per Adam step. Range: value ≥ 1.</param>
    /// <param name="learningRate">Adam's learning rate. Range: value &gt; 0.</param>
    public static RecourseAwareMultilayerPerceptronTrainer RecourseAwareMultilayerPerceptron(
        this RecourseTrainers catalog,
        ActionSet actionSet,
        double recourseWeight = RecourseAwareTrainerOptionsBase.RecourseDefaults.RecourseWeight,
        PerturbationDirection perturbationDirection = RecourseAwareTrainerOptionsBase.RecourseDefaults.PerturbationDirection,
        string labelColumnName = DefaultColumnNames.Label,
        string featureColumnName = DefaultColumnNames.Features,
        IReadOnlyList<int>? hiddenLayerSizes = null,
        int numberOfEpochs = ScorerTrainerOptionsBase.Defaults.NumberOfEpochs,
        int batchSize = ScorerTrainerOptionsBase.Defaults.BatchSize,
        double learningRate = ScorerTrainerOptionsBase.Defaults.LearningRate)
    {
        Contracts.CheckValue(catalog, nameof(catalog));
        Contracts.CheckValue(actionSet, nameof(actionSet));
        var defaults = new RecourseAwareMultilayerPerceptronTrainer.Options();
        return new RecourseAwareMultilayerPerceptronTrainer(catalog.Environment, new RecourseAwareMultilayerPerceptronTrainer.Options
        {
            ActionSet = actionSet,
            RecourseWeight = recourseWeight,
            PerturbationDirection = perturbationDirection,
            LabelColumnName = labelColumnName,
            FeatureColumnName = featureColumnName,
            HiddenLayerSizes = hiddenLayerSizes ?? defaults.HiddenLayerSizes,
            NumberOfEpochs = numberOfEpochs,
            BatchSize = batchSize,
            LearningRate = learningRate,
        });
    }

    /// <summary>
    /// Create <see cref="RecourseAwareMultilayerPerceptronTrainer"/> with actions named by column, which trains a
    /// multilayer perceptron (by default the reference network, 2 × 100 ReLU) that leaves one-step recourse for
    /// rejected rows; the actions bind to the feature column's slots (named after the columns Concatenate put there)
    /// when the trainer is fitted.
    /// </summary>
    /// <param name="catalog">The binary classification catalog trainer object.</param>
    /// <param name="columnActions">What a person may do with each column; every mutable column needs a maximum change (in standard deviations of the features).</param>
    /// <param name="recourseWeight">λ, the weight of the recourse term. Range: value ≥ 0.</param>
    /// <param name="labelColumnName">The name of the label column. The column data must be <see cref="bool"/>.</param>
    /// <param name="featureColumnName">The name of the feature column. The column data must be a known-sized vector of <see cref="float"/>.</param>
    /// <param name="numberOfEpochs">The number of passes over the training rows. Range: value ≥ 1.</param>
    public static RecourseAwareMultilayerPerceptronTrainer RecourseAwareMultilayerPerceptron(
        this RecourseTrainers catalog,
        ColumnActionSet columnActions,
        double recourseWeight = RecourseAwareTrainerOptionsBase.RecourseDefaults.RecourseWeight,
        string labelColumnName = DefaultColumnNames.Label,
        string featureColumnName = DefaultColumnNames.Features,
        int numberOfEpochs = ScorerTrainerOptionsBase.Defaults.NumberOfEpochs)
    {
        Contracts.CheckValue(catalog, nameof(catalog));
        Contracts.CheckValue(columnActions, nameof(columnActions));
        return new RecourseAwareMultilayerPerceptronTrainer(catalog.Environment, new RecourseAwareMultilayerPerceptronTrainer.Options
        {
            ColumnActions = columnActions,
            RecourseWeight = recourseWeight,
            LabelColumnName = labelColumnName,
            FeatureColumnName = featureColumnName,
            NumberOfEpochs = numberOfEpochs,
        });
    }

    /// <summary>
    /// Create <see cref="RecourseAwareMultilayerPerceptronTrainer"/> with advanced options, which trains a multilayer
    /// perceptron with dropout that leaves one-step recourse for rejected rows.
    /// </summary>
    /// <param name="catalog">The binary classification catalog trainer object.</param>
    /// <param name="options">The trainer options; exactly one of <see cref="RecourseAwareTrainerOptionsBase.ActionSet"/> and <see cref="RecourseAwareTrainerOptionsBase.ColumnActions"/> is required.</param>
    public static RecourseAwareMultilayerPerceptronTrainer RecourseAwareMultilayerPerceptron(
        this RecourseTrainers catalog, RecourseAwareMultilayerPerceptronTrainer.Options options)
    {
        Contracts.CheckValue(catalog, nameof(catalog));
        Contracts.CheckValue(options, nameof(options));
        return new RecourseAwareMultilayerPerceptronTrainer(catalog.Environment, options);
    }
}
