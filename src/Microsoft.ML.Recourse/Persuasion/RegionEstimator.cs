namespace Microsoft.ML.Recourse.Persuasion;

/// <summary>
/// Estimates equivalence regions by sampling: N rules from the prior, the acceptance pattern of each (n dot
/// products), grouped by pattern, with masses π̂_s = N_s / N. Only patterns that occur become regions.
/// </summary>
internal static class RegionEstimator
{
    private const int BatchSize = 4096;

    /// <summary>Samples the prior and returns the regions ordered by decreasing mass (then by pattern).</summary>
    public static List<EquivalenceRegion> Estimate(LinearPersuasionSetting setting, int sampleCount, Random random)
    {
        var counts = CountPatterns(setting, sampleCount, random, out var patterns);
        var regions = new List<EquivalenceRegion>(counts.Count);
        for (int k = 0; k < counts.Count; k++)
            regions.Add(new EquivalenceRegion(patterns[k], (double)counts[k] / sampleCount));
        regions.Sort((x, y) => y.Mass != x.Mass ? y.Mass.CompareTo(x.Mass) : string.CompareOrdinal(x.PatternText, y.PatternText));
        return regions;
    }

    /// <summary>Draws <paramref name="sampleCount"/> rules and counts each acceptance pattern, in order of first appearance.</summary>
    public static List<int> CountPatterns(LinearPersuasionSetting setting, int sampleCount, Random random, out List<bool[]> patterns)
    {
        int n = setting.Actions.Count;
        var index = new Dictionary<ulong[], int>(PatternComparer.Instance);
        var counts = new List<int>();
        patterns = [];
        var scores = new double[BatchSize * n];
        var key = new ulong[PatternComparer.WordCount(n)];
        for (int done = 0; done < sampleCount; done += BatchSize)
        {
            int batch = Math.Min(BatchSize, sampleCount - done);
            setting.Prior.SampleScores(setting.AugmentedPoints, n, batch, random, scores);
            for (int s = 0; s < batch; s++)
            {
                PatternComparer.Fill(scores.AsSpan(s * n, n), key);
                if (index.TryGetValue(key, out int k))
                {
                    counts[k]++;
                }
                else
                {
                    index.Add((ulong[])key.Clone(), counts.Count);
                    counts.Add(1);
                    patterns.Add(PatternComparer.ToPattern(key, n));
                }
            }
        }
        return counts;
    }
}

/// <summary>Acceptance patterns packed 64 actions to a word, compared by value.</summary>
internal sealed class PatternComparer : IEqualityComparer<ulong[]>
{
    public static readonly PatternComparer Instance = new();

    public static int WordCount(int actionCount) => (actionCount + 63) / 64;

    /// <summary>Sets bit a when score a is ≥ 0 (the rule accepts x̃(a)).</summary>
    public static void Fill(ReadOnlySpan<double> scores, ulong[] key)
    {
        Array.Clear(key);
        for (int a = 0; a < scores.Length; a++)
            if (scores[a] >= 0) key[a >> 6] |= 1UL << (a & 63);
    }

    public static bool[] ToPattern(ulong[] key, int actionCount)
    {
        var pattern = new bool[actionCount];
        for (int a = 0; a < actionCount; a++) pattern[a] = (key[a >> 6] >> (a & 63) & 1UL) != 0;
        return pattern;
    }

    public bool Equals(ulong[]? x, ulong[]? y) => x.AsSpan().SequenceEqual(y);

    public int GetHashCode(ulong[] key)
    {
        var hash = new HashCode();
        foreach (ulong w in key) hash.Add(w);
        return hash.ToHashCode();
    }
}
