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
            parse.InvocationConfiguration.Error.WriteLine($"error: {e.Message}");
            return 1;
        }
    }

    private static bool IsUserFacing(Exception e)
        => e is ArgumentException or InvalidOperationException or FormatException or InvalidDataException or NotSupportedException
            or FileNotFoundException or DirectoryNotFoundException or IOException or UnauthorizedAccessException or DllNotFoundException;
}
