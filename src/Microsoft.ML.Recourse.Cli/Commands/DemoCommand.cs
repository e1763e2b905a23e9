using System.CommandLine;

namespace Microsoft.ML.Recourse.Cli.Commands;

internal static class DemoCommand
{
    public static Command Create()
    {
        var json = new Option<bool>("--json") { Description = "Print one JSON object instead of tables." };
        var command = new Command("demo", "Train a logistic model and an MLP on the embedded synthetic credit data and show recourse for denied applicants.");
        command.Options.Add(json);
        command.SetAction(parse =>
        {
            Console.WriteLine(parse.GetValue(json) ? "{}" : "demo");
            return 0;
        });
        return command;
    }
}
