using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.ML.Recourse.Data;
using Microsoft.ML.Recourse.Models;
using Microsoft.ML.Recourse.Trainers;

namespace Microsoft.ML.Recourse.Tests.Trainers;

public class BinaryPredictionTransformerTests
{
    private static readonly LogisticRegressionModelParameters Linear = new([1.5, -2], 0.25);

    private static IDataView Rows(params float[][] rows) => new DataViewBuilder().AddVectorColumn("Features", rows, ["a", "b"]).Build();

    [Fact]
    public void Transform_AppendsLogitProbabilityAndPredictedLabel()
    {
        var transformer = new BinaryPredictionTransformer<LogisticRegressionModelParameters>(Linear, "Features");
        var output = transformer.Transform(Rows([1, 0], [0, 1], [0.5f, 0.5f]));
        output.Schema.Select(c => c.ToString()).Should().Equal(
            "Features (Vector<Single, 2>)", "Score (Single)", "Probability (Single)", "PredictedLabel (Boolean)");
        output.GetColumn<float>("Score").Should().Equal(1.75f, -1.75f, 0f);
        output.GetColumn<float>("Probability").Should().Equal((float)(1 / (1 + Math.Exp(-1.75))), (float)(1 / (1 + Math.Exp(1.75))), 0.5f);
        output.GetColumn<bool>("PredictedLabel").Should().Equal(true, false, true);
        output.Schema["Features"].Annotations.SlotNames.Should().Equal("a", "b");
    }

    [Fact]
    public void Transform_ReplacesExistingOutputColumnsInPlace()
    {
        var input = new DataViewBuilder().AddColumn("Score", [9f]).AddVectorColumn("Features", 2, [1f, 0f]).Build();
        var transformer = new BinaryPredictionTransformer<LogisticRegressionModelParameters>(Linear, "Features");
        var output = transformer.Transform(input);
        output.Schema.Select(c => c.Name).Should().Equal("Score", "Features", "Probability", "PredictedLabel");
        output.GetColumn<float>("Score").Should().Equal(1.75f);
        transformer.GetOutputSchema(input.Schema).Select(c => c.ToString()).Should().Equal(output.Schema.Select(c => c.ToString()));
    }

    [Fact]
    public void WithThreshold_ReturnsANewTransformer_AndMovesTheDecision()
    {
        var transformer = new BinaryPredictionTransformer<LogisticRegressionModelParameters>(Linear, "Features");
        var strict = transformer.WithThreshold(0.9);
        strict.Threshold.Should().Be(0.9);
        transformer.Threshold.Should().Be(0.5);
        strict.Model.Should().BeSameAs(transformer.Model);
        strict.Transform(Rows([1, 0], [0.5f, 0.5f])).GetColumn<bool>("PredictedLabel").Should().Equal(false, false);
        transformer.WithThreshold(0).Transform(Rows([0, 5])).GetColumn<bool>("PredictedLabel").Should().Equal(true);
        FluentActions.Invoking(() => transformer.WithThreshold(1.5)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("threshold");
        FluentActions.Invoking(() => transformer.WithThreshold(double.NaN)).Should().Throw<ArgumentOutOfRangeException>();
    }

    [Fact]
    public void TransformAndGetOutputSchema_RejectMissingOrMisSizedFeatures()
    {
        var transformer = new BinaryPredictionTransformer<LogisticRegressionModelParameters>(Linear, "Features");
        var wrongSize = new DataViewBuilder().AddVectorColumn("Features", 3, [1f, 2f, 3f]).Build();
        FluentActions.Invoking(() => transformer.Transform(wrongSize)).Should().Throw<ArgumentOutOfRangeException>()
            .WithMessage("Schema mismatch for feature column 'Features': expected Vector<Single, 2>, got Vector<Single, 3>*");
        FluentActions.Invoking(() => transformer.GetOutputSchema(wrongSize.Schema)).Should().Throw<ArgumentOutOfRangeException>()
            .WithMessage("Schema mismatch for feature column 'Features'*");
        var missing = new DataViewBuilder().AddColumn("X", [1f]).Build();
        FluentActions.Invoking(() => transformer.Transform(missing)).Should().Throw<ArgumentOutOfRangeException>()
            .WithMessage("Could not find feature column 'Features'*");
        FluentActions.Invoking(() => transformer.Transform(Rows([float.NaN, 1]))).Should().Throw<ArgumentOutOfRangeException>()
            .WithMessage("Column 'Features' has a non-finite value (NaN) in row 0, slot 0 ('a').*");
    }

    [Fact]
    public void SaveLoad_RoundTripsParametersExactly_AndGivesIdenticalPredictions()
    {
        var ctx = new RecourseContext(3);
        var data = Rows([0.3f, -1.2f], [2, 1], [-0.7f, 0.1f]);
        var mlp = (MultilayerPerceptronModelParameters)Models.ScorerModelParametersTests.RandomModel(2, [7, 5], Activation.Tanh, seed: 4);
        var transformer = new BinaryPredictionTransformer<MultilayerPerceptronModelParameters>(mlp, "Features", 0.37);
        using var stream = new MemoryStream();
        ctx.Model.Save(transformer, data.Schema, stream);
        stream.Position = 0;
        var loaded = ctx.Model.Load(stream, out _).Should().BeOfType<BinaryPredictionTransformer<MultilayerPerceptronModelParameters>>().Subject;
        loaded.Threshold.Should().Be(0.37);
        loaded.Model.Activation.Should().Be(Activation.Tanh);
        loaded.Model.Parameters.ToArray().Should().Equal(mlp.Parameters.ToArray());
        var expected = transformer.Transform(data);
        var actual = loaded.Transform(data);
        actual.GetColumn<float>("Score").Should().Equal(expected.GetColumn<float>("Score"));
        actual.GetColumn<bool>("PredictedLabel").Should().Equal(expected.GetColumn<bool>("PredictedLabel"));
    }

    [Fact]
    public void SaveLoad_InsideAChain_RoundTripsALogisticRegression()
    {
        var ctx = new RecourseContext(3);
        var chain = new TransformerChain<ITransformer>([]).Append(new BinaryPredictionTransformer<LogisticRegressionModelParameters>(Linear, "Features"));
        using var stream = new MemoryStream();
        ctx.Model.Save(chain, null, stream);
        stream.Position = 0;
        var loaded = (TransformerChain<ITransformer>)ctx.Model.Load(stream, out _);
        var model = loaded.LastTransformer.Should().BeOfType<BinaryPredictionTransformer<LogisticRegressionModelParameters>>().Subject.Model;
        model.Weights.Should().Equal(1.5, -2);
        model.Bias.Should().Be(0.25);
    }

    [Fact]
    public void Load_WeightsArrayOfTheWrongLength_IsRejectedAsACorruptModel()
    {
        var ctx = new RecourseContext(3);
        var mlp = (MultilayerPerceptronModelParameters)Models.ScorerModelParametersTests.RandomModel(2, [3], Activation.Relu, seed: 4);
        using var stream = new MemoryStream();
        ctx.Model.Save(new BinaryPredictionTransformer<MultilayerPerceptronModelParameters>(mlp, "Features"), null, stream);
        var tampered = RewriteModelJson(stream.ToArray(), model =>
            model["data"]!["model"]!["layers"]![0]!["weights"]!.AsArray().RemoveAt(0));
        FluentActions.Invoking(() => ctx.Model.Load(new MemoryStream(tampered), out _)).Should().Throw<InvalidDataException>()
            .WithMessage("Not a valid Microsoft.ML.Recourse model file: the 'BinaryPredictionTransformer' node is malformed (A 2 → 3 layer needs 2 × 3 = 6 weights; got 5.*");
    }

    [Fact]
    public void Load_UnknownModelKind_IsRejected()
    {
        var ctx = new RecourseContext(3);
        using var stream = new MemoryStream();
        ctx.Model.Save(new BinaryPredictionTransformer<LogisticRegressionModelParameters>(Linear, "Features"), null, stream);
        var tampered = RewriteModelJson(stream.ToArray(), model => model["data"]!["modelKind"] = "Forest");
        FluentActions.Invoking(() => ctx.Model.Load(new MemoryStream(tampered), out _)).Should().Throw<InvalidDataException>()
            .WithMessage("*Unknown model parameters kind 'Forest'*");
    }

    // Edits model.json and refreshes its checksum, so that only the content check can catch the change.
    private static byte[] RewriteModelJson(byte[] file, Action<JsonNode> edit)
    {
        using var buffer = new MemoryStream();
        buffer.Write(file);
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Update, leaveOpen: true))
        {
            var modelEntry = zip.GetEntry("model.json")!;
            JsonNode model;
            using (var s = modelEntry.Open()) model = JsonNode.Parse(s)!;
            edit(model);
            var bytes = Encoding.UTF8.GetBytes(model.ToJsonString());
            modelEntry.Delete();
            using (var s = zip.CreateEntry("model.json").Open()) s.Write(bytes);
            var manifestEntry = zip.GetEntry("manifest.json")!;
            JsonNode manifest;
            using (var s = manifestEntry.Open()) manifest = JsonNode.Parse(s)!;
            manifest["sha256"]!["model.json"] = Convert.ToHexString(SHA256.HashData(bytes));
            manifestEntry.Delete();
            using (var s = zip.CreateEntry("manifest.json").Open()) s.Write(Encoding.UTF8.GetBytes(manifest.ToJsonString()));
        }
        return buffer.ToArray();
    }
}
