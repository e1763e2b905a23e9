using Microsoft.ML.Recourse.Datasets;

namespace Microsoft.ML.Recourse.Tests.Datasets;

// Ground truth from numpy 1.24.2 and scikit-learn 1.2.1 (Debian bookworm python3-numpy, python3-sklearn).
public class NumpyRandomStateTests
{
    // python3 -c "import numpy as np; [print(s, n, list(np.random.RandomState(s).permutation(n)[:20])) for s, n in [(0, 10), (0, 1000), (1, 1000), (42, 32560), (21, 6172), (123456789, 100000), (4294967295, 70000)]]"
    public static TheoryData<long, int, int[]> Permutations => new()
    {
        { 0, 10, [2, 8, 4, 9, 1, 6, 7, 3, 0, 5] },
        { 0, 1000, [993, 859, 298, 553, 672, 971, 27, 231, 306, 706, 496, 558, 784, 239, 578, 55, 906, 175, 14, 77] },
        { 1, 1000, [507, 818, 452, 368, 242, 929, 262, 810, 318, 49, 446, 142, 968, 345, 971, 133, 104, 6, 600, 496] },
        { 42, 32560, [14160, 27047, 28867, 5667, 7827, 15382, 4641, 8943, 216, 5121, 345, 31899, 20010, 11808, 14587, 10021, 8966, 1912, 2874, 28770] },
        { 21, 6172, [2918, 5594, 1076, 4366, 2129, 2477, 5244, 3174, 525, 4608, 1713, 5657, 5863, 342, 2709, 6132, 5683, 3593, 2769, 1343] },
        { 123456789, 100000, [49990, 55988, 19888, 74059, 97457, 38022, 24442, 68518, 84119, 42176, 54596, 36856, 99835, 71210, 37356, 54862, 27233, 60074, 48378, 32434] },
        { 4294967295, 70000, [14972, 66828, 49490, 22806, 60806, 3027, 27111, 36464, 12690, 66233, 23364, 40788, 58229, 34085, 55261, 17486, 34545, 66812, 43237, 17910] },
    };

    [Theory]
    [MemberData(nameof(Permutations))]
    public void Permutation_MatchesNumpy(long seed, int n, int[] expectedStart)
    {
        var permutation = new NumpyRandomState(seed).Permutation(n);
        permutation.Take(expectedStart.Length).Should().Equal(expectedStart);
        permutation.Order().Should().Equal(Enumerable.Range(0, n));
    }

    [Fact]
    public void Permutation_TinyInputs_MatchNumpy()
    {
        // python3 -c "import numpy as np; print(list(np.random.RandomState(5).permutation(3))); print(list(np.random.RandomState(3).permutation(1)))"
        new NumpyRandomState(5).Permutation(3).Should().Equal(0, 1, 2);
        new NumpyRandomState(3).Permutation(1).Should().Equal(0);
        new NumpyRandomState(3).Permutation(0).Should().BeEmpty();
    }

    [Fact]
    public void NextUInt32_MatchesNumpyRawOutput()
    {
        // python3 -c "import numpy as np; print(np.random.RandomState(0).randint(0,2**32,size=3,dtype=np.uint64))"
        var random = new NumpyRandomState(0);
        new[] { random.NextUInt32(), random.NextUInt32(), random.NextUInt32() }.Should().Equal(2357136044u, 2546248239u, 3071714933u);
    }

    [Fact]
    public void NextDoubleAndStandardNormal_MatchNumpyLegacyStream()
    {
        // python3 -c "import numpy as np; r=np.random.RandomState(7); print([repr(v) for v in r.random_sample(3)]); print([repr(v) for v in r.standard_normal(5)])"
        var random = new NumpyRandomState(7);
        new[] { random.NextDouble(), random.NextDouble(), random.NextDouble() }
            .Should().Equal(0.07630828937395717, 0.7799187922401146, 0.4384092314408935);
        var normals = Enumerable.Range(0, 5).Select(_ => random.StandardNormal()).ToArray();
        double[] expected = [0.09316606097975175, 3.200914709117712, -0.1569886595634109, -0.2901313829291646, 2.025771524137035];
        for (int i = 0; i < expected.Length; i++) normals[i].Should().BeApproximately(expected[i], 1e-15);
    }

    [Theory]
    [InlineData(-1L)]
    [InlineData(4294967296L)]
    public void Constructor_SeedOutsideNumpyRange_Throws(long seed)
    {
        var act = () => new NumpyRandomState(seed);
        act.Should().Throw<ArgumentOutOfRangeException>().WithMessage("*2^32 - 1*");
    }

    // python3 -c "import numpy as np; from sklearn.model_selection import train_test_split as t; [print(s, n, ts, [list(a[:12]) for a in t(np.arange(n), test_size=ts, random_state=s)], [len(a) for a in t(np.arange(n), test_size=ts, random_state=s)]) for s, n, ts in [(0, 32560, 0.2), (21, 6172, 0.2), (42, 1000, 0.2), (0, 6512, 500), (7, 200, 100), (0, 8923, 500)]]"
    public static TheoryData<int, int, double, int[], int[], int, int> Splits => new()
    {
        { 0, 32560, 0.2, [12467, 15282, 24869, 18822, 26403, 7842, 4890, 3243, 17470, 14211, 22453, 631], [22278, 8950, 7838, 16505, 19140, 12319, 28588, 10000, 28529, 24237, 12227, 821], 26048, 6512 },
        { 21, 6172, 0.2, [87, 4553, 2157, 582, 2376, 5493, 1289, 1203, 4181, 5330, 4223, 3495], [2918, 5594, 1076, 4366, 2129, 2477, 5244, 3174, 525, 4608, 1713, 5657], 4937, 1235 },
        { 42, 1000, 0.2, [29, 535, 695, 557, 836, 596, 165, 918, 495, 824, 65, 141], [521, 737, 740, 660, 411, 678, 626, 513, 859, 136, 811, 76], 800, 200 },
        { 0, 6512, 500, [5151, 4640, 5087, 4836, 247, 4055, 3312, 1142, 2346, 6259, 2030, 6019], [2339, 1979, 976, 3605, 3647, 5455, 5813, 6046, 6360, 5579, 3284, 3743], 6012, 500 },
        { 7, 200, 100, [104, 79, 125, 164, 29, 3, 39, 50, 77, 163, 114, 54], [86, 120, 22, 11, 195, 2, 121, 94, 66, 63, 108, 96], 100, 100 },
        { 0, 8923, 500, [4324, 187, 3222, 1977, 8738, 844, 6654, 7497, 5451, 6040, 864, 8679], [3027, 1621, 2423, 3253, 693, 4929, 5622, 6485, 2644, 2164, 487, 6121], 8423, 500 },
    };

    // testSize < 1 is a fraction (sklearn's float test_size), otherwise a row count (its int test_size).
    [Theory]
    [MemberData(nameof(Splits))]
    public void TrainTestSplit_MatchesScikitLearn(int seed, int n, double testSize, int[] trainStart, int[] testStart, int trainCount, int testCount)
    {
        var (train, test) = testSize < 1
            ? ReferenceSplit.TrainTestSplit(n, testSize, seed)
            : ReferenceSplit.TrainTestSplit(n, (int)testSize, seed);
        train.Should().HaveCount(trainCount);
        test.Should().HaveCount(testCount);
        train.Take(12).Should().Equal(trainStart);
        test.Take(12).Should().Equal(testStart);
        train.Concat(test).Order().Should().Equal(Enumerable.Range(0, n));
    }

    [Fact]
    public void TrainTestSplit_TestCountNotBelowRowCount_Throws()
    {
        var act = () => ReferenceSplit.TrainTestSplit(100, 100, 0);
        act.Should().Throw<ArgumentOutOfRangeException>().WithMessage("*between 1 and 99 test rows*");
    }
}
