using System.Globalization;
using Microsoft.ML.Recourse.Actions;
using Microsoft.ML.Recourse.Models;

namespace Microsoft.ML.Recourse;

/// <summary>
/// The black-box search for one person's raw row, as an iterator of <see cref="CandidateBatch"/>es (see
/// <see cref="BlackBoxRecourseSearch"/> for the algorithm). Its answer depends only on the row, the seed, the options
/// and the model's decisions on the batches, so rows may share model calls and threads freely.
/// </summary>
internal sealed class BlackBoxRowSearch
{
    // Each shrinking round scores this many points between the last rejected and the first accepted value: 3 bits of the
    // boundary per model call.
    private const int ShrinkPointsPerRound = 7;
    private const int MaximumShrinkRounds = 6;

    // A real-valued column stops shrinking when the bracket is this narrow, in training standard deviations.
    private const double ShrinkTolerance = 1e-3;

    // Candidates of two or more changed columns go to the model in chunks of this size, so that the search stops soon
    // after the first accepted ones without paying a model call per candidate.
    private const int LevelChunk = 128;

    // Every this-many-th candidate of a level is a random combination: the ranking adds up single-change gains and
    // misses interactions (trees), which random draws can still hit.
    private const int ExplorationPeriod = 4;

    // A level enumerates at most this many combinations per evaluation it may spend, keeping the best values first.
    private const int CombinationsPerEvaluation = 8;

    // Beyond the options asked for, this many more accepted candidates are shrunk, since shrinking reorders costs.
    private const int ExtraRefinements = 2;

    private readonly ColumnActionSpace _space;
    private readonly BlackBoxSearchOptions _options;
    private readonly object?[] _row;
    private readonly int _optionCount;
    private readonly RandomSource _random;
    private readonly bool _scoreIsProbability;
    private readonly double? _threshold;
    private readonly List<ColumnSpace> _columns = [];
    private readonly List<List<Move>> _moves = [];
    private readonly Dictionary<string, Candidate> _found = new(StringComparer.Ordinal);
    private bool _domainsComplete = true;
    private double _before;
    private int _evaluations;

    public BlackBoxRowSearch(ColumnActionSpace space, BlackBoxSearchOptions options, bool scoreIsProbability, double? threshold,
        object?[] row, int optionCount, int seed)
    {
        _space = space;
        _options = options;
        _scoreIsProbability = scoreIsProbability;
        _threshold = threshold;
        _row = row;
        _optionCount = optionCount;
        _random = new RandomSource(seed, StreamOf(row));
    }

    /// <summary>Gets the answer, once <see cref="Run"/> has finished.</summary>
    public ColumnRecourseResult? Result { get; private set; }

    /// <summary>Gets the number of candidate rows scored so far (the budget's count).</summary>
    public int Evaluations => _evaluations;

    private int Remaining => _options.MaximumEvaluations - _evaluations;

    /// <summary>The search: the batches to score, in order; <see cref="Result"/> is set at the end.</summary>
    public IEnumerable<CandidateBatch> Run()
    {
        var own = new CandidateBatch([_row]);
        yield return own;
        var (acceptedBefore, scoreBefore) = own.Decisions[0];
        if (acceptedBefore)
        {
            Result = Answer(ColumnRecourseStatus.Accepted, scoreBefore, [], "The model already accepts the row.");
            yield break;
        }
        _before = Transform(scoreBefore);
        BuildMoves();
        if (_columns.Count == 0)
        {
            Result = Answer(ColumnRecourseStatus.Infeasible, scoreBefore, [],
                "The action set allows no change to this row: no mutable column has an allowed value other than the person's own.");
            yield break;
        }

        // Every single change of the grid, cheapest first.
        var singles = _moves.SelectMany(m => m).OrderBy(m => m.Cost).ToList();
        bool exhaustive = _domainsComplete && singles.Count <= Remaining;
        singles = singles.Take(Remaining).ToList();
        foreach (var chunk in singles.Chunk(_options.BatchSize))
        {
            var batch = Spend(chunk.Select(m => WithChanges(m)).ToList());
            yield return batch;
            for (int i = 0; i < chunk.Length; i++)
            {
                chunk[i].Gain = Transform(batch.Decisions[i].Score) - _before;
                chunk[i].AcceptedAlone = batch.Decisions[i].Accepted;
                if (chunk[i].AcceptedAlone) chunk[i].Score = batch.Decisions[i].Score;
            }
        }
        foreach (var batch in Refine(SingleChangeCandidates(singles))) yield return batch;

        if (_options.MaximumChangedColumns < _columns.Count) exhaustive = false;
        int lastLevel = Math.Min(_options.MaximumChangedColumns, _columns.Count);
        double acceptAbove = AcceptanceEstimate(singles);
        for (int k = 2; k <= lastLevel && OptionCount() < _optionCount; k++)
        {
            if (Remaining <= 0)
            {
                exhaustive = false;
                break;
            }
            int levelBudget = Remaining / (lastLevel - k + 1);
            var schedule = Schedule(k, levelBudget, acceptAbove, out bool complete);
            exhaustive &= complete;
            var accepted = new List<Candidate>();
            foreach (var chunk in schedule.Chunk(Math.Min(LevelChunk, _options.BatchSize)))
            {
                var batch = Spend(chunk.Select(c => WithChanges(c.Moves)).ToList());
                yield return batch;
                for (int i = 0; i < chunk.Length; i++)
                    if (batch.Decisions[i].Accepted)
                        accepted.Add(new Candidate(batch.Rows[i], batch.Decisions[i].Score, chunk[i].Cost));
                if (OptionCount(accepted) >= _optionCount) break;
            }
            foreach (var batch in Refine(accepted)) yield return batch;
        }

        var options = SelectOptions();
        if (options.Count == 0)
        {
            Result = exhaustive
                ? Answer(ColumnRecourseStatus.Infeasible, scoreBefore, [], string.Create(CultureInfo.InvariantCulture,
                    $"The model rejects every change the action set allows ({_evaluations} candidate rows scored)."))
                : Answer(ColumnRecourseStatus.NotFound, scoreBefore, [], string.Create(CultureInfo.InvariantCulture,
                    $"No change of at most {_options.MaximumChangedColumns} columns that the model accepts was found in {_evaluations} candidate rows (the budget is {_options.MaximumEvaluations}); the candidates are a grid of values, so one may still exist."));
            yield break;
        }

        // The reported rows themselves, scored once more: an option is reported only as the model decides on it.
        var check = new CandidateBatch(options.Select(o => o.Row).ToList());
        yield return check;
        var reported = new List<ColumnRecourseOption>();
        string? note = null;
        for (int i = 0; i < options.Count; i++)
        {
            var row = check.Rows[i];
            Contracts.Check(_space.Allows(_row, row, out string reason), $"The search built a candidate the action set forbids ({reason}).");
            if (!check.Decisions[i].Accepted)
            {
                note = "An option the model accepted during the search was rejected when scored again and is left out; the model's decision on a row depends on the rows scored with it.";
                continue;
            }
            reported.Add(new ColumnRecourseOption(ChangesOf(row), _space.Cost(_row, row), check.Decisions[i].Score));
        }
        Result = reported.Count > 0
            ? Answer(ColumnRecourseStatus.Found, scoreBefore, reported, note)
            : Answer(ColumnRecourseStatus.NotFound, scoreBefore, [], note);
    }

    private ColumnRecourseResult Answer(ColumnRecourseStatus status, double scoreBefore, IReadOnlyList<ColumnRecourseOption> options, string? message)
        => new(status, BlackBoxRecourseSearch.MethodName, IsOptimal: false, scoreBefore, options, message);

    private CandidateBatch Spend(List<object?[]> rows)
    {
        _evaluations += rows.Count;
        return new CandidateBatch(rows);
    }

    // The score on a scale where single-change gains roughly add up: the logit of a probability, a raw score as it is.
    private double Transform(double score)
    {
        if (!_scoreIsProbability) return score;
        return ScorerModelParameters.Logit(Math.Clamp(score, 1e-7, 1 - 1e-7));
    }

    private void BuildMoves()
    {
        foreach (var column in _space.MutableColumns)
        {
            var moves = column switch
            {
                NumericColumnSpace numeric => NumericMoves(numeric),
                CategoricalColumnSpace categorical => categorical.Targets(CategoricalColumnSpace.TextOf(_row[column.Index]!))
                    .Select(t => categorical.ToRaw(t)).ToList(),
                _ => [],
            };
            if (moves.Count == 0) continue;
            int c = _columns.Count;
            _columns.Add(column);
            _moves.Add(moves.Select(v => new Move(c, column.Index, v, column.Cost(_row[column.Index]!, v, _space.CostFunction))).ToList());
        }
        int id = 0;
        foreach (var move in _moves.SelectMany(m => m)) move.Id = id++;
    }

    // The person's value moved toward each end of its range: the end, the points 1/2, 1/4, … of the way there and
    // training quantiles in between; every whole value when there are few.
    private List<object> NumericMoves(NumericColumnSpace column)
    {
        double x = RawRows.ToDouble(_row[column.Index]!);
        var (low, high) = column.Range(x);
        var values = new List<double>();
        foreach (double end in (double[])[low, high])
        {
            if (end == x || double.IsNaN(end)) continue;
            double lo = Math.Min(x, end), hi = Math.Max(x, end);
            var side = new SortedSet<double>();
            int perSide = _options.ValuesPerColumn;
            if (column.IsInteger && Math.Floor(hi) - Math.Ceiling(lo) + 1 <= perSide + 1)
            {
                for (double v = Math.Ceiling(lo); v <= Math.Floor(hi); v++) side.Add(column.Representable(v, lo, hi));
            }
            else
            {
                _domainsComplete = false;
                int halvings = (perSide + 1) / 2;
                for (int i = 0; i < halvings; i++) side.Add(column.Representable(x + (end - x) / (1 << i), lo, hi));
                var training = column.SortedTraining;
                int first = UpperBound(training, lo), last = LowerBound(training, hi);
                int quantiles = perSide - halvings;
                for (int q = 1; q <= quantiles && last > first; q++)
                    side.Add(column.Representable(training[first + (int)((long)q * (last - first) / (quantiles + 1))], lo, hi));
            }
            side.RemoveWhere(v => double.IsNaN(v) || v == x);
            values.AddRange(side);
        }
        return values.Select(column.ToRaw).ToList();
    }

    // Index of the first value > v in a sorted list.
    private static int UpperBound(IReadOnlyList<double> sorted, double v)
    {
        int lo = 0, hi = sorted.Count;
        while (lo < hi)
        {
            int mid = (lo + hi) >>> 1;
            if (sorted[mid] <= v) lo = mid + 1; else hi = mid;
        }
        return lo;
    }

    // Index of the first value ≥ v in a sorted list.
    private static int LowerBound(IReadOnlyList<double> sorted, double v)
    {
        int lo = 0, hi = sorted.Count;
        while (lo < hi)
        {
            int mid = (lo + hi) >>> 1;
            if (sorted[mid] < v) lo = mid + 1; else hi = mid;
        }
        return lo;
    }

    private object?[] WithChanges(params IReadOnlyList<Move> moves)
    {
        var row = (object?[])_row.Clone();
        foreach (var m in moves) row[m.RawIndex] = m.Value;
        return row;
    }

    private List<ColumnChange> ChangesOf(object?[] row)
        => _space.Columns.Where(c => !c.Same(_row[c.Index]!, row[c.Index]!))
            .Select(c => new ColumnChange(c.Name, _row[c.Index]!, row[c.Index]!)).ToList();

    /// <summary>
    /// The accepted single changes worth shrinking: per numeric column and direction the nearest accepted grid value,
    /// bracketed by the farthest rejected one before it; per categorical column the accepted value of highest score.
    /// </summary>
    private List<Candidate> SingleChangeCandidates(List<Move> scored)
    {
        var candidates = new List<Candidate>();
        foreach (var group in scored.GroupBy(m => (m.Column, Side: Side(m))))
        {
            var column = _columns[group.Key.Column];
            var accepted = group.Where(m => m.AcceptedAlone).ToList();
            if (accepted.Count == 0) continue;
            if (column is NumericColumnSpace)
            {
                double x = RawRows.ToDouble(_row[column.Index]!);
                var nearest = accepted.MinBy(m => Math.Abs(RawRows.ToDouble(m.Value) - x))!;
                double distance = Math.Abs(RawRows.ToDouble(nearest.Value) - x);
                var candidate = new Candidate(WithChanges(nearest), nearest.Score, nearest.Cost);
                var inner = group.Where(m => !m.AcceptedAlone && Math.Abs(RawRows.ToDouble(m.Value) - x) < distance)
                    .MaxBy(m => Math.Abs(RawRows.ToDouble(m.Value) - x));
                if (inner is not null) candidate.Inner[column.Index] = RawRows.ToDouble(inner.Value);
                candidate.LowerBound = inner is null ? 0 : inner.Cost;
                candidates.Add(candidate);
            }
            else
            {
                var best = accepted.OrderBy(m => m.Cost).ThenByDescending(m => m.Score).First();
                candidates.Add(new Candidate(WithChanges(best), best.Score, best.Cost) { LowerBound = best.Cost });
            }
        }
        return candidates;
    }

    private int Side(Move move) => _columns[move.Column] is NumericColumnSpace
        ? Math.Sign(RawRows.ToDouble(move.Value) - RawRows.ToDouble(_row[move.RawIndex]!))
        : 0;

    // Where the model's decision flips on the Transform scale, from the single changes: between the highest rejected
    // and the lowest accepted score when they are ordered, else above every rejected one and the nominal threshold.
    private double AcceptanceEstimate(List<Move> scored)
    {
        double nominal = _threshold is double t ? Transform(t) : 0;
        double highestRejected = scored.Where(m => !m.AcceptedAlone).Select(m => _before + m.Gain).DefaultIfEmpty(_before).Max();
        highestRejected = Math.Max(highestRejected, _before);
        var acceptedScores = scored.Where(m => m.AcceptedAlone).Select(m => _before + m.Gain).ToList();
        if (acceptedScores.Count > 0 && acceptedScores.Min() > highestRejected) return (acceptedScores.Min() + highestRejected) / 2;
        return Math.Max(nominal, highestRejected);
    }

    /// <summary>
    /// The combinations of <paramref name="k"/> changed columns to score, at most <paramref name="budget"/>: those the
    /// summed single-change gains predict accepted, cheapest first, then the rest by predicted score; every
    /// <see cref="ExplorationPeriod"/>-th one random. Values accepted alone are left out (they need no company).
    /// </summary>
    private List<Combination> Schedule(int k, int budget, double acceptAbove, out bool complete)
    {
        var pools = _moves.Select(ms => ms.Where(m => !m.AcceptedAlone).OrderByDescending(m => m.Gain).ThenBy(m => m.Cost).ToList())
            .Where(p => p.Count > 0).ToList();
        complete = true;
        if (pools.Count < k || budget <= 0)
        {
            complete = pools.Count < k;
            return [];
        }

        // The pools shrink to their best values (then the columns to their best ones) until the enumeration is affordable.
        long cap = (long)CombinationsPerEvaluation * budget;
        int poolSize = pools.Max(p => p.Count);
        while (poolSize > 1 && CombinationCount(pools, poolSize, k) > cap) poolSize--;
        var ranked = pools.OrderByDescending(p => p[0].Gain).ToList();
        int columnCount = ranked.Count;
        while (columnCount > k && CombinationCount(ranked.Take(columnCount).ToList(), poolSize, k) > cap) columnCount--;
        complete = poolSize == pools.Max(p => p.Count) && columnCount == ranked.Count;

        var combinations = new List<Combination>();
        Enumerate(ranked.Take(columnCount).Select(p => p.Take(poolSize).ToList()).ToList(), k, 0, new List<Move>(), combinations);
        var supersetLimits = _found.Values.Select(c => (Columns: ChangedColumns(c.Row), c.Cost)).ToList();
        var ordered = combinations
            .Where(c => !supersetLimits.Any(f => c.Cost >= f.Cost && f.Columns.IsSubsetOf(c.Moves.Select(m => m.RawIndex))))
            .Select(c => (Combination: c, Predicted: _before + c.Moves.Sum(m => m.Gain)))
            .OrderBy(c => c.Predicted > acceptAbove ? 0 : 1)
            .ThenBy(c => c.Predicted > acceptAbove ? c.Combination.Cost : -c.Predicted)
            .ThenBy(c => c.Combination.Cost)
            .Select(c => c.Combination)
            .ToList();
        if (ordered.Count > budget) complete = false;

        var schedule = new List<Combination>();
        var keys = new HashSet<string>(StringComparer.Ordinal);
        int next = 0, draws = 0;
        while (schedule.Count < budget)
        {
            bool explore = !complete && (schedule.Count % ExplorationPeriod == ExplorationPeriod - 1 || next >= ordered.Count);
            Combination pick;
            if (explore && draws++ < budget) pick = RandomCombination(pools, k);
            else if (!explore && next < ordered.Count) pick = ordered[next++];
            else break;
            if (keys.Add(pick.Key)) schedule.Add(pick);
        }
        return schedule;
    }

    // Σ over k-subsets of the pools of Π min(size, poolSize): the elementary symmetric polynomial, in doubles.
    private static double CombinationCount(List<List<Move>> pools, int poolSize, int k)
    {
        var e = new double[k + 1];
        e[0] = 1;
        foreach (var pool in pools)
        {
            double size = Math.Min(pool.Count, poolSize);
            for (int j = k; j >= 1; j--) e[j] += e[j - 1] * size;
        }
        return e[k];
    }

    private static void Enumerate(List<List<Move>> pools, int k, int start, List<Move> prefix, List<Combination> into)
    {
        if (prefix.Count == k)
        {
            into.Add(new Combination(prefix.ToArray()));
            return;
        }
        for (int p = start; p <= pools.Count - (k - prefix.Count); p++)
            foreach (var move in pools[p])
            {
                prefix.Add(move);
                Enumerate(pools, k, p + 1, prefix, into);
                prefix.RemoveAt(prefix.Count - 1);
            }
    }

    private Combination RandomCombination(List<List<Move>> pools, int k)
    {
        var order = Enumerable.Range(0, pools.Count).ToArray();
        var moves = new Move[k];
        for (int i = 0; i < k; i++)
        {
            int j = i + _random.NextInt(order.Length - i);
            (order[i], order[j]) = (order[j], order[i]);
            var pool = pools[order[i]];
            moves[i] = pool[_random.NextInt(pool.Count)];
        }
        return new Combination(moves);
    }

    /// <summary>
    /// Shrinks the candidates worth it (those whose bracket could still beat the options asked for) together, sharing
    /// model calls, and keeps them as options; shrinking stops early when the budget would run out.
    /// </summary>
    private IEnumerable<CandidateBatch> Refine(List<Candidate> candidates)
    {
        if (candidates.Count == 0) yield break;
        var costs = candidates.Select(c => c.Cost).Concat(_found.Values.Select(c => c.Cost)).Order().ToList();
        double bar = costs[Math.Min(_optionCount, costs.Count) - 1];
        var chosen = candidates.OrderBy(c => c.Cost).Where((c, i) => i < _optionCount || c.LowerBound < bar)
            .Take(_optionCount + ExtraRefinements).ToList();
        foreach (var batch in CandidateBatch.Interleave(chosen.Select(Shrink), _options.BatchSize))
        {
            if (batch.Rows.Count > Remaining) break;
            _evaluations += batch.Rows.Count;
            yield return batch;
        }
        foreach (var c in chosen)
        {
            string key = string.Join(",", ChangedColumns(c.Row).Order());
            if (!_found.TryGetValue(key, out var kept) || c.Cost < kept.Cost) _found[key] = c;
        }
    }

    /// <summary>
    /// Makes one accepted candidate cheaper while the model keeps accepting it: first drops changes it does not need
    /// (cheapest accepted result each round), then moves each numeric change back toward the person's value by
    /// bracketing the boundary, costliest change first. The candidate's row is always one the model accepted.
    /// </summary>
    private IEnumerable<CandidateBatch> Shrink(Candidate candidate)
    {
        while (true)
        {
            var changed = ChangedColumns(candidate.Row).ToList();
            if (changed.Count < 2) break;
            var trials = new CandidateBatch(changed.Select(i =>
            {
                var row = (object?[])candidate.Row.Clone();
                row[i] = _row[i];
                return row;
            }).ToList());
            yield return trials;
            int best = -1;
            double bestCost = double.PositiveInfinity;
            for (int t = 0; t < trials.Rows.Count; t++)
            {
                double cost = _space.Cost(_row, trials.Rows[t]);
                if (trials.Decisions[t].Accepted && cost < bestCost) (best, bestCost) = (t, cost);
            }
            if (best < 0) break;
            candidate.Update(trials.Rows[best], trials.Decisions[best].Score, bestCost);
        }

        var numeric = _space.Columns.OfType<NumericColumnSpace>()
            .Where(c => !c.Same(_row[c.Index]!, candidate.Row[c.Index]!))
            .OrderByDescending(c => c.Cost(_row[c.Index]!, candidate.Row[c.Index]!, _space.CostFunction))
            .ToList();
        foreach (var column in numeric)
        {
            int index = column.Index;
            double person = RawRows.ToDouble(_row[index]!);
            double inner = candidate.Inner.TryGetValue(index, out double known) ? known : person;
            double outer = RawRows.ToDouble(candidate.Row[index]!);
            for (int round = 0; round < MaximumShrinkRounds; round++)
            {
                if (!column.IsInteger && Math.Abs(outer - inner) <= ShrinkTolerance * column.Spread) break;
                var points = PointsBetween(column, inner, outer);
                if (points.Count == 0) break;
                var batch = new CandidateBatch(points.Select(p =>
                {
                    var row = (object?[])candidate.Row.Clone();
                    row[index] = column.ToRaw(p);
                    return row;
                }).ToList());
                yield return batch;
                int first = Array.FindIndex(batch.Decisions, d => d.Accepted);
                if (first < 0)
                {
                    inner = points[^1];
                    continue;
                }
                if (first > 0) inner = points[first - 1];
                outer = points[first];
                candidate.Update(batch.Rows[first], batch.Decisions[first].Score, _space.Cost(_row, batch.Rows[first]));
            }
        }
    }

    // Up to ShrinkPointsPerRound values strictly between inner and outer that the column holds exactly, from inner to outer.
    private static List<double> PointsBetween(NumericColumnSpace column, double inner, double outer)
    {
        double lo = Math.Min(inner, outer), hi = Math.Max(inner, outer);
        var points = new List<double>();
        for (int i = 1; i <= ShrinkPointsPerRound; i++)
        {
            double p = column.Representable(inner + (outer - inner) * i / (ShrinkPointsPerRound + 1), lo, hi);
            if (double.IsNaN(p) || p == inner || p == outer || (points.Count > 0 && p == points[^1])) continue;
            points.Add(p);
        }
        return points;
    }

    private HashSet<int> ChangedColumns(object?[] row)
        => _space.Columns.Where(c => !c.Same(_row[c.Index]!, row[c.Index]!)).Select(c => c.Index).ToHashSet();

    /// <summary>
    /// The options: one per set of changed columns (its cheapest), cheapest first; a set that contains another
    /// option's set is kept only when it costs less than that option.
    /// </summary>
    private List<Candidate> SelectOptions(IEnumerable<Candidate>? more = null)
    {
        var byColumns = new Dictionary<string, (HashSet<int> Columns, Candidate Candidate)>(StringComparer.Ordinal);
        foreach (var c in _found.Values.Concat(more ?? []))
        {
            var columns = ChangedColumns(c.Row);
            string key = string.Join(",", columns.Order());
            if (!byColumns.TryGetValue(key, out var cheapest) || c.Cost < cheapest.Candidate.Cost) byColumns[key] = (columns, c);
        }
        var kept = new List<(HashSet<int> Columns, Candidate Candidate)>();
        foreach (var (key, entry) in byColumns.OrderBy(e => e.Value.Candidate.Cost).ThenBy(e => e.Value.Columns.Count).ThenBy(e => e.Key, StringComparer.Ordinal))
        {
            if (kept.Any(k => k.Columns.IsProperSubsetOf(entry.Columns))) continue;
            kept.Add(entry);
            if (kept.Count == _optionCount) break;
        }
        return kept.Select(k => k.Candidate).ToList();
    }

    private int OptionCount(IEnumerable<Candidate>? more = null) => SelectOptions(more).Count;

    // A stream of the row's own random sequence, from its values (FNV-1a over their text): the same row gets the same
    // draws wherever it sits in a batch.
    private static int StreamOf(object?[] row)
    {
        uint hash = 2166136261;
        foreach (var value in row)
        {
            foreach (char ch in RawRows.Format(value))
                hash = (hash ^ ch) * 16777619;
            hash = (hash ^ 0x1F) * 16777619;
        }
        return (int)hash;
    }

    /// <summary>A candidate value of one column, and what the model said when it was the only change.</summary>
    private sealed class Move(int column, int rawIndex, object value, double cost)
    {
        /// <summary>Gets the column's position among the columns that may move.</summary>
        public int Column { get; } = column;

        /// <summary>Gets the column's position in a raw row.</summary>
        public int RawIndex { get; } = rawIndex;

        public object Value { get; } = value;

        public double Cost { get; } = cost;

        /// <summary>Gets or sets the move's number within the row's search (for keys of combinations).</summary>
        public int Id { get; set; }

        /// <summary>Gets or sets the change of the Transform-scale score when this is the only change.</summary>
        public double Gain { get; set; }

        public bool AcceptedAlone { get; set; }

        /// <summary>Gets or sets the model's score when this is the only change and it is accepted.</summary>
        public double Score { get; set; }
    }

    /// <summary>Changes of distinct columns scored together.</summary>
    private sealed class Combination(Move[] moves)
    {
        public Move[] Moves { get; } = moves;

        public double Cost { get; } = moves.Sum(m => m.Cost);

        /// <summary>Gets the move numbers in order, which identify the combination.</summary>
        public string Key { get; } = string.Join(",", moves.Select(m => m.Id).Order());
    }

    /// <summary>An accepted raw row being made cheaper.</summary>
    private sealed class Candidate(object?[] row, double score, double cost)
    {
        public object?[] Row { get; private set; } = row;

        public double Score { get; private set; } = score;

        public double Cost { get; private set; } = cost;

        /// <summary>Gets, per raw column index, a value nearer the person's that the model rejected with the other columns as they are.</summary>
        public Dictionary<int, double> Inner { get; } = [];

        /// <summary>Gets or sets the least cost shrinking could reach: the changes at their inner brackets.</summary>
        public double LowerBound { get; set; }

        public void Update(object?[] row, double score, double cost) => (Row, Score, Cost) = (row, score, cost);
    }
}
