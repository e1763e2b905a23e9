using System.Globalization;
using Microsoft.ML.Recourse.Actions;
using Microsoft.ML.Data;

namespace Microsoft.ML.Recourse.Datasets;

/// <summary>
/// The three model-update experiments of Upadhyay, Joshi &amp; Lakkaraju (2021), preprocessed as the authors' code
/// (<c>AI4LIFE-GROUP/ROAR</c>, <c>data.py</c>) does, with the differences listed in <c>docs/robust-recourse.md</c>.
/// </summary>
internal static class ShiftDatasets
{
    internal const string CorrectedGermanFile = "shift/corrected_german.csv";
    internal const string SbaFile = "shift/SBAcase.11.13.17.csv";
    internal const string StudentFile = "shift/student-por.csv";

    /// <summary>The reference shuffles each data frame with <c>df.sample(frac=1, random_state=1)</c>.</summary>
    internal const int ReferenceShuffleSeed = 1;

    private const string FromRoarRepository = "the datasets/ folder of GitHub AI4LIFE-GROUP/ROAR";
    private const string ShiftHowToObtain = "The shift/ files come from " + FromRoarRepository + "; save them in shift/ in the data folder.";

    /// <summary>
    /// german.csv codes personal_status_sex as {1, 2, 3, 5}, the corrected file as {1, 2, 3, 4}; the category sizes
    /// (50, 310, 92, 548 and 50, 310, 548, 92) identify 3 → 4 and 5 → 3. Both sides use the corrected codes.
    /// </summary>
    private static readonly Dictionary<double, int> GermanToCorrectedCode = new() { [1] = 1, [2] = 2, [3] = 4, [5] = 3 };

    // Identifiers, constants, the label and its twins, and categorical columns with many levels (the reference's list),
    // plus the two charge-off columns, which exist only for loans that defaulted (ChgOffDate is empty for 1,405 of the
    // 1,416 repaid loans and set for all 686 defaulted ones).
    private static readonly string[] SbaDropped =
        ["Selected", "State", "Name", "BalanceGross", "LowDoc", "BankState", "LoanNr_ChkDgt", "MIS_Status", "Default", "Bank", "City",
         "ChgOffPrinGr", "ChgOffDate"];

    public static ShiftDataset GermanCorrection(int shuffleSeed, string? dataDirectory)
    {
        var before = CsvTable.ReadWithHeader(DataDirectory.Locate(ReferenceDatasets.GermanFile, dataDirectory, ReferenceDatasets.GermanHowToObtain));
        var after = CsvTable.ReadWithHeader(DataDirectory.Locate(CorrectedGermanFile, dataDirectory, ShiftHowToObtain));
        var frameBefore = GermanFrame(before, shuffleSeed, code => GermanToCorrectedCode.TryGetValue(code, out int c) ? c : null);
        var frameAfter = GermanFrame(after, shuffleSeed, code => code is 1 or 2 or 3 or 4 ? (int)code : null);
        return Build("german-correction",
            "German credit (M1, german/german.csv) vs the corrected South German Credit data (M2, shift/corrected_german.csv): data correction; duration, amount, age and personal_status_sex; favourable = good credit",
            frameBefore, frameAfter, double.PositiveInfinity);
    }

    public static ShiftDataset SbaTemporal(int shuffleSeed, string? dataDirectory)
    {
        var csv = CsvTable.ReadWithHeader(DataDirectory.Locate(SbaFile, dataDirectory, ShiftHowToObtain));
        RequireSplitColumn(csv, "ApprovalFY", "the temporal shift trains M1 on loans approved before fiscal year 2006");
        int fy = csv.Column("ApprovalFY"), defaulted = csv.Column("Default");
        var all = OneHotFrame(csv, shuffleSeed, SbaDropped, splitColumn: null, fillMissing: true,
            row => csv.Number(row, defaulted) == 0);
        var before = all.Where(row => csv.Number(row, fy) < 2006);
        return Build("sba-temporal",
            "SBA loans (shift/SBAcase.11.13.17.csv): M1 on loans approved before fiscal year 2006, M2 on all years (temporal shift); favourable = no default",
            before, all, double.PositiveInfinity);
    }

    public static ShiftDataset StudentGeospatial(int shuffleSeed, string? dataDirectory)
    {
        var csv = CsvTable.ReadWithHeader(DataDirectory.Locate(StudentFile, dataDirectory, ShiftHowToObtain), ';');
        RequireSplitColumn(csv, "school", "the geospatial shift trains M1 on school GP and M2 on both schools");
        int school = csv.Column("school"), grade = csv.Column("G3");
        var all = OneHotFrame(csv, shuffleSeed, ["G1", "G2", "G3"], splitColumn: "school", fillMissing: false,
            row => csv.Number(row, grade) < 10);
        var before = all.Where(row => csv.Text(row, school) == "GP");
        return Build("student-geospatial",
            "Portuguese student performance (shift/student-por.csv): M1 on school GP, M2 on both schools (geospatial shift); label = final grade G3 < 10, as the reference code",
            before, all, double.PositiveInfinity);
    }

    /// <summary>A retraining shift of a seed data set: all its rows shuffled, then two halves (fresh sample) or the same rows twice (seed).</summary>
    public static ShiftDataset Retraining(RecourseDataset dataset, RetrainingShiftKind kind, int seed)
    {
        var all = Concatenate([dataset.GetTable(DatasetSplit.Train), dataset.GetTable(DatasetSplit.Validation), dataset.GetTable(DatasetSplit.Test)]);
        var order = new NumpyRandomState(seed).Permutation(all.RowCount);
        var shuffled = all.Take(order);
        int half = all.RowCount / 2;
        var (before, after, name, text) = kind switch
        {
            RetrainingShiftKind.FreshSample => (shuffled.Take(Enumerable.Range(0, half).ToArray()),
                shuffled.Take(Enumerable.Range(half, all.RowCount - half).ToArray()), "fresh-sample",
                "M1 and M2 trained on two disjoint halves of the rows (a fresh sample)"),
            RetrainingShiftKind.Seed => (shuffled, shuffled, "seed", "M1 and M2 trained on the same rows with different seeds"),
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown retraining shift."),
        };
        return new ShiftDataset($"{dataset.Name}-{name}", $"{dataset.Name}: {text}", dataset.Features, before, after, dataset.MaximumChange);
    }

    /// <summary>A shift from two user views; their feature slot names must agree.</summary>
    public static ShiftDataset FromViews(string name, IDataView before, IDataView after, IReadOnlyList<FeatureInfo>? features, double maximumChange, int shuffleSeed)
    {
        var (beforeNames, beforeTable) = Read(before, nameof(before));
        var (afterNames, afterTable) = Read(after, nameof(after));
        if (!beforeNames.SequenceEqual(afterNames))
        {
            var missing = beforeNames.Except(afterNames).ToArray();
            var extra = afterNames.Except(beforeNames).ToArray();
            throw new ArgumentOutOfRangeException(nameof(after), FormattableString.Invariant(
                $"M1 and M2 must see the same features in the same order, but the data before the shift has {beforeNames.Count} features and the data after has {afterNames.Count}") +
                (missing.Length > 0 ? $"; only before: {string.Join(", ", missing)}" : "") +
                (extra.Length > 0 ? $"; only after: {string.Join(", ", extra)}" : "") +
                (missing.Length == 0 && extra.Length == 0 ? $"; order before: {string.Join(", ", beforeNames)}; after: {string.Join(", ", afterNames)}" : "") + ".");
        }
        var infos = features?.ToArray() ?? beforeNames.Select(n => new FeatureInfo(n, Actionability: FeatureActionability.Free)).ToArray();
        Contracts.CheckParam(infos.Select(f => f.Name).SequenceEqual(beforeNames), nameof(features),
            $"The features must be named as the slots of the Features column: {string.Join(", ", beforeNames)}.");
        var orderBefore = new NumpyRandomState(shuffleSeed).Permutation(beforeTable.RowCount);
        var orderAfter = new NumpyRandomState(shuffleSeed).Permutation(afterTable.RowCount);
        return new ShiftDataset(name, $"{name}: user data before and after a shift", infos, beforeTable.Take(orderBefore), afterTable.Take(orderAfter), maximumChange);
    }

    private static (IReadOnlyList<string> Names, DatasetTable Table) Read(IDataView view, string paramName)
    {
        Contracts.CheckValue(view, paramName);
        var featureColumn = ColumnChecks.CheckFeatureColumn(view.Schema, DefaultColumnNames.Features, 0, paramName);
        var labelColumn = ColumnChecks.CheckScalarColumn(view.Schema, "label", DefaultColumnNames.Label, BooleanDataViewType.Instance, paramName);
        int d = ((VectorDataViewType)featureColumn.Type).Size;
        var names = SlotNames.Of(featureColumn)
            ?? throw new ArgumentOutOfRangeException(paramName, $"The '{DefaultColumnNames.Features}' column of '{paramName}' has no slot names; a shift compares the features of both sides by name.");
        var features = ColumnChecks.ReadFeatures(view, featureColumn, paramName);
        var labels = ColumnChecks.ReadLabels(view, labelColumn);
        return (names, new DatasetTable(d, features, labels, Enumerable.Range(0, labels.Length).ToArray(), []));
    }

    private static void RequireSplitColumn(CsvTable csv, string column, string why)
    {
        if (!csv.HasColumn(column))
            throw new FormatException($"{csv.FileName} has no column '{column}', the split column of this shift ({why}). Columns found: {string.Join(", ", csv.ColumnNames)}.");
    }

    private static RawFrame GermanFrame(CsvTable csv, int shuffleSeed, Func<double, int?> toCorrectedCode)
    {
        var order = new NumpyRandomState(shuffleSeed).Permutation(csv.RowCount);
        int status = csv.Column("personal_status_sex"), risk = csv.Column("credit_risk");
        var frame = new RawFrame(order, order.Select(r => csv.Number(r, risk) == 1).ToArray());
        foreach (var (column, description) in new[] { ("duration", "loan duration in months"), ("amount", "credit amount in Deutsche Mark"), ("age", "age in years") })
        {
            int c = csv.Column(column);
            frame.Add(new FeatureInfo(column, Actionability: FeatureActionability.Free, IsInteger: true, Description: description),
                order.Select(r => csv.Number(r, c)).ToArray(), standardise: true);
        }
        var codes = order.Select(r =>
        {
            double code = csv.Number(r, status);
            return toCorrectedCode(code) ?? throw csv.Malformed(r, status, code.ToString(CultureInfo.InvariantCulture), "a personal_status_sex code of this file");
        }).ToArray();
        for (int code = 1; code <= 4; code++)
        {
            string text = code.ToString(CultureInfo.InvariantCulture);
            frame.Add(new FeatureInfo("personal_status_sex_" + text, IsCategorical: true, Actionability: FeatureActionability.Immutable, IsInteger: true,
                    Description: $"personal status and sex is code {text} (South German Credit codebook)"),
                codes.Select(c => c == code ? 1.0 : 0.0).ToArray(), standardise: false);
        }
        return frame;
    }

    /// <summary>
    /// The reference's generic preprocessing (<c>get_feat_types</c> + <c>pd.get_dummies</c>): numeric columns with
    /// more than two distinct values are standardised, other numeric columns are kept as they are, and text columns
    /// become one 0/1 indicator per value (values in ordinal order), appended after the numeric columns. Every
    /// feature is free to move, as in the reference.
    /// </summary>
    private static RawFrame OneHotFrame(CsvTable csv, int shuffleSeed, string[] dropped, string? splitColumn, bool fillMissing, Func<int, bool> label)
    {
        var order = new NumpyRandomState(shuffleSeed).Permutation(csv.RowCount);
        var frame = new RawFrame(order, order.Select(label).ToArray());
        var textColumns = new List<(string Name, string[] Values)>();
        foreach (string name in csv.ColumnNames)
        {
            if (dropped.Contains(name) || name == splitColumn) continue;
            int c = csv.Column(name);
            string[] cells = order.Select(r => csv.IsEmpty(r, c) && fillMissing ? "-1" : csv.Text(r, c).Trim()).ToArray();
            bool numeric = cells.All(t => double.TryParse(t, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) && double.IsFinite(v));
            if (!numeric)
            {
                int empty = Array.FindIndex(cells, t => t.Length == 0);
                if (empty >= 0) throw csv.Malformed(order[empty], c, "", "a value (this file has no missing values)");
                textColumns.Add((name, cells));
                continue;
            }
            var values = cells.Select(t => double.Parse(t, NumberStyles.Float, CultureInfo.InvariantCulture)).ToArray();
            bool integer = values.All(v => v == Math.Floor(v));
            frame.Add(new FeatureInfo(name, Actionability: FeatureActionability.Free, IsInteger: integer),
                values, standardise: values.Distinct().Take(3).Count() > 2);
        }
        foreach (var (name, cells) in textColumns)
        {
            foreach (string level in cells.Distinct().Order(StringComparer.Ordinal))
                frame.Add(new FeatureInfo($"{name}_{level}", IsCategorical: true, Actionability: FeatureActionability.Free, IsInteger: true,
                        Description: $"{name} is {level}"),
                    cells.Select(t => t == level ? 1.0 : 0.0).ToArray(), standardise: false);
        }
        return frame;
    }

    /// <summary>
    /// Standardises both sides with the mean and population standard deviation of the rows before the shift
    /// (scikit-learn's <c>StandardScaler</c> fitted on D1, as the reference), then makes the shift.
    /// </summary>
    private static ShiftDataset Build(string name, string description, RawFrame before, RawFrame after, double maximumChange)
    {
        Contracts.Check(before.Columns.Select(c => c.Info.Name).SequenceEqual(after.Columns.Select(c => c.Info.Name)),
            $"Shift '{name}': the data before and after the shift have different features.");
        int d = before.Columns.Count;
        var infos = new FeatureInfo[d];
        var columnsBefore = new double[d][];
        var columnsAfter = new double[d][];
        for (int j = 0; j < d; j++)
        {
            var (info, valuesBefore, standardise) = before.Columns[j];
            var valuesAfter = after.Columns[j].Values;
            if (!standardise)
            {
                infos[j] = info;
                columnsBefore[j] = valuesBefore;
                columnsAfter[j] = valuesAfter;
                continue;
            }
            double mean = valuesBefore.Average();
            double scale = Math.Sqrt(valuesBefore.Sum(v => (v - mean) * (v - mean)) / valuesBefore.Length);
            Contracts.Check(scale > 0, $"Shift '{name}': feature '{info.Name}' is constant before the shift, so it cannot be standardised.");
            infos[j] = info with { Mean = mean, Scale = scale };
            columnsBefore[j] = valuesBefore.Select(v => (v - mean) / scale).ToArray();
            columnsAfter[j] = valuesAfter.Select(v => (v - mean) / scale).ToArray();
        }
        return new ShiftDataset(name, description, infos,
            DatasetTable.FromColumns(columnsBefore, before.Labels, before.RowIds, []),
            DatasetTable.FromColumns(columnsAfter, after.Labels, after.RowIds, []),
            maximumChange);
    }

    private static DatasetTable Concatenate(IReadOnlyList<DatasetTable> tables)
    {
        int d = tables[0].FeatureCount;
        return new DatasetTable(d, tables.SelectMany(t => t.Features).ToArray(), tables.SelectMany(t => t.Labels).ToArray(),
            tables.SelectMany(t => t.RowIds).ToArray(), []);
    }

    /// <summary>Raw feature columns of shuffled rows, before standardisation.</summary>
    private sealed class RawFrame(int[] rowIds, bool[] labels)
    {
        public int[] RowIds { get; } = rowIds;

        public bool[] Labels { get; } = labels;

        public List<(FeatureInfo Info, double[] Values, bool Standardise)> Columns { get; } = [];

        public void Add(FeatureInfo info, double[] values, bool standardise) => Columns.Add((info, values, standardise));

        /// <summary>The rows (by file row index) for which <paramref name="keep"/> holds, in the shuffled order.</summary>
        public RawFrame Where(Func<int, bool> keep)
        {
            var positions = Enumerable.Range(0, RowIds.Length).Where(i => keep(RowIds[i])).ToArray();
            var subset = new RawFrame(positions.Select(i => RowIds[i]).ToArray(), positions.Select(i => Labels[i]).ToArray());
            foreach (var (info, values, standardise) in Columns)
                subset.Add(info, positions.Select(i => values[i]).ToArray(), standardise);
            return subset;
        }
    }
}
