namespace Microsoft.ML.Recourse.Datasets;

/// <summary>
/// A bit-exact copy of the parts of numpy's legacy <c>numpy.random.RandomState</c> that scikit-learn's
/// <c>train_test_split</c> uses: the MT19937 generator seeded with <c>init_genrand</c>, bounded integers drawn by
/// mask-and-reject (<c>rk_interval</c> / <c>random_interval</c>) and <c>permutation</c> (a Fisher–Yates shuffle run
/// from the last item down). With it, the C# splits are the reference code's splits.
/// </summary>
internal sealed class NumpyRandomState
{
    private const int StateLength = 624;
    private const int ShiftLength = 397;
    private const uint MatrixA = 0x9908b0dfu;
    private const uint UpperMask = 0x80000000u;
    private const uint LowerMask = 0x7fffffffu;

    private readonly uint[] _key = new uint[StateLength];
    private int _position;
    private double? _nextGaussian;

    /// <summary>Seeds the generator as <c>np.random.RandomState(seed)</c> does for an integer seed.</summary>
    /// <param name="seed">The seed. Range: 0 ≤ seed ≤ 2³² − 1 (numpy rejects anything else).</param>
    public NumpyRandomState(long seed)
    {
        Contracts.CheckParam(seed >= 0 && seed <= uint.MaxValue, nameof(seed),
            FormattableString.Invariant($"numpy's RandomState takes a seed between 0 and 2^32 - 1; got {seed}."));
        uint s = (uint)seed;
        for (int i = 0; i < StateLength; i++)
        {
            _key[i] = s;
            s = unchecked(1812433253u * (s ^ (s >> 30)) + (uint)i + 1u);
        }
        _position = StateLength;
    }

    /// <summary>The next 32-bit output of MT19937 (<c>genrand_int32</c>).</summary>
    public uint NextUInt32()
    {
        if (_position == StateLength) Generate();
        uint y = _key[_position++];
        y ^= y >> 11;
        y ^= (y << 7) & 0x9d2c5680u;
        y ^= (y << 15) & 0xefc60000u;
        y ^= y >> 18;
        return y;
    }

    /// <summary>A uniform double in [0, 1) with 53 random bits, as numpy's <c>random_sample</c> (<c>genrand_res53</c>).</summary>
    public double NextDouble()
    {
        uint a = NextUInt32() >> 5, b = NextUInt32() >> 6;
        return (a * 67108864.0 + b) / 9007199254740992.0;
    }

    /// <summary>
    /// A standard normal draw, as numpy's legacy <c>standard_normal</c>: the polar method, which makes two values per
    /// accepted pair and hands out the second on the next call.
    /// </summary>
    public double StandardNormal()
    {
        if (_nextGaussian is double cached)
        {
            _nextGaussian = null;
            return cached;
        }
        double x1, x2, r2;
        do
        {
            x1 = 2.0 * NextDouble() - 1.0;
            x2 = 2.0 * NextDouble() - 1.0;
            r2 = x1 * x1 + x2 * x2;
        }
        while (r2 >= 1.0 || r2 == 0.0);
        double f = Math.Sqrt(-2.0 * Math.Log(r2) / r2);
        _nextGaussian = f * x1;
        return f * x2;
    }

    /// <summary>A uniform integer in [0, <paramref name="max"/>], drawn as numpy's legacy <c>random_interval</c>.</summary>
    /// <param name="max">The largest value. Range: 0 ≤ max ≤ 2³² − 1 (enough for any array index).</param>
    public uint Interval(uint max)
    {
        if (max == 0) return 0;
        uint mask = max;
        mask |= mask >> 1;
        mask |= mask >> 2;
        mask |= mask >> 4;
        mask |= mask >> 8;
        mask |= mask >> 16;
        uint value;
        while ((value = NextUInt32() & mask) > max) { }
        return value;
    }

    /// <summary><c>np.random.RandomState(seed).permutation(n)</c>: a shuffled copy of 0 … n − 1.</summary>
    /// <param name="n">The number of items. Range: n ≥ 0.</param>
    public int[] Permutation(int n)
    {
        Contracts.CheckParam(n >= 0, nameof(n), FormattableString.Invariant($"Must be ≥ 0; got {n}."));
        var items = new int[n];
        for (int i = 0; i < n; i++) items[i] = i;
        for (int i = n - 1; i >= 1; i--)
        {
            int j = (int)Interval((uint)i);
            (items[i], items[j]) = (items[j], items[i]);
        }
        return items;
    }

    private void Generate()
    {
        int k;
        uint y;
        for (k = 0; k < StateLength - ShiftLength; k++)
        {
            y = (_key[k] & UpperMask) | (_key[k + 1] & LowerMask);
            _key[k] = _key[k + ShiftLength] ^ (y >> 1) ^ ((y & 1u) * MatrixA);
        }
        for (; k < StateLength - 1; k++)
        {
            y = (_key[k] & UpperMask) | (_key[k + 1] & LowerMask);
            _key[k] = _key[k + (ShiftLength - StateLength)] ^ (y >> 1) ^ ((y & 1u) * MatrixA);
        }
        y = (_key[StateLength - 1] & UpperMask) | (_key[0] & LowerMask);
        _key[StateLength - 1] = _key[ShiftLength - 1] ^ (y >> 1) ^ ((y & 1u) * MatrixA);
        _position = 0;
    }
}
