using Spectre.Console;

namespace Microsoft.ML.Recourse.Cli;

/// <summary>
/// How the tool writes to the console. On a terminal Spectre.Console draws colours and fits tables to the window. When
/// standard output is not a terminal (a pipe or a file), or <c>NO_COLOR</c> is set (https://no-color.org), no ANSI
/// escape is written; when it is not a terminal, tables are laid out for a wide page (<see cref="RedirectedWidth"/>
/// columns, or <c>COLUMNS</c> if set) so that a pipe gets whole headings and numbers rather than cells cut at 80 columns.
/// </summary>
internal static class ConsoleSetup
{
    /// <summary>The page width for output that is not a terminal, unless <c>COLUMNS</c> says otherwise.</summary>
    public const int RedirectedWidth = 400;

    /// <summary>The console settings for the given environment.</summary>
    /// <param name="outputRedirected">Whether standard output is a pipe or a file.</param>
    /// <param name="noColor">The value of <c>NO_COLOR</c> (any non-empty value turns colours and escapes off).</param>
    /// <param name="columns">The value of <c>COLUMNS</c>.</param>
    /// <param name="output">Where to write.</param>
    public static (AnsiConsoleSettings Settings, int? Width) Choose(bool outputRedirected, string? noColor, string? columns, TextWriter output)
    {
        bool plain = outputRedirected || !string.IsNullOrEmpty(noColor);
        var settings = new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(output),
            Ansi = plain ? AnsiSupport.No : AnsiSupport.Detect,
            ColorSystem = plain ? ColorSystemSupport.NoColors : ColorSystemSupport.Detect,
            Interactive = plain ? InteractionSupport.No : InteractionSupport.Detect,
        };
        int? width = int.TryParse(columns, out int c) && c > 0 ? c : outputRedirected ? RedirectedWidth : null;
        return (settings, width);
    }

    /// <summary>A console over <paramref name="output"/>: the process's own terminal rules when it is standard output,
    /// else plain and wide (a test's or a caller's writer is never a terminal).</summary>
    public static IAnsiConsole For(TextWriter output)
    {
        bool terminal = ReferenceEquals(output, Console.Out) && !Console.IsOutputRedirected;
        var (settings, width) = Choose(!terminal, Environment.GetEnvironmentVariable("NO_COLOR"), Environment.GetEnvironmentVariable("COLUMNS"), output);
        var console = AnsiConsole.Create(settings);
        if (width is int w) console.Profile.Width = w;
        return console;
    }

    /// <summary>Replaces Spectre's shared console with one chosen by <see cref="Choose"/> for this process.</summary>
    public static void Configure()
    {
        AnsiConsole.Console = For(Console.Out);
    }
}
