using Microsoft.ML;
using Microsoft.ML.Recourse.Actions;
using Microsoft.ML.Data;
using Microsoft.ML.Recourse.Models;
using Microsoft.ML.Recourse.Tests.TestFramework;
using Microsoft.ML.Recourse.Trainers;

namespace Microsoft.ML.Recourse.Tests.Recourse;

public class RecourseTransformerTests
{
    // g(x) = σ(2a − b − 1): a is free, b immutable, c may only rise.
    internal static readonly LogisticRegressionModelParameters Linear = new([2, -1, 0], -1);

    internal static readonly FeatureInfo[] Features =
    [
        new("a", Mean: 10, Scale: 2, Actionability: FeatureActionability.Free, Description: "savings"),
        new("b", Actionability: FeatureActionability.Immutable),
        new("c", Actionability: FeatureActionability.IncreaseOnly),
    ];

    internal static readonly ActionSet Actions = ActionSet.FromFeatures(Features, maximumChange: 0.75);

    // Row 0 is accepted; row 1 gets recourse; row 2's step does not reach θ₀ = 0.5; row 3 is certified infeasible.
    internal static IDataView Rows() => new DataViewBuilder()
        .AddColumn("Id", [7, 8, 9, 10])
        .AddVectorColumn("Features", [[1f, 0f, 0f], [0.2f, 0f, 0f], [-1f, 0f, 0f], [0f, 0.5f, 0f]], ["a", "b", "c"])
        .AddColumn("grp", ["A", "A", "B", "B"])
        .Build();

    private static FixedStepGenerator Generator() => new([0.75, 0, 0], infeasibleWhenPositive: 1);

    private static RecourseTransformer Fit(IDataView data, FixedStepGenerator? generator = null)
        => new MLContext(1).Recourse().GenerateRecourse(Linear, Actions, generator ?? Generator()).Fit(data);

    [Fact]
    public void Transform_AcceptedRow_HasZeroDeltaZeroCostAndRecourse()
    {
        var output = Fit(Rows()).Transform(Rows());

        output.GetColumn<float[]>("RecourseDelta").First().Should().Equal(0f, 0f, 0f);
        output.GetColumn<float>("RecourseCost").First().Should().Be(0f);
        output.GetColumn<bool>("HasRecourse").First().Should().BeTrue();
        output.GetColumn<string>("RecourseStatus").First().Should().Be("Accepted");
    }

    [Fact]
    public void Transform_RejectedRows_GetDeltaCostOrNaN()
    {
        var output = Fit(Rows()).Transform(Rows());

        var delta = output.GetColumn<float[]>("RecourseDelta").ToArray();
        delta[1].Should().Equal(0.75f, 0f, 0f);
        delta[2].Should().OnlyContain(v => float.IsNaN(v), "a step that does not reach θ₀ is no recourse");
        delta[3].Should().OnlyContain(v => float.IsNaN(v));
        var cost = output.GetColumn<float>("RecourseCost").ToArray();
        cost[1].Should().BeApproximately(0.75f, 1e-6f);
        float.IsNaN(cost[2]).Should().BeTrue();
        float.IsNaN(cost[3]).Should().BeTrue();
        output.GetColumn<bool>("HasRecourse").Should().Equal(true, true, false, false);
        output.GetColumn<string>("RecourseStatus").Should().Equal("Accepted", "Found", "Found", "Infeasible");
    }

    [Fact]
    public void Transform_KeepsInputColumnsUntouched()
    {
        var input = Rows();
        var output = Fit(input).Transform(input);

        output.Schema.Select(c => $"{c.Name} ({c.Type})").Should().Equal(
            "Id (Int32)", "Features (Vector<Single, 3>)", "grp (String)",
            "RecourseDelta (Vector<Single, 3>)", "RecourseCost (Single)", "HasRecourse (Boolean)", "RecourseStatus (String)");
        output.GetColumn<int>("Id").Should().Equal(7, 8, 9, 10);
        output.GetColumn<float[]>("Features").SelectMany(v => v).Should().Equal(input.GetColumn<float[]>("Features").SelectMany(v => v));
        output.GetColumn<string>("grp").Should().Equal("A", "A", "B", "B");
        output.Schema.SlotNamesOf("Features").Should().Equal("a", "b", "c");
    }

    [Fact]
    public void Transform_AllRowsAccepted_DoesNotCallGenerator()
    {
        var generator = Generator();
        var input = new DataViewBuilder().AddVectorColumn("Features", [[1f, 0f, 0f]], ["a", "b", "c"]).Build();
        var output = Fit(input, generator).Transform(input);

        generator.Calls.Should().Be(0);
        output.GetColumn<bool>("HasRecourse").Should().Equal(true);
    }

    [Fact]
    public void Estimator_PromisesTheTransformersSchema()
    {
        var estimator = new MLContext(1).Recourse().GenerateRecourse(Linear, Actions, Generator());
        var promised = estimator.GetOutputSchema(Rows().Schema.ToShape());
        var output = estimator.Fit(Rows()).Transform(Rows());

        promised.Select(c => c.ToString()).Should().Equal(output.Schema.ToShape().Select(c => c.ToString()));
    }

    public static TheoryData<string, IDataView, string> BadSchemas => new()
    {
        { "missing", new DataViewBuilder().AddColumn("Other", [1f]).Build(), "Could not find feature column 'Features'" },
        { "scalar", new DataViewBuilder().AddColumn("Features", [1f]).Build(), "Schema mismatch for feature column 'Features': expected Vector<Single*, got Single" },
    };

    [Theory]
    [MemberData(nameof(BadSchemas))]
    public void SchemaErrors_AreRejectedByGetOutputSchemaFitAndTransform(string because, IDataView bad, string message)
    {
        var estimator = new MLContext(1).Recourse().GenerateRecourse(Linear, Actions, Generator());
        var transformer = estimator.Fit(Rows());

        foreach (var act in new Action[]
        {
            () => estimator.GetOutputSchema(bad.Schema.ToShape()),
            () => estimator.Fit(bad),
            () => transformer.GetOutputSchema(bad.Schema),
            () => transformer.Transform(bad),
        })
        {
            act.Should().Throw<ArgumentOutOfRangeException>(because).WithMessage(message + "*");
        }
    }

    [Fact]
    public void WrongVectorSize_IsRejectedByFitAndTransform_ShapesCarryNoSizes()
    {
        // ML.NET's SchemaShape knows a column is a vector of Single but not its size, so the size is checked on data.
        var bad = new DataViewBuilder().AddVectorColumn("Features", 2, [1f, 2f]).Build();
        var estimator = new MLContext(1).Recourse().GenerateRecourse(Linear, Actions, Generator());
        var transformer = estimator.Fit(Rows());
        estimator.GetOutputSchema(bad.Schema.ToShape()).Select(c => c.Name).Should().Contain("RecourseDelta");
        foreach (var act in new Action[] { () => estimator.Fit(bad), () => transformer.GetOutputSchema(bad.Schema), () => transformer.Transform(bad) })
            act.Should().Throw<ArgumentOutOfRangeException>()
                .WithMessage("Schema mismatch for feature column 'Features': expected Vector<Single, 3>, got Vector<Single, 2>*");
    }

    [Fact]
    public void Transform_SlotNamesInAnotherOrder_IsRejectedNamingTheSlot()
    {
        var swapped = new DataViewBuilder().AddVectorColumn("Features", [[1f, 0f, 0f]], ["b", "a", "c"]).Build();

        var act = () => Fit(Rows()).Transform(swapped);

        act.Should().Throw<ArgumentOutOfRangeException>().WithMessage("Slot 0 of column 'Features' is 'b' but feature 0 of the action set is 'a'*");
    }

    [Fact]
    public void Transform_NaNFeature_IsRejectedNamingRowAndSlot()
    {
        var input = new DataViewBuilder().AddVectorColumn("Features", [[1f, 0f, 0f], [0f, float.NaN, 0f]], ["a", "b", "c"]).Build();

        var output = Fit(Rows()).Transform(input);
        var act = () => output.GetColumn<float[]>("RecourseDelta").ToList();

        act.Should().Throw<ArgumentOutOfRangeException>().WithMessage("*row 1, slot 1 ('b')*", "the output is lazy: the error comes when the row is read");
    }

    [Fact]
    public void GenerateRecourse_BadArguments_AreRejected()
    {
        var recourse = new MLContext(1).Recourse();
        var twoFeatures = ActionSet.FromFeatures([new FeatureInfo("a"), new FeatureInfo("b")], 0.75);

        FluentActions.Invoking(() => recourse.GenerateRecourse(Linear, Actions, Generator(), threshold: 1))
            .Should().Throw<ArgumentOutOfRangeException>().WithParameterName("threshold");
        FluentActions.Invoking(() => recourse.GenerateRecourse(Linear, twoFeatures, Generator()))
            .Should().Throw<ArgumentOutOfRangeException>().WithMessage("*2 features but the model takes 3*");
        FluentActions.Invoking(() => recourse.GenerateRecourse(Linear, Actions, null!))
            .Should().Throw<ArgumentNullException>().WithParameterName("generator");
    }

    [Fact]
    public void GenerateRecourse_FromPredictor_UsesItsThresholdUnlessGiven()
    {
        var predictor = new RecourseAwarePredictionTransformer<LogisticRegressionModelParameters>(Linear, "Features", threshold: 0.2);
        var recourse = new MLContext(1).Recourse();

        recourse.GenerateRecourse(predictor, Actions, Generator()).Threshold.Should().Be(0.2);
        recourse.GenerateRecourse(predictor, Actions, Generator(), threshold: 0.6).Threshold.Should().Be(0.6);
        recourse.GenerateRecourse(predictor, Actions, Generator(), new RecourseEstimator.Options()).Threshold.Should().Be(0.2);
        recourse.GenerateRecourse(Linear, Actions, Generator(), new RecourseEstimator.Options { Threshold = 0.3 }).Threshold.Should().Be(0.3);
    }

    [Fact]
    public void Explain_DescribesTheActionInOriginalUnits()
    {
        var transformer = Fit(Rows());
        var output = transformer.Transform(Rows());

        transformer.Explain(output, 1)!.ToString().Should().Be("raise savings from 10.4 to 11.9");
        transformer.Explain(output, 0)!.IsEmpty.Should().BeTrue("an accepted row needs no change");
        transformer.Explain(output, 2).Should().BeNull();
        transformer.ExplainAll(output).Select(e => e?.ToString()).Should().Equal("no change", "raise savings from 10.4 to 11.9", null, null);
        FluentActions.Invoking(() => transformer.Explain(output, 4)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("rowIndex");
        FluentActions.Invoking(() => transformer.Explain(Rows(), 0)).Should().Throw<ArgumentOutOfRangeException>().WithMessage("Could not find recourse column 'RecourseDelta'*");
    }

    [Fact]
    public void Save_UserGenerator_IsNotSupportedNamingIt()
    {
        var context = new MLContext(1).Recourse();
        var transformer = Fit(Rows());

        var act = () => SavedModels.Save(transformer, Rows().Schema, new MemoryStream());

        act.Should().Throw<NotSupportedException>().WithMessage("*FixedStepGenerator ('fixedStep') cannot be saved*");
    }
}
