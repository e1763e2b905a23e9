using System.Globalization;
using Microsoft.ML.Recourse.Actions;

namespace Microsoft.ML.Recourse.Actions;

/// <summary>
/// What the library knows about one feature of the <c>Features</c> vector: its name, how the model's value maps
/// back to the original units (<c>original = Mean + Scale · value</c>), whether it is a category indicator, and how a
/// person may change it.
/// </summary>
/// <param name="Name">The feature name, e.g. <c>hours-per-week</c>.</param>
/// <param name="Mean">The offset of the standardisation; 0 when the feature is used as is.</param>
/// <param name="Scale">The scale of the standardisation (the standard deviation for z-scored features); 1 when used as is. Range: Scale &gt; 0.</param>
/// <param name="IsCategorical">Whether the feature is a 0/1 indicator.</param>
/// <param name="Actionability">How a person may change the feature.</param>
/// <param name="IsInteger">Whether the original value is a whole number (shown without decimals).</param>
/// <param name="Description">A plain-language name used in explanations, e.g. <c>hours worked per week</c>; defaults to <paramref name="Name"/>.</param>
public sealed record FeatureInfo(
    string Name,
    double Mean = 0,
    double Scale = 1,
    bool IsCategorical = false,
    FeatureActionability Actionability = FeatureActionability.Immutable,
    bool IsInteger = false,
    string? Description = null)
{
    /// <summary>Gets the plain-language name.</summary>
    public string DisplayName => Description ?? Name;

    /// <summary>Converts a value in the model's units to the original units.</summary>
    /// <param name="modelValue">The value the model sees.</param>
    public double ToOriginal(double modelValue) => Mean + Scale * modelValue;

    /// <summary>Converts a value in the original units to the model's units.</summary>
    /// <param name="originalValue">The value in the original units.</param>
    public double FromOriginal(double originalValue) => (originalValue - Mean) / Scale;

    /// <summary>Formats a value in the original units (whole numbers for integer features, else up to 3 significant decimals).</summary>
    /// <param name="originalValue">The value in the original units.</param>
    public string Format(double originalValue)
    {
        if (IsInteger && Math.Abs(originalValue - Math.Round(originalValue)) < 1e-9)
            originalValue = Math.Round(originalValue);
        // Round before printing and add +0, so that a tiny negative (from undoing the standardisation of 0) prints as 0, not "-0".
        double rounded = Math.Round(originalValue, Math.Abs(originalValue) >= 100 ? 1 : 3) + 0.0;
        return rounded.ToString("0.###", CultureInfo.InvariantCulture);
    }
}
