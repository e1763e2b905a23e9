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
        string? violation = FindViolation(actionSet, x, delta);
        if (violation is not null)
            return Rejected(generator, rowIndex, scoreBefore, violation);
        var kept = delta.ToArray();
        var counterfactual = new double[kept.Length];
        for (int j = 0; j < counterfactual.Length; j++) counterfactual[j] = x[j] + kept[j];
        return Accepted(actionSet, threshold, kept, counterfactual, scoreBefore, model.Score(counterfactual), status, message);
    }

    /// <summary>
    /// The gate's check: the constraint of Δ(x) that <paramref name="delta"/> violates, or <see langword="null"/>. A
    /// separable action set is checked on its compiled boxes; Δ(x) is compiled when that fails (for the message) and
    /// for every other set.
    /// </summary>
    public static string? FindViolation(ActionSet actionSet, ReadOnlySpan<double> x, ReadOnlySpan<double> delta)
        => PerturbationPolytope.SeparableContains(actionSet, x, delta) ? null : actionSet.Compile(x).FindViolation(delta);

    /// <summary>The result for a δ the gate rejected, <paramref name="violation"/> being <see cref="FindViolation"/>'s answer.</summary>
    public static RecourseResult Rejected(string generator, int rowIndex, double scoreBefore, string violation)
        => None(scoreBefore, RecourseStatus.NotFound, $"{generator} proposed an action outside the action set for row {rowIndex} and it was rejected: {violation}");

    /// <summary>
    /// The result for a δ that passed <see cref="FindViolation"/>, given x + δ and g(x + δ) (which the caller may have
    /// scored in a batch with other rows). The result keeps both arrays.
    /// </summary>
    public static RecourseResult Accepted(ActionSet actionSet, double threshold, double[] delta, double[] counterfactual,
        double scoreBefore, double scoreAfter, RecourseStatus status = RecourseStatus.Found, string? message = null)
        => new(delta, counterfactual, actionSet.Cost(delta), scoreBefore, scoreAfter, scoreAfter >= threshold, status, message);

    /// <summary>
    /// <see cref="Accepted(ActionSet, double, double[], double[], double, double, RecourseStatus, string?)"/> for a δ and
    /// x + δ that are slices of arrays shared by many rows (one allocation per batch instead of two per row).
    /// </summary>
    public static RecourseResult Accepted(ActionSet actionSet, double threshold, ArraySegment<double> delta, ArraySegment<double> counterfactual,
        double scoreBefore, double scoreAfter)
        => new(delta, counterfactual, actionSet.Cost(delta), scoreBefore, scoreAfter, scoreAfter >= threshold, RecourseStatus.Found);

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
