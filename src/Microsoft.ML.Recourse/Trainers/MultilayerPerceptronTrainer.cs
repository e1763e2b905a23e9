using Microsoft.ML.Recourse.Models;

namespace Microsoft.ML.Recourse.Trainers;

/// <summary>
/// The <see cref="IEstimator{TTransformer}"/> that trains a multilayer perceptron g(x) = σ(f(x)) by mini-batch Adam
/// on class-weighted binary cross-entropy with dropout, the model of Ross, Lakkaraju &amp; Bastani (2021).
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
/// The network is d → h₁ → … → h_L → 1 with the chosen activation and inverted dropout after every hidden layer
/// (training only). The defaults reproduce the reference model: two hidden layers of 100 ReLU units, dropout 0.3,
/// Adam with learning rate 0.002, batches of 10 rows in fixed order, 15 epochs and balanced class weights
/// (#majority / #minority on the minority class). The loss of a step is (1/B)·Σᵢ wᵢ·BCE(g(xᵢ), yᵢ) plus
/// (L2/2)·Σw². Weights and biases start from U(−1/√fan_in, 1/√fan_in), PyTorch's default for <c>nn.Linear</c>.
/// With validation data the epoch with the lowest validation loss is kept, as in the reference.
/// ]]></format>
/// </remarks>
internal sealed class MultilayerPerceptronTrainer : ScorerTrainerBase<MultilayerPerceptronModelParameters>
{
    private readonly int[] _hiddenLayerSizes;
    private readonly Activation _activation;
    private readonly double _dropoutRate;

    internal MultilayerPerceptronTrainer(RecourseEnvironment environment, Options options) : base(environment, options)
    {
        _hiddenLayerSizes = options.HiddenLayerSizes.ToArray();
        _activation = options.Activation;
        _dropoutRate = options.DropoutRate;
    }

    /// <summary>Gets the number of units of each hidden layer.</summary>
    public IReadOnlyList<int> HiddenLayerSizes => _hiddenLayerSizes.AsReadOnly();

    private protected override double DropoutRate => _dropoutRate;

    private protected override FeedForwardNetwork CreateNetwork(int featureCount) => new(featureCount, _hiddenLayerSizes, _activation);

    private protected override MultilayerPerceptronModelParameters CreateModel(FeedForwardNetwork network, double[] parameters) => new(network, parameters);

    /// <summary>Options for the <see cref="MultilayerPerceptronTrainer"/>.</summary>
    public sealed class Options : ScorerTrainerOptionsBase
    {
        /// <summary>
        /// Gets the number of units of each hidden layer, input side first; at least one layer, each with at least
        /// one unit. The default is two layers of 100.
        /// </summary>
        public IReadOnlyList<int> HiddenLayerSizes { get; init; } = Enumerable.Repeat(NetworkDefaults.HiddenLayerSize, NetworkDefaults.HiddenLayerCount).ToArray();

        /// <summary>Gets the activation of the hidden layers.</summary>
        public Activation Activation { get; init; } = NetworkDefaults.Activation;

        /// <summary>
        /// Gets the probability that a hidden unit is dropped during training (inverted dropout: kept units are scaled
        /// by 1 / (1 − rate); nothing is dropped at inference). Range: 0 ≤ value &lt; 1.
        /// </summary>
        public double DropoutRate { get; init; } = NetworkDefaults.DropoutRate;

        internal static class NetworkDefaults
        {
            public const int HiddenLayerSize = 100;
            public const int HiddenLayerCount = 2;
            public const Activation Activation = Models.Activation.Relu;
            public const double DropoutRate = 0.3;
        }

        private protected override void Check()
        {
            base.Check();
            CheckNetwork(HiddenLayerSizes, Activation, DropoutRate);
        }

        // Shared with the recourse-aware perceptron, whose options carry the same three network settings.
        internal static void CheckNetwork(IReadOnlyList<int> hiddenLayerSizes, Activation activation, double dropoutRate)
        {
            Contracts.CheckValue(hiddenLayerSizes, nameof(HiddenLayerSizes));
            Contracts.CheckParam(hiddenLayerSizes.Count > 0, nameof(HiddenLayerSizes),
                "A multilayer perceptron needs at least one hidden layer; use LogisticRegression for none.");
            for (int i = 0; i < hiddenLayerSizes.Count; i++)
                Contracts.CheckParam(hiddenLayerSizes[i] > 0, nameof(HiddenLayerSizes),
                    FormattableString.Invariant($"Hidden layer {i} has {hiddenLayerSizes[i]} units; every hidden layer needs at least 1."));
            Contracts.CheckParam(Enum.IsDefined(activation), nameof(Activation), $"Unknown activation {activation}.");
            Contracts.CheckParam(dropoutRate >= 0 && dropoutRate < 1, nameof(DropoutRate),
                FormattableString.Invariant($"Must lie in [0, 1); got {dropoutRate}."));
        }
    }
}
