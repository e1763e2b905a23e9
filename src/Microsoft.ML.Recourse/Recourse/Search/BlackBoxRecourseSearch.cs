using System.Diagnostics;
using Microsoft.ML.Recourse.Actions;
using Microsoft.ML.Recourse.Models.MlNet;

namespace Microsoft.ML.Recourse;

/// <summary>
/// Recourse over a model's raw input columns for any pipeline (text featurisers, hashing, custom mappings, any
/// trainer): a search that scores candidate rows in batches through the model's own <see cref="ITransformer.Transform"/>,
/// keeps to the action set, prefers few changed columns and reports only rows the model accepts.
/// </summary>
/// <remarks>
/// <para>
/// Candidate values: a numeric column moves toward each end of its allowed range (<see cref="NumericColumnSpace.Range"/>):
/// the end, the points 1/2, 1/4, … of the way there and training quantiles in between, each rounded to a value the
/// column's type holds exactly (whole for whole-number columns); a whole-number column with few values in a direction
/// gets all of them. A categorical column may take every value <see cref="CategoricalColumnSpace.Targets"/> allows.
/// </para>
/// <para>
/// Search: every single change is scored (exhaustively over the candidate values). Then, while fewer options than asked
/// for are found, combinations of 2, 3, … up to <see cref="BlackBoxSearchOptions.MaximumChangedColumns"/> columns are
/// scored: those that the summed single-change gains (on the logit of the probability) predict accepted, cheapest
/// first, then the others by predicted score. When a level cannot score all its combinations, every fourth candidate
/// is a random one (seeded per row), to catch interactions the sum misses. Each level that can still run gets an
/// equal share of the evaluations left.
/// </para>
/// <para>
/// Shrinking: an accepted candidate first drops the changes it does not need, then moves each numeric change back
/// toward the person's value by bracketing the model's boundary (7 points per model call, at most 6 calls, to 0.001
/// training standard deviations or one whole step) while the model keeps accepting it.
/// </para>
/// <para>
/// Options are distinct <i>sets of changed columns</i> (the cheapest found for each set), cheapest first; a set that
/// contains another option's set is reported only when it costs less. Every reported row is scored once more and must
/// be accepted; it always satisfies <see cref="ColumnActionSpace.Allows"/>. The answer is a heuristic's
/// (<see cref="ColumnRecourseResult.IsOptimal"/> is <see langword="false"/>); it is
/// <see cref="ColumnRecourseStatus.Infeasible"/> only when proved: no column may change, or every allowed change was
/// scored (finite columns only, all combinations) and rejected.
/// </para>
/// </remarks>
internal sealed class BlackBoxRecourseSearch
{
    internal const string MethodName = "search";

    // Rows searched together by one thread: enough that their candidates fill the model calls.
    private const int RowsPerBlock = 64;

    private readonly ModelDecision _decision;
    private readonly ColumnActionSpace _space;
    private readonly BlackBoxSearchOptions _options;
    private readonly int _seed;
    private readonly Action<string>? _log;
    private readonly bool _scoreIsProbability;

    /// <param name="decision">The model's decisions on raw rows.</param>
    /// <param name="space">The action set bound to the same input schema.</param>
    /// <param name="options">The search's options.</param>
    /// <param name="seed">The seed of the random combinations: <see cref="BlackBoxSearchOptions.Seed"/>, or one drawn from the <see cref="MLContext"/> when that is <see langword="null"/>.</param>
    /// <param name="log">Where a summary of each call goes, or <see langword="null"/>.</param>
    public BlackBoxRecourseSearch(ModelDecision decision, ColumnActionSpace space, BlackBoxSearchOptions options, int seed, Action<string>? log)
    {
        _decision = Contracts.CheckValue(decision, nameof(decision));
        _space = Contracts.CheckValue(space, nameof(space));
        _options = Contracts.CheckValue(options, nameof(options));
        options.Check();
        var modelColumns = decision.RawColumns.Select(c => (c.Name, Type: c.Type.ToString()));
        Contracts.CheckParam(modelColumns.SequenceEqual(space.RawColumns.Select(c => (c.Name, Type: c.Type.ToString()))), nameof(space),
            $"The action space is bound to the columns {string.Join(", ", space.RawColumns.Select(c => c.Name))}, the model reads {string.Join(", ", decision.RawColumns.Select(c => c.Name))}.");
        _seed = seed;
        _log = log;
        _scoreIsProbability = decision.ScoreColumnName == DefaultColumnNames.Probability;
    }

    /// <summary>Recourse for one raw row.</summary>
    /// <param name="row">The person's raw row (<see cref="RawRows"/>), aligned with the model's input columns.</param>
    /// <param name="optionCount">The most options to return. Range: value ≥ 1.</param>
    /// <param name="cancellationToken">Stops the search between model calls.</param>
    public ColumnRecourseResult Search(object?[] row, int optionCount, CancellationToken cancellationToken = default)
        => Search([Contracts.CheckValue(row, nameof(row))], optionCount, cancellationToken)[0];

    /// <summary>
    /// Recourse for many raw rows. Blocks of rows run on parallel threads and the rows of a block share model calls;
    /// each row's answer is the same as when searched alone.
    /// </summary>
    /// <param name="rows">The people's raw rows (<see cref="RawRows"/>), aligned with the model's input columns.</param>
    /// <param name="optionCount">The most options per row. Range: value ≥ 1.</param>
    /// <param name="cancellationToken">Stops the search between model calls.</param>
    public IReadOnlyList<ColumnRecourseResult> Search(IReadOnlyList<object?[]> rows, int optionCount, CancellationToken cancellationToken = default)
    {
        Contracts.CheckValue(rows, nameof(rows));
        Contracts.CheckParam(optionCount >= 1, nameof(optionCount), $"The number of options must be ≥ 1; got {optionCount}.");
        var columns = _decision.RawColumns;
        for (int r = 0; r < rows.Count; r++)
        {
            Contracts.CheckParam(rows[r] is { } row && row.Length == columns.Count, nameof(rows),
                $"Row {r} must hold one value for each of the model's {columns.Count} input columns.");
            for (int i = 0; i < columns.Count; i++)
                Contracts.CheckParam(RawRows.Holds(columns[i].Type, rows[r][i]), nameof(rows),
                    $"Row {r}: column '{columns[i].Name}' is {columns[i].Type}, the row holds {rows[r][i]?.GetType().Name ?? "null"}.");
        }

        var stopwatch = Stopwatch.StartNew();
        var searches = rows.Select(r => new BlackBoxRowSearch(_space, _options, _scoreIsProbability, _decision.Threshold, r, optionCount, _seed)).ToArray();
        int blocks = (rows.Count + RowsPerBlock - 1) / RowsPerBlock;
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = _options.NumberOfThreads ?? -1, CancellationToken = cancellationToken };
        Parallel.For(0, blocks, parallel, b => RunBlock(searches.Skip(b * RowsPerBlock).Take(RowsPerBlock), cancellationToken));

        var results = searches.Select(s => s.Result!).ToArray();
        int Count(ColumnRecourseStatus status) => results.Count(r => r.Status == status);
        _log?.Invoke(FormattableString.Invariant(
            $"{rows.Count} rows in {stopwatch.Elapsed.TotalSeconds:F2} s, {searches.Sum(s => (long)s.Evaluations)} candidate rows scored: {Count(ColumnRecourseStatus.Found)} found, {Count(ColumnRecourseStatus.Accepted)} already accepted, {Count(ColumnRecourseStatus.NotFound)} not found, {Count(ColumnRecourseStatus.Infeasible)} infeasible."));
        return results;
    }

    private void RunBlock(IEnumerable<BlackBoxRowSearch> searches, CancellationToken cancellationToken)
    {
        foreach (var batch in CandidateBatch.Interleave(searches.Select(s => s.Run()), _options.BatchSize))
        {
            cancellationToken.ThrowIfCancellationRequested();
            batch.Decisions = _decision.Decide(batch.Rows);
        }
    }
}
