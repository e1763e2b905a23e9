using Microsoft.ML.Data;
using Microsoft.ML.Recourse.Actions;

namespace Microsoft.ML.Recourse.Models.MlNet;

/// <summary>How one feature slot depends on the person's mutable raw columns.</summary>
internal enum SlotSourceKind
{
    /// <summary>On no mutable column: the slot keeps the row's own value.</summary>
    Constant,

    /// <summary>Affine in one numeric column: the slot moves by Slope per unit of the column.</summary>
    Numeric,

    /// <summary>A function of one categorical column's value: Table[k] for category k of the column.</summary>
    Categorical,
}

/// <summary>The dependence of one feature slot (see <see cref="SlotSourceKind"/>).</summary>
/// <param name="Kind">The kind.</param>
/// <param name="Column">The position of the column in <see cref="ColumnActionSpace.Columns"/>, or −1 for a constant slot.</param>
/// <param name="Slope">The change of the slot per unit of a numeric column.</param>
/// <param name="Table">The slot's value for each of the categorical column's categories.</param>
internal sealed record SlotSource(SlotSourceKind Kind, int Column, double Slope, double[]? Table)
{
    public static readonly SlotSource Constant = new(SlotSourceKind.Constant, -1, 0, null);
}

/// <summary>
/// The features a model's transforms compute from a person's raw row, compiled onto the mutable raw columns: each
/// feature slot is constant, affine in one numeric column, or a function of one categorical column (one-hot encoding,
/// and anything else that reads a category). A changed row's features are its own features plus the moves of the slots
/// its changes reach, so immutable columns may go through any transform (text featurisation, hashing): they only set
/// the row's own features, which come from the model itself. Compiled by probing the transforms on sample rows (one
/// column at a time) and checked on other rows with every mutable column changed at once; transforms that are not
/// separable this way (interactions, CDF or binning normalisers) are reported and left to the black-box search.
/// </summary>
internal sealed class ColumnFeatureMap
{
    private readonly IReadOnlyList<ITransformer> _prefix;
    private readonly SlotSource[] _slots;

    private ColumnFeatureMap(ColumnActionSpace space, IReadOnlyList<ITransformer> prefix, string featureColumnName, SlotSource[] slots)
    {
        Space = space;
        _prefix = prefix;
        FeatureColumnName = featureColumnName;
        _slots = slots;
    }

    public ColumnActionSpace Space { get; }

    public string FeatureColumnName { get; }

    public IReadOnlyList<SlotSource> Slots => _slots;

    public int FeatureCount => Slots.Count;

    /// <summary>The features of raw rows as the model computes them (row-major).</summary>
    public double[] Features(IReadOnlyList<object?[]> rows)
    {
        IDataView data = RawRows.ToView(Space.RawColumns, rows);
        foreach (var transform in _prefix) data = transform.Transform(data);
        var column = data.Schema.GetColumnOrNull(FeatureColumnName)
            ?? throw new InvalidOperationException($"The model's transforms do not produce the classifier's feature column '{FeatureColumnName}'.");
        var features = ReadDense(data, column, FeatureCount);
        Contracts.Check(features.Length == rows.Count * FeatureCount, "The model's transforms changed the number of rows.");
        return features;
    }

    /// <summary>The features of row <paramref name="to"/>, a change of <paramref name="from"/> whose features are <paramref name="fromFeatures"/>.</summary>
    public void Predict(ReadOnlySpan<double> fromFeatures, object?[] from, object?[] to, Span<double> result)
    {
        for (int j = 0; j < Slots.Count; j++)
        {
            var s = Slots[j];
            double value = fromFeatures[j];
            switch (s.Kind)
            {
                case SlotSourceKind.Numeric:
                    var numeric = (NumericColumnSpace)Space.Columns[s.Column];
                    double x = RawRows.ToDouble(from[numeric.Index]!), y = RawRows.ToDouble(to[numeric.Index]!);
                    if (!x.Equals(y)) value += s.Slope * (y - x);
                    break;
                case SlotSourceKind.Categorical:
                    var categorical = (CategoricalColumnSpace)Space.Columns[s.Column];
                    value += CategoryMove(s, categorical, from[categorical.Index]!, to[categorical.Index]!, fromFeatures[j]);
                    break;
            }
            result[j] = value;
        }
    }

    /// <summary>How much slot <paramref name="s"/> moves when its categorical column changes from <paramref name="from"/> to <paramref name="to"/>.</summary>
    public static double CategoryMove(SlotSource s, CategoricalColumnSpace column, object from, object to, double fromValue)
    {
        string a = CategoricalColumnSpace.TextOf(from), b = CategoricalColumnSpace.TextOf(to);
        if (a == b) return 0;
        int k = IndexOf(column, b);
        int i = IndexOf(column, a);
        // A category the transforms were not probed with: the slot's own value stands for it.
        return s.Table![k] - (i >= 0 ? s.Table[i] : fromValue);
    }

    public static int IndexOf(CategoricalColumnSpace column, string category)
    {
        for (int k = 0; k < column.Categories.Count; k++)
            if (column.Categories[k] == category) return k;
        return -1;
    }

    /// <summary>
    /// Compiles the transforms in front of a classifier, or returns <see langword="null"/> with the reason they are not
    /// separable in the mutable columns.
    /// </summary>
    /// <param name="space">The bound action space (its raw columns are the model's input).</param>
    /// <param name="prefix">The transforms in front of the classifier, in order.</param>
    /// <param name="featureColumnName">The classifier's feature column.</param>
    /// <param name="featureCount">The classifier's feature count.</param>
    /// <param name="sampleRows">Rows of the user's data: the first anchors the probes, up to three others check the result.</param>
    /// <param name="reason">Why the transforms are not separable.</param>
    public static ColumnFeatureMap? TryCompile(ColumnActionSpace space, IReadOnlyList<ITransformer> prefix, string featureColumnName, int featureCount,
        IReadOnlyList<object?[]> sampleRows, out string reason)
    {
        Contracts.Check(sampleRows.Count > 0, "At least one row is needed to read the model's transforms.");
        var map = new ColumnFeatureMap(space, prefix, featureColumnName, new SlotSource[featureCount]);
        var anchor = Anchor(space, sampleRows[0]);
        var probes = new List<object?[]> { anchor };
        var moves = new List<(int Column, int First, int Count, double Step)>();
        for (int c = 0; c < space.Columns.Count; c++)
        {
            var column = space.Columns[c];
            if (!column.Mutable) continue;
            if (column is NumericColumnSpace numeric)
            {
                double x = RawRows.ToDouble(anchor[numeric.Index]!);
                double step = Math.Pow(2, Math.Ceiling(Math.Log2(Math.Max(1, Math.Abs(x)))) - 2);
                if (numeric.IsInteger || numeric.Type != NumberDataViewType.Single && numeric.Type != NumberDataViewType.Double) step = Math.Max(1, step);
                // The probe's step is measured on the values written (rounded to the column's type), so a copy reads as slope 1 exactly.
                moves.Add((c, probes.Count, 2, RawRows.ToDouble(numeric.ToRaw(x + 2 * step)) - x));
                for (int m = 1; m <= 2; m++) probes.Add(With(anchor, numeric.Index, numeric.ToRaw(x + m * step)));
            }
            else
            {
                var categorical = (CategoricalColumnSpace)column;
                moves.Add((c, probes.Count, categorical.Categories.Count, 0));
                foreach (var category in categorical.Categories) probes.Add(With(anchor, categorical.Index, categorical.ToRaw(category)));
            }
        }
        double[] features;
        try
        {
            features = map.Features(probes);
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException or FormatException)
        {
            reason = $"the model's transforms failed on probe rows ({e.Message})";
            return null;
        }
        int d = featureCount;
        for (int j = 0; j < d; j++)
        {
            double at0 = features[j];
            SlotSource? source = null;
            foreach (var (c, first, count, step) in moves)
            {
                var values = Enumerable.Range(first, count).Select(r => features[r * d + j]).ToArray();
                double tolerance = 1e-6 * (1 + Math.Abs(at0));
                if (values.All(v => Math.Abs(v - at0) <= tolerance)) continue;
                if (source is not null)
                {
                    reason = $"feature slot {j} of '{featureColumnName}' depends on both '{space.Columns[source.Column].Name}' and '{space.Columns[c].Name}'";
                    return null;
                }
                if (space.Columns[c] is NumericColumnSpace)
                {
                    double d1 = values[0] - at0, d2 = values[1] - at0;
                    if (Math.Abs(d2 - 2 * d1) > 1e-4 * Math.Abs(d2) + tolerance)
                    {
                        reason = $"feature slot {j} of '{featureColumnName}' is not affine in '{space.Columns[c].Name}' (a CDF or binning normaliser, or a non-linear transform)";
                        return null;
                    }
                    source = new SlotSource(SlotSourceKind.Numeric, c, d2 / step, null);
                }
                else
                {
                    source = new SlotSource(SlotSourceKind.Categorical, c, 0, values);
                }
            }
            map._slots[j] = source ?? SlotSource.Constant;
        }
        if (!map.Checks(sampleRows.Skip(1).Take(3).Select(r => Anchor(space, r)).Prepend(anchor).ToList(), out reason))
            return null;
        reason = "";
        return map;
    }

    // Every mutable column changed at once on each check row: the predicted features must be the model's.
    private bool Checks(IReadOnlyList<object?[]> rows, out string reason)
    {
        var changed = rows.Select(row =>
        {
            var to = (object?[])row.Clone();
            foreach (var column in Space.Columns.Where(c => c.Mutable))
            {
                if (column is NumericColumnSpace numeric)
                {
                    double x = RawRows.ToDouble(row[numeric.Index]!);
                    to[numeric.Index] = numeric.ToRaw(x + Math.Max(1, Math.Round(numeric.Spread)));
                }
                else if (column is CategoricalColumnSpace categorical)
                {
                    string current = CategoricalColumnSpace.TextOf(row[categorical.Index]!);
                    if (categorical.Categories.FirstOrDefault(c => c != current) is { } other) to[categorical.Index] = categorical.ToRaw(other);
                }
            }
            return to;
        }).ToList();
        var actual = Features([.. rows, .. changed]);
        int d = FeatureCount;
        var predicted = new double[d];
        for (int r = 0; r < rows.Count; r++)
        {
            Predict(actual.AsSpan(r * d, d), rows[r], changed[r], predicted);
            for (int j = 0; j < d; j++)
            {
                double want = actual[(rows.Count + r) * d + j];
                if (Math.Abs(predicted[j] - want) > 1e-4 * (1 + Math.Abs(want)))
                {
                    reason = FormattableString.Invariant(
                        $"feature slot {j} of '{FeatureColumnName}' is {want:G6} after changing every mutable column of a sample row, but the compiled form says {predicted[j]:G6} (the columns interact)");
                    return false;
                }
            }
        }
        reason = "";
        return true;
    }

    // A probe anchor: the row with missing numbers set to the column's training median, so every move is visible.
    private static object?[] Anchor(ColumnActionSpace space, object?[] row)
    {
        var anchor = (object?[])row.Clone();
        foreach (var numeric in space.Columns.OfType<NumericColumnSpace>())
        {
            if (!double.IsNaN(RawRows.ToDouble(anchor[numeric.Index]!))) continue;
            var sorted = numeric.SortedTraining;
            anchor[numeric.Index] = numeric.ToRaw(sorted.Count > 0 ? sorted[sorted.Count / 2] : 0);
        }
        return anchor;
    }

    private static object?[] With(object?[] row, int index, object value)
    {
        var copy = (object?[])row.Clone();
        copy[index] = value;
        return copy;
    }

    private static double[] ReadDense(IDataView data, DataViewSchema.Column column, int size)
    {
        if (column.Type is VectorDataViewType { IsKnownSize: true, ItemType: NumberDataViewType item } vector && item == NumberDataViewType.Single && vector.Size == size)
        {
            var result = new List<double>();
            var buffer = default(VBuffer<float>);
            var dense = new float[size];
            using var cursor = data.GetRowCursor([column]);
            var getter = cursor.GetGetter<VBuffer<float>>(column);
            while (cursor.MoveNext())
            {
                getter(ref buffer);
                buffer.CopyTo(dense);
                foreach (float v in dense) result.Add(v);
            }
            return result.ToArray();
        }
        throw new InvalidOperationException($"The classifier's feature column '{column.Name}' is {column.Type}; a vector of {size} Single was expected.");
    }
}
