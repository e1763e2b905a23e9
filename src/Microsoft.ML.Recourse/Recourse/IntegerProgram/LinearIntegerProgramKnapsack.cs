namespace Microsoft.ML.Recourse;

/// <summary>The outcome of <see cref="MultipleChoiceKnapsack.Solve"/>.</summary>
/// <param name="Choice">The chosen choice of every block, or <see langword="null"/> when no choice meets the score row (and the cuts).</param>
/// <param name="HitStateLimit">Whether the state limit stopped the search; <paramref name="Choice"/> is then the best found, not a proven optimum.</param>
internal readonly record struct KnapsackSolution(int[]? Choice, bool HitStateLimit);

/// <summary>
/// Solves the integer program of an <see cref="ActionGridProblem"/> without general rows exactly: a multiple-choice
/// knapsack, min Σ costs s.t. Σ gains ≥ need with one choice per block.
/// </summary>
/// <remarks>
/// <para>
/// <b>Additive costs: dominance lists with LP bounds.</b> Blocks are fixed one depth at a time (Nemhauser–Ullmann).
/// A partial solution is a (cost, gain) pair. It is dropped when (1) another partial solution at the same depth is no
/// dearer and gains no less — any completion of the dropped one applied to the other is no worse (with flipset cuts
/// only partial solutions with the same pattern of changed blocks are compared, since the cuts look at that pattern);
/// or (2) its cost plus a lower bound on the cost of meeting the remaining need with the unfixed blocks reaches the
/// incumbent. The bound is the optimum of the LP relaxation of the remaining multiple-choice knapsack, which (Sinha
/// &amp; Zoltners 1979) is found greedily: each block's choices are replaced by the upper concave hull of its
/// (cost, gain) points and, from every block's cheapest hull point, hull segments are bought in decreasing order of
/// gain per cost until the need is met, the last one fractionally. Neither rule removes a solution better than the
/// incumbent, and a partial solution that meets the need is completed with "no change", so the incumbent at the end is
/// a proven optimum. The first incumbent rounds the root relaxation up (the fractional segment bought whole).
/// </para>
/// <para>
/// <b>Max cost (then Σ tie costs).</b> c_max can only take the values of block costs. For a candidate T, the best
/// gain with every block's cost ≤ T is the sum of each block's best admissible gain, which grows with T; a binary
/// search over the sorted candidates gives the least feasible T*. The tie-break is then the additive problem above
/// over the choices with cost ≤ T*. With flipset cuts the additive problem may be infeasible at T*; T then moves to
/// the next candidate until it is not, which keeps the order (c_max first, then Σ tie costs).
/// </para>
/// </remarks>
internal static class MultipleChoiceKnapsack
{
    /// <summary>The default limit on partial solutions kept per solve; far above what action grids of tens of blocks need.</summary>
    public const long DefaultStateLimit = 5_000_000;

    public static KnapsackSolution Solve(ActionGridProblem problem, IReadOnlyList<bool[]> forbiddenSupports, long stateLimit = DefaultStateLimit)
    {
        if (!problem.MeetsScore(problem.MaximumGain))
            return new KnapsackSolution(null, false);
        if (!problem.IsMaximumCost)
            return new Search(problem, useTieCosts: false, double.PositiveInfinity, forbiddenSupports, stateLimit).Run();

        var candidates = problem.Items.SelectMany(item => item.Costs).Append(0).Distinct().Order().ToArray();
        int lo = 0, hi = candidates.Length - 1;
        while (lo < hi)
        {
            int mid = (lo + hi) >>> 1;
            if (problem.MeetsScore(BestGainWithin(problem, candidates[mid]))) hi = mid; else lo = mid + 1;
        }
        for (int t = lo; t < candidates.Length; t++)
        {
            var solution = new Search(problem, useTieCosts: true, candidates[t], forbiddenSupports, stateLimit).Run();
            if (solution.Choice is not null || solution.HitStateLimit) return solution;
        }
        return new KnapsackSolution(null, false);
    }

    private static double BestGainWithin(ActionGridProblem problem, double costLimit)
    {
        double gain = 0;
        foreach (var item in problem.Items)
        {
            double best = 0;
            for (int k = 1; k < item.ChoiceCount; k++)
                if (item.Costs[k] <= costLimit) best = Math.Max(best, item.Gains[k]);
            gain += best;
        }
        return gain;
    }

    private readonly record struct Segment(int Depth, int ToChoice, double Cost, double Gain);

    /// <summary>A partial solution: the blocks up to some depth are fixed.</summary>
    private readonly record struct State(double Cost, double Gain, int Parent, int Position, string? SupportClass);

    /// <summary>One run over the additive problem restricted to choices with cost ≤ a limit.</summary>
    private sealed class Search
    {
        private readonly ActionGridProblem _problem;
        private readonly IReadOnlyList<bool[]> _forbidden;
        private readonly long _stateLimit;
        private readonly int[] _blockAtDepth;       // depth → block index
        private readonly int[][] _choices;          // depth → kept choices (block choice indices), by cost ascending
        private readonly double[][] _gain;          // depth → gains of the kept choices
        private readonly double[][] _cost;          // depth → objective costs of the kept choices
        private readonly int[] _hullStart;          // depth → block choice index of the first hull point
        private readonly double[] _baseGainFrom;    // depth → Σ gains of the first hull points of blocks at depth ≥ it
        private readonly Segment[][] _segmentsFrom; // depth → hull segments of blocks at depth ≥ it, by decreasing gain per cost
        private readonly double[][] _gainThrough;   // depth → running Σ gain of _segmentsFrom[depth]
        private readonly double[][] _costThrough;   // depth → running Σ cost of _segmentsFrom[depth]
        private readonly List<State[]> _levels = [];
        private int[]? _best;
        private double _bestCost = double.PositiveInfinity;

        public Search(ActionGridProblem problem, bool useTieCosts, double costLimit, IReadOnlyList<bool[]> forbidden, long stateLimit)
        {
            _problem = problem;
            _forbidden = forbidden;
            _stateLimit = stateLimit;
            var kept = new List<(int Block, int[] Choices, double MaxGain)>();
            for (int i = 0; i < problem.Items.Length; i++)
            {
                var item = problem.Items[i];
                var objective = useTieCosts ? item.TieCosts : item.Costs;
                // "No change" stays; a change is dropped when another change of the block is no dearer and gains no less
                // (same support, so no flipset cut can prefer it).
                var candidates = Enumerable.Range(1, item.ChoiceCount - 1)
                    .Where(k => item.Costs[k] <= costLimit)
                    .OrderBy(k => objective[k]).ThenByDescending(k => item.Gains[k]).ToList();
                var choices = new List<int> { 0 };
                double bestGain = double.NegativeInfinity;
                foreach (int k in candidates)
                {
                    if (item.Gains[k] > bestGain)
                    {
                        choices.Add(k);
                        bestGain = item.Gains[k];
                    }
                }
                if (choices.Count > 1) kept.Add((i, choices.ToArray(), Math.Max(0, bestGain)));
            }
            kept.Sort((a, b) => b.MaxGain.CompareTo(a.MaxGain));
            int depthCount = kept.Count;
            _blockAtDepth = kept.Select(t => t.Block).ToArray();
            _choices = kept.Select(t => t.Choices).ToArray();
            _gain = new double[depthCount][];
            _cost = new double[depthCount][];
            _hullStart = new int[depthCount];
            var segments = new List<Segment>();
            for (int depth = 0; depth < depthCount; depth++)
            {
                var item = problem.Items[_blockAtDepth[depth]];
                var objective = useTieCosts ? item.TieCosts : item.Costs;
                _gain[depth] = _choices[depth].Select(k => item.Gains[k]).ToArray();
                _cost[depth] = _choices[depth].Select(k => objective[k]).ToArray();
                AddHull(depth, _choices[depth], _cost[depth], _gain[depth], segments);
            }
            segments.Sort(ByDecreasingGainPerCost);
            _baseGainFrom = new double[depthCount + 1];
            _segmentsFrom = new Segment[depthCount + 1][];
            _gainThrough = new double[depthCount + 1][];
            _costThrough = new double[depthCount + 1][];
            for (int depth = depthCount; depth >= 0; depth--)
            {
                if (depth < depthCount)
                    _baseGainFrom[depth] = _baseGainFrom[depth + 1] + problem.Items[_blockAtDepth[depth]].Gains[_hullStart[depth]];
                var from = segments.Where(seg => seg.Depth >= depth).ToArray();
                _segmentsFrom[depth] = from;
                _gainThrough[depth] = new double[from.Length];
                _costThrough[depth] = new double[from.Length];
                double g = 0, c = 0;
                for (int t = 0; t < from.Length; t++)
                {
                    _gainThrough[depth][t] = g += from[t].Gain;
                    _costThrough[depth][t] = c += from[t].Cost;
                }
            }
        }

        // a before b when Gainₐ/Costₐ > Gain_b/Cost_b (costs are > 0 on a hull); ties by depth.
        private static int ByDecreasingGainPerCost(Segment a, Segment b)
        {
            int byEfficiency = (b.Gain * a.Cost).CompareTo(a.Gain * b.Cost);
            return byEfficiency != 0 ? byEfficiency : a.Depth.CompareTo(b.Depth);
        }

        /// <summary>
        /// Fixes the blocks one depth at a time, keeping the partial solutions that are not dominated (another one,
        /// with the same changed-feature pattern when there are cuts, is no dearer and gains no less) and whose cost
        /// plus the LP bound of the rest stays below the incumbent. Returns the optimum, or the incumbent when the
        /// state limit stopped the search.
        /// </summary>
        public KnapsackSolution Run()
        {
            double need = _problem.RequiredGain;
            if (Bound(0, need) == double.PositiveInfinity) return new KnapsackSolution(null, false);
            SeedIncumbent(need);
            bool tracksSupport = _forbidden.Count > 0;
            _levels.Add([new State(0, 0, -1, -1, tracksSupport ? "" : null)]);
            long states = 1;
            for (int depth = 0; depth < _blockAtDepth.Length; depth++)
            {
                var next = new List<State>();
                var level = _levels[depth];
                for (int s = 0; s < level.Length; s++)
                {
                    var state = level[s];
                    for (int p = 0; p < _gain[depth].Length; p++)
                    {
                        double cost = state.Cost + _cost[depth][p];
                        if (cost >= _bestCost) break; // choices are sorted by cost
                        double gain = state.Gain + _gain[depth][p];
                        if (need - gain <= 0 && Offer(Reconstruct(depth, s, p))) continue;
                        if (cost + Bound(depth + 1, need - gain) >= _bestCost) continue;
                        string? supportClass = tracksSupport ? state.SupportClass + (p == 0 ? '0' : '1') : null;
                        next.Add(new State(cost, gain, s, p, supportClass));
                    }
                }
                states += next.Count;
                if (states > _stateLimit) return new KnapsackSolution(_best, true);
                _levels.Add(Undominated(next));
            }
            return new KnapsackSolution(_best, false);
        }

        private static State[] Undominated(List<State> states)
        {
            states.Sort((a, b) =>
            {
                int c = string.CompareOrdinal(a.SupportClass, b.SupportClass);
                if (c == 0) c = a.Cost.CompareTo(b.Cost);
                return c != 0 ? c : b.Gain.CompareTo(a.Gain);
            });
            var kept = new List<State>(states.Count);
            for (int t = 0; t < states.Count; t++)
            {
                bool sameClass = kept.Count > 0 && kept[^1].SupportClass == states[t].SupportClass;
                if (!sameClass || states[t].Gain > kept[^1].Gain) kept.Add(states[t]);
            }
            return kept.ToArray();
        }

        private int[] Reconstruct(int depth, int parent, int position)
        {
            var choice = new int[_problem.Items.Length];
            choice[_blockAtDepth[depth]] = _choices[depth][position];
            for (int d = depth - 1; d >= 0; d--)
            {
                var state = _levels[d + 1][parent];
                choice[_blockAtDepth[d]] = _choices[d][state.Position];
                parent = state.Parent;
            }
            return choice;
        }

        // The upper concave hull of the (cost, gain) Pareto front, which starts at the best cost-0 point.
        private void AddHull(int depth, int[] choices, double[] cost, double[] gain, List<Segment> segments)
        {
            var order = Enumerable.Range(0, choices.Length).OrderBy(p => cost[p]).ThenByDescending(p => gain[p]).ToArray();
            var front = new List<int>();
            foreach (int p in order)
                if (front.Count == 0 || gain[p] > gain[front[^1]]) front.Add(p);
            var hull = new List<int>();
            foreach (int p in front)
            {
                while (hull.Count >= 2)
                {
                    int a = hull[^2], b = hull[^1];
                    // Drop b when it lies on or below the chord a → p.
                    if ((gain[b] - gain[a]) * (cost[p] - cost[b]) <= (gain[p] - gain[b]) * (cost[b] - cost[a])) hull.RemoveAt(hull.Count - 1);
                    else break;
                }
                hull.Add(p);
            }
            _hullStart[depth] = choices[hull[0]];
            for (int h = 1; h < hull.Count; h++)
                segments.Add(new Segment(depth, choices[hull[h]], cost[hull[h]] - cost[hull[h - 1]], gain[hull[h]] - gain[hull[h - 1]]));
        }

        /// <summary>The LP-relaxation bound on the cost of meeting <paramref name="need"/> with the blocks at depth ≥ <paramref name="depth"/>.</summary>
        private double Bound(int depth, double need)
        {
            double remaining = need - _baseGainFrom[depth];
            if (remaining <= 0) return 0;
            var gains = _gainThrough[depth];
            int t = Array.BinarySearch(gains, remaining);
            if (t < 0) t = ~t;
            if (t == gains.Length) return double.PositiveInfinity;
            double before = t == 0 ? 0 : gains[t - 1];
            double costBefore = t == 0 ? 0 : _costThrough[depth][t - 1];
            var segment = _segmentsFrom[depth][t];
            return costBefore + segment.Cost * ((remaining - before) / segment.Gain);
        }

        private void SeedIncumbent(double need)
        {
            var choice = new int[_problem.Items.Length];
            for (int depth = 0; depth < _blockAtDepth.Length; depth++) choice[_blockAtDepth[depth]] = _hullStart[depth];
            double remaining = need - _baseGainFrom[0];
            foreach (var s in _segmentsFrom[0])
            {
                if (remaining <= 0) break;
                choice[_blockAtDepth[s.Depth]] = s.ToChoice;
                remaining -= s.Gain;
            }
            Offer(choice);
        }

        // Every answer is re-checked with the problem's own sum, so rounding in the search order cannot admit one below the row.
        private bool Offer(int[] choice)
        {
            if (IsForbidden(choice) || !_problem.MeetsScore(_problem.Gain(choice))) return false;
            double cost = 0;
            for (int depth = 0; depth < _blockAtDepth.Length; depth++)
            {
                int block = _blockAtDepth[depth];
                cost += _cost[depth][Array.IndexOf(_choices[depth], choice[block])];
            }
            if (cost < _bestCost)
            {
                _bestCost = cost;
                _best = choice;
            }
            return true;
        }

        private bool IsForbidden(int[] choice)
        {
            foreach (var support in _forbidden)
            {
                bool same = true;
                for (int i = 0; i < choice.Length && same; i++) same = (choice[i] != 0) == support[i];
                if (same) return true;
            }
            return false;
        }
    }
}
