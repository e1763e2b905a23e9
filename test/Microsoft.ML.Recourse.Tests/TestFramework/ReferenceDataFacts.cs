using Microsoft.ML.Recourse.Datasets;

namespace Microsoft.ML.Recourse.Tests.TestFramework;

/// <summary>
/// Whether the reference data sets (adult, compas, german, bail, heloc, the model-shift pairs) can be found the way the
/// library finds them (<see cref="DataDirectory"/>); they are not in the repository.
/// </summary>
internal static class ReferenceData
{
    private static readonly string[] Files =
    [
        "adult/adult.csv", "compas/compas-scores-two-years.csv", "german/german.csv", "bail/bail_train.csv",
        "bail/bail_test.csv", "heloc/heloc.csv", "shift/corrected_german.csv", "shift/SBAcase.11.13.17.csv",
        "shift/student-por.csv",
    ];

    public static string? SkipReason { get; } = FindSkipReason();

    private static string? FindSkipReason()
    {
        var missing = new List<string>();
        foreach (string file in Files)
        {
            try { DataDirectory.Locate(file); }
            catch (FileNotFoundException) { missing.Add(file); }
        }
        return missing.Count == 0 ? null :
            $"needs the reference data sets, not found: {string.Join(", ", missing)}. They are not in the repository; " +
            $"put them in ../shared/data or set {DataDirectory.EnvironmentVariable} (see docs/datasets.md).";
    }
}

/// <summary>A fact that reads the reference data sets; skipped with a visible reason when they are absent.</summary>
public sealed class ReferenceDataFactAttribute : FactAttribute
{
    public ReferenceDataFactAttribute()
    {
        if (ReferenceData.SkipReason is { } reason) Skip = reason;
    }
}

/// <summary>A theory that reads the reference data sets; skipped with a visible reason when they are absent.</summary>
public sealed class ReferenceDataTheoryAttribute : TheoryAttribute
{
    public ReferenceDataTheoryAttribute()
    {
        if (ReferenceData.SkipReason is { } reason) Skip = reason;
    }
}
