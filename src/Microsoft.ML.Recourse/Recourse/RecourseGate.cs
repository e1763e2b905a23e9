using Microsoft.ML.Recourse.Actions;
using Microsoft.ML.Recourse.Models;

namespace Microsoft.ML.Recourse;

/// <summary>
/// The single exit through which every generator returns a δ: it checks δ ∈ Δ for the row (the hard gate), then
/// computes x + δ, its cost, g(x + δ) and validity. A δ outside Δ is never returned; it becomes a row without
/// recourse whose message names the violated constraint.
/// </summary>
internal static class RecourseGate
{
    public static RecourseResult Accept(
        string generator, int rowIndex, IScorer model, double threshold, ActionSet actionSet,
        ReadOnlySpan<double> x, ReadOnlySpan<double> delta, double scoreBefore,
        RecourseStatus status = RecourseStatus.Found, string? message = null)
    {
        string? violation = actionSet.Compile(x).FindViolation(delta);
        if (violation is not null)
            return None(scoreBefore, RecourseStatus.NotFound, $"{generator} proposed an action outside the action set for row {rowIndex} and it was rejected: {violation}");
        var d = delta.ToArray();
        var counterfactual = new double[d.Length];
        for (int j = 0; j < d.Length; j++) counterfactual[j] = x[j] + d[j];
        double after = model.Score(counterfactual);
        return new RecourseResult(d, counterfactual, actionSet.Cost(d), scoreBefore, after, after >= threshold, status, message);
    }

    public static RecourseResult None(double scoreBefore, RecourseStatus status, string? message)
        => new(null, null, double.NaN, scoreBefore, double.NaN, false, status, message);

    /// <summary>Checks the arguments every generator shares (null → range → shape).</summary>
    public static void CheckArguments(IScorer model, double threshold, ActionSet actionSet, ReadOnlyMemory<double> rows)
    {
        Contracts.CheckValue(model, nameof(model));
        Contracts.CheckValue(actionSet, nameof(actionSet));
        Contracts.CheckOpenUnitInterval(threshold, nameof(threshold));
        Contracts.CheckParam(actionSet.FeatureCount == model.FeatureCount, nameof(actionSet),
            $"The action set describes {actionSet.FeatureCount} features but the model takes {model.FeatureCount}.");
        Contracts.CheckParam(rows.Length % model.FeatureCount == 0, nameof(rows),
            $"The row matrix has {rows.Length} values, which is not a multiple of the model's {model.FeatureCount} features.");
    }
}
