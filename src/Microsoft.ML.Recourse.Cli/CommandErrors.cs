using System.CommandLine;

namespace Microsoft.ML.Recourse.Cli;

/// <summary>
/// The one place that turns the library's errors about bad input or a missing dependency into
/// <c>error: message</c> on the invocation's error writer (standard error unless a test redirects it) and exit code 1;
/// anything else is a bug and keeps its stack trace.
/// </summary>
internal static class CommandErrors
{
    public static int Run(ParseResult parse, Func<int> action)
    {
        try
        {
            return action();
        }
        catch (Exception e) when (IsUserFacing(e))
        {
            parse.InvocationConfiguration.Error.WriteLine($"error: {Message(e)}");
            return 1;
        }
    }

    /// <summary>
    /// The library's parameter names that a CLI flag sets, so that an <see cref="ArgumentException"/> from the library
    /// names the flag the user typed rather than a property (<c>(Parameter 'NumberOfEpochs')</c>).
    /// </summary>
    internal static readonly IReadOnlyDictionary<string, string> FlagOfParameter = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["NumberOfEpochs"] = "--epochs",
        ["BatchSize"] = "--batch-size",
        ["RecourseWeight"] = "--lambda",
        ["obedienceMargin"] = "--obedience-margin",
        ["ObedienceMargin"] = "--obedience-margin",
        ["retrains"] = "--retrains",
        ["robustnessRadius"] = "--delta-max",
        ["RobustnessRadius"] = "--delta-max",
        ["epsilon"] = "--epsilon",
        ["delta"] = "--delta",
        ["calibrationSize"] = "--n",
        ["NumberOfSubjects"] = "--subjects",
        ["NumberOfSeeds"] = "--seeds",
        ["NumberOfSamples"] = "--samples",
        ["PriorVariances"] = "--variances",
        ["GridVariance"] = "--grid-variance",
        ["CalibrationSizes"] = "--sizes",
        ["Draws"] = "--draws",
        ["rowCount"] = "--rows",
        ["NumberOfOptions"] = "--options",
        ["principalMoveCounts"] = "--principal-moves",
    };

    /// <summary>The message without .NET's <c>(Parameter 'name')</c> suffix, led by the flag when the parameter is one.</summary>
    internal static string Message(Exception e)
    {
        if (e is not ArgumentException { ParamName: { } name } argument) return e.Message;
        string message = argument.Message.Replace($" (Parameter '{name}')", "", StringComparison.Ordinal);
        return FlagOfParameter.TryGetValue(name, out var flag) ? $"{flag}: {message}" : message;
    }

    private static bool IsUserFacing(Exception e)
        => e is ArgumentException or InvalidOperationException or FormatException or InvalidDataException or NotSupportedException
            or FileNotFoundException or DirectoryNotFoundException or IOException or UnauthorizedAccessException or DllNotFoundException;
}
