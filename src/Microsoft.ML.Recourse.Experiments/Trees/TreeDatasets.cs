using Microsoft.ML.Recourse.Actions;
using Microsoft.ML.Recourse.Datasets;

namespace Microsoft.ML.Recourse.Experiments.Trees;

/// <summary>
/// The data sets of <c>recourse reproduce trees</c>, as raw (unscaled) features, the units a tree model is trained on:
/// <list type="bullet">
/// <item><c>adult</c>: <see cref="AdultTreeData"/> (occupation one-hot and mutable, education up, hours, capital).</item>
/// <item><c>compas</c> and <c>german</c>: the features and labels of the project's loaders (Ross et al. 2021
/// preprocessing, <c>docs/datasets.md</c>) with the z-scoring undone; training = their training and validation rows,
/// test = their test rows; their actionability (compas: priors_count free; german: amount free, age up).</item>
/// <item><c>heloc</c>: the 23 numerical FICO features of <c>heloc/heloc.csv</c>, 80 / 20 split; the features about
/// current balances, utilisation, recent inquiries and recent trades are free, the credit history is immutable.</item>
/// </list>
/// Every mutable numerical feature stays within its training range, moves by at most <see cref="AdultTreeData.MaximumChange"/>
/// training standard deviations, costs |δ| / its standard deviation, and moves on whole units when all its values are
/// whole (heloc's are not: its source replaced special codes with column means).
/// </summary>
internal static class TreeDatasets
{
    /// <summary>The data set names, in report order.</summary>
    public static IReadOnlyList<string> Names { get; } = ["adult", "compas", "german", "heloc"];

    /// <summary>The file each data set needs, relative to the data folder.</summary>
    public static string FileOf(string name) => name switch
    {
        "adult" => ReferenceDatasets.AdultFile,
        "compas" => ReferenceDatasets.CompasFile,
        "german" => ReferenceDatasets.GermanFile,
        "heloc" => HelocData.RelativePath,
        _ => throw new ArgumentOutOfRangeException(nameof(name), $"Unknown data set '{name}'; the data sets are: {string.Join(", ", Names)}."),
    };

    // Free HELOC features: what a borrower changes by paying down, not borrowing or not applying; the rest is history.
    private static readonly string[] HelocFree =
    [
        "NetFractionRevolvingBurden", "NetFractionInstallBurden", "NumRevolvingTradesWBalance", "NumInstallTradesWBalance",
        "NumBank2NatlTradesWHighUtilization", "PercentTradesWBalance", "NumInqLast6M", "NumInqLast6Mexcl7days", "NumTradesOpeninLast12M",
    ];

    /// <summary>Loads a data set.</summary>
    /// <param name="name">One of <see cref="Names"/>.</param>
    /// <param name="dataDirectory">The data folder, or <see langword="null"/> to search for <c>shared/data</c>.</param>
    /// <param name="seed">The split seed.</param>
    public static TreeExperimentData Load(string name, string? dataDirectory, int seed)
    {
        switch (name)
        {
            case "adult":
                return AdultTreeData.Load(DataDirectory.Locate(ReferenceDatasets.AdultFile, dataDirectory, ReferenceDatasets.AdultHowToObtain), seed);
            case "compas":
                return FromReference(ReferenceDatasets.Compas(seed, dataDirectory));
            case "german":
                return FromReference(ReferenceDatasets.German(seed, dataDirectory));
            case "heloc":
                return Heloc(HelocData.Load(DataDirectory.Locate(HelocData.RelativePath, dataDirectory, HelocData.HowToObtain)), seed);
            default:
                FileOf(name);
                throw new InvalidOperationException("unreachable");
        }
    }

    private static TreeExperimentData FromReference(RecourseDataset dataset)
    {
        var features = dataset.Features;
        int d = features.Count;
        double[] Raw(DatasetSplit split)
        {
            var z = dataset.GetFeatureMatrix(split);
            for (int i = 0; i < z.Length; i++)
            {
                var f = features[i % d];
                double v = f.ToOriginal(z[i]);
                z[i] = f.IsInteger || f.IsCategorical ? Math.Round(v) : v;
            }
            return z;
        }
        var train = Raw(DatasetSplit.Train).Concat(Raw(DatasetSplit.Validation)).ToArray();
        var trainLabels = dataset.GetLabels(DatasetSplit.Train).Concat(dataset.GetLabels(DatasetSplit.Validation)).ToArray();
        var raw = features.Select(f => new FeatureInfo(f.Name, IsCategorical: f.IsCategorical, Actionability: f.Actionability, IsInteger: f.IsInteger, Description: f.Description)).ToArray();
        var actions = Actions(raw, train, features.Select(f => f.IsCategorical ? 1 : f.Scale).ToArray());
        return new TreeExperimentData(dataset.Name, d, train, trainLabels, Raw(DatasetSplit.Test), dataset.GetLabels(DatasetSplit.Test), actions);
    }

    private static TreeExperimentData Heloc(HelocData heloc, int seed)
    {
        int d = heloc.FeatureCount, n = heloc.RowCount;
        var raw = new double[n * d];
        for (int i = 0; i < raw.Length; i++)
            raw[i] = Math.Round(heloc.Means[i % d] + heloc.Scales[i % d] * heloc.Features[i], 6);
        var order = Enumerable.Range(0, n).ToArray();
        new Random(seed).Shuffle(order);
        int trainCount = (int)(0.8 * n);
        double[] Take(IEnumerable<int> rows) => rows.SelectMany(r => raw.AsSpan(r * d, d).ToArray()).ToArray();
        bool[] Labels(IEnumerable<int> rows) => rows.Select(r => heloc.Labels[r] == 1).ToArray();
        var train = Take(order.Take(trainCount));
        var features = heloc.FeatureNames.Select((name, j) => new FeatureInfo(name,
            Actionability: HelocFree.Contains(name) ? FeatureActionability.Free : FeatureActionability.Immutable,
            IsInteger: Enumerable.Range(0, trainCount).All(r => train[r * d + j] == Math.Round(train[r * d + j])))).ToArray();
        var scales = Enumerable.Range(0, d).Select(j => StandardDeviation(train, d, j)).ToArray();
        return new TreeExperimentData("heloc", d, train, Labels(order.Take(trainCount)), Take(order.Skip(trainCount)), Labels(order.Skip(trainCount)),
            Actions(features, train, scales));
    }

    // Standardised L1 with the given scales, δ_max in those scales, training-range bounds and whole-unit grids on the
    // mutable numerical features.
    private static ActionSet Actions(IReadOnlyList<FeatureInfo> features, double[] train, double[] scales)
    {
        int d = features.Count, n = train.Length / d;
        var builder = ActionSet.CreateBuilder(features, AdultTreeData.MaximumChange);
        for (int j = 0; j < d; j++)
        {
            var f = features[j];
            if (f.IsCategorical || f.Actionability == FeatureActionability.Immutable)
                continue;
            builder.SetStandardScale(f.Name, Math.Max(scales[j], 1e-9));
            double min = double.PositiveInfinity, max = double.NegativeInfinity;
            for (int r = 0; r < n; r++)
            {
                min = Math.Min(min, train[r * d + j]);
                max = Math.Max(max, train[r * d + j]);
            }
            builder.SetBounds(f.Name, min, max);
            if (f.IsInteger)
                builder.SetInteger(f.Name);
        }
        return builder.Build();
    }

    private static double StandardDeviation(double[] rows, int d, int j)
    {
        int n = rows.Length / d;
        double mean = 0, square = 0;
        for (int r = 0; r < n; r++) mean += rows[r * d + j];
        mean /= n;
        for (int r = 0; r < n; r++) square += (rows[r * d + j] - mean) * (rows[r * d + j] - mean);
        return Math.Sqrt(square / n);
    }
}
