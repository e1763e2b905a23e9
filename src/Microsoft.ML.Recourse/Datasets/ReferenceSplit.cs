namespace Microsoft.ML.Recourse.Datasets;

/// <summary>
/// scikit-learn's <c>train_test_split(X, y, test_size=…, random_state=seed)</c> (a single <c>ShuffleSplit</c>
/// draw), reproduced index for index: <c>perm = RandomState(seed).permutation(n)</c>, test = <c>perm[:n_test]</c>,
/// train = <c>perm[n_test:]</c>, both in permutation order (scikit-learn does not sort them).
/// </summary>
internal static class ReferenceSplit
{
    /// <summary>Splits with a fractional <c>test_size</c>: n_test = ⌈testFraction · n⌉.</summary>
    /// <param name="rowCount">The number of rows n. Range: n ≥ 2.</param>
    /// <param name="testFraction">The test share. Range: 0 &lt; value &lt; 1.</param>
    /// <param name="seed">The <c>random_state</c>. Range: 0 ≤ seed ≤ 2³² − 1.</param>
    public static (int[] Train, int[] Test) TrainTestSplit(int rowCount, double testFraction, long seed)
    {
        Contracts.CheckOpenUnitInterval(testFraction, nameof(testFraction));
        return Split(rowCount, (int)Math.Ceiling(testFraction * rowCount), seed);
    }

    /// <summary>Splits with an integer <c>test_size</c>: exactly <paramref name="testCount"/> test rows.</summary>
    /// <param name="rowCount">The number of rows n. Range: n ≥ 2.</param>
    /// <param name="testCount">The number of test rows. Range: 1 ≤ value &lt; n.</param>
    /// <param name="seed">The <c>random_state</c>. Range: 0 ≤ seed ≤ 2³² − 1.</param>
    public static (int[] Train, int[] Test) TrainTestSplit(int rowCount, int testCount, long seed) => Split(rowCount, testCount, seed);

    private static (int[] Train, int[] Test) Split(int rowCount, int testCount, long seed)
    {
        Contracts.CheckParam(testCount >= 1 && testCount < rowCount, nameof(testCount), FormattableString.Invariant(
            $"A split of {rowCount} rows needs between 1 and {rowCount - 1} test rows; got {testCount}."));
        var permutation = new NumpyRandomState(seed).Permutation(rowCount);
        return (permutation[testCount..], permutation[..testCount]);
    }
}
