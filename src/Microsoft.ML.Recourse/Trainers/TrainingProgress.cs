namespace Microsoft.ML.Recourse.Trainers;

/// <summary>The state of a gradient-trained scorer after one epoch, reported through <see cref="ScorerTrainerOptionsBase.Progress"/>.</summary>
/// <param name="Epoch">The epoch just finished, from 1.</param>
/// <param name="NumberOfEpochs">The number of epochs of the run.</param>
/// <param name="TrainingLoss">
/// The weighted binary cross-entropy per training row, averaged over the epoch's steps as they ran (dropout on);
/// the L2 penalty is not included.
/// </param>
/// <param name="ValidationLoss">
/// The weighted binary cross-entropy per validation row after the epoch (dropout off), or <see langword="null"/>
/// when the run has no validation data.
/// </param>
/// <param name="IsBest">Whether this epoch has the lowest validation loss so far (always <see langword="true"/> without validation data).</param>
public sealed record TrainingProgress(int Epoch, int NumberOfEpochs, double TrainingLoss, double? ValidationLoss, bool IsBest);

/// <summary>How training rows of the two classes are weighted in the loss.</summary>
public enum ClassWeighting
{
    /// <summary>Every row has weight 1.</summary>
    None,

    /// <summary>
    /// Rows of the minority class have weight #majority / #minority (counted on the training rows) and the others
    /// weight 1, as in Ross, Lakkaraju &amp; Bastani (2021).
    /// </summary>
    Balanced,
}
