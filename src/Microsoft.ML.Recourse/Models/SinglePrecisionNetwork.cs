using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Microsoft.ML.Recourse.Models;

/// <summary>
/// A float32 copy of a <see cref="ScorerModelParameters"/> network for the one-step generator's
/// <see cref="KernelPrecision.Single"/> kernels: g(x), ∇ₓg(x) and g(x + δ) with <see cref="Vector{T}"/> of
/// <see cref="float"/> (twice the lanes of <see cref="double"/>). Rows arrive and results leave in double; the
/// features are rounded to float at the input, the logit and ∂logit/∂x are summed in float, and σ and g(1 − g) are
/// applied in double over the batch. Every product runs over the non-zero entries of its input only (the ReLU units
/// that fired, and the input features that are not 0), and the backward pass only through the active units: with
/// AVX-512, through the weight rows the forward pass read (dot products); elsewhere, through transposed copies of the
/// weights. Widths are padded with zero weights to whole vectors. Immutable and thread-safe; each thread brings its
/// own <see cref="Workspace"/>.
/// </summary>
internal sealed class SinglePrecisionNetwork
{
    private readonly int _featureCount;
    private readonly int _hiddenLayers;
    private readonly bool _relu;
    // _widths[l]: the padded width of layer l's output (l < _hiddenLayers), _inputWidth the padded feature count.
    private readonly int[] _widths;
    private readonly int[] _units;
    private readonly int _inputWidth;
    // Per hidden layer l: weights input-major [in][_widths[l]], their transpose [out][paddedIn], biases [_widths[l]].
    private readonly float[][] _weights;
    private readonly float[][] _transposed;
    private readonly float[][] _biases;
    private readonly float[] _outputWeights;
    private readonly float _outputBias;
    // AVX-512's compress packs the units that fired eight at a time; elsewhere (or when asked) a portable path does it.
    private readonly bool _compress;

    /// <param name="model">The network to copy.</param>
    /// <param name="portable">Use the portable kernels even where AVX-512 is available (for tests: both fire the same
    /// units, and their sums differ only in float summation order).</param>
    public SinglePrecisionNetwork(ScorerModelParameters model, bool portable = false)
    {
        _compress = !portable && Avx512F.VL.IsSupported && Vector<float>.Count == Vector256<float>.Count;
        var network = model.Network;
        var parameters = model.Parameters;
        _featureCount = network.FeatureCount;
        _hiddenLayers = network.HiddenLayerCount;
        _relu = network.Activation == Activation.Relu;
        _inputWidth = Pad(_featureCount);
        _widths = new int[_hiddenLayers];
        _units = new int[_hiddenLayers];
        _weights = new float[_hiddenLayers][];
        _transposed = new float[_hiddenLayers][];
        _biases = new float[_hiddenLayers][];
        for (int l = 0; l < _hiddenLayers; l++)
        {
            int inputs = network.InputWidth(l), outputs = network.OutputWidth(l);
            int paddedIn = l == 0 ? _inputWidth : _widths[l - 1], paddedOut = Pad(outputs);
            (_widths[l], _units[l]) = (paddedOut, outputs);
            var w = parameters.Slice(network.WeightOffset(l), inputs * outputs);
            var weights = new float[inputs * paddedOut];
            var transposed = new float[outputs * paddedIn];
            for (int i = 0; i < inputs; i++)
                for (int u = 0; u < outputs; u++)
                {
                    weights[i * paddedOut + u] = (float)w[i * outputs + u];
                    transposed[u * paddedIn + i] = (float)w[i * outputs + u];
                }
            var biases = new float[paddedOut];
            var b = parameters.Slice(network.BiasOffset(l), outputs);
            for (int u = 0; u < outputs; u++) biases[u] = (float)b[u];
            (_weights[l], _transposed[l], _biases[l]) = (weights, transposed, biases);
        }
        int last = network.LayerCount - 1, lastInputs = network.InputWidth(last);
        _outputWeights = new float[_hiddenLayers == 0 ? _inputWidth : _widths[^1]];
        var outputWeights = parameters.Slice(network.WeightOffset(last), lastInputs);
        for (int i = 0; i < lastInputs; i++) _outputWeights[i] = (float)outputWeights[i];
        _outputBias = (float)parameters[network.BiasOffset(last)];
        int outside = 0;
        while (outside < parameters.Length && Math.Abs(parameters[outside]) <= float.MaxValue) outside++;
        if (outside < parameters.Length)
            throw new ArgumentOutOfRangeException(nameof(model), FormattableString.Invariant(
                $"Parameter {outside} of the network ({parameters[outside]}) is outside float's range; use {nameof(KernelPrecision)}.{nameof(KernelPrecision.Double)}."));
    }

    public int FeatureCount => _featureCount;

    /// <summary>g for each row (rows × d, row-major) into <paramref name="scores"/>.</summary>
    public void ScoreBatch(ReadOnlySpan<double> rows, Span<double> scores, Workspace workspace)
    {
        for (int r = 0; r < scores.Length; r++)
            scores[r] = Forward(rows.Slice(r * _featureCount, _featureCount), workspace);
        // σ in double over the whole batch: a vectorised exp instead of one call per row.
        TensorPrimitives.Sigmoid(scores, scores);
    }

    /// <summary>g and ∇ₓg for each row (rows × d, row-major).</summary>
    public void ScoreAndInputGradientBatch(ReadOnlySpan<double> rows, Span<double> scores, Span<double> inputGradients, Workspace workspace)
    {
        int d = _featureCount;
        // The float pass gives the logit and ∂logit/∂x; g and ∂g/∂x = g(1 − g)·∂logit/∂x follow in double.
        for (int r = 0; r < scores.Length; r++)
        {
            scores[r] = Forward(rows.Slice(r * d, d), workspace);
            Backward(workspace, inputGradients.Slice(r * d, d));
        }
        TensorPrimitives.Sigmoid(scores, scores);
        for (int r = 0; r < scores.Length; r++)
        {
            double g = scores[r], s = g * (1 - g);
            var gradient = inputGradients.Slice(r * d, d);
            for (int j = 0; j < gradient.Length; j++) gradient[j] *= s;
        }
    }

    // The logit of one row; keeps each layer's activations and the indices of its non-zero entries in the workspace.
    private float Forward(ReadOnlySpan<double> x, Workspace ws)
    {
        int count = CollectInput(x, ws);
        ReadOnlySpan<float> values = ws.InputValues;
        ReadOnlySpan<int> indices = ws.InputIndices;
        if (_hiddenLayers == 0)
        {
            float linear = _outputBias;
            for (int t = 0; t < count; t++) linear += values[t] * _outputWeights[indices[t]];
            return linear;
        }
        float logit = 0;
        for (int l = 0; l < _hiddenLayers; l++)
        {
            int width = _widths[l];
            var act = ws.Activations[l];
            Accumulate(values, indices, count, _weights[l], _biases[l], width, act);
            bool top = l == _hiddenLayers - 1;
            if (_relu && top && l > 0 && _compress)
            {
                // Above the first hidden layer, the AVX-512 backward pass reads the top layer's activations, not its index list.
                logit = ReluAndDot(act, width, _outputWeights);
                break;
            }
            if (_relu)
                count = ReluAndCollect(act, width, ws.Indices[l], ws.Values[l], top ? _outputWeights : null, _compress, out logit);
            else
            {
                TensorPrimitives.Tanh(act.AsSpan(0, width), act.AsSpan(0, width));
                count = AllUnits(act, _units[l], ws.Indices[l], ws.Values[l]);
                if (top) logit = TensorPrimitives.Dot(act.AsSpan(0, width), _outputWeights);
            }
            ws.Counts[l] = count;
            values = ws.Values[l];
            indices = ws.Indices[l];
        }
        return logit + _outputBias;
    }

    // The row in float, and its non-zero features packed as (index, value); returns how many.
    private int CollectInput(ReadOnlySpan<double> x, Workspace ws)
    {
        ref float values = ref MemoryMarshal.GetArrayDataReference(ws.InputValues);
        ref int indices = ref MemoryMarshal.GetArrayDataReference(ws.InputIndices);
        int count = 0;
        for (int j = 0; j < _featureCount; j++)
        {
            float v = (float)x[j];
            Unsafe.Add(ref values, count) = v;
            Unsafe.Add(ref indices, count) = j;
            count += v != 0 ? 1 : 0;
        }
        return count;
    }

    // ∂logit/∂x, after Forward on the same row.
    private void Backward(Workspace ws, Span<double> gradient)
    {
        if (_hiddenLayers == 0)
        {
            for (int j = 0; j < _featureCount; j++) gradient[j] = _outputWeights[j];
            return;
        }
        if (_compress && _relu)
        {
            BackwardThroughRows(ws, gradient);
            return;
        }
        // delta: ∂logit/∂(pre-activation) of layer l over its listed (active) units, packed in list order.
        var delta = ws.Delta;
        int top = _hiddenLayers - 1;
        {
            var idx = ws.Indices[top];
            var a = ws.Values[top];
            for (int t = 0; t < ws.Counts[top]; t++)
                delta[t] = _outputWeights[idx[t]] * Derivative(a[t]);
        }
        for (int l = top; l >= 0; l--)
        {
            int below = l == 0 ? _inputWidth : _widths[l - 1];
            var sum = ws.Below;
            Accumulate(delta, ws.Indices[l], ws.Counts[l], _transposed[l], ws.Zeros, below, sum);
            if (l == 0)
            {
                for (int j = 0; j < _featureCount; j++) gradient[j] = sum[j];
                return;
            }
            var idx = ws.Indices[l - 1];
            var a = ws.Values[l - 1];
            for (int t = 0; t < ws.Counts[l - 1]; t++)
                delta[t] = sum[idx[t]] * Derivative(a[t]);
        }
    }

    // The ReLU backward pass with AVX-512: each hidden layer's ∂logit/∂(pre-activation) of its firing units is the dot
    // product of their rows of the layer above (the rows the forward pass just read, so still in cache) with the
    // layer above's dense ∂logit/∂(pre-activation); the transposed copy of those weights is not read.
    private void BackwardThroughRows(Workspace ws, Span<double> gradient)
    {
        int top = _hiddenLayers - 1;
        var packed = ws.Delta;
        if (top == 0)
            PackFired(_outputWeights, ws.Activations[0], _widths[0], packed);
        else
        {
            var dense = ws.Dense;
            MaskFired(_outputWeights, ws.Activations[top], _widths[top], dense);
            for (int l = top; l >= 1; l--)
            {
                DotRows(_weights[l], _widths[l], ws.Indices[l - 1], ws.Counts[l - 1], dense, packed);
                if (l == 1) break;
                Array.Clear(dense, 0, _widths[l - 1]);
                var below = ws.Indices[l - 1];
                for (int t = 0; t < ws.Counts[l - 1]; t++) dense[below[t]] = packed[t];
            }
        }
        var sum = ws.Below;
        Accumulate(packed, ws.Indices[0], ws.Counts[0], _transposed[0], ws.Zeros, _inputWidth, sum);
        for (int j = 0; j < _featureCount; j++) gradient[j] = sum[j];
    }

    // dense[u] = source[u] where act[u] > 0, else 0.
    private static void MaskFired(float[] source, float[] act, int width, float[] dense)
    {
        ref float src = ref MemoryMarshal.GetArrayDataReference(source);
        ref float a = ref MemoryMarshal.GetArrayDataReference(act);
        ref float dst = ref MemoryMarshal.GetArrayDataReference(dense);
        for (int q = 0; q < width; q += 8)
        {
            var fired = Vector256.GreaterThan(Vector256.LoadUnsafe(ref a, (nuint)q), Vector256<float>.Zero);
            (Vector256.LoadUnsafe(ref src, (nuint)q) & fired).StoreUnsafe(ref dst, (nuint)q);
        }
    }

    // packed[t] = matrix[indices[t]·width + ·] · dense for t < count, eight rows at a time (eight independent chains);
    // the buffers have eight slack entries.
    private static void DotRows(float[] matrix, int width, int[] indices, int count, float[] dense, float[] packed)
    {
        ref float m = ref MemoryMarshal.GetArrayDataReference(matrix);
        ref float v = ref MemoryMarshal.GetArrayDataReference(dense);
        ref int ix = ref MemoryMarshal.GetArrayDataReference(indices);
        ref float dst = ref MemoryMarshal.GetArrayDataReference(packed);
        nint stride = width;
        for (int t = 0; t < count; t += 8)
        {
            // Past the end of the list, row 0 stands in; its sums land in the slack.
            ref float r0 = ref Unsafe.Add(ref m, Unsafe.Add(ref ix, t) * stride);
            ref float r1 = ref Unsafe.Add(ref m, (t + 1 < count ? Unsafe.Add(ref ix, t + 1) : 0) * stride);
            ref float r2 = ref Unsafe.Add(ref m, (t + 2 < count ? Unsafe.Add(ref ix, t + 2) : 0) * stride);
            ref float r3 = ref Unsafe.Add(ref m, (t + 3 < count ? Unsafe.Add(ref ix, t + 3) : 0) * stride);
            ref float r4 = ref Unsafe.Add(ref m, (t + 4 < count ? Unsafe.Add(ref ix, t + 4) : 0) * stride);
            ref float r5 = ref Unsafe.Add(ref m, (t + 5 < count ? Unsafe.Add(ref ix, t + 5) : 0) * stride);
            ref float r6 = ref Unsafe.Add(ref m, (t + 6 < count ? Unsafe.Add(ref ix, t + 6) : 0) * stride);
            ref float r7 = ref Unsafe.Add(ref m, (t + 7 < count ? Unsafe.Add(ref ix, t + 7) : 0) * stride);
            Vector256<float> a0 = default, a1 = default, a2 = default, a3 = default, a4 = default, a5 = default, a6 = default, a7 = default;
            for (nuint q = 0; q < (nuint)width; q += 8)
            {
                var x = Vector256.LoadUnsafe(ref v, q);
                a0 = Vector256.FusedMultiplyAdd(Vector256.LoadUnsafe(ref r0, q), x, a0);
                a1 = Vector256.FusedMultiplyAdd(Vector256.LoadUnsafe(ref r1, q), x, a1);
                a2 = Vector256.FusedMultiplyAdd(Vector256.LoadUnsafe(ref r2, q), x, a2);
                a3 = Vector256.FusedMultiplyAdd(Vector256.LoadUnsafe(ref r3, q), x, a3);
                a4 = Vector256.FusedMultiplyAdd(Vector256.LoadUnsafe(ref r4, q), x, a4);
                a5 = Vector256.FusedMultiplyAdd(Vector256.LoadUnsafe(ref r5, q), x, a5);
                a6 = Vector256.FusedMultiplyAdd(Vector256.LoadUnsafe(ref r6, q), x, a6);
                a7 = Vector256.FusedMultiplyAdd(Vector256.LoadUnsafe(ref r7, q), x, a7);
            }
            // Eight horizontal sums at once: lane k of the result is the sum of a_k.
            var g0 = Avx.HorizontalAdd(Avx.HorizontalAdd(a0, a1), Avx.HorizontalAdd(a2, a3));
            var g1 = Avx.HorizontalAdd(Avx.HorizontalAdd(a4, a5), Avx.HorizontalAdd(a6, a7));
            (Avx.Permute2x128(g0, g1, 0x20) + Avx.Permute2x128(g0, g1, 0x31)).StoreUnsafe(ref dst, (nuint)t);
        }
    }

    // packed[0..) = source[u] for the units u that fired (act[u] > 0), in the order of the index lists.
    private static void PackFired(float[] source, float[] act, int width, float[] packed)
    {
        ref float src = ref MemoryMarshal.GetArrayDataReference(source);
        ref float a = ref MemoryMarshal.GetArrayDataReference(act);
        ref float dst = ref MemoryMarshal.GetArrayDataReference(packed);
        int count = 0;
        for (int q = 0; q < width; q += 8)
        {
            var fired = Vector256.GreaterThan(Vector256.LoadUnsafe(ref a, (nuint)q), Vector256<float>.Zero);
            Avx512F.VL.Compress(Vector256<float>.Zero, fired, Vector256.LoadUnsafe(ref src, (nuint)q)).StoreUnsafe(ref dst, (nuint)count);
            count += BitOperations.PopCount(fired.ExtractMostSignificantBits());
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private float Derivative(float activation) => _relu ? 1f : 1f - activation * activation;

    /// <summary>Per-thread buffers for one row at a time.</summary>
    public sealed class Workspace
    {
        public Workspace(SinglePrecisionNetwork network)
        {
            int widest = Math.Max(network._inputWidth, network._widths.Length == 0 ? 0 : network._widths.Max());
            InputValues = new float[network._inputWidth];
            InputIndices = new int[network._inputWidth + IndexSlack];
            Activations = network._widths.Select(w => new float[w]).ToArray();
            Values = network._widths.Select(w => new float[w + IndexSlack]).ToArray();
            Indices = network._widths.Select(w => new int[w + IndexSlack]).ToArray();
            Counts = new int[network._widths.Length];
            Delta = new float[widest + IndexSlack];
            Below = new float[widest];
            Zeros = new float[widest];
            Dense = new float[widest];
        }

        public float[] InputValues { get; }

        public int[] InputIndices { get; }

        public float[][] Activations { get; }

        public float[][] Values { get; }

        public int[][] Indices { get; }

        public int[] Counts { get; }

        public float[] Delta { get; }

        public float[] Below { get; }

        /// <summary>A layer's ∂logit/∂(pre-activation) over all its units (AVX-512 backward pass).</summary>
        public float[] Dense { get; }

        /// <summary>Zeros to start the backward sums from.</summary>
        public float[] Zeros { get; }
    }

    private const int IndexSlack = 8;

    private static int Pad(int width)
    {
        int w = Vector<float>.Count;
        return (width + w - 1) / w * w;
    }

    // ReLU in place over act[0..width) and the output layer's dot product (without its bias).
    private static float ReluAndDot(float[] act, int width, float[] outputWeights)
    {
        ref float a = ref MemoryMarshal.GetArrayDataReference(act);
        ref float w = ref MemoryMarshal.GetArrayDataReference(outputWeights);
        var dot = Vector256<float>.Zero;
        for (int q = 0; q < width; q += 8)
        {
            var z = Vector256.MaxNative(Vector256.LoadUnsafe(ref a, (nuint)q), Vector256<float>.Zero);
            z.StoreUnsafe(ref a, (nuint)q);
            dot = Vector256.FusedMultiplyAdd(z, Vector256.LoadUnsafe(ref w, (nuint)q), dot);
        }
        return Vector256.Sum(dot);
    }

    // ReLU in place over act[0..width), packing the indices and values of the units that fire; returns how many. With
    // outputWeights, also the output layer's dot product (without its bias). Branch-free: which units fire is unpredictable.
    private static int ReluAndCollect(float[] act, int width, int[] indices, float[] values, float[]? outputWeights, bool compress, out float logit)
    {
        ref float a = ref MemoryMarshal.GetArrayDataReference(act);
        ref float v = ref MemoryMarshal.GetArrayDataReference(values);
        ref int ix = ref MemoryMarshal.GetArrayDataReference(indices);
        int count = 0;
        if (compress)
        {
            // The buffers have eight slack entries for the last store.
            var lanes = Vector256.Create(0, 1, 2, 3, 4, 5, 6, 7);
            var dot = Vector256<float>.Zero;
            for (int q = 0; q < width; q += 8)
            {
                var z = Vector256.MaxNative(Vector256.LoadUnsafe(ref a, (nuint)q), Vector256<float>.Zero);
                z.StoreUnsafe(ref a, (nuint)q);
                var fired = Vector256.GreaterThan(z, Vector256<float>.Zero);
                Avx512F.VL.Compress(Vector256<float>.Zero, fired, z).StoreUnsafe(ref v, (nuint)count);
                Avx512F.VL.Compress(Vector256<int>.Zero, fired.AsInt32(), lanes + Vector256.Create(q)).StoreUnsafe(ref ix, (nuint)count);
                count += BitOperations.PopCount(fired.ExtractMostSignificantBits());
                if (outputWeights is not null)
                    dot = Vector256.FusedMultiplyAdd(z, Vector256.LoadUnsafe(ref MemoryMarshal.GetArrayDataReference(outputWeights), (nuint)q), dot);
            }
            logit = Vector256.Sum(dot);
            return count;
        }
        var span = act.AsSpan(0, width);
        TensorPrimitives.Max(span, 0f, span);
        logit = outputWeights is null ? 0 : TensorPrimitives.Dot(span, outputWeights.AsSpan(0, width));
        int q4 = 0;
        if (Vector128.IsHardwareAccelerated)
        {
            // Each group of four writes its indices from a table.
            for (; q4 <= width - 4; q4 += 4)
            {
                uint zero = Vector128.Equals(Vector128.LoadUnsafe(ref a, (nuint)q4), Vector128<float>.Zero).ExtractMostSignificantBits();
                count = DenseKernels.AppendLanes(~zero & 0xF, q4, ref ix, count);
            }
        }
        for (; q4 < width; q4++)
        {
            Unsafe.Add(ref ix, count) = q4;
            count += Unsafe.Add(ref a, q4) != 0 ? 1 : 0;
        }
        for (int t = 0; t < count; t++) Unsafe.Add(ref v, t) = Unsafe.Add(ref a, Unsafe.Add(ref ix, t));
        return count;
    }

    private static int AllUnits(ReadOnlySpan<float> row, int n, int[] indices, float[] values)
    {
        for (int q = 0; q < n; q++) (indices[q], values[q]) = (q, row[q]);
        return n;
    }

    // output[0..width) = initial[0..width) + Σ_t values[t] · matrix[indices[t]·width + ·]; width is a multiple of
    // Vector<float>.Count. Each block of columns stays in registers for the whole list.
    private static void Accumulate(ReadOnlySpan<float> values, ReadOnlySpan<int> indices, int count, float[] matrix, float[] initial, int width, float[] output)
    {
        ref float v = ref MemoryMarshal.GetReference(values);
        ref int ix = ref MemoryMarshal.GetReference(indices);
        ref float m = ref MemoryMarshal.GetArrayDataReference(matrix);
        ref float i0 = ref MemoryMarshal.GetArrayDataReference(initial);
        ref float c = ref MemoryMarshal.GetArrayDataReference(output);
        int w = Vector<float>.Count, j = 0;
        for (; j <= width - 12 * w; j += 12 * w) Block12(ref v, ref ix, count, ref m, width, j, ref i0, ref c);
        for (; j <= width - 8 * w; j += 8 * w) Block8(ref v, ref ix, count, ref m, width, j, ref i0, ref c);
        for (; j <= width - 4 * w; j += 4 * w) Block4(ref v, ref ix, count, ref m, width, j, ref i0, ref c);
        for (; j <= width - 2 * w; j += 2 * w) Block2(ref v, ref ix, count, ref m, width, j, ref i0, ref c);
        for (; j < width; j += w) Block1(ref v, ref ix, count, ref m, width, j, ref i0, ref c);
    }

    // Twelve accumulators and the broadcast fit in the sixteen vector registers of AVX2.
    private static void Block12(ref float values, ref int indices, int count, ref float m, nint width, nint j, ref float initial, ref float c)
    {
        nint w = Vector<float>.Count;
        ref float dst = ref Unsafe.Add(ref c, j);
        ref float start = ref Unsafe.Add(ref initial, j);
        var c0 = Vector.LoadUnsafe(ref start);
        var c1 = Vector.LoadUnsafe(ref start, (nuint)w);
        var c2 = Vector.LoadUnsafe(ref start, (nuint)(2 * w));
        var c3 = Vector.LoadUnsafe(ref start, (nuint)(3 * w));
        var c4 = Vector.LoadUnsafe(ref start, (nuint)(4 * w));
        var c5 = Vector.LoadUnsafe(ref start, (nuint)(5 * w));
        var c6 = Vector.LoadUnsafe(ref start, (nuint)(6 * w));
        var c7 = Vector.LoadUnsafe(ref start, (nuint)(7 * w));
        var c8 = Vector.LoadUnsafe(ref start, (nuint)(8 * w));
        var c9 = Vector.LoadUnsafe(ref start, (nuint)(9 * w));
        var c10 = Vector.LoadUnsafe(ref start, (nuint)(10 * w));
        var c11 = Vector.LoadUnsafe(ref start, (nuint)(11 * w));
        ref float column = ref Unsafe.Add(ref m, j);
        for (int t = 0; t < count; t++)
        {
            var a = new Vector<float>(Unsafe.Add(ref values, t));
            ref float row = ref Unsafe.Add(ref column, Unsafe.Add(ref indices, t) * width);
            c0 = Vector.FusedMultiplyAdd(a, Vector.LoadUnsafe(ref row), c0);
            c1 = Vector.FusedMultiplyAdd(a, Vector.LoadUnsafe(ref row, (nuint)w), c1);
            c2 = Vector.FusedMultiplyAdd(a, Vector.LoadUnsafe(ref row, (nuint)(2 * w)), c2);
            c3 = Vector.FusedMultiplyAdd(a, Vector.LoadUnsafe(ref row, (nuint)(3 * w)), c3);
            c4 = Vector.FusedMultiplyAdd(a, Vector.LoadUnsafe(ref row, (nuint)(4 * w)), c4);
            c5 = Vector.FusedMultiplyAdd(a, Vector.LoadUnsafe(ref row, (nuint)(5 * w)), c5);
            c6 = Vector.FusedMultiplyAdd(a, Vector.LoadUnsafe(ref row, (nuint)(6 * w)), c6);
            c7 = Vector.FusedMultiplyAdd(a, Vector.LoadUnsafe(ref row, (nuint)(7 * w)), c7);
            c8 = Vector.FusedMultiplyAdd(a, Vector.LoadUnsafe(ref row, (nuint)(8 * w)), c8);
            c9 = Vector.FusedMultiplyAdd(a, Vector.LoadUnsafe(ref row, (nuint)(9 * w)), c9);
            c10 = Vector.FusedMultiplyAdd(a, Vector.LoadUnsafe(ref row, (nuint)(10 * w)), c10);
            c11 = Vector.FusedMultiplyAdd(a, Vector.LoadUnsafe(ref row, (nuint)(11 * w)), c11);
        }
        Vector.StoreUnsafe(c0, ref dst);
        Vector.StoreUnsafe(c1, ref dst, (nuint)w);
        Vector.StoreUnsafe(c2, ref dst, (nuint)(2 * w));
        Vector.StoreUnsafe(c3, ref dst, (nuint)(3 * w));
        Vector.StoreUnsafe(c4, ref dst, (nuint)(4 * w));
        Vector.StoreUnsafe(c5, ref dst, (nuint)(5 * w));
        Vector.StoreUnsafe(c6, ref dst, (nuint)(6 * w));
        Vector.StoreUnsafe(c7, ref dst, (nuint)(7 * w));
        Vector.StoreUnsafe(c8, ref dst, (nuint)(8 * w));
        Vector.StoreUnsafe(c9, ref dst, (nuint)(9 * w));
        Vector.StoreUnsafe(c10, ref dst, (nuint)(10 * w));
        Vector.StoreUnsafe(c11, ref dst, (nuint)(11 * w));
    }

    private static void Block8(ref float values, ref int indices, int count, ref float m, nint width, nint j, ref float initial, ref float c)
    {
        nint w = Vector<float>.Count;
        ref float dst = ref Unsafe.Add(ref c, j);
        ref float start = ref Unsafe.Add(ref initial, j);
        var c0 = Vector.LoadUnsafe(ref start);
        var c1 = Vector.LoadUnsafe(ref start, (nuint)w);
        var c2 = Vector.LoadUnsafe(ref start, (nuint)(2 * w));
        var c3 = Vector.LoadUnsafe(ref start, (nuint)(3 * w));
        var c4 = Vector.LoadUnsafe(ref start, (nuint)(4 * w));
        var c5 = Vector.LoadUnsafe(ref start, (nuint)(5 * w));
        var c6 = Vector.LoadUnsafe(ref start, (nuint)(6 * w));
        var c7 = Vector.LoadUnsafe(ref start, (nuint)(7 * w));
        ref float column = ref Unsafe.Add(ref m, j);
        for (int t = 0; t < count; t++)
        {
            var a = new Vector<float>(Unsafe.Add(ref values, t));
            ref float row = ref Unsafe.Add(ref column, Unsafe.Add(ref indices, t) * width);
            c0 = Vector.FusedMultiplyAdd(a, Vector.LoadUnsafe(ref row), c0);
            c1 = Vector.FusedMultiplyAdd(a, Vector.LoadUnsafe(ref row, (nuint)w), c1);
            c2 = Vector.FusedMultiplyAdd(a, Vector.LoadUnsafe(ref row, (nuint)(2 * w)), c2);
            c3 = Vector.FusedMultiplyAdd(a, Vector.LoadUnsafe(ref row, (nuint)(3 * w)), c3);
            c4 = Vector.FusedMultiplyAdd(a, Vector.LoadUnsafe(ref row, (nuint)(4 * w)), c4);
            c5 = Vector.FusedMultiplyAdd(a, Vector.LoadUnsafe(ref row, (nuint)(5 * w)), c5);
            c6 = Vector.FusedMultiplyAdd(a, Vector.LoadUnsafe(ref row, (nuint)(6 * w)), c6);
            c7 = Vector.FusedMultiplyAdd(a, Vector.LoadUnsafe(ref row, (nuint)(7 * w)), c7);
        }
        Vector.StoreUnsafe(c0, ref dst);
        Vector.StoreUnsafe(c1, ref dst, (nuint)w);
        Vector.StoreUnsafe(c2, ref dst, (nuint)(2 * w));
        Vector.StoreUnsafe(c3, ref dst, (nuint)(3 * w));
        Vector.StoreUnsafe(c4, ref dst, (nuint)(4 * w));
        Vector.StoreUnsafe(c5, ref dst, (nuint)(5 * w));
        Vector.StoreUnsafe(c6, ref dst, (nuint)(6 * w));
        Vector.StoreUnsafe(c7, ref dst, (nuint)(7 * w));
    }

    // The narrow blocks run two chains per vector (even and odd terms), so the fused multiply-add latency is hidden.
    private static void Block4(ref float values, ref int indices, int count, ref float m, nint width, nint j, ref float initial, ref float c)
    {
        nint w = Vector<float>.Count;
        ref float dst = ref Unsafe.Add(ref c, j);
        ref float start = ref Unsafe.Add(ref initial, j);
        var c0 = Vector.LoadUnsafe(ref start);
        var c1 = Vector.LoadUnsafe(ref start, (nuint)w);
        var c2 = Vector.LoadUnsafe(ref start, (nuint)(2 * w));
        var c3 = Vector.LoadUnsafe(ref start, (nuint)(3 * w));
        Vector<float> d0 = default, d1 = default, d2 = default, d3 = default;
        ref float column = ref Unsafe.Add(ref m, j);
        int t = 0;
        for (; t <= count - 2; t += 2)
        {
            var a = new Vector<float>(Unsafe.Add(ref values, t));
            ref float row = ref Unsafe.Add(ref column, Unsafe.Add(ref indices, t) * width);
            c0 = Vector.FusedMultiplyAdd(a, Vector.LoadUnsafe(ref row), c0);
            c1 = Vector.FusedMultiplyAdd(a, Vector.LoadUnsafe(ref row, (nuint)w), c1);
            c2 = Vector.FusedMultiplyAdd(a, Vector.LoadUnsafe(ref row, (nuint)(2 * w)), c2);
            c3 = Vector.FusedMultiplyAdd(a, Vector.LoadUnsafe(ref row, (nuint)(3 * w)), c3);
            var b = new Vector<float>(Unsafe.Add(ref values, t + 1));
            ref float next = ref Unsafe.Add(ref column, Unsafe.Add(ref indices, t + 1) * width);
            d0 = Vector.FusedMultiplyAdd(b, Vector.LoadUnsafe(ref next), d0);
            d1 = Vector.FusedMultiplyAdd(b, Vector.LoadUnsafe(ref next, (nuint)w), d1);
            d2 = Vector.FusedMultiplyAdd(b, Vector.LoadUnsafe(ref next, (nuint)(2 * w)), d2);
            d3 = Vector.FusedMultiplyAdd(b, Vector.LoadUnsafe(ref next, (nuint)(3 * w)), d3);
        }
        if (t < count)
        {
            var a = new Vector<float>(Unsafe.Add(ref values, t));
            ref float row = ref Unsafe.Add(ref column, Unsafe.Add(ref indices, t) * width);
            c0 = Vector.FusedMultiplyAdd(a, Vector.LoadUnsafe(ref row), c0);
            c1 = Vector.FusedMultiplyAdd(a, Vector.LoadUnsafe(ref row, (nuint)w), c1);
            c2 = Vector.FusedMultiplyAdd(a, Vector.LoadUnsafe(ref row, (nuint)(2 * w)), c2);
            c3 = Vector.FusedMultiplyAdd(a, Vector.LoadUnsafe(ref row, (nuint)(3 * w)), c3);
        }
        Vector.StoreUnsafe(c0 + d0, ref dst);
        Vector.StoreUnsafe(c1 + d1, ref dst, (nuint)w);
        Vector.StoreUnsafe(c2 + d2, ref dst, (nuint)(2 * w));
        Vector.StoreUnsafe(c3 + d3, ref dst, (nuint)(3 * w));
    }

    private static void Block2(ref float values, ref int indices, int count, ref float m, nint width, nint j, ref float initial, ref float c)
    {
        nint w = Vector<float>.Count;
        ref float dst = ref Unsafe.Add(ref c, j);
        ref float start = ref Unsafe.Add(ref initial, j);
        var c0 = Vector.LoadUnsafe(ref start);
        var c1 = Vector.LoadUnsafe(ref start, (nuint)w);
        Vector<float> d0 = default, d1 = default;
        ref float column = ref Unsafe.Add(ref m, j);
        int t = 0;
        for (; t <= count - 2; t += 2)
        {
            var a = new Vector<float>(Unsafe.Add(ref values, t));
            ref float row = ref Unsafe.Add(ref column, Unsafe.Add(ref indices, t) * width);
            c0 = Vector.FusedMultiplyAdd(a, Vector.LoadUnsafe(ref row), c0);
            c1 = Vector.FusedMultiplyAdd(a, Vector.LoadUnsafe(ref row, (nuint)w), c1);
            var b = new Vector<float>(Unsafe.Add(ref values, t + 1));
            ref float next = ref Unsafe.Add(ref column, Unsafe.Add(ref indices, t + 1) * width);
            d0 = Vector.FusedMultiplyAdd(b, Vector.LoadUnsafe(ref next), d0);
            d1 = Vector.FusedMultiplyAdd(b, Vector.LoadUnsafe(ref next, (nuint)w), d1);
        }
        if (t < count)
        {
            var a = new Vector<float>(Unsafe.Add(ref values, t));
            ref float row = ref Unsafe.Add(ref column, Unsafe.Add(ref indices, t) * width);
            c0 = Vector.FusedMultiplyAdd(a, Vector.LoadUnsafe(ref row), c0);
            c1 = Vector.FusedMultiplyAdd(a, Vector.LoadUnsafe(ref row, (nuint)w), c1);
        }
        Vector.StoreUnsafe(c0 + d0, ref dst);
        Vector.StoreUnsafe(c1 + d1, ref dst, (nuint)w);
    }

    private static void Block1(ref float values, ref int indices, int count, ref float m, nint width, nint j, ref float initial, ref float c)
    {
        ref float dst = ref Unsafe.Add(ref c, j);
        ref float start = ref Unsafe.Add(ref initial, j);
        var c0 = Vector.LoadUnsafe(ref start);
        Vector<float> c1 = default, c2 = default, c3 = default;
        ref float column = ref Unsafe.Add(ref m, j);
        int t = 0;
        for (; t <= count - 4; t += 4)
        {
            c0 = Vector.FusedMultiplyAdd(new Vector<float>(Unsafe.Add(ref values, t)), Vector.LoadUnsafe(ref Unsafe.Add(ref column, Unsafe.Add(ref indices, t) * width)), c0);
            c1 = Vector.FusedMultiplyAdd(new Vector<float>(Unsafe.Add(ref values, t + 1)), Vector.LoadUnsafe(ref Unsafe.Add(ref column, Unsafe.Add(ref indices, t + 1) * width)), c1);
            c2 = Vector.FusedMultiplyAdd(new Vector<float>(Unsafe.Add(ref values, t + 2)), Vector.LoadUnsafe(ref Unsafe.Add(ref column, Unsafe.Add(ref indices, t + 2) * width)), c2);
            c3 = Vector.FusedMultiplyAdd(new Vector<float>(Unsafe.Add(ref values, t + 3)), Vector.LoadUnsafe(ref Unsafe.Add(ref column, Unsafe.Add(ref indices, t + 3) * width)), c3);
        }
        for (; t < count; t++)
            c0 = Vector.FusedMultiplyAdd(new Vector<float>(Unsafe.Add(ref values, t)), Vector.LoadUnsafe(ref Unsafe.Add(ref column, Unsafe.Add(ref indices, t) * width)), c0);
        Vector.StoreUnsafe((c0 + c1) + (c2 + c3), ref dst);
    }
}
