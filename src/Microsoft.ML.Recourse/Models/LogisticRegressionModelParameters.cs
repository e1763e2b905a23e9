using System.Text.Json.Nodes;
using Microsoft.ML.Recourse.Persistence;

namespace Microsoft.ML.Recourse.Models;

/// <summary>
/// A fitted logistic regression g(x) = σ(wᵀx + b): immutable, inspectable, differentiable in x
/// (∇ₓg = g(1 − g)·w).
/// </summary>
public sealed class LogisticRegressionModelParameters : ScorerModelParameters, IAffineComposableScorer
{
    internal const string Kind = "LogisticRegression";

    /// <summary>Creates a logistic regression from its weights and bias.</summary>
    /// <param name="weights">One finite weight per feature; at least one.</param>
    /// <param name="bias">The finite intercept b.</param>
    public LogisticRegressionModelParameters(IReadOnlyList<double> weights, double bias)
        : this(NetworkFor(Contracts.CheckValue(weights, nameof(weights)).Count), [.. weights, bias])
    {
    }

    internal LogisticRegressionModelParameters(FeedForwardNetwork network, double[] parameters) : base(network, parameters)
    {
        Contracts.CheckParam(network.HiddenLayerCount == 0, nameof(network), "A logistic regression has no hidden layers.");
        Weights = new ReadOnlySlice<double>(parameters[..network.FeatureCount], 0, network.FeatureCount);
        Bias = parameters[network.FeatureCount];
    }

    /// <summary>Gets the weights w, one per feature.</summary>
    public IReadOnlyList<double> Weights { get; }

    /// <summary>Gets the bias (intercept) b.</summary>
    public double Bias { get; }

    internal override string ModelKind => Kind;

    // wᵀ(A·x + c) + b = (Aᵀw)ᵀx + (b + wᵀc): still a logistic regression, so the exact recourse paths apply.
    IScorer IAffineComposableScorer.ComposeAffine(InputMap map)
    {
        var weights = new double[map.InputCount];
        double bias = Bias;
        for (int j = 0; j < map.FeatureCount; j++)
        {
            var f = map.Features[j];
            if (f.Source >= 0) weights[f.Source] += Weights[j] * f.Scale;
            bias += Weights[j] * f.Offset;
        }
        return new LogisticRegressionModelParameters(weights, bias);
    }

    internal static FeedForwardNetwork NetworkFor(int featureCount)
    {
        Contracts.CheckParam(featureCount > 0, "weights", "A logistic regression needs at least one weight.");
        return new FeedForwardNetwork(featureCount, [], Activation.Relu);
    }

    internal override JsonObject ToJson() => new()
    {
        ["weights"] = ToJsonArray(Weights),
        ["bias"] = Bias,
    };

    [PersistedKind(PersistedFamily.Scorer, Kind, 1)]
    internal static LogisticRegressionModelParameters Load(JsonObject data, int version, RecourseEnvironment environment) => FromJson(data);

    internal static LogisticRegressionModelParameters FromJson(JsonObject json)
        => new(DoublesFromJson(json["weights"], "weights"),
            json["bias"]?.GetValue<double>() ?? throw new InvalidOperationException("The logistic regression has no 'bias'."));
}
