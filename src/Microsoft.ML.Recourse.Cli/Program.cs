using System.CommandLine;
using Microsoft.ML.Recourse.Cli.Commands;

namespace Microsoft.ML.Recourse.Cli;

/// <summary>The <c>recourse</c> command-line tool.</summary>
public static class Program
{
    /// <summary>Builds the root command; each command lives in its own file under Commands/.</summary>
    public static RootCommand BuildRootCommand()
    {
        var root = new RootCommand("recourse: algorithmic recourse for ML models (Microsoft.ML.Recourse).");
        root.Subcommands.Add(DemoCommand.Create());
        root.Subcommands.Add(PacCommand.Create());
        root.Subcommands.Add(PersuadeCommand.Create());
        root.Subcommands.Add(ReproduceCommand.Create());
        root.Subcommands.Add(TrainCommand.Create());
        return root;
    }

    /// <summary>Runs the tool.</summary>
    public static int Main(string[] args) => BuildRootCommand().Parse(args).Invoke();
}
