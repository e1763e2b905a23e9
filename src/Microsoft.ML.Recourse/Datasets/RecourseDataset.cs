using Microsoft.ML.Recourse.Actions;
using Microsoft.ML.Data;

namespace Microsoft.ML.Recourse.Datasets;

/// <summary>The three parts of a <see cref="RecourseDataset"/>.</summary>
public enum DatasetSplit
{
    /// <summary>The training rows.</summary>
    Train,

    /// <summary>The validation rows (threshold choice, calibration, PAC bounds).</summary>
    Validation,

    /// <summary>The test rows on which recourse is evaluated.</summary>
    Test,
}

/// <summary>
/// A preprocessed data set split into training, validation and test rows, with the metadata recourse needs: each
/// feature's standardisation (so an action δ can be shown in original units) and actionability, and the maximum
/// change per feature δ_max. Created by <see cref="DatasetsCatalog"/>.
/// </summary>
/// <remarks>
/// Each split is an <see cref="IDataView"/> with these columns:
/// <list type="bullet">
/// <item><description><c>Features</c>: a known-size vector of <see cref="float"/> in the model's (standardised) units, whose slot names are the feature names.</description></item>
/// <item><description><c>Label</c>: <see cref="bool"/>, <see langword="true"/> for the favourable outcome.</description></item>
/// <item><description><c>RowId</c>: <see cref="int"/>, the row's index in the reference code's data frame (the <c>index</c> column of its written split files), so rows can be traced back to the source file.</description></item>
/// <item><description>The text columns named by <see cref="GroupColumnNames"/> (e.g. <c>isWhite</c> = <c>White</c> / <c>Non-white</c>), for audits by group.</description></item>
/// </list>
/// Rows keep the order scikit-learn's <c>train_test_split</c> gives them.
/// </remarks>
public sealed class RecourseDataset
{
    /// <summary>The name of the column that holds each row's index in the reference code's data frame.</summary>
    public const string RowIdColumnName = "RowId";

    /// <summary>The maximum change per feature used by Ross et al. (2021), in standardised units: δ_max = 0.75.</summary>
    public const double DefaultMaximumChange = 0.75;

    private readonly DatasetTable[] _parts;
    private readonly IDataView[] _views;

    internal RecourseDataset(string name, string source, IReadOnlyList<FeatureInfo> features, int splitSeed,
        DatasetTable train, DatasetTable validation, DatasetTable test)
    {
        Name = name;
        Source = source;
        Features = features.ToArray();
        SplitSeed = splitSeed;
        _parts = [train, validation, test];
        var names = features.Select(f => f.Name).ToArray();
        _views = _parts.Select(p => p.ToDataView(names)).ToArray();
        GroupColumnNames = train.Groups.Select(g => g.Name).ToArray();
    }

    /// <summary>Gets the data set's name (<c>adult</c>, <c>compas</c>, <c>german</c>, <c>bail</c> or <c>synthetic</c>).</summary>
    public string Name { get; }

    /// <summary>Gets a sentence naming the data's origin.</summary>
    public string Source { get; }

    /// <summary>Gets the features in the order of the <c>Features</c> vector.</summary>
    public IReadOnlyList<FeatureInfo> Features { get; }

    /// <summary>Gets the number of features d.</summary>
    public int FeatureCount => Features.Count;

    /// <summary>Gets the maximum change per feature δ_max in standardised units (<see cref="DefaultMaximumChange"/>).</summary>
    public double MaximumChange => DefaultMaximumChange;

    /// <summary>Gets the seed of the split (scikit-learn's <c>random_state</c>; for the synthetic data, also the generator's seed).</summary>
    public int SplitSeed { get; }

    /// <summary>Gets the names of the text group columns of each split.</summary>
    public IReadOnlyList<string> GroupColumnNames { get; }

    /// <summary>Gets the training rows.</summary>
    public IDataView TrainSet => _views[0];

    /// <summary>Gets the validation rows.</summary>
    public IDataView ValidationSet => _views[1];

    /// <summary>Gets the test rows.</summary>
    public IDataView TestSet => _views[2];

    /// <summary>Gets the view of one split.</summary>
    /// <param name="split">The split.</param>
    public IDataView GetSplit(DatasetSplit split) => _views[Index(split)];

    /// <summary>Gets the number of rows of one split.</summary>
    /// <param name="split">The split.</param>
    public int GetRowCount(DatasetSplit split) => _parts[Index(split)].RowCount;

    /// <summary>
    /// Gets a copy of one split's features in the model's units as a row-major <see cref="double"/> matrix
    /// (rows × <see cref="FeatureCount"/>), at full precision (the views hold <see cref="float"/>).
    /// </summary>
    /// <param name="split">The split.</param>
    public double[] GetFeatureMatrix(DatasetSplit split) => _parts[Index(split)].Features.ToArray();

    /// <summary>Gets a copy of one split's labels (<see langword="true"/> = favourable).</summary>
    /// <param name="split">The split.</param>
    public bool[] GetLabels(DatasetSplit split) => _parts[Index(split)].Labels.ToArray();

    internal DatasetTable GetTable(DatasetSplit split) => _parts[Index(split)];

    /// <inheritdoc/>
    public override string ToString() => FormattableString.Invariant(
        $"{Name}: {FeatureCount} features, {GetRowCount(DatasetSplit.Train)} / {GetRowCount(DatasetSplit.Validation)} / {GetRowCount(DatasetSplit.Test)} rows (train / validation / test), split seed {SplitSeed}");

    private static int Index(DatasetSplit split) => split switch
    {
        DatasetSplit.Train => 0,
        DatasetSplit.Validation => 1,
        DatasetSplit.Test => 2,
        _ => throw new ArgumentOutOfRangeException(nameof(split), split, "Unknown split."),
    };
}
