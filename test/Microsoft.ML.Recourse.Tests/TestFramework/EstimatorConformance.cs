using Microsoft.ML.Recourse.Data;

namespace Microsoft.ML.Recourse.Tests.TestFramework;

/// <summary>
/// The library's <c>TestEstimatorCore</c> (ML.NET's conformance test for every estimator). It checks that the
/// schema an estimator promises is the schema its transformer produces; that invalid inputs fail from both
/// <c>GetOutputSchema</c> and <c>Fit</c> with <see cref="ArgumentOutOfRangeException"/> or
/// <see cref="InvalidOperationException"/>; that <c>Transform</c> keeps the input columns untouched; that the same seed
/// gives identical results; and that a save/load round trip gives identical outputs.
/// </summary>
internal static class EstimatorConformance
{
    /// <param name="createEstimator">Creates the estimator through a catalog of the given context.</param>
    /// <param name="validFitInput">Data the estimator must fit.</param>
    /// <param name="validTransformInput">Data to transform (defaults to <paramref name="validFitInput"/>); neither may already hold an output column.</param>
    /// <param name="invalidSchemaInputs">Inputs whose schema is wrong: both GetOutputSchema and Fit must reject them.</param>
    /// <param name="invalidDataInputs">Inputs with a valid schema but invalid content: Fit must reject them.</param>
    /// <param name="invalidTransformInputs">Inputs the fitted transformer must reject from GetOutputSchema and Transform.</param>
    /// <param name="seed">The context seed for the determinism check.</param>
    public static TTransformer Check<TTransformer>(
        Func<RecourseContext, IEstimator<TTransformer>> createEstimator,
        IDataView validFitInput,
        IDataView? validTransformInput = null,
        IEnumerable<IDataView>? invalidSchemaInputs = null,
        IEnumerable<IDataView>? invalidDataInputs = null,
        IEnumerable<IDataView>? invalidTransformInputs = null,
        int seed = 1)
        where TTransformer : class, ITransformer
    {
        var transformInput = validTransformInput ?? validFitInput;
        var context = new RecourseContext(seed);
        var estimator = createEstimator(context);

        // The schema promise equals the real output schema (names, kinds, item types, sizes, order).
        var promised = estimator.GetOutputSchema(validFitInput.Schema.ToShape());
        var transformer = estimator.Fit(validFitInput);
        var fitOutput = transformer.Transform(validFitInput);
        Describe(fitOutput.Schema.ToShape()).Should().Equal(Describe(promised), "the estimator's promised schema must be the transformer's output schema");

        var output = transformer.Transform(transformInput);
        Describe(transformer.GetOutputSchema(transformInput.Schema).ToShape()).Should().Equal(Describe(output.Schema.ToShape()),
            "the transformer's GetOutputSchema must describe what Transform returns");
        output.RowCount().Should().Be(transformInput.RowCount());
        KeepsInputColumns(transformInput, output);

        foreach (var invalid in invalidSchemaInputs ?? [])
        {
            ShouldReject(() => estimator.GetOutputSchema(invalid.Schema.ToShape()), "GetOutputSchema", invalid);
            ShouldReject(() => estimator.Fit(invalid), "Fit", invalid);
        }
        foreach (var invalid in invalidDataInputs ?? [])
            ShouldReject(() => estimator.Fit(invalid), "Fit", invalid);
        foreach (var invalid in invalidTransformInputs ?? [])
        {
            ShouldReject(() => transformer.GetOutputSchema(invalid.Schema), "the transformer's GetOutputSchema", invalid);
            ShouldReject(() => transformer.Transform(invalid), "Transform", invalid);
        }

        // The same seed gives identical results: a fresh context, and a second Fit of the same estimator.
        var again = createEstimator(new RecourseContext(seed)).Fit(validFitInput).Transform(transformInput);
        SameValues(again, output, "a fresh context with the same seed");
        SameValues(estimator.Fit(validFitInput).Transform(transformInput), output, "a second Fit of the same estimator");

        // Save/load round trip.
        if (transformer is IPersistableTransformer)
        {
            using var stream = new MemoryStream();
            context.Model.Save(transformer, validFitInput.Schema, stream);
            stream.Position = 0;
            var loaded = new RecourseContext(seed + 1).Model.Load(stream, out var schema);
            schema!.Select(c => c.Name).Should().Equal(validFitInput.Schema.Select(c => c.Name));
            SameValues(loaded.Transform(transformInput), output, "the loaded model");
        }
        return transformer;
    }

    private static IEnumerable<string> Describe(SchemaShape shape) => shape.Select(c => c.ToString());

    private static void ShouldReject(Action act, string what, IDataView input)
    {
        var error = Record.Exception(act);
        error.Should().NotBeNull($"{what} must reject the input with schema [{input.Schema}]");
        error.Should().Match(e => e is ArgumentOutOfRangeException || e is InvalidOperationException,
            $"{what} must throw ArgumentOutOfRangeException or InvalidOperationException for [{input.Schema}], not {error!.GetType().Name}: {error.Message}");
    }

    // Inputs given to the conformance check carry none of the transformer's output columns, so every input column
    // must come out with the same type and the same values.
    private static void KeepsInputColumns(IDataView input, IDataView output)
    {
        foreach (var column in input.Schema)
        {
            var outColumn = output.Schema.GetColumnOrNull(column.Name);
            outColumn.Should().NotBeNull($"input column '{column.Name}' must be kept");
            outColumn!.Value.Type.Should().Be(column.Type, $"input column '{column.Name}' must keep its type");
            Values(output, outColumn.Value).Should().Equal(Values(input, column), $"input column '{column.Name}' must keep its values");
        }
    }

    private static void SameValues(IDataView actual, IDataView expected, string because)
    {
        actual.Schema.Select(c => (c.Name, c.Type)).Should().Equal(expected.Schema.Select(c => (c.Name, c.Type)), because);
        foreach (var column in expected.Schema)
            Values(actual, actual.Schema[column.Name]).Should().Equal(Values(expected, column), $"column '{column.Name}' must be identical with {because}");
    }

    // Values as comparable objects; floating point compared bit for bit.
    private static List<object> Values(IDataView data, DataViewSchema.Column column)
    {
        var array = DataViewBuilder.GetArray(data, column);
        return array switch
        {
            float[] f => f.Select(v => (object)BitConverter.SingleToInt32Bits(v)).ToList(),
            double[] d => d.Select(v => (object)BitConverter.DoubleToInt64Bits(v)).ToList(),
            _ => array.Cast<object>().ToList(),
        };
    }
}
