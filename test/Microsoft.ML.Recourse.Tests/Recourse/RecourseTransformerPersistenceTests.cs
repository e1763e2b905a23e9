using Microsoft.ML;
using Microsoft.ML.Recourse.Actions;
using Microsoft.ML.Data;
using Microsoft.ML.Recourse.Tests.TestFramework;

namespace Microsoft.ML.Recourse.Tests.Recourse;

public class RecourseTransformerPersistenceTests
{
    private static IDataView WithoutFeatures() => new DataViewBuilder().AddColumn("Id", [1]).Build();

    private static IDataView WrongSize() => new DataViewBuilder().AddVectorColumn("Features", 2, [1f, 2f]).Build();

    [Fact]
    public void GenerateRecourse_OneStep_PassesEstimatorConformance()
    {
        var transformer = EstimatorConformance.Check(
            ctx => ctx.GenerateRecourse(RecourseTransformerTests.Linear, RecourseTransformerTests.Actions, ctx.Generators.OneStep()),
            RecourseTransformerTests.Rows(),
            invalidSchemaInputs: [WithoutFeatures()],
            invalidDataInputs: [WrongSize()],
            invalidTransformInputs: [WithoutFeatures(), WrongSize()]);

        // Row 3 (logit −1.5) reaches g = 0.5 exactly with the full step on 'a'.
        transformer.Transform(RecourseTransformerTests.Rows()).GetColumn<bool>("HasRecourse").Should().Equal(true, true, false, true);
    }

    public static TheoryData<string, string> DamagedStates => new()
    {
        { "unknown generator kind", "*holds a Microsoft.ML.Recourse component that cannot be read*generator of kind 'forest'*does not know*" },
        { "newer transformer layout", "*holds a Microsoft.ML.Recourse component that cannot be read*layout version 9*" },
        { "malformed threshold", "*holds a Microsoft.ML.Recourse component that cannot be read*" },
    };

    // A state with a valid envelope and checksum whose content this version cannot read is an error of
    // Recourse().Model.Load naming the file, not of the first row read later.
    [Theory]
    [MemberData(nameof(DamagedStates))]
    public void Load_RejectsAStateItCannotRead_NamingTheFile(string damage, string message)
    {
        var context = new MLContext(3).Recourse();
        var transformer = context.GenerateRecourse(RecourseTransformerTests.Linear, RecourseTransformerTests.Actions, context.Generators.OneStep())
            .Fit(RecourseTransformerTests.Rows());
        var damaged = new DamagedState(transformer, damage);
        string path = Path.Combine(Path.GetTempPath(), $"recourse-damaged-{Guid.NewGuid():N}.zip");
        new MLContext(0).Model.Save(Persistence.SavedForm.Build(damaged), RecourseTransformerTests.Rows().Schema, path);

        var act = () => new MLContext(0).Recourse().Model.Load(path, out _);

        act.Should().Throw<InvalidDataException>().WithMessage($"'{path}'{message}");
        File.Delete(path);
    }

    // ML.NET reads a damaged zip entry through reflection; the error names the zip reader's own complaint.
    [Fact]
    public void Load_OfAZipWithOverwrittenBytes_QuotesTheUnderlyingError()
    {
        var context = new MLContext(3).Recourse();
        var transformer = context.GenerateRecourse(RecourseTransformerTests.Linear, RecourseTransformerTests.Actions, context.Generators.OneStep())
            .Fit(RecourseTransformerTests.Rows());
        string path = Path.Combine(Path.GetTempPath(), $"recourse-overwritten-{Guid.NewGuid():N}.zip");
        SavedModels.Save(transformer, RecourseTransformerTests.Rows().Schema, path);
        var bytes = File.ReadAllBytes(path);
        // Every central-directory record (signature PK 1 2): its compression method field (offset 10) set to an unknown method.
        for (int i = 0; i + 12 < bytes.Length; i++)
            if (bytes[i] == 0x50 && bytes[i + 1] == 0x4B && bytes[i + 2] == 1 && bytes[i + 3] == 2) bytes[i + 10] = 0x63;
        File.WriteAllBytes(path, bytes);

        var act = () => new MLContext(0).Recourse().Model.Load(path, out _);

        act.Should().Throw<InvalidDataException>().Which.Message.Should().StartWith($"'{path}' is not a loadable ML.NET model file")
            .And.NotContain("target of an invocation");
        File.Delete(path);
    }

    private sealed class DamagedState(RecourseTransformer inner, string damage) : Persistence.IPersistedTransformer
    {
        private Persistence.IPersistedTransformer Inner => inner;

        public string Kind => Inner.Kind;

        public int KindVersion => damage == "newer transformer layout" ? 9 : Inner.KindVersion;

        public IReadOnlyList<string> InputColumnNames => Inner.InputColumnNames;

        public int FeatureCount => Inner.FeatureCount;

        public IReadOnlyList<int?> InputColumnSizes => Inner.InputColumnSizes;

        public Persistence.SavedOutputs Outputs => Inner.Outputs;

        public bool IsRowToRowMapper => inner.IsRowToRowMapper;

        public System.Text.Json.Nodes.JsonObject SaveState()
        {
            var state = Inner.SaveState();
            if (damage == "unknown generator kind") state["generator"]!["kind"] = "forest";
            if (damage == "malformed threshold") state["threshold"] = "high";
            return state;
        }

        public DataViewSchema GetOutputSchema(DataViewSchema inputSchema) => inner.GetOutputSchema(inputSchema);

        public IRowToRowMapper GetRowToRowMapper(DataViewSchema inputSchema) => inner.GetRowToRowMapper(inputSchema);

        public IDataView Transform(IDataView input) => inner.Transform(input);

        void ICanSaveModel.Save(ModelSaveContext ctx) => throw new NotSupportedException();
    }

    [Fact]
    public void SaveLoad_LinearIntegerProgram_KeepsGeneratorOptionsAndOutputs()
    {
        var context = new MLContext(3).Recourse();
        var generator = context.Generators.LinearIntegerProgram(new LinearIntegerProgramGenerator.Options
        {
            GridPointsPerFeature = 7,
            Surrogate = LinearSurrogate.Lime,
            LimeSampleCount = 200,
            RobustnessRadius = 0.05,
            SolverMaximumSeconds = 30,
            SolverNumberOfWorkers = 2,
        });
        var transformer = context.GenerateRecourse(RecourseTransformerTests.Linear, RecourseTransformerTests.Actions, generator, threshold: 0.4)
            .Fit(RecourseTransformerTests.Rows());
        string path = Path.Combine(Path.GetTempPath(), $"recourse-{Guid.NewGuid():N}.zip");

        SavedModels.Save(transformer, RecourseTransformerTests.Rows().Schema, path);
        var loaded = SavedModels.Load<RecourseTransformer>(path);
        File.Delete(path);

        loaded.Threshold.Should().Be(0.4);
        var loadedGenerator = loaded.Generator.Should().BeOfType<LinearIntegerProgramGenerator>().Subject;
        loadedGenerator.StoredOptions.Should().BeEquivalentTo(generator.StoredOptions);
        loadedGenerator.GridPointsPerFeature.Should().Be(7);
        loadedGenerator.RobustnessRadius.Should().Be(0.05);
        loadedGenerator.StoredOptions.SolverMaximumSeconds.Should().Be(30);
        loadedGenerator.StoredOptions.SolverNumberOfWorkers.Should().Be(2);
        var expected = transformer.Transform(RecourseTransformerTests.Rows());
        var actual = loaded.Transform(RecourseTransformerTests.Rows());
        actual.GetColumn<float[]>("RecourseDelta").SelectMany(v => v).Should().Equal(expected.GetColumn<float[]>("RecourseDelta").SelectMany(v => v));
        actual.GetColumn<string>("RecourseStatus").Should().Equal(expected.GetColumn<string>("RecourseStatus"));
    }

    [Theory]
    [InlineData("onestep")]
    [InlineData("gradient")]
    public void SaveLoad_OneStepAndGradient_KeepOptionsAndOutputs(string name)
    {
        var context = new MLContext(5).Recourse();
        IRecourseGenerator generator = name == "onestep"
            ? context.Generators.OneStep(PerturbationDirection.ReferenceCode)
            : context.Generators.GradientDescent(new GradientDescentGenerator.Options { MaximumNumberOfIterations = 200, LearningRate = 0.05 });
        var transformer = context.GenerateRecourse(RecourseTransformerTests.Linear, RecourseTransformerTests.Actions, generator).Fit(RecourseTransformerTests.Rows());
        using var stream = new MemoryStream();

        SavedModels.Save(transformer, null, stream);
        stream.Position = 0;
        var loaded = SavedModels.Load<RecourseTransformer>(stream);

        loaded.Generator.Should().BeOfType(generator.GetType());
        if (loaded.Generator is OneStepGenerator oneStep) oneStep.Direction.Should().Be(PerturbationDirection.ReferenceCode);
        if (loaded.Generator is GradientDescentGenerator gradient)
            gradient.StoredOptions.Should().BeEquivalentTo(((GradientDescentGenerator)generator).StoredOptions);
        var expected = transformer.Transform(RecourseTransformerTests.Rows());
        var actual = loaded.Transform(RecourseTransformerTests.Rows());
        actual.GetColumn<float[]>("RecourseDelta").SelectMany(v => v).Should().Equal(expected.GetColumn<float[]>("RecourseDelta").SelectMany(v => v));
        actual.GetColumn<string>("RecourseStatus").Should().Equal(expected.GetColumn<string>("RecourseStatus"));
    }

    [Fact]
    public void SaveLoad_BlackBoxScorer_IsNotSupported()
    {
        var context = new MLContext(1).Recourse();
        var blackBox = new BlackBox();
        var transformer = context.GenerateRecourse(blackBox, RecourseTransformerTests.Actions, context.Generators.OneStep()).Fit(RecourseTransformerTests.Rows());

        FluentActions.Invoking(() => SavedModels.Save(transformer, null, new MemoryStream()))
            .Should().Throw<NotSupportedException>().WithMessage("*black-box scorer (BlackBox)*");
    }

    [Fact]
    public void ActionSetJson_RoundTrip_KeepsEveryDeclaration()
    {
        FeatureInfo[] features =
        [
            new("amount", Mean: 3000, Scale: 2500, Actionability: FeatureActionability.Free, Description: "credit amount"),
            new("duration", Mean: 20, Scale: 12, Actionability: FeatureActionability.DecreaseOnly, IsInteger: true),
            new("status_1", IsCategorical: true),
            new("status_2", IsCategorical: true),
            new("age", Actionability: FeatureActionability.IncreaseOnly),
        ];
        var set = ActionSet.CreateBuilder(features, 0.75)
            .SetBounds("amount", 250, 20_000)
            .SetCostWeight("amount", 2)
            .SetInteger("duration")
            .SetMaximumChange("duration", double.PositiveInfinity)
            .SetMaximumChange("age", 1.5)
            .SetStandardScale("age", 11)
            .AddOneHotGroup("status", ["status_1", "status_2"], isMutable: true, categoryLabels: ["single", "married"])
            .SetActionability("status_2", FeatureActionability.IncreaseOnly)
            .AddLinearConstraint("halving", new Dictionary<string, double> { ["amount"] = 1 }, new Dictionary<string, double> { ["amount"] = 0.5 }, constant: -10)
            .Build();

        var copy = ActionSetJson.FromJson(ActionSetJson.ToJson(set));

        copy.Features.Should().Equal(set.Features);
        copy.Actions.Should().Equal(set.Actions);
        copy.HasOwnMaximumChange.Should().Equal(set.HasOwnMaximumChange);
        copy.MaximumChange.Should().Be(0.75);
        copy.OneHotGroups.Should().BeEquivalentTo(set.OneHotGroups);
        copy.LinearConstraints.Should().BeEquivalentTo(set.LinearConstraints);
        ActionSetJson.ToJson(copy).ToJsonString().Should().Be(ActionSetJson.ToJson(set).ToJsonString());
    }

    private sealed class BlackBox : Microsoft.ML.Recourse.Models.IScorer
    {
        public int FeatureCount => 3;

        public double Score(ReadOnlySpan<double> features) => RecourseTransformerTests.Linear.Score(features);

        public void ScoreBatch(ReadOnlySpan<double> features, Span<double> scores) => RecourseTransformerTests.Linear.ScoreBatch(features, scores);
    }
}
