using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Microsoft.ML.Recourse.Models;

/// <summary>
/// A float32 copy of a <see cref="ScorerModelParameters"/> network for the one-step generator's
/// <see cref="KernelPrecision.Single"/> kernels: g(x), ∇ₓg(x) and g(x + δ) with <see cref="Vector{T}"/> of
/// <see cref="float"/> (twice the lanes of <see cref="double"/>). Rows arrive and results leave in double; the
/// features are rounded to float at the input, the logit is summed in float and σ(logit) is taken in double. Every
/// product runs over the non-zero entries of its input only (the ReLU units that fired, and the input features that
/// are not 0), and the backward pass only through the active units, with transposed copies of the weights so that
/// both directions stream contiguous rows. Widths are padded with zero weights to whole vectors. Immutable and
/// thread-safe; each thread brings its own <see cref="Workspace"/>.
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

    public SinglePrecisionNetwork(ScorerModelParameters model)
    {
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
    }

    public int FeatureCount => _featureCount;

    /// <summary>g for each row (rows × d, row-major) into <paramref name="scores"/>.</summary>
    public void ScoreBatch(ReadOnlySpan<double> rows, Span<double> scores, Workspace workspace)
    {
        for (int r = 0; r < scores.Length; r++)
            scores[r] = Sigmoid(Forward(rows.Slice(r * _featureCount, _featureCount), workspace));
    }

    /// <summary>g and ∇ₓg for each row (rows × d, row-major).</summary>
    public void ScoreAndInputGradientBatch(ReadOnlySpan<double> rows, Span<double> scores, Span<double> inputGradients, Workspace workspace)
    {
        int d = _featureCount;
        for (int r = 0; r < scores.Length; r++)
        {
            double g = Sigmoid(Forward(rows.Slice(r * d, d), workspace));
            scores[r] = g;
            Backward((float)(g * (1 - g)), workspace, inputGradients.Slice(r * d, d));
        }
    }

    private static double Sigmoid(float logit) => ScorerModelParameters.Sigmoid(logit);

    // The logit of one row; keeps each layer's activations and the indices of its non-zero entries in the workspace.
    private float Forward(ReadOnlySpan<double> x, Workspace ws)
    {
        var input = ws.Input;
        for (int j = 0; j < _featureCount; j++) input[j] = (float)x[j];
        ws.InputCount = CollectNonzero(input, _featureCount, ws.InputIndices, ws.InputValues);
        ReadOnlySpan<float> values = ws.InputValues;
        ReadOnlySpan<int> indices = ws.InputIndices;
        int count = ws.InputCount;
        for (int l = 0; l < _hiddenLayers; l++)
        {
            int width = _widths[l];
            var act = ws.Activations[l].AsSpan(0, width);
            _biases[l].CopyTo(act);
            Accumulate(values, indices, count, _weights[l], width, act);
            if (_relu)
            {
                TensorPrimitives.Max(act, 0f, act);
                count = CollectNonzero(act, width, ws.Indices[l], ws.Values[l]);
            }
            else
            {
                TensorPrimitives.Tanh(act, act);
                count = AllUnits(act, _units[l], ws.Indices[l], ws.Values[l]);
            }
            ws.Counts[l] = count;
            values = ws.Values[l];
            indices = ws.Indices[l];
        }
        var last = _hiddenLayers == 0 ? input.AsSpan(0, _inputWidth) : ws.Activations[_hiddenLayers - 1].AsSpan(0, _widths[^1]);
        return TensorPrimitives.Dot(last, _outputWeights) + _outputBias;
    }

    // ∂g/∂x = s · ∂logit/∂x with s = g(1 − g), after Forward on the same row.
    private void Backward(float s, Workspace ws, Span<double> gradient)
    {
        if (_hiddenLayers == 0)
        {
            for (int j = 0; j < _featureCount; j++) gradient[j] = s * _outputWeights[j];
            return;
        }
        // delta: ∂logit/∂(pre-activation) of layer l over its listed (active) units, packed in list order.
        var delta = ws.Delta;
        int top = _hiddenLayers - 1;
        {
            var idx = ws.Indices[top];
            var a = ws.Values[top];
            for (int t = 0; t < ws.Counts[top]; t++)
                delta[t] = s * _outputWeights[idx[t]] * Derivative(a[t]);
        }
        for (int l = top; l >= 0; l--)
        {
            int below = l == 0 ? _inputWidth : _widths[l - 1];
            var sum = ws.Below.AsSpan(0, below);
            sum.Clear();
            Accumulate(delta, ws.Indices[l], ws.Counts[l], _transposed[l], below, sum);
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

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private float Derivative(float activation) => _relu ? 1f : 1f - activation * activation;

    /// <summary>Per-thread buffers for one row at a time.</summary>
    public sealed class Workspace
    {
        public Workspace(SinglePrecisionNetwork network)
        {
            int widest = Math.Max(network._inputWidth, network._widths.Length == 0 ? 0 : network._widths.Max());
            Input = new float[network._inputWidth];
            InputValues = new float[network._inputWidth];
            InputIndices = new int[network._inputWidth + IndexSlack];
            Activations = network._widths.Select(w => new float[w]).ToArray();
            Values = network._widths.Select(w => new float[w]).ToArray();
            Indices = network._widths.Select(w => new int[w + IndexSlack]).ToArray();
            Counts = new int[network._widths.Length];
            Delta = new float[widest];
            Below = new float[widest];
        }

        public float[] Input { get; }

        public float[] InputValues { get; }

        public int[] InputIndices { get; }

        public int InputCount { get; set; }

        public float[][] Activations { get; }

        public float[][] Values { get; }

        public int[][] Indices { get; }

        public int[] Counts { get; }

        public float[] Delta { get; }

        public float[] Below { get; }
    }

    private const int IndexSlack = 8;

    private static int Pad(int width)
    {
        int w = Vector<float>.Count;
        return (width + w - 1) / w * w;
    }

    // Indices of the non-zero entries of the first n of row and their values, packed; returns how many. Branch-free:
    // which ReLU units fire is unpredictable. Each group of four writes its indices from a table.
    private static int CollectNonzero(ReadOnlySpan<float> row, int n, int[] indices, float[] values)
    {
        int count = 0, q = 0;
        ref int dst = ref MemoryMarshal.GetArrayDataReference(indices);
        if (Vector128.IsHardwareAccelerated)
        {
            ref float src = ref MemoryMarshal.GetReference(row);
            ref int table = ref MemoryMarshal.GetReference(NonzeroLanes);
            for (; q <= n - 4; q += 4)
            {
                uint nonzero = ~Vector128.Equals(Vector128.LoadUnsafe(ref src, (nuint)q), Vector128<float>.Zero).ExtractMostSignificantBits() & 0xF;
                (Vector128.LoadUnsafe(ref table, nonzero * 4) + Vector128.Create(q)).StoreUnsafe(ref dst, (nuint)count);
                count += BitOperations.PopCount(nonzero);
            }
        }
        for (; q < n; q++)
        {
            Unsafe.Add(ref dst, count) = q;
            count += row[q] != 0 ? 1 : 0;
        }
        for (int t = 0; t < count; t++) values[t] = row[indices[t]];
        return count;
    }

    // For each 4-bit mask, the positions of its set bits, padded with zeros.
    private static ReadOnlySpan<int> NonzeroLanes =>
    [
        0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0,
        2, 0, 0, 0, 0, 2, 0, 0, 1, 2, 0, 0, 0, 1, 2, 0,
        3, 0, 0, 0, 0, 3, 0, 0, 1, 3, 0, 0, 0, 1, 3, 0,
        2, 3, 0, 0, 0, 2, 3, 0, 1, 2, 3, 0, 0, 1, 2, 3,
    ];

    private static int AllUnits(ReadOnlySpan<float> row, int n, int[] indices, float[] values)
    {
        for (int q = 0; q < n; q++) (indices[q], values[q]) = (q, row[q]);
        return n;
    }

    // acc[0..width) += Σ_t values[t] · matrix[indices[t]·width + ·]; width is a multiple of Vector<float>.Count.
    private static void Accumulate(ReadOnlySpan<float> values, ReadOnlySpan<int> indices, int count, float[] matrix, int width, Span<float> acc)
    {
        ref float v = ref MemoryMarshal.GetReference(values);
        ref int ix = ref MemoryMarshal.GetReference(indices);
        ref float m = ref MemoryMarshal.GetArrayDataReference(matrix);
        ref float c = ref MemoryMarshal.GetReference(acc);
        int w = Vector<float>.Count, j = 0;
        for (; j <= width - 8 * w; j += 8 * w) Block8(ref v, ref ix, count, ref m, width, j, ref c);
        for (; j <= width - 4 * w; j += 4 * w) Block4(ref v, ref ix, count, ref m, width, j, ref c);
        for (; j <= width - 2 * w; j += 2 * w) Block2(ref v, ref ix, count, ref m, width, j, ref c);
        for (; j < width; j += w) Block1(ref v, ref ix, count, ref m, width, j, ref c);
    }

    private static void Block8(ref float values, ref int indices, int count, ref float m, nint width, nint j, ref float c)
    {
        nint w = Vector<float>.Count;
        ref float dst = ref Unsafe.Add(ref c, j);
        var c0 = Vector.LoadUnsafe(ref dst);
        var c1 = Vector.LoadUnsafe(ref dst, (nuint)w);
        var c2 = Vector.LoadUnsafe(ref dst, (nuint)(2 * w));
        var c3 = Vector.LoadUnsafe(ref dst, (nuint)(3 * w));
        var c4 = Vector.LoadUnsafe(ref dst, (nuint)(4 * w));
        var c5 = Vector.LoadUnsafe(ref dst, (nuint)(5 * w));
        var c6 = Vector.LoadUnsafe(ref dst, (nuint)(6 * w));
        var c7 = Vector.LoadUnsafe(ref dst, (nuint)(7 * w));
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
    private static void Block4(ref float values, ref int indices, int count, ref float m, nint width, nint j, ref float c)
    {
        nint w = Vector<float>.Count;
        ref float dst = ref Unsafe.Add(ref c, j);
        var c0 = Vector.LoadUnsafe(ref dst);
        var c1 = Vector.LoadUnsafe(ref dst, (nuint)w);
        var c2 = Vector.LoadUnsafe(ref dst, (nuint)(2 * w));
        var c3 = Vector.LoadUnsafe(ref dst, (nuint)(3 * w));
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

    private static void Block2(ref float values, ref int indices, int count, ref float m, nint width, nint j, ref float c)
    {
        nint w = Vector<float>.Count;
        ref float dst = ref Unsafe.Add(ref c, j);
        var c0 = Vector.LoadUnsafe(ref dst);
        var c1 = Vector.LoadUnsafe(ref dst, (nuint)w);
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

    private static void Block1(ref float values, ref int indices, int count, ref float m, nint width, nint j, ref float c)
    {
        ref float dst = ref Unsafe.Add(ref c, j);
        var c0 = Vector.LoadUnsafe(ref dst);
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
