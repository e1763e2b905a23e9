using Microsoft.ML.Recourse.Tests.TestFramework;
using System.Text.RegularExpressions;

namespace Microsoft.ML.Recourse.Tests.Documentation;

// The README's quick start is samples/quickstart.cs (which CI runs), and its command table lists every command the
// tool has: these tests keep the README from drifting away from the code.
public class ReadmeTests
{
    [Fact]
    public void QuickStart_IsTheQuickstartSample()
    {
        string root = RepositoryPaths.Root;
        string readme = File.ReadAllText(Path.Combine(root, "README.md"));
        var block = Regex.Match(readme, "## Quick start.*?```csharp\n(.*?)```", RegexOptions.Singleline);
        block.Success.Should().BeTrue("the README has a C# quick start");
        string sample = string.Join('\n', File.ReadAllLines(Path.Combine(root, "samples", "quickstart.cs")).Where(l => !l.StartsWith("#:", StringComparison.Ordinal)));
        block.Groups[1].Value.Trim().Should().Be(sample.Trim());
    }

    [Fact]
    public void CommandTable_ListsEveryCommand()
    {
        string readme = File.ReadAllText(Path.Combine(RepositoryPaths.Root, "README.md"));
        foreach (var command in Microsoft.ML.Recourse.Cli.Program.BuildRootCommand().Subcommands)
            readme.Should().Contain($"| `{command.Name}` |", $"the README's command table should describe '{command.Name}'");
    }

    [Fact]
    public void Readme_HasExactlyTheTwoSetUpCommands()
    {
        string readme = File.ReadAllText(Path.Combine(RepositoryPaths.Root, "README.md"));
        var setup = Regex.Match(readme, "## Two commands.*?```bash\n(.*?)```", RegexOptions.Singleline).Groups[1].Value;
        setup.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split('#')[0].Trim())
            .Should().Equal("dotnet run --project src/Microsoft.ML.Recourse.Cli -- demo", "./test.sh");
    }
}
