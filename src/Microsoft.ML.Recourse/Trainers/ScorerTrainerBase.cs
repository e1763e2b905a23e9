using Microsoft.ML.Data;
using Microsoft.ML.Recourse.Models;

namespace Microsoft.ML.Recourse.Trainers;

/// <summary>
/// The estimator shared by the library's gradient-trained scorers: it checks the columns, reads the rows, weights
/// the classes, holds out validation rows, runs mini-batch Adam and wraps the selected model in a
/// <see cref="RecourseAwarePredictionTransformer{TModel}"/>.
/// </summary>
/// <typeparam name="TModel">The type of the fitted model parameters.</typeparam>
public abstract class ScorerTrainerBase<TModel> : IEstimator<RecourseAwarePredictionTransformer<TModel>>
    where TModel : ScorerModelParameters
{
    private readonly RecourseEnvironment _environment;
    private readonly ScorerTrainerOptionsBase _options;
    private readonly int _seed;

    private protected ScorerTrainerBase(RecourseEnvironment environment, ScorerTrainerOptionsBase options)
    {
        _environment = Contracts.CheckValue(environment, nameof(environment));
        _options = Contracts.CheckValue(options, nameof(options));
        options.Validate();
        _seed = options.Seed ?? environment.NextSeed();
    }

    /// <summary>Gets the name of the label column (<see cref="bool"/>).</summary>
    public string LabelColumnName => _options.LabelColumnName;

    /// <summary>Gets the name of the feature column (known-sized vector of <see cref="float"/>).</summary>
    public string FeatureColumnName => _options.FeatureColumnName;

    private protected abstract double DropoutRate { get; }

    /// <summary>The feature count the trainer requires (for example its action set's), or 0 for any.</summary>
    private protected virtual int RequiredFeatureCount => 0;

    /// <inheritdoc/>
    public SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        Contracts.CheckValue(inputSchema, nameof(inputSchema));
        ColumnChecks.CheckFeatureShape(inputSchema, FeatureColumnName);
        ColumnChecks.CheckScalarShape(inputSchema, "label", LabelColumnName, BooleanDataViewType.Instance);
        return SchemaShapes.With(inputSchema,
            (DefaultColumnNames.Score, NumberDataViewType.Single),
            (DefaultColumnNames.Probability, NumberDataViewType.Single),
            (DefaultColumnNames.PredictedLabel, BooleanDataViewType.Instance));
    }

    /// <summary>Trains on <paramref name="input"/>, holding out <see cref="ScorerTrainerOptionsBase.ValidationFraction"/> of it for model selection.</summary>
    /// <param name="input">The training data.</param>
    public RecourseAwarePredictionTransformer<TModel> Fit(IDataView input)
    {
        Contracts.CheckValue(input, nameof(input));
        return FitCore(input, null, nameof(input));
    }

    /// <summary>
    /// Trains on <paramref name="trainData"/> and keeps the epoch with the lowest loss on
    /// <paramref name="validationData"/> (as ML.NET's <c>Fit(trainData, validationData)</c>).
    /// </summary>
    /// <param name="trainData">The training data.</param>
    /// <param name="validationData">The validation data, with the same feature and label columns.</param>
    public RecourseAwarePredictionTransformer<TModel> Fit(IDataView trainData, IDataView validationData)
    {
        Contracts.CheckValue(trainData, nameof(trainData));
        Contracts.CheckValue(validationData, nameof(validationData));
        Contracts.CheckParam(_options.ValidationFraction == 0, nameof(validationData),
            "Pass either validation data or a ValidationFraction greater than 0, not both.");
        return FitCore(trainData, validationData, nameof(trainData));
    }

    private protected abstract FeedForwardNetwork CreateNetwork(int featureCount);

    private protected abstract TModel CreateModel(FeedForwardNetwork network, double[] parameters);

    /// <summary>An extra term of every step's loss (and of the validation loss), or <see langword="null"/> for none.</summary>
    /// <param name="log">The trainer's log.</param>
    /// <param name="featureColumn">The feature column being trained on (its slot names name the features).</param>
    /// <param name="features">The training rows, row-major.</param>
    private protected virtual IBatchLossTerm? CreateLossTerm(Action<string> log, DataViewSchema.Column featureColumn, double[] features) => null;

    /// <summary>Chooses the decision threshold of the fitted model; the validation rows may be empty.</summary>
    private protected virtual double SelectThreshold(TModel model, double[] validationFeatures, bool[] validationLabels, Action<string> log)
        => PredictionColumns.DefaultThreshold;

    private RecourseAwarePredictionTransformer<TModel> FitCore(IDataView trainData, IDataView? validationData, string paramName)
    {
        var featureColumn = ColumnChecks.CheckFeatureColumn(trainData.Schema, FeatureColumnName, RequiredFeatureCount, paramName);
        var labelColumn = ColumnChecks.CheckScalarColumn(trainData.Schema, "label", LabelColumnName, BooleanDataViewType.Instance, paramName);
        int d = ((VectorDataViewType)featureColumn.Type).Size;
        DataViewSchema.Column validationFeatures = default, validationLabels = default;
        if (validationData is not null)
        {
            validationFeatures = ColumnChecks.CheckFeatureColumn(validationData.Schema, FeatureColumnName, d, nameof(validationData));
            validationLabels = ColumnChecks.CheckScalarColumn(validationData.Schema, "label", LabelColumnName, BooleanDataViewType.Instance, nameof(validationData));
        }

        var features = ColumnChecks.ReadFeatures(trainData, featureColumn, paramName);
        var labels = ColumnChecks.ReadLabels(trainData, labelColumn);
        ColumnChecks.CheckTrainingLabels(labels, LabelColumnName);
        double[] validationX;
        bool[] validationY;
        if (validationData is not null)
        {
            validationX = ColumnChecks.ReadFeatures(validationData, validationFeatures, nameof(validationData));
            validationY = ColumnChecks.ReadLabels(validationData, validationLabels);
            Contracts.Check(validationY.Length > 0, "The validation data is empty: there are no rows to select a model on.");
        }
        else if (_options.ValidationFraction > 0)
        {
            (features, labels, validationX, validationY) = HoldOut(features, labels, d);
            ColumnChecks.CheckTrainingLabels(labels, LabelColumnName);
        }
        else
        {
            (validationX, validationY) = ([], []);
        }

        var (positiveWeight, negativeWeight) = ClassWeights(labels);
        var training = ToTrainingData(features, labels, d, positiveWeight, negativeWeight);
        var validation = validationY.Length > 0 ? ToTrainingData(validationX, validationY, d, positiveWeight, negativeWeight) : null;
        var network = CreateNetwork(d);
        string source = GetType().Name;
        _environment.Log(source, FormattableString.Invariant(
            $"training on {training.RowCount} rows ({validation?.RowCount ?? 0} validation), {d} features, {network.ParameterCount} parameters, class weights true:{positiveWeight:G4} false:{negativeWeight:G4}"));
        var settings = new ScorerTrainingSettings(_options.NumberOfEpochs, _options.BatchSize, _options.LearningRate, DropoutRate,
            _options.L2Regularization, _options.ShuffleEachEpoch, _seed);
        Action<string> log = message => _environment.Log(source, message);
        var result = new ScorerTrainingEngine(network, settings).Train(training, validation, CreateLossTerm(log, featureColumn, features), _options.Progress, log);
        var model = CreateModel(network, result.Parameters);
        return new RecourseAwarePredictionTransformer<TModel>(model, FeatureColumnName, SelectThreshold(model, validationX, validationY, log));
    }

    private (double[] Features, bool[] Labels, double[] ValidationFeatures, bool[] ValidationLabels) HoldOut(double[] features, bool[] labels, int d)
    {
        int n = labels.Length;
        int held = (int)Math.Round(_options.ValidationFraction * n);
        Contracts.Check(held >= 1 && held < n, FormattableString.Invariant(
            $"A validation fraction of {_options.ValidationFraction} of {n} rows leaves {held} validation and {n - held} training rows; both need at least one."));
        var order = Enumerable.Range(0, n).ToArray();
        new RandomSource(_seed, stream: 3).Shuffle(order);
        var validationRows = order[..held];
        var trainingRows = order[held..];
        Array.Sort(validationRows);
        Array.Sort(trainingRows);
        return (Rows(features, d, trainingRows), trainingRows.Select(r => labels[r]).ToArray(),
            Rows(features, d, validationRows), validationRows.Select(r => labels[r]).ToArray());
    }

    private static double[] Rows(double[] features, int d, int[] rows)
    {
        var result = new double[rows.Length * d];
        for (int i = 0; i < rows.Length; i++) features.AsSpan(rows[i] * d, d).CopyTo(result.AsSpan(i * d, d));
        return result;
    }

    private (double Positive, double Negative) ClassWeights(bool[] labels)
    {
        if (_options.ClassWeighting == ClassWeighting.None) return (1, 1);
        int positives = labels.Count(l => l), negatives = labels.Length - positives;
        return positives < negatives ? ((double)negatives / positives, 1) : (1, (double)positives / negatives);
    }

    private static ScorerTrainingData ToTrainingData(double[] features, bool[] labels, int d, double positiveWeight, double negativeWeight)
        => new(features, labels.Select(l => l ? 1.0 : 0.0).ToArray(), labels.Select(l => l ? positiveWeight : negativeWeight).ToArray(), d);
}
