using Microsoft.ML.Recourse.Models;

namespace Microsoft.ML.Recourse.Trainers;

/// <summary>The hyperparameters of one <see cref="ScorerTrainingEngine"/> run.</summary>
internal sealed record ScorerTrainingSettings(
    int NumberOfEpochs,
    int BatchSize,
    double LearningRate,
    double DropoutRate,
    double L2Regularization,
    bool ShuffleEachEpoch,
    int Seed);

/// <summary>Rows to train or validate on: row-major features, a target in [0, 1] and a weight per row.</summary>
internal sealed class ScorerTrainingData
{
    public ScorerTrainingData(double[] features, double[] targets, double[] weights, int featureCount)
    {
        Contracts.CheckParam(features.Length == targets.Length * featureCount, nameof(features),
            FormattableString.Invariant($"Expected {targets.Length} × {featureCount} feature values; got {features.Length}."));
        Contracts.CheckParam(weights.Length == targets.Length, nameof(weights), "Expected one weight per row.");
        (Features, Targets, Weights, FeatureCount) = (features, targets, weights, featureCount);
    }

    public double[] Features { get; }

    public double[] Targets { get; }

    public double[] Weights { get; }

    public int FeatureCount { get; }

    public int RowCount => Targets.Length;
}

/// <summary>The outcome of a run: the selected parameters and the per-epoch history.</summary>
/// <param name="Parameters">The parameters of the selected epoch (lowest validation loss), or of the last epoch without validation data.</param>
/// <param name="SelectedEpoch">The epoch (from 1) whose parameters were kept.</param>
/// <param name="History">One entry per epoch.</param>
internal sealed record ScorerTrainingResult(double[] Parameters, int SelectedEpoch, IReadOnlyList<TrainingProgress> History);

/// <summary>
/// An extra loss term that joins each batch's backward pass. Before every optimisation step (and for every chunk of
/// validation rows) the engine calls <see cref="AddRows"/>; each row added there contributes
/// weight·BCE(g(x), target) to the same loss as the batch rows, over the same denominator (the batch's row count).
/// Ross et al.'s recourse term λ·BCE(g(x + δ*), 1) is such a term: compute δ* with
/// <see cref="ScorerBatch.ScoreAndInputGradient"/> and add x + δ* with target 1 and weight λ.
/// </summary>
internal interface IBatchLossTerm
{
    void AddRows(ScorerBatch batch, ExtraRows extraRows);
}

/// <summary>The rows of one optimisation step or validation chunk, as seen by an <see cref="IBatchLossTerm"/>.</summary>
internal sealed class ScorerBatch
{
    private readonly FeedForwardNetwork _network;
    private readonly NetworkWorkspace _workspace = new();
    private double[] _features = [], _targets = [], _weights = [], _parameters = [];
    private int[] _rowIndices = [];
    private DropoutSampler? _dropout;

    internal ScorerBatch(FeedForwardNetwork network) => _network = network;

    /// <summary>Gets whether this is a training step (dropout on) rather than a validation chunk (dropout off).</summary>
    public bool IsTraining { get; private set; }

    /// <summary>Gets the current epoch, from 1.</summary>
    public int Epoch { get; private set; }

    public int RowCount { get; private set; }

    public int FeatureCount => _network.FeatureCount;

    /// <summary>RowCount × d feature values of the batch, row-major.</summary>
    public ReadOnlySpan<double> Features => _features.AsSpan(0, RowCount * FeatureCount);

    public ReadOnlySpan<double> Targets => _targets.AsSpan(0, RowCount);

    public ReadOnlySpan<double> Weights => _weights.AsSpan(0, RowCount);

    /// <summary>The indices of the batch rows in the training (or validation) data.</summary>
    public ReadOnlySpan<int> RowIndices => _rowIndices.AsSpan(0, RowCount);

    /// <summary>The parameters before this step's update.</summary>
    public ReadOnlySpan<double> Parameters => _parameters;

    public FeedForwardNetwork Network => _network;

    /// <summary>
    /// Computes g and ∇ₓg under the current parameters for any rows (for example the batch rows). In a training step
    /// this is a separate train-mode pass with its own dropout masks, as in the reference implementation; in
    /// validation dropout is off.
    /// </summary>
    public void ScoreAndInputGradient(ReadOnlySpan<double> rows, Span<double> scores, Span<double> inputGradients)
    {
        int d = FeatureCount, count = rows.Length / d;
        Contracts.CheckParam(rows.Length == count * d && scores.Length == count && inputGradients.Length == rows.Length, nameof(rows),
            "Expected rows × d features, one score per row and rows × d gradient values.");
        _network.Forward(_parameters, rows, count, _workspace, IsTraining ? _dropout : null);
        var dLogit = _workspace.RowScratch.AsSpan(0, count);
        for (int r = 0; r < count; r++)
        {
            double g = ScorerModelParameters.Sigmoid(_workspace.Logits[r]);
            scores[r] = g;
            dLogit[r] = g * (1 - g);
        }
        _network.Backward(_parameters, rows, count, _workspace, dLogit, default, inputGradients);
    }

    internal void Set(bool isTraining, int epoch, int rowCount, double[] features, double[] targets, double[] weights, int[] rowIndices,
        double[] parameters, DropoutSampler? dropout)
    {
        (IsTraining, Epoch, RowCount) = (isTraining, epoch, rowCount);
        (_features, _targets, _weights, _rowIndices, _parameters, _dropout) = (features, targets, weights, rowIndices, parameters, dropout);
    }
}

/// <summary>The rows an <see cref="IBatchLossTerm"/> adds to a batch, stored right after the batch rows.</summary>
internal sealed class ExtraRows
{
    private readonly int _featureCount;
    private int _start;

    internal ExtraRows(int featureCount) => _featureCount = featureCount;

    public int Count { get; private set; }

    internal double[] Features { get; private set; } = [];

    internal double[] Targets { get; private set; } = [];

    internal double[] Weights { get; private set; } = [];

    /// <summary>Adds a row whose loss is <paramref name="weight"/>·BCE(g(<paramref name="features"/>), <paramref name="target"/>).</summary>
    public void Add(ReadOnlySpan<double> features, double target, double weight)
    {
        // Called for every extra row of every step: messages are built only on failure.
        if (features.Length != _featureCount)
            throw new ArgumentOutOfRangeException(nameof(features), FormattableString.Invariant($"Expected {_featureCount} feature values; got {features.Length}."));
        if (!(target >= 0 && target <= 1))
            throw new ArgumentOutOfRangeException(nameof(target), FormattableString.Invariant($"Must lie in [0, 1]; got {target}."));
        if (!(double.IsFinite(weight) && weight >= 0))
            throw new ArgumentOutOfRangeException(nameof(weight), FormattableString.Invariant($"Must be finite and ≥ 0; got {weight}."));
        int row = _start + Count;
        EnsureRows(row + 1);
        features.CopyTo(Features.AsSpan(row * _featureCount, _featureCount));
        Targets[row] = target;
        Weights[row] = weight;
        Count++;
    }

    // The buffers hold the batch rows first; the extra rows follow.
    internal void Reset(int batchRows)
    {
        _start = batchRows;
        Count = 0;
        EnsureRows(batchRows);
    }

    internal void EnsureRows(int rows)
    {
        if (rows <= Targets.Length) return;
        int capacity = Math.Max(rows, 2 * Targets.Length);
        var features = new double[capacity * _featureCount];
        Features.CopyTo(features, 0);
        var targets = new double[capacity];
        Targets.CopyTo(targets, 0);
        var weights = new double[capacity];
        Weights.CopyTo(weights, 0);
        (Features, Targets, Weights) = (features, targets, weights);
    }
}

/// <summary>
/// Mini-batch training of a <see cref="FeedForwardNetwork"/> on weighted binary cross-entropy with Adam, inverted
/// dropout, optional L2 on the weights, per-epoch validation and model selection by the lowest validation loss.
/// The loss of a step is Σ wᵢ·BCE(g(xᵢ), tᵢ) over the batch rows and the rows an <see cref="IBatchLossTerm"/> adds,
/// divided by the number of batch rows, plus (L2 / 2)·Σw². Rows are visited in their given order unless
/// <see cref="ScorerTrainingSettings.ShuffleEachEpoch"/> is set; the last batch of an epoch may be smaller.
/// </summary>
internal sealed class ScorerTrainingEngine
{
    private readonly FeedForwardNetwork _network;
    private readonly ScorerTrainingSettings _settings;

    public ScorerTrainingEngine(FeedForwardNetwork network, ScorerTrainingSettings settings)
    {
        Contracts.CheckPositive(settings.NumberOfEpochs, nameof(settings.NumberOfEpochs));
        Contracts.CheckPositive(settings.BatchSize, nameof(settings.BatchSize));
        Contracts.CheckPositive(settings.LearningRate, nameof(settings.LearningRate));
        Contracts.CheckParam(settings.DropoutRate >= 0 && settings.DropoutRate < 1, nameof(settings.DropoutRate), "Must lie in [0, 1).");
        Contracts.CheckNonNegative(settings.L2Regularization, nameof(settings.L2Regularization));
        (_network, _settings) = (network, settings);
    }

    /// <summary>Runs the training.</summary>
    /// <param name="training">The training rows; at least one.</param>
    /// <param name="validation">Rows for model selection, or <see langword="null"/> to keep the last epoch.</param>
    /// <param name="extraLoss">An optional term that adds rows to every batch (see <see cref="IBatchLossTerm"/>).</param>
    /// <param name="progress">Receives one report per epoch, synchronously.</param>
    /// <param name="log">Receives one line per epoch and the selection.</param>
    /// <param name="initialParameters">Start here instead of the seeded PyTorch-style initialisation.</param>
    public ScorerTrainingResult Train(ScorerTrainingData training, ScorerTrainingData? validation = null, IBatchLossTerm? extraLoss = null,
        IProgress<TrainingProgress>? progress = null, Action<string>? log = null, ReadOnlySpan<double> initialParameters = default)
    {
        Contracts.Check(training.RowCount > 0, "The training data is empty: there are no rows to train on.");
        Contracts.CheckParam(training.FeatureCount == _network.FeatureCount, nameof(training),
            FormattableString.Invariant($"The network takes {_network.FeatureCount} features; the training data has {training.FeatureCount}."));
        Contracts.CheckParam(validation is null || validation.FeatureCount == _network.FeatureCount, nameof(validation),
            "The validation data has a different number of features than the network.");
        Contracts.CheckParam(validation is null || validation.RowCount > 0, nameof(validation), "The validation data is empty.");

        var parameters = new double[_network.ParameterCount];
        if (initialParameters.IsEmpty) _network.Initialize(parameters, new RandomSource(_settings.Seed, stream: 0));
        else
        {
            _network.CheckParameterLength(initialParameters.Length);
            initialParameters.CopyTo(parameters);
        }
        var shuffleRandom = new RandomSource(_settings.Seed, stream: 1);
        var dropout = _settings.DropoutRate > 0 ? new DropoutSampler(_settings.DropoutRate, new RandomSource(_settings.Seed, stream: 2)) : null;

        var adam = new AdamOptimizer(_network.ParameterCount, _settings.LearningRate);
        var gradient = new double[_network.ParameterCount];
        var workspace = new NetworkWorkspace();
        var batch = new ScorerBatch(_network);
        var extra = new ExtraRows(_network.FeatureCount);
        var order = Enumerable.Range(0, training.RowCount).ToArray();
        var indices = new int[_settings.BatchSize];
        var history = new List<TrainingProgress>(_settings.NumberOfEpochs);
        double[]? best = null;
        double bestLoss = double.PositiveInfinity;
        int bestEpoch = 0;

        for (int epoch = 1; epoch <= _settings.NumberOfEpochs; epoch++)
        {
            if (_settings.ShuffleEachEpoch) shuffleRandom.Shuffle(order);
            double lossSum = 0;
            for (int start = 0; start < training.RowCount; start += _settings.BatchSize)
            {
                int rows = Math.Min(_settings.BatchSize, training.RowCount - start);
                order.AsSpan(start, rows).CopyTo(indices);
                int total = Gather(training, indices, rows, extra, batch, isTraining: true, epoch, parameters, dropout, extraLoss);
                _network.Forward(parameters, extra.Features, total, workspace, dropout);
                lossSum += LossAndLogitGradients(workspace, extra, total, rows);
                _network.Backward(parameters, extra.Features, total, workspace, workspace.RowScratch, gradient, default);
                if (_settings.L2Regularization > 0) _network.AddL2Gradient(parameters, gradient, _settings.L2Regularization);
                adam.Step(parameters, gradient);
            }
            double trainingLoss = lossSum / training.RowCount;
            // A loss that overflowed (a huge recourse weight or learning rate) never recovers: stop with the reason
            // rather than train on and select no epoch.
            Contracts.Check(double.IsFinite(trainingLoss), FormattableString.Invariant(
                $"Training diverged in epoch {epoch}: the training loss is {trainingLoss}. Lower the recourse weight λ or the learning rate."));
            double? validationLoss = validation is null ? null
                : ValidationLoss(validation, epoch, parameters, workspace, batch, extra, extraLoss);
            bool isBest = validationLoss is not double v || v < bestLoss;
            if (isBest)
            {
                bestLoss = validationLoss ?? bestLoss;
                bestEpoch = epoch;
                if (validation is not null) best = (double[])parameters.Clone();
            }
            var report = new TrainingProgress(epoch, _settings.NumberOfEpochs, trainingLoss, validationLoss, isBest);
            history.Add(report);
            progress?.Report(report);
            log?.Invoke(FormattableString.Invariant(
                $"epoch {epoch}/{_settings.NumberOfEpochs}: training loss {trainingLoss:G6}{(validationLoss is double vl ? $", validation loss {vl:G6}" : "")}{(isBest && validation is not null ? " (best)" : "")}"));
        }
        Contracts.Check(validation is null || bestEpoch > 0, FormattableString.Invariant(
            $"Training diverged: the validation loss is not finite in any of the {_settings.NumberOfEpochs} epochs. Lower the recourse weight λ or the learning rate."));
        if (validation is not null)
            log?.Invoke(FormattableString.Invariant($"selected epoch {bestEpoch} (lowest validation loss {bestLoss:G6})"));
        return new ScorerTrainingResult(best ?? parameters, bestEpoch, history);
    }

    private double ValidationLoss(ScorerTrainingData validation, int epoch, double[] parameters, NetworkWorkspace workspace,
        ScorerBatch batch, ExtraRows extra, IBatchLossTerm? extraLoss)
    {
        var indices = new int[_settings.BatchSize];
        double lossSum = 0;
        for (int start = 0; start < validation.RowCount; start += _settings.BatchSize)
        {
            int rows = Math.Min(_settings.BatchSize, validation.RowCount - start);
            for (int i = 0; i < rows; i++) indices[i] = start + i;
            int total = Gather(validation, indices, rows, extra, batch, isTraining: false, epoch, parameters, dropout: null, extraLoss);
            _network.Forward(parameters, extra.Features, total, workspace, dropout: null);
            lossSum += LossAndLogitGradients(workspace, extra, total, rows);
        }
        return lossSum / validation.RowCount;
    }

    // Copies the batch rows to the front of the step buffers and lets the extra loss term append its rows.
    private static int Gather(ScorerTrainingData data, int[] indices, int rows, ExtraRows extra, ScorerBatch batch, bool isTraining, int epoch,
        double[] parameters, DropoutSampler? dropout, IBatchLossTerm? extraLoss)
    {
        int d = data.FeatureCount;
        extra.Reset(rows);
        for (int i = 0; i < rows; i++)
        {
            int row = indices[i];
            data.Features.AsSpan(row * d, d).CopyTo(extra.Features.AsSpan(i * d, d));
            extra.Targets[i] = data.Targets[row];
            extra.Weights[i] = data.Weights[row];
        }
        if (extraLoss is null) return rows;
        batch.Set(isTraining, epoch, rows, extra.Features, extra.Targets, extra.Weights, indices, parameters, dropout);
        extraLoss.AddRows(batch, extra);
        return rows + extra.Count;
    }

    // Σ w·BCE over all rows of the step, and ∂(step loss)/∂logit = w(g − t)/batchRows into RowScratch.
    private static double LossAndLogitGradients(NetworkWorkspace workspace, ExtraRows rowsData, int total, int batchRows)
    {
        double sum = 0, scale = 1.0 / batchRows;
        var logits = workspace.Logits;
        var dLogit = workspace.RowScratch;
        for (int i = 0; i < total; i++)
        {
            double z = logits[i], t = rowsData.Targets[i], w = rowsData.Weights[i];
            // BCE(σ(z), t) = max(z, 0) − z·t + log(1 + e^−|z|), stable for any z
            sum += w * (Math.Max(z, 0) - z * t + Math.Log(1 + Math.Exp(-Math.Abs(z))));
            dLogit[i] = w * (ScorerModelParameters.Sigmoid(z) - t) * scale;
        }
        return sum;
    }
}
