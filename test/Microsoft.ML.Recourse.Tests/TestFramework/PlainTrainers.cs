using Microsoft.ML.Recourse.Trainers;

namespace Microsoft.ML.Recourse.Tests.TestFramework;

/// <summary>
/// Reaches the library's internal plain trainers (the base models of the model-update simulation and the
/// in-distribution check) in the catalog style the tests use.
/// </summary>
internal static class PlainTrainers
{
    public static LogisticRegressionTrainer LogisticRegression(this RecourseTrainers catalog,
        string labelColumnName = DefaultColumnNames.Label, string featureColumnName = DefaultColumnNames.Features,
        int numberOfEpochs = ScorerTrainerOptionsBase.Defaults.NumberOfEpochs, int batchSize = ScorerTrainerOptionsBase.Defaults.BatchSize,
        double learningRate = ScorerTrainerOptionsBase.Defaults.LearningRate)
        => LogisticRegression(catalog, new LogisticRegressionTrainer.Options
        {
            LabelColumnName = labelColumnName,
            FeatureColumnName = featureColumnName,
            NumberOfEpochs = numberOfEpochs,
            BatchSize = batchSize,
            LearningRate = learningRate,
        });

    public static LogisticRegressionTrainer LogisticRegression(this RecourseTrainers catalog, LogisticRegressionTrainer.Options options)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(options);
        return new LogisticRegressionTrainer(catalog.Environment, options);
    }

    public static MultilayerPerceptronTrainer MultilayerPerceptron(this RecourseTrainers catalog,
        string labelColumnName = DefaultColumnNames.Label, string featureColumnName = DefaultColumnNames.Features,
        IReadOnlyList<int>? hiddenLayerSizes = null, int numberOfEpochs = ScorerTrainerOptionsBase.Defaults.NumberOfEpochs,
        int batchSize = ScorerTrainerOptionsBase.Defaults.BatchSize, double learningRate = ScorerTrainerOptionsBase.Defaults.LearningRate)
        => MultilayerPerceptron(catalog, new MultilayerPerceptronTrainer.Options
        {
            LabelColumnName = labelColumnName,
            FeatureColumnName = featureColumnName,
            HiddenLayerSizes = hiddenLayerSizes ?? new MultilayerPerceptronTrainer.Options().HiddenLayerSizes,
            NumberOfEpochs = numberOfEpochs,
            BatchSize = batchSize,
            LearningRate = learningRate,
        });

    public static MultilayerPerceptronTrainer MultilayerPerceptron(this RecourseTrainers catalog, MultilayerPerceptronTrainer.Options options)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(options);
        return new MultilayerPerceptronTrainer(catalog.Environment, options);
    }
}
