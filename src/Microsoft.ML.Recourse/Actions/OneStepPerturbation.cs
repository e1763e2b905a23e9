using Microsoft.ML.Recourse.Optimization;

namespace Microsoft.ML.Recourse.Actions;

/// <summary>
/// The one-step perturbation δ* = argmin_{δ∈Δ(x)} cᵀδ with c = ∓∇ₓg(x) (see <see cref="PerturbationDirection"/>):
/// the single definition used by the one-step generator and the recourse-aware trainers. The general path is
/// <see cref="ActionSet.Minimize"/> (closed form without general constraints, GLOP with them); when the action set
/// is a product of intervals (<see cref="ActionSet.IsSeparable"/>) the same closed form runs here on spans without
/// allocating: cⱼ &gt; 0 takes the lower end of the box, cⱼ &lt; 0 the upper end and cⱼ = 0 keeps δⱼ = 0.
/// Immutable and thread-safe.
/// </summary>
internal sealed class OneStepPerturbation
{
    private readonly double _sign;

    public OneStepPerturbation(ActionSet actionSet, PerturbationDirection direction)
    {
        ActionSet = Contracts.CheckValue(actionSet, nameof(actionSet));
        Contracts.CheckParam(Enum.IsDefined(direction), nameof(direction), $"Unknown perturbation direction {direction}.");
        Direction = direction;
        _sign = direction == PerturbationDirection.Recourse ? -1 : 1;
        StepsPassTheGate = actionSet.IsSeparable && actionSet.Actions.All(a => !a.HasGrid);
    }

    public ActionSet ActionSet { get; }

    public PerturbationDirection Direction { get; }

    /// <summary>
    /// Gets whether every optimal δ* of <see cref="MinimizeBatch"/> passes the Δ gate by construction: on a product of
    /// boxes without grids each δⱼ is 0 or an end of its box, both inside it, so the gate's check can be skipped.
    /// </summary>
    public bool StepsPassTheGate { get; }

    /// <summary>Writes the objective c = −∇ₓg (<see cref="PerturbationDirection.Recourse"/>) or +∇ₓg (<see cref="PerturbationDirection.ReferenceCode"/>).</summary>
    public void Objective(ReadOnlySpan<double> gradient, Span<double> objective)
    {
        for (int j = 0; j < gradient.Length; j++)
            objective[j] = _sign * gradient[j];
    }

    /// <summary>δ* for one row by the general path, <see cref="ActionSet.Minimize"/>; the reference for the fast path.</summary>
    public PerturbationResult Minimize(ReadOnlySpan<double> x, ReadOnlySpan<double> gradient, CancellationToken cancellationToken = default)
    {
        var objective = new double[gradient.Length];
        Objective(gradient, objective);
        return ActionSet.Minimize(x, objective, cancellationToken);
    }

    /// <summary>
    /// Writes δ* for each row of <paramref name="rows"/> (rows × d, row-major) into <paramref name="deltas"/> and its
    /// status into <paramref name="statuses"/>; a row whose problem has no optimum gets δ = 0 and its status (call
    /// <see cref="Minimize"/> on it for the solver's message). Separable action sets allocate nothing.
    /// </summary>
    public void MinimizeBatch(ReadOnlySpan<double> rows, ReadOnlySpan<double> gradients, Span<double> deltas, Span<LinearProgramStatus> statuses,
        CancellationToken cancellationToken = default)
    {
        int d = ActionSet.FeatureCount, count = statuses.Length;
        if (rows.Length != count * d || gradients.Length != rows.Length || deltas.Length != rows.Length)
            throw new ArgumentOutOfRangeException(nameof(rows), FormattableString.Invariant(
                $"Expected {count} rows × {d} features of rows, gradients and deltas; got {rows.Length}, {gradients.Length} and {deltas.Length} values."));
        bool separable = ActionSet.IsSeparable;
        for (int r = 0; r < count; r++)
        {
            var x = rows.Slice(r * d, d);
            var gradient = gradients.Slice(r * d, d);
            var delta = deltas.Slice(r * d, d);
            if (separable)
            {
                statuses[r] = MinimizeSeparable(x, gradient, delta);
                continue;
            }
            cancellationToken.ThrowIfCancellationRequested();
            var result = Minimize(x, gradient, cancellationToken);
            statuses[r] = result.Status;
            if (result.IsOptimal)
                for (int j = 0; j < d; j++) delta[j] = result.Delta[j];
            else
                delta.Clear();
        }
    }

    // The closed form of PerturbationPolytope.Minimize for a product of intervals, with the same boxes and checks.
    private LinearProgramStatus MinimizeSeparable(ReadOnlySpan<double> x, ReadOnlySpan<double> gradient, Span<double> delta)
    {
        var boxes = ActionSet.Boxes;
        for (int j = 0; j < x.Length; j++)
        {
            double c = _sign * gradient[j];
            // Messages are built only on failure: this runs for every row of every training step.
            if (!double.IsFinite(x[j]))
                throw new ArgumentOutOfRangeException("x", FormattableString.Invariant($"Feature '{ActionSet.Features[j].Name}' of the row is not finite ({x[j]})."));
            if (!double.IsFinite(c))
                throw new ArgumentOutOfRangeException("objective", FormattableString.Invariant(
                    $"Objective coefficient of '{ActionSet.Features[j].Name}' is not finite ({c}): the model's input gradient overflowed."));
            if (c == 0)
            {
                delta[j] = 0;
                continue;
            }
            double end = c > 0 ? boxes[j].Lower(x[j]) : boxes[j].Upper(x[j]);
            if (double.IsInfinity(end))
            {
                delta.Clear();
                return LinearProgramStatus.Unbounded;
            }
            delta[j] = end;
        }
        return LinearProgramStatus.Optimal;
    }
}
