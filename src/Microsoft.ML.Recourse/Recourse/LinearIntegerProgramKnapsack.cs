namespace Microsoft.ML.Recourse;

/// <summary>The outcome of <see cref="MultipleChoiceKnapsack.Solve"/>.</summary>
/// <param name="Choice">The chosen choice of every block, or <see langword="null"/> when no choice meets the score row (and the cuts).</param>
/// <param name="HitNodeLimit">Whether the node limit stopped the search; <paramref name="Choice"/> is then the best found, not a proven optimum.</param>
internal readonly record struct KnapsackSolution(int[]? Choice, bool HitNodeLimit);

/// <summary>
/// Solves the integer program of an <see cref="ActionGridProblem"/> without general rows exactly: a multiple-choice
/// knapsack, min Σ costs s.t. Σ gains ≥ need with one choice per block.
/// </summary>
/// <remarks>
/// <para>
/// <b>Additive costs: branch and bound.</b> Blocks are fixed one at a time in depth-first order. The bound at a node is
/// the optimum of the LP relaxation of the remaining multiple-choice knapsack, which (Sinha &amp; Zoltners 1979) is
/// found greedily: each block's choices are replaced by the upper concave hull of its (cost, gain) points; starting
/// from every block's cheapest hull point, the hull segments of all remaining blocks are bought in decreasing order of
/// gain per cost until the remaining need is met, the last one fractionally. A node is cut when its cost plus this
/// bound reaches the incumbent; since the bound never exceeds the cost of any completion, no cut removes a better
/// solution, and the search returns a proven optimum. The first incumbent rounds the root relaxation up (the
/// fractional segment bought whole). Choices dominated by "no change" (gain ≤ 0, cost ≥ 0) or by another change of
/// the same block (no cheaper, no more gain) are dropped first; neither can be in a unique optimum, and "no change"
/// itself is always kept, so the "distinct subsets" cuts of flipsets (checked at the leaves) lose no support set.
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
    /// <summary>The default limit on branch-and-bound nodes per solve; far above what action grids of tens of blocks need.</summary>
    public const long DefaultNodeLimit = 20_000_000;

    public static KnapsackSolution Solve(ActionGridProblem problem, IReadOnlyList<bool[]> forbiddenSupports, long nodeLimit = DefaultNodeLimit)
    {
        if (!problem.MeetsScore(problem.MaximumGain))
            return new KnapsackSolution(null, false);
        if (!problem.IsMaximumCost)
            return new Search(problem, useTieCosts: false, double.PositiveInfinity, forbiddenSupports, nodeLimit).Run();

        var candidates = problem.Items.SelectMany(item => item.Costs).Append(0).Distinct().Order().ToArray();
        int lo = 0, hi = candidates.Length - 1;
        while (lo < hi)
        {
            int mid = (lo + hi) >>> 1;
            if (problem.MeetsScore(BestGainWithin(problem, candidates[mid]))) hi = mid; else lo = mid + 1;
        }
        for (int t = lo; t < candidates.Length; t++)
        {
            var solution = new Search(problem, useTieCosts: true, candidates[t], forbiddenSupports, nodeLimit).Run();
            if (solution.Choice is not null || solution.HitNodeLimit) return solution;
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

    /// <summary>One branch-and-bound run over the additive problem restricted to choices with cost ≤ a limit.</summary>
    private sealed class Search
    {
        private readonly ActionGridProblem _problem;
        private readonly IReadOnlyList<bool[]> _forbidden;
        private readonly long _nodeLimit;
        private readonly int[] _blockAtDepth;     // depth → block index
        private readonly int[][] _choices;        // depth → kept choices (block choice indices), by cost ascending
        private readonly double[][] _gain;        // depth → gains of the kept choices
        private readonly double[][] _cost;        // depth → objective costs of the kept choices
        private readonly int[] _hullStart;        // depth → block choice index of the first hull point
        private readonly double[] _baseGainFrom;  // depth → Σ gains of the first hull points of blocks at depth ≥ it
        private readonly Segment[] _segments;     // all hull segments by decreasing gain per cost
        private readonly int[] _current;
        private int[]? _best;
        private double _bestCost = double.PositiveInfinity;
        private long _nodes;

        public Search(ActionGridProblem problem, bool useTieCosts, double costLimit, IReadOnlyList<bool[]> forbidden, long nodeLimit)
        {
            _problem = problem;
            _forbidden = forbidden;
            _nodeLimit = nodeLimit;
            int blocks = problem.Items.Length;
            var kept = new List<(int Block, int[] Choices, double MaxGain)>();
            for (int i = 0; i < blocks; i++)
            {
                var item = problem.Items[i];
                var objective = useTieCosts ? item.TieCosts : item.Costs;
                var candidates = Enumerable.Range(1, item.ChoiceCount - 1)
                    .Where(k => item.Gains[k] > 0 && item.Costs[k] <= costLimit)
                    .OrderBy(k => objective[k]).ThenByDescending(k => item.Gains[k]).ToList();
                var choices = new List<int> { 0 };
                double bestGain = 0;
                foreach (int k in candidates)
                {
                    if (item.Gains[k] > bestGain)
                    {
                        choices.Add(k);
                        bestGain = item.Gains[k];
                    }
                }
                if (choices.Count > 1) kept.Add((i, choices.ToArray(), bestGain));
            }
            // Blocks with the largest possible gain first: their choice decides most.
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
            _segments = segments.ToArray();
            _baseGainFrom = new double[depthCount + 1];
            for (int depth = depthCount - 1; depth >= 0; depth--)
            {
                var item = problem.Items[_blockAtDepth[depth]];
                _baseGainFrom[depth] = _baseGainFrom[depth + 1] + item.Gains[_hullStart[depth]];
            }
            _current = new int[blocks];
        }

        // a before b when Gainₐ/Costₐ > Gain_b/Cost_b (costs are > 0 on a hull); ties by depth.
        private static int ByDecreasingGainPerCost(Segment a, Segment b)
        {
            int byEfficiency = (b.Gain * a.Cost).CompareTo(a.Gain * b.Cost);
            return byEfficiency != 0 ? byEfficiency : a.Depth.CompareTo(b.Depth);
        }

        public KnapsackSolution Run()
        {
            double need = _problem.RequiredGain;
            if (Bound(0, need) == double.PositiveInfinity) return new KnapsackSolution(null, false);
            SeedIncumbent(need);
            bool complete = Branch(0, 0, need);
            return new KnapsackSolution(_best, !complete);
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
            double tolerance = _problem.GainTolerance;
            if (remaining <= tolerance) return 0;
            double cost = 0;
            foreach (var s in _segments)
            {
                if (s.Depth < depth) continue;
                if (s.Gain >= remaining) return cost + s.Cost * (remaining / s.Gain);
                cost += s.Cost;
                remaining -= s.Gain;
                if (remaining <= tolerance) return cost;
            }
            return double.PositiveInfinity;
        }

        private void SeedIncumbent(double need)
        {
            var choice = new int[_problem.Items.Length];
            for (int depth = 0; depth < _blockAtDepth.Length; depth++) choice[_blockAtDepth[depth]] = _hullStart[depth];
            double remaining = need - _baseGainFrom[0];
            foreach (var s in _segments)
            {
                if (remaining <= _problem.GainTolerance) break;
                choice[_blockAtDepth[s.Depth]] = s.ToChoice;
                remaining -= s.Gain;
            }
            Offer(choice);
        }

        /// <summary>Depth-first branch and bound; returns false when the node limit stopped it.</summary>
        private bool Branch(int depth, double cost, double need)
        {
            if (++_nodes > _nodeLimit) return false;
            if (depth == _blockAtDepth.Length)
            {
                if (need <= _problem.GainTolerance) Offer(_current);
                return true;
            }
            int block = _blockAtDepth[depth];
            var gains = _gain[depth];
            var costs = _cost[depth];
            for (int p = 0; p < gains.Length; p++)
            {
                double childCost = cost + costs[p];
                if (childCost >= _bestCost) break; // choices are sorted by cost
                double childNeed = need - gains[p];
                if (childCost + Bound(depth + 1, childNeed) >= _bestCost) continue;
                _current[block] = _choices[depth][p];
                bool complete = Branch(depth + 1, childCost, childNeed);
                _current[block] = 0;
                if (!complete) return false;
            }
            return true;
        }

        private void Offer(int[] choice)
        {
            if (IsForbidden(choice)) return;
            double cost = 0;
            for (int depth = 0; depth < _blockAtDepth.Length; depth++)
            {
                int block = _blockAtDepth[depth];
                int position = Array.IndexOf(_choices[depth], choice[block]);
                cost += _cost[depth][position];
            }
            if (cost < _bestCost)
            {
                _bestCost = cost;
                _best = (int[])choice.Clone();
            }
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
