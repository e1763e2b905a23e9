using Microsoft.ML.Data;

namespace Microsoft.ML.Recourse.Trainers;

/// <summary>
/// The options shared by the library's gradient-trained scorers (the recourse-aware logistic regression and MLP, and
/// the plain ones the papers' protocols use): columns, mini-batch Adam, class weighting, L2, validation and seed.
/// </summary>
public abstract class ScorerTrainerOptionsBase
{
    private protected ScorerTrainerOptionsBase() { }

    /// <summary>
    /// Gets the name of the label column. The column data must be <see cref="bool"/>, <see langword="true"/> for the
    /// favourable outcome.
    /// </summary>
    public string LabelColumnName { get; init; } = DefaultColumnNames.Label;

    /// <summary>Gets the name of the feature column. The column data must be a known-sized vector of <see cref="float"/>.</summary>
    public string FeatureColumnName { get; init; } = DefaultColumnNames.Features;

    /// <summary>Gets the number of passes over the training rows. Range: value ≥ 1.</summary>
    public int NumberOfEpochs { get; init; } = Defaults.NumberOfEpochs;

    /// <summary>Gets the number of rows per Adam step. Range: value ≥ 1.</summary>
    public int BatchSize { get; init; } = Defaults.BatchSize;

    /// <summary>Gets Adam's learning rate (β₁ = 0.9, β₂ = 0.999, ε = 1e-8 as in PyTorch). Range: value &gt; 0.</summary>
    public double LearningRate { get; init; } = Defaults.LearningRate;

    /// <summary>Gets how the two classes are weighted in the loss.</summary>
    public ClassWeighting ClassWeighting { get; init; } = Defaults.ClassWeighting;

    /// <summary>Gets the strength of the penalty (value / 2)·Σw² on the weights (not the biases). Range: value ≥ 0.</summary>
    public double L2Regularization { get; init; } = Defaults.L2Regularization;

    /// <summary>
    /// Gets whether rows are reshuffled before every epoch. The default, <see langword="false"/>, walks the rows in
    /// their given order every epoch, as the reference implementation does.
    /// </summary>
    public bool ShuffleEachEpoch { get; init; } = Defaults.ShuffleEachEpoch;

    /// <summary>
    /// Gets the share of the training rows held out (at random, with <see cref="Seed"/>) to select the epoch with the
    /// lowest validation loss; 0 keeps every row for training and the model of the last epoch. Must be 0 when
    /// validation data is passed to <c>Fit</c>. Range: 0 ≤ value &lt; 1.
    /// </summary>
    public double ValidationFraction { get; init; } = Defaults.ValidationFraction;

    /// <summary>
    /// Gets the seed of initialisation, dropout, shuffling and the validation split, or <see langword="null"/> to draw
    /// one from the <see cref="MLContext"/> when the trainer is created.
    /// </summary>
    public int? Seed { get; init; }

    /// <summary>Gets a receiver of one <see cref="TrainingProgress"/> per epoch, called synchronously on the training thread.</summary>
    public IProgress<TrainingProgress>? Progress { get; init; }

    internal static class Defaults
    {
        public const int NumberOfEpochs = 15;
        public const int BatchSize = 10;
        public const double LearningRate = 0.002;
        public const ClassWeighting ClassWeighting = Trainers.ClassWeighting.Balanced;
        public const double L2Regularization = 0;
        public const bool ShuffleEachEpoch = false;
        public const double ValidationFraction = 0;
    }

    private protected virtual void Check()
    {
        Contracts.CheckValue(LabelColumnName, nameof(LabelColumnName));
        Contracts.CheckValue(FeatureColumnName, nameof(FeatureColumnName));
        Contracts.CheckPositive(NumberOfEpochs, nameof(NumberOfEpochs));
        Contracts.CheckPositive(BatchSize, nameof(BatchSize));
        Contracts.CheckPositive(LearningRate, nameof(LearningRate));
        Contracts.CheckParam(Enum.IsDefined(ClassWeighting), nameof(ClassWeighting), $"Unknown class weighting {ClassWeighting}.");
        Contracts.CheckNonNegative(L2Regularization, nameof(L2Regularization));
        Contracts.CheckParam(ValidationFraction >= 0 && ValidationFraction < 1, nameof(ValidationFraction),
            FormattableString.Invariant($"Must lie in [0, 1); got {ValidationFraction}."));
    }

    internal void Validate() => Check();
}
