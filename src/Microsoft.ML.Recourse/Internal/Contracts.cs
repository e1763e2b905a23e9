using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace Microsoft.ML.Recourse;

/// <summary>
/// Argument, schema and state checks with ML.NET's exception types and messages.
/// Order of use: null → parameter range → schema → state.
/// </summary>
internal static class Contracts
{
    /// <summary>Throws <see cref="ArgumentNullException"/> when <paramref name="value"/> is null.</summary>
    public static T CheckValue<T>([NotNull] T? value, string paramName) where T : class
    {
        ArgumentNullException.ThrowIfNull(value, paramName);
        return value;
    }

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> when <paramref name="condition"/> is false.</summary>
    public static void CheckParam([DoesNotReturnIf(false)] bool condition, string paramName, string message)
    {
        if (!condition)
            throw new ArgumentOutOfRangeException(paramName, message);
    }

    /// <summary>Throws <see cref="InvalidOperationException"/> when <paramref name="condition"/> is false.</summary>
    public static void Check([DoesNotReturnIf(false)] bool condition, string message)
    {
        if (!condition)
            throw new InvalidOperationException(message);
    }

    /// <summary>ML.NET's "Could not find {role} column '{name}'".</summary>
    public static ArgumentOutOfRangeException ExceptSchemaMismatch(string paramName, string columnRole, string columnName)
        => new(paramName, string.Format(CultureInfo.InvariantCulture, "Could not find {0} column '{1}'", columnRole, columnName));

    /// <summary>ML.NET's "Schema mismatch for {role} column '{name}': expected {expected}, got {actual}".</summary>
    public static ArgumentOutOfRangeException ExceptSchemaMismatch(string paramName, string columnRole, string columnName, string expectedType, string actualType)
        => new(paramName, string.Format(CultureInfo.InvariantCulture,
            "Schema mismatch for {0} column '{1}': expected {2}, got {3}", columnRole, columnName, expectedType, actualType));

    /// <summary>Throws when a probability-like parameter lies outside the open interval (0, 1).</summary>
    public static void CheckOpenUnitInterval(double value, string paramName)
        => CheckParam(value > 0 && value < 1, paramName,
            FormattableString.Invariant($"Must lie strictly between 0 and 1; got {value}."));

    /// <summary>Throws when <paramref name="value"/> is negative or not finite.</summary>
    public static void CheckNonNegative(double value, string paramName)
        => CheckParam(double.IsFinite(value) && value >= 0, paramName,
            FormattableString.Invariant($"Must be a finite value ≥ 0; got {value}."));

    /// <summary>Throws when <paramref name="value"/> is not strictly positive and finite.</summary>
    public static void CheckPositive(double value, string paramName)
        => CheckParam(double.IsFinite(value) && value > 0, paramName,
            FormattableString.Invariant($"Must be a finite value > 0; got {value}."));

    /// <summary>Throws when <paramref name="value"/> is not a positive integer.</summary>
    public static void CheckPositive(int value, string paramName)
        => CheckParam(value > 0, paramName, FormattableString.Invariant($"Must be > 0; got {value}."));
}
