using Microsoft.ML.Recourse.Models;
using Microsoft.ML.Recourse.Actions;

using Microsoft.ML.Data;

namespace Microsoft.ML.Recourse.Trainers;

/// <summary>
/// The <see cref="IEstimator{TTransformer}"/> that trains a multilayer perceptron to leave recourse for rejected
/// rows: each row's loss gets the term λ·BCE(g(x + δ*), 1), with δ* the one-step action of the row's action set
/// (Ross, Lakkaraju &amp; Bastani, "Learning Models for Actionable Recourse", NeurIPS 2021).
/// </summary>
/// <remarks>
/// <format type="text/markdown"><![CDATA[
/// To create this trainer, use [RecourseAwareMultilayerPerceptron](xref:Microsoft.ML.Recourse.RecourseAwareTrainersCatalog.RecourseAwareMultilayerPerceptron(Microsoft.ML.Recourse.RecourseTrainers,Microsoft.ML.Recourse.Actions.ActionSet,System.Double,Microsoft.ML.Recourse.Actions.PerturbationDirection,System.String,System.String,System.Collections.Generic.IReadOnlyList{System.Int32},System.Int32,System.Int32,System.Double))
/// or [RecourseAwareMultilayerPerceptron(Options)](xref:Microsoft.ML.Recourse.RecourseAwareTrainersCatalog.RecourseAwareMultilayerPerceptron(Microsoft.ML.Recourse.RecourseTrainers,Microsoft.ML.Recourse.Trainers.RecourseAwareMultilayerPerceptronTrainer.Options)).
///
/// ### Trainer Characteristics
/// | | |
/// | -- | -- |
/// | Machine learning task | Binary classification |
/// | Is normalization required? | Yes (the action set's maximum change is in standardised units) |
/// | Input columns | Label: Boolean; Features: known-sized vector of Single, one slot per feature of the action set |
/// | Output columns | Score (logit): Single; Probability: Single; PredictedLabel: Boolean (g ≥ θ₀) |
/// | Solver dependency | None for action sets without general constraints; OR-Tools GLOP (in the Google.OrTools package) with them |
///
/// ### Training Algorithm Details
/// The objective is E[w_y·BCE(g(x), y) + λ·BCE(g(x + δ*), 1)] with δ* = argmin_{δ∈Δ(x)} cᵀδ, the one-step
/// perturbation of <xref:Microsoft.ML.Recourse.Actions.PerturbationDirection> (c = −∇ₓg by default: the action that most
/// raises g to first order). Before every Adam step δ* is recomputed for each batch row from a separate train-mode
/// pass (its own dropout masks), as in the reference code; it is a constant of the step (no gradient flows through
/// it), and a row whose δ* is 0 gets no recourse term. The class weight w_y applies to the classification term only.
/// Validation uses the same combined loss (dropout off), and the epoch with the lowest validation loss is kept.
/// The decision threshold θ₀ is then the first grid value t ∈ {0, 0.05, …, 1} with the highest validation F1 (a row
/// is predicted favourable when g(x) ≥ t); without validation data it stays 0.5. The selected epoch, each epoch's
/// losses and the validation F1 of every grid threshold are written to <see cref="RecourseCatalog.Log"/>, and each
/// epoch is reported to <see cref="ScorerTrainerOptionsBase.Progress"/>. With λ = 0 the trainer fits exactly the
/// model of <xref:Microsoft.ML.Recourse.Trainers.MultilayerPerceptronTrainer> for the same seed; only θ₀ differs.
/// ]]></format>
/// </remarks>
/// <seealso cref="RecourseAwareTrainersCatalog.RecourseAwareMultilayerPerceptron(RecourseTrainers, Actions.ActionSet, double, PerturbationDirection, string, string, IReadOnlyList{int}, int, int, double)"/>
/// <seealso cref="RecourseAwareTrainersCatalog.RecourseAwareMultilayerPerceptron(RecourseTrainers, Options)"/>
public sealed class RecourseAwareMultilayerPerceptronTrainer : ScorerTrainerBase<MultilayerPerceptronModelParameters>
{
    private readonly RecourseAwareTraining _recourse;
    private readonly int[] _hiddenLayerSizes;
    private readonly Activation _activation;
    private readonly double _dropoutRate;

    internal RecourseAwareMultilayerPerceptronTrainer(RecourseEnvironment environment, Options options) : base(environment, options)
    {
        _recourse = new RecourseAwareTraining(options);
        _hiddenLayerSizes = options.HiddenLayerSizes.ToArray();
        _activation = options.Activation;
        _dropoutRate = options.DropoutRate;
    }

    /// <summary>Gets the recourse weight λ.</summary>
    public double RecourseWeight => _recourse.RecourseWeight;

    /// <summary>Gets the direction of the one-step perturbation δ*.</summary>
    public PerturbationDirection PerturbationDirection => _recourse.Direction;

    /// <summary>Gets the number of units of each hidden layer.</summary>
    public IReadOnlyList<int> HiddenLayerSizes => _hiddenLayerSizes.AsReadOnly();

    private protected override double DropoutRate => _dropoutRate;

    private protected override int RequiredFeatureCount => _recourse.ActionSet?.FeatureCount ?? 0;

    private protected override FeedForwardNetwork CreateNetwork(int featureCount) => new(featureCount, _hiddenLayerSizes, _activation);

    private protected override MultilayerPerceptronModelParameters CreateModel(FeedForwardNetwork network, double[] parameters) => new(network, parameters);

    private protected override IBatchLossTerm? CreateLossTerm(Action<string> log, DataViewSchema.Column featureColumn, double[] features)
        => _recourse.CreateLossTerm(log, featureColumn, features);

    private protected override double SelectThreshold(MultilayerPerceptronModelParameters model, double[] validationFeatures, bool[] validationLabels, Action<string> log)
        => RecourseAwareTraining.SelectThreshold(model, validationFeatures, validationLabels, log);

    /// <summary>Options for the <see cref="RecourseAwareMultilayerPerceptronTrainer"/>, used by <see cref="RecourseAwareTrainersCatalog.RecourseAwareMultilayerPerceptron(RecourseTrainers, Options)"/>.</summary>
    public sealed class Options : RecourseAwareTrainerOptionsBase
    {
        /// <summary>
        /// Gets the number of units of each hidden layer, input side first; at least one layer, each with at least
        /// one unit. The default is two layers of 100, the reference network.
        /// </summary>
        public IReadOnlyList<int> HiddenLayerSizes { get; init; } = Enumerable.Repeat(
            MultilayerPerceptronTrainer.Options.NetworkDefaults.HiddenLayerSize, MultilayerPerceptronTrainer.Options.NetworkDefaults.HiddenLayerCount).ToArray();

        /// <summary>Gets the activation of the hidden layers (ReLU by default).</summary>
        public Activation Activation { get; init; } = MultilayerPerceptronTrainer.Options.NetworkDefaults.Activation;

        /// <summary>
        /// Gets the probability that a hidden unit is dropped during training (inverted dropout; 0.3 by default, as the
        /// reference). Range: 0 ≤ value &lt; 1.
        /// </summary>
        public double DropoutRate { get; init; } = MultilayerPerceptronTrainer.Options.NetworkDefaults.DropoutRate;

        private protected override void Check()
        {
            base.Check();
            MultilayerPerceptronTrainer.Options.CheckNetwork(HiddenLayerSizes, Activation, DropoutRate);
        }
    }
}
