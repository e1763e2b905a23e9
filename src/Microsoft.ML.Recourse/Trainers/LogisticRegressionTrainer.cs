using Microsoft.ML.Recourse.Models;

namespace Microsoft.ML.Recourse.Trainers;

/// <summary>
/// The <see cref="IEstimator{TTransformer}"/> that trains a logistic regression g(x) = σ(wᵀx + b) by mini-batch Adam
/// on class-weighted binary cross-entropy.
/// </summary>
/// <remarks>
/// <format type="text/markdown"><![CDATA[
/// Internal: the plain trainer behind the model-update simulation and the in-distribution check (the reference
/// protocols train their base models this way); users train plain linear models with ML.NET's trainers and MLPs with
/// the recourse-aware trainer at a recourse weight of 0.
///
/// ### Trainer Characteristics
/// | | |
/// | -- | -- |
/// | Machine learning task | Binary classification |
/// | Is normalization required? | Yes (features on comparable scales; the recourse components assume standardised units) |
/// | Input columns | Label: Boolean; Features: known-sized vector of Single |
/// | Output columns | Score (logit): Single; Probability: Single; PredictedLabel: Boolean |
/// | Exportable to ONNX | No |
///
/// ### Training Algorithm Details
/// The loss of a step is (1/B)·Σᵢ wᵢ·BCE(g(xᵢ), yᵢ) over a batch of B rows, plus (L2/2)·‖w‖², minimised by Adam
/// with PyTorch's update and defaults. Weights and bias start from U(−1/√d, 1/√d), PyTorch's default for
/// <c>nn.Linear</c>, drawn from the trainer's seed. With validation data the epoch with the lowest validation loss
/// is kept.
/// ]]></format>
/// </remarks>
internal sealed class LogisticRegressionTrainer : ScorerTrainerBase<LogisticRegressionModelParameters>
{
    internal LogisticRegressionTrainer(RecourseEnvironment environment, Options options) : base(environment, options)
    {
    }

    private protected override double DropoutRate => 0;

    private protected override FeedForwardNetwork CreateNetwork(int featureCount) => LogisticRegressionModelParameters.NetworkFor(featureCount);

    private protected override LogisticRegressionModelParameters CreateModel(FeedForwardNetwork network, double[] parameters) => new(network, parameters);

    /// <summary>Options for the <see cref="LogisticRegressionTrainer"/>.</summary>
    public sealed class Options : ScorerTrainerOptionsBase
    {
    }
}
