using Microsoft.ML.Recourse.Actions;
using Microsoft.ML.Recourse.Models;
using Microsoft.ML.Recourse.Models.MlNet;
using Microsoft.ML.Recourse.Optimization;

namespace Microsoft.ML.Recourse;

/// <summary>An exact method on raw columns: the cheapest changes of one row, given its features, for the caller to check with the model.</summary>
internal interface IExactColumnMethod
{
    string Name { get; }

    /// <summary>
    /// Gets the same method with a target further above the model's boundary, for rows whose answer the model's own float
    /// arithmetic rejects, or <see langword="null"/> when there is none.
    /// </summary>
    IExactColumnMethod? Safer { get; }

    /// <summary>Gets whether this method's optimum is the model's optimum up to the float rounding of the model's score.</summary>
    bool OptimalWithinRounding { get; }

    (ColumnRecourseStatus Status, bool IsOptimal, List<object?[]> Options, string? Message) Solve(object?[] row, ReadOnlySpan<double> features,
        int optionCount, CancellationToken cancellationToken);
}

/// <summary>
/// Recourse for a fitted model on its raw columns: the exact method when the model's transforms compile onto the
/// mutable columns (<see cref="ColumnFeatureMap"/>) in front of a classifier with an exact method, the black-box search
/// otherwise. Every option is checked with the model itself and with the action space before it is reported.
/// </summary>
internal sealed class ColumnRecourseEngine
{
    private readonly IExactColumnMethod? _exact;
    private readonly ColumnFeatureMap? _map;
    private readonly Func<IReadOnlyList<object?[]>, int, CancellationToken, IReadOnlyList<ColumnRecourseResult>>? _search;

    private ColumnRecourseEngine(ModelDecision decision, ColumnActionSpace space, IExactColumnMethod? exact, ColumnFeatureMap? map,
        Func<IReadOnlyList<object?[]>, int, CancellationToken, IReadOnlyList<ColumnRecourseResult>>? search, string method, string? whyNotExact)
    {
        Decision = decision;
        Space = space;
        _exact = exact;
        _map = map;
        _search = search;
        Method = method;
        WhyNotExact = whyNotExact;
    }

    public ModelDecision Decision { get; }

    public ColumnActionSpace Space { get; }

    /// <summary>Gets the method for rejected rows: an exact method's name, or <c>search</c>.</summary>
    public string Method { get; }

    /// <summary>Gets why the exact methods do not apply, or <see langword="null"/> when one does.</summary>
    public string? WhyNotExact { get; }

    /// <summary>
    /// Chooses the method for a model: its parts in pipeline order (chains flattened), the bound action space and rows
    /// of the user's data to read the transforms with.
    /// </summary>
    public static ColumnRecourseEngine Create(IReadOnlyList<ITransformer> parts, ModelDecision decision, ColumnActionSpace space,
        IReadOnlyList<object?[]> sampleRows, bool useExactMethods, ILinearProgramSolver solver, double? treeTimeLimitSeconds,
        Func<IReadOnlyList<object?[]>, int, CancellationToken, IReadOnlyList<ColumnRecourseResult>>? search)
    {
        string? why = null;
        if (!useExactMethods)
        {
            why = "exact methods were turned off";
        }
        else
        {
            int at = -1;
            BinaryClassifierView? classifier = null;
            for (int i = parts.Count - 1; i >= 0 && classifier is null; i--)
            {
                try
                {
                    classifier = ClassifierReaders.TryRead(parts[i]);
                }
                catch (InvalidOperationException e)
                {
                    why = e.Message;
                }
                at = i;
            }
            if (classifier is null)
            {
                why ??= $"no part of the model is a classifier with an exact method (its parts: {string.Join(", ", parts.Select(p => p.GetType().Name))})";
            }
            else if (classifier.Scorer is not (LogisticRegressionModelParameters or Trees.TreeEnsembleScorer))
            {
                why = $"the classifier ({classifier.Description}) has no exact method on raw columns";
            }
            else if (decision.Threshold is not null)
            {
                why = "a threshold other than the model's own decision is set";
            }
            else
            {
                var map = ColumnFeatureMap.TryCompile(space, parts.Take(at).ToArray(), classifier.FeatureColumnName, classifier.FeatureCount, sampleRows, out string reason);
                IExactColumnMethod? exact = null;
                if (map is null)
                    why = reason;
                else if (classifier.Scorer is LogisticRegressionModelParameters logistic)
                {
                    var targets = classifier.BoundaryThresholds.Select(t => (ScorerModelParameters.Logit(t), true)).Append((ScorerModelParameters.Logit(classifier.Threshold), false)).ToArray();
                    exact = new LinearColumnRecourse(map, logistic.Weights, logistic.Bias, targets[0].Item1, solver, targets[1..]);
                }
                else if (TreeColumnRecourse.TryCreate(map, ((Trees.TreeEnsembleScorer)classifier.Scorer).Model, classifier.DecisionMargin, treeTimeLimitSeconds, out reason) is { } trees)
                    exact = trees;
                else
                    why = reason;
                if (exact is not null) return new ColumnRecourseEngine(decision, space, exact, map, search, exact.Name, null);
            }
        }
        Contracts.Check(search is not null, $"No method applies to this model: {why}.");
        return new ColumnRecourseEngine(decision, space, null, null, search, BlackBoxRecourseSearch.MethodName, why);
    }

    /// <summary>Recourse for every row, in order.</summary>
    public ColumnRecourseResult[] Explain(IReadOnlyList<object?[]> rows, int optionCount, CancellationToken cancellationToken = default)
    {
        var before = Decision.Decide(rows);
        var results = new ColumnRecourseResult?[rows.Count];
        var rejected = new List<int>();
        for (int r = 0; r < rows.Count; r++)
        {
            if (before[r].Accepted) results[r] = new ColumnRecourseResult(ColumnRecourseStatus.Accepted, Method, true, before[r].Score, []);
            else rejected.Add(r);
        }
        if (_exact is not null && rejected.Count > 0)
            ExplainExactly(rows, rejected, before, optionCount, results, cancellationToken);
        var searched = rejected.Where(r => results[r] is null).ToArray();
        if (searched.Length > 0)
        {
            Contracts.Check(_search is not null, $"No method applies to this model: {WhyNotExact}.");
            var found = _search!(searched.Select(r => rows[r]).ToArray(), optionCount, cancellationToken);
            for (int k = 0; k < searched.Length; k++)
                results[searched[k]] = _exact is null ? found[k] : found[k] with
                {
                    Message = $"the exact answer was rejected by the model, so the search answered{(found[k].Message is null ? "" : "; " + found[k].Message)}",
                };
        }
        return results.Select(r => r!).ToArray();
    }

    private void ExplainExactly(IReadOnlyList<object?[]> rows, List<int> rejected, (bool Accepted, double Score)[] before, int optionCount,
        ColumnRecourseResult?[] results, CancellationToken cancellationToken)
    {
        // The model's float arithmetic can refuse an answer that sits at its boundary in exact arithmetic: such rows are
        // solved again with the next safer target.
        var method = _exact!;
        var pending = rejected;
        while (true)
        {
            pending = SolveAndCheck(method, rows, pending, before, optionCount, results, cancellationToken);
            if (pending.Count == 0 || method.Safer is null) break;
            method = method.Safer;
        }
    }

    // Solves the rows with one method and checks every option with the model in one pass. An option the model rejects
    // is dropped; rows left with none are returned (unanswered) for a safer method or the search.
    private List<int> SolveAndCheck(IExactColumnMethod method, IReadOnlyList<object?[]> rows, List<int> rejected, (bool Accepted, double Score)[] before,
        int optionCount, ColumnRecourseResult?[] results, CancellationToken cancellationToken)
    {
        var features = _map!.Features(rejected.Select(r => rows[r]).ToArray());
        int d = _map.FeatureCount;
        var solved = new (ColumnRecourseStatus Status, bool IsOptimal, List<object?[]> Options, string? Message)[rejected.Count];
        Parallel.For(0, rejected.Count, new ParallelOptions { CancellationToken = cancellationToken },
            k => solved[k] = method.Solve(rows[rejected[k]], features.AsSpan(k * d, d), optionCount, cancellationToken));

        var all = solved.SelectMany(s => s.Options).ToList();
        var after = Decision.Decide(all);
        var refused = new List<int>();
        int at = 0;
        for (int k = 0; k < rejected.Count; k++)
        {
            int r = rejected[k];
            var s = solved[k];
            var options = new List<ColumnRecourseOption>();
            bool broken = false;
            foreach (var option in s.Options)
            {
                var (accepted, score) = after[at++];
                if (!accepted || !Space.Allows(rows[r], option, out _))
                {
                    broken = true;
                    continue;
                }
                options.Add(Option(rows[r], option, score));
            }
            // At a safer target "infeasible" only means no answer clears it; the row had one at the boundary.
            if (s.Status == ColumnRecourseStatus.Infeasible && !ReferenceEquals(method, _exact))
                (broken, s) = (true, (ColumnRecourseStatus.Found, false, [], null));
            if (broken && (method.Safer is not null || (options.Count == 0 && _search is not null)))
            {
                refused.Add(r);
                continue;
            }
            results[r] = s.Status == ColumnRecourseStatus.Found && options.Count == 0
                ? new ColumnRecourseResult(ColumnRecourseStatus.NotFound, Method, false, before[r].Score, [], "the model rejected every exact answer after rounding to its column types")
                : new ColumnRecourseResult(s.Status, Method, s.IsOptimal && !broken && method.OptimalWithinRounding, before[r].Score,
                    options.OrderBy(o => o.Cost).ToArray(), s.Status == ColumnRecourseStatus.Found && !method.OptimalWithinRounding
                        ? "the model's float arithmetic rejected the answers at its decision boundary; this one keeps a margin above it, so a cheaper one may exist"
                        : s.Message);
        }
        return refused;
    }

    /// <summary>One option: the changed columns of <paramref name="to"/>, its cost and the model's score.</summary>
    public ColumnRecourseOption Option(object?[] from, object?[] to, double score)
    {
        var changes = new List<ColumnChange>();
        foreach (var column in Space.Columns)
            if (!column.Same(from[column.Index]!, to[column.Index]!))
                changes.Add(new ColumnChange(column.Name, from[column.Index]!, to[column.Index]!));
        return new ColumnRecourseOption(changes, Space.Cost(from, to), score);
    }
}
