using Microsoft.ML.Recourse.Data;
using Microsoft.ML.Recourse.Trainers;

namespace Microsoft.ML.Recourse;

/// <summary>
/// Creates the library's standard binary classifiers from
/// <see cref="RecourseContext.BinaryClassification"/>.<see cref="BinaryClassificationCatalog.Trainers"/>.
/// </summary>
public static class StandardTrainersCatalog
{
    /// <summary>
    /// Create <see cref="LogisticRegressionTrainer"/>, which predicts a target using a linear binary classification
    /// model g(x) = σ(wᵀx + b) trained by mini-batch Adam.
    /// </summary>
    /// <param name="catalog">The binary classification catalog trainer object.</param>
    /// <param name="labelColumnName">The name of the label column. The column data must be <see cref="bool"/>.</param>
    /// <param name="featureColumnName">The name of the feature column. The column data must be a known-sized vector of <see cref="float"/>.</param>
    /// <param name="numberOfEpochs">The number of passes over the training rows. Range: value ≥ 1.</param>
    /// <param name="batchSize">The number of rows per Adam step. Range: value ≥ 1.</param>
    /// <param name="learningRate">Adam's learning rate. Range: value &gt; 0.</param>
    public static LogisticRegressionTrainer LogisticRegression(
        this BinaryClassificationCatalog.BinaryClassificationTrainers catalog,
        string labelColumnName = DefaultColumnNames.Label,
        string featureColumnName = DefaultColumnNames.Features,
        int numberOfEpochs = ScorerTrainerOptionsBase.Defaults.NumberOfEpochs,
        int batchSize = ScorerTrainerOptionsBase.Defaults.BatchSize,
        double learningRate = ScorerTrainerOptionsBase.Defaults.LearningRate)
    {
        Contracts.CheckValue(catalog, nameof(catalog));
        return new LogisticRegressionTrainer(catalog.Context, new LogisticRegressionTrainer.Options
        {
            LabelColumnName = labelColumnName,
            FeatureColumnName = featureColumnName,
            NumberOfEpochs = numberOfEpochs,
            BatchSize = batchSize,
            LearningRate = learningRate,
        });
    }

    /// <summary>
    /// Create <see cref="LogisticRegressionTrainer"/> with advanced options, which predicts a target using a linear
    /// binary classification model g(x) = σ(wᵀx + b) trained by mini-batch Adam.
    /// </summary>
    /// <param name="catalog">The binary classification catalog trainer object.</param>
    /// <param name="options">The trainer options.</param>
    public static LogisticRegressionTrainer LogisticRegression(
        this BinaryClassificationCatalog.BinaryClassificationTrainers catalog, LogisticRegressionTrainer.Options options)
    {
        Contracts.CheckValue(catalog, nameof(catalog));
        Contracts.CheckValue(options, nameof(options));
        return new LogisticRegressionTrainer(catalog.Context, options);
    }

    /// <summary>
    /// Create <see cref="MultilayerPerceptronTrainer"/>, which predicts a target using a multilayer perceptron with
    /// dropout trained by mini-batch Adam (by default the network of Ross, Lakkaraju &amp; Bastani 2021).
    /// </summary>
    /// <param name="catalog">The binary classification catalog trainer object.</param>
    /// <param name="labelColumnName">The name of the label column. The column data must be <see cref="bool"/>.</param>
    /// <param name="featureColumnName">The name of the feature column. The column data must be a known-sized vector of <see cref="float"/>.</param>
    /// <param name="hiddenLayerSizes">The units of each hidden layer, or <see langword="null"/> for two layers of 100. Range: each value ≥ 1.</param>
    /// <param name="numberOfEpochs">The number of passes over the training rows. Range: value ≥ 1.</param>
    /// <param name="batchSize">The number of rows per Adam step. Range: value ≥ 1.</param>
    /// <param name="learningRate">Adam's learning rate. Range: value &gt; 0.</param>
    public static MultilayerPerceptronTrainer MultilayerPerceptron(
        this BinaryClassificationCatalog.BinaryClassificationTrainers catalog,
        string labelColumnName = DefaultColumnNames.Label,
        string featureColumnName = DefaultColumnNames.Features,
        IReadOnlyList<int>? hiddenLayerSizes = null,
        int numberOfEpochs = ScorerTrainerOptionsBase.Defaults.NumberOfEpochs,
        int batchSize = ScorerTrainerOptionsBase.Defaults.BatchSize,
        double learningRate = ScorerTrainerOptionsBase.Defaults.LearningRate)
    {
        Contracts.CheckValue(catalog, nameof(catalog));
        var defaults = new MultilayerPerceptronTrainer.Options();
        return new MultilayerPerceptronTrainer(catalog.Context, new MultilayerPerceptronTrainer.Options
        {
            LabelColumnName = labelColumnName,
            FeatureColumnName = featureColumnName,
            HiddenLayerSizes = hiddenLayerSizes ?? defaults.HiddenLayerSizes,
            NumberOfEpochs = numberOfEpochs,
            BatchSize = batchSize,
            LearningRate = learningRate,
        });
    }

    /// <summary>
    /// Create <see cref="MultilayerPerceptronTrainer"/> with advanced options, which predicts a target using a
    /// multilayer perceptron with dropout trained by mini-batch Adam.
    /// </summary>
    /// <param name="catalog">The binary classification catalog trainer object.</param>
    /// <param name="options">The trainer options.</param>
    public static MultilayerPerceptronTrainer MultilayerPerceptron(
        this BinaryClassificationCatalog.BinaryClassificationTrainers catalog, MultilayerPerceptronTrainer.Options options)
    {
        Contracts.CheckValue(catalog, nameof(catalog));
        Contracts.CheckValue(options, nameof(options));
        return new MultilayerPerceptronTrainer(catalog.Context, options);
    }
}
