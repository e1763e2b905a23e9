using System.Runtime.Intrinsics.X86;
using Microsoft.ML.Recourse.Models;

namespace Microsoft.ML.Recourse.Tests.Models;

/// <summary>
/// The float32 kernels of <see cref="SinglePrecisionNetwork"/>, on both of their paths (AVX-512 compress and the
/// portable one), against the double network: g within 1e-6 and each ∂g/∂xⱼ within 1e-5 of the row's largest
/// |∂g/∂xₖ|. Shapes with 0 to 3 hidden layers, widths that are and are not multiples of the vector width, batches with
/// rows of zeros (no input fires) and rows whose units mostly stay off.
/// </summary>
public class SinglePrecisionNetworkTests
{
    public static TheoryData<int, int[], Activation> Shapes => new()
    {
        { 9, [100, 100], Activation.Relu },
        { 9, [100, 100], Activation.Tanh },
        { 5, [7], Activation.Relu },
        { 13, [24, 17, 33], Activation.Relu },
        { 3, [8, 8, 8], Activation.Relu },
        { 20, [64], Activation.Tanh },
        { 6, [], Activation.Relu },
    };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void ScoreAndInputGradient_BothPaths_MatchTheDoubleNetwork(int d, int[] hidden, Activation activation)
    {
        var model = ScorerModelParametersTests.RandomModel(d, hidden, activation, seed: 40 + d + hidden.Length);
        const int count = 300;
        var rows = ScorerModelParametersTests.RandomRows(count, d, seed: 7);
        // Rows of zeros, and rows far out (most ReLU units off or saturated), exercise the empty and short index lists.
        for (int j = 0; j < d; j++) rows[j] = 0;
        for (int r = 1; r < 20; r++)
            for (int j = 0; j < d; j++) rows[r * d + j] *= 6;
        var expectedScores = new double[count];
        var expectedGradients = new double[count * d];
        model.ScoreAndInputGradientBatch(rows, expectedScores, expectedGradients);

        foreach (bool portable in new[] { false, true })
        {
            var network = new SinglePrecisionNetwork(model, portable);
            var workspace = new SinglePrecisionNetwork.Workspace(network);
            var scores = new double[count];
            var gradients = new double[count * d];
            network.ScoreAndInputGradientBatch(rows, scores, gradients, workspace);
            var scoresOnly = new double[count];
            network.ScoreBatch(rows, scoresOnly, workspace);
            string path = portable ? "portable path" : Avx512F.VL.IsSupported ? "AVX-512 path" : "portable path (no AVX-512 here)";
            for (int r = 0; r < count; r++)
            {
                scores[r].Should().BeApproximately(expectedScores[r], 1e-6, $"{path}, row {r}");
                scoresOnly[r].Should().Be(scores[r], $"{path}, row {r}: one forward pass for both");
                double largest = 0;
                for (int j = 0; j < d; j++) largest = Math.Max(largest, Math.Abs(expectedGradients[r * d + j]));
                for (int j = 0; j < d; j++)
                    gradients[r * d + j].Should().BeApproximately(expectedGradients[r * d + j], 1e-5 * largest + 1e-12, $"{path}, row {r}, feature {j}");
            }
        }
    }
}
