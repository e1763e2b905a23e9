using System.Diagnostics;
using System.Text.Json.Nodes;
using Microsoft.ML.Data;
using Microsoft.ML.Recourse.Actions;
using Microsoft.ML.Recourse.Models;
using Microsoft.ML.Recourse.Persistence;

namespace Microsoft.ML.Recourse;

/// <summary>
/// Appends recourse to every row: <c>RecourseDelta</c> (the action δ over the input vector, NaN where there is no
/// recourse), <c>RecourseCost</c>, <c>HasRecourse</c> and <c>RecourseStatus</c>, keeping every input column. The input
/// vector is the concatenation of <see cref="InputColumnNames"/>: the model's feature column, or, for a model read
/// from an ML.NET pipeline, the user's own columns in their own units. Rows the model already accepts get δ = 0,
/// cost 0 and <c>HasRecourse</c> = <see langword="true"/>; see <see cref="RecourseEstimator"/> for the full contract.
/// Created by fitting a <see cref="RecourseEstimator"/>.
/// </summary>
/// <remarks>
/// <format type="text/markdown"><![CDATA[
/// ### Transformer Characteristics
/// | | |
/// | -- | -- |
/// | Input columns | the input columns: scalars or known-sized vectors of Single (together the model's input count), no NaN or ∞ |
/// | Output columns | RecourseDelta: Vector&lt;Single, d&gt;; RecourseCost: Single; HasRecourse: Boolean; RecourseStatus: String |
/// | Lazy | Yes: the output is an IDataView that computes recourse only when a cursor asks for a recourse column, in blocks of rows |
/// | Row to row | Yes (works with PredictionEngine) |
/// | Saved by `mlContext.Model.Save` | when its model is one of the library's scorers (or an ML.NET model it read) and its generator one of the library's |
/// ]]></format>
/// </remarks>
public sealed class RecourseTransformer : ITransformer, IPersistedTransformer, IRecourseRowFunction
{
    internal const string Kind = "RecourseTransformer";

    /// <summary>The <c>RecourseStatus</c> of a row the model already accepts.</summary>
    public const string AcceptedStatus = "Accepted";

    // Rows computed together when a cursor reads in order: one batched pass and parallel work for the generator.
    private const int BlockRows = 1024;

    private readonly RecourseEnvironment _environment;

    internal RecourseTransformer(RecourseEnvironment environment, IScorer model, ActionSet actionSet, IRecourseGenerator generator, double threshold,
        IReadOnlyList<(string Name, int? Size)> inputs, ITransformer? includedModel = null)
    {
        _environment = environment;
        Model = model;
        ActionSet = actionSet;
        Generator = generator;
        Threshold = threshold;
        _inputs = inputs.ToArray();
        IncludedModel = includedModel;
        Contracts.Check(_inputs.Sum(i => i.Size ?? 1) == actionSet.FeatureCount, FormattableString.Invariant(
            $"The input columns hold {_inputs.Sum(i => i.Size ?? 1)} values but the action set describes {actionSet.FeatureCount}."));
    }

    private readonly (string Name, int? Size)[] _inputs;

    /// <summary>Gets the scorer g whose rejections get recourse.</summary>
    public IScorer Model { get; }

    /// <summary>Gets the allowed actions Δ.</summary>
    public ActionSet ActionSet { get; }

    /// <summary>Gets the recourse generator.</summary>
    public IRecourseGenerator Generator { get; }

    /// <summary>Gets the decision threshold θ₀: a row is accepted when g(x) ≥ θ₀. Range: 0 &lt; θ₀ &lt; 1.</summary>
    public double Threshold { get; }

    /// <summary>Gets the input columns, concatenated in this order into the vector the model and the action set describe.</summary>
    public IReadOnlyList<string> InputColumnNames => _inputs.Select(i => i.Name).ToArray();

    /// <summary>
    /// Gets the fitted model this transformer applies before adding recourse (when it was created from an estimator
    /// that trains the model), or <see langword="null"/>.
    /// </summary>
    public ITransformer? IncludedModel { get; }

    /// <inheritdoc/>
    public bool IsRowToRowMapper => IncludedModel?.IsRowToRowMapper ?? true;

    /// <inheritdoc/>
    public DataViewSchema GetOutputSchema(DataViewSchema inputSchema)
    {
        Contracts.CheckValue(inputSchema, nameof(inputSchema));
        var schema = IncludedModel?.GetOutputSchema(inputSchema) ?? inputSchema;
        return CreateMapper(schema, nameof(inputSchema)).OutputSchema;
    }

    /// <inheritdoc/>
    public IDataView Transform(IDataView input)
    {
        Contracts.CheckValue(input, nameof(input));
        var data = IncludedModel?.Transform(input) ?? input;
        return new MappedDataView(data, CreateMapper(data.Schema, nameof(input)));
    }

    /// <inheritdoc/>
    public IRowToRowMapper GetRowToRowMapper(DataViewSchema inputSchema)
    {
        Contracts.CheckValue(inputSchema, nameof(inputSchema));
        if (IncludedModel is null) return new RowToRowMapper(CreateMapper(inputSchema, nameof(inputSchema)));
        var first = IncludedModel.GetRowToRowMapper(inputSchema);
        return new ComposedRowToRowMapper(first, new RowToRowMapper(CreateMapper(first.OutputSchema, nameof(inputSchema))));
    }

    /// <summary>Returns a transformer with the same model, threshold, actions and inputs and another generator.</summary>
    /// <param name="generator">The recourse generator.</param>
    public RecourseTransformer WithGenerator(IRecourseGenerator generator)
        => new(_environment, Model, ActionSet, Contracts.CheckValue(generator, nameof(generator)), Threshold, _inputs, IncludedModel);

    void ICanSaveModel.Save(ModelSaveContext ctx)
    {
        if (IncludedModel is null) SavedForm.Save(this, ctx);
        else ((ICanSaveModel)new TransformerChain<ITransformer>(IncludedModel, SavedForm.Build(this))).Save(ctx);
    }

    /// <summary>
    /// Describes the recourse of one row of a transformed view in plain language and original units, e.g.
    /// "raise education-num from 13 to 14.4" (see <see cref="ActionSet.Describe"/>).
    /// </summary>
    /// <param name="transformed">The output of <see cref="Transform"/> (it needs the feature, <c>RecourseDelta</c> and <c>HasRecourse</c> columns).</param>
    /// <param name="rowIndex">The zero-based row. Range: 0 ≤ rowIndex &lt; row count.</param>
    /// <returns>
    /// The steps of the action (empty for a row the model already accepts), or <see langword="null"/> when the row has
    /// no recourse.
    /// </returns>
    public RecourseExplanation? Explain(IDataView transformed, int rowIndex)
    {
        var all = ExplainAll(transformed);
        Contracts.CheckParam(rowIndex >= 0 && rowIndex < all.Count, nameof(rowIndex),
            FormattableString.Invariant($"Must lie in [0, {all.Count}); got {rowIndex}."));
        return all[rowIndex];
    }

    /// <summary>Describes the recourse of every row of a transformed view; see <see cref="Explain(IDataView, int)"/>.</summary>
    /// <param name="transformed">The output of <see cref="Transform"/>.</param>
    /// <returns>One explanation per row, in row order; <see langword="null"/> where the row has no recourse.</returns>
    public IReadOnlyList<RecourseExplanation?> ExplainAll(IDataView transformed)
    {
        Contracts.CheckValue(transformed, nameof(transformed));
        var schema = transformed.Schema;
        var inputColumns = CheckInputs(schema, _inputs, ActionSet, nameof(transformed));
        int d = ActionSet.FeatureCount;
        var deltaColumn = schema.GetColumnOrNull(DefaultColumnNames.RecourseDelta)
                          ?? throw Contracts.ExceptSchemaMismatch(nameof(transformed), "recourse", DefaultColumnNames.RecourseDelta);
        var expected = new VectorDataViewType(NumberDataViewType.Single, d);
        if (!deltaColumn.Type.Equals(expected))
            throw Contracts.ExceptSchemaMismatch(nameof(transformed), "recourse", DefaultColumnNames.RecourseDelta, expected.ToString(), deltaColumn.Type.ToString()!);
        var hasColumn = ColumnChecks.CheckScalarColumn(schema, "recourse", DefaultColumnNames.HasRecourse, BooleanDataViewType.Instance, nameof(transformed));

        var explanations = new List<RecourseExplanation?>();
        using var cursor = transformed.GetRowCursor([.. inputColumns, deltaColumn, hasColumn]);
        var reader = new InputRowReader(cursor, inputColumns, d);
        var deltaGetter = cursor.GetGetter<VBuffer<float>>(deltaColumn);
        var hasGetter = cursor.GetGetter<bool>(hasColumn);
        VBuffer<float> deltaBuffer = default;
        var row = new float[d];
        var change = new double[d];
        bool has = false;
        while (cursor.MoveNext())
        {
            hasGetter(ref has);
            if (!has)
            {
                explanations.Add(null);
                continue;
            }
            reader.Read(row, cursor.Position);
            deltaGetter(ref deltaBuffer);
            int j = 0;
            foreach (var v in deltaBuffer.DenseValues()) change[j++] = v;
            explanations.Add(ActionSet.Describe(Array.ConvertAll(row, v => (double)v), change));
        }
        return explanations;
    }

    /// <summary>Reads every row's input vector (row-major, rows × input count), rejecting NaN and ∞.</summary>
    internal double[] ReadInputs(IDataView data)
    {
        var columns = CheckInputs(data.Schema, _inputs, ActionSet, "input");
        int d = ActionSet.FeatureCount;
        var rows = new List<double>();
        var row = new float[d];
        using var cursor = data.GetRowCursor(columns);
        var reader = new InputRowReader(cursor, columns, d);
        while (cursor.MoveNext())
        {
            reader.Read(row, cursor.Position);
            foreach (float v in row) rows.Add(v);
        }
        return rows.ToArray();
    }

    /// <summary>The columns a recourse transformer appends, in order.</summary>
    internal static (string Name, DataViewType Type)[] OutputColumns(int featureCount) =>
    [
        (DefaultColumnNames.RecourseDelta, new VectorDataViewType(NumberDataViewType.Single, featureCount)),
        (DefaultColumnNames.RecourseCost, NumberDataViewType.Single),
        (DefaultColumnNames.HasRecourse, BooleanDataViewType.Instance),
        (DefaultColumnNames.RecourseStatus, TextDataViewType.Instance),
    ];

    /// <summary>
    /// Checks the input columns: each present with its type (a scalar, or a vector of its size, of <see cref="float"/>),
    /// and, where a vector has slot names, naming the action set's features in the same order.
    /// </summary>
    internal static DataViewSchema.Column[] CheckInputs(DataViewSchema schema, IReadOnlyList<(string Name, int? Size)> inputs, ActionSet actionSet, string paramName)
    {
        var columns = new DataViewSchema.Column[inputs.Count];
        int offset = 0;
        for (int i = 0; i < inputs.Count; i++)
        {
            var (name, size) = inputs[i];
            if (size is int n)
            {
                columns[i] = ColumnChecks.CheckFeatureColumn(schema, name, n, paramName);
                if (SlotNames.Of(columns[i]) is { } slots)
                {
                    for (int j = 0; j < slots.Count; j++)
                    {
                        string expected = actionSet.Features[offset + j].Name;
                        Contracts.CheckParam(slots[j] == expected || expected == FormattableString.Invariant($"{name}[{j}]"), paramName,
                            $"Slot {j} of column '{name}' is '{slots[j]}' but feature {offset + j} of the action set is '{expected}'; the data and the action set must list the same features in the same order.");
                    }
                }
            }
            else
            {
                columns[i] = ColumnChecks.CheckScalarColumn(schema, "input", name, NumberDataViewType.Single, paramName);
            }
            offset += size ?? 1;
        }
        return columns;
    }

    /// <summary>Computes the recourse columns of <paramref name="count"/> rows (row-major in <paramref name="rows"/>).</summary>
    internal RowRecourse[] Compute(double[] rows, int count, BlockStatistics? statistics = null)
    {
        int d = ActionSet.FeatureCount;
        var scores = new double[count];
        Model.ScoreBatch(rows.AsSpan(0, count * d), scores);
        var rejected = Enumerable.Range(0, count).Where(r => !(scores[r] >= Threshold)).ToArray();
        var rejectedRows = new double[rejected.Length * d];
        for (int k = 0; k < rejected.Length; k++)
            rows.AsSpan(rejected[k] * d, d).CopyTo(rejectedRows.AsSpan(k * d, d));
        IReadOnlyList<RecourseResult> results = rejected.Length == 0 ? [] : Generator.Generate(Model, Threshold, ActionSet, rejectedRows);
        Contracts.Check(results.Count == rejected.Length,
            $"Recourse generator '{Generator.Name}' returned {results.Count} results for {rejected.Length} rows.");

        var output = new RowRecourse[count];
        for (int r = 0; r < count; r++) output[r] = RowRecourse.Accepted(d);
        int found = 0;
        for (int k = 0; k < rejected.Length; k++)
        {
            int r = rejected[k];
            var result = results[k];
            if (result.IsValid && result.Delta is { } action)
            {
                Contracts.Check(action.Count == d,
                    $"Recourse generator '{Generator.Name}' returned an action of {action.Count} values for a row; the model takes {d}.");
                // The action as written (float δ) and as a user applies it (x + δ in float), checked with the model again;
                // when the rounded δ falls back across the boundary, δ is taken to the nearest float at or beyond the target.
                var delta = new float[d];
                var applied = new double[d];
                for (int j = 0; j < d; j++)
                {
                    delta[j] = (float)action[j];
                    applied[j] = (float)((float)rows[r * d + j] + delta[j]);
                }
                if (!(Model.Score(applied) >= Threshold))
                {
                    for (int j = 0; j < d; j++)
                    {
                        float x = (float)rows[r * d + j];
                        delta[j] = SingleDelta(x, rows[r * d + j] + action[j]);
                        applied[j] = (float)(x + delta[j]);
                    }
                }
                if (Model.Score(applied) >= Threshold)
                {
                    output[r] = new RowRecourse(delta, (float)result.Cost, true, result.Status.ToString());
                    found++;
                }
                else
                {
                    output[r] = RowRecourse.None(d, nameof(RecourseStatus.NotFound));
                }
            }
            else
            {
                output[r] = RowRecourse.None(d, result.Status.ToString());
            }
        }
        statistics?.Add(count, rejected.Length, found);
        return output;
    }

    /// <summary>
    /// The <see cref="float"/> δ to write for a move from <paramref name="x"/> to <paramref name="target"/> when the plain
    /// cast of δ does not keep the row accepted: the one for
    /// which x + δ, added in single precision as a user of the <c>RecourseDelta</c> column adds it, is the nearest float
    /// at or beyond the target, away from x. Casting the double δ is not enough: an exact method puts x + δ one float past
    /// a split threshold, and the float sum of x and the rounded δ can fall back onto the threshold (seen with FastTree:
    /// no float δ at all gives 6.2918434f + δ = 2.2284954f).
    /// </summary>
    internal static float SingleDelta(float x, double target)
    {
        if (target == x) return 0;
        bool up = target > x;
        float to = (float)target;
        if (up ? to < target : to > target) to = up ? MathF.BitIncrement(to) : MathF.BitDecrement(to);
        float delta = (float)((double)to - x);
        for (int step = 0; step < 8 && (up ? (float)(x + delta) < to : (float)(x + delta) > to); step++)
            delta = up ? MathF.BitIncrement(delta) : MathF.BitDecrement(delta);
        return delta;
    }

    IReadOnlyList<string> IPersistedTransformer.InputColumnNames => InputColumnNames;

    (float[] Delta, float Cost, bool HasRecourse, string Status) IRecourseRowFunction.Recourse(ReadOnlySpan<float> features)
    {
        var row = new double[features.Length];
        for (int j = 0; j < row.Length; j++) row[j] = features[j];
        var result = Compute(row, 1)[0];
        return (result.Delta, result.Cost, result.HasRecourse, result.Status);
    }

    private Mapper CreateMapper(DataViewSchema schema, string paramName)
        => new(this, schema, CheckInputs(schema, _inputs, ActionSet, paramName));

    string IPersistedTransformer.Kind => Kind;

    int IPersistedTransformer.KindVersion => 1;

    int IPersistedTransformer.FeatureCount => ActionSet.FeatureCount;

    IReadOnlyList<int?> IPersistedTransformer.InputColumnSizes => _inputs.Select(i => i.Size).ToArray();

    SavedOutputs IPersistedTransformer.Outputs => SavedOutputs.Recourse;

    JsonObject IPersistedTransformer.SaveState()
    {
        if (Model is not IPersistedScorer model)
            throw new NotSupportedException(
                $"A recourse transformer over a black-box scorer ({Model.GetType().Name}) cannot be saved; only the library's scorers and the ML.NET models it reads can be.");
        if (Generator is not IPersistedGenerator generator)
            throw new NotSupportedException(
                $"A recourse transformer whose generator is a {Generator.GetType().Name} ('{Generator.Name}') cannot be saved; only the library's generators can be.");
        return new JsonObject
        {
            ["inputs"] = new JsonArray(_inputs.Select(i => (JsonNode)new JsonObject { ["name"] = i.Name, ["size"] = i.Size }).ToArray()),
            ["threshold"] = Threshold,
            ["model"] = model.Save(),
            ["actionSet"] = ActionSetJson.ToJson(ActionSet),
            ["generator"] = generator.Save(),
        };
    }

    [PersistedKind(PersistedFamily.Transformer, Kind, 1)]
    internal static ITransformer Load(JsonObject data, int version, RecourseEnvironment environment)
    {
        var inputs = (data["inputs"] as JsonArray ?? throw new InvalidOperationException("no 'inputs' array"))
            .Select((node, i) => node is JsonObject input
                ? ((string?)input["name"] ?? throw new InvalidOperationException($"input {i} has no 'name'"), (int?)input["size"])
                : throw new InvalidOperationException($"input {i} is not an object")).ToArray();
        double threshold = data["threshold"]?.GetValue<double>() ?? throw new InvalidOperationException("no 'threshold'");
        var model = PersistedKinds.Load<IScorer>(PersistedFamily.Scorer, data["model"], environment);
        var actionSet = ActionSetJson.FromJson(data["actionSet"] as JsonObject ?? throw new InvalidOperationException("no 'actionSet' object"));
        var generator = PersistedKinds.Load<IRecourseGenerator>(PersistedFamily.Generator, data["generator"], environment);
        Contracts.CheckParam(actionSet.FeatureCount == model.FeatureCount, nameof(data), "the action set and the model differ in size");
        return new RecourseTransformer(environment, model, actionSet, generator, threshold, inputs);
    }

    /// <summary>The recourse columns of one row.</summary>
    internal readonly record struct RowRecourse(float[] Delta, float Cost, bool HasRecourse, string Status)
    {
        public static RowRecourse Accepted(int d) => new(new float[d], 0, true, AcceptedStatus);

        public static RowRecourse None(int d, string status)
        {
            var delta = new float[d];
            Array.Fill(delta, float.NaN);
            return new RowRecourse(delta, float.NaN, false, status);
        }
    }

    /// <summary>Counts over the blocks one cursor computed, logged when the cursor is disposed.</summary>
    internal sealed class BlockStatistics
    {
        private readonly Stopwatch _watch = Stopwatch.StartNew();

        public int Rows { get; private set; }

        public int Rejected { get; private set; }

        public int Found { get; private set; }

        public void Add(int rows, int rejected, int found)
        {
            Rows += rows;
            Rejected += rejected;
            Found += found;
        }

        public TimeSpan Elapsed => _watch.Elapsed;
    }

    private sealed class Mapper(RecourseTransformer parent, DataViewSchema inputSchema, DataViewSchema.Column[] inputs)
        : RowMapper(inputSchema, OutputColumns(parent.ActionSet.FeatureCount).Select(c => new OutputColumn(c.Name, c.Type)).ToArray())
    {
        public override IEnumerable<DataViewSchema.Column> Dependencies(Func<int, bool> isOutputActive)
            => Enumerable.Range(0, Outputs.Count).Any(isOutputActive) ? inputs : [];

        public override Delegate?[] CreateGetters(DataViewRow input, Func<int, bool> isOutputActive, IDataView? source, out Action? disposer)
        {
            disposer = null;
            var getters = new Delegate?[Outputs.Count];
            if (!Enumerable.Range(0, Outputs.Count).Any(isOutputActive)) return getters;
            int d = parent.ActionSet.FeatureCount;
            var statistics = new BlockStatistics();
            var blocks = source is null ? null : new BlockReader(source, inputs, d);
            var reader = new InputRowReader(input, inputs, d);
            var row = new float[d];
            RowRecourse[] block = [];
            long blockStart = -1;
            RowRecourse Current()
            {
                long position = input.Position;
                if (position < blockStart || position >= blockStart + block.Length)
                {
                    double[] rows;
                    int count;
                    if (blocks is not null)
                    {
                        (rows, count) = blocks.Read(position, BlockRows);
                    }
                    else
                    {
                        reader.Read(row, position);
                        (rows, count) = (Array.ConvertAll(row, v => (double)v), 1);
                    }
                    block = parent.Compute(rows, count, statistics);
                    blockStart = position;
                }
                return block[position - blockStart];
            }
            if (isOutputActive(0))
                getters[0] = (ValueGetter<VBuffer<float>>)((ref VBuffer<float> value) =>
                {
                    var delta = Current().Delta;
                    var editor = VBufferEditor.Create(ref value, delta.Length);
                    delta.CopyTo(editor.Values);
                    value = editor.Commit();
                });
            if (isOutputActive(1)) getters[1] = (ValueGetter<float>)((ref float value) => value = Current().Cost);
            if (isOutputActive(2)) getters[2] = (ValueGetter<bool>)((ref bool value) => value = Current().HasRecourse);
            if (isOutputActive(3)) getters[3] = (ValueGetter<ReadOnlyMemory<char>>)((ref ReadOnlyMemory<char> value) => value = Current().Status.AsMemory());
            disposer = () =>
            {
                blocks?.Dispose();
                if (statistics.Rows > 0)
                    parent._environment.Log(nameof(RecourseTransformer), FormattableString.Invariant(
                        $"{parent.Generator.Name}: {statistics.Rejected} of {statistics.Rows} rows rejected at θ₀ = {parent.Threshold}, {statistics.Found} with recourse, {statistics.Elapsed.TotalSeconds:0.###} s"));
            };
            return getters;
        }

        /// <summary>
        /// Reads the input columns ahead of the caller's cursor with a second cursor over the same view, so that a
        /// block of rows goes through the generator together; the view's row order is the same for both cursors.
        /// </summary>
        private sealed class BlockReader(IDataView source, DataViewSchema.Column[] inputs, int d) : IDisposable
        {
            private DataViewRowCursor? _cursor;
            private InputRowReader? _reader;

            public (double[] Rows, int Count) Read(long start, int maximumRows)
            {
                if (_cursor is null || _cursor.Position >= start)
                {
                    _cursor?.Dispose();
                    _cursor = source.GetRowCursor(inputs.Select(c => source.Schema[c.Index]));
                    _reader = new InputRowReader(_cursor, inputs, d);
                }
                while (_cursor.Position < start - 1 && _cursor.MoveNext()) { }
                var rows = new double[maximumRows * d];
                var row = new float[d];
                int count = 0;
                while (count < maximumRows && _cursor.MoveNext())
                {
                    _reader!.Read(row, _cursor.Position);
                    for (int j = 0; j < d; j++) rows[count * d + j] = row[j];
                    count++;
                }
                Contracts.Check(count > 0, FormattableString.Invariant(
                    $"The input view returned fewer rows to a second cursor than to the first (row {start}); recourse needs a view whose cursors see the same rows."));
                return (rows, count);
            }

            public void Dispose() => _cursor?.Dispose();
        }
    }

    /// <summary>Reads a row's input columns (scalars and vectors of <see cref="float"/>) into one vector, rejecting NaN and ∞.</summary>
    private sealed class InputRowReader
    {
        private readonly DataViewSchema.Column[] _columns;
        private readonly Delegate[] _getters;
        private VBuffer<float> _buffer;

        public InputRowReader(DataViewRow row, DataViewSchema.Column[] columns, int d)
        {
            _columns = columns;
            _getters = columns.Select(c => c.Type is VectorDataViewType
                ? (Delegate)row.GetGetter<VBuffer<float>>(row.Schema[c.Index])
                : row.GetGetter<float>(row.Schema[c.Index])).ToArray();
        }

        public void Read(float[] target, long position)
        {
            int offset = 0;
            for (int i = 0; i < _columns.Length; i++)
            {
                int size;
                if (_getters[i] is ValueGetter<VBuffer<float>> vector)
                {
                    vector(ref _buffer);
                    size = _buffer.Length;
                    _buffer.CopyTo(target.AsSpan(offset, size));
                }
                else
                {
                    float value = 0;
                    ((ValueGetter<float>)_getters[i])(ref value);
                    target[offset] = value;
                    size = 1;
                }
                ColumnChecks.CheckFinite(target.AsSpan(offset, size), _columns[i], position);
                offset += size;
            }
        }
    }
}
