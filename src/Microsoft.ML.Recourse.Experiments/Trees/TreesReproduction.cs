using System.Diagnostics;
using System.Globalization;

namespace Microsoft.ML.Recourse.Experiments.Trees;

/// <summary>
/// <c>recourse reproduce trees</c>: <see cref="TreeRecourseExperiment"/> over several data sets (<see cref="TreeDatasets"/>)
/// and model settings, the first <see cref="Options.Rows"/> test rows each model rejects explained by the exact CP-SAT
/// method and by feature tweaking.
/// </summary>
internal static class TreesReproduction
{
    /// <summary>The settings' names on the command line: a FastTree tree count (20 leaves each) or <c>lightgbm</c>.</summary>
    public const string LightGbmSize = "lightgbm";

    /// <summary>The default <c>--sizes</c>: FastTree 10, 100 and 500 trees × 20 leaves, and LightGbm with its defaults.</summary>
    public static IReadOnlyList<string> DefaultSizes { get; } = ["10", "100", "500", LightGbmSize];

    public sealed class Options
    {
        public string? DataDirectory { get; init; }

        /// <summary>Rejected test rows explained per data set and model. Range: value ≥ 1.</summary>
        public int Rows { get; init; } = 200;

        /// <summary>The split, training and solver seed.</summary>
        public int Seed { get; init; }

        /// <summary>The data sets (names as in <see cref="TreeDatasets.Names"/>); all by default.</summary>
        public IReadOnlyList<string>? Datasets { get; init; }

        /// <summary>The model settings (as <see cref="DefaultSizes"/>); those by default.</summary>
        public IReadOnlyList<string>? Sizes { get; init; }
    }

    public sealed record DatasetResult(TreeExperimentData Data, IReadOnlyList<TreeExperimentResult> Models);

    public sealed record Result(Options Options, IReadOnlyList<string> Datasets, IReadOnlyList<string> Sizes, IReadOnlyList<DatasetResult> Results,
        string Environment, double Seconds);

    /// <summary>Parses a size: a positive FastTree tree count (× 20 leaves) or <see cref="LightGbmSize"/>.</summary>
    /// <param name="size">The size as written.</param>
    /// <param name="option">The option it came from, for the message.</param>
    public static TreeModelSetting Setting(string size, string option)
    {
        if (size == LightGbmSize)
            return new TreeModelSetting("LightGbm defaults", TreeExperimentTrainer.LightGbm, null, null);
        if (int.TryParse(size, NumberStyles.None, CultureInfo.InvariantCulture, out int trees) && trees >= 1)
            return new TreeModelSetting(FormattableString.Invariant($"FastTree {trees}×20"), TreeExperimentTrainer.FastTree, trees, 20);
        throw new ArgumentException($"{option}: '{size}' is neither a FastTree tree count (a whole number ≥ 1, with 20 leaves per tree) nor '{LightGbmSize}'.");
    }

    /// <summary>Checks a data set name.</summary>
    /// <param name="name">The name as written.</param>
    /// <param name="option">The option it came from, for the message.</param>
    public static string Dataset(string name, string option)
        => TreeDatasets.Names.Contains(name) ? name
            : throw new ArgumentException($"{option}: unknown data set '{name}'; the data sets are: {string.Join(", ", TreeDatasets.Names.Select(n => $"'{n}'"))}.");

    public static Result Run(Options options, Action<string> log)
    {
        Contracts.CheckParam(options.Rows >= 1, nameof(options.Rows), $"Must be ≥ 1; got {options.Rows}.");
        var datasets = (options.Datasets ?? TreeDatasets.Names).Select(n => Dataset(n, "--datasets")).ToArray();
        var sizes = (options.Sizes ?? DefaultSizes).ToArray();
        var settings = sizes.Select(s => Setting(s, "--sizes")).ToArray();
        // Load every data set before the long work, so that a missing file fails at once.
        var data = datasets.Select(name => TreeDatasets.Load(name, options.DataDirectory, options.Seed)).ToArray();
        double? loadBefore = MachineLoad.OneMinuteAverage();
        var watch = Stopwatch.StartNew();
        var results = new List<DatasetResult>();
        foreach (var set in data)
        {
            log(FormattableString.Invariant($"{set.Name}: {set.TrainLabels.Length} training and {set.TestLabels.Length} test rows, {set.FeatureCount} features"));
            var models = TreeRecourseExperiment.Run(set, new TreeExperimentOptions { Settings = settings, MaximumRows = options.Rows, Seed = options.Seed },
                line => log($"{set.Name}, {line}"));
            results.Add(new DatasetResult(set, models));
        }
        string environment = FormattableString.Invariant(
            $"{Environment.ProcessorCount} logical cores, {Environment.OSVersion}, .NET {Environment.Version}; 1-minute load average {Load(loadBefore)} before and {Load(MachineLoad.OneMinuteAverage())} after the run");
        return new Result(options, datasets, sizes, results, environment, watch.Elapsed.TotalSeconds);
    }

    private static string Load(double? average) => average?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "unknown";
}
