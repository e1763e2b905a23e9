using System.Runtime.ExceptionServices;
using Microsoft.ML.Recourse.Actions;
using Microsoft.ML.Recourse.Models;

namespace Microsoft.ML.Recourse.Trees;

/// <summary>
/// The exact tree-ensemble generator (<see cref="IRecourseGenerator.Name"/> <c>trees</c>): for every rejected row the
/// minimum-cost action of <see cref="TreeEnsembleRecourse"/> on CP-SAT, returned through the action-set gate like every
/// generator's. The model must be a <see cref="TreeEnsembleScorer"/>; θ₀ on its g is the raw score threshold
/// <see cref="TreeEnsembleScorer.ScoreThreshold"/>(θ₀).
/// </summary>
/// <remarks>
/// <list type="table">
/// <listheader><term>Characteristic</term><description>Value</description></listheader>
/// <item><term>Models</term><description><see cref="TreeEnsembleScorer"/> (FastTree, FastForest, LightGbm read by <see cref="MlNetTreeEnsembles"/>, or any <see cref="TreeEnsembleModel"/>)</description></item>
/// <item><term>Action sets</term><description>boxes, directions, δ_max, grids, one-hot groups, general constraints on one movable feature (others are refused)</description></item>
/// <item><term>Solver dependency</term><description>none beyond the Google.OrTools package (CP-SAT)</description></item>
/// <item><term>Parallel</term><description>rows in parallel, one CP-SAT worker each by default</description></item>
/// </list>
/// <para>
/// Statuses: <see cref="TreeRecourseStatus.Optimal"/> → <see cref="RecourseStatus.Found"/>;
/// <see cref="TreeRecourseStatus.Feasible"/> → <see cref="RecourseStatus.Limit"/> with the action and its gap;
/// <see cref="TreeRecourseStatus.Infeasible"/> → <see cref="RecourseStatus.Infeasible"/> (a proof);
/// <see cref="TreeRecourseStatus.Unknown"/> → <see cref="RecourseStatus.Limit"/> without an action; a row the model
/// already accepts gets δ = 0 (<see cref="RecourseStatus.Found"/>). <see cref="GenerateDetailed"/> returns the richer
/// <see cref="TreeRecourseResult"/> per row (gap, bound, several options).
/// </para>
/// </remarks>
public sealed class TreeEnsembleGenerator : IRecourseGenerator
{
    private readonly TreeEnsembleRecourse.Options _options;
    private readonly Action<string>? _log;

    // Created through mlContext.Recourse().Generators.TreeEnsemble(…).
    internal TreeEnsembleGenerator(TreeEnsembleRecourse.Options? options = null, Action<string>? log = null)
    {
        _options = options ?? new TreeEnsembleRecourse.Options();
        _options.Check();
        _log = log;
    }

    /// <inheritdoc/>
    public string Name => "trees";

    /// <inheritdoc/>
    /// <exception cref="ArgumentOutOfRangeException">
    /// Bad arguments; a model that is not a <see cref="TreeEnsembleScorer"/>; a general constraint over several movable features.
    /// </exception>
    public IReadOnlyList<RecourseResult> Generate(IScorer model, double threshold, ActionSet actionSet, ReadOnlyMemory<double> rows,
        CancellationToken cancellationToken = default)
    {
        RecourseGate.CheckArguments(model, threshold, actionSet, rows);
        var scorer = model as TreeEnsembleScorer ?? throw new ArgumentOutOfRangeException(nameof(model),
            $"The tree-ensemble generator needs a {nameof(TreeEnsembleScorer)} (wrap a TreeEnsembleModel, e.g. MlNetTreeEnsembles.FromTransformer(...)); got {model.GetType().Name}.");
        var detailed = GenerateDetailed(scorer, threshold, actionSet, rows, cancellationToken);
        int d = model.FeatureCount;
        var results = new RecourseResult[detailed.Count];
        for (int i = 0; i < results.Length; i++)
        {
            var x = rows.Span.Slice(i * d, d);
            var row = detailed[i];
            double before = scorer.ProbabilityOf(row.ScoreBefore);
            results[i] = row.Status switch
            {
                TreeRecourseStatus.AlreadyAccepted => RecourseGate.Accept(Name, i, model, threshold, actionSet, x, new double[d], before, RecourseStatus.Found, row.Message),
                TreeRecourseStatus.Optimal => RecourseGate.Accept(Name, i, model, threshold, actionSet, x, row.Best!.Delta.ToArray(), before, RecourseStatus.Found, row.Message),
                TreeRecourseStatus.Feasible => RecourseGate.Accept(Name, i, model, threshold, actionSet, x, row.Best!.Delta.ToArray(), before, RecourseStatus.Limit, row.Message),
                TreeRecourseStatus.Infeasible => RecourseGate.None(before, RecourseStatus.Infeasible, row.Message),
                _ => RecourseGate.None(before, RecourseStatus.Limit, row.Message),
            };
        }
        return results;
    }

    /// <summary>Computes the exact tree recourse of every row: status, options, bound and gap.</summary>
    /// <param name="model">The ensemble as a scorer.</param>
    /// <param name="threshold">The decision threshold θ₀ on g. Range: 0 &lt; θ₀ &lt; 1.</param>
    /// <param name="actionSet">Δ; its feature count must equal the model's.</param>
    /// <param name="rows">rows × d feature values in the model's units, row-major.</param>
    /// <param name="cancellationToken">Stops the search.</param>
    /// <returns>One result per row, in order.</returns>
    public IReadOnlyList<TreeRecourseResult> GenerateDetailed(TreeEnsembleScorer model, double threshold, ActionSet actionSet, ReadOnlyMemory<double> rows,
        CancellationToken cancellationToken = default)
    {
        RecourseGate.CheckArguments(model, threshold, actionSet, rows);
        var solver = new TreeEnsembleRecourse(model.Model, _options, _log);
        solver.CheckActionSet(actionSet);
        double scoreThreshold = model.ScoreThreshold(threshold);
        int d = model.FeatureCount;
        int count = rows.Length / d;
        var results = new TreeRecourseResult[count];
        var errors = new Exception?[count];
        Parallel.For(0, count, new ParallelOptions { CancellationToken = cancellationToken }, i =>
        {
            try
            {
                results[i] = solver.Solve(rows.Span.Slice(i * d, d).ToArray(), scoreThreshold, actionSet, i, cancellationToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                errors[i] = e;
            }
        });
        // The first failing row decides, so the error does not depend on thread scheduling.
        if (Array.Find(errors, e => e is not null) is Exception error)
            ExceptionDispatchInfo.Throw(error);
        return results;
    }
}
