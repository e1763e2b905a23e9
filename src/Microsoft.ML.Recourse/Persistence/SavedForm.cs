using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text.Json.Nodes;
using Microsoft.ML.Data;
using Microsoft.ML.Transforms;

namespace Microsoft.ML.Recourse.Persistence;

/// <summary>A library transformer that can be saved inside an ML.NET model file.</summary>
internal interface IPersistedTransformer : ITransformer
{
    /// <summary>Gets the stored kind, e.g. <c>RecourseTransformer</c>.</summary>
    string Kind { get; }

    /// <summary>Gets the layout version of the stored kind.</summary>
    int KindVersion { get; }

    /// <summary>Gets the input columns the saved form reads and concatenates (scalars or known-size vectors of <see cref="float"/>).</summary>
    IReadOnlyList<string> InputColumnNames { get; }

    /// <summary>Gets the length of the concatenated input vector.</summary>
    int FeatureCount { get; }

    /// <summary>Gets, per input column, its vector size, or <see langword="null"/> for a scalar.</summary>
    IReadOnlyList<int?> InputColumnSizes { get; }

    /// <summary>Gets the columns the transformer adds.</summary>
    SavedOutputs Outputs { get; }

    /// <summary>Writes the fitted state.</summary>
    JsonObject SaveState();
}

/// <summary>The column sets a saved form can produce.</summary>
internal enum SavedOutputs
{
    /// <summary><c>Score</c>, <c>Probability</c>, <c>PredictedLabel</c>.</summary>
    Prediction,

    /// <summary><c>RecourseDelta</c> (vector), <c>RecourseCost</c>, <c>HasRecourse</c>, <c>RecourseStatus</c>.</summary>
    Recourse,
}

/// <summary>Computes the prediction columns of one row, for a loaded model.</summary>
internal interface IPredictionRowFunction
{
    (float Score, float Probability, bool PredictedLabel) Predict(ReadOnlySpan<float> features);
}

/// <summary>Computes the recourse columns of one row, for a loaded model.</summary>
internal interface IRecourseRowFunction
{
    (float[] Delta, float Cost, bool HasRecourse, string Status) Recourse(ReadOnlySpan<float> features);
}

/// <summary>
/// Saves the library's transformers through ML.NET's public API only. ML.NET keeps the writing side of
/// <see cref="ModelSaveContext"/> and its loader registration internal, so a transformer saves itself as a chain of
/// ML.NET's own saveable transforms that carries its state as a value:
/// <list type="number">
/// <item><description>a stateless <c>CustomMapping</c> writes a constant key;</description></item>
/// <item><description><c>MapValue</c> maps that key to the state document (<see cref="ModelState"/>), stored in the file as data;</description></item>
/// <item><description>a stateless <c>CustomMapping</c> registered by contract name reads the state (parsed once and cached) and computes the columns;</description></item>
/// <item><description>for vector outputs, a slot selection fitted to keep the first d slots gives the column its known size
/// (a custom mapping's vector sizes are fixed by its output class, so the vector is produced padded to the next size tier);</description></item>
/// <item><description>copies put the outputs in their final order and names, and the temporary columns are dropped.</description></item>
/// </list>
/// After <c>mlContext.Model.Load</c> the chain runs in a fresh process with no other registration, and
/// <see cref="RecourseModelCatalog"/> reads the state back into the typed transformer.
/// </summary>
internal static class SavedForm
{
    public const string FeaturesColumn = "__Recourse_Features";
    public const string StateKeyColumn = "__Recourse_StateKey";
    public const string StateColumn = "__Recourse_State";
    public const string DeltaPaddedColumn = "__Recourse_DeltaPadded";
    public const string CostColumn = "__Recourse_Cost";
    public const string HasRecourseColumn = "__Recourse_HasRecourse";
    public const string StatusColumn = "__Recourse_Status";
    public const string StateKey = "state";

    private static readonly MLContext Context = new(seed: 0);

    /// <summary>Builds the saved form of <paramref name="transformer"/> and writes it to <paramref name="context"/>.</summary>
    public static void Save(IPersistedTransformer transformer, ModelSaveContext context)
    {
        Contracts.CheckValue(context, nameof(context));
        ((ICanSaveModel)Build(transformer)).Save(context);
    }

    /// <summary>The fitted chain of ML.NET transforms that stands for <paramref name="transformer"/> in a model file.</summary>
    public static ITransformer Build(IPersistedTransformer transformer)
    {
        string state = ModelState.Write(PersistedKinds.Node(transformer.Kind, transformer.KindVersion, transformer.SaveState()));
        int d = transformer.FeatureCount;
        var t = Context.Transforms;
        var prefix = t.Concatenate(FeaturesColumn, [.. transformer.InputColumnNames])
            .Append(t.CustomMapping<StateKeyInput, StateKeyOutput>(StateKeyFactory.Map, StateKeyFactory.ContractName))
            .Append(t.Conversion.MapValue(StateColumn, [new KeyValuePair<string, string>(StateKey, state)], StateKeyColumn));
        IEstimator<ITransformer> chain = transformer.Outputs switch
        {
            SavedOutputs.Prediction => prefix
                .Append(t.CustomMapping<ComputeInput, PredictionOutput>((_, _) => { }, PredictionFactory.ContractName))
                .Append(t.DropColumns(FeaturesColumn, StateKeyColumn, StateColumn)),
            SavedOutputs.Recourse => prefix
                .Append(RecourseTier.For(d).CalibrationMapping(Context, d))
                .Append(t.FeatureSelection.SelectFeaturesBasedOnCount(DefaultColumnNames.RecourseDelta, DeltaPaddedColumn, count: 1))
                .Append(t.CopyColumns(DefaultColumnNames.RecourseCost, CostColumn))
                .Append(t.CopyColumns(DefaultColumnNames.HasRecourse, HasRecourseColumn))
                .Append(t.CopyColumns(DefaultColumnNames.RecourseStatus, StatusColumn))
                .Append(t.DropColumns(FeaturesColumn, StateKeyColumn, StateColumn, DeltaPaddedColumn, CostColumn, HasRecourseColumn, StatusColumn)),
            var o => throw new NotSupportedException($"Unknown saved outputs {o}."),
        };
        // The chain only needs its input columns to exist; one synthetic row fits it (the slot selection keeps the d
        // slots the calibration mapping marks). Column sizes come from the transformer's own schema check.
        return chain.Fit(SyntheticRow(transformer));
    }

    private static IDataView SyntheticRow(IPersistedTransformer transformer)
    {
        var builder = new InMemoryDataView.Builder();
        var sizes = transformer.InputColumnSizes;
        for (int i = 0; i < sizes.Count; i++)
        {
            if (sizes[i] is int size) builder.AddVector(transformer.InputColumnNames[i], size, new float[size]);
            else builder.AddScalar(transformer.InputColumnNames[i], [0f]);
        }
        return builder.Build();
    }

    /// <summary>
    /// The parts of a model in pipeline order, with nested chains flattened: the library's transformers as they are,
    /// saved forms (in a model ML.NET loaded) re-created from their state, and ML.NET's own transformers as they are.
    /// </summary>
    public static IReadOnlyList<ITransformer> Parts(ITransformer model, RecourseEnvironment environment)
    {
        var parts = new List<ITransformer>();
        void Add(ITransformer part)
        {
            if (part is IPersistedTransformer || part is not IEnumerable<ITransformer> chain)
            {
                parts.Add(part);
                return;
            }
            if (IsSavedForm(chain))
            {
                parts.Add(PersistedKinds.Load<ITransformer>(PersistedFamily.Transformer, ModelState.Read(FindStates(part).First()), environment));
                return;
            }
            foreach (var inner in chain) Add(inner);
        }
        Add(model);
        return parts;
    }

    // A saved form holds the state-key mapping as its second part, after the copy of the input columns.
    private static bool IsSavedForm(IEnumerable<ITransformer> chain)
        => chain.Skip(1).FirstOrDefault() is CustomMappingTransformer<StateKeyInput, StateKeyOutput>;

    /// <summary>The state documents of every saved form in a loaded model, in pipeline order.</summary>
    public static IEnumerable<string> FindStates(ITransformer model)
    {
        foreach (var chain in Chains(model))
        {
            var parts = chain.ToArray();
            for (int i = 0; i + 1 < parts.Length; i++)
            {
                if (parts[i] is not CustomMappingTransformer<StateKeyInput, StateKeyOutput> keyMapping) continue;
                var row = new InMemoryDataView.Builder().AddScalar("__Recourse_Row", [0f]).Build();
                var withState = parts[i + 1].Transform(keyMapping.Transform(row));
                var column = withState.Schema.GetColumnOrNull(StateColumn);
                if (column is not { Type: TextDataViewType } stateColumn) continue;
                yield return ColumnChecks.ReadText(withState, stateColumn).Single();
            }
        }
    }

    // Fitted chains are TransformerChain<TLast>, loaded ones TransformerChain<ITransformer>: both enumerate their parts.
    private static IEnumerable<IEnumerable<ITransformer>> Chains(ITransformer model)
    {
        if (model is IEnumerable<ITransformer> chain)
        {
            yield return chain;
            foreach (var inner in chain)
                foreach (var nested in Chains(inner))
                    yield return nested;
        }
    }

    /// <summary>Parses each distinct state document once; the mapping sees the same string instance on every row.</summary>
    internal static class StateCache
    {
        private static readonly ConditionalWeakTable<string, object> Parsed = new();

        public static T Get<T>(ReadOnlyMemory<char> state) where T : class
        {
            if (!MemoryMarshal.TryGetString(state, out string? text, out int start, out int length) || start != 0 || length != text.Length)
                text = state.ToString();
            var value = Parsed.GetValue(text, s => PersistedKinds.Load<ITransformer>(PersistedFamily.Transformer, ModelState.Read(s), RecourseEnvironment.Detached));
            return value as T ?? throw ModelState.Corrupt($"its state holds a {value.GetType().Name}, which cannot compute these columns");
        }
    }

    internal sealed class StateKeyInput;

    internal sealed class StateKeyOutput
    {
        [ColumnName(StateKeyColumn)]
        public string StateKey = "";
    }

    [CustomMappingFactoryAttribute(ContractName)]
    internal sealed class StateKeyFactory : CustomMappingFactory<StateKeyInput, StateKeyOutput>
    {
        public const string ContractName = "Microsoft.ML.Recourse.StateKey";

        public static void Map(StateKeyInput input, StateKeyOutput output) => output.StateKey = StateKey;

        public override Action<StateKeyInput, StateKeyOutput> GetMapping() => Map;
    }

    internal sealed class ComputeInput
    {
        [ColumnName(FeaturesColumn)]
        public VBuffer<float> Features;

        [ColumnName(StateColumn)]
        public ReadOnlyMemory<char> State;

        // The loaded chain cannot check the vector's size when its schema is checked (a custom mapping reads vectors of
        // any size), so a row of the wrong size is rejected here with ML.NET's wording.
        public float[] DenseFeatures(IPersistedTransformer owner)
        {
            if (Features.Length != owner.FeatureCount)
                throw new ArgumentOutOfRangeException("input", FormattableString.Invariant(
                    $"The input columns {string.Join(", ", owner.InputColumnNames.Select(c => $"'{c}'"))} hold {Features.Length} values in a row; the model was saved for {owner.FeatureCount}."));
            var dense = new float[Features.Length];
            Features.CopyTo(dense);
            return dense;
        }
    }

    internal sealed class PredictionOutput
    {
        public float Score;
        public float Probability;
        public bool PredictedLabel;
    }

    [CustomMappingFactoryAttribute(ContractName)]
    internal sealed class PredictionFactory : CustomMappingFactory<ComputeInput, PredictionOutput>
    {
        public const string ContractName = "Microsoft.ML.Recourse.Prediction";

        public override Action<ComputeInput, PredictionOutput> GetMapping() => (input, output) =>
        {
            var owner = StateCache.Get<IPersistedTransformer>(input.State);
            (output.Score, output.Probability, output.PredictedLabel) = ((IPredictionRowFunction)owner).Predict(input.DenseFeatures(owner));
        };
    }

    /// <summary>The recourse outputs of one size tier; <c>DeltaPadded</c> is declared by each tier with its size.</summary>
    internal abstract class RecourseOutput
    {
        [ColumnName(CostColumn)]
        public float Cost;

        [ColumnName(HasRecourseColumn)]
        public bool HasRecourse;

        [ColumnName(StatusColumn)]
        public string Status = "";

        public abstract void SetDelta(VBuffer<float> delta);

        public void Fill(IPersistedTransformer owner, ComputeInput input, int tierSize)
        {
            var (delta, cost, hasRecourse, status) = ((IRecourseRowFunction)owner).Recourse(input.DenseFeatures(owner));
            SetDelta(Padded(delta, tierSize));
            (Cost, HasRecourse, Status) = (cost, hasRecourse, status);
        }

        public static VBuffer<float> Padded(float[] values, int size)
            => new(size, values.Length, values, Enumerable.Range(0, values.Length).ToArray());
    }

    /// <summary>One size tier: its output class, contract name and the mapping used when the saved form is built.</summary>
    internal abstract class RecourseTier
    {
        public abstract int Size { get; }

        public static RecourseTier For(int featureCount)
        {
            return Array.Find(All, t => t.Size >= featureCount) ?? throw new NotSupportedException(FormattableString.Invariant(
                $"A recourse transformer over {featureCount} features cannot be saved; a saved model holds at most {All[^1].Size} features."));
        }

        public abstract IEstimator<ITransformer> CalibrationMapping(MLContext context, int featureCount);

        private static readonly RecourseTier[] All =
        [
            new Tier<Recourse4>(), new Tier<Recourse16>(), new Tier<Recourse64>(), new Tier<Recourse256>(), new Tier<Recourse1024>(),
            new Tier<Recourse4096>(), new Tier<Recourse16384>(), new Tier<Recourse65536>(), new Tier<Recourse262144>(),
        ];

        private sealed class Tier<TOutput> : RecourseTier where TOutput : RecourseOutput, ISizedRecourseOutput, new()
        {
            public override int Size => TOutput.TierSize;

            // Marks the first d slots so the fitted slot selection keeps exactly them; the contract name makes a loaded
            // model use the real mapping of the tier's factory.
            public override IEstimator<ITransformer> CalibrationMapping(MLContext context, int featureCount)
                => context.Transforms.CustomMapping<ComputeInput, TOutput>(
                    (_, output) => output.SetDelta(RecourseOutput.Padded(Enumerable.Repeat(1f, featureCount).ToArray(), TOutput.TierSize)),
                    TOutput.ContractName);
        }
    }

    internal interface ISizedRecourseOutput
    {
        static abstract int TierSize { get; }

        static abstract string ContractName { get; }
    }

    internal abstract class RecourseFactory<TOutput> : CustomMappingFactory<ComputeInput, TOutput>
        where TOutput : RecourseOutput, ISizedRecourseOutput, new()
    {
        public override Action<ComputeInput, TOutput> GetMapping()
            => (input, output) => output.Fill(StateCache.Get<IPersistedTransformer>(input.State), input, TOutput.TierSize);
    }

    // One small class per size tier: a custom mapping's vector size is a compile-time attribute.
    internal sealed class Recourse4 : RecourseOutput, ISizedRecourseOutput
    {
        [ColumnName(DeltaPaddedColumn), VectorType(4)] public VBuffer<float> Delta;
        public static int TierSize => 4;
        public static string ContractName => "Microsoft.ML.Recourse.Recourse4";
        public override void SetDelta(VBuffer<float> delta) => Delta = delta;
    }

    [CustomMappingFactoryAttribute("Microsoft.ML.Recourse.Recourse4")] internal sealed class Recourse4Factory : RecourseFactory<Recourse4>;

    internal sealed class Recourse16 : RecourseOutput, ISizedRecourseOutput
    {
        [ColumnName(DeltaPaddedColumn), VectorType(16)] public VBuffer<float> Delta;
        public static int TierSize => 16;
        public static string ContractName => "Microsoft.ML.Recourse.Recourse16";
        public override void SetDelta(VBuffer<float> delta) => Delta = delta;
    }

    [CustomMappingFactoryAttribute("Microsoft.ML.Recourse.Recourse16")] internal sealed class Recourse16Factory : RecourseFactory<Recourse16>;

    internal sealed class Recourse64 : RecourseOutput, ISizedRecourseOutput
    {
        [ColumnName(DeltaPaddedColumn), VectorType(64)] public VBuffer<float> Delta;
        public static int TierSize => 64;
        public static string ContractName => "Microsoft.ML.Recourse.Recourse64";
        public override void SetDelta(VBuffer<float> delta) => Delta = delta;
    }

    [CustomMappingFactoryAttribute("Microsoft.ML.Recourse.Recourse64")] internal sealed class Recourse64Factory : RecourseFactory<Recourse64>;

    internal sealed class Recourse256 : RecourseOutput, ISizedRecourseOutput
    {
        [ColumnName(DeltaPaddedColumn), VectorType(256)] public VBuffer<float> Delta;
        public static int TierSize => 256;
        public static string ContractName => "Microsoft.ML.Recourse.Recourse256";
        public override void SetDelta(VBuffer<float> delta) => Delta = delta;
    }

    [CustomMappingFactoryAttribute("Microsoft.ML.Recourse.Recourse256")] internal sealed class Recourse256Factory : RecourseFactory<Recourse256>;

    internal sealed class Recourse1024 : RecourseOutput, ISizedRecourseOutput
    {
        [ColumnName(DeltaPaddedColumn), VectorType(1024)] public VBuffer<float> Delta;
        public static int TierSize => 1024;
        public static string ContractName => "Microsoft.ML.Recourse.Recourse1024";
        public override void SetDelta(VBuffer<float> delta) => Delta = delta;
    }

    [CustomMappingFactoryAttribute("Microsoft.ML.Recourse.Recourse1024")] internal sealed class Recourse1024Factory : RecourseFactory<Recourse1024>;

    internal sealed class Recourse4096 : RecourseOutput, ISizedRecourseOutput
    {
        [ColumnName(DeltaPaddedColumn), VectorType(4096)] public VBuffer<float> Delta;
        public static int TierSize => 4096;
        public static string ContractName => "Microsoft.ML.Recourse.Recourse4096";
        public override void SetDelta(VBuffer<float> delta) => Delta = delta;
    }

    [CustomMappingFactoryAttribute("Microsoft.ML.Recourse.Recourse4096")] internal sealed class Recourse4096Factory : RecourseFactory<Recourse4096>;

    internal sealed class Recourse16384 : RecourseOutput, ISizedRecourseOutput
    {
        [ColumnName(DeltaPaddedColumn), VectorType(16384)] public VBuffer<float> Delta;
        public static int TierSize => 16384;
        public static string ContractName => "Microsoft.ML.Recourse.Recourse16384";
        public override void SetDelta(VBuffer<float> delta) => Delta = delta;
    }

    [CustomMappingFactoryAttribute("Microsoft.ML.Recourse.Recourse16384")] internal sealed class Recourse16384Factory : RecourseFactory<Recourse16384>;

    internal sealed class Recourse65536 : RecourseOutput, ISizedRecourseOutput
    {
        [ColumnName(DeltaPaddedColumn), VectorType(65536)] public VBuffer<float> Delta;
        public static int TierSize => 65536;
        public static string ContractName => "Microsoft.ML.Recourse.Recourse65536";
        public override void SetDelta(VBuffer<float> delta) => Delta = delta;
    }

    [CustomMappingFactoryAttribute("Microsoft.ML.Recourse.Recourse65536")] internal sealed class Recourse65536Factory : RecourseFactory<Recourse65536>;

    internal sealed class Recourse262144 : RecourseOutput, ISizedRecourseOutput
    {
        [ColumnName(DeltaPaddedColumn), VectorType(262144)] public VBuffer<float> Delta;
        public static int TierSize => 262144;
        public static string ContractName => "Microsoft.ML.Recourse.Recourse262144";
        public override void SetDelta(VBuffer<float> delta) => Delta = delta;
    }

    [CustomMappingFactoryAttribute("Microsoft.ML.Recourse.Recourse262144")] internal sealed class Recourse262144Factory : RecourseFactory<Recourse262144>;
}
