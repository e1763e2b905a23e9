using System.Globalization;

namespace Microsoft.ML.Recourse;

/// <summary>The outcome of recourse for one person's raw row.</summary>
public enum ColumnRecourseStatus
{
    /// <summary>The model already accepts the row; nothing to change.</summary>
    Accepted,

    /// <summary>A change the model accepts was found.</summary>
    Found,

    /// <summary>Proved: no change the action set allows makes the model accept the row.</summary>
    Infeasible,

    /// <summary>The search gave up (time, evaluations) without a change the model accepts; none is proved not to exist.</summary>
    NotFound,
}

/// <summary>One column's change, in the column's own values (numbers exactly as the model received them).</summary>
/// <param name="Column">The input column.</param>
/// <param name="From">The person's value: a number of the column's type, a string or a Boolean.</param>
/// <param name="To">The recommended value, of the same type.</param>
public sealed record ColumnChange(string Column, object From, object To)
{
    /// <summary>"column: from → to".</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Column}: {RawRows.Format(From)} → {RawRows.Format(To)}");
}

/// <summary>One recourse option: the changes, their cost and the model's score after them.</summary>
/// <param name="Changes">The columns that change (at least one).</param>
/// <param name="Cost">The cost of the changes under the action set's cost function.</param>
/// <param name="ScoreAfter">The model's probability (or score) on the changed row.</param>
public sealed record ColumnRecourseOption(IReadOnlyList<ColumnChange> Changes, double Cost, double ScoreAfter)
{
    /// <summary>The changes as plain sentences, e.g. "change education from HS-grad to Bachelors and hours-per-week from 40 to 45".</summary>
    public override string ToString() => "change " + string.Join(" and ",
        Changes.Select(c => $"{c.Column} from {RawRows.Format(c.From)} to {RawRows.Format(c.To)}"));
}

/// <summary>Recourse for one raw row.</summary>
/// <param name="Status">The outcome.</param>
/// <param name="Method">What produced the answer, e.g. <c>linear-ip</c>, <c>trees-cp-sat</c> or <c>search</c>.</param>
/// <param name="IsOptimal">Whether the first option is a proved least-cost change (an exact method that finished), not a heuristic's.</param>
/// <param name="ScoreBefore">The model's probability (or score) on the row as it is.</param>
/// <param name="Options">The options, cheapest first; empty unless <see cref="Status"/> is <see cref="ColumnRecourseStatus.Found"/>.</param>
/// <param name="Message">Why there is no option, or a note on the answer.</param>
public sealed record ColumnRecourseResult(ColumnRecourseStatus Status, string Method, bool IsOptimal, double ScoreBefore,
    IReadOnlyList<ColumnRecourseOption> Options, string? Message = null)
{
    /// <summary>Gets the cheapest option, or <see langword="null"/>.</summary>
    public ColumnRecourseOption? Best => Options.Count > 0 ? Options[0] : null;
}
