using Microsoft.ML.Recourse.Experiments;

namespace Microsoft.ML.Recourse.Tests.Experiments;

public class L2LogisticRegressionTests
{
    [Fact]
    public void Fit_SyntheticData_RecoversRuleAndSatisfiesOptimality()
    {
        var random = new Random(5);
        const int rows = 4000, d = 3;
        double[] trueWeights = [1.5, -2.0, 0.5];
        const double trueBias = -0.3, l2 = 0.5;
        var x = new double[rows * d];
        var y = new double[rows];
        for (int i = 0; i < rows; i++)
        {
            double z = trueBias;
            for (int j = 0; j < d; j++) z += trueWeights[j] * (x[i * d + j] = random.NextDouble() * 4 - 2);
            y[i] = random.NextDouble() < 1 / (1 + Math.Exp(-z)) ? 1 : 0;
        }

        var (weights, bias, _) = L2LogisticRegression.Fit(x, rows, d, y, l2);

        for (int j = 0; j < d; j++) weights[j].Should().BeApproximately(trueWeights[j], 0.25);
        bias.Should().BeApproximately(trueBias, 0.2);
        // First-order condition: Σ (p − y) x + λ w = 0 and Σ (p − y) = 0.
        var gradient = new double[d + 1];
        for (int i = 0; i < rows; i++)
        {
            double z = bias;
            for (int j = 0; j < d; j++) z += weights[j] * x[i * d + j];
            double residual = 1 / (1 + Math.Exp(-z)) - y[i];
            for (int j = 0; j < d; j++) gradient[j] += residual * x[i * d + j];
            gradient[d] += residual;
        }
        for (int j = 0; j < d; j++) (gradient[j] + l2 * weights[j]).Should().BeApproximately(0, 1e-6);
        gradient[d].Should().BeApproximately(0, 1e-6);
    }

    [Fact]
    public void Fit_LabelOutsideZeroOne_IsRejected()
    {
        FluentActions.Invoking(() => L2LogisticRegression.Fit([0.0, 1.0], 2, 1, [0, 2], 1))
            .Should().Throw<ArgumentOutOfRangeException>().WithMessage("*Row 1*0 or 1*got 2*");
    }
}
