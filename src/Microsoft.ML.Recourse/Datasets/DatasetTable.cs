using Microsoft.ML.Data;

namespace Microsoft.ML.Recourse.Datasets;

/// <summary>
/// Preprocessed rows before or after splitting: a row-major feature matrix in the model's units, the labels, the
/// reference code's row index of each row and the text group columns.
/// </summary>
internal sealed class DatasetTable
{
    public DatasetTable(int featureCount, double[] features, bool[] labels, int[] rowIds, IReadOnlyList<GroupColumn> groups)
    {
        FeatureCount = featureCount;
        Features = features;
        Labels = labels;
        RowIds = rowIds;
        Groups = groups;
    }

    public int FeatureCount { get; }

    public int RowCount => Labels.Length;

    /// <summary>Row-major, <see cref="RowCount"/> × <see cref="FeatureCount"/>.</summary>
    public double[] Features { get; }

    public bool[] Labels { get; }

    public int[] RowIds { get; }

    public IReadOnlyList<GroupColumn> Groups { get; }

    /// <summary>Builds a table from standardised feature columns (one array per feature, all of one length).</summary>
    public static DatasetTable FromColumns(IReadOnlyList<double[]> columns, bool[] labels, int[] rowIds, IReadOnlyList<GroupColumn> groups)
    {
        int d = columns.Count, n = labels.Length;
        var features = new double[n * d];
        for (int j = 0; j < d; j++)
        {
            var column = columns[j];
            for (int i = 0; i < n; i++) features[i * d + j] = column[i];
        }
        return new DatasetTable(d, features, labels, rowIds, groups);
    }

    /// <summary>The rows at <paramref name="rows"/>, in that order.</summary>
    public DatasetTable Take(int[] rows)
    {
        int d = FeatureCount;
        var features = new double[rows.Length * d];
        var labels = new bool[rows.Length];
        var ids = new int[rows.Length];
        for (int i = 0; i < rows.Length; i++)
        {
            Array.Copy(Features, rows[i] * d, features, i * d, d);
            labels[i] = Labels[rows[i]];
            ids[i] = RowIds[rows[i]];
        }
        var groups = Groups.Select(g => new GroupColumn(g.Name, rows.Select(r => g.Values[r]).ToArray())).ToArray();
        return new DatasetTable(d, features, labels, ids, groups);
    }

    /// <summary>The view: <c>Features</c> (float vector with the feature names as slot names), <c>Label</c>, <c>RowId</c> and the group columns.</summary>
    public IDataView ToDataView(IReadOnlyList<string> featureNames)
    {
        var floats = new float[Features.Length];
        for (int i = 0; i < floats.Length; i++) floats[i] = (float)Features[i];
        var builder = new InMemoryDataView.Builder()
            .AddVector(DefaultColumnNames.Features, FeatureCount, floats, featureNames)
            .AddScalar(DefaultColumnNames.Label, Labels.ToArray())
            .AddScalar(RecourseDataset.RowIdColumnName, RowIds.ToArray());
        foreach (var g in Groups)
            builder.AddScalar(g.Name, g.Values.ToArray());
        return builder.Build();
    }

    /// <summary>Mean and sample standard deviation (ddof = 1), computed in two passes as pandas does.</summary>
    public static (double Mean, double StandardDeviation) MeanAndSampleStandardDeviation(double[] values)
    {
        double sum = 0;
        foreach (double v in values) sum += v;
        double mean = sum / values.Length;
        double squares = 0;
        foreach (double v in values) squares += (v - mean) * (v - mean);
        return (mean, Math.Sqrt(squares / (values.Length - 1)));
    }
}

/// <summary>A text column used to audit results by group, e.g. race or sex.</summary>
/// <param name="Name">The column name.</param>
/// <param name="Values">One value per row.</param>
internal sealed record GroupColumn(string Name, string[] Values);
