using System.Globalization;
using Microsoft.ML.Data;
using Microsoft.ML.Recourse.Actions;
using Microsoft.ML.Recourse.Evaluation;
using Microsoft.ML.Recourse.Models;
using Microsoft.ML.Recourse.Optimization;

namespace Microsoft.ML.Recourse.Trainers;

/// <summary>What the two recourse-aware trainers share: the recourse loss term and the choice of θ₀.</summary>
internal sealed class RecourseAwareTraining
{
    public RecourseAwareTraining(RecourseAwareTrainerOptionsBase options)
    {
        ActionSet = options.ActionSet;
        ColumnActions = options.ColumnActions;
        RecourseWeight = options.RecourseWeight;
        Direction = options.PerturbationDirection;
    }

    /// <summary>The action set over the feature vector, or <see langword="null"/> when <see cref="ColumnActions"/> is bound at fitting.</summary>
    public ActionSet? ActionSet { get; }

    public ColumnActionSet? ColumnActions { get; }

    public double RecourseWeight { get; }

    public PerturbationDirection Direction { get; }

    // λ = 0 adds nothing to the loss or its gradient; leaving the term out also leaves the dropout draws of the
    // plain trainer untouched, so the model is the plain one bit for bit.
    public IBatchLossTerm? CreateLossTerm(Action<string> log, DataViewSchema.Column featureColumn, double[] features)
    {
        if (RecourseWeight == 0) return null;
        var actions = ActionSet ?? BindColumnActions(featureColumn, features, log);
        return new RecourseLossTerm(new OneStepPerturbation(actions, Direction), RecourseWeight, log);
    }

    // The feature vector's slots are named by its slot names (Concatenate names them after its input columns); the
    // training perturbation uses the directions and maximum changes, in standard deviations of the features trained on.
    private ActionSet BindColumnActions(DataViewSchema.Column featureColumn, double[] features, Action<string> log)
    {
        int d = ((VectorDataViewType)featureColumn.Type).Size;
        var names = SlotNames.Of(featureColumn) ?? Enumerable.Range(0, d).Select(j => FormattableString.Invariant($"{featureColumn.Name}[{j}]")).ToArray();
        var actions = ColumnActions!.Bind(names, [(featureColumn.Name, names)], features, boundsFromTraining: false);
        log($"column actions bound to '{featureColumn.Name}': {string.Join(", ", actions.Features.Select(f => $"{f.Name} {f.Actionability}"))}");
        return actions;
    }

    /// <summary>
    /// θ₀ = the grid threshold with the highest validation F1 (the first maximum; a row is predicted favourable when
    /// g(x) ≥ t), or 0.5 without validation rows. Every grid F1 is logged.
    /// </summary>
    public static double SelectThreshold(ScorerModelParameters model, double[] validationFeatures, bool[] validationLabels, Action<string> log)
    {
        if (validationLabels.Length == 0)
        {
            log(FormattableString.Invariant(
                $"no validation data: the decision threshold stays at {PredictionColumns.DefaultThreshold} (pass validation data or set ValidationFraction to choose it by validation F1)"));
            return PredictionColumns.DefaultThreshold;
        }
        var scores = new double[validationLabels.Length];
        model.ScoreBatch(validationFeatures, scores);
        var grid = ThresholdSelection.TrainingGrid;
        var f1 = ThresholdSelection.F1ByThreshold(scores, validationLabels, grid);
        log("validation F1 by threshold: " + string.Join(", ", grid.Select((t, k) => string.Create(CultureInfo.InvariantCulture, $"{t:0.00}:{f1[k]:0.####}"))));
        if (ThresholdSelection.FirstMaximum(grid, f1) is { } choice)
        {
            log(FormattableString.Invariant($"decision threshold θ₀ = {choice.Threshold:0.00} (the first highest validation F1, {choice.Value:0.####})"));
            return choice.Threshold;
        }
        // The reference code's argmax picks the first grid value when every F1 is 0.
        log(FormattableString.Invariant($"every validation F1 is 0: θ₀ = {grid[0]:0.00}, the first grid value, as the reference code's argmax"));
        return grid[0];
    }
}

/// <summary>
/// Ross et al.'s recourse term: for every batch row, δ* from the model's current g and ∇ₓg (train mode with its own
/// dropout masks in a step, eval mode in validation), then x + δ* joins the loss with target 1 and weight λ. δ* is a
/// constant (no gradient flows through it). A row whose δ* is 0 adds nothing (the reference sets λ = 0 for it), and
/// so does a row whose Δ(x) is empty (general constraints that exclude every change; logged once).
/// </summary>
internal sealed class RecourseLossTerm(OneStepPerturbation perturbation, double recourseWeight, Action<string> log) : IBatchLossTerm
{
    private double[] _scores = [], _gradients = [], _deltas = [], _row = [];
    private LinearProgramStatus[] _statuses = [];
    private bool _loggedEmpty;

    public void AddRows(ScorerBatch batch, ExtraRows extraRows)
    {
        int count = batch.RowCount, d = batch.FeatureCount;
        if (_statuses.Length < count)
            (_scores, _gradients, _deltas, _statuses) = (new double[count], new double[count * d], new double[count * d], new LinearProgramStatus[count]);
        if (_row.Length != d) _row = new double[d];
        var rows = batch.Features;
        var gradients = _gradients.AsSpan(0, count * d);
        batch.ScoreAndInputGradient(rows, _scores.AsSpan(0, count), gradients);
        perturbation.MinimizeBatch(rows, gradients, _deltas.AsSpan(0, count * d), _statuses.AsSpan(0, count));
        for (int r = 0; r < count; r++)
        {
            var status = _statuses[r];
            if (status != LinearProgramStatus.Optimal)
            {
                HandleNoOptimum(batch, r, status);
                continue;
            }
            var delta = _deltas.AsSpan(r * d, d);
            var x = rows.Slice(r * d, d);
            bool moves = false;
            for (int j = 0; j < d; j++)
            {
                _row[j] = x[j] + delta[j];
                moves |= delta[j] != 0;
            }
            if (moves) extraRows.Add(_row, 1, recourseWeight);
        }
    }

    private void HandleNoOptimum(ScorerBatch batch, int r, LinearProgramStatus status)
    {
        int d = batch.FeatureCount;
        string row = FormattableString.Invariant($"{(batch.IsTraining ? "training" : "validation")} row {batch.RowIndices[r]}");
        if (status == LinearProgramStatus.Infeasible)
        {
            if (!_loggedEmpty)
                log($"{row}: no action satisfies the action set's constraints from this row; such rows get no recourse term");
            _loggedEmpty = true;
            return;
        }
        var result = perturbation.Minimize(batch.Features.Slice(r * d, d), _gradients.AsSpan(r * d, d));
        string reason = status == LinearProgramStatus.Unbounded
            ? "the action set lets a feature change without limit; give every actionable feature a maximum change or bounds"
            : "the solver found no optimum";
        throw new InvalidOperationException($"The perturbation δ* of {row} cannot be computed: {reason} ({result.Status}: {result.Message}).");
    }
}
