using Microsoft.ML.Recourse.Actions;
using Microsoft.ML.Recourse.Models;

namespace Microsoft.ML.Recourse.Tests.TestFramework;

/// <summary>
/// A test-only generator: it proposes the same step δ for every row, through the library's Δ gate, and certifies
/// rows whose feature <c>infeasibleWhenPositive</c> is positive as infeasible.
/// </summary>
internal sealed class FixedStepGenerator(double[] step, int infeasibleWhenPositive = -1) : IRecourseGenerator
{
    public string Name => "fixedStep";

    public int Calls { get; private set; }

    public IReadOnlyList<RecourseResult> Generate(IScorer model, double threshold, ActionSet actionSet, ReadOnlyMemory<double> rows, CancellationToken cancellationToken = default)
    {
        RecourseGate.CheckArguments(model, threshold, actionSet, rows);
        Calls++;
        int d = model.FeatureCount;
        var results = new RecourseResult[rows.Length / d];
        for (int i = 0; i < results.Length; i++)
        {
            var x = rows.Span.Slice(i * d, d);
            double score = model.Score(x);
            results[i] = infeasibleWhenPositive >= 0 && x[infeasibleWhenPositive] > 0
                ? RecourseGate.None(score, RecourseStatus.Infeasible, "test certificate")
                : RecourseGate.Accept(Name, i, model, threshold, actionSet, x, step, score);
        }
        return results;
    }
}
