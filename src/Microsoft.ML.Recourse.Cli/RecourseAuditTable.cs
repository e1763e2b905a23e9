using System.Globalization;
using Spectre.Console;

namespace Microsoft.ML.Recourse.Cli;

/// <summary>Renders a <see cref="RecourseAuditResult"/> as a Spectre table: one row for all rows, then one per group value.</summary>
internal static class RecourseAuditTable
{
    public static Table Create(RecourseAuditResult audit)
    {
        string title = audit.GroupColumnName is { } g ? $"Recourse audit by {Markup.Escape(g)}" : "Recourse audit";
        var table = new Table().Title(title + " (costs over rejected rows with recourse)").AddColumn("Group");
        foreach (var heading in new[] { "Rows", "Neg", "Rec-neg", "Rec-all", "Mean cost", "Median", "Infeasible" })
            table.AddColumn(new TableColumn(heading).RightAligned());
        AddRow(table, "all", audit.Overall);
        foreach (var group in audit.Groups)
            AddRow(table, group.Group ?? "", group);
        return table;
    }

    private static void AddRow(Table table, string name, RecourseAuditMetrics m)
        => table.AddRow(Markup.Escape(name), m.Rows.ToString(CultureInfo.InvariantCulture), m.Negatives.ToString(CultureInfo.InvariantCulture),
            F(m.RecourseNegativeRate), F(m.RecourseAllRate), F(m.MeanCost), F(m.MedianCost), F(m.InfeasibleShare));

    // Undefined figures (no rejected rows, no recourse) show as a dash.
    private static string F(double value) => double.IsNaN(value) ? "-" : value.ToString("0.000", CultureInfo.InvariantCulture);
}
