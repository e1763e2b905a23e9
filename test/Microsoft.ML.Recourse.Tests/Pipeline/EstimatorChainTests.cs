using Microsoft.ML.Recourse.Data;

namespace Microsoft.ML.Recourse.Tests.Pipeline;

public class EstimatorChainTests
{
    // A minimal estimator/transformer pair used to test chaining: adds a constant column.
    private sealed class AddColumnEstimator(string name, float value) : IEstimator<AddColumnTransformer>
    {
        public int FitCalls { get; private set; }

        public AddColumnTransformer Fit(IDataView input)
        {
            FitCalls++;
            return new AddColumnTransformer(name, value);
        }

        public SchemaShape GetOutputSchema(SchemaShape inputSchema)
            => inputSchema.With(new SchemaShape.Column(name, SchemaShape.VectorKind.Scalar, NumberDataViewType.Single, 0));
    }

    private sealed class AddColumnTransformer(string name, float value) : ITransformer
    {
        public bool IsRowToRowMapper => true;

        public DataViewSchema GetOutputSchema(DataViewSchema inputSchema)
            => Transform(DataViewBuilder.Empty(inputSchema)).Schema;

        public IDataView Transform(IDataView input)
            => DataViewBuilder.From(input).AddColumn(name, Enumerable.Repeat(value, input.RowCount())).Build();
    }

    [Fact]
    public void Append_FitsInOrderAndTransformsThroughTheChain()
    {
        var first = new AddColumnEstimator("A", 1);
        var second = new AddColumnEstimator("B", 2);
        var chain = first.Append(second);
        var data = new DataViewBuilder().AddColumn("x", new[] { 0f, 0f }).Build();

        chain.GetOutputSchema(data.Schema.ToShape()).Select(c => c.Name).Should().Equal("x", "A", "B");
        var model = chain.Fit(data);
        first.FitCalls.Should().Be(1);
        second.FitCalls.Should().Be(1);
        model.Should().HaveCount(2);
        model.LastTransformer.Should().BeOfType<AddColumnTransformer>();
        var output = model.Transform(data);
        output.GetColumn<float>("B").Should().Equal(2f, 2f);
        output.GetColumn<float>("x").Should().Equal(0f, 0f);
    }
}
