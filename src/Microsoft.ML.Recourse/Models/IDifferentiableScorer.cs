namespace Microsoft.ML.Recourse.Models;

/// <summary>
/// A fitted, immutable scorer g(x) ∈ [0, 1]: the probability of the favourable outcome. It may be a black box.
/// All methods are thread-safe. Batched methods take row-major matrices of <c>rows × <see cref="FeatureCount"/></c> values.
/// </summary>
public interface IScorer
{
    /// <summary>Gets the number of input features d.</summary>
    int FeatureCount { get; }

    /// <summary>Computes g(x) for one row.</summary>
    /// <param name="features">d feature values.</param>
    double Score(ReadOnlySpan<double> features);

    /// <summary>Computes g for a batch of rows.</summary>
    /// <param name="features">rows × d values, row-major.</param>
    /// <param name="scores">One output per row.</param>
    void ScoreBatch(ReadOnlySpan<double> features, Span<double> scores);
}

/// <summary>A scorer that is also differentiable with respect to its input, as gradient-based recourse needs.</summary>
public interface IDifferentiableScorer : IScorer
{
    /// <summary>Computes g and its input gradient ∇ₓg for a batch of rows.</summary>
    /// <param name="features">rows × d values, row-major.</param>
    /// <param name="scores">One output per row.</param>
    /// <param name="inputGradients">rows × d outputs, row-major.</param>
    void ScoreAndInputGradientBatch(ReadOnlySpan<double> features, Span<double> scores, Span<double> inputGradients);
}
