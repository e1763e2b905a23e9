using System.Text.Json.Nodes;
using Microsoft.ML.Recourse.Persistence;

namespace Microsoft.ML.Recourse.Models;

/// <summary>
/// One fully connected layer of a <see cref="MultilayerPerceptronModelParameters"/>: output = input·W + b.
/// </summary>
public sealed class DenseLayerParameters
{
    private readonly double[] _weights;
    private readonly double[] _biases;

    /// <summary>Creates a layer.</summary>
    /// <param name="inputCount">The number of inputs. Range: value ≥ 1.</param>
    /// <param name="outputCount">The number of units. Range: value ≥ 1.</param>
    /// <param name="weights">
    /// <paramref name="inputCount"/> × <paramref name="outputCount"/> finite weights, input-major (the layout of a
    /// Keras/TensorFlow kernel): entry i·outputCount + j connects input i to unit j.
    /// </param>
    /// <param name="biases"><paramref name="outputCount"/> finite biases.</param>
    public DenseLayerParameters(int inputCount, int outputCount, IReadOnlyList<double> weights, IReadOnlyList<double> biases)
    {
        Contracts.CheckValue(weights, nameof(weights));
        Contracts.CheckValue(biases, nameof(biases));
        Contracts.CheckPositive(inputCount, nameof(inputCount));
        Contracts.CheckPositive(outputCount, nameof(outputCount));
        Contracts.CheckParam(weights.Count == inputCount * outputCount, nameof(weights),
            FormattableString.Invariant($"A {inputCount} → {outputCount} layer needs {inputCount} × {outputCount} = {inputCount * outputCount} weights; got {weights.Count}."));
        Contracts.CheckParam(biases.Count == outputCount, nameof(biases),
            FormattableString.Invariant($"A layer with {outputCount} units needs {outputCount} biases; got {biases.Count}."));
        InputCount = inputCount;
        OutputCount = outputCount;
        _weights = weights.ToArray();
        _biases = biases.ToArray();
        Weights = new ReadOnlySlice<double>(_weights, 0, _weights.Length);
        Biases = new ReadOnlySlice<double>(_biases, 0, _biases.Length);
    }

    /// <summary>Gets the number of inputs.</summary>
    public int InputCount { get; }

    /// <summary>Gets the number of units (outputs).</summary>
    public int OutputCount { get; }

    /// <summary>Gets the weights, input-major: entry i·<see cref="OutputCount"/> + j connects input i to unit j.</summary>
    public IReadOnlyList<double> Weights { get; }

    /// <summary>Gets the biases, one per unit.</summary>
    public IReadOnlyList<double> Biases { get; }

    /// <summary>Gets the weight from input <paramref name="input"/> to unit <paramref name="output"/>.</summary>
    /// <param name="input">The input index. Range: 0 ≤ value &lt; <see cref="InputCount"/>.</param>
    /// <param name="output">The unit index. Range: 0 ≤ value &lt; <see cref="OutputCount"/>.</param>
    public double GetWeight(int input, int output)
    {
        if ((uint)input >= (uint)InputCount)
            throw new ArgumentOutOfRangeException(nameof(input), FormattableString.Invariant($"Must lie in [0, {InputCount}); got {input}."));
        if ((uint)output >= (uint)OutputCount)
            throw new ArgumentOutOfRangeException(nameof(output), FormattableString.Invariant($"Must lie in [0, {OutputCount}); got {output}."));
        return _weights[input * OutputCount + output];
    }

    internal void CopyTo(Span<double> weights, Span<double> biases)
    {
        _weights.CopyTo(weights);
        _biases.CopyTo(biases);
    }
}

/// <summary>
/// A fitted multilayer perceptron g(x) = σ(f(x)), with f = dense layers d → h₁ → … → h_L → 1 and the
/// <see cref="Activation"/> after every hidden layer (the model of Ross, Lakkaraju &amp; Bastani 2021 is
/// d → 100 → 100 → 1 with ReLU). Immutable and inspectable; dropout is a training option and never applies here.
/// </summary>
public sealed class MultilayerPerceptronModelParameters : ScorerModelParameters, IAffineComposableScorer
{
    internal const string Kind = "MultilayerPerceptron";

    /// <summary>Creates a perceptron from its layers.</summary>
    /// <param name="layers">
    /// At least two layers, each taking the previous one's outputs as inputs; the last layer has one unit (the logit).
    /// </param>
    /// <param name="activation">The activation applied after every layer but the last.</param>
    public MultilayerPerceptronModelParameters(IReadOnlyList<DenseLayerParameters> layers, Activation activation)
        : this(NetworkFor(Contracts.CheckValue(layers, nameof(layers)), activation), Flatten(layers))
    {
    }

    internal MultilayerPerceptronModelParameters(FeedForwardNetwork network, double[] parameters) : base(network, parameters)
    {
        Contracts.CheckParam(network.HiddenLayerCount > 0, nameof(network), "A multilayer perceptron needs at least one hidden layer.");
        var layers = new DenseLayerParameters[network.LayerCount];
        for (int l = 0; l < layers.Length; l++)
        {
            int inputs = network.InputWidth(l), outputs = network.OutputWidth(l);
            layers[l] = new DenseLayerParameters(inputs, outputs,
                new ReadOnlySlice<double>(parameters, network.WeightOffset(l), inputs * outputs),
                new ReadOnlySlice<double>(parameters, network.BiasOffset(l), outputs));
        }
        Layers = layers;
        HiddenLayerSizes = Enumerable.Range(1, network.HiddenLayerCount).Select(network.InputWidth).ToArray();
    }

    /// <summary>Gets the dense layers, input layer first; the last one has a single unit.</summary>
    public IReadOnlyList<DenseLayerParameters> Layers { get; }

    /// <summary>Gets the number of units of each hidden layer.</summary>
    public IReadOnlyList<int> HiddenLayerSizes { get; }

    /// <summary>Gets the activation of the hidden layers.</summary>
    public Activation Activation => Network.Activation;

    internal override string ModelKind => Kind;

    private static FeedForwardNetwork NetworkFor(IReadOnlyList<DenseLayerParameters> layers, Activation activation)
    {
        Contracts.CheckParam(layers.Count >= 2, nameof(layers),
            FormattableString.Invariant($"A multilayer perceptron needs at least two layers (one hidden); got {layers.Count}."));
        for (int l = 0; l < layers.Count; l++)
        {
            Contracts.CheckValue(layers[l], nameof(layers));
            if (l > 0)
                Contracts.CheckParam(layers[l].InputCount == layers[l - 1].OutputCount, nameof(layers),
                    FormattableString.Invariant($"Layer {l} has {layers[l].InputCount} inputs but layer {l - 1} has {layers[l - 1].OutputCount} outputs."));
        }
        Contracts.CheckParam(layers[^1].OutputCount == 1, nameof(layers),
            FormattableString.Invariant($"The last layer must have one unit (the logit); it has {layers[^1].OutputCount}."));
        return new FeedForwardNetwork(layers[0].InputCount, layers.Take(layers.Count - 1).Select(l => l.OutputCount).ToArray(), activation);
    }

    private static double[] Flatten(IReadOnlyList<DenseLayerParameters> layers)
    {
        var network = NetworkFor(layers, Activation.Relu);
        var parameters = new double[network.ParameterCount];
        for (int l = 0; l < layers.Count; l++)
            layers[l].CopyTo(parameters.AsSpan(network.WeightOffset(l), layers[l].Weights.Count), parameters.AsSpan(network.BiasOffset(l), layers[l].Biases.Count));
        return parameters;
    }

    internal override JsonObject ToJson() => new()
    {
        ["activation"] = Activation.ToString(),
        ["layers"] = new JsonArray(Layers.Select(l => (JsonNode)new JsonObject
        {
            ["inputCount"] = l.InputCount,
            ["outputCount"] = l.OutputCount,
            ["weights"] = ToJsonArray(l.Weights),
            ["biases"] = ToJsonArray(l.Biases),
        }).ToArray()),
    };

    // The first layer absorbs the map: x·W' + b' with W'ₖᵤ = Σ_{j: source j = k} aⱼ·Wⱼᵤ and b'ᵤ = bᵤ + Σⱼ cⱼ·Wⱼᵤ.
    IScorer IAffineComposableScorer.ComposeAffine(InputMap map)
    {
        var first = Layers[0];
        int units = first.OutputCount;
        var weights = new double[map.InputCount * units];
        var biases = first.Biases.ToArray();
        for (int j = 0; j < map.FeatureCount; j++)
        {
            var f = map.Features[j];
            for (int u = 0; u < units; u++)
            {
                double w = first.GetWeight(j, u);
                if (f.Source >= 0) weights[f.Source * units + u] += f.Scale * w;
                biases[u] += f.Offset * w;
            }
        }
        return new MultilayerPerceptronModelParameters([new DenseLayerParameters(map.InputCount, units, weights, biases), .. Layers.Skip(1)], Activation);
    }

    [PersistedKind(PersistedFamily.Scorer, Kind, 1)]
    internal static MultilayerPerceptronModelParameters Load(JsonObject data, int version, RecourseEnvironment environment) => FromJson(data);

    internal static MultilayerPerceptronModelParameters FromJson(JsonObject json)
    {
        string activationName = (string?)json["activation"] ?? throw new InvalidOperationException("The perceptron has no 'activation'.");
        if (!Enum.TryParse<Activation>(activationName, ignoreCase: false, out var activation) || !Enum.IsDefined(activation))
            throw new InvalidOperationException($"Unknown activation '{activationName}'.");
        var layers = (json["layers"] as JsonArray ?? throw new InvalidOperationException("The perceptron has no 'layers' array."))
            .Select((node, i) =>
            {
                var layer = node as JsonObject ?? throw new InvalidOperationException($"Layer {i} is not a JSON object.");
                return new DenseLayerParameters(
                    layer["inputCount"]?.GetValue<int>() ?? throw new InvalidOperationException($"Layer {i} has no 'inputCount'."),
                    layer["outputCount"]?.GetValue<int>() ?? throw new InvalidOperationException($"Layer {i} has no 'outputCount'."),
                    DoublesFromJson(layer["weights"], $"layers[{i}].weights"),
                    DoublesFromJson(layer["biases"], $"layers[{i}].biases"));
            }).ToArray();
        return new MultilayerPerceptronModelParameters(layers, activation);
    }
}
