namespace Microsoft.ML.Recourse.Actions;

/// <summary>
/// How one feature of an <see cref="ActionSet"/> may change. Changes δⱼ are in the model's units (the units of the
/// <c>Features</c> vector); bounds and grids are in the feature's original units and are converted with its
/// <see cref="FeatureInfo"/>.
/// </summary>
public sealed record FeatureAction
{
    /// <summary>Gets the direction in which the feature may move.</summary>
    public FeatureActionability Actionability { get; init; }

    /// <summary>
    /// Gets the largest change in standardised units: |δⱼ| ≤ <see cref="MaximumChange"/> · <see cref="StandardScale"/>.
    /// <see cref="double.PositiveInfinity"/> leaves the change limited by the bounds alone. Range: value &gt; 0.
    /// Does not apply to members of a one-hot group, which move by exactly 0 or ±1.
    /// </summary>
    public double MaximumChange { get; init; }

    /// <summary>
    /// Gets sⱼ, the size of one standardised unit in the model's units: 1 when the model's features are z-scored
    /// (the reference setup), the feature's standard deviation in model units otherwise. Range: value &gt; 0.
    /// </summary>
    public double StandardScale { get; init; } = 1;

    /// <summary>Gets the lowest allowed resulting value xⱼ + δⱼ in original units; <see cref="double.NegativeInfinity"/> for none.</summary>
    public double LowerBound { get; init; } = double.NegativeInfinity;

    /// <summary>Gets the highest allowed resulting value xⱼ + δⱼ in original units; <see cref="double.PositiveInfinity"/> for none.</summary>
    public double UpperBound { get; init; } = double.PositiveInfinity;

    /// <summary>
    /// Gets the step of the grid the resulting value must lie on when the feature changes (original units), or
    /// <see langword="null"/> for a continuous feature. Range: value &gt; 0.
    /// </summary>
    public double? GridStep { get; init; }

    /// <summary>Gets a point of the grid (original units); the grid is <c>GridOrigin + k · GridStep</c> for integer k.</summary>
    public double GridOrigin { get; init; }

    /// <summary>Gets wⱼ, the weight of the feature in the cost Σ wⱼ |δⱼ| / sⱼ. Range: value ≥ 0.</summary>
    public double CostWeight { get; init; } = 1;

    /// <summary>Gets whether the resulting value is restricted to a grid.</summary>
    public bool HasGrid => GridStep is not null;
}
