using System.Globalization;
using Microsoft.ML.Recourse.Actions;

namespace Microsoft.ML.Recourse.Experiments.Trees;

/// <summary>
/// The adult data set (UCI <c>adult.data</c>, 32,561 rows without a header; <c>/work/shared/data/adult/adult.csv</c> in
/// this workspace) as raw, unscaled features for tree models: age, education-num, capital-gain, capital-loss,
/// hours-per-week, male, white, married (Married-civ-spouse) and the occupation one-hot encoded (14 indicators); rows
/// with an unknown occupation (" ?") are dropped; the label is income &gt; 50K. The action set: age, male, white and
/// married are immutable; education-num may only rise, on whole years up to 16; capital-gain and capital-loss are free
/// within [0, the training maximum]; hours-per-week is free on whole hours within [1, 99]; occupation is a mutable
/// one-hot group. A numerical feature moves by at most <see cref="MaximumChange"/> training standard deviations and
/// costs |δ| / its standard deviation (the action set's standardised L1).
/// </summary>
public static class AdultTreeData
{
    /// <summary>The largest change of a numerical feature in training standard deviations.</summary>
    public const double MaximumChange = 2;

    private static readonly string[] Numeric = ["age", "education-num", "capital-gain", "capital-loss", "hours-per-week"];
    private static readonly string[] Binary = ["male", "white", "married"];

    /// <summary>Reads the file, shuffles the rows with <paramref name="seed"/> and splits them 80 / 20 into training and test rows.</summary>
    /// <param name="path">The path of <c>adult.csv</c>.</param>
    /// <param name="seed">The seed of the shuffle.</param>
    public static TreeExperimentData Load(string path, int seed = 0)
    {
        ArgumentNullException.ThrowIfNull(path);
        var records = File.ReadLines(path)
            .Select(line => line.Split(',').Select(field => field.Trim()).ToArray())
            .Where(fields => fields.Length == 15 && fields[6] != "?")
            .ToList();
        if (records.Count == 0)
            throw new InvalidDataException($"'{path}' holds no adult rows (15 comma-separated fields with a known occupation).");
        var occupations = records.Select(r => r[6]).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        int d = Numeric.Length + Binary.Length + occupations.Length;
        var rows = new double[records.Count * d];
        var labels = new bool[records.Count];
        for (int r = 0; r < records.Count; r++)
        {
            var f = records[r];
            var row = rows.AsSpan(r * d, d);
            row[0] = Parse(f[0]);
            row[1] = Parse(f[4]);
            row[2] = Parse(f[10]);
            row[3] = Parse(f[11]);
            row[4] = Parse(f[12]);
            row[5] = f[9] == "Male" ? 1 : 0;
            row[6] = f[8] == "White" ? 1 : 0;
            row[7] = f[5] == "Married-civ-spouse" ? 1 : 0;
            row[8 + Array.IndexOf(occupations, f[6])] = 1;
            labels[r] = f[14].StartsWith(">50K", StringComparison.Ordinal);
        }
        return Split("adult", rows, labels, d, occupations, seed);
    }

    /// <summary>
    /// Synthetic rows of the same shape (for benchmarks when the file is absent): Gaussian-ish numerical features in adult's
    /// ranges, the binaries and one of 14 occupations at random, and a label from a fixed logistic model of them.
    /// </summary>
    /// <param name="count">The number of rows. Range: value ≥ 10.</param>
    /// <param name="seed">The seed.</param>
    public static TreeExperimentData Synthetic(int count, int seed = 0)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 10);
        var random = new Random(seed);
        var occupations = Enumerable.Range(0, 14).Select(k => $"occupation{k}").ToArray();
        int d = Numeric.Length + Binary.Length + occupations.Length;
        var rows = new double[count * d];
        var labels = new bool[count];
        for (int r = 0; r < count; r++)
        {
            var row = rows.AsSpan(r * d, d);
            row[0] = Math.Clamp(Math.Round(38 + 13 * Normal(random)), 17, 90);
            row[1] = Math.Clamp(Math.Round(10 + 2.5 * Normal(random)), 1, 16);
            row[2] = random.NextDouble() < 0.08 ? Math.Round(15_000 * random.NextDouble()) : 0;
            row[3] = random.NextDouble() < 0.05 ? Math.Round(2_500 * random.NextDouble()) : 0;
            row[4] = Math.Clamp(Math.Round(40 + 12 * Normal(random)), 1, 99);
            for (int b = 0; b < Binary.Length; b++)
                row[5 + b] = random.NextDouble() < 0.6 ? 1 : 0;
            int occupation = random.Next(occupations.Length);
            row[8 + occupation] = 1;
            double logit = -9 + 0.04 * row[0] + 0.35 * row[1] + 0.0003 * row[2] + 0.0005 * row[3] + 0.03 * row[4] + 1.5 * row[7] + 0.3 * row[5] + 0.1 * occupation;
            labels[r] = random.NextDouble() < 1 / (1 + Math.Exp(-logit));
        }
        return Split("synthetic adult-like", rows, labels, d, occupations, seed);
    }

    private static TreeExperimentData Split(string name, double[] rows, bool[] labels, int d, string[] occupations, int seed)
    {
        int n = labels.Length;
        var order = Enumerable.Range(0, n).ToArray();
        new Random(seed).Shuffle(order);
        int trainCount = (int)(0.8 * n);
        double[] Take(IEnumerable<int> indices) => indices.SelectMany(i => rows.AsSpan(i * d, d).ToArray()).ToArray();
        var train = Take(order.Take(trainCount));
        var test = Take(order.Skip(trainCount));
        var trainLabels = order.Take(trainCount).Select(i => labels[i]).ToArray();
        var testLabels = order.Skip(trainCount).Select(i => labels[i]).ToArray();
        return new TreeExperimentData(name, d, train, trainLabels, test, testLabels, Actions(train, d, occupations));
    }

    private static ActionSet Actions(double[] train, int d, string[] occupations)
    {
        int n = train.Length / d;
        double Std(int j)
        {
            double mean = 0, square = 0;
            for (int r = 0; r < n; r++) mean += train[r * d + j];
            mean /= n;
            for (int r = 0; r < n; r++) square += (train[r * d + j] - mean) * (train[r * d + j] - mean);
            return Math.Max(Math.Sqrt(square / n), 1e-9);
        }
        double Max(int j) => Enumerable.Range(0, n).Max(r => train[r * d + j]);
        var occupationNames = occupations.Select(o => "occupation=" + o).ToArray();
        var features = Numeric.Select((name, j) => new FeatureInfo(name, Actionability: j == 0 ? FeatureActionability.Immutable : j == 1 ? FeatureActionability.IncreaseOnly : FeatureActionability.Free, IsInteger: true))
            .Concat(Binary.Select(name => new FeatureInfo(name, IsCategorical: true)))
            .Concat(occupationNames.Select(name => new FeatureInfo(name, IsCategorical: true)))
            .ToArray();
        var builder = ActionSet.CreateBuilder(features, MaximumChange);
        for (int j = 0; j < Numeric.Length; j++)
            builder.SetStandardScale(Numeric[j], Std(j));
        builder.SetInteger("education-num").SetBounds("education-num", 1, 16)
            .SetBounds("capital-gain", 0, Max(2)).SetBounds("capital-loss", 0, Max(3))
            .SetInteger("hours-per-week").SetBounds("hours-per-week", 1, 99)
            .AddOneHotGroup("occupation", occupationNames, isMutable: true, occupations);
        return builder.Build();
    }

    private static double Parse(string field) => double.Parse(field, NumberStyles.Float, CultureInfo.InvariantCulture);

    private static double Normal(Random random) => Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
