namespace Microsoft.ML.Recourse.Models;

/// <summary>
/// A seeded xoshiro256** generator. The library owns its generator (instead of <see cref="Random"/>) so that a seed
/// gives the same initialisation, shuffles and dropout masks on every .NET version, and so that drawing dropout
/// masks for millions of units stays cheap.
/// </summary>
internal sealed class RandomSource
{
    private ulong _s0, _s1, _s2, _s3;

    /// <summary>Creates the generator for <paramref name="seed"/>; distinct <paramref name="stream"/> values give independent sequences.</summary>
    public RandomSource(int seed, int stream = 0)
    {
        ulong x = ((ulong)(uint)seed << 32) ^ (uint)stream ^ 0x5DEECE66DUL;
        _s0 = SplitMix(ref x);
        _s1 = SplitMix(ref x);
        _s2 = SplitMix(ref x);
        _s3 = SplitMix(ref x);
    }

    public ulong NextUInt64()
    {
        ulong result = ulong.RotateLeft(_s1 * 5, 7) * 9;
        ulong t = _s1 << 17;
        _s2 ^= _s0;
        _s3 ^= _s1;
        _s1 ^= _s2;
        _s0 ^= _s3;
        _s2 ^= t;
        _s3 = ulong.RotateLeft(_s3, 45);
        return result;
    }

    /// <summary>A uniform draw from [0, 1) with 53 random bits.</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>A uniform draw from [<paramref name="low"/>, <paramref name="high"/>).</summary>
    public double NextUniform(double low, double high) => low + (high - low) * NextDouble();

    /// <summary>A uniform integer in [0, <paramref name="maxExclusive"/>) (Lemire's multiply-shift; bias below 2⁻³²).</summary>
    public int NextInt(int maxExclusive) => (int)(((NextUInt64() >> 32) * (ulong)maxExclusive) >> 32);

    /// <summary>Fisher–Yates shuffle.</summary>
    public void Shuffle(Span<int> values)
    {
        for (int i = values.Length - 1; i > 0; i--)
        {
            int j = NextInt(i + 1);
            (values[i], values[j]) = (values[j], values[i]);
        }
    }

    private static ulong SplitMix(ref ulong x)
    {
        ulong z = x += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}

/// <summary>Draws inverted-dropout masks: each unit is kept with probability 1 − rate and then scaled by 1 / (1 − rate).</summary>
internal sealed class DropoutSampler
{
    private readonly RandomSource _random;
    private readonly uint _dropBelow;
    private readonly double _keepScale;

    public DropoutSampler(double rate, RandomSource random)
    {
        Contracts.CheckParam(rate >= 0 && rate < 1, nameof(rate), FormattableString.Invariant($"The dropout rate must lie in [0, 1); got {rate}."));
        Rate = rate;
        _random = random;
        _dropBelow = (uint)Math.Min(Math.Round(rate * 4294967296.0), uint.MaxValue);
        _keepScale = 1 / (1 - rate);
    }

    public double Rate { get; }

    /// <summary>Fills <paramref name="mask"/> with 0 (dropped) or 1 / (1 − rate) (kept), two units per 64-bit draw.</summary>
    public void Fill(Span<double> mask)
    {
        int i = 0;
        for (; i + 1 < mask.Length; i += 2)
        {
            ulong bits = _random.NextUInt64();
            mask[i] = (uint)bits >= _dropBelow ? _keepScale : 0.0;
            mask[i + 1] = (uint)(bits >> 32) >= _dropBelow ? _keepScale : 0.0;
        }
        if (i < mask.Length)
            mask[i] = (uint)_random.NextUInt64() >= _dropBelow ? _keepScale : 0.0;
    }
}
