using System.Diagnostics;
using System.Text.Json.Nodes;
using Microsoft.ML.Data;
using Microsoft.ML.Recourse.Actions;
using Microsoft.ML.Recourse.Models;
using Microsoft.ML.Recourse.Persistence;

namespace Microsoft.ML.Recourse;

/// <summary>
/// Appends recourse to every row: <c>RecourseDelta</c> (the action δ in model units, NaN where there is no recourse),
/// <c>RecourseCost</c>, <c>HasRecourse</c> and <c>RecourseStatus</c>, keeping every input column. Rows the model
/// already accepts get δ = 0, cost 0 and <c>HasRecourse</c> = <see langword="true"/>; see
/// <see cref="RecourseEstimator"/> for the full contract. Created by fitting a <see cref="RecourseEstimator"/>.
/// </summary>
/// <remarks>
/// <format type="text/markdown"><![CDATA[
/// ### Transformer Characteristics
/// | | |
/// | -- | -- |
/// | Input column | the feature column: known-sized vector of Single, of the model's feature count, no NaN or ∞ |
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

    internal RecourseTransformer(RecourseEnvironment environment, IScorer model, ActionSet actionSet, IRecourseGenerator generator, double threshold, string featureColumnName)
    {
        _environment = environment;
        Model = model;
        ActionSet = actionSet;
        Generator = generator;
        Threshold = threshold;
        FeatureColumnName = featureColumnName;
    }

    /// <summary>Gets the scorer g whose rejections get recourse.</summary>
    public IScorer Model { get; }

    /// <summary>Gets the allowed actions Δ.</summary>
    public ActionSet ActionSet { get; }

    /// <summary>Gets the recourse generator.</summary>
    public IRecourseGenerator Generator { get; }

    /// <summary>Gets the decision threshold θ₀: a row is accepted when g(x) ≥ θ₀. Range: 0 &lt; θ₀ &lt; 1.</summary>
    public double Threshold { get; }

    /// <summary>Gets the name of the feature column.</summary>
    public string FeatureColumnName { get; }

    /// <inheritdoc/>
    public bool IsRowToRowMapper => true;

    /// <inheritdoc/>
    public DataViewSchema GetOutputSchema(DataViewSchema inputSchema)
    {
        Contracts.CheckValue(inputSchema, nameof(inputSchema));
        return CreateMapper(inputSchema, nameof(inputSchema)).OutputSchema;
    }

    /// <inheritdoc/>
    public IDataView Transform(IDataView input)
    {
        Contracts.CheckValue(input, nameof(input));
        return new MappedDataView(input, CreateMapper(input.Schema, nameof(input)));
    }

    /// <inheritdoc/>
    public IRowToRowMapper GetRowToRowMapper(DataViewSchema inputSchema)
    {
        Contracts.CheckValue(inputSchema, nameof(inputSchema));
        return new RowToRowMapper(CreateMapper(inputSchema, nameof(inputSchema)));
    }

    void ICanSaveModel.Save(ModelSaveContext ctx) => SavedForm.Save(this, ctx);

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
        var featureColumn = CheckInput(schema, FeatureColumnName, ActionSet, nameof(transformed));
        int d = ActionSet.FeatureCount;
        var deltaColumn = schema.GetColumnOrNull(DefaultColumnNames.RecourseDelta)
                          ?? throw Contracts.ExceptSchemaMismatch(nameof(transformed), "recourse", DefaultColumnNames.RecourseDelta);
        var expected = new VectorDataViewType(NumberDataViewType.Single, d);
        if (!deltaColumn.Type.Equals(expected))
            throw Contracts.ExceptSchemaMismatch(nameof(transformed), "recourse", DefaultColumnNames.RecourseDelta, expected.ToString(), deltaColumn.Type.ToString()!);
        var hasColumn = ColumnChecks.CheckScalarColumn(schema, "recourse", DefaultColumnNames.HasRecourse, BooleanDataViewType.Instance, nameof(transformed));

        var explanations = new List<RecourseExplanation?>();
        using var cursor = transformed.GetRowCursor([featureColumn, deltaColumn, hasColumn]);
        var xGetter = cursor.GetGetter<VBuffer<float>>(featureColumn);
        var deltaGetter = cursor.GetGetter<VBuffer<float>>(deltaColumn);
        var hasGetter = cursor.GetGetter<bool>(hasColumn);
        VBuffer<float> xBuffer = default, deltaBuffer = default;
        var row = new double[d];
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
            xGetter(ref xBuffer);
            deltaGetter(ref deltaBuffer);
            int j = 0;
            foreach (var v in xBuffer.DenseValues()) row[j++] = v;
            j = 0;
            foreach (var v in deltaBuffer.DenseValues()) change[j++] = v;
            explanations.Add(ActionSet.Describe(row, change));
        }
        return explanations;
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
    /// Checks the feature column: present, a vector of <see cref="float"/> of the action set's size, and, when it has
    /// slot names, naming the action set's features in the same order.
    /// </summary>
    internal static DataViewSchema.Column CheckInput(DataViewSchema schema, string featureColumnName, ActionSet actionSet, string paramName)
    {
        var column = ColumnChecks.CheckFeatureColumn(schema, featureColumnName, actionSet.FeatureCount, paramName);
        if (SlotNames.Of(column) is { } slots)
        {
            for (int j = 0; j < slots.Count; j++)
            {
                Contracts.CheckParam(slots[j] == actionSet.Features[j].Name, paramName,
                    $"Slot {j} of feature column '{featureColumnName}' is '{slots[j]}' but feature {j} of the action set is '{actionSet.Features[j].Name}'; the data and the action set must list the same features in the same order.");
            }
        }
        return column;
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
                var delta = new float[d];
                for (int j = 0; j < d; j++) delta[j] = (float)action[j];
                output[r] = new RowRecourse(delta, (float)result.Cost, true, result.Status.ToString());
                found++;
            }
            else
            {
                output[r] = RowRecourse.None(d, result.Status.ToString());
            }
        }
        statistics?.Add(count, rejected.Length, found);
        return output;
    }

    (float[] Delta, float Cost, bool HasRecourse, string Status) IRecourseRowFunction.Recourse(ReadOnlySpan<float> features)
    {
        var row = new double[features.Length];
        for (int j = 0; j < row.Length; j++) row[j] = features[j];
        var result = Compute(row, 1)[0];
        return (result.Delta, result.Cost, result.HasRecourse, result.Status);
    }

    private Mapper CreateMapper(DataViewSchema schema, string paramName)
        => new(this, schema, CheckInput(schema, FeatureColumnName, ActionSet, paramName));

    string IPersistedTransformer.Kind => Kind;

    int IPersistedTransformer.KindVersion => 1;

    int IPersistedTransformer.FeatureCount => ActionSet.FeatureCount;

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
            ["featureColumnName"] = FeatureColumnName,
            ["threshold"] = Threshold,
            ["model"] = model.Save(),
            ["actionSet"] = ActionSetJson.ToJson(ActionSet),
            ["generator"] = generator.Save(),
        };
    }

    [PersistedKind(PersistedFamily.Transformer, Kind, 1)]
    internal static ITransformer Load(JsonObject data, int version, RecourseEnvironment environment)
    {
        string featureColumnName = (string?)data["featureColumnName"] ?? throw new InvalidOperationException("no 'featureColumnName'");
        double threshold = data["threshold"]?.GetValue<double>() ?? throw new InvalidOperationException("no 'threshold'");
        var model = PersistedKinds.Load<IScorer>(PersistedFamily.Scorer, data["model"], environment);
        var actionSet = ActionSetJson.FromJson(data["actionSet"] as JsonObject ?? throw new InvalidOperationException("no 'actionSet' object"));
        var generator = PersistedKinds.Load<IRecourseGenerator>(PersistedFamily.Generator, data["generator"], environment);
        return new RecourseEstimator(environment, model, actionSet, generator, threshold, featureColumnName).CreateTransformer();
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

    private sealed class Mapper(RecourseTransformer parent, DataViewSchema inputSchema, DataViewSchema.Column features)
        : RowMapper(inputSchema, OutputColumns(parent.ActionSet.FeatureCount).Select(c => new OutputColumn(c.Name, c.Type)).ToArray())
    {
        public override IEnumerable<DataViewSchema.Column> Dependencies(Func<int, bool> isOutputActive)
            => Enumerable.Range(0, Outputs.Count).Any(isOutputActive) ? [features] : [];

        public override Delegate?[] CreateGetters(DataViewRow input, Func<int, bool> isOutputActive, IDataView? source, out Action? disposer)
        {
            disposer = null;
            var getters = new Delegate?[Outputs.Count];
            if (!Enumerable.Range(0, Outputs.Count).Any(isOutputActive)) return getters;
            int d = parent.ActionSet.FeatureCount;
            var statistics = new BlockStatistics();
            var blocks = source is null ? null : new BlockReader(source, features, d);
            var rowGetter = input.GetGetter<VBuffer<float>>(features);
            var buffer = default(VBuffer<float>);
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
                        rowGetter(ref buffer);
                        (rows, count) = (ReadRow(buffer, d, position), 1);
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

        private double[] ReadRow(VBuffer<float> buffer, int d, long position)
        {
            var dense = new float[d];
            buffer.CopyTo(dense);
            ColumnChecks.CheckFinite(dense, features, position);
            return Array.ConvertAll(dense, v => (double)v);
        }

        /// <summary>
        /// Reads the feature column ahead of the caller's cursor with a second cursor over the same view, so that a
        /// block of rows goes through the generator together; the view's row order is the same for both cursors.
        /// </summary>
        private sealed class BlockReader(IDataView source, DataViewSchema.Column features, int d) : IDisposable
        {
            private DataViewRowCursor? _cursor;
            private ValueGetter<VBuffer<float>>? _getter;
            private VBuffer<float> _buffer;

            public (double[] Rows, int Count) Read(long start, int maximumRows)
            {
                if (_cursor is null || _cursor.Position >= start)
                {
                    _cursor?.Dispose();
                    _cursor = source.GetRowCursor([source.Schema[features.Index]]);
                    _getter = _cursor.GetGetter<VBuffer<float>>(_cursor.Schema[features.Index]);
                }
                while (_cursor.Position < start - 1 && _cursor.MoveNext()) { }
                var rows = new double[maximumRows * d];
                int count = 0;
                var dense = new float[d];
                while (count < maximumRows && _cursor.MoveNext())
                {
                    _getter!(ref _buffer);
                    _buffer.CopyTo(dense);
                    ColumnChecks.CheckFinite(dense, features, _cursor.Position);
                    for (int j = 0; j < d; j++) rows[count * d + j] = dense[j];
                    count++;
                }
                Contracts.Check(count > 0, FormattableString.Invariant(
                    $"The input view returned fewer rows to a second cursor than to the first (row {start}); recourse needs a view whose cursors see the same rows."));
                return (rows, count);
            }

            public void Dispose() => _cursor?.Dispose();
        }
    }
}
