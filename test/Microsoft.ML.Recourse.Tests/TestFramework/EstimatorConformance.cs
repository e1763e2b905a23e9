using Microsoft.ML.Data;

namespace Microsoft.ML.Recourse.Tests.TestFramework;

/// <summary>
/// The library's <c>TestEstimatorCore</c> (ML.NET's conformance test for every estimator). It checks that the
/// schema an estimator promises is the schema its transformer produces; that invalid inputs fail from both
/// <c>GetOutputSchema</c> and <c>Fit</c> with <see cref="ArgumentOutOfRangeException"/> or
/// <see cref="InvalidOperationException"/>; that <c>Transform</c> keeps the input columns untouched; that the row
/// mapper (what <c>PredictionEngine</c> uses) gives the same values as <c>Transform</c>; that the same seed gives
/// identical results; and that a save/load round trip through ML.NET's model files gives identical outputs.
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
        Func<RecourseCatalog, IEstimator<TTransformer>> createEstimator,
        IDataView validFitInput,
        IDataView? validTransformInput = null,
        IEnumerable<IDataView>? invalidSchemaInputs = null,
        IEnumerable<IDataView>? invalidDataInputs = null,
        IEnumerable<IDataView>? invalidTransformInputs = null,
        int seed = 1)
        where TTransformer : class, ITransformer
    {
        var transformInput = validTransformInput ?? validFitInput;
        var mlContext = new MLContext(seed);
        var estimator = createEstimator(mlContext.Recourse());

        // The schema promise equals the real output schema (names, kinds, item types, order).
        var promised = estimator.GetOutputSchema(SchemaShapes.FromSchema(validFitInput.Schema));
        var transformer = estimator.Fit(validFitInput);
        var fitOutput = transformer.Transform(validFitInput);
        Describe(SchemaShapes.FromSchema(fitOutput.Schema)).Should().BeEquivalentTo(Describe(promised), "the estimator's promised schema must be the transformer's output schema (in any order, as ML.NET's own trainers promise theirs)");

        var output = transformer.Transform(transformInput);
        Visible(transformer.GetOutputSchema(transformInput.Schema)).Should().Equal(Visible(output.Schema),
            "the transformer's GetOutputSchema must describe what Transform returns");
        DataViews.RowCount(output).Should().Be(DataViews.RowCount(transformInput));
        KeepsInputColumns(transformInput, output);
        if (transformer.IsRowToRowMapper) RowMapperAgrees(transformer, transformInput, output);

        foreach (var invalid in invalidSchemaInputs ?? [])
        {
            ShouldReject(() => estimator.GetOutputSchema(SchemaShapes.FromSchema(invalid.Schema)), "GetOutputSchema", invalid);
            ShouldReject(() => estimator.Fit(invalid), "Fit", invalid);
        }
        foreach (var invalid in invalidDataInputs ?? [])
            ShouldReject(() => estimator.Fit(invalid), "Fit", invalid);
        foreach (var invalid in invalidTransformInputs ?? [])
        {
            ShouldReject(() => transformer.GetOutputSchema(invalid.Schema), "the transformer's GetOutputSchema", invalid);
            ShouldReject(() => Values(transformer.Transform(invalid)), "Transform", invalid);
        }

        // The same seed gives identical results: a fresh context, and a second Fit of the same estimator.
        var again = createEstimator(new MLContext(seed).Recourse()).Fit(validFitInput).Transform(transformInput);
        SameValues(again, output, "a fresh context with the same seed");
        SameValues(estimator.Fit(validFitInput).Transform(transformInput), output, "a second Fit of the same estimator");

        // Save/load round trip through ML.NET's own model files.
        using var stream = new MemoryStream();
        mlContext.Model.Save(transformer, validFitInput.Schema, stream);
        stream.Position = 0;
        var loaded = new MLContext(seed + 1).Model.Load(stream, out var schema);
        schema.Select(c => c.Name).Should().Equal(validFitInput.Schema.Select(c => c.Name));
        SameValues(loaded.Transform(transformInput), output, "the loaded model");
        return transformer;
    }

    /// <summary>Asserts two views have the same visible columns (names and types) and bit-identical values.</summary>
    public static void SameValues(IDataView actual, IDataView expected, string because)
    {
        Visible(actual.Schema).Should().Equal(Visible(expected.Schema), because);
        var expectedValues = Values(expected);
        var actualValues = Values(actual);
        foreach (var (name, values) in expectedValues)
            actualValues[name].Should().Equal(values, $"column '{name}' must be identical with {because}");
    }

    /// <summary>Every visible column's values as comparable objects; floating point compared bit for bit.</summary>
    public static Dictionary<string, List<object>> Values(IDataView data)
    {
        var columns = data.Schema.Where(c => !c.IsHidden).ToArray();
        var result = columns.ToDictionary(c => c.Name, _ => new List<object>());
        using var cursor = data.GetRowCursor(columns);
        var readers = columns.Select(c => (c.Name, Read: Reader(cursor, c))).ToArray();
        while (cursor.MoveNext())
            foreach (var (name, read) in readers) result[name].Add(read());
        return result;
    }

    private static IEnumerable<string> Describe(SchemaShape shape) => shape.Select(c => $"{c.Name}: {SchemaShapes.TypeDisplay(c)}");

    private static IEnumerable<string> Visible(DataViewSchema schema) => schema.Where(c => !c.IsHidden).Select(c => $"{c.Name}: {c.Type}");

    private static Func<object> Reader(DataViewRow row, DataViewSchema.Column column)
    {
        var type = column.Type is VectorDataViewType v ? v.ItemType.RawType : column.Type.RawType;
        return (Func<object>)typeof(EstimatorConformance).GetMethod(nameof(TypedReader), System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Static)!
            .MakeGenericMethod(type).Invoke(null, [row, column])!;
    }

    private static Func<object> TypedReader<T>(DataViewRow row, DataViewSchema.Column column)
    {
        if (column.Type is VectorDataViewType)
        {
            var getter = row.GetGetter<VBuffer<T>>(column);
            var buffer = default(VBuffer<T>);
            return () =>
            {
                getter(ref buffer);
                return string.Join(",", buffer.DenseValues().Select(Bits));
            };
        }
        var scalar = row.GetGetter<T>(column);
        T value = default!;
        return () =>
        {
            scalar(ref value);
            return Bits(value);
        };
    }

    private static object Bits<T>(T value) => value switch
    {
        float f => BitConverter.SingleToInt32Bits(f),
        double d => BitConverter.DoubleToInt64Bits(d),
        ReadOnlyMemory<char> m => m.ToString(),
        _ => value!,
    };

    private static void ShouldReject(Action act, string what, IDataView input)
    {
        var error = Record.Exception(act);
        error.Should().NotBeNull($"{what} must reject the input with schema [{string.Join(", ", Visible(input.Schema))}]");
        error.Should().Match(e => e is ArgumentOutOfRangeException || e is InvalidOperationException,
            $"{what} must throw ArgumentOutOfRangeException or InvalidOperationException for [{string.Join(", ", Visible(input.Schema))}], not {error!.GetType().Name}: {error.Message}");
    }

    // Inputs given to the conformance check carry none of the transformer's output columns, so every input column
    // must come out with the same type and the same values.
    private static void KeepsInputColumns(IDataView input, IDataView output)
    {
        var inputValues = Values(input);
        var outputValues = Values(output);
        foreach (var column in input.Schema.Where(c => !c.IsHidden))
        {
            var outColumn = output.Schema.GetColumnOrNull(column.Name);
            outColumn.Should().NotBeNull($"input column '{column.Name}' must be kept");
            outColumn!.Value.Type.Should().Be(column.Type, $"input column '{column.Name}' must keep its type");
            outputValues[column.Name].Should().Equal(inputValues[column.Name], $"input column '{column.Name}' must keep its values");
        }
    }

    // The row-to-row mapper (what PredictionEngine uses) computes each row alone; it must match the cursor's values.
    private static void RowMapperAgrees(ITransformer transformer, IDataView input, IDataView output)
    {
        var mapper = transformer.GetRowToRowMapper(input.Schema);
        var expected = Values(output);
        var columns = mapper.OutputSchema.Where(c => !c.IsHidden).ToArray();
        using var cursor = input.GetRowCursor(mapper.GetDependencies(columns));
        using var row = mapper.GetRow(cursor, columns);
        var readers = columns.Select(c => (c.Name, Read: Reader(row, c))).ToArray();
        int r = 0;
        while (cursor.MoveNext())
        {
            foreach (var (name, read) in readers)
                read().Should().Be(expected[name][r], $"the row mapper must give row {r}'s '{name}' as Transform does");
            r++;
        }
    }
}
