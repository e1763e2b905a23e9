using Microsoft.ML.Recourse.Actions;

namespace Microsoft.ML.Recourse.Trainers;

/// <summary>
/// The options shared by the recourse-aware trainers (<see cref="RecourseAwareLogisticRegressionTrainer"/>,
/// <see cref="RecourseAwareMultilayerPerceptronTrainer"/>): the recourse weight λ, the action set Δ and the direction
/// of the one-step perturbation δ*, on top of the options of every gradient-trained scorer.
/// </summary>
public abstract class RecourseAwareTrainerOptionsBase : ScorerTrainerOptionsBase
{
    private protected RecourseAwareTrainerOptionsBase() { }

    /// <summary>
    /// Gets λ, the weight of the recourse term λ·BCE(g(x + δ*), 1) added to every row's loss (0 trains the plain
    /// model). The paper's main setting is 0.8. Range: value ≥ 0.
    /// </summary>
    public double RecourseWeight { get; init; } = RecourseDefaults.RecourseWeight;

    /// <summary>
    /// Gets the actions Δ the perturbation δ* is chosen from; its feature count must equal the length of the feature
    /// column. The reference setup is <see cref="ActionSet.FromFeatures"/> with δ_max = 0.75. Give this or
    /// <see cref="ColumnActions"/>.
    /// </summary>
    public ActionSet? ActionSet { get; init; }

    /// <summary>
    /// Gets the actions by column name, bound when the trainer is fitted to the feature column's slots (named after the
    /// columns Concatenate put there), in standard deviations of the features trained on: the perturbation uses each
    /// column's direction and maximum change (bounds and whole-number steps are in the columns' raw units and apply
    /// when recourse is computed). Give this or <see cref="ActionSet"/>.
    /// </summary>
    public ColumnActionSet? ColumnActions { get; init; }

    /// <summary>
    /// Gets which corner of Δ(x) the perturbation δ* takes: <see cref="PerturbationDirection.Recourse"/> (the default,
    /// the paper's objective) or <see cref="PerturbationDirection.ReferenceCode"/> (the published code's sign).
    /// </summary>
    public PerturbationDirection PerturbationDirection { get; init; } = RecourseDefaults.PerturbationDirection;

    internal static class RecourseDefaults
    {
        public const double RecourseWeight = 0.8;
        public const Actions.PerturbationDirection PerturbationDirection = Actions.PerturbationDirection.Recourse;
    }

    private protected override void Check()
    {
        base.Check();
        Contracts.CheckParam((ActionSet is null) != (ColumnActions is null), nameof(ActionSet),
            "Give the recourse-aware trainer exactly one of ActionSet (over the feature vector) and ColumnActions (by column name).");
        Contracts.CheckParam(double.IsFinite(RecourseWeight) && RecourseWeight >= 0, nameof(RecourseWeight),
            FormattableString.Invariant($"The recourse weight λ must be finite and ≥ 0; got {RecourseWeight}."));
        Contracts.CheckParam(Enum.IsDefined(PerturbationDirection), nameof(PerturbationDirection), $"Unknown perturbation direction {PerturbationDirection}.");
    }
}
