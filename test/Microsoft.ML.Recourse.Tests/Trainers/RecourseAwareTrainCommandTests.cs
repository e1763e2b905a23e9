using Microsoft.ML;
using Microsoft.ML.Recourse.Tests.TestFramework;
using System.Text.Json;
using Microsoft.ML.Recourse.Models;
using Microsoft.ML.Recourse.Tests.Persuasion;
using Microsoft.ML.Recourse.Trainers;

namespace Microsoft.ML.Recourse.Tests.Trainers;

/// <summary>Runs <c>recourse train</c> as a user would (on the synthetic data, which needs no files).</summary>
public class RecourseAwareTrainCommandTests
{
    [Theory]
    [InlineData("logistic", "recourse")]
    [InlineData("mlp", "reference")]
    public void Train_Json_SavesTheModelWithItsMetadata(string model, string direction)
    {
        string path = Path.Combine(Path.GetTempPath(), $"train-{Guid.NewGuid():N}.zip");
        var (exit, output, error) = CliRunner.Run("train", "--dataset", "synthetic", "--model", model, "--lambda", "0.8",
            "--direction", direction, "--epochs", "2", "--split-seed", "3", "--out", path, "--json");

        exit.Should().Be(0, error);
        error.Should().Contain("epoch 2/2", "progress lines go to standard error with --json");
        using var json = JsonDocument.Parse(output);
        var root = json.RootElement;
        root.GetProperty("dataset").GetString().Should().Be("synthetic");
        root.GetProperty("direction").GetString().Should().Be(direction);
        root.GetProperty("batchSize").GetInt32().Should().Be(10);
        double threshold = root.GetProperty("threshold").GetDouble();
        root.GetProperty("test").GetProperty("accuracy").GetDouble().Should().BeInRange(0.5, 1);

        var loaded = Microsoft.ML.Recourse.Cli.ModelFiles.Load(new MLContext(1).Recourse(), path, out var metadata);
        metadata["dataset"].Should().Be("synthetic");
        metadata["splitSeed"].Should().Be("3");
        metadata["model"].Should().Be(model);
        metadata["lambda"].Should().Be("0.8");
        metadata["direction"].Should().Be(direction);
        metadata["maximumChange"].Should().Be("0.75");
        double.Parse(metadata["threshold"], System.Globalization.CultureInfo.InvariantCulture).Should().Be(threshold);
        var typed = new MLContext(1).Recourse().Model.GetTransformers(loaded).Should().ContainSingle().Subject;
        if (model == "mlp")
            typed.Should().BeOfType<RecourseAwarePredictionTransformer<MultilayerPerceptronModelParameters>>().Which.Threshold.Should().Be(threshold);
        else
            typed.Should().BeOfType<RecourseAwarePredictionTransformer<LogisticRegressionModelParameters>>().Which.Threshold.Should().Be(threshold);
        File.Delete(path);
    }

    [Fact]
    public void Train_Plain_PrintsEpochsMetricsAndThreshold()
    {
        string path = Path.Combine(Path.GetTempPath(), $"train-{Guid.NewGuid():N}.zip");
        var (exit, output, error) = CliRunner.Run("train", "--dataset", "synthetic", "--model", "logistic", "--lambda", "0", "--epochs", "3", "--out", path);

        exit.Should().Be(0, error);
        output.Should().Contain("epoch 3/3").And.Contain("threshold θ₀ =").And.Contain("test: ").And.Contain("wrote " + path);
        File.Delete(path);
    }

    [Fact]
    public void Train_NegativeLambda_ExitsWithClearError()
    {
        string path = Path.Combine(Path.GetTempPath(), $"train-{Guid.NewGuid():N}.zip");
        var (exit, _, error) = CliRunner.Run("train", "--dataset", "synthetic", "--model", "mlp", "--lambda", "-0.5", "--out", path);

        exit.Should().Be(1);
        error.Should().Contain("error: --lambda expects a number ≥ 0 and ≤ 1000000; got '-0.5'.");
        File.Exists(path).Should().BeFalse();
    }
}
