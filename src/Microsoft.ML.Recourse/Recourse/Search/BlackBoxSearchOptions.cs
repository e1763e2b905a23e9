namespace Microsoft.ML.Recourse;

/// <summary>
/// Options of the black-box recourse search, which looks for changes to a person's raw input columns by scoring
/// candidate rows through the model's own <see cref="ITransformer.Transform"/>: any pipeline, any trainer.
/// </summary>
public sealed class BlackBoxSearchOptions
{
    /// <summary>
    /// Gets the most candidate rows scored for one person, not counting the person's own row and the final check of
    /// the reported options. When it runs out before a change is found the answer is
    /// <see cref="ColumnRecourseStatus.NotFound"/>. Range: value ≥ 1. Default: 2000.
    /// </summary>
    public int MaximumEvaluations { get; init; } = Defaults.MaximumEvaluations;

    /// <summary>
    /// Gets the most candidate rows scored in one call of the model's <see cref="ITransformer.Transform"/>; the
    /// candidates of several people share a call. Larger batches spread the fixed cost of a call over more rows.
    /// Range: value ≥ 1. Default: 512.
    /// </summary>
    public int BatchSize { get; init; } = Defaults.BatchSize;

    /// <summary>Gets the most columns one option changes. Range: value ≥ 1. Default: 3.</summary>
    public int MaximumChangedColumns { get; init; } = Defaults.MaximumChangedColumns;

    /// <summary>
    /// Gets the number of candidate values of a numeric column in each direction it may move in: the end of its
    /// allowed range, points at 1/2, 1/4, … of the way there, and training quantiles in between (every whole value
    /// when a whole-number column has no more than this many in that direction). Range: value ≥ 1. Default: 6.
    /// </summary>
    public int ValuesPerColumn { get; init; } = Defaults.ValuesPerColumn;

    /// <summary>
    /// Gets the seed of the random combinations the search tries beside the ones it ranks first, or
    /// <see langword="null"/> to draw it from the <see cref="MLContext"/>. A person's answer depends only on their row,
    /// the seed and the options, not on the other rows or the number of threads.
    /// </summary>
    public int? Seed { get; init; }

    /// <summary>
    /// Gets the most threads searching for different people at once, or <see langword="null"/> for as many as the
    /// machine offers. Results do not depend on it. Range: value ≥ 1.
    /// </summary>
    public int? NumberOfThreads { get; init; }

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> naming the first property out of its range.</summary>
    internal void Check()
    {
        Contracts.CheckParam(MaximumEvaluations >= 1, nameof(MaximumEvaluations), $"The maximum number of evaluations must be ≥ 1; got {MaximumEvaluations}.");
        Contracts.CheckParam(BatchSize >= 1, nameof(BatchSize), $"The batch size must be ≥ 1; got {BatchSize}.");
        Contracts.CheckParam(MaximumChangedColumns >= 1, nameof(MaximumChangedColumns), $"The maximum number of changed columns must be ≥ 1; got {MaximumChangedColumns}.");
        Contracts.CheckParam(ValuesPerColumn >= 1, nameof(ValuesPerColumn), $"The number of values per column must be ≥ 1; got {ValuesPerColumn}.");
        Contracts.CheckParam(NumberOfThreads is null or >= 1, nameof(NumberOfThreads), $"The number of threads must be ≥ 1 (or null for all cores); got {NumberOfThreads}.");
    }

    internal static class Defaults
    {
        public const int MaximumEvaluations = 2000;
        public const int BatchSize = 512;
        public const int MaximumChangedColumns = 3;
        public const int ValuesPerColumn = 6;
    }
}
