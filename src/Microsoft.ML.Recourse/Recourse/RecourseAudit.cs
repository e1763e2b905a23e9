using System.Globalization;
using Microsoft.ML.Data;

namespace Microsoft.ML.Recourse;

/// <summary>
/// The recourse figures of one population (all rows, or the rows of one group value), computed by
/// <see cref="RecourseCatalog.Audit"/>. Negatives are the rows the model rejects at the recourse transformer's
/// threshold θ₀ (<c>RecourseStatus</c> ≠ <c>Accepted</c>).
/// </summary>
/// <param name="Group">The group value (as text), or <see langword="null"/> for the whole population.</param>
/// <param name="Rows">The number of rows N.</param>
/// <param name="Negatives">The number of rows the model rejects.</param>
/// <param name="NegativesWithRecourse">The number of rejected rows that have recourse (<c>HasRecourse</c>).</param>
/// <param name="Infeasible">The number of rejected rows whose generator certified that no action in Δ works (<c>RecourseStatus</c> = <c>Infeasible</c>).</param>
/// <param name="MeanCost">The mean <c>RecourseCost</c> over rejected rows with recourse; NaN when there are none.</param>
/// <param name="MedianCost">The median <c>RecourseCost</c> over rejected rows with recourse; NaN when there are none.</param>
public sealed record RecourseAuditMetrics(
    string? Group,
    int Rows,
    int Negatives,
    int NegativesWithRecourse,
    int Infeasible,
    double MeanCost,
    double MedianCost)
{
    /// <summary>Gets recourse-neg: the share of rejected rows that have recourse; NaN when no row is rejected.</summary>
    public double RecourseNegativeRate => Negatives == 0 ? double.NaN : (double)NegativesWithRecourse / Negatives;

    /// <summary>Gets recourse-all: the share of all rows that are accepted or have recourse, (N − negatives + negatives with recourse) / N; NaN for no rows.</summary>
    public double RecourseAllRate => Rows == 0 ? double.NaN : (double)(Rows - Negatives + NegativesWithRecourse) / Rows;

    /// <summary>Gets the share of rejected rows with an infeasibility certificate; NaN when no row is rejected.</summary>
    public double InfeasibleShare => Negatives == 0 ? double.NaN : (double)Infeasible / Negatives;
}

/// <summary>A population audit of recourse: the figures over all rows and, when a group column is given, per group value.</summary>
public sealed class RecourseAuditResult
{
    internal RecourseAuditResult(RecourseAuditMetrics overall, string? groupColumnName, IReadOnlyList<RecourseAuditMetrics> groups)
    {
        Overall = overall;
        GroupColumnName = groupColumnName;
        Groups = groups;
    }

    /// <summary>Gets the figures over all rows.</summary>
    public RecourseAuditMetrics Overall { get; }

    /// <summary>Gets the name of the group column, or <see langword="null"/> when the audit has no groups.</summary>
    public string? GroupColumnName { get; }

    /// <summary>Gets the figures per group value, ordered by value (numbers numerically, text ordinally); empty without a group column.</summary>
    public IReadOnlyList<RecourseAuditMetrics> Groups { get; }
}

/// <summary>Computes <see cref="RecourseAuditResult"/> from the columns of a <see cref="RecourseTransformer"/>'s output.</summary>
internal static class RecourseAudit
{
    public static RecourseAuditResult Compute(IDataView transformed, string? groupColumnName)
    {
        var schema = transformed.Schema;
        var has = ColumnChecks.ReadScalars<bool>(transformed, ColumnChecks.CheckScalarColumn(schema, "recourse", DefaultColumnNames.HasRecourse, BooleanDataViewType.Instance, nameof(transformed)));
        var cost = ColumnChecks.ReadScalars<float>(transformed, ColumnChecks.CheckScalarColumn(schema, "recourse", DefaultColumnNames.RecourseCost, NumberDataViewType.Single, nameof(transformed)));
        var status = ColumnChecks.ReadText(transformed, ColumnChecks.CheckScalarColumn(schema, "recourse", DefaultColumnNames.RecourseStatus, TextDataViewType.Instance, nameof(transformed)));
        var groupOf = groupColumnName is null ? null : GroupKeys(transformed, groupColumnName);

        int rows = has.Length;
        var rowsOf = new List<int>[groupOf?.Keys.Count ?? 0];
        for (int g = 0; g < rowsOf.Length; g++) rowsOf[g] = [];
        for (int r = 0; r < rows; r++)
        {
            bool accepted = status[r] == RecourseTransformer.AcceptedStatus;
            Contracts.Check(!accepted || has[r], $"Row {r} is '{RecourseTransformer.AcceptedStatus}' but has {DefaultColumnNames.HasRecourse} = false.");
            Contracts.Check(!has[r] || (float.IsFinite(cost[r]) && cost[r] >= 0),
                FormattableString.Invariant($"Row {r} has recourse but its {DefaultColumnNames.RecourseCost} is {cost[r]}; a cost must be finite and ≥ 0."));
            if (groupOf is not null) rowsOf[groupOf.Value.Index[r]].Add(r);
        }

        var overall = Metrics(null, Enumerable.Range(0, rows), has, cost, status);
        var groups = groupOf is null ? [] : groupOf.Value.Keys.Select((key, g) => Metrics(key, rowsOf[g], has, cost, status)).ToArray();
        return new RecourseAuditResult(overall, groupColumnName, groups);
    }

    private static RecourseAuditMetrics Metrics(string? group, IEnumerable<int> rowIndices, bool[] has, float[] cost, string[] status)
    {
        int rows = 0, negatives = 0, infeasible = 0;
        var costs = new List<double>();
        foreach (int r in rowIndices)
        {
            rows++;
            if (status[r] == RecourseTransformer.AcceptedStatus) continue;
            negatives++;
            if (status[r] == nameof(RecourseStatus.Infeasible)) infeasible++;
            if (has[r]) costs.Add(cost[r]);
        }
        costs.Sort();
        double mean = costs.Count == 0 ? double.NaN : costs.Average();
        double median = costs.Count == 0 ? double.NaN
            : costs.Count % 2 == 1 ? costs[costs.Count / 2] : (costs[costs.Count / 2 - 1] + costs[costs.Count / 2]) / 2;
        return new RecourseAuditMetrics(group, rows, negatives, costs.Count, infeasible, mean, median);
    }

    // The distinct values of the group column as text, in value order, and each row's position among them.
    private static (IReadOnlyList<string> Keys, int[] Index)? GroupKeys(IDataView data, string name)
    {
        var column = data.Schema.GetColumnOrNull(name) ?? throw Contracts.ExceptSchemaMismatch("groupColumnName", "group", name);
        switch (column.Type)
        {
            case TextDataViewType:
                var text = ColumnChecks.ReadText(data, column);
                int missing = Array.FindIndex(text, v => v is null);
                Contracts.Check(missing < 0, $"Group column '{name}' has no value in row {missing}.");
                return Index(text, StringComparer.Ordinal, v => v);
            case BooleanDataViewType:
                return Index(ColumnChecks.ReadScalars<bool>(data, column), Comparer<bool>.Default, v => v.ToString());
            case NumberDataViewType n when n.Equals(NumberDataViewType.Int32):
                return Index(ColumnChecks.ReadScalars<int>(data, column), Comparer<int>.Default, v => v.ToString(CultureInfo.InvariantCulture));
            default:
                throw Contracts.ExceptSchemaMismatch("groupColumnName", "group", name, "String, Boolean or Int32", column.Type.ToString()!);
        }
    }

    private static (IReadOnlyList<string> Keys, int[] Index) Index<T>(T[] values, IComparer<T> order, Func<T, string> text) where T : notnull
    {
        var distinct = values.Distinct().Order(order).ToArray();
        var position = distinct.Select((v, i) => (v, i)).ToDictionary(t => t.v, t => t.i);
        return (distinct.Select(text).ToArray(), values.Select(v => position[v]).ToArray());
    }
}
