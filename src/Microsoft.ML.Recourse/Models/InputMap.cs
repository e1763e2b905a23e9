using System.Text.Json.Nodes;
using Microsoft.ML.Recourse.Persistence;

namespace Microsoft.ML.Recourse.Models;

/// <summary>
/// How a model's features are computed from the user's input vector: feature j = fⱼ(x[sourceⱼ]), with fⱼ a monotone
/// function of one input (affine for copies, concatenations and ML.NET's affine normalisers; the normal CDF of a
/// (log-)standardised value for ML.NET's CDF normalisers). Composing it with a scorer over the features gives a
/// scorer over the inputs, so actions, bounds and costs are in the user's units.
/// </summary>
internal sealed class InputMap
{
    public InputMap(int inputCount, IReadOnlyList<InputFunction> features)
    {
        Contracts.CheckPositive(inputCount, nameof(inputCount));
        Contracts.CheckParam(features.All(f => f.Source >= -1 && f.Source < inputCount), nameof(features), "A feature reads an input outside the input vector.");
        InputCount = inputCount;
        Features = features.ToArray();
    }

    public int InputCount { get; }

    public IReadOnlyList<InputFunction> Features { get; }

    public int FeatureCount => Features.Count;

    public bool IsAffine => Features.All(f => f.Kind == InputFunctionKind.Affine);

    public bool IsIdentity => InputCount == FeatureCount
        && Features.Select((f, j) => f.Source == j && f.Kind == InputFunctionKind.Affine && f.Scale == 1 && f.Offset == 0).All(same => same);

    /// <summary>The features of one input row.</summary>
    public void Apply(ReadOnlySpan<double> inputs, Span<double> features)
    {
        for (int j = 0; j < Features.Count; j++)
        {
            var f = Features[j];
            features[j] = f.Apply(f.Source < 0 ? 0 : inputs[f.Source]);
        }
    }

    /// <summary>A scorer over the inputs: exact composition for scorers that fold an affine map, else a wrapper.</summary>
    public IScorer Compose(IScorer model)
    {
        Contracts.CheckParam(model.FeatureCount == FeatureCount, nameof(model),
            $"The model takes {model.FeatureCount} features but the pipeline produces {FeatureCount}.");
        // A map that copies every input to the feature of the same position (a concatenation of float columns) leaves
        // the model as it is, so generators that need the model's own type (trees) keep working.
        if (IsIdentity) return model;
        if (IsAffine && model is IAffineComposableScorer composable) return composable.ComposeAffine(this);
        return model is IDifferentiableScorer differentiable ? new ComposedDifferentiableScorer(this, differentiable) : new ComposedScorer(this, model);
    }

    public JsonObject ToJson() => new()
    {
        ["inputCount"] = InputCount,
        ["features"] = new JsonArray(Features.Select(f => (JsonNode)f.ToJson()).ToArray()),
    };

    public static InputMap FromJson(JsonObject json)
        => new(json["inputCount"]?.GetValue<int>() ?? throw new InvalidOperationException("the input map has no 'inputCount'"),
            (json["features"] as JsonArray ?? throw new InvalidOperationException("the input map has no 'features' array"))
            .Select((node, j) => InputFunction.FromJson(node as JsonObject ?? throw new InvalidOperationException($"feature {j} of the input map is not an object"))).ToArray());
}

/// <summary>The kinds of per-input functions an <see cref="InputMap"/> composes.</summary>
internal enum InputFunctionKind
{
    /// <summary>y = Scale·x + Offset.</summary>
    Affine,

    /// <summary>y = Φ((x − Mean) / StandardDeviation), ML.NET's CDF normaliser (with ML.NET's approximation of Φ).</summary>
    NormalCdf,

    /// <summary>y = Φ((ln x − Mean) / StandardDeviation) for x &gt; 0 (0 otherwise), ML.NET's log-mean-variance normaliser (with ML.NET's approximation of Φ).</summary>
    LogNormalCdf,
}

/// <summary>One feature as a monotone function of one input (<see cref="Source"/> −1: a constant feature).</summary>
internal sealed record InputFunction(int Source, InputFunctionKind Kind, double Scale, double Offset)
{
    public static InputFunction Identity(int source) => new(source, InputFunctionKind.Affine, 1, 0);

    public static InputFunction Constant(double value) => new(-1, InputFunctionKind.Affine, 0, value);

    public double Apply(double x) => Kind switch
    {
        InputFunctionKind.Affine => Scale * x + Offset,
        InputFunctionKind.NormalCdf => MlNetCdf((x - Offset) / Scale),
        _ => x > 0 ? MlNetCdf((Math.Log(x) - Offset) / Scale) : 0,
    };

    public double Derivative(double x) => Kind switch
    {
        InputFunctionKind.Affine => Scale,
        InputFunctionKind.NormalCdf => MlNetCdfDerivative((x - Offset) / Scale) / Scale,
        _ => x > 0 ? MlNetCdfDerivative((Math.Log(x) - Offset) / Scale) / (Scale * x) : 0,
    };

    // ML.NET's CDF normaliser does not compute Φ: it uses Winitzki's approximation of erf (a = 0.147), up to 1.2e-4 away
    // from Φ. The same formula here keeps the composed features equal to the model's.
    private const double WinitzkiA = 0.147;

    internal static double MlNetCdf(double z)
    {
        double u = z * z / 2, au = WinitzkiA * u;
        return 0.5 + 0.5 * Math.Sign(z) * Math.Sqrt(1 - Math.Exp(-u * (4 / Math.PI + au) / (1 + au)));
    }

    // d/dz of MlNetCdf: with g(u) = u(4/π + au)/(1 + au), u = z²/2, it is |z|·e^(−g)·g′(u) / (4·√(1 − e^(−g))); 1/√(2π) at 0.
    internal static double MlNetCdfDerivative(double z)
    {
        if (z == 0) return 1 / Math.Sqrt(2 * Math.PI);
        double u = z * z / 2, au = WinitzkiA * u;
        double g = u * (4 / Math.PI + au) / (1 + au);
        double dg = (4 / Math.PI + 2 * au + au * au) / ((1 + au) * (1 + au));
        double tail = 1 - Math.Exp(-g);
        return tail <= 0 ? 0 : Math.Abs(z) * Math.Exp(-g) * dg / (4 * Math.Sqrt(tail));
    }

    /// <summary>
    /// This function applied after an affine one, as one record: affine ∘ affine is affine; Φ((a·x + c − μ)/σ) is
    /// Φ((x − (μ − c)/a)/(σ/a)) for a &gt; 0; Φ((ln(a·x) − μ)/σ) is Φ((ln x − (μ − ln a))/σ) for a &gt; 0.
    /// </summary>
    public InputFunction After(InputFunction inner)
    {
        Contracts.Check(inner.Kind == InputFunctionKind.Affine, "Two non-affine normalisations of one column in a row are not supported.");
        return Kind switch
        {
            InputFunctionKind.Affine => new(inner.Source, InputFunctionKind.Affine, Scale * inner.Scale, Scale * inner.Offset + Offset),
            InputFunctionKind.NormalCdf when inner.Scale > 0 => new(inner.Source, Kind, Scale / inner.Scale, (Offset - inner.Offset) / inner.Scale),
            InputFunctionKind.LogNormalCdf when inner.Scale > 0 && inner.Offset == 0 => new(inner.Source, Kind, Scale, Offset - Math.Log(inner.Scale)),
            _ => throw new InvalidOperationException("A CDF normalisation of a shifted or mirrored value is not supported; normalise the raw column."),
        };
    }

    public JsonObject ToJson() => new()
    {
        ["source"] = Source,
        ["kind"] = Kind.ToString(),
        ["scale"] = Scale,
        ["offset"] = Offset,
    };

    public static InputFunction FromJson(JsonObject json)
        => new(json["source"]?.GetValue<int>() ?? throw new InvalidOperationException("a feature of the input map has no 'source'"),
            Enum.Parse<InputFunctionKind>((string?)json["kind"] ?? throw new InvalidOperationException("a feature of the input map has no 'kind'")),
            json["scale"]?.GetValue<double>() ?? throw new InvalidOperationException("a feature of the input map has no 'scale'"),
            json["offset"]?.GetValue<double>() ?? throw new InvalidOperationException("a feature of the input map has no 'offset'"));
}

/// <summary>A scorer that can fold an affine input map into its own parameters, giving an exact scorer of its kind.</summary>
internal interface IAffineComposableScorer
{
    IScorer ComposeAffine(InputMap map);
}

/// <summary>A scorer over the inputs: the map's features, then the model.</summary>
internal class ComposedScorer(InputMap map, IScorer model) : IScorer, IPersistedScorer
{
    internal const string Kind = "Composed";

    public InputMap Map { get; } = map;

    public IScorer Model { get; } = model;

    public int FeatureCount => Map.InputCount;

    public double Score(ReadOnlySpan<double> features)
    {
        Span<double> mapped = stackalloc double[Map.FeatureCount];
        Map.Apply(features, mapped);
        return Model.Score(mapped);
    }

    public void ScoreBatch(ReadOnlySpan<double> features, Span<double> scores)
    {
        var mapped = MapBatch(features, scores.Length);
        Model.ScoreBatch(mapped, scores);
    }

    protected double[] MapBatch(ReadOnlySpan<double> features, int rows)
    {
        int n = Map.InputCount, d = Map.FeatureCount;
        Contracts.CheckParam(features.Length == rows * n, nameof(features), FormattableString.Invariant($"Expected {rows} × {n} values; got {features.Length}."));
        var mapped = new double[rows * d];
        for (int r = 0; r < rows; r++) Map.Apply(features.Slice(r * n, n), mapped.AsSpan(r * d, d));
        return mapped;
    }

    JsonObject IPersistedScorer.Save()
    {
        if (Model is not IPersistedScorer inner)
            throw new NotSupportedException($"A scorer composed with a {Model.GetType().Name} cannot be saved.");
        return PersistedKinds.Node(Kind, 1, new JsonObject { ["map"] = Map.ToJson(), ["model"] = inner.Save() });
    }

    [PersistedKind(PersistedFamily.Scorer, Kind, 1)]
    internal static IScorer Load(JsonObject data, int version, RecourseEnvironment environment)
    {
        var map = InputMap.FromJson(data["map"] as JsonObject ?? throw new InvalidOperationException("no 'map' object"));
        return map.Compose(PersistedKinds.Load<IScorer>(PersistedFamily.Scorer, data["model"], environment));
    }
}

/// <summary>A composed scorer whose input gradient follows the chain rule through the map.</summary>
internal sealed class ComposedDifferentiableScorer(InputMap map, IDifferentiableScorer model) : ComposedScorer(map, model), IDifferentiableScorer
{
    public void ScoreAndInputGradientBatch(ReadOnlySpan<double> features, Span<double> scores, Span<double> inputGradients)
    {
        int n = Map.InputCount, d = Map.FeatureCount, rows = scores.Length;
        var mapped = MapBatch(features, rows);
        var featureGradients = new double[rows * d];
        model.ScoreAndInputGradientBatch(mapped, scores, featureGradients);
        inputGradients.Clear();
        for (int r = 0; r < rows; r++)
        {
            for (int j = 0; j < d; j++)
            {
                var f = Map.Features[j];
                if (f.Source < 0) continue;
                inputGradients[r * n + f.Source] += featureGradients[r * d + j] * f.Derivative(features[r * n + f.Source]);
            }
        }
    }
}
