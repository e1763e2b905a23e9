namespace Microsoft.ML.Recourse;

/// <summary>
/// Raw candidate rows a search wants scored and, once its consumer has scored them, the model's decisions. Searches
/// are iterators of batches: after each <c>yield return</c> the consumer fills <see cref="Decisions"/> before asking
/// for the next batch, so the searches of many rows can share one call of the model.
/// </summary>
internal sealed class CandidateBatch(List<object?[]> rows)
{
    /// <summary>Gets the candidate rows (never empty).</summary>
    public List<object?[]> Rows { get; } = rows;

    /// <summary>Gets or sets the model's decision on each of <see cref="Rows"/>, set by the consumer.</summary>
    public (bool Accepted, double Score)[] Decisions { get; set; } = [];

    /// <summary>
    /// Runs several searches together. Each merged batch holds the pending batches of as many searches as fit in
    /// <paramref name="batchSize"/> rows (at least one search), taken round robin; once the consumer has scored it,
    /// the decisions go back to those searches. Searches start lazily, only while the pending rows fill no batch, so
    /// a long list of searches is not all in memory at once.
    /// </summary>
    /// <param name="searches">The searches; each yields non-empty batches.</param>
    /// <param name="batchSize">The most rows in a merged batch, unless one search's batch alone is larger. Range: value ≥ 1.</param>
    public static IEnumerable<CandidateBatch> Interleave(IEnumerable<IEnumerable<CandidateBatch>> searches, int batchSize)
    {
        using var unstarted = searches.GetEnumerator();
        var started = new List<IEnumerator<CandidateBatch>>();
        var waiting = new Queue<IEnumerator<CandidateBatch>>();
        int waitingRows = 0;
        bool moreSearches = true;
        try
        {
            while (true)
            {
                while (moreSearches && waitingRows < batchSize && (moreSearches = unstarted.MoveNext()))
                {
                    var search = unstarted.Current.GetEnumerator();
                    started.Add(search);
                    if (search.MoveNext())
                    {
                        waiting.Enqueue(search);
                        waitingRows += search.Current.Rows.Count;
                    }
                }
                if (waiting.Count == 0) yield break;

                var taken = new List<IEnumerator<CandidateBatch>>();
                var rows = new List<object?[]>();
                while (waiting.Count > 0 && (taken.Count == 0 || rows.Count + waiting.Peek().Current.Rows.Count <= batchSize))
                {
                    var search = waiting.Dequeue();
                    taken.Add(search);
                    rows.AddRange(search.Current.Rows);
                }
                waitingRows -= rows.Count;
                var merged = new CandidateBatch(rows);
                yield return merged;

                int offset = 0;
                foreach (var search in taken)
                {
                    var batch = search.Current;
                    batch.Decisions = merged.Decisions[offset..(offset + batch.Rows.Count)];
                    offset += batch.Rows.Count;
                    if (search.MoveNext())
                    {
                        waiting.Enqueue(search);
                        waitingRows += search.Current.Rows.Count;
                    }
                }
            }
        }
        finally
        {
            foreach (var search in started) search.Dispose();
        }
    }
}
