using System.Globalization;
using Microsoft.ML.Recourse.Actions;
using Microsoft.ML.Recourse.Persuasion;

namespace Microsoft.ML.Recourse.Experiments;

/// <summary>
/// The HELOC (FICO Home Equity Line of Credit) table as shipped in <c>shared/data/heloc/heloc.csv</c>: 23 numeric
/// features and the label <c>RiskPerformance</c> (1 = good), z-scored column by column.
/// </summary>
internal sealed class HelocData
{
    public const string RelativePath = "heloc/heloc.csv";
    public const string LabelColumn = "RiskPerformance";
    public const string HowToObtain =
        "The copy used by the project comes from the carla-recourse/cf-data repository (raw/heloc.csv), derived from FICO's Explainable Machine Learning Challenge data.";

    private HelocData(string[] featureNames, double[] features, double[] labels, double[] means, double[] scales)
    {
        FeatureNames = featureNames;
        Features = features;
        Labels = labels;
        Means = means;
        Scales = scales;
    }

    public IReadOnlyList<string> FeatureNames { get; }

    /// <summary>Gets the z-scored features, rows × features, row-major.</summary>
    public double[] Features { get; }

    public double[] Labels { get; }

    public IReadOnlyList<double> Means { get; }

    public IReadOnlyList<double> Scales { get; }

    public int RowCount => Labels.Length;

    public int FeatureCount => FeatureNames.Count;

    public static HelocData Load(string path)
    {
        using var reader = DelimitedTextReader.Open(path, ',');
        var header = reader.ReadRecord() ?? throw new FormatException($"{Path.GetFileName(path)} is empty.");
        int label = header.IndexOf(LabelColumn);
        if (label < 0) throw Contracts.ExceptSchemaMismatch(nameof(path), "label", LabelColumn);
        var names = header.Where((_, i) => i != label).ToArray();
        var rows = new List<double>();
        var labels = new List<double>();
        while (reader.ReadRecord() is { } fields)
        {
            if (fields.Count == 1 && fields[0].Length == 0) continue;
            if (fields.Count != header.Count)
                throw new FormatException(FormattableString.Invariant($"{Path.GetFileName(path)} line {reader.RecordLine}: {fields.Count} fields; the header has {header.Count}."));
            for (int c = 0; c < fields.Count; c++)
            {
                if (!double.TryParse(fields[c], NumberStyles.Float, CultureInfo.InvariantCulture, out double value) || !double.IsFinite(value))
                    throw new FormatException($"{Path.GetFileName(path)} line {reader.RecordLine}, column '{header[c]}': '{fields[c]}' is not a finite number.");
                if (c == label)
                {
                    if (value is not (0 or 1))
                        throw new FormatException($"{Path.GetFileName(path)} line {reader.RecordLine}: label '{fields[c]}' is neither 0 nor 1.");
                    labels.Add(value);
                }
                else
                {
                    rows.Add(value);
                }
            }
        }
        Contracts.Check(labels.Count > 1, $"{Path.GetFileName(path)} has fewer than two data rows.");
        var features = rows.ToArray();
        int d = names.Length, n = labels.Count;
        var means = new double[d];
        var scales = new double[d];
        for (int j = 0; j < d; j++)
        {
            double sum = 0, squares = 0;
            for (int i = 0; i < n; i++) sum += features[i * d + j];
            means[j] = sum / n;
            for (int i = 0; i < n; i++) squares += Math.Pow(features[i * d + j] - means[j], 2);
            scales[j] = Math.Sqrt(squares / (n - 1));
            Contracts.Check(scales[j] > 0, $"Column '{names[j]}' is constant and cannot be z-scored.");
            for (int i = 0; i < n; i++) features[i * d + j] = (features[i * d + j] - means[j]) / scales[j];
        }
        return new HelocData(names, features, [.. labels], means, scales);
    }
}
