using System.Collections;
using System.Text.Json.Nodes;
using Microsoft.ML.Recourse.Persistence;

namespace Microsoft.ML.Recourse.Models;

/// <summary>
/// The base of the library's fitted scorers: a feed-forward network whose logit f(x) gives the probability of the
/// favourable outcome g(x) = σ(f(x)). Immutable and thread-safe; batched methods run SIMD kernels over row chunks
/// and allocate nothing after a thread's first call.
/// </summary>
public abstract class ScorerModelParameters : IDifferentiableScorer, IPersistedScorer
{
    private const int ChunkRows = 32;

    [ThreadStatic]
    private static NetworkWorkspace? t_workspace;

    private readonly double[] _parameters;

    private protected ScorerModelParameters(FeedForwardNetwork network, double[] parameters)
    {
        network.CheckParameterLength(parameters.Length);
        int notFinite = Array.FindIndex(parameters, p => !double.IsFinite(p));
        if (notFinite >= 0)
            throw new ArgumentOutOfRangeException(nameof(parameters), FormattableString.Invariant($"Parameter {notFinite} is not finite ({parameters[notFinite]})."));
        Network = network;
        _parameters = (double[])parameters.Clone(); // the caller keeps no handle on a fitted model's state
    }

    /// <summary>Gets the number of input features d.</summary>
    public int FeatureCount => Network.FeatureCount;

    internal FeedForwardNetwork Network { get; }

    /// <summary>All parameters in the network's layout; never modified.</summary>
    internal ReadOnlySpan<double> Parameters => _parameters;

    internal abstract string ModelKind { get; }

    /// <summary>Computes the logit f(x) for one row.</summary>
    /// <param name="features">d feature values.</param>
    public double ScoreLogit(ReadOnlySpan<double> features)
    {
        CheckRow(features, nameof(features));
        var ws = Workspace(1);
        Network.ForwardInference(_parameters, features, 1, ws);
        return ws.Logits[0];
    }

    /// <summary>Computes the logit f(x) for a batch of rows.</summary>
    /// <param name="features">rows × d values, row-major.</param>
    /// <param name="logits">One output per row.</param>
    public void ScoreLogitBatch(ReadOnlySpan<double> features, Span<double> logits)
    {
        int rows = CheckBatch(features, logits.Length, nameof(features), nameof(logits));
        ScoreLogitBatchCore(features, rows, logits);
    }

    /// <inheritdoc/>
    public double Score(ReadOnlySpan<double> features) => Sigmoid(ScoreLogit(features));

    /// <inheritdoc/>
    public void ScoreBatch(ReadOnlySpan<double> features, Span<double> scores)
    {
        int rows = CheckBatch(features, scores.Length, nameof(features), nameof(scores));
        ScoreLogitBatchCore(features, rows, scores);
        for (int i = 0; i < scores.Length; i++) scores[i] = Sigmoid(scores[i]);
    }

    private void ScoreLogitBatchCore(ReadOnlySpan<double> features, int rows, Span<double> logits)
    {
        var ws = Workspace(Math.Min(rows, ChunkRows));
        int d = FeatureCount;
        for (int start = 0; start < rows; start += ChunkRows)
        {
            int count = Math.Min(ChunkRows, rows - start);
            Network.ForwardInference(_parameters, features.Slice(start * d, count * d), count, ws);
            ws.Logits.AsSpan(0, count).CopyTo(logits.Slice(start, count));
        }
    }

    /// <summary>Computes g(x) and its input gradient ∇ₓg for one row.</summary>
    /// <param name="features">d feature values.</param>
    /// <param name="inputGradient">d outputs: ∂g/∂xⱼ.</param>
    /// <returns>g(x).</returns>
    public double ScoreAndInputGradient(ReadOnlySpan<double> features, Span<double> inputGradient)
    {
        CheckRow(features, nameof(features));
        if (inputGradient.Length != FeatureCount)
            throw new ArgumentOutOfRangeException(nameof(inputGradient), FormattableString.Invariant($"Expected {FeatureCount} values; got {inputGradient.Length}."));
        Span<double> score = stackalloc double[1];
        ScoreAndInputGradientCore(features, 1, score, inputGradient);
        return score[0];
    }

    /// <inheritdoc/>
    public void ScoreAndInputGradientBatch(ReadOnlySpan<double> features, Span<double> scores, Span<double> inputGradients)
    {
        int rows = CheckBatch(features, scores.Length, nameof(features), nameof(scores));
        if (inputGradients.Length != features.Length)
            throw new ArgumentOutOfRangeException(nameof(inputGradients),
                FormattableString.Invariant($"Expected rows × d = {features.Length} values; got {inputGradients.Length}."));
        ScoreAndInputGradientCore(features, rows, scores, inputGradients);
    }

    private void ScoreAndInputGradientCore(ReadOnlySpan<double> features, int rows, Span<double> scores, Span<double> inputGradients)
    {
        var ws = Workspace(Math.Min(rows, ChunkRows));
        int d = FeatureCount;
        for (int start = 0; start < rows; start += ChunkRows)
        {
            int count = Math.Min(ChunkRows, rows - start);
            var x = features.Slice(start * d, count * d);
            Network.ForwardInference(_parameters, x, count, ws);
            var dLogit = ws.RowScratch.AsSpan(0, count);
            for (int r = 0; r < count; r++)
            {
                double g = Sigmoid(ws.Logits[r]);
                scores[start + r] = g;
                dLogit[r] = g * (1 - g);
            }
            Network.InputGradientInference(_parameters, x, count, ws, dLogit, inputGradients.Slice(start * d, count * d));
        }
    }

    internal static double Sigmoid(double logit) => 1 / (1 + Math.Exp(-logit));

    internal static double Logit(double probability) => Math.Log(probability / (1 - probability));

    internal abstract JsonObject ToJson();

    /// <summary>The stored node <c>{"kind", "version", "data"}</c>; each kind registers its loader with <see cref="PersistedKindAttribute"/>.</summary>
    JsonObject IPersistedScorer.Save() => PersistedKinds.Node(ModelKind, 1, ToJson());

    internal static JsonArray ToJsonArray(IEnumerable<double> values) => new(values.Select(v => (JsonNode)JsonValue.Create(v)).ToArray());

    internal static double[] DoublesFromJson(JsonNode? node, string name)
        => (node as JsonArray ?? throw new InvalidOperationException($"'{name}' is not a JSON array of numbers."))
            .Select(v => v?.GetValue<double>() ?? throw new InvalidOperationException($"'{name}' contains null.")).ToArray();

    private NetworkWorkspace Workspace(int rows)
    {
        var ws = t_workspace ??= new NetworkWorkspace();
        ws.EnsureCapacity(Network, rows);
        return ws;
    }

    // Checks on every scoring call build their message only when they fail: these methods run per row.
    private void CheckRow(ReadOnlySpan<double> features, string paramName)
    {
        if (features.Length != FeatureCount)
            throw new ArgumentOutOfRangeException(paramName, FormattableString.Invariant($"Expected {FeatureCount} feature values; got {features.Length}."));
    }

    private int CheckBatch(ReadOnlySpan<double> features, int outputLength, string featuresName, string outputName)
    {
        if (features.Length % FeatureCount != 0)
            throw new ArgumentOutOfRangeException(featuresName,
                FormattableString.Invariant($"Expected rows × {FeatureCount} values; got {features.Length}, not a multiple of {FeatureCount}."));
        int rows = features.Length / FeatureCount;
        if (outputLength != rows)
            throw new ArgumentOutOfRangeException(outputName, FormattableString.Invariant($"Expected one value per row ({rows}); got {outputLength}."));
        return rows;
    }
}

/// <summary>A read-only window on an array that callers cannot cast back to the array.</summary>
internal sealed class ReadOnlySlice<T>(T[] array, int offset, int count) : IReadOnlyList<T>
{
    public T this[int index] => (uint)index < (uint)count ? array[offset + index] : throw new ArgumentOutOfRangeException(nameof(index));

    public int Count => count;

    public IEnumerator<T> GetEnumerator()
    {
        for (int i = 0; i < count; i++) yield return array[offset + i];
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
