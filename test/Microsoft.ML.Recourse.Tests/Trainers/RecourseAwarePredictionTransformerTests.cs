using Microsoft.ML;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.ML.Data;
using Microsoft.ML.Recourse.Models;
using Microsoft.ML.Recourse.Trainers;

using Microsoft.ML.Recourse.Tests.TestFramework;

namespace Microsoft.ML.Recourse.Tests.Trainers;

public class RecourseAwarePredictionTransformerTests
{
    private static readonly LogisticRegressionModelParameters Linear = new([1.5, -2], 0.25);

    private static IDataView Rows(params float[][] rows) => new DataViewBuilder().AddVectorColumn("Features", rows, ["a", "b"]).Build();

    [Fact]
    public void Transform_AppendsLogitProbabilityAndPredictedLabel()
    {
        var transformer = new RecourseAwarePredictionTransformer<LogisticRegressionModelParameters>(Linear, "Features");
        var output = transformer.Transform(Rows([1, 0], [0, 1], [0.5f, 0.5f]));
        output.Schema.Select(c => $"{c.Name} ({c.Type})").Should().Equal(
            "Features (Vector<Single, 2>)", "Score (Single)", "Probability (Single)", "PredictedLabel (Boolean)");
        output.GetColumn<float>("Score").Should().Equal(1.75f, -1.75f, 0f);
        output.GetColumn<float>("Probability").Should().Equal((float)(1 / (1 + Math.Exp(-1.75))), (float)(1 / (1 + Math.Exp(1.75))), 0.5f);
        output.GetColumn<bool>("PredictedLabel").Should().Equal(true, false, true);
        output.Schema.SlotNamesOf("Features").Should().Equal("a", "b");
    }

    [Fact]
    public void Transform_HidesExistingOutputColumns_AsMlNetTransformsDo()
    {
        var input = new DataViewBuilder().AddColumn("Score", [9f]).AddVectorColumn("Features", 2, [1f, 0f]).Build();
        var transformer = new RecourseAwarePredictionTransformer<LogisticRegressionModelParameters>(Linear, "Features");
        var output = transformer.Transform(input);
        output.Schema.Where(c => !c.IsHidden).Select(c => c.Name).Should().Equal("Features", "Score", "Probability", "PredictedLabel");
        output.Schema[0].IsHidden.Should().BeTrue("the input's Score is hidden by the new one");
        output.GetColumn<float>("Score").Should().Equal(1.75f);
        transformer.GetOutputSchema(input.Schema).Select(c => $"{c.Name} {c.Type} {c.IsHidden}").Should().Equal(output.Schema.Select(c => $"{c.Name} {c.Type} {c.IsHidden}"));
    }

    [Fact]
    public void WithThreshold_ReturnsANewTransformer_AndMovesTheDecision()
    {
        var transformer = new RecourseAwarePredictionTransformer<LogisticRegressionModelParameters>(Linear, "Features");
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
        var transformer = new RecourseAwarePredictionTransformer<LogisticRegressionModelParameters>(Linear, "Features");
        var wrongSize = new DataViewBuilder().AddVectorColumn("Features", 3, [1f, 2f, 3f]).Build();
        FluentActions.Invoking(() => transformer.Transform(wrongSize)).Should().Throw<ArgumentOutOfRangeException>()
            .WithMessage("Schema mismatch for feature column 'Features': expected Vector<Single, 2>, got Vector<Single, 3>*");
        FluentActions.Invoking(() => transformer.GetOutputSchema(wrongSize.Schema)).Should().Throw<ArgumentOutOfRangeException>()
            .WithMessage("Schema mismatch for feature column 'Features'*");
        var missing = new DataViewBuilder().AddColumn("X", [1f]).Build();
        FluentActions.Invoking(() => transformer.Transform(missing)).Should().Throw<ArgumentOutOfRangeException>()
            .WithMessage("Could not find feature column 'Features'*");
        FluentActions.Invoking(() => transformer.Transform(Rows([float.NaN, 1])).GetColumn<float>("Score").ToList()).Should().Throw<ArgumentOutOfRangeException>()
            .WithMessage("Column 'Features' has a non-finite value (NaN) in row 0, slot 0 ('a').*");
    }

    [Fact]
    public void SaveLoad_RoundTripsParametersExactly_AndGivesIdenticalPredictions()
    {
        var data = Rows([0.3f, -1.2f], [2, 1], [-0.7f, 0.1f]);
        var mlp = (MultilayerPerceptronModelParameters)Models.ScorerModelParametersTests.RandomModel(2, [7, 5], Activation.Tanh, seed: 4);
        var transformer = new RecourseAwarePredictionTransformer<MultilayerPerceptronModelParameters>(mlp, "Features", 0.37);
        using var stream = new MemoryStream();
        SavedModels.Save(transformer, data.Schema, stream);
        stream.Position = 0;
        var ml = new MLContext(3);
        var mlnetModel = ml.Model.Load(stream, out _);
        var loaded = ml.Recourse().Model.GetTransformer<RecourseAwarePredictionTransformer<MultilayerPerceptronModelParameters>>(mlnetModel);
        loaded.Threshold.Should().Be(0.37);
        loaded.Model.Activation.Should().Be(Activation.Tanh);
        loaded.Model.Parameters.ToArray().Should().Equal(mlp.Parameters.ToArray());
        var expected = transformer.Transform(data);
        EstimatorConformance.SameValues(loaded.Transform(data), expected, "the typed transformer read back");
        EstimatorConformance.SameValues(mlnetModel.Transform(data), expected, "the model as ML.NET loaded it");
    }

    [Fact]
    public void SaveLoad_InsideAChain_RoundTripsALogisticRegression()
    {
        var chain = new TransformerChain<ITransformer>([]).Append(new RecourseAwarePredictionTransformer<LogisticRegressionModelParameters>(Linear, "Features"));
        var model = SavedModels.SaveAndLoad<RecourseAwarePredictionTransformer<LogisticRegressionModelParameters>>(chain, Rows([1, 2]).Schema).Model;
        model.Weights.Should().Equal(1.5, -2);
        model.Bias.Should().Be(0.25);
    }

    [Fact]
    public void Load_WeightsArrayOfTheWrongLength_IsRejectedAsACorruptModel()
    {
        var mlp = (MultilayerPerceptronModelParameters)Models.ScorerModelParametersTests.RandomModel(2, [3], Activation.Relu, seed: 4);
        var state = Tamper(new RecourseAwarePredictionTransformer<MultilayerPerceptronModelParameters>(mlp, "Features"),
            node => node["data"]!["model"]!["data"]!["layers"]![0]!["weights"]!.AsArray().RemoveAt(0));
        FluentActions.Invoking(() => LoadState(state)).Should().Throw<InvalidDataException>()
            .WithMessage("Not a valid Microsoft.ML.Recourse model: the 'MultilayerPerceptron' node is malformed (A 2 → 3 layer needs 2 × 3 = 6 weights; got 5.*");
    }

    [Fact]
    public void Load_UnknownModelKind_IsRejected()
    {
        var state = Tamper(new RecourseAwarePredictionTransformer<LogisticRegressionModelParameters>(Linear, "Features"),
            node => node["data"]!["model"]!["kind"] = "Forest");
        FluentActions.Invoking(() => LoadState(state)).Should().Throw<InvalidDataException>()
            .WithMessage("*a scorer of kind 'Forest', which this version of Microsoft.ML.Recourse does not know*");
    }

    [Fact]
    public void Load_ModifiedStateWithoutANewChecksum_IsRejected()
    {
        var saved = Microsoft.ML.Recourse.Persistence.SavedForm.FindStates(
            Microsoft.ML.Recourse.Persistence.SavedForm.Build(new RecourseAwarePredictionTransformer<LogisticRegressionModelParameters>(Linear, "Features"))).Single();
        var edited = saved.Replace("0.25", "0.35", StringComparison.Ordinal);
        edited.Should().NotBe(saved);
        FluentActions.Invoking(() => Microsoft.ML.Recourse.Persistence.ModelState.Read(edited)).Should().Throw<InvalidDataException>()
            .WithMessage("*checksum of its state does not match*");
    }

    // Edits a transformer's stored state and writes it with a fresh checksum, so only the content check can catch it.
    private static string Tamper(ITransformer transformer, Action<JsonNode> edit)
    {
        var saved = Microsoft.ML.Recourse.Persistence.SavedForm.FindStates(
            Microsoft.ML.Recourse.Persistence.SavedForm.Build((Microsoft.ML.Recourse.Persistence.IPersistedTransformer)transformer)).Single();
        var node = Microsoft.ML.Recourse.Persistence.ModelState.Read(saved);
        edit(node);
        return Microsoft.ML.Recourse.Persistence.ModelState.Write(node);
    }

    private static ITransformer LoadState(string state)
        => Microsoft.ML.Recourse.Persistence.PersistedKinds.Load<ITransformer>(Microsoft.ML.Recourse.Persistence.PersistedFamily.Transformer,
            Microsoft.ML.Recourse.Persistence.ModelState.Read(state), RecourseEnvironment.Detached);
}
