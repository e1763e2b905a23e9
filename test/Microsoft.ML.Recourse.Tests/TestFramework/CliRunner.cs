using System.Diagnostics;

namespace Microsoft.ML.Recourse.Tests.TestFramework;

/// <summary>Runs the built <c>recourse</c> tool as a real process, without colours, and captures its output.</summary>
internal static class CliRunner
{
    public static (int Exit, string Output, string Error) Run(params string[] args) => RunWith(new Dictionary<string, string?> { ["NO_COLOR"] = "1" }, args);

    /// <summary>Runs the tool with these environment variables set (a <see langword="null"/> value removes one).</summary>
    public static (int Exit, string Output, string Error) RunWith(IReadOnlyDictionary<string, string?> environment, params string[] args)
    {
        string cli = Path.Combine(AppContext.BaseDirectory, "recourse.dll");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(cli);
        foreach (var arg in args) start.ArgumentList.Add(arg);
        foreach (var (name, value) in environment)
            if (value is null) start.Environment.Remove(name);
            else start.Environment[name] = value;
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        return (process.ExitCode, output.Result, error.Result);
    }
}
