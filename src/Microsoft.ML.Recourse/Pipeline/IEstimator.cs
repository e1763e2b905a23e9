using Microsoft.ML.Recourse.Data;

namespace Microsoft.ML.Recourse;

/// <summary>
/// An estimator learns from data and returns a fitted <see cref="ITransformer"/> (as ML.NET's <c>IEstimator</c>).
/// Estimators are created only through the catalogs of <see cref="RecourseContext"/>.
/// </summary>
/// <typeparam name="TTransformer">The type of the fitted transformer.</typeparam>
public interface IEstimator<out TTransformer> where TTransformer : ITransformer
{
    /// <summary>Trains on <paramref name="input"/> and returns the fitted transformer.</summary>
    /// <param name="input">The training data.</param>
    TTransformer Fit(IDataView input);

    /// <summary>
    /// Checks <paramref name="inputSchema"/> and returns the shape of the data the fitted transformer will produce,
    /// before any data is read.
    /// </summary>
    /// <param name="inputSchema">The shape of the input.</param>
    SchemaShape GetOutputSchema(SchemaShape inputSchema);
}

/// <summary>
/// A fitted, immutable mapping from one data view to another (as ML.NET's <c>ITransformer</c>).
/// </summary>
public interface ITransformer
{
    /// <summary>Gets whether the transformer maps each row independently of the others.</summary>
    bool IsRowToRowMapper { get; }

    /// <summary>Checks <paramref name="inputSchema"/> and returns the schema <see cref="Transform"/> will produce.</summary>
    /// <param name="inputSchema">The schema of the input.</param>
    DataViewSchema GetOutputSchema(DataViewSchema inputSchema);

    /// <summary>Applies the transformer: the output keeps every input column and adds its own.</summary>
    /// <param name="input">The data to transform.</param>
    IDataView Transform(IDataView input);
}
