namespace Microsoft.ML.Recourse;

/// <summary>
/// The exact minimiser of ROAR's robust objective for a logistic model over a box of changes:
/// <c>min_δ softplus(τ − z_rob(x + δ)) + λ Σ cⱼ|δⱼ|, Lⱼ ≤ δⱼ ≤ Uⱼ</c>, with the worst-case logit
/// <c>z_rob(x′) = wᵀx′ + b − ρ(‖x′‖₁ + 1)</c> over parameter shifts ‖Δθ‖∞ ≤ ρ.
/// </summary>
/// <remarks>
/// Each coordinate contributes wⱼx′ⱼ − ρ|x′ⱼ|, concave and piecewise linear with a kink at 0, at a cost cⱼ|x′ⱼ − xⱼ|.
/// Moving coordinate j away from xⱼ raises z_rob along at most two segments (before and after crossing 0), the
/// second with a lower gain; at most one direction has a positive gain. So the cheapest way to reach a worst-case
/// logit t, C(t), is a fractional knapsack over segments taken in decreasing gain per unit cost r, and the objective
/// becomes the one-dimensional convex function softplus(τ − t) + λC(t). Along a segment of rate r its derivative in
/// t is −σ(τ − t) + λ/r, so the optimum takes whole segments while σ(τ − t) &gt; λ/r and stops inside the first one
/// where t reaches τ + ln(r/λ − 1). O(d log d) per row, exact up to rounding.
/// </remarks>
internal static class RobustLogisticSolver
{
    /// <summary>The worst-case logit wᵀx′ + b − ρ(‖x′‖₁ + 1): the logit of the model with every parameter moved by ρ against x′.</summary>
    public static double WorstCaseLogit(ReadOnlySpan<double> weights, double bias, ReadOnlySpan<double> x, double radius)
    {
        double z = bias - radius;
        for (int j = 0; j < x.Length; j++) z += weights[j] * x[j] - radius * Math.Abs(x[j]);
        return z;
    }

    /// <summary>Writes the optimal δ into <paramref name="delta"/>; returns false when the objective has no minimum (a free unbounded segment).</summary>
    public static bool Solve(ReadOnlySpan<double> weights, double bias, ReadOnlySpan<double> x, IReadOnlyList<double> lower, IReadOnlyList<double> upper,
        IReadOnlyList<double> costPerUnitChange, double radius, double recourseWeight, double targetLogit, Span<double> delta, List<Segment> segments)
    {
        segments.Clear();
        delta.Clear();
        for (int j = 0; j < x.Length; j++)
        {
            double xj = x[j], wj = weights[j];
            // Gain of z_rob per unit of movement just after leaving xⱼ upwards / downwards.
            double up = xj < 0 ? wj + radius : wj - radius;
            double down = xj > 0 ? radius - wj : -wj - radius;
            if (up > 0 && upper[j] > 0)
                AddSegments(segments, j, +1, xj < 0 ? -xj : 0, upper[j], up, wj - radius, costPerUnitChange[j]);
            else if (down > 0 && lower[j] < 0)
                AddSegments(segments, j, -1, xj > 0 ? xj : 0, -lower[j], down, -wj - radius, costPerUnitChange[j]);
        }
        segments.Sort(static (a, b) => b.Rate != a.Rate ? b.Rate.CompareTo(a.Rate) : a.Order.CompareTo(b.Order));

        double t = WorstCaseLogit(weights, bias, x, radius);
        foreach (var s in segments)
        {
            double take;
            if (double.IsPositiveInfinity(s.Rate))
            {
                if (double.IsPositiveInfinity(s.Length)) return false;
                take = s.Length;
            }
            else
            {
                if (Sigmoid(targetLogit - t) <= recourseWeight / s.Rate) break;
                double stop = targetLogit + Math.Log(s.Rate / recourseWeight - 1);
                take = Math.Min(s.Length, (stop - t) / s.Gain);
            }
            delta[s.Feature] += s.Direction * take;
            t += s.Gain * take;
            if (take < s.Length) break;
        }
        for (int j = 0; j < x.Length; j++) delta[j] = Math.Clamp(delta[j], lower[j], upper[j]);
        return true;
    }

    private static void AddSegments(List<Segment> segments, int feature, int direction, double untilZero, double room, double firstGain, double secondGain, double cost)
    {
        // The first segment runs to 0 (when xⱼ lies on the other side of 0) or over the whole room; past 0 the gain
        // is w − ρ going up and −w − ρ going down.
        double first = untilZero > 0 ? Math.Min(untilZero, room) : room;
        segments.Add(new Segment(feature, direction, first, firstGain, Rate(firstGain, cost), 2 * feature));
        if (untilZero > 0 && room > untilZero && secondGain > 0)
            segments.Add(new Segment(feature, direction, room - untilZero, secondGain, Rate(secondGain, cost), 2 * feature + 1));
    }

    private static double Rate(double gain, double cost) => cost > 0 ? gain / cost : double.PositiveInfinity;

    private static double Sigmoid(double z) => z >= 0 ? 1 / (1 + Math.Exp(-z)) : Math.Exp(z) / (1 + Math.Exp(z));

    /// <summary>A stretch of one coordinate's movement with a constant gain of z_rob per unit (Gain) and per unit of cost (Rate).</summary>
    internal readonly record struct Segment(int Feature, int Direction, double Length, double Gain, double Rate, int Order);
}
