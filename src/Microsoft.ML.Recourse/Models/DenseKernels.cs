using System.Diagnostics;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

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
