using Microsoft.ML.Recourse.Models;

namespace Microsoft.ML.Recourse.Tests.Models;

/// <summary>The inference products that skip ReLU zeros give the dense products' doubles bit for bit.</summary>
public class SparseInferenceTests
{
    // Rows with about three in four entries zero, some −0 and some fully zero or fully dense.
    private static double[] ReluLike(Random random, int rows, int width)
    {
        var values = new double[rows * width];
        for (int r = 0; r < rows; r++)
        {
            double density = r % 7 == 0 ? 0 : r % 7 == 1 ? 1 : 0.25;
            for (int q = 0; q < width; q++)
            {
                double u = random.NextDouble();
                values[r * width + q] = u < density ? random.NextDouble() * 3 : u < density + 0.05 ? -0.0 : 0;
            }
        }
        return values;
    }

    private static double[] Uniform(Random random, int count) => Enumerable.Range(0, count).Select(_ => random.NextDouble() * 2 - 1).ToArray();

    [Theory]
    [InlineData(1, 100, 100)]
    [InlineData(32, 100, 100)]
    [InlineData(13, 37, 45)]
    [InlineData(5, 3, 7)]
    [InlineData(32, 100, 1)]
    public void MultiplyAddSkippingZeros_EqualsMultiplyStridedBitForBit(int rows, int inner, int outer)
    {
        var random = new Random(rows * 1000 + inner + outer);
        var left = ReluLike(random, rows, inner);
        var right = Uniform(random, inner * outer);
        var start = Uniform(random, rows * outer);
        var dense = (double[])start.Clone();
        var sparse = (double[])start.Clone();
        DenseKernels.MultiplyStrided(left, inner, 1, rows, inner, right, outer, dense, accumulate: true);
        DenseKernels.MultiplyAddSkippingZeros(left, rows, inner, right, outer, sparse, new int[DenseKernels.SparseScratchLength(rows, inner)], new double[rows * inner]);
        sparse.Select(BitConverter.DoubleToInt64Bits).Should().Equal(dense.Select(BitConverter.DoubleToInt64Bits));
    }

    [Theory]
    [InlineData(1, 100, 100)]
    [InlineData(32, 100, 100)]
    [InlineData(13, 37, 45)]
    [InlineData(5, 3, 7)]
    public void MultiplyTransposedWherePositive_EqualsMultiplyTransposedWhereTheGateIsPositive(int rows, int kCount, int n)
    {
        var random = new Random(rows * 1000 + kCount + n);
        var a = Uniform(random, rows * n);
        var b = Uniform(random, kCount * n);
        var gate = ReluLike(random, rows, kCount);
        var dense = new double[rows * kCount];
        var masked = Uniform(random, rows * kCount); // stale values must be overwritten
        DenseKernels.MultiplyTransposed(a, rows, b, kCount, n, dense);
        DenseKernels.MultiplyTransposedWherePositive(a, rows, b, kCount, n, gate, masked, new int[DenseKernels.SparseScratchLength(1, kCount)]);
        for (int i = 0; i < dense.Length; i++)
        {
            if (gate[i] > 0) BitConverter.DoubleToInt64Bits(masked[i]).Should().Be(BitConverter.DoubleToInt64Bits(dense[i]), $"element {i}");
            else BitConverter.DoubleToInt64Bits(masked[i]).Should().Be(0, $"element {i} is masked to +0");
        }
    }

    [Theory]
    [InlineData(9, new[] { 100, 100 }, Activation.Relu, 32)]
    [InlineData(9, new[] { 100, 100 }, Activation.Relu, 7)]
    [InlineData(13, new[] { 13, 6 }, Activation.Relu, 32)]
    [InlineData(4, new[] { 6, 5, 3 }, Activation.Relu, 5)]
    [InlineData(9, new[] { 100, 100 }, Activation.Tanh, 32)]
    public void InferencePasses_EqualForwardAndBackwardBitForBit(int d, int[] hidden, Activation activation, int rows)
    {
        var model = ScorerModelParametersTests.RandomModel(d, hidden, activation, seed: 11);
        var network = model.Network;
        var parameters = model.Parameters.ToArray();
        var x = ScorerModelParametersTests.RandomRows(rows, d, seed: 12);
        var dLogit = Uniform(new Random(13), rows);

        var dense = new NetworkWorkspace();
        network.Forward(parameters, x, rows, dense, dropout: null);
        var denseGradient = new double[rows * d];
        network.Backward(parameters, x, rows, dense, dLogit, default, denseGradient);

        var sparse = new NetworkWorkspace();
        network.ForwardInference(parameters, x, rows, sparse);
        var sparseGradient = new double[rows * d];
        network.InputGradientInference(parameters, x, rows, sparse, dLogit, sparseGradient);

        sparse.Logits.Take(rows).Select(BitConverter.DoubleToInt64Bits).Should().Equal(dense.Logits.Take(rows).Select(BitConverter.DoubleToInt64Bits));
        sparseGradient.Should().Equal(denseGradient, "the masked units contribute ±0 to the dense sums and nothing to the sparse ones");
    }
}
