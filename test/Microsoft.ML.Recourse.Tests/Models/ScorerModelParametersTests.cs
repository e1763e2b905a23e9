using Microsoft.ML.Recourse.Models;

namespace Microsoft.ML.Recourse.Tests.Models;

public class ScorerModelParametersTests
{
    public static TheoryData<int, int[], Activation> Shapes => new()
    {
        { 3, [], Activation.Relu },
        { 9, [100, 100], Activation.Relu },
        { 9, [100, 100], Activation.Tanh },
        { 5, [7], Activation.Tanh },
        { 13, [13, 6], Activation.Relu },
        { 4, [6, 5, 3], Activation.Tanh },
        { 1, [17], Activation.Relu },
    };

    internal static ScorerModelParameters RandomModel(int featureCount, int[] hidden, Activation activation, int seed, double scale = 1.5)
    {
        var network = new FeedForwardNetwork(featureCount, hidden, activation);
        var parameters = new double[network.ParameterCount];
        network.Initialize(parameters, new RandomSource(seed));
        for (int i = 0; i < parameters.Length; i++) parameters[i] *= scale; // larger than the default init, so the output is not near-linear
        return hidden.Length == 0 ? new LogisticRegressionModelParameters(network, parameters) : new MultilayerPerceptronModelParameters(network, parameters);
    }

    internal static double[] RandomRows(int rows, int featureCount, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, rows * featureCount).Select(_ => random.NextDouble() * 4 - 2).ToArray();
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void ScoreAndInputGradient_MatchesCentralFiniteDifferences(int d, int[] hidden, Activation activation)
    {
        var model = RandomModel(d, hidden, activation, seed: 3);
        var rows = RandomRows(6, d, seed: 4);
        var scores = new double[6];
        var gradients = new double[rows.Length];
        model.ScoreAndInputGradientBatch(rows, scores, gradients);
        const double h = 1e-6;
        for (int r = 0; r < 6; r++)
        {
            var x = rows.AsSpan(r * d, d).ToArray();
            scores[r].Should().Be(model.Score(x));
            for (int j = 0; j < d; j++)
            {
                var plus = (double[])x.Clone();
                var minus = (double[])x.Clone();
                plus[j] += h;
                minus[j] -= h;
                double numeric = (model.Score(plus) - model.Score(minus)) / (2 * h);
                gradients[r * d + j].Should().BeApproximately(numeric, 1e-7 + 1e-5 * Math.Abs(numeric), $"∂g/∂x{j} of row {r}");
            }
        }
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void ParameterGradient_OfWeightedCrossEntropy_MatchesCentralFiniteDifferences(int d, int[] hidden, Activation activation)
    {
        var model = RandomModel(d, hidden, activation, seed: 5);
        var network = model.Network;
        var parameters = model.Parameters.ToArray();
        const int rows = 7;
        var x = RandomRows(rows, d, seed: 6);
        var targets = new[] { 1.0, 0, 1, 0.3, 0, 1, 1 };
        var weights = new[] { 1.0, 2.5, 0.5, 1, 3, 0, 1 };
        var workspace = new NetworkWorkspace();

        double Loss(double[] p)
        {
            network.Forward(p, x, rows, workspace, dropout: null);
            double sum = 0;
            for (int i = 0; i < rows; i++)
            {
                double g = ScorerModelParameters.Sigmoid(workspace.Logits[i]);
                sum -= weights[i] * (targets[i] * Math.Log(g) + (1 - targets[i]) * Math.Log(1 - g));
            }
            return sum / rows;
        }

        network.Forward(parameters, x, rows, workspace, dropout: null);
        var dLogit = new double[rows];
        for (int i = 0; i < rows; i++) dLogit[i] = weights[i] * (ScorerModelParameters.Sigmoid(workspace.Logits[i]) - targets[i]) / rows;
        var gradient = new double[parameters.Length];
        var inputGradient = new double[x.Length];
        network.Backward(parameters, x, rows, workspace, dLogit, gradient, inputGradient);

        // Every parameter of small networks; a fixed sample of the large ones.
        var sample = parameters.Length <= 400 ? Enumerable.Range(0, parameters.Length)
            : Enumerable.Range(0, 300).Select(i => (int)((long)i * 7919 % parameters.Length)).Concat(Enumerable.Range(parameters.Length - 101, 101));
        const double h = 1e-6;
        foreach (int i in sample)
        {
            var plus = (double[])parameters.Clone();
            var minus = (double[])parameters.Clone();
            plus[i] += h;
            minus[i] -= h;
            double numeric = (Loss(plus) - Loss(minus)) / (2 * h);
            gradient[i].Should().BeApproximately(numeric, 1e-7 + 1e-5 * Math.Abs(numeric), $"∂loss/∂θ{i}");
        }

        // The same backward pass also gives ∂loss/∂x.
        for (int j = 0; j < x.Length; j++)
        {
            var plus = (double[])x.Clone();
            var minus = (double[])x.Clone();
            plus[j] += h;
            minus[j] -= h;
            var saved = x;
            x = plus;
            double up = Loss(parameters);
            x = minus;
            double down = Loss(parameters);
            x = saved;
            inputGradient[j].Should().BeApproximately((up - down) / (2 * h), 1e-7 + 1e-5 * Math.Abs((up - down) / (2 * h)), $"∂loss/∂x[{j}]");
        }
    }

    [Fact]
    public void Backward_WithDropoutMask_MatchesFiniteDifferencesUnderTheSameMask()
    {
        var model = RandomModel(4, [9, 5], Activation.Tanh, seed: 8);
        var network = model.Network;
        var parameters = model.Parameters.ToArray();
        const int rows = 5;
        var x = RandomRows(rows, 4, seed: 9);
        var workspace = new NetworkWorkspace();
        DropoutSampler SameMasks() => new(0.4, new RandomSource(77));

        double LogitSum(double[] p)
        {
            network.Forward(p, x, rows, workspace, SameMasks());
            return workspace.Logits.Take(rows).Sum();
        }

        network.Forward(parameters, x, rows, workspace, SameMasks());
        workspace.Masks[0].Take(rows * 9).Should().Contain(0.0).And.Contain(1 / 0.6);
        var gradient = new double[parameters.Length];
        network.Backward(parameters, x, rows, workspace, Enumerable.Repeat(1.0, rows).ToArray(), gradient, default);
        for (int i = 0; i < parameters.Length; i++)
        {
            var plus = (double[])parameters.Clone();
            var minus = (double[])parameters.Clone();
            plus[i] += 1e-6;
            minus[i] -= 1e-6;
            double numeric = (LogitSum(plus) - LogitSum(minus)) / 2e-6;
            gradient[i].Should().BeApproximately(numeric, 1e-6 + 1e-5 * Math.Abs(numeric), $"∂Σlogit/∂θ{i}");
        }
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Batch_AgreesBitForBitWithSingleRows(int d, int[] hidden, Activation activation)
    {
        var model = RandomModel(d, hidden, activation, seed: 11);
        const int rows = 71; // more than one 32-row chunk, and a ragged tail
        var x = RandomRows(rows, d, seed: 12);
        var scores = new double[rows];
        var logits = new double[rows];
        var probabilities = new double[rows];
        var gradients = new double[x.Length];
        model.ScoreAndInputGradientBatch(x, scores, gradients);
        model.ScoreLogitBatch(x, logits);
        model.ScoreBatch(x, probabilities);
        var single = new double[d];
        for (int r = 0; r < rows; r++)
        {
            var row = x.AsSpan(r * d, d);
            model.ScoreLogit(row).Should().Be(logits[r]);
            model.Score(row).Should().Be(probabilities[r]);
            model.ScoreAndInputGradient(row, single).Should().Be(scores[r]);
            single.Should().Equal(gradients.AsSpan(r * d, d).ToArray());
        }
    }

    [Theory]
    [InlineData(Activation.Relu)]
    [InlineData(Activation.Tanh)]
    public void Score_EqualsAPlainForwardPassOverThePublicLayers(Activation activation)
    {
        var model = (MultilayerPerceptronModelParameters)RandomModel(6, [10, 7], activation, seed: 13);
        var x = RandomRows(1, 6, seed: 14);
        double[] values = x;
        for (int l = 0; l < model.Layers.Count; l++)
        {
            var layer = model.Layers[l];
            var next = new double[layer.OutputCount];
            for (int j = 0; j < layer.OutputCount; j++)
            {
                double z = layer.Biases[j];
                for (int i = 0; i < layer.InputCount; i++) z += values[i] * layer.GetWeight(i, j);
                next[j] = l == model.Layers.Count - 1 ? z : activation == Activation.Relu ? Math.Max(z, 0) : Math.Tanh(z);
            }
            values = next;
        }
        model.ScoreLogit(x).Should().BeApproximately(values[0], 1e-12);
        model.Score(x).Should().BeApproximately(1 / (1 + Math.Exp(-values[0])), 1e-12);
    }

    [Fact]
    public void LogisticRegression_ScoreAndGradient_AreTheClosedForm()
    {
        var model = new LogisticRegressionModelParameters([0.5, -1.25, 2], 0.3);
        double[] x = [1, 2, -0.5];
        double z = 0.5 * 1 - 1.25 * 2 + 2 * -0.5 + 0.3;
        double g = 1 / (1 + Math.Exp(-z));
        model.ScoreLogit(x).Should().BeApproximately(z, 1e-15);
        model.Score(x).Should().BeApproximately(g, 1e-15);
        var gradient = new double[3];
        model.ScoreAndInputGradient(x, gradient);
        gradient.Should().Equal(new[] { 0.5, -1.25, 2 }.Select(w => g * (1 - g) * w), (a, b) => Math.Abs(a - b) < 1e-15);
        model.Weights.Should().Equal(0.5, -1.25, 2);
        model.Bias.Should().Be(0.3);
    }

    [Fact]
    public void Scoring_FromManyThreads_MatchesSequentialScoring()
    {
        var model = RandomModel(9, [100, 100], Activation.Relu, seed: 15);
        var other = RandomModel(3, [5], Activation.Tanh, seed: 16);
        var x = RandomRows(400, 9, seed: 17);
        var expected = new double[400];
        model.ScoreBatch(x, expected);
        var actual = new double[400];
        Parallel.For(0, 400, r =>
        {
            other.Score(RandomRows(1, 3, r)); // interleave another shape on the same thread-local workspace
            actual[r] = model.Score(x.AsSpan(r * 9, 9));
        });
        actual.Should().Equal(expected);
    }

    [Fact]
    public void Scoring_WrongSizes_ThrowsNamingTheArgument()
    {
        var model = RandomModel(3, [4], Activation.Relu, seed: 1);
        FluentActions.Invoking(() => model.Score(new double[2])).Should().Throw<ArgumentOutOfRangeException>()
            .WithParameterName("features").WithMessage("Expected 3 feature values; got 2.*");
        FluentActions.Invoking(() => model.ScoreBatch(new double[7], new double[2])).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("features");
        FluentActions.Invoking(() => model.ScoreBatch(new double[6], new double[3])).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("scores");
        FluentActions.Invoking(() => model.ScoreAndInputGradientBatch(new double[6], new double[2], new double[5])).Should()
            .Throw<ArgumentOutOfRangeException>().WithParameterName("inputGradients");
    }

    [Fact]
    public void Constructors_RejectInconsistentLayers()
    {
        FluentActions.Invoking(() => new DenseLayerParameters(3, 2, new double[5], new double[2])).Should().Throw<ArgumentOutOfRangeException>()
            .WithMessage("A 3 → 2 layer needs 3 × 2 = 6 weights; got 5.*");
        var first = new DenseLayerParameters(2, 3, new double[6], new double[3]);
        var wrongInput = new DenseLayerParameters(4, 1, new double[4], new double[1]);
        FluentActions.Invoking(() => new MultilayerPerceptronModelParameters([first, wrongInput], Activation.Relu)).Should()
            .Throw<ArgumentOutOfRangeException>().WithMessage("Layer 1 has 4 inputs but layer 0 has 3 outputs.*");
        var twoOutputs = new DenseLayerParameters(3, 2, new double[6], new double[2]);
        FluentActions.Invoking(() => new MultilayerPerceptronModelParameters([first, twoOutputs], Activation.Relu)).Should()
            .Throw<ArgumentOutOfRangeException>().WithMessage("The last layer must have one unit*");
        FluentActions.Invoking(() => new LogisticRegressionModelParameters([1, double.NaN], 0)).Should()
            .Throw<ArgumentOutOfRangeException>().WithMessage("Parameter 1 is not finite*");
    }

    [Fact]
    public void Layers_AreReadOnlyViewsInInputMajorLayout()
    {
        var layer = new DenseLayerParameters(2, 3, [1, 2, 3, 4, 5, 6], [7, 8, 9]);
        var model = new MultilayerPerceptronModelParameters([layer, new DenseLayerParameters(3, 1, [1, 1, 1], [0])], Activation.Tanh);
        model.Layers[0].GetWeight(1, 0).Should().Be(4);
        model.Layers[0].Weights.Should().Equal(1, 2, 3, 4, 5, 6);
        model.Layers[0].Weights.Should().NotBeAssignableTo<double[]>().And.NotBeAssignableTo<IList<double>>();
        model.HiddenLayerSizes.Should().Equal(3);
        model.Activation.Should().Be(Activation.Tanh);
        model.FeatureCount.Should().Be(2);
    }
}
