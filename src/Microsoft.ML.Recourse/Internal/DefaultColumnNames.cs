namespace Microsoft.ML.Recourse;

/// <summary>The fixed column names used by trainers, transformers and the recourse components.</summary>
public static class DefaultColumnNames
{
    /// <summary>The label column: <see cref="bool"/>, <see langword="true"/> for the favourable outcome.</summary>
    public const string Label = "Label";

    /// <summary>The feature column: a known-size vector of <see cref="float"/>.</summary>
    public const string Features = "Features";

    /// <summary>The example weight column: <see cref="float"/>.</summary>
    public const string Weight = "Weight";

    /// <summary>The raw score column: <see cref="float"/>.</summary>
    public const string Score = "Score";

    /// <summary>The probability of the favourable outcome, g(x) ∈ [0, 1]: <see cref="float"/>.</summary>
    public const string Probability = "Probability";

    /// <summary>The predicted label, g(x) ≥ θ₀: <see cref="bool"/>.</summary>
    public const string PredictedLabel = "PredictedLabel";

    /// <summary>The recourse action δ: a vector of <see cref="float"/> the size of <see cref="Features"/>, NaN where no recourse exists.</summary>
    public const string RecourseDelta = "RecourseDelta";

    /// <summary>The cost of the recourse action: <see cref="float"/>, NaN where no recourse exists.</summary>
    public const string RecourseCost = "RecourseCost";

    /// <summary>Whether a valid recourse action was found: <see cref="bool"/>.</summary>
    public const string HasRecourse = "HasRecourse";

    /// <summary>
    /// How the recourse search for a row ended: <see cref="string"/>, <c>Accepted</c> when the model already accepts the
    /// row (no search), otherwise the name of the generator's status (<c>Found</c>,
    /// <c>Infeasible</c>, <c>NotFound</c>, <c>Limit</c>).
    /// </summary>
    public const string RecourseStatus = "RecourseStatus";
}
