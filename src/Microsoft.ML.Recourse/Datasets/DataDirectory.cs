namespace Microsoft.ML.Recourse.Datasets;

/// <summary>
/// Finds the data sets' folder: an explicit folder first, then the <c>RECOURSE_DATA_DIR</c> environment variable,
/// then a <c>shared/data</c> folder beside the working directory or the application (or any of their parents).
/// </summary>
public static class DataDirectory
{
    /// <summary>The environment variable that names the data folder.</summary>
    public const string EnvironmentVariable = "RECOURSE_DATA_DIR";

    /// <summary>
    /// Returns the full path of <paramref name="relativePath"/> (e.g. <c>german/german.csv</c>) inside the data folder.
    /// </summary>
    /// <param name="relativePath">The file's path relative to the data folder.</param>
    /// <param name="dataDirectory">An explicit data folder (the CLI's <c>--data-dir</c>), or <see langword="null"/> to search.</param>
    /// <param name="howToObtain">A sentence telling the user where the file comes from.</param>
    /// <exception cref="FileNotFoundException">The file is in none of the places searched; the message lists them.</exception>
    public static string Locate(string relativePath, string? dataDirectory = null, string? howToObtain = null)
    {
        ArgumentNullException.ThrowIfNull(relativePath);
        var looked = new List<string>();
        foreach (var dir in Candidates(dataDirectory))
        {
            string path = Path.GetFullPath(Path.Combine(dir, relativePath));
            if (File.Exists(path)) return path;
            looked.Add(path);
        }
        throw new FileNotFoundException(
            $"Data file '{relativePath}' was not found. Looked in: {string.Join("; ", looked.Distinct())}. " +
            $"Pass --data-dir (or the dataDirectory argument) or set {EnvironmentVariable} to the folder that holds it." +
            (howToObtain is null ? "" : " " + howToObtain),
            relativePath);
    }

    private static IEnumerable<string> Candidates(string? explicitDirectory)
    {
        if (!string.IsNullOrEmpty(explicitDirectory))
        {
            yield return explicitDirectory;
            yield break;
        }
        if (Environment.GetEnvironmentVariable(EnvironmentVariable) is { Length: > 0 } env)
        {
            yield return env;
            yield break;
        }
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                string candidate = Path.Combine(dir.FullName, "shared", "data");
                if (Directory.Exists(candidate)) yield return candidate;
            }
        }
        yield return Path.Combine(Directory.GetCurrentDirectory(), "..", "shared", "data");
    }
}
