namespace Microsoft.ML.Recourse.Actions;

/// <summary>How a person may change one feature.</summary>
public enum FeatureActionability
{
    /// <summary>The feature cannot change (δⱼ = 0), e.g. age group, race.</summary>
    Immutable,

    /// <summary>The feature may move in both directions.</summary>
    Free,

    /// <summary>The feature may only increase (δⱼ ≥ 0), e.g. years of education.</summary>
    IncreaseOnly,

    /// <summary>The feature may only decrease (δⱼ ≤ 0).</summary>
    DecreaseOnly,
}
