using Microsoft.ML.Recourse.Actions;
using Microsoft.ML.Recourse.Models;

namespace Microsoft.ML.Recourse;

/// <summary>How a recourse search for one row ended.</summary>
public enum RecourseStatus
{
    /// <summary>The generator returned an action δ ∈ Δ; <see cref="RecourseResult.IsValid"/> says whether the model accepts x + δ.</summary>
    Found,

    /// <summary>
    /// The generator proved that no action in Δ makes the (possibly linearised) model accept the row — a certificate,
    /// not a failure. <see cref="RecourseResult.Message"/> says what was proven.
    /// </summary>
    Infeasible,

    /// <summary>The search ended without an action (e.g. no λ of a Wachter sweep reached the target).</summary>
    NotFound,

    /// <summary>A solver limit (time, iterations, nodes) stopped the search before it finished.</summary>
    Limit,
}

/// <summary>
/// The recourse computed for one row: the action δ (in the model's units), the counterfactual x + δ, its cost, and
/// whether the model accepts the counterfactual at the threshold θ₀. Every δ has passed the action set's
/// <see cref="ActionSet.Contains"/> gate before it is returned.
/// </summary>
/// <param name="Delta">The action δ, or <see langword="null"/> when the generator produced none.</param>
/// <param name="Counterfactual">x + δ, or <see langword="null"/> when there is no δ.</param>
/// <param name="Cost">The action set's cost of δ (weighted L1 in standardised units), or NaN when there is no δ.</param>
/// <param name="ScoreBefore">g(x).</param>
/// <param name="ScoreAfter">g(x + δ), or NaN when there is no δ.</param>
/// <param name="IsValid">Whether g(x + δ) ≥ θ₀: the row has recourse.</param>
/// <param name="Status">How the search ended.</param>
/// <param name="Message">A certificate or note from the generator, or <see langword="null"/>.</param>
public sealed record RecourseResult(
    IReadOnlyList<double>? Delta,
    IReadOnlyList<double>? Counterfactual,
    double Cost,
    double ScoreBefore,
    double ScoreAfter,
    bool IsValid,
    RecourseStatus Status,
    string? Message = null);

/// <summary>
/// A recourse generator: an algorithm A(x) that proposes an action δ ∈ Δ so that the model accepts x + δ.
/// Implementations are immutable and thread-safe; they run batched and in parallel over rows where the model allows.
/// </summary>
public interface IRecourseGenerator
{
    /// <summary>Gets a short name for tables and files, e.g. <c>onestep</c>, <c>gradient</c>, <c>linearIp</c>.</summary>
    string Name { get; }

    /// <summary>Computes recourse for every row.</summary>
    /// <param name="model">
    /// The fitted scorer g. Generators that need input gradients require an <see cref="IDifferentiableScorer"/> and
    /// reject other scorers with an <see cref="ArgumentOutOfRangeException"/> naming the alternative.
    /// </param>
    /// <param name="threshold">The decision threshold θ₀: a row is accepted when g(x) ≥ θ₀. Range: 0 &lt; θ₀ &lt; 1.</param>
    /// <param name="actionSet">The allowed actions Δ; its feature count must equal the model's.</param>
    /// <param name="rows">rows × d feature values in the model's units, row-major.</param>
    /// <param name="cancellationToken">Stops a long run.</param>
    /// <returns>One result per row, in order.</returns>
    IReadOnlyList<RecourseResult> Generate(
        IScorer model,
        double threshold,
        ActionSet actionSet,
        ReadOnlyMemory<double> rows,
        CancellationToken cancellationToken = default);
}
