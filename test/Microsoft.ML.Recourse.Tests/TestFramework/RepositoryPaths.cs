namespace Microsoft.ML.Recourse.Tests.TestFramework;

/// <summary>Files of the repository the tests run from (examples, README), found above the test binaries.</summary>
internal static class RepositoryPaths
{
    /// <summary>The folder that holds <c>Microsoft.ML.Recourse.sln</c>.</summary>
    public static string Root { get; } = FindRoot();

    /// <summary>A path inside the repository, e.g. <c>docs/examples/pd-game.json</c>.</summary>
    public static string File(string relativePath) => Path.Combine(Root, relativePath);

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (System.IO.File.Exists(Path.Combine(dir.FullName, "Microsoft.ML.Recourse.sln"))) return dir.FullName;
        throw new InvalidOperationException($"No Microsoft.ML.Recourse.sln above the test binaries ({AppContext.BaseDirectory}).");
    }
}
