using System.Globalization;

namespace Microsoft.ML.Recourse.Experiments;

/// <summary>
/// The processor count and the one-minute load average (Linux's <c>/proc/loadavg</c>; <see langword="null"/> elsewhere),
/// so that a report's timings say how busy the machine was.
/// </summary>
internal static class MachineLoad
{
    public static int Processors => Environment.ProcessorCount;

    public static double? OneMinuteAverage()
    {
        try
        {
            string text = File.ReadAllText("/proc/loadavg");
            return double.Parse(text.Split(' ')[0], CultureInfo.InvariantCulture);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
            return null;
        }
    }

    /// <summary>A sentence such as "2 processors, load average 1.2 at the start and 3.4 at the end".</summary>
    public static string Describe(double? atStart, double? atEnd)
        => atStart is null || atEnd is null
            ? FormattableString.Invariant($"{Processors} processors (load average not available)")
            : FormattableString.Invariant($"{Processors} processors, one-minute load average {atStart:0.0} at the start and {atEnd:0.0} at the end");
}
