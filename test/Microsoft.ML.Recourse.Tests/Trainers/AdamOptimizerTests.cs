using Microsoft.ML.Recourse.Models;
using Microsoft.ML.Recourse.Trainers;

namespace Microsoft.ML.Recourse.Tests.Trainers;

public class AdamOptimizerTests
{
    [Fact]
    public void Step_MatchesHandComputedPyTorchUpdate()
    {
        // 7 parameters: one full SIMD vector or more plus a scalar tail on every platform.
        double[] parameters = [1, -2, 0.5, 0, 3, -0.25, 10];
        double[][] gradients =
        [
            [0.1, -0.4, 2, 0, -1e-3, 5, -0.7],
            [-0.2, -0.1, 1, 0.3, 2e-3, 4, 0.7],
            [0.05, 0.5, -3, -0.3, 0, 1, 0.1],
        ];
        const double lr = 0.002, beta1 = 0.9, beta2 = 0.999, eps = 1e-8;
        var expected = (double[])parameters.Clone();
        var m = new double[7];
        var v = new double[7];
        var adam = new AdamOptimizer(7, lr);
        for (int t = 1; t <= gradients.Length; t++)
        {
            adam.Step(parameters, gradients[t - 1]);
            for (int i = 0; i < 7; i++)
            {
                double g = gradients[t - 1][i];
                m[i] = beta1 * m[i] + (1 - beta1) * g;
                v[i] = beta2 * v[i] + (1 - beta2) * g * g;
                double mHat = m[i] / (1 - Math.Pow(beta1, t));
                double vHat = v[i] / (1 - Math.Pow(beta2, t));
                expected[i] -= lr * mHat / (Math.Sqrt(vHat) + eps);
            }
            parameters.Should().Equal(expected, (a, b) => Math.Abs(a - b) <= 1e-15 * Math.Max(1, Math.Abs(b)), $"after step {t}");
        }
        adam.StepCount.Should().Be(3);
    }

    [Fact]
    public void FirstStep_MovesEveryParameterByTheLearningRateAgainstItsGradientSign()
    {
        double[] parameters = [0, 0, 0];
        new AdamOptimizer(3, 0.01).Step(parameters, [3, -0.002, 0]);
        parameters[0].Should().BeApproximately(-0.01, 1e-9);
        parameters[1].Should().BeApproximately(0.01, 1e-7);
        parameters[2].Should().Be(0);
    }

    [Fact]
    public void Step_WrongLength_Throws()
        => FluentActions.Invoking(() => new AdamOptimizer(3, 0.1).Step(new double[3], new double[2]))
            .Should().Throw<ArgumentOutOfRangeException>();
}

public class DropoutSamplerTests
{
    [Fact]
    public void Fill_DropsAboutTheRateAndScalesKeptUnits()
    {
        var mask = new double[200_001];
        new DropoutSampler(0.3, new RandomSource(5)).Fill(mask);
        mask.Should().OnlyContain(v => v == 0 || v == 1 / 0.7);
        mask.Count(v => v == 0).Should().BeCloseTo(60_000, 700);
        mask.Average().Should().BeApproximately(1, 0.01, "inverted dropout keeps the expected activation");
    }

    [Fact]
    public void Fill_SameSeed_SameMasks()
    {
        var a = new double[99];
        var b = new double[99];
        new DropoutSampler(0.5, new RandomSource(3)).Fill(a);
        new DropoutSampler(0.5, new RandomSource(3)).Fill(b);
        a.Should().Equal(b);
        new DropoutSampler(0.5, new RandomSource(4)).Fill(b);
        a.Should().NotEqual(b);
    }

    [Fact]
    public void Initialize_DrawsPyTorchLinearBoundsDeterministically()
    {
        var network = new FeedForwardNetwork(9, [100], Activation.Relu);
        var first = new double[network.ParameterCount];
        var second = new double[network.ParameterCount];
        network.Initialize(first, new RandomSource(42));
        network.Initialize(second, new RandomSource(42));
        first.Should().Equal(second);
        var inputLayer = first.AsSpan(network.WeightOffset(0), 9 * 100 + 100).ToArray();
        inputLayer.Should().OnlyContain(w => Math.Abs(w) <= 1 / 3.0);
        inputLayer.Max().Should().BeGreaterThan(0.3);
        var outputLayer = first.AsSpan(network.WeightOffset(1), 101).ToArray();
        outputLayer.Should().OnlyContain(w => Math.Abs(w) <= 0.1);
        outputLayer.Max().Should().BeGreaterThan(0.09);
    }
}
