using Microsoft.ML.Recourse.Actions;
using Microsoft.ML.Recourse.Models;

namespace Microsoft.ML.Recourse.Tests.TestFramework;

/// <summary>
/// A tiny recourse generator for tests: the action in Δ that raises g most to first order,
/// δ = argmin_{δ∈Δ} −∇g(x)ᵀδ (closed form via <see cref="ActionSet.Minimize"/>), returned through the Δ gate.
/// </summary>
internal sealed class LinearStepGenerator : IRecourseGenerator
{
    public string Name => "linearStep";

    public int Calls { get; private set; }

    public IReadOnlyList<RecourseResult> Generate(IScorer model, double threshold, ActionSet actionSet, ReadOnlyMemory<double> rows, CancellationToken cancellationToken = default)
    {
        RecourseGate.CheckArguments(model, threshold, actionSet, rows);
        var differentiable = model as IDifferentiableScorer ?? throw new ArgumentOutOfRangeException(nameof(model), "linearStep needs a differentiable model.");
        Calls++;
        int d = model.FeatureCount, n = rows.Length / d;
        var scores = new double[n];
        var gradients = new double[rows.Length];
        differentiable.ScoreAndInputGradientBatch(rows.Span, scores, gradients);
        var results = new RecourseResult[n];
        for (int r = 0; r < n; r++)
        {
            var x = rows.Span.Slice(r * d, d);
            var ascent = gradients.AsSpan(r * d, d).ToArray().Select(g => -g).ToArray();
            var step = actionSet.Minimize(x, ascent, cancellationToken);
            results[r] = step.IsOptimal
                ? RecourseGate.Accept(Name, r, model, threshold, actionSet, x, step.Delta.ToArray(), scores[r])
                : RecourseGate.None(scores[r], RecourseStatus.Infeasible, step.Message);
        }
        return results;
    }
}
