using System.Diagnostics;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Microsoft.ML.Recourse.Models;

/// <summary>
/// The two matrix products behind every forward and backward pass, register-blocked over SIMD vectors
/// (<see cref="Vector{T}"/> with fused multiply-add). All matrices are row-major <see cref="double"/> spans.
/// Every output element is summed in the same order whatever the row count, so one row scored alone gives
/// bit-identical results to the same row inside a batch.
/// </summary>
internal static class DenseKernels
{
    /// <summary>
    /// C[p·n + j] (+)= Σ_q L[p·strideP + q·strideQ] · R[q·n + j] for p &lt; pCount, q &lt; qCount, j &lt; n.
    /// With strides (K, 1) this is C = A·B; with strides (1, K) it is C = Aᵀ·B (the weight gradient).
    /// </summary>
    public static void MultiplyStrided(
        ReadOnlySpan<double> left, int strideP, int strideQ, int pCount, int qCount,
        ReadOnlySpan<double> right, int n, Span<double> result, bool accumulate)
    {
        Debug.Assert(pCount == 0 || qCount == 0 || left.Length > (pCount - 1) * strideP + (qCount - 1) * strideQ);
        Debug.Assert(right.Length >= qCount * n && result.Length >= pCount * n);
        if (pCount == 0 || n == 0) return;
        ref double l = ref MemoryMarshal.GetReference(left);
        ref double r = ref MemoryMarshal.GetReference(right);
        ref double c = ref MemoryMarshal.GetReference(result);
        int w = Vector<double>.Count;
        int j = 0;
        for (; j <= n - 3 * w; j += 3 * w)
        {
            int p = 0;
            for (; p <= pCount - 4; p += 4) Block4x3(ref l, strideP, strideQ, p, qCount, ref r, n, j, ref c, accumulate);
            for (; p < pCount; p++) Block1x3(ref l, strideP, strideQ, p, qCount, ref r, n, j, ref c, accumulate);
        }
        for (; j <= n - w; j += w)
        {
            int p = 0;
            for (; p <= pCount - 4; p += 4) Block4x1(ref l, strideP, strideQ, p, qCount, ref r, n, j, ref c, accumulate);
            for (; p < pCount; p++) Block1x1(ref l, strideP, strideQ, p, qCount, ref r, n, j, ref c, accumulate);
        }
        for (; j < n; j++)
        {
            for (int p = 0; p < pCount; p++)
            {
                double sum = 0;
                nint lp = (nint)p * strideP;
                for (int q = 0; q < qCount; q++)
                    sum = Math.FusedMultiplyAdd(Unsafe.Add(ref l, lp + (nint)q * strideQ), Unsafe.Add(ref r, (nint)q * n + j), sum);
                ref double dst = ref Unsafe.Add(ref c, (nint)p * n + j);
                dst = accumulate ? dst + sum : sum;
            }
        }
    }

    /// <summary>C[m·kCount + k] = Σ_j A[m·n + j] · B[k·n + j]: dot products of the rows of A with the rows of B (C = A·Bᵀ).</summary>
    public static void MultiplyTransposed(ReadOnlySpan<double> a, int mCount, ReadOnlySpan<double> b, int kCount, int n, Span<double> result)
    {
        Debug.Assert(a.Length >= mCount * n && b.Length >= kCount * n && result.Length >= mCount * kCount);
        ref double ra = ref MemoryMarshal.GetReference(a);
        ref double rb = ref MemoryMarshal.GetReference(b);
        ref double rc = ref MemoryMarshal.GetReference(result);
        int m = 0;
        for (; m <= mCount - 4; m += 4)
        {
            int k = 0;
            for (; k <= kCount - 2; k += 2) Dot4x2(ref ra, m, ref rb, k, n, ref rc, kCount);
            for (; k < kCount; k++) Dot4x1(ref ra, m, ref rb, k, n, ref rc, kCount);
        }
        for (; m < mCount; m++)
        {
            for (int k = 0; k < kCount; k++)
                Unsafe.Add(ref rc, (nint)m * kCount + k) = Dot(ref Unsafe.Add(ref ra, (nint)m * n), ref Unsafe.Add(ref rb, (nint)k * n), n);
        }
    }

    /// <summary>
    /// C[p·n + j] += Σ_q A[p·qCount + q] · B[q·n + j] over the non-zero entries of A only: <see cref="MultiplyStrided"/>
    /// with strides (qCount, 1), accumulating, for a left matrix that is mostly zeros, as ReLU outputs are. With finite B
    /// every element equals MultiplyStrided's bit for bit: both run the same chain of fused multiply-adds in q order
    /// from +0, and a skipped term adds ±0, which leaves a chain from +0 unchanged. <paramref name="scratch"/> holds at
    /// least <see cref="SparseScratchLength"/>(pCount, qCount) integers.
    /// </summary>
    public static void MultiplyAddSkippingZeros(ReadOnlySpan<double> left, int pCount, int qCount, ReadOnlySpan<double> right, int n,
        Span<double> result, Span<int> scratch, Span<double> values)
    {
        Debug.Assert(left.Length >= pCount * qCount && right.Length >= qCount * n && result.Length >= pCount * n);
        Debug.Assert(scratch.Length >= SparseScratchLength(pCount, qCount) && values.Length >= pCount * qCount);
        if (pCount == 0 || n == 0) return;
        int stride = qCount + IndexSlack;
        var counts = scratch[..pCount];
        for (int p = 0; p < pCount; p++)
        {
            var row = left.Slice(p * qCount, qCount);
            var indices = scratch.Slice(pCount + p * stride, stride);
            int count = CollectNonzero(row, indices);
            var packed = values.Slice(p * qCount, qCount);
            for (int t = 0; t < count; t++) packed[t] = row[indices[t]];
            counts[p] = count;
        }
        ref double v = ref MemoryMarshal.GetReference(values);
        ref double r = ref MemoryMarshal.GetReference(right);
        ref double c = ref MemoryMarshal.GetReference(result);
        ref int ix = ref MemoryMarshal.GetReference(scratch.Slice(pCount));
        int w = Vector<double>.Count;
        int j = 0;
        // Output columns outermost, so a slice of B stays in cache across the rows; eight chains per row hide the
        // latency of the fused multiply-add.
        for (; j <= n - 8 * w; j += 8 * w)
            for (int p = 0; p < pCount; p++)
                SparseRow8(ref Unsafe.Add(ref v, (nint)p * qCount), ref Unsafe.Add(ref ix, (nint)p * stride), counts[p], ref r, n, j, ref Unsafe.Add(ref c, (nint)p * n));
        for (; j <= n - w; j += w)
            for (int p = 0; p < pCount; p++)
                SparseRow1(ref Unsafe.Add(ref v, (nint)p * qCount), ref Unsafe.Add(ref ix, (nint)p * stride), counts[p], ref r, n, j, ref Unsafe.Add(ref c, (nint)p * n));
        for (; j < n; j++)
        {
            // Scalar chains are latency-bound (the output layer has n = 1): four rows' chains run interleaved.
            int p = 0;
            for (; p <= pCount - 4; p += 4)
            {
                int common = Math.Min(Math.Min(counts[p], counts[p + 1]), Math.Min(counts[p + 2], counts[p + 3]));
                ref double v0 = ref Unsafe.Add(ref v, (nint)p * qCount);
                ref int i0 = ref Unsafe.Add(ref ix, (nint)p * stride);
                double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
                for (int t = 0; t < common; t++)
                {
                    s0 = Math.FusedMultiplyAdd(Unsafe.Add(ref v0, t), Unsafe.Add(ref r, (nint)Unsafe.Add(ref i0, t) * n + j), s0);
                    s1 = Math.FusedMultiplyAdd(Unsafe.Add(ref v0, qCount + t), Unsafe.Add(ref r, (nint)Unsafe.Add(ref i0, stride + t) * n + j), s1);
                    s2 = Math.FusedMultiplyAdd(Unsafe.Add(ref v0, 2 * qCount + t), Unsafe.Add(ref r, (nint)Unsafe.Add(ref i0, 2 * stride + t) * n + j), s2);
                    s3 = Math.FusedMultiplyAdd(Unsafe.Add(ref v0, 3 * qCount + t), Unsafe.Add(ref r, (nint)Unsafe.Add(ref i0, 3 * stride + t) * n + j), s3);
                }
                Unsafe.Add(ref c, (nint)p * n + j) += SparseDotFrom(ref v, ref ix, qCount, stride, p, common, counts[p], ref r, n, j, s0);
                Unsafe.Add(ref c, (nint)(p + 1) * n + j) += SparseDotFrom(ref v, ref ix, qCount, stride, p + 1, common, counts[p + 1], ref r, n, j, s1);
                Unsafe.Add(ref c, (nint)(p + 2) * n + j) += SparseDotFrom(ref v, ref ix, qCount, stride, p + 2, common, counts[p + 2], ref r, n, j, s2);
                Unsafe.Add(ref c, (nint)(p + 3) * n + j) += SparseDotFrom(ref v, ref ix, qCount, stride, p + 3, common, counts[p + 3], ref r, n, j, s3);
            }
            for (; p < pCount; p++)
                Unsafe.Add(ref c, (nint)p * n + j) += SparseDotFrom(ref v, ref ix, qCount, stride, p, 0, counts[p], ref r, n, j, 0);
        }
    }

    // Continues row p's chain of column j from term t = start with the partial sum so far.
    private static double SparseDotFrom(ref double values, ref int indices, int qCount, int stride, int p, int start, int count, ref double r, int n, int j, double sum)
    {
        ref double vp = ref Unsafe.Add(ref values, (nint)p * qCount);
        ref int ip = ref Unsafe.Add(ref indices, (nint)p * stride);
        for (int t = start; t < count; t++)
            sum = Math.FusedMultiplyAdd(Unsafe.Add(ref vp, t), Unsafe.Add(ref r, (nint)Unsafe.Add(ref ip, t) * n + j), sum);
        return sum;
    }

    /// <summary>The scratch integers <see cref="MultiplyAddSkippingZeros"/> and <see cref="MultiplyTransposedWherePositive"/> need.</summary>
    public static int SparseScratchLength(int rows, int width) => rows * (width + IndexSlack + 1);

    /// <summary>
    /// C[m·kCount + k] = Σ_j A[m·n + j] · B[k·n + j] where G[m·kCount + k] &gt; 0, and +0 elsewhere: <see cref="MultiplyTransposed"/>
    /// followed by the ReLU derivative's mask (G holds the layer's activations), computing only the dot products the mask
    /// keeps. Each kept element equals MultiplyTransposed's bit for bit (the same dot product). <paramref name="scratch"/>
    /// holds at least <see cref="SparseScratchLength"/>(1, kCount) integers.
    /// </summary>
    public static void MultiplyTransposedWherePositive(ReadOnlySpan<double> a, int mCount, ReadOnlySpan<double> b, int kCount, int n,
        ReadOnlySpan<double> gate, Span<double> result, Span<int> scratch)
    {
        Debug.Assert(a.Length >= mCount * n && b.Length >= kCount * n && gate.Length >= mCount * kCount && result.Length >= mCount * kCount);
        Debug.Assert(scratch.Length >= SparseScratchLength(1, kCount));
        ref double ra = ref MemoryMarshal.GetReference(a);
        ref double rb = ref MemoryMarshal.GetReference(b);
        ref int kept = ref MemoryMarshal.GetReference(scratch);
        Span<double> dots = stackalloc double[8];
        for (int m = 0; m < mCount; m++)
        {
            var g = gate.Slice(m * kCount, kCount);
            var c = result.Slice(m * kCount, kCount);
            int count = 0;
            for (int k = 0; k < kCount; k++)
            {
                Unsafe.Add(ref kept, count) = k;
                count += g[k] > 0 ? 1 : 0;
            }
            c.Clear();
            ref double am = ref Unsafe.Add(ref ra, (nint)m * n);
            for (int t = 0; t < count; t += 8)
            {
                // A short last group repeats its first row of B; the repeats are computed and dropped.
                int size = Math.Min(8, count - t);
                for (int u = size; u < 8; u++) Unsafe.Add(ref kept, t + u) = Unsafe.Add(ref kept, t);
                Dot1x8(ref am, ref rb, ref Unsafe.Add(ref kept, t), n, dots);
                for (int u = 0; u < size; u++) c[Unsafe.Add(ref kept, t + u)] = dots[u];
            }
        }
    }

    // Slack after an index list: CollectNonzero writes groups of four, MultiplyTransposedWherePositive pads to eight.
    private const int IndexSlack = 8;

    // Writes the indices of the non-zero (or NaN) entries of row into indices, in order; returns how many there are.
    private static int CollectNonzero(ReadOnlySpan<double> row, Span<int> indices)
    {
        Debug.Assert(indices.Length >= row.Length + IndexSlack);
        int count = 0, q = 0;
        ref int dst = ref MemoryMarshal.GetReference(indices);
        if (Vector256.IsHardwareAccelerated)
        {
            // Branch-free: which entries are zero is unpredictable. Each group of four writes its indices from a table.
            ref double src = ref MemoryMarshal.GetReference(row);
            for (; q <= row.Length - 4; q += 4)
            {
                uint zero = Vector256.Equals(Vector256.LoadUnsafe(ref src, (nuint)q), Vector256<double>.Zero).ExtractMostSignificantBits();
                count = AppendLanes(~zero & 0xF, q, ref dst, count);
            }
        }
        for (; q < row.Length; q++)
        {
            Unsafe.Add(ref dst, count) = q;
            count += row[q] != 0 ? 1 : 0;
        }
        return count;
    }

    /// <summary>
    /// Appends at indices[count..] offset + the positions of the set bits of a 4-bit mask, in order, and returns the new
    /// count; writes four entries whatever the mask (the list needs slack after it).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static int AppendLanes(uint mask, int offset, ref int indices, int count)
    {
        (Vector128.LoadUnsafe(ref MemoryMarshal.GetReference(NonzeroLanes), mask * 4) + Vector128.Create(offset)).StoreUnsafe(ref indices, (nuint)count);
        return count + BitOperations.PopCount(mask);
    }

    // For each 4-bit mask, the positions of its set bits, padded with zeros.
    private static ReadOnlySpan<int> NonzeroLanes =>
    [
        0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0,
        2, 0, 0, 0, 0, 2, 0, 0, 1, 2, 0, 0, 0, 1, 2, 0,
        3, 0, 0, 0, 0, 3, 0, 0, 1, 3, 0, 0, 0, 1, 3, 0,
        2, 3, 0, 0, 0, 2, 3, 0, 1, 2, 3, 0, 0, 1, 2, 3,
    ];

    private static void SparseRow8(ref double values, ref int nonzero, int count, ref double r, nint n, nint j, ref double c)
    {
        nint w = Vector<double>.Count;
        Vector<double> c0 = default, c1 = default, c2 = default, c3 = default, c4 = default, c5 = default, c6 = default, c7 = default;
        ref double rColumn = ref Unsafe.Add(ref r, j);
        for (int t = 0; t < count; t++)
        {
            nint q = Unsafe.Add(ref nonzero, t);
            var a = new Vector<double>(Unsafe.Add(ref values, t));
            ref double rRow = ref Unsafe.Add(ref rColumn, q * n);
            c0 = Vector.FusedMultiplyAdd(a, Vector.LoadUnsafe(ref rRow), c0);
            c1 = Vector.FusedMultiplyAdd(a, Vector.LoadUnsafe(ref rRow, (nuint)w), c1);
            c2 = Vector.FusedMultiplyAdd(a, Vector.LoadUnsafe(ref rRow, (nuint)(2 * w)), c2);
            c3 = Vector.FusedMultiplyAdd(a, Vector.LoadUnsafe(ref rRow, (nuint)(3 * w)), c3);
            c4 = Vector.FusedMultiplyAdd(a, Vector.LoadUnsafe(ref rRow, (nuint)(4 * w)), c4);
            c5 = Vector.FusedMultiplyAdd(a, Vector.LoadUnsafe(ref rRow, (nuint)(5 * w)), c5);
            c6 = Vector.FusedMultiplyAdd(a, Vector.LoadUnsafe(ref rRow, (nuint)(6 * w)), c6);
            c7 = Vector.FusedMultiplyAdd(a, Vector.LoadUnsafe(ref rRow, (nuint)(7 * w)), c7);
        }
        ref double dst = ref Unsafe.Add(ref c, j);
        Store1(ref dst, c0, accumulate: true);
        Store1(ref Unsafe.Add(ref dst, w), c1, accumulate: true);
        Store1(ref Unsafe.Add(ref dst, 2 * w), c2, accumulate: true);
        Store1(ref Unsafe.Add(ref dst, 3 * w), c3, accumulate: true);
        Store1(ref Unsafe.Add(ref dst, 4 * w), c4, accumulate: true);
        Store1(ref Unsafe.Add(ref dst, 5 * w), c5, accumulate: true);
        Store1(ref Unsafe.Add(ref dst, 6 * w), c6, accumulate: true);
        Store1(ref Unsafe.Add(ref dst, 7 * w), c7, accumulate: true);
    }

    private static void SparseRow1(ref double values, ref int nonzero, int count, ref double r, nint n, nint j, ref double c)
    {
        Vector<double> acc = default;
        ref double rColumn = ref Unsafe.Add(ref r, j);
        for (int t = 0; t < count; t++)
        {
            nint q = Unsafe.Add(ref nonzero, t);
            acc = Vector.FusedMultiplyAdd(new Vector<double>(Unsafe.Add(ref values, t)), Vector.LoadUnsafe(ref Unsafe.Add(ref rColumn, q * n)), acc);
        }
        Store1(ref Unsafe.Add(ref c, j), acc, accumulate: true);
    }

    // Eight dot products of one row of A with rows k₀…k₇ of B, each summed exactly as Dot sums it.
    private static void Dot1x8(ref double a, ref double b, ref int rows, int n, Span<double> result)
    {
        int w = Vector<double>.Count;
        ref double b0 = ref Unsafe.Add(ref b, (nint)rows * n);
        ref double b1 = ref Unsafe.Add(ref b, (nint)Unsafe.Add(ref rows, 1) * n);
        ref double b2 = ref Unsafe.Add(ref b, (nint)Unsafe.Add(ref rows, 2) * n);
        ref double b3 = ref Unsafe.Add(ref b, (nint)Unsafe.Add(ref rows, 3) * n);
        ref double b4 = ref Unsafe.Add(ref b, (nint)Unsafe.Add(ref rows, 4) * n);
        ref double b5 = ref Unsafe.Add(ref b, (nint)Unsafe.Add(ref rows, 5) * n);
        ref double b6 = ref Unsafe.Add(ref b, (nint)Unsafe.Add(ref rows, 6) * n);
        ref double b7 = ref Unsafe.Add(ref b, (nint)Unsafe.Add(ref rows, 7) * n);
        Vector<double> s0 = default, s1 = default, s2 = default, s3 = default, s4 = default, s5 = default, s6 = default, s7 = default;
        int j = 0;
        for (; j <= n - w; j += w)
        {
            var x = Vector.LoadUnsafe(ref a, (nuint)j);
            s0 = Vector.FusedMultiplyAdd(x, Vector.LoadUnsafe(ref b0, (nuint)j), s0);
            s1 = Vector.FusedMultiplyAdd(x, Vector.LoadUnsafe(ref b1, (nuint)j), s1);
            s2 = Vector.FusedMultiplyAdd(x, Vector.LoadUnsafe(ref b2, (nuint)j), s2);
            s3 = Vector.FusedMultiplyAdd(x, Vector.LoadUnsafe(ref b3, (nuint)j), s3);
            s4 = Vector.FusedMultiplyAdd(x, Vector.LoadUnsafe(ref b4, (nuint)j), s4);
            s5 = Vector.FusedMultiplyAdd(x, Vector.LoadUnsafe(ref b5, (nuint)j), s5);
            s6 = Vector.FusedMultiplyAdd(x, Vector.LoadUnsafe(ref b6, (nuint)j), s6);
            s7 = Vector.FusedMultiplyAdd(x, Vector.LoadUnsafe(ref b7, (nuint)j), s7);
        }
        result[0] = FinishDot(s0, ref a, ref b0, j, n);
        result[1] = FinishDot(s1, ref a, ref b1, j, n);
        result[2] = FinishDot(s2, ref a, ref b2, j, n);
        result[3] = FinishDot(s3, ref a, ref b3, j, n);
        result[4] = FinishDot(s4, ref a, ref b4, j, n);
        result[5] = FinishDot(s5, ref a, ref b5, j, n);
        result[6] = FinishDot(s6, ref a, ref b6, j, n);
        result[7] = FinishDot(s7, ref a, ref b7, j, n);
    }

    private static void Block4x3(ref double l, nint sp, nint sq, nint p, int qCount, ref double r, nint n, nint j, ref double c, bool accumulate)
    {
        nint w = Vector<double>.Count;
        Vector<double> c00 = default, c01 = default, c02 = default, c10 = default, c11 = default, c12 = default;
        Vector<double> c20 = default, c21 = default, c22 = default, c30 = default, c31 = default, c32 = default;
        ref double l0 = ref Unsafe.Add(ref l, p * sp);
        ref double l1 = ref Unsafe.Add(ref l0, sp);
        ref double l2 = ref Unsafe.Add(ref l1, sp);
        ref double l3 = ref Unsafe.Add(ref l2, sp);
        ref double rRow = ref Unsafe.Add(ref r, j);
        nint lq = 0;
        for (int q = 0; q < qCount; q++, lq += sq, rRow = ref Unsafe.Add(ref rRow, n))
        {
            var b0 = Vector.LoadUnsafe(ref rRow);
            var b1 = Vector.LoadUnsafe(ref rRow, (nuint)w);
            var b2 = Vector.LoadUnsafe(ref rRow, (nuint)(2 * w));
            var a = new Vector<double>(Unsafe.Add(ref l0, lq));
            c00 = Vector.FusedMultiplyAdd(a, b0, c00);
            c01 = Vector.FusedMultiplyAdd(a, b1, c01);
            c02 = Vector.FusedMultiplyAdd(a, b2, c02);
            a = new Vector<double>(Unsafe.Add(ref l1, lq));
            c10 = Vector.FusedMultiplyAdd(a, b0, c10);
            c11 = Vector.FusedMultiplyAdd(a, b1, c11);
            c12 = Vector.FusedMultiplyAdd(a, b2, c12);
            a = new Vector<double>(Unsafe.Add(ref l2, lq));
            c20 = Vector.FusedMultiplyAdd(a, b0, c20);
            c21 = Vector.FusedMultiplyAdd(a, b1, c21);
            c22 = Vector.FusedMultiplyAdd(a, b2, c22);
            a = new Vector<double>(Unsafe.Add(ref l3, lq));
            c30 = Vector.FusedMultiplyAdd(a, b0, c30);
            c31 = Vector.FusedMultiplyAdd(a, b1, c31);
            c32 = Vector.FusedMultiplyAdd(a, b2, c32);
        }
        ref double c0 = ref Unsafe.Add(ref c, p * n + j);
        Store3(ref c0, w, c00, c01, c02, accumulate);
        Store3(ref Unsafe.Add(ref c0, n), w, c10, c11, c12, accumulate);
        Store3(ref Unsafe.Add(ref c0, 2 * n), w, c20, c21, c22, accumulate);
        Store3(ref Unsafe.Add(ref c0, 3 * n), w, c30, c31, c32, accumulate);
    }

    private static void Block1x3(ref double l, nint sp, nint sq, nint p, int qCount, ref double r, nint n, nint j, ref double c, bool accumulate)
    {
        nint w = Vector<double>.Count;
        Vector<double> c0 = default, c1 = default, c2 = default;
        ref double l0 = ref Unsafe.Add(ref l, p * sp);
        ref double rRow = ref Unsafe.Add(ref r, j);
        nint lq = 0;
        for (int q = 0; q < qCount; q++, lq += sq, rRow = ref Unsafe.Add(ref rRow, n))
        {
            var a = new Vector<double>(Unsafe.Add(ref l0, lq));
            c0 = Vector.FusedMultiplyAdd(a, Vector.LoadUnsafe(ref rRow), c0);
            c1 = Vector.FusedMultiplyAdd(a, Vector.LoadUnsafe(ref rRow, (nuint)w), c1);
            c2 = Vector.FusedMultiplyAdd(a, Vector.LoadUnsafe(ref rRow, (nuint)(2 * w)), c2);
        }
        Store3(ref Unsafe.Add(ref c, p * n + j), w, c0, c1, c2, accumulate);
    }

    private static void Block4x1(ref double l, nint sp, nint sq, nint p, int qCount, ref double r, nint n, nint j, ref double c, bool accumulate)
    {
        Vector<double> c0 = default, c1 = default, c2 = default, c3 = default;
        ref double l0 = ref Unsafe.Add(ref l, p * sp);
        ref double l1 = ref Unsafe.Add(ref l0, sp);
        ref double l2 = ref Unsafe.Add(ref l1, sp);
        ref double l3 = ref Unsafe.Add(ref l2, sp);
        ref double rRow = ref Unsafe.Add(ref r, j);
        nint lq = 0;
        for (int q = 0; q < qCount; q++, lq += sq, rRow = ref Unsafe.Add(ref rRow, n))
        {
            var b = Vector.LoadUnsafe(ref rRow);
            c0 = Vector.FusedMultiplyAdd(new Vector<double>(Unsafe.Add(ref l0, lq)), b, c0);
            c1 = Vector.FusedMultiplyAdd(new Vector<double>(Unsafe.Add(ref l1, lq)), b, c1);
            c2 = Vector.FusedMultiplyAdd(new Vector<double>(Unsafe.Add(ref l2, lq)), b, c2);
            c3 = Vector.FusedMultiplyAdd(new Vector<double>(Unsafe.Add(ref l3, lq)), b, c3);
        }
        ref double d = ref Unsafe.Add(ref c, p * n + j);
        Store1(ref d, c0, accumulate);
        Store1(ref Unsafe.Add(ref d, n), c1, accumulate);
        Store1(ref Unsafe.Add(ref d, 2 * n), c2, accumulate);
        Store1(ref Unsafe.Add(ref d, 3 * n), c3, accumulate);
    }

    private static void Block1x1(ref double l, nint sp, nint sq, nint p, int qCount, ref double r, nint n, nint j, ref double c, bool accumulate)
    {
        Vector<double> acc = default;
        ref double l0 = ref Unsafe.Add(ref l, p * sp);
        ref double rRow = ref Unsafe.Add(ref r, j);
        nint lq = 0;
        for (int q = 0; q < qCount; q++, lq += sq, rRow = ref Unsafe.Add(ref rRow, n))
            acc = Vector.FusedMultiplyAdd(new Vector<double>(Unsafe.Add(ref l0, lq)), Vector.LoadUnsafe(ref rRow), acc);
        Store1(ref Unsafe.Add(ref c, p * n + j), acc, accumulate);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store3(ref double dst, nint w, Vector<double> v0, Vector<double> v1, Vector<double> v2, bool accumulate)
    {
        Store1(ref dst, v0, accumulate);
        Store1(ref Unsafe.Add(ref dst, w), v1, accumulate);
        Store1(ref Unsafe.Add(ref dst, 2 * w), v2, accumulate);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store1(ref double dst, Vector<double> v, bool accumulate)
    {
        if (accumulate) v += Vector.LoadUnsafe(ref dst);
        Vector.StoreUnsafe(v, ref dst);
    }

    private static void Dot4x2(ref double a, int m, ref double b, int k, int n, ref double c, int kCount)
    {
        int w = Vector<double>.Count;
        ref double a0 = ref Unsafe.Add(ref a, (nint)m * n);
        ref double a1 = ref Unsafe.Add(ref a0, n);
        ref double a2 = ref Unsafe.Add(ref a1, n);
        ref double a3 = ref Unsafe.Add(ref a2, n);
        ref double b0 = ref Unsafe.Add(ref b, (nint)k * n);
        ref double b1 = ref Unsafe.Add(ref b0, n);
        Vector<double> s00 = default, s01 = default, s10 = default, s11 = default, s20 = default, s21 = default, s30 = default, s31 = default;
        int j = 0;
        for (; j <= n - w; j += w)
        {
            var v0 = Vector.LoadUnsafe(ref b0, (nuint)j);
            var v1 = Vector.LoadUnsafe(ref b1, (nuint)j);
            var x = Vector.LoadUnsafe(ref a0, (nuint)j);
            s00 = Vector.FusedMultiplyAdd(x, v0, s00);
            s01 = Vector.FusedMultiplyAdd(x, v1, s01);
            x = Vector.LoadUnsafe(ref a1, (nuint)j);
            s10 = Vector.FusedMultiplyAdd(x, v0, s10);
            s11 = Vector.FusedMultiplyAdd(x, v1, s11);
            x = Vector.LoadUnsafe(ref a2, (nuint)j);
            s20 = Vector.FusedMultiplyAdd(x, v0, s20);
            s21 = Vector.FusedMultiplyAdd(x, v1, s21);
            x = Vector.LoadUnsafe(ref a3, (nuint)j);
            s30 = Vector.FusedMultiplyAdd(x, v0, s30);
            s31 = Vector.FusedMultiplyAdd(x, v1, s31);
        }
        ref double c0 = ref Unsafe.Add(ref c, (nint)m * kCount + k);
        c0 = FinishDot(s00, ref a0, ref b0, j, n);
        Unsafe.Add(ref c0, 1) = FinishDot(s01, ref a0, ref b1, j, n);
        Unsafe.Add(ref c0, kCount) = FinishDot(s10, ref a1, ref b0, j, n);
        Unsafe.Add(ref c0, kCount + 1) = FinishDot(s11, ref a1, ref b1, j, n);
        Unsafe.Add(ref c0, 2 * kCount) = FinishDot(s20, ref a2, ref b0, j, n);
        Unsafe.Add(ref c0, 2 * kCount + 1) = FinishDot(s21, ref a2, ref b1, j, n);
        Unsafe.Add(ref c0, 3 * kCount) = FinishDot(s30, ref a3, ref b0, j, n);
        Unsafe.Add(ref c0, 3 * kCount + 1) = FinishDot(s31, ref a3, ref b1, j, n);
    }

    private static void Dot4x1(ref double a, int m, ref double b, int k, int n, ref double c, int kCount)
    {
        int w = Vector<double>.Count;
        ref double a0 = ref Unsafe.Add(ref a, (nint)m * n);
        ref double a1 = ref Unsafe.Add(ref a0, n);
        ref double a2 = ref Unsafe.Add(ref a1, n);
        ref double a3 = ref Unsafe.Add(ref a2, n);
        ref double b0 = ref Unsafe.Add(ref b, (nint)k * n);
        Vector<double> s0 = default, s1 = default, s2 = default, s3 = default;
        int j = 0;
        for (; j <= n - w; j += w)
        {
            var v = Vector.LoadUnsafe(ref b0, (nuint)j);
            s0 = Vector.FusedMultiplyAdd(Vector.LoadUnsafe(ref a0, (nuint)j), v, s0);
            s1 = Vector.FusedMultiplyAdd(Vector.LoadUnsafe(ref a1, (nuint)j), v, s1);
            s2 = Vector.FusedMultiplyAdd(Vector.LoadUnsafe(ref a2, (nuint)j), v, s2);
            s3 = Vector.FusedMultiplyAdd(Vector.LoadUnsafe(ref a3, (nuint)j), v, s3);
        }
        ref double c0 = ref Unsafe.Add(ref c, (nint)m * kCount + k);
        c0 = FinishDot(s0, ref a0, ref b0, j, n);
        Unsafe.Add(ref c0, kCount) = FinishDot(s1, ref a1, ref b0, j, n);
        Unsafe.Add(ref c0, 2 * kCount) = FinishDot(s2, ref a2, ref b0, j, n);
        Unsafe.Add(ref c0, 3 * kCount) = FinishDot(s3, ref a3, ref b0, j, n);
    }

    private static double Dot(ref double a, ref double b, int n)
    {
        int w = Vector<double>.Count;
        Vector<double> s = default;
        int j = 0;
        for (; j <= n - w; j += w)
            s = Vector.FusedMultiplyAdd(Vector.LoadUnsafe(ref a, (nuint)j), Vector.LoadUnsafe(ref b, (nuint)j), s);
        return FinishDot(s, ref a, ref b, j, n);
    }

    // Horizontal sum of the vector part, then the scalar tail: the same order in every kernel.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static double FinishDot(Vector<double> partial, ref double a, ref double b, int from, int n)
    {
        double sum = Vector.Sum(partial);
        for (int j = from; j < n; j++)
            sum = Math.FusedMultiplyAdd(Unsafe.Add(ref a, j), Unsafe.Add(ref b, j), sum);
        return sum;
    }
}
