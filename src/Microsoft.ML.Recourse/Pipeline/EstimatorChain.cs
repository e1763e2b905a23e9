using System.Collections;
using Microsoft.ML.Recourse.Data;

namespace Microsoft.ML.Recourse;

/// <summary>A sequence of estimators fitted one after another (as ML.NET's <c>EstimatorChain</c>).</summary>
/// <typeparam name="TLastTransformer">The transformer type of the last estimator.</typeparam>
public sealed class EstimatorChain<TLastTransformer> : IEstimator<TransformerChain<TLastTransformer>>
    where TLastTransformer : class, ITransformer
{
    private readonly IEstimator<ITransformer>[] _estimators;

    /// <summary>Creates an empty chain; use <see cref="Append{TNewTrans}"/> to add estimators.</summary>
    public EstimatorChain() : this([]) { }

    private EstimatorChain(IEstimator<ITransformer>[] estimators) => _estimators = estimators;

    /// <summary>Gets the estimators in order.</summary>
    public IReadOnlyList<IEstimator<ITransformer>> Estimators => _estimators;

    /// <summary>Returns a new chain with <paramref name="estimator"/> appended.</summary>
    /// <typeparam name="TNewTrans">The appended estimator's transformer type.</typeparam>
    /// <param name="estimator">The estimator to append.</param>
    public EstimatorChain<TNewTrans> Append<TNewTrans>(IEstimator<TNewTrans> estimator) where TNewTrans : class, ITransformer
    {
        Contracts.CheckValue(estimator, nameof(estimator));
        return new EstimatorChain<TNewTrans>([.. _estimators, estimator]);
    }

    /// <inheritdoc/>
    public TransformerChain<TLastTransformer> Fit(IDataView input)
    {
        Contracts.CheckValue(input, nameof(input));
        GetOutputSchema(input.Schema.ToShape());
        var fitted = new List<ITransformer>(_estimators.Length);
        var current = input;
        foreach (var e in _estimators)
        {
            var t = e.Fit(current);
            fitted.Add(t);
            current = t.Transform(current);
        }
        return new TransformerChain<TLastTransformer>(fitted);
    }

    /// <inheritdoc/>
    public SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        Contracts.CheckValue(inputSchema, nameof(inputSchema));
        var shape = inputSchema;
        foreach (var e in _estimators) shape = e.GetOutputSchema(shape);
        return shape;
    }
}

/// <summary>A fitted sequence of transformers applied one after another (as ML.NET's <c>TransformerChain</c>).</summary>
/// <typeparam name="TLastTransformer">The type of the last transformer.</typeparam>
public sealed class TransformerChain<TLastTransformer> : ITransformer, IEnumerable<ITransformer>, IPersistableTransformer
    where TLastTransformer : class, ITransformer
{
    internal const string Kind = "TransformerChain";
    private readonly ITransformer[] _transformers;

    internal TransformerChain(IEnumerable<ITransformer> transformers) => _transformers = transformers.ToArray();

    /// <summary>Gets the last transformer of the chain (for a training pipeline, the fitted model).</summary>
    public TLastTransformer LastTransformer => _transformers.Length == 0
        ? throw new InvalidOperationException("The chain is empty.")
        : _transformers[^1] as TLastTransformer
          ?? throw new InvalidOperationException($"The last transformer is a {_transformers[^1].GetType().Name}, not a {typeof(TLastTransformer).Name}.");

    /// <inheritdoc/>
    public bool IsRowToRowMapper => _transformers.All(t => t.IsRowToRowMapper);

    /// <summary>Returns a new chain with <paramref name="transformer"/> appended.</summary>
    /// <typeparam name="TNewLast">The appended transformer's type.</typeparam>
    /// <param name="transformer">The transformer to append.</param>
    public TransformerChain<TNewLast> Append<TNewLast>(TNewLast transformer) where TNewLast : class, ITransformer
        => new([.. _transformers, Contracts.CheckValue(transformer, nameof(transformer))]);

    /// <inheritdoc/>
    public DataViewSchema GetOutputSchema(DataViewSchema inputSchema)
    {
        Contracts.CheckValue(inputSchema, nameof(inputSchema));
        var schema = inputSchema;
        foreach (var t in _transformers) schema = t.GetOutputSchema(schema);
        return schema;
    }

    /// <inheritdoc/>
    public IDataView Transform(IDataView input)
    {
        Contracts.CheckValue(input, nameof(input));
        GetOutputSchema(input.Schema);
        var current = input;
        foreach (var t in _transformers) current = t.Transform(current);
        return current;
    }

    /// <inheritdoc/>
    public IEnumerator<ITransformer> GetEnumerator() => ((IEnumerable<ITransformer>)_transformers).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    string IPersistableTransformer.ModelKind => Kind;

    int IPersistableTransformer.ModelVersion => 1;

    System.Text.Json.Nodes.JsonObject IPersistableTransformer.SaveModel() => new()
    {
        ["transformers"] = new System.Text.Json.Nodes.JsonArray(_transformers.Select(t => (System.Text.Json.Nodes.JsonNode)ModelFile.SaveNode(t)).ToArray()),
    };

    internal static ITransformer Load(System.Text.Json.Nodes.JsonObject data, RecourseContext context)
    {
        var items = data["transformers"]?.AsArray() ?? throw ModelFile.Corrupt("a transformer chain has no 'transformers' list");
        return new TransformerChain<ITransformer>(items.Select(n => ModelFile.LoadNode(n, context)));
    }
}

/// <summary>Extension methods that start an estimator chain, as in ML.NET.</summary>
public static class EstimatorExtensions
{
    /// <summary>Starts a chain with <paramref name="start"/> followed by <paramref name="estimator"/>.</summary>
    /// <typeparam name="TTrans">The appended estimator's transformer type.</typeparam>
    /// <param name="start">The first estimator.</param>
    /// <param name="estimator">The second estimator.</param>
    public static EstimatorChain<TTrans> Append<TTrans>(this IEstimator<ITransformer> start, IEstimator<TTrans> estimator)
        where TTrans : class, ITransformer
    {
        Contracts.CheckValue(start, nameof(start));
        return new EstimatorChain<ITransformer>().Append(start).Append(estimator);
    }
}
