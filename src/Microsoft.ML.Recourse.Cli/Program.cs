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
        root.Subcommands.Add(ExplainCommand.Create());
        root.Subcommands.Add(PacCommand.Create());
        root.Subcommands.Add(PersuadeCommand.Create());
        root.Subcommands.Add(ReproduceCommand.Create());
        root.Subcommands.Add(MultiAgentCommand.Create());
        root.Subcommands.Add(TrainCommand.Create());
        NumericOptions.ApplyDefaults(root);
        return root;
    }

    /// <summary>Runs the tool.</summary>
    public static int Main(string[] args)
    {
        ConsoleSetup.Configure();
        return Run(args, new InvocationConfiguration());
    }

    /// <summary>
    /// Parses and runs a command line. A command line that does not parse gets one <c>error: …</c> line per problem
    /// (each names the flag) and a pointer to the command's help on the error writer, and exit code 1.
    /// </summary>
    public static int Run(string[] args, InvocationConfiguration configuration)
    {
        var parse = BuildRootCommand().Parse(args);
        if (parse.Errors.Count == 0) return parse.Invoke(configuration);
        foreach (var error in parse.Errors)
            configuration.Error.WriteLine($"error: {error.Message}");
        string command = string.Join(' ', parse.CommandResult.Command.Name == parse.RootCommandResult.Command.Name
            ? ["recourse"] : Path(parse.CommandResult));
        configuration.Error.WriteLine($"Run '{command} --help' for the options.");
        return 1;
    }

    private static IEnumerable<string> Path(System.CommandLine.Parsing.CommandResult result)
    {
        var names = new List<string>();
        for (var r = result; r is not null; r = r.Parent as System.CommandLine.Parsing.CommandResult)
            names.Insert(0, r.Parent is null ? "recourse" : r.Command.Name);
        return names;
    }
}
