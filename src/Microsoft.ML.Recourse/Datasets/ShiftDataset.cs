using Microsoft.ML.Recourse.Actions;
using Microsoft.ML.Data;

namespace Microsoft.ML.Recourse.Datasets;

/// <summary>The four parts of a <see cref="ShiftFold"/>.</summary>
public enum ShiftPart
{
    /// <summary>The rows M1 is trained on: the data before the shift without the fold's test chunk.</summary>
    BeforeTrain,

    /// <summary>The fold's test chunk of the data before the shift: the rows recourse is computed for.</summary>
    BeforeTest,

    /// <summary>The rows M2 is trained on: the data after the shift without the fold's test chunk.</summary>
    AfterTrain,

    /// <summary>The fold's test chunk of the data after the shift (M2's held-out rows).</summary>
    AfterTest,
}

/// <summary>
/// A model-update experiment: data D1 before a shift (M1 is trained on it) and data D2 after it (the retrained model
/// M2 is trained on it), over one feature set, cut into <see cref="FoldCount"/> folds. Created by
/// <see cref="DatasetsCatalog"/> (<see cref="DatasetsCatalog.LoadShift"/>, <see cref="DatasetsCatalog.RetrainingShift"/>,
/// <see cref="DatasetsCatalog.CreateShift"/>).
/// </summary>
/// <remarks>
/// Folds follow Upadhyay, Joshi &amp; Lakkaraju (2021): each side's rows are shuffled once with a seeded permutation
/// and cut into five contiguous chunks (chunk i holds rows ⌊i·n/5⌋ … ⌊(i+1)·n/5⌋ − 1); fold i holds chunk i out of
/// each side as its test part and trains on the other four. Every view has the columns <c>Features</c> (float vector
/// whose slot names are the feature names), <c>Label</c> (<see langword="true"/> = favourable) and <c>RowId</c> (the
/// row's 0-based index among the data rows of its source).
/// </remarks>
public sealed class ShiftDataset
{
    /// <summary>The number of folds: five contiguous chunks, as the reference protocol.</summary>
    public const int FoldCount = 5;

    private readonly DatasetTable _before;
    private readonly DatasetTable _after;

    internal ShiftDataset(string name, string description, IReadOnlyList<FeatureInfo> features, DatasetTable before, DatasetTable after, double maximumChange)
    {
        Contracts.Check(before.FeatureCount == features.Count && after.FeatureCount == features.Count,
            $"Shift '{name}': the data before and after the shift must have the {features.Count} features of the shift.");
        Contracts.Check(before.RowCount >= FoldCount && after.RowCount >= FoldCount,
            FormattableString.Invariant($"Shift '{name}' needs at least {FoldCount} rows on each side; got {before.RowCount} before and {after.RowCount} after."));
        Name = name;
        Description = description;
        Features = features.ToArray();
        MaximumChange = maximumChange;
        _before = before;
        _after = after;
    }

    /// <summary>Gets the shift's name, e.g. <c>german-correction</c>.</summary>
    public string Name { get; }

    /// <summary>Gets a sentence describing the data before and after the shift.</summary>
    public string Description { get; }

    /// <summary>Gets the features, in the order of the <c>Features</c> vector (shared by both sides).</summary>
    public IReadOnlyList<FeatureInfo> Features { get; }

    /// <summary>Gets the number of features d.</summary>
    public int FeatureCount => Features.Count;

    /// <summary>
    /// Gets the default maximum change per feature in standardised units used by <see cref="CreateActionSet"/>:
    /// <see cref="double.PositiveInfinity"/> for the three shifts of the reference (whose recourse is unconstrained
    /// apart from immutable features), the data set's own value for retraining shifts.
    /// </summary>
    public double MaximumChange { get; }

    /// <summary>Gets the number of rows before the shift (D1).</summary>
    public int BeforeRowCount => _before.RowCount;

    /// <summary>Gets the number of rows after the shift (D2).</summary>
    public int AfterRowCount => _after.RowCount;

    /// <summary>Creates the action set of the experiment: each feature moves as its actionability says, by at most <see cref="MaximumChange"/>.</summary>
    public ActionSet CreateActionSet() => ActionSet.FromFeatures(Features, MaximumChange);

    /// <summary>Gets one fold.</summary>
    /// <param name="fold">The fold. Range: 0 ≤ fold &lt; <see cref="FoldCount"/>.</param>
    public ShiftFold GetFold(int fold)
    {
        Contracts.CheckParam(fold >= 0 && fold < FoldCount, nameof(fold), FormattableString.Invariant($"Must lie in [0, {FoldCount}); got {fold}."));
        var (beforeTrain, beforeTest) = Split(_before, fold);
        var (afterTrain, afterTest) = Split(_after, fold);
        return new ShiftFold(fold, Features.Select(f => f.Name).ToArray(), [beforeTrain, beforeTest, afterTrain, afterTest]);
    }

    /// <inheritdoc/>
    public override string ToString() => FormattableString.Invariant(
        $"{Name}: {FeatureCount} features, {BeforeRowCount} rows before and {AfterRowCount} after the shift, {FoldCount} folds");

    /// <summary>The reference's chunking: chunk i is rows int(i/5·n) … int((i+1)/5·n) − 1 of the shuffled rows.</summary>
    private static (DatasetTable Train, DatasetTable Test) Split(DatasetTable table, int fold)
    {
        int n = table.RowCount;
        int start = ChunkStart(fold, n), end = ChunkStart(fold + 1, n);
        var test = Enumerable.Range(start, end - start).ToArray();
        var train = Enumerable.Range(0, start).Concat(Enumerable.Range(end, n - end)).ToArray();
        return (table.Take(train), table.Take(test));
    }

    private static int ChunkStart(int chunk, int rows) => (int)((double)chunk / FoldCount * rows);
}

/// <summary>
/// One fold of a <see cref="ShiftDataset"/>: M1's training and test rows before the shift and M2's training and
/// test rows after it. Views and matrices are in the model's (standardised) units.
/// </summary>
public sealed class ShiftFold
{
    private readonly DatasetTable[] _parts;
    private readonly IDataView[] _views;

    internal ShiftFold(int fold, IReadOnlyList<string> featureNames, DatasetTable[] parts)
    {
        Fold = fold;
        _parts = parts;
        _views = parts.Select(p => p.ToDataView(featureNames)).ToArray();
    }

    /// <summary>Gets the fold's index.</summary>
    public int Fold { get; }

    /// <summary>Gets the view of one part.</summary>
    /// <param name="part">The part.</param>
    public IDataView GetView(ShiftPart part) => _views[Index(part)];

    /// <summary>Gets the number of rows of one part.</summary>
    /// <param name="part">The part.</param>
    public int GetRowCount(ShiftPart part) => _parts[Index(part)].RowCount;

    /// <summary>Gets a copy of one part's features as a row-major matrix (rows × d) at full precision.</summary>
    /// <param name="part">The part.</param>
    public double[] GetFeatureMatrix(ShiftPart part) => _parts[Index(part)].Features.ToArray();

    /// <summary>Gets a copy of one part's labels (<see langword="true"/> = favourable).</summary>
    /// <param name="part">The part.</param>
    public bool[] GetLabels(ShiftPart part) => _parts[Index(part)].Labels.ToArray();

    private static int Index(ShiftPart part) => part switch
    {
        ShiftPart.BeforeTrain => 0,
        ShiftPart.BeforeTest => 1,
        ShiftPart.AfterTrain => 2,
        ShiftPart.AfterTest => 3,
        _ => throw new ArgumentOutOfRangeException(nameof(part), part, "Unknown shift part."),
    };
}

/// <summary>How the data of a retraining shift (<see cref="DatasetsCatalog.RetrainingShift"/>) is drawn.</summary>
public enum RetrainingShiftKind
{
    /// <summary>M1 and M2 are trained on two disjoint halves of the shuffled rows: M2 sees a fresh sample of the same population.</summary>
    FreshSample,

    /// <summary>M1 and M2 are trained on the same rows; M2 differs only by its training seed.</summary>
    Seed,
}
