using System.CommandLine;

namespace Microsoft.ML.Recourse.Cli.Commands;

using Command = System.CommandLine.Command;

/// <summary><c>recourse reproduce &lt;paper&gt;</c>: the parent of the paper-reproduction commands, one sub-command per paper in its own file.</summary>
internal static class ReproduceCommand
{
    public static Command Create()
    {
        var command = new Command("reproduce", "Re-run a paper's experiments and write JSON, a Markdown report and figures.");
        command.Subcommands.Add(ReproduceHarris2022Command.Create());
        command.Subcommands.Add(ReproduceUpadhyay2021Command.Create());
        command.Subcommands.Add(ReproduceRoss2021Command.Create());
        command.Subcommands.Add(ReproducePacValidityCommand.Create());
        command.Subcommands.Add(ReproduceCausalGermanCommand.Create());
        command.Subcommands.Add(ReproduceAnyModelCommand.Create());
        command.Subcommands.Add(ReproduceTreesCommand.Create());
        return command;
    }
}
