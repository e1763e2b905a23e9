using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.InteropServices;

namespace Microsoft.ML.Recourse.Models;

/// <summary>
/// The shape of a fully connected network d → h₁ → … → h_L → 1 and its batched forward and backward passes.
/// The parameters live in one contiguous <see cref="double"/> array, per layer the weights then the biases. The
/// weights of a layer are stored input-major (entry i·out + j connects input i to unit j), so the forward
/// product, the weight gradient and the input gradient all stream contiguous rows (see <see cref="DenseKernels"/>).
/// The network is immutable and holds no parameters, so one instance serves a model and its trainer.
/// </summary>
internal sealed class FeedForwardNetwork
{
    private readonly int[] _widths;
    private readonly int[] _weightOffsets;
    private readonly int[] _biasOffsets;

    public FeedForwardNetwork(int featureCount, IReadOnlyList<int> hiddenLayerSizes, Activation activation)
    {
        Contracts.CheckPositive(featureCount, nameof(featureCount));
        Contracts.CheckValue(hiddenLayerSizes, nameof(hiddenLayerSizes));
        for (int i = 0; i < hiddenLayerSizes.Count; i++)
            Contracts.CheckParam(hiddenLayerSizes[i] > 0, nameof(hiddenLayerSizes),
                FormattableString.Invariant($"Hidden layer {i} has {hiddenLayerSizes[i]} units; every hidden layer needs at least 1."));
        Contracts.CheckParam(Enum.IsDefined(activation), nameof(activation), $"Unknown activation {activation}.");
        _widths = [featureCount, .. hiddenLayerSizes, 1];
        _weightOffsets = new int[LayerCount];
        _biasOffsets = new int[LayerCount];
        int offset = 0;
        for (int l = 0; l < LayerCount; l++)
        {
            _weightOffsets[l] = offset;
            offset = checked(offset + _widths[l] * _widths[l + 1]);
            _biasOffsets[l] = offset;
            offset = checked(offset + _widths[l + 1]);
        }
        ParameterCount = offset;
        Activation = activation;
        MaxHiddenWidth = hiddenLayerSizes.Count == 0 ? 0 : hiddenLayerSizes.Max();
    }

    public int FeatureCount => _widths[0];

    public int HiddenLayerCount => _widths.Length - 2;

    /// <summary>The number of dense layers, the output layer included.</summary>
    public int LayerCount => _widths.Length - 1;

    public Activation Activation { get; }

    public int ParameterCount { get; }

    public int MaxHiddenWidth { get; }

    public int InputWidth(int layer) => _widths[layer];

    public int OutputWidth(int layer) => _widths[layer + 1];

    public int WeightOffset(int layer) => _weightOffsets[layer];

    public int BiasOffset(int layer) => _biasOffsets[layer];

    public bool HasSameShape(FeedForwardNetwork other)
        => other.Activation == Activation && other._widths.AsSpan().SequenceEqual(_widths);

    /// <summary>PyTorch's default <c>nn.Linear</c> initialisation: weights and biases ~ U(−1/√fan_in, 1/√fan_in).</summary>
    public void Initialize(Span<double> parameters, RandomSource random)
    {
        CheckParameterLength(parameters.Length);
        for (int l = 0; l < LayerCount; l++)
        {
            double bound = 1 / Math.Sqrt(_widths[l]);
            int end = _biasOffsets[l] + _widths[l + 1];
            for (int i = _weightOffsets[l]; i < end; i++)
                parameters[i] = random.NextUniform(-bound, bound);
        }
    }

    /// <summary>Σ of the squared weights (biases excluded), for the L2 penalty.</summary>
    public double SquaredWeightNorm(ReadOnlySpan<double> parameters)
    {
        double sum = 0;
        for (int l = 0; l < LayerCount; l++)
        {
            var w = parameters.Slice(_weightOffsets[l], _widths[l] * _widths[l + 1]);
            sum += TensorPrimitives.Dot(w, w);
        }
        return sum;
    }

    /// <summary>Adds the gradient of (strength / 2)·Σw² (weights only) to <paramref name="gradient"/>.</summary>
    public void AddL2Gradient(ReadOnlySpan<double> parameters, Span<double> gradient, double strength)
    {
        for (int l = 0; l < LayerCount; l++)
        {
            int start = _weightOffsets[l], count = _widths[l] * _widths[l + 1];
            var g = gradient.Slice(start, count);
            TensorPrimitives.MultiplyAdd(parameters.Slice(start, count), strength, g, g);
        }
    }

    /// <summary>
    /// Computes the logits of <paramref name="rows"/> rows into <see cref="NetworkWorkspace.Logits"/>, keeping the
    /// activations for <see cref="Backward"/>. With a <paramref name="dropout"/> sampler, fresh inverted-dropout
    /// masks are applied after every hidden activation (training mode); without one, dropout is off.
    /// </summary>
    public void Forward(ReadOnlySpan<double> parameters, ReadOnlySpan<double> features, int rows, NetworkWorkspace workspace, DropoutSampler? dropout)
        => ForwardCore(parameters, features, rows, workspace, dropout, skipZeroActivations: false);

    /// <summary>
    /// <see cref="Forward"/> without dropout, for scoring a fitted model. Behind a ReLU layer the next product skips the
    /// zero activations (about three in four in the reference adult network) with
    /// <see cref="DenseKernels.MultiplyAddSkippingZeros"/>, so the logits equal <see cref="Forward"/>'s bit for bit.
    /// </summary>
    public void ForwardInference(ReadOnlySpan<double> parameters, ReadOnlySpan<double> features, int rows, NetworkWorkspace workspace)
        => ForwardCore(parameters, features, rows, workspace, dropout: null, skipZeroActivations: Activation == Activation.Relu);

    private void ForwardCore(ReadOnlySpan<double> parameters, ReadOnlySpan<double> features, int rows, NetworkWorkspace workspace, DropoutSampler? dropout,
        bool skipZeroActivations)
    {
        workspace.EnsureCapacity(this, rows);
        bool applyDropout = dropout is { Rate: > 0 };
        workspace.DropoutApplied = applyDropout;
        ReadOnlySpan<double> input = features[..(rows * FeatureCount)];
        for (int l = 0; l < HiddenLayerCount; l++)
        {
            int inWidth = _widths[l], outWidth = _widths[l + 1];
            var weights = parameters.Slice(_weightOffsets[l], inWidth * outWidth);
            var biases = parameters.Slice(_biasOffsets[l], outWidth);
            var act = workspace.Activations[l].AsSpan(0, rows * outWidth);
            for (int r = 0; r < rows; r++) biases.CopyTo(act.Slice(r * outWidth, outWidth));
            if (skipZeroActivations && l > 0)
                DenseKernels.MultiplyAddSkippingZeros(input, rows, inWidth, weights, outWidth, act, workspace.Indices, workspace.Deltas[l - 1]);
            else
                DenseKernels.MultiplyStrided(input, inWidth, 1, rows, inWidth, weights, outWidth, act, accumulate: true);
            for (int r = 0; r < rows; r++)
            {
                var row = act.Slice(r * outWidth, outWidth);
                if (Activation == Activation.Relu) TensorPrimitives.Max(row, 0.0, row);
                else TensorPrimitives.Tanh(row, row);
            }
            if (applyDropout)
            {
                var mask = workspace.Masks[l].AsSpan(0, rows * outWidth);
                dropout!.Fill(mask);
                var output = workspace.Outputs[l].AsSpan(0, rows * outWidth);
                TensorPrimitives.Multiply(act, mask, output);
                input = output;
            }
            else
            {
                input = act;
            }
        }
        int last = LayerCount - 1;
        var logits = workspace.Logits.AsSpan(0, rows);
        DenseKernels.MultiplyTransposed(input, rows, parameters.Slice(_weightOffsets[last], _widths[last]), 1, _widths[last], logits);
        double outputBias = parameters[_biasOffsets[last]];
        for (int r = 0; r < rows; r++) logits[r] += outputBias;
    }

    /// <summary>
    /// Back-propagates ∂loss/∂logit of each row (after <see cref="Forward"/> on the same rows). Writes (not adds) the
    /// parameter gradient, summed over the rows, when <paramref name="parameterGradient"/> is not empty, and the
    /// per-row input gradient (rows × d) when <paramref name="inputGradient"/> is not empty.
    /// </summary>
    public void Backward(ReadOnlySpan<double> parameters, ReadOnlySpan<double> features, int rows, NetworkWorkspace workspace,
        ReadOnlySpan<double> logitGradients, Span<double> parameterGradient, Span<double> inputGradient)
        => BackwardCore(parameters, features, rows, workspace, logitGradients, parameterGradient, inputGradient, skipInactiveUnits: false);

    /// <summary>
    /// The per-row input gradient after <see cref="ForwardInference"/> on the same rows: <see cref="Backward"/> without
    /// the parameter gradient, where a ReLU layer back-propagates only through its active units
    /// (<see cref="DenseKernels.MultiplyTransposedWherePositive"/>), bit for bit as <see cref="Backward"/> does.
    /// </summary>
    public void InputGradientInference(ReadOnlySpan<double> parameters, ReadOnlySpan<double> features, int rows, NetworkWorkspace workspace,
        ReadOnlySpan<double> logitGradients, Span<double> inputGradient)
        => BackwardCore(parameters, features, rows, workspace, logitGradients, default, inputGradient, skipInactiveUnits: Activation == Activation.Relu);

    private void BackwardCore(ReadOnlySpan<double> parameters, ReadOnlySpan<double> features, int rows, NetworkWorkspace workspace,
        ReadOnlySpan<double> logitGradients, Span<double> parameterGradient, Span<double> inputGradient, bool skipInactiveUnits)
    {
        bool wantParameters = !parameterGradient.IsEmpty;
        bool wantInput = !inputGradient.IsEmpty;
        int last = LayerCount - 1;
        int lastWidth = _widths[last];
        ReadOnlySpan<double> lastInput = last == 0 ? features[..(rows * FeatureCount)] : workspace.LayerOutput(last - 1, rows * lastWidth);
        var outputWeights = parameters.Slice(_weightOffsets[last], lastWidth);
        logitGradients = logitGradients[..rows];
        if (wantParameters)
        {
            // gradient of the output weights: Σ_r dlogit_r · input_r (a 1 × rows times rows × width product)
            DenseKernels.MultiplyStrided(logitGradients, 0, 1, 1, rows, lastInput, lastWidth,
                parameterGradient.Slice(_weightOffsets[last], lastWidth), accumulate: false);
            double biasGradient = 0;
            foreach (double g in logitGradients) biasGradient += g;
            parameterGradient[_biasOffsets[last]] = biasGradient;
        }
        if (last == 0 && !wantInput) return;

        // ∂loss/∂(input of the output layer) = dlogit ⊗ w (rows × 1 times 1 × width)
        Span<double> upstream = last == 0 ? inputGradient : workspace.Deltas[last - 1].AsSpan(0, rows * lastWidth);
        DenseKernels.MultiplyStrided(logitGradients, 1, 0, rows, 1, outputWeights, lastWidth, upstream, accumulate: false);

        for (int l = HiddenLayerCount - 1; l >= 0; l--)
        {
            int inWidth = _widths[l], outWidth = _widths[l + 1];
            var delta = workspace.Deltas[l].AsSpan(0, rows * outWidth);
            ActivationBackward(workspace.Activations[l].AsSpan(0, rows * outWidth),
                workspace.DropoutApplied ? workspace.Masks[l].AsSpan(0, rows * outWidth) : default, delta);
            ReadOnlySpan<double> layerInput = l == 0 ? features[..(rows * FeatureCount)] : workspace.LayerOutput(l - 1, rows * inWidth);
            if (wantParameters)
            {
                DenseKernels.MultiplyStrided(layerInput, 1, inWidth, inWidth, rows, delta, outWidth,
                    parameterGradient.Slice(_weightOffsets[l], inWidth * outWidth), accumulate: false);
                var biasGradient = parameterGradient.Slice(_biasOffsets[l], outWidth);
                delta[..outWidth].CopyTo(biasGradient);
                for (int r = 1; r < rows; r++) TensorPrimitives.Add(biasGradient, delta.Slice(r * outWidth, outWidth), biasGradient);
            }
            if (l > 0 || wantInput)
            {
                var below = l == 0 ? inputGradient : workspace.Deltas[l - 1].AsSpan(0, rows * inWidth);
                var weights = parameters.Slice(_weightOffsets[l], inWidth * outWidth);
                if (skipInactiveUnits && l > 0)
                    DenseKernels.MultiplyTransposedWherePositive(delta, rows, weights, inWidth, outWidth, workspace.Activations[l - 1].AsSpan(0, rows * inWidth),
                        below, workspace.Indices);
                else
                    DenseKernels.MultiplyTransposed(delta, rows, weights, inWidth, outWidth, below);
            }
        }
    }

    // delta ← delta ⊙ mask ⊙ act'(z), where act is the activation value before dropout.
    private void ActivationBackward(ReadOnlySpan<double> activation, ReadOnlySpan<double> mask, Span<double> delta)
    {
        bool hasMask = !mask.IsEmpty;
        ref double a = ref MemoryMarshal.GetReference(activation);
        ref double d = ref MemoryMarshal.GetReference(delta);
        ref double m = ref MemoryMarshal.GetReference(mask);
        int w = Vector<double>.Count, n = delta.Length, i = 0;
        var one = Vector<double>.One;
        if (Activation == Activation.Relu)
        {
            for (; i <= n - w; i += w)
            {
                var v = Vector.ConditionalSelect(Vector.GreaterThan(Vector.LoadUnsafe(ref a, (nuint)i), Vector<double>.Zero),
                    Vector.LoadUnsafe(ref d, (nuint)i), Vector<double>.Zero);
                if (hasMask) v *= Vector.LoadUnsafe(ref m, (nuint)i);
                Vector.StoreUnsafe(v, ref d, (nuint)i);
            }
            for (; i < n; i++) delta[i] = activation[i] > 0 ? (hasMask ? delta[i] * mask[i] : delta[i]) : 0;
        }
        else
        {
            for (; i <= n - w; i += w)
            {
                var t = Vector.LoadUnsafe(ref a, (nuint)i);
                var v = Vector.LoadUnsafe(ref d, (nuint)i) * (one - t * t);
                if (hasMask) v *= Vector.LoadUnsafe(ref m, (nuint)i);
                Vector.StoreUnsafe(v, ref d, (nuint)i);
            }
            for (; i < n; i++)
            {
                double v = delta[i] * (1 - activation[i] * activation[i]);
                delta[i] = hasMask ? v * mask[i] : v;
            }
        }
    }

    public void CheckParameterLength(int length)
        => Contracts.CheckParam(length == ParameterCount, "parameters",
            FormattableString.Invariant($"The network has {ParameterCount} parameters; got {length}."));
}

/// <summary>
/// Reusable buffers for forward and backward passes over up to <see cref="RowCapacity"/> rows. A workspace grows
/// on demand and fits any network no wider than it, so one per thread (or per trainer) avoids allocation per call.
/// </summary>
internal sealed class NetworkWorkspace
{
    private int _width;

    public int RowCapacity { get; private set; }

    /// <summary>Per hidden layer, rows × width activations before dropout.</summary>
    public double[][] Activations { get; private set; } = [];

    /// <summary>Per hidden layer, the activations after dropout (used only when dropout was applied).</summary>
    public double[][] Outputs { get; private set; } = [];

    /// <summary>Per hidden layer, the dropout mask of the last forward pass.</summary>
    public double[][] Masks { get; private set; } = [];

    /// <summary>Per hidden layer, ∂loss/∂(layer output), turned in place into ∂loss/∂(pre-activation).</summary>
    public double[][] Deltas { get; private set; } = [];

    /// <summary>The logits of the last forward pass.</summary>
    public double[] Logits { get; private set; } = [];

    /// <summary>Another per-row buffer callers may use for ∂loss/∂logit or probabilities.</summary>
    public double[] RowScratch { get; private set; } = [];

    /// <summary>Integer scratch for the sparse products (<see cref="DenseKernels.SparseScratchLength"/>).</summary>
    public int[] Indices { get; private set; } = [];

    public bool DropoutApplied { get; set; }

    public void EnsureCapacity(FeedForwardNetwork network, int rows)
    {
        int layers = network.HiddenLayerCount, width = network.MaxHiddenWidth;
        if (rows <= RowCapacity && layers <= Activations.Length && width <= _width) return;
        int capacity = Math.Max(rows, RowCapacity);
        _width = Math.Max(width, _width);
        layers = Math.Max(layers, Activations.Length);
        RowCapacity = capacity;
        int size = capacity * _width;
        Activations = Allocate(layers, size);
        Outputs = Allocate(layers, size);
        Masks = Allocate(layers, size);
        Deltas = Allocate(layers, size);
        Logits = new double[capacity];
        RowScratch = new double[capacity];
        Indices = new int[DenseKernels.SparseScratchLength(capacity, _width)];
    }

    public ReadOnlySpan<double> LayerOutput(int layer, int length)
        => (DropoutApplied ? Outputs[layer] : Activations[layer]).AsSpan(0, length);

    private static double[][] Allocate(int layers, int size)
    {
        var result = new double[layers][];
        for (int i = 0; i < layers; i++) result[i] = new double[size];
        return result;
    }
}
