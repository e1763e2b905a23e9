using Microsoft.ML.Recourse.Actions;
using Microsoft.ML.Data;

namespace Microsoft.ML.Recourse.Datasets;

/// <summary>
/// Collects raw feature columns, z-scores the continuous ones (mean and sample standard deviation, ddof = 1, as
/// pandas' <c>std</c>) and splits the rows as the reference code does.
/// </summary>
internal sealed class DatasetBuilder
{
    private readonly List<(FeatureInfo Info, double[] Values)> _features = new();
    private readonly List<GroupColumn> _groups = new();

    public DatasetBuilder(bool[] labels, int[] rowIds)
    {
        Labels = labels;
        RowIds = rowIds;
    }

    public bool[] Labels { get; }

    public int[] RowIds { get; }

    public DatasetBuilder Continuous(string name, double[] values, FeatureActionability actionability, string description, bool isInteger = true)
    {
        _features.Add((new FeatureInfo(name, Actionability: actionability, IsInteger: isInteger, Description: description), values));
        return this;
    }

    public DatasetBuilder Indicator(string name, double[] values, FeatureActionability actionability, string description)
    {
        _features.Add((new FeatureInfo(name, IsCategorical: true, Actionability: actionability, IsInteger: true, Description: description), values));
        return this;
    }

    public DatasetBuilder Group(string name, string[] values)
    {
        _groups.Add(new GroupColumn(name, values));
        return this;
    }

    /// <summary>
    /// Standardises the continuous columns with their own mean and sample standard deviation, or with those of
    /// <paramref name="standardisation"/> (the bail test file reuses the train file's).
    /// </summary>
    public (DatasetTable Table, FeatureInfo[] Features) Build(IReadOnlyList<FeatureInfo>? standardisation = null)
    {
        var infos = new FeatureInfo[_features.Count];
        var columns = new double[_features.Count][];
        for (int j = 0; j < _features.Count; j++)
        {
            var (info, raw) = _features[j];
            if (info.IsCategorical)
            {
                infos[j] = info;
                columns[j] = raw;
                continue;
            }
            var (mean, scale) = standardisation is null
                ? DatasetTable.MeanAndSampleStandardDeviation(raw)
                : (standardisation[j].Mean, standardisation[j].Scale);
            Contracts.Check(scale > 0 && double.IsFinite(scale),
                $"Feature '{info.Name}' is constant over the {raw.Length} rows, so it cannot be standardised.");
            infos[j] = info with { Mean = mean, Scale = scale };
            columns[j] = raw.Select(v => (v - mean) / scale).ToArray();
        }
        return (DatasetTable.FromColumns(columns, Labels, RowIds, _groups), infos);
    }

    /// <summary>
    /// The reference split: <c>train_test_split(X, y, test_size=0.2, random_state=seed)</c>, then the 20 % rest split
    /// again with <c>test_size=testCount</c> and the same seed into validation (its train part) and test.
    /// </summary>
    public static RecourseDataset SplitReference(string name, string source, FeatureInfo[] features, DatasetTable all, int seed, int testCount)
    {
        var (train, rest) = ReferenceSplit.TrainTestSplit(all.RowCount, 0.2, seed);
        var (validation, test) = ReferenceSplit.TrainTestSplit(rest.Length, testCount, seed);
        return new RecourseDataset(name, source, features, seed,
            all.Take(train), all.Take(validation.Select(i => rest[i]).ToArray()), all.Take(test.Select(i => rest[i]).ToArray()));
    }
}
