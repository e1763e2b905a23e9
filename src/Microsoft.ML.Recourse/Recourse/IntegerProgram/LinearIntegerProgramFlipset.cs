using System.Globalization;
using System.Text;
using Microsoft.ML.Recourse.Actions;

namespace Microsoft.ML.Recourse;

/// <summary>One alternative of a <see cref="Flipset"/>.</summary>
/// <param name="Recourse">The action, scored on the real model (it has passed the Δ gate).</param>
/// <param name="Objective">The integer program's objective: the L1 cost, the total percentile shift, or the max percentile shift.</param>
/// <param name="ChangedFeatures">The names of the changed features and switched one-hot groups; distinct as a set across the items of a flipset.</param>
/// <param name="Explanation">The action in plain language, in original units, or <see langword="null"/> when the gate rejected it.</param>
public sealed record FlipsetItem(RecourseResult Recourse, double Objective, IReadOnlyList<string> ChangedFeatures, RecourseExplanation? Explanation);

/// <summary>
/// A flipset (Ustun, Spangher &amp; Liu 2019): up to k least-cost actions for one row with pairwise different sets of
/// changed features, in increasing cost. Render it with <see cref="ToString"/> as a table of (feature, current value,
/// required value).
/// </summary>
public sealed class Flipset
{
    internal Flipset(double[] row, IReadOnlyList<FlipsetItem> items, RecourseStatus status, bool isExhausted, string? message)
    {
        Row = row;
        Items = items;
        Status = status;
        IsExhausted = isExhausted;
        Message = message;
    }

    /// <summary>Gets the row x in the model's units.</summary>
    public IReadOnlyList<double> Row { get; }

    /// <summary>Gets the alternatives, by increasing objective.</summary>
    public IReadOnlyList<FlipsetItem> Items { get; }

    /// <summary>
    /// Gets <see cref="RecourseStatus.Found"/> when there is at least one item, otherwise why there is none
    /// (<see cref="RecourseStatus.Infeasible"/> is a certificate that no action on the grids reaches the target).
    /// </summary>
    public RecourseStatus Status { get; }

    /// <summary>Gets whether the list ended before k items because no further set of changed features reaches the target ("recovered all minimum-cost items").</summary>
    public bool IsExhausted { get; }

    /// <summary>Gets a certificate or note, or <see langword="null"/>.</summary>
    public string? Message { get; }

    /// <summary>Returns the flipset as a plain-text table: item, objective, feature, current value, required value.</summary>
    public override string ToString()
    {
        var rows = new List<string[]> { new[] { "item", "cost", "feature", "current", "required" } };
        for (int i = 0; i < Items.Count; i++)
        {
            var item = Items[i];
            var steps = item.Explanation?.Steps ?? [];
            string cost = item.Objective.ToString("G4", CultureInfo.InvariantCulture);
            if (steps.Count == 0)
                rows.Add([(i + 1).ToString(CultureInfo.InvariantCulture), cost, item.Explanation is null ? "(rejected)" : "(no change)", "", ""]);
            for (int s = 0; s < steps.Count; s++)
                rows.Add([s == 0 ? (i + 1).ToString(CultureInfo.InvariantCulture) : "", s == 0 ? cost : "", steps[s].Target, steps[s].From, steps[s].To]);
        }
        var widths = Enumerable.Range(0, 5).Select(c => rows.Max(r => r[c].Length)).ToArray();
        var text = new StringBuilder();
        foreach (var r in rows)
            text.AppendLine(string.Join("  ", r.Select((cell, c) => cell.PadRight(widths[c]))).TrimEnd());
        if (Message is not null) text.AppendLine(Message);
        return text.ToString();
    }
}
