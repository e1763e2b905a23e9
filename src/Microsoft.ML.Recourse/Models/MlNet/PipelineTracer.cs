using Microsoft.ML.Data;
using Microsoft.ML.Transforms;

namespace Microsoft.ML.Recourse.Models.MlNet;

/// <summary>One input column of a traced pipeline: a scalar or known-size vector of <see cref="float"/>.</summary>
/// <param name="Name">The column name.</param>
/// <param name="Size">The number of slots (1 for a scalar).</param>
/// <param name="IsVector">Whether the column is a vector.</param>
/// <param name="SlotNames">The name of each slot, as actions and explanations call it.</param>
internal sealed record InputColumn(string Name, int Size, bool IsVector, IReadOnlyList<string> SlotNames);

/// <summary>
/// A fitted model read back to the columns of the data it is applied to: the classifier, the input columns the
/// recourse transformer reads (concatenated into the input vector), and the map from that vector to the classifier's
/// features.
/// </summary>
internal sealed record TracedPipeline(BinaryClassifierView Classifier, IReadOnlyList<InputColumn> Inputs, InputMap Map)
{
    public int InputCount => Map.InputCount;

    public IReadOnlyList<string> InputNames => Inputs.SelectMany(c => c.SlotNames).ToArray();
}

/// <summary>
/// Reads a fitted ML.NET pipeline (transforms, then a binary classifier) back to its input columns. ML.NET keeps the
/// column pairs of its transforms internal, so each transform in front of the classifier is probed: it is applied to
/// a row of the user's data (as the earlier transforms made it) and to copies that move one float slot at a time,
/// which shows, for every float slot it writes, the one input slot it reads and whether the dependence is affine. Copies, concatenations, column selections and the MinMax, MeanVariance and
/// robust-scaling normalisers are affine; ML.NET's CDF normalisers (MeanVariance with useCdf, LogMeanVariance) are
/// read from their public parameters. Anything else in front of the classifier (one-hot encoding, binning, text,
/// hashing, projections) is not transparent and is named in the error.
/// </summary>
internal static class PipelineTracer
{
    /// <param name="parts">The model's parts in pipeline order, nested chains flattened.</param>
    /// <param name="input">The data the model is applied to; its first row anchors the probes.</param>
    public static TracedPipeline Trace(IReadOnlyList<ITransformer> parts, IDataView input)
    {
        Contracts.CheckValue(parts, nameof(parts));
        Contracts.CheckValue(input, nameof(input));
        var inputSchema = input.Schema;
        var sample = FirstRow(input);
        int at = parts.ToList().FindLastIndex(p => ClassifierReaders.TryRead(p) is not null);
        Contracts.CheckParam(at >= 0, nameof(parts),
            $"The model holds no binary classifier this library can read (its parts: {string.Join(", ", parts.Select(p => p.GetType().Name))}); " +
            "supported are the library's trainers and ML.NET's linear binary classifiers.");
        var classifier = ClassifierReaders.TryRead(parts[at])!;

        // Every visible float slot of the input starts as itself; each transform in front of the classifier rewrites
        // the slots of the columns it adds.
        var slots = new List<(string Column, int Slot)>();
        var provenance = new Dictionary<string, Provenance[]>(StringComparer.Ordinal);
        foreach (var column in inputSchema.Where(c => !c.IsHidden))
        {
            if (FloatSize(column.Type) is not int size) continue;
            provenance[column.Name] = Enumerable.Range(0, size).Select(k =>
            {
                slots.Add((column.Name, k));
                return Provenance.Of(InputFunction.Identity(slots.Count - 1));
            }).ToArray();
        }
        var schema = inputSchema;
        foreach (var transform in parts.Take(at))
        {
            var sampleValues = RowValues(sample);
            var output = transform.GetOutputSchema(schema);
            // ML.NET places an output that reuses an input's name right after the column it hides, not at the end, so
            // a column is the transform's own when its name has more columns in the output than in the input.
            bool IsNew(DataViewSchema.Column c) => output.Count(o => o.Name == c.Name) > schema.Count(i => i.Name == c.Name);
            var written = output.Where(c => !c.IsHidden && IsNew(c)).ToList();
            var added = written.Where(c => FloatSize(c.Type) is not null).ToList();
            foreach (var column in written.Where(c => FloatSize(c.Type) is null))
                provenance.Remove(column.Name);
            if (added.Count > 0)
            {
                var traced = Probe(transform, schema, output, added, provenance, sampleValues);
                foreach (var (name, slotProvenance) in traced) provenance[name] = slotProvenance;
            }
            foreach (var name in provenance.Keys.Where(n => output.GetColumnOrNull(n) is not { IsHidden: false }).ToList())
                provenance.Remove(name);
            schema = output;
            sample = FirstRow(transform.Transform(sample));
        }

        var featureColumn = schema.GetColumnOrNull(classifier.FeatureColumnName)
            ?? throw Contracts.ExceptSchemaMismatch(nameof(inputSchema), "feature", classifier.FeatureColumnName);
        var features = provenance.GetValueOrDefault(featureColumn.Name)
            ?? throw new InvalidOperationException($"The classifier's feature column '{featureColumn.Name}' is not a vector of Single computed from the input's float columns.");
        Contracts.Check(features.Length == classifier.FeatureCount, FormattableString.Invariant(
            $"The pipeline makes {features.Length} features in '{featureColumn.Name}' but the classifier takes {classifier.FeatureCount}."));
        if (features.FirstOrDefault(f => f.Opaque is not null) is { Opaque: { } reason })
            throw new InvalidOperationException($"Recourse over the input columns needs every transform in front of the classifier to be transparent: {reason}. " +
                "Give the recourse estimator an action set over the classifier's feature column instead.");

        // The input vector: every input column with a slot the features read, whole, in schema order.
        var used = features.Where(f => f.Function.Source >= 0).Select(f => slots[f.Function.Source].Column).ToHashSet(StringComparer.Ordinal);
        var inputs = new List<InputColumn>();
        var offset = new Dictionary<string, int>(StringComparer.Ordinal);
        int count = 0;
        foreach (var column in inputSchema.Where(c => !c.IsHidden && used.Contains(c.Name)))
        {
            int size = FloatSize(column.Type)!.Value;
            offset[column.Name] = count;
            inputs.Add(new InputColumn(column.Name, size, column.Type is VectorDataViewType, SlotNamesOf(column, size)));
            count += size;
        }
        var map = new InputMap(count, features.Select(f => f.Function.Source < 0
            ? f.Function
            : f.Function with { Source = offset[slots[f.Function.Source].Column] + slots[f.Function.Source].Slot }).ToArray());
        return new TracedPipeline(classifier, UniqueNames(inputs), map);
    }

    private sealed record Provenance(InputFunction Function, string? Opaque)
    {
        public static Provenance Of(InputFunction function) => new(function, null);

        public static Provenance OpaqueBecause(string reason) => new(InputFunction.Constant(0), reason);

        public Provenance Then(InputFunction outer) => Opaque is not null ? this : Of(outer.After(Function));
    }

    private static int? FloatSize(DataViewType type) => type switch
    {
        NumberDataViewType n when n == NumberDataViewType.Single => 1,
        VectorDataViewType { IsKnownSize: true, ItemType: NumberDataViewType n } v when n == NumberDataViewType.Single => v.Size,
        _ => null,
    };

    // Applies the transform to a base row and to rows that move one float input slot by Step and by 2·Step.
    private static IEnumerable<(string Name, Provenance[] Slots)> Probe(ITransformer transform, DataViewSchema schema, DataViewSchema output,
        IReadOnlyList<DataViewSchema.Column> added, Dictionary<string, Provenance[]> provenance, Dictionary<string, object> sample)
    {
        var inputs = schema.Where(c => !c.IsHidden).ToList();
        var floatSlots = inputs.Where(c => FloatSize(c.Type) is not null).SelectMany(c => Enumerable.Range(0, FloatSize(c.Type)!.Value).Select(k => (c.Name, k))).ToList();
        // After the float rows, one row per other column with that column changed: a feature that moves there is
        // computed from text, a Boolean or an integer, which the recourse components cannot change.
        var others = inputs.Where(c => FloatSize(c.Type) is null).ToList();
        int floatRows = 1 + 2 * floatSlots.Count;
        int rows = floatRows + others.Count;
        // The user's own row, as the earlier transforms made it, keeps every normaliser in its working range; the
        // steps are powers of two, exact in float, so a copied slot probes as exactly x ↦ x.
        var baseValues = floatSlots.Select(f => (double)((float[])sample[f.Name])[f.k]).ToArray();
        double Base(int g) => baseValues[g];
        double StepOf(int g) => Math.Pow(2, Math.Ceiling(Math.Log2(Math.Max(1, Math.Abs(baseValues[g])))) - 2);
        T[] Other<T>(DataViewSchema.Column column, T value, Func<T, T> change) => OtherValues(rows, floatRows + others.IndexOf(column), value, change);
        var builder = new InMemoryDataView.Builder();
        int g0 = 0;
        foreach (var column in inputs)
        {
            switch (column.Type)
            {
                case var t when FloatSize(t) is int size:
                    var values = new float[rows * size];
                    for (int r = 0; r < rows; r++)
                        for (int k = 0; k < size; k++)
                        {
                            int g = g0 + k;
                            int moved = r == 0 || r >= floatRows ? -1 : (r - 1) / 2;
                            values[r * size + k] = (float)(Base(g) + (moved == g ? StepOf(g) * (1 + (r - 1) % 2) : 0));
                        }
                    if (column.Type is VectorDataViewType) builder.AddVector(column.Name, size, values, SlotNames.Of(column));
                    else builder.AddScalar(column.Name, values);
                    g0 += size;
                    break;
                case NumberDataViewType n when n == NumberDataViewType.Double:
                    builder.AddScalar(column.Name, Other(column, (double)sample[column.Name], v => v + 1));
                    break;
                case NumberDataViewType n when n == NumberDataViewType.Int32:
                    builder.AddScalar(column.Name, Other(column, (int)sample[column.Name], v => v + 1));
                    break;
                case BooleanDataViewType:
                    builder.AddScalar(column.Name, Other(column, (bool)sample[column.Name], v => !v));
                    break;
                case TextDataViewType:
                    builder.AddScalar(column.Name, Other(column, (string)sample[column.Name], v => v + "\u0001probe"));
                    break;
                default:
                    foreach (var column2 in added)
                        yield return (column2.Name, Enumerable.Repeat(Provenance.OpaqueBecause(
                            $"{transform.GetType().Name} reads a schema with column '{column.Name}' of type {column.Type}, which cannot be probed"), FloatSize(column2.Type)!.Value).ToArray());
                    yield break;
            }
        }
        var result = transform.Transform(builder.Build());
        var normaliser = transform as NormalizingTransformer;
        foreach (var column in added)
        {
            int size = FloatSize(column.Type)!.Value;
            var values = ReadDense(result, result.Schema[column.Name], size);
            var slots = new Provenance[size];
            for (int j = 0; j < size; j++)
            {
                double at0 = values[j];
                var moved = Enumerable.Range(0, floatSlots.Count)
                    .Select(g => (Slot: g, D1: values[(1 + 2 * g) * size + j] - at0, D2: values[(2 + 2 * g) * size + j] - at0))
                    .Where(m => Math.Abs(m.D1) > 1e-6 * (1 + Math.Abs(at0)) || Math.Abs(m.D2) > 1e-6 * (1 + Math.Abs(at0)))
                    .ToList();
                int changedBy = Enumerable.Range(0, others.Count).FirstOrDefault(o => values[(floatRows + o) * size + j] != at0, -1);
                if (changedBy >= 0)
                {
                    slots[j] = Provenance.OpaqueBecause($"{transform.GetType().Name} computes slot {j} of '{column.Name}' from the {others[changedBy].Type} column '{others[changedBy].Name}'");
                    continue;
                }
                if (moved.Count == 0)
                {
                    slots[j] = Provenance.Of(InputFunction.Constant(at0));
                    continue;
                }
                if (moved.Count > 1)
                {
                    slots[j] = Provenance.OpaqueBecause($"{transform.GetType().Name} computes slot {j} of '{column.Name}' from several inputs ({string.Join(", ", moved.Take(3).Select(m => $"'{floatSlots[m.Slot].Name}'[{floatSlots[m.Slot].k}]"))})");
                    continue;
                }
                var (slot, d1, d2) = moved[0];
                var source = provenance.GetValueOrDefault(floatSlots[slot].Name)?[floatSlots[slot].k];
                if (source is null)
                {
                    slots[j] = Provenance.OpaqueBecause($"'{column.Name}' is computed from '{floatSlots[slot].Name}', which does not come from the input's float columns");
                    continue;
                }
                if (Math.Abs(d2 - 2 * d1) <= 1e-4 * Math.Abs(d1) + 1e-6)
                {
                    double scale = d1 / StepOf(slot);
                    double offset = at0 - scale * Base(slot);
                    // A copy probes as x ↦ x up to float rounding of the base value; keep it an exact copy, so a CDF
                    // normaliser after it composes (it needs an unshifted input).
                    if (Math.Abs(scale - 1) <= 1e-7) scale = 1;
                    if (Math.Abs(offset) <= 1e-6 * (1 + Math.Abs(at0))) offset = 0;
                    slots[j] = source.Then(new InputFunction(0, InputFunctionKind.Affine, scale, offset));
                }
                else if (normaliser is not null && Cdf(normaliser, j, Base(slot), StepOf(slot), at0, d1, d2) is { } cdf)
                {
                    slots[j] = source.Then(cdf);
                }
                else
                {
                    slots[j] = Provenance.OpaqueBecause($"{transform.GetType().Name} computes '{column.Name}' by a function that is neither affine nor one of ML.NET's CDF normalisations" +
                        (normaliser is not null ? " (binning normalisers are out of scope)" : ""));
                }
            }
            yield return (column.Name, slots);
        }
    }

    // rows copies of a value, except the row that probes this column, which holds the changed value.
    private static T[] OtherValues<T>(int rows, int probeRow, T value, Func<T, T> change)
    {
        var values = Enumerable.Repeat(value, rows).ToArray();
        values[probeRow] = change(value);
        return values;
    }

    // ML.NET's CDF normalisers, from their public parameters. Which of the normaliser's columns wrote this slot is not
    // public, so the parameters of each column are tried against the probed values (v, v + h, v + 2h).
    private static InputFunction? Cdf(NormalizingTransformer normaliser, int slot, double v, double h, double at0, double d1, double d2)
    {
        for (int column = 0; ; column++)
        {
            NormalizingTransformer.NormalizerModelParametersBase parameters;
            try
            {
                parameters = normaliser.GetNormalizerModelParameters(column);
            }
            catch (ArgumentOutOfRangeException)
            {
                return null;
            }
            var cdf = parameters switch
            {
                NormalizingTransformer.CdfNormalizerModelParameters<float> p
                    => new InputFunction(0, p.UseLog ? InputFunctionKind.LogNormalCdf : InputFunctionKind.NormalCdf, p.StandardDeviation, p.Mean),
                NormalizingTransformer.CdfNormalizerModelParameters<System.Collections.Immutable.ImmutableArray<float>> p when slot < p.Mean.Length
                    => new InputFunction(0, p.UseLog ? InputFunctionKind.LogNormalCdf : InputFunctionKind.NormalCdf, p.StandardDeviation[slot], p.Mean[slot]),
                _ => null,
            };
            if (cdf is not null && Math.Abs(cdf.Apply(v) - at0) <= 1e-5 && Math.Abs(cdf.Apply(v + h) - (at0 + d1)) <= 1e-5
                && Math.Abs(cdf.Apply(v + 2 * h) - (at0 + d2)) <= 1e-5)
                return cdf;
        }
    }

    // One row of a view, through the view's own cursor (no copy of the data set).
    private static IDataView FirstRow(IDataView data)
    {
        var values = RowValues(data);
        var builder = new InMemoryDataView.Builder();
        foreach (var column in data.Schema.Where(c => !c.IsHidden))
        {
            if (!values.TryGetValue(column.Name, out var value)) continue;
            switch (value)
            {
                case float[] v when column.Type is VectorDataViewType: builder.AddVector(column.Name, v.Length, v, SlotNames.Of(column)); break;
                case float[] v: builder.AddScalar(column.Name, v); break;
                case double v: builder.AddScalar(column.Name, [v]); break;
                case int v: builder.AddScalar(column.Name, [v]); break;
                case bool v: builder.AddScalar(column.Name, [v]); break;
                case string v: builder.AddScalar(column.Name, [v]); break;
            }
        }
        return builder.Build();
    }

    // The first row's values of the columns the probes can rebuild: float slots as float[] (a scalar as one slot),
    // Double, Int32, Boolean and text as themselves.
    private static Dictionary<string, object> RowValues(IDataView data)
    {
        var columns = data.Schema.Where(c => !c.IsHidden && (FloatSize(c.Type) is not null || c.Type is TextDataViewType or BooleanDataViewType
            || c.Type == NumberDataViewType.Double || c.Type == NumberDataViewType.Int32)).ToList();
        var values = new Dictionary<string, object>(StringComparer.Ordinal);
        using var cursor = data.GetRowCursor(columns);
        Contracts.Check(cursor.MoveNext(), "The data is empty: at least one row is needed to read the model back to its input columns.");
        foreach (var column in columns)
        {
            switch (column.Type)
            {
                case VectorDataViewType v:
                    var buffer = default(VBuffer<float>);
                    cursor.GetGetter<VBuffer<float>>(column)(ref buffer);
                    var dense = new float[v.Size];
                    buffer.CopyTo(dense);
                    values[column.Name] = dense;
                    break;
                case TextDataViewType:
                    var text = default(ReadOnlyMemory<char>);
                    cursor.GetGetter<ReadOnlyMemory<char>>(column)(ref text);
                    values[column.Name] = text.ToString();
                    break;
                case BooleanDataViewType:
                    bool b = false;
                    cursor.GetGetter<bool>(column)(ref b);
                    values[column.Name] = b;
                    break;
                case var t when t == NumberDataViewType.Double:
                    double d = 0;
                    cursor.GetGetter<double>(column)(ref d);
                    values[column.Name] = d;
                    break;
                case var t when t == NumberDataViewType.Int32:
                    int i = 0;
                    cursor.GetGetter<int>(column)(ref i);
                    values[column.Name] = i;
                    break;
                default:
                    float f = 0;
                    cursor.GetGetter<float>(column)(ref f);
                    values[column.Name] = new[] { f };
                    break;
            }
        }
        return values;
    }

    private static double[] ReadDense(IDataView data, DataViewSchema.Column column, int size)
    {
        if (column.Type is VectorDataViewType) return ColumnChecks.ReadFeatures(data, column);
        return ColumnChecks.ReadScalars<float>(data, column).Select(v => (double)v).ToArray();
    }

    private static IReadOnlyList<string> SlotNamesOf(DataViewSchema.Column column, int size)
    {
        if (column.Type is not VectorDataViewType) return [column.Name];
        var names = SlotNames.Of(column);
        return Enumerable.Range(0, size).Select(k => names is not null && names[k].Length > 0 ? names[k] : FormattableString.Invariant($"{column.Name}[{k}]")).ToArray();
    }

    // Slot names from different columns may collide; a collision is qualified with its column.
    private static IReadOnlyList<InputColumn> UniqueNames(List<InputColumn> inputs)
    {
        var counts = inputs.SelectMany(c => c.SlotNames).GroupBy(n => n, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        return inputs.Select(c => c with
        {
            SlotNames = c.SlotNames.Select((n, k) => counts[n] == 1 ? n : FormattableString.Invariant($"{c.Name}[{k}]")).ToArray(),
        }).ToList();
    }
}
