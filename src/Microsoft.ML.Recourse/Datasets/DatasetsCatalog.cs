using Microsoft.ML.Recourse.Actions;
using Microsoft.ML.Data;

namespace Microsoft.ML.Recourse.Datasets;

/// <summary>
/// The data sets of Ross, Lakkaraju &amp; Bastani, "Learning Models for Actionable Recourse" (NeurIPS 2021),
/// preprocessed and split exactly as the authors' code does, and a synthetic credit data set. Reached through
/// <see cref="RecourseCatalog.Datasets"/>.
/// </summary>
/// <remarks>
/// <para>
/// Data files are found with <see cref="DataDirectory.Locate"/>: the <c>dataDirectory</c> argument (the CLI's
/// <c>--data-dir</c>) if given, else the <c>RECOURSE_DATA_DIR</c> environment variable, else a <c>shared/data</c>
/// folder beside the working directory, the application or one of their parents. A missing file raises
/// <see cref="FileNotFoundException"/> whose message lists where it looked and where the file comes from.
/// </para>
/// <para>
/// Continuous features are z-scored with their mean and sample standard deviation (ddof = 1) over the whole
/// preprocessed data set (bail: over the train file; the test file reuses those values); 0/1 indicators are kept as
/// they are. <see cref="FeatureInfo.Mean"/> and <see cref="FeatureInfo.Scale"/> hold the values used.
/// The split is scikit-learn's <c>train_test_split(X, y, test_size=0.2, random_state=splitSeed)</c>; the 20 % rest
/// is split again with the same seed into validation and a test set of 500 rows (German: 100), reproduced bit for bit.
/// The paper reports the mean over split seeds 0, 21 and 42.
/// </para>
/// </remarks>
public sealed class DatasetsCatalog
{
    private readonly RecourseEnvironment _environment;

    internal DatasetsCatalog(RecourseEnvironment environment) => _environment = environment;

    /// <summary>Gets the names <see cref="Load"/> accepts.</summary>
    public static IReadOnlyList<string> Names { get; } = ["adult", "compas", "german", "bail", "synthetic"];

    /// <summary>
    /// Loads UCI Adult (file <c>adult/adult.csv</c>): 32,560 rows, favourable label = income &gt;50K (24.1 %).
    /// Split 26,048 / 6,012 / 500.
    /// </summary>
    /// <remarks>
    /// Features, in order: age, education-num (increase only), capital-gain, capital-loss, hours-per-week (free),
    /// all z-scored; isWhite, native-country-United-States, marital-status-Married, isMale as 0/1. The reference reads
    /// the header-less file as if its first line were a header, so the first record is not used. Group columns:
    /// <c>isWhite</c> (White / Non-white) and <c>isMale</c> (Male / Female).
    /// </remarks>
    /// <param name="splitSeed">scikit-learn's <c>random_state</c> for the split. Range: splitSeed ≥ 0.</param>
    /// <param name="dataDirectory">The data folder, or <see langword="null"/> to search for it.</param>
    /// <exception cref="FileNotFoundException">The file was not found.</exception>
    /// <exception cref="FormatException">A value in the file cannot be read; the message names the file, line and column.</exception>
    public RecourseDataset Adult(int splitSeed = 0, string? dataDirectory = null)
        => Loaded(ReferenceDatasets.Adult(CheckSeed(splitSeed), dataDirectory));

    /// <summary>
    /// Loads ProPublica's COMPAS two-year recidivism data (file <c>compas/compas-scores-two-years.csv</c>): 6,172
    /// rows after ProPublica's filters, favourable label = no recidivism within two years (54.5 %). Split 4,937 / 735 / 500.
    /// </summary>
    /// <remarks>
    /// Filters: −30 ≤ days_b_screening_arrest ≤ 30, is_recid ≠ −1, c_charge_degree ≠ O. Features, in order: age,
    /// priors_count (free), length_of_stay (whole days from c_jail_in to c_jail_out), days_b_screening_arrest, all
    /// z-scored; isMale, isCaucasian, c_charge_degree_F as 0/1. Group columns: <c>isCaucasian</c> (Caucasian /
    /// Non-Caucasian) and <c>isMale</c>.
    /// </remarks>
    /// <param name="splitSeed">scikit-learn's <c>random_state</c> for the split. Range: splitSeed ≥ 0.</param>
    /// <param name="dataDirectory">The data folder, or <see langword="null"/> to search for it.</param>
    /// <exception cref="FileNotFoundException">The file was not found.</exception>
    /// <exception cref="FormatException">A value in the file cannot be read; the message names the file, line and column.</exception>
    public RecourseDataset Compas(int splitSeed = 0, string? dataDirectory = null)
        => Loaded(ReferenceDatasets.Compas(CheckSeed(splitSeed), dataDirectory));

    /// <summary>
    /// Loads the integer-coded Statlog German Credit data (file <c>german/german.csv</c>): 1,000 rows. As in the
    /// reference code, the favourable label is credit_risk = 0, i.e. <em>bad</em> credit (30 %). Split 800 / 100 / 100.
    /// </summary>
    /// <remarks>
    /// Features, in order: duration, amount (free), age (increase only), all z-scored; then one 0/1 indicator per
    /// value of personal_status_sex (pandas <c>get_dummies</c>: personal_status_sex_1, _2, _3, _5). Group column:
    /// <c>personal_status_sex</c> (the code as text).
    /// </remarks>
    /// <param name="splitSeed">scikit-learn's <c>random_state</c> for the split. Range: splitSeed ≥ 0.</param>
    /// <param name="dataDirectory">The data folder, or <see langword="null"/> to search for it.</param>
    /// <exception cref="FileNotFoundException">The file was not found.</exception>
    /// <exception cref="FormatException">A value in the file cannot be read; the message names the file, line and column.</exception>
    public RecourseDataset German(int splitSeed = 0, string? dataDirectory = null)
        => Loaded(ReferenceDatasets.German(CheckSeed(splitSeed), dataDirectory));

    /// <summary>
    /// Loads the North Carolina recidivism ("bail") data (files <c>bail/bail_train.csv</c> and <c>bail/bail_test.csv</c>):
    /// 7,911 train-file rows split 6,328 / 1,583 into training and validation, and 500 test rows sampled from the
    /// 8,923 test-file rows. Favourable label = no recidivism (62.9 % in the train file).
    /// </summary>
    /// <remarks>
    /// Rows with FILE = 3, PRIORS = −9 or SCHOOL = 0 are dropped. Features, in order: WHITE, ALCHY, JUNKY, SUPER,
    /// MARRIED, FELON, WORKREL, PROPTY, PERSON, MALE as 0/1; PRIORS, SCHOOL (increase only), RULE (free), AGE (months),
    /// TSERVD, FOLLOW z-scored with the train file's mean and standard deviation. The test rows are the test part of
    /// <c>train_test_split(test file, test_size=500, random_state=splitSeed)</c>. About half the rows of each file are
    /// exact duplicates, so training and validation share rows; the reference keeps them and so does this loader.
    /// Group columns: <c>WHITE</c> (White / Non-white) and <c>MALE</c>.
    /// </remarks>
    /// <param name="splitSeed">scikit-learn's <c>random_state</c> for the split. Range: splitSeed ≥ 0.</param>
    /// <param name="dataDirectory">The data folder, or <see langword="null"/> to search for it.</param>
    /// <exception cref="FileNotFoundException">A file was not found.</exception>
    /// <exception cref="FormatException">A value in a file cannot be read; the message names the file, line and column.</exception>
    public RecourseDataset Bail(int splitSeed = 0, string? dataDirectory = null)
        => Loaded(ReferenceDatasets.Bail(CheckSeed(splitSeed), dataDirectory));

    /// <summary>
    /// Generates synthetic credit applicants from a small structural causal model. The same arguments always give
    /// the same data. About 35 % of applicants have the favourable label (good repayment).
    /// </summary>
    /// <remarks>
    /// <para>
    /// With N₁ … N₆ independent standard normal draws and U uniform on [0, 1), all from numpy-compatible MT19937
    /// seeded with <paramref name="seed"/> and read row by row in this order:
    /// </para>
    /// <list type="bullet">
    /// <item><description>age A = clamp(round(42 + 13 N₁), 18, 75) years (immutable);</description></item>
    /// <item><description>education E = clamp(round(11 + 0.05 (A − 18) + 2.5 N₂), 6, 20) years (increase only);</description></item>
    /// <item><description>hours H = clamp(round(40 + 9 N₃), 8, 80) per week (free);</description></item>
    /// <item><description>income I = max(8, round₁(−20 + 4 E + 0.35 (A − 18) + 0.7 H + 10 N₄)) thousand dollars a year (free);</description></item>
    /// <item><description>debt ratio D = clamp(round₁(45 − 0.25 I + 12 N₅), 0, 100) percent of income (decrease only);</description></item>
    /// <item><description>savings S = max(0, round₁(0.2 I + 0.3 (A − 18) − 8 + 6 N₆)) thousand dollars (increase only);</description></item>
    /// <item><description>label = U &lt; σ(−1 + 0.045 (I − 65) − 0.06 (D − 29) + 0.07 (S − 12) + 0.12 (E − 12)), with σ the logistic function.</description></item>
    /// </list>
    /// <para>
    /// round₁ rounds to one decimal. All six features are z-scored (ddof = 1) over the generated rows. The split is
    /// 80 % training, then the rest halved into validation and test, with the same seed. Group column:
    /// <c>ageGroup</c> (under 30, 30-49, 50 and over).
    /// </para>
    /// </remarks>
    /// <param name="rows">The number of applicants. Range: rows ≥ 100.</param>
    /// <param name="seed">The seed of the generator and the split. Range: seed ≥ 0.</param>
    public RecourseDataset SyntheticCredit(int rows = 5000, int seed = 0)
    {
        Contracts.CheckParam(rows >= SyntheticCreditModel.MinimumRows, nameof(rows),
            FormattableString.Invariant($"Must be ≥ {SyntheticCreditModel.MinimumRows}; got {rows}."));
        Contracts.CheckParam(seed >= 0, nameof(seed), FormattableString.Invariant($"Must be ≥ 0; got {seed}."));
        return Loaded(SyntheticCreditModel.Generate(rows, seed));
    }

    /// <summary>Loads a data set by name, as the CLI does.</summary>
    /// <param name="name">One of <see cref="Names"/> (case-insensitive): adult, compas, german, bail or synthetic.</param>
    /// <param name="splitSeed">The split seed (for <c>synthetic</c>, also the generator's seed, with the default 5,000 rows). Range: splitSeed ≥ 0.</param>
    /// <param name="dataDirectory">The data folder, or <see langword="null"/> to search for it (not used by <c>synthetic</c>).</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="name"/> is not a known data set; the message lists the valid names.</exception>
    public RecourseDataset Load(string name, int splitSeed = 0, string? dataDirectory = null)
    {
        Contracts.CheckValue(name, nameof(name));
        return name.ToLowerInvariant() switch
        {
            "adult" => Adult(splitSeed, dataDirectory),
            "compas" => Compas(splitSeed, dataDirectory),
            "german" => German(splitSeed, dataDirectory),
            "bail" => Bail(splitSeed, dataDirectory),
            "synthetic" => SyntheticCredit(seed: splitSeed),
            _ => throw new ArgumentOutOfRangeException(nameof(name), name,
                $"Unknown data set '{name}'. Valid names: {string.Join(", ", Names)}."),
        };
    }

    /// <summary>
    /// Loads a user's comma-separated file (first line a header; fields may be quoted) with ML.NET's text loader:
    /// columns whose every value is a number are <see cref="float"/>, the others text; a named label column becomes
    /// <c>Label</c> (<see cref="bool"/>).
    /// </summary>
    /// <param name="path">The file.</param>
    /// <param name="labelColumnName">The label column, or <see langword="null"/> for data without labels.</param>
    /// <param name="positiveLabel">The favourable label value, or <see langword="null"/> when the labels are 0/1 or true/false.</param>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="FormatException">The header is empty or repeats a column.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The label column is missing, or its values do not say which is favourable.</exception>
    public CsvData LoadCsv(string path, string? labelColumnName = null, string? positiveLabel = null)
    {
        Contracts.CheckValue(path, nameof(path));
        var data = CsvData.Load(MlContext, path, labelColumnName, positiveLabel);
        _environment.Log(nameof(DatasetsCatalog), data.ToString());
        return data;
    }

    /// <summary>
    /// Loads a comma-separated file into a model's input schema, matching columns by header name (order and extra
    /// columns do not matter). Schema columns the file lacks are left out, so the model's own schema check names any it
    /// needs; a numeric column whose cell is not a number reads as NaN, which scoring and recourse reject naming the row.
    /// </summary>
    /// <param name="path">The file.</param>
    /// <param name="inputSchema">The schema the model was saved with (from <c>mlContext.Model.Load</c>).</param>
    public IDataView LoadCsv(string path, DataViewSchema inputSchema)
    {
        Contracts.CheckValue(path, nameof(path));
        Contracts.CheckValue(inputSchema, nameof(inputSchema));
        return CsvData.LoadInto(MlContext, path, inputSchema);
    }

    private MLContext MlContext => (MLContext)_environment.Host;

    /// <summary>Gets the names <see cref="LoadShift"/> accepts: the three model-update experiments of Upadhyay, Joshi &amp; Lakkaraju (2021).</summary>
    public static IReadOnlyList<string> ShiftNames { get; } = ["german-correction", "sba-temporal", "student-geospatial"];

    /// <summary>
    /// Loads the data-correction shift: M1 on German credit (<c>german/german.csv</c>), M2 on the corrected South German
    /// Credit data (<c>shift/corrected_german.csv</c>), 1,000 rows each; favourable = good credit (credit_risk = 1).
    /// </summary>
    /// <remarks>
    /// Features, in order: duration, amount, age (free; standardised with the mean and population standard deviation
    /// of german.csv, as scikit-learn's <c>StandardScaler</c> fitted on D1), then personal_status_sex_1 … _4
    /// (immutable 0/1 indicators in the corrected file's codes; german.csv's codes 3 and 5 are its codes 4 and 3,
    /// identified by their category sizes).
    /// </remarks>
    /// <param name="shuffleSeed">The seed of the permutation applied to each side before the folds are cut (the reference uses 1). Range: value ≥ 0.</param>
    /// <param name="dataDirectory">The data folder, or <see langword="null"/> to search for it.</param>
    /// <exception cref="FileNotFoundException">A file was not found.</exception>
    /// <exception cref="FormatException">A value or a column in a file is missing or unreadable; the message names the file, line and column.</exception>
    public ShiftDataset GermanCorrection(int shuffleSeed = ShiftDatasets.ReferenceShuffleSeed, string? dataDirectory = null)
        => LoadedShift(ShiftDatasets.GermanCorrection(CheckSeed(shuffleSeed), dataDirectory));

    /// <summary>
    /// Loads the temporal shift: SBA loans (<c>shift/SBAcase.11.13.17.csv</c>, 2,102 rows); M1 on the 1,159 loans
    /// approved before fiscal year 2006, M2 on all loans; favourable = no default.
    /// </summary>
    /// <remarks>
    /// Missing cells become −1 and text columns one 0/1 indicator per value, as the reference. Identifier and
    /// high-cardinality columns are dropped as in the reference, and so are <c>ChgOffPrinGr</c> and <c>ChgOffDate</c>,
    /// which exist only for defaulted loans and would leak the label. Numeric columns with more than two distinct
    /// values are standardised with the mean and population standard deviation of the pre-2006 loans. Every feature
    /// is free, as in the reference.
    /// </remarks>
    /// <param name="shuffleSeed">The seed of the permutation applied before the folds are cut (the reference uses 1). Range: value ≥ 0.</param>
    /// <param name="dataDirectory">The data folder, or <see langword="null"/> to search for it.</param>
    /// <exception cref="FileNotFoundException">The file was not found.</exception>
    /// <exception cref="FormatException">The split column <c>ApprovalFY</c> or another column is missing, or a value is unreadable.</exception>
    public ShiftDataset SbaTemporal(int shuffleSeed = ShiftDatasets.ReferenceShuffleSeed, string? dataDirectory = null)
        => LoadedShift(ShiftDatasets.SbaTemporal(CheckSeed(shuffleSeed), dataDirectory));

    /// <summary>
    /// Loads the geospatial shift: Portuguese student performance (<c>shift/student-por.csv</c>, 649 rows); M1 on the
    /// 423 students of school GP, M2 on both schools. As in the reference code, the label is <em>failing</em> (final
    /// grade G3 &lt; 10); G1, G2 and G3 are not features.
    /// </summary>
    /// <remarks>
    /// Numeric columns are standardised with the mean and population standard deviation of school GP; text columns
    /// become one 0/1 indicator per value; the school indicators are dropped. Every feature is free, as in the reference.
    /// </remarks>
    /// <param name="shuffleSeed">The seed of the permutation applied before the folds are cut (the reference uses 1). Range: value ≥ 0.</param>
    /// <param name="dataDirectory">The data folder, or <see langword="null"/> to search for it.</param>
    /// <exception cref="FileNotFoundException">The file was not found.</exception>
    /// <exception cref="FormatException">The split column <c>school</c> or another column is missing, or a value is unreadable.</exception>
    public ShiftDataset StudentGeospatial(int shuffleSeed = ShiftDatasets.ReferenceShuffleSeed, string? dataDirectory = null)
        => LoadedShift(ShiftDatasets.StudentGeospatial(CheckSeed(shuffleSeed), dataDirectory));

    /// <summary>Loads a model-update experiment by name, as the CLI does.</summary>
    /// <param name="name">One of <see cref="ShiftNames"/> (case-insensitive).</param>
    /// <param name="shuffleSeed">The seed of the fold permutation (the reference uses 1). Range: value ≥ 0.</param>
    /// <param name="dataDirectory">The data folder, or <see langword="null"/> to search for it.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="name"/> is not a known shift; the message lists the valid names.</exception>
    public ShiftDataset LoadShift(string name, int shuffleSeed = ShiftDatasets.ReferenceShuffleSeed, string? dataDirectory = null)
    {
        Contracts.CheckValue(name, nameof(name));
        return name.ToLowerInvariant() switch
        {
            "german-correction" => GermanCorrection(shuffleSeed, dataDirectory),
            "sba-temporal" => SbaTemporal(shuffleSeed, dataDirectory),
            "student-geospatial" => StudentGeospatial(shuffleSeed, dataDirectory),
            _ => throw new ArgumentOutOfRangeException(nameof(name), name,
                $"Unknown shift '{name}'. Valid names: {string.Join(", ", ShiftNames)}."),
        };
    }

    /// <summary>
    /// Makes a retraining shift of a data set: all its rows (training, validation and test) are shuffled; M1 and M2
    /// are then trained on two disjoint halves (<see cref="RetrainingShiftKind.FreshSample"/>) or on the same rows
    /// (<see cref="RetrainingShiftKind.Seed"/>, where only the training seed differs). The features, actionability and
    /// maximum change are the data set's.
    /// </summary>
    /// <param name="dataset">The data set.</param>
    /// <param name="kind">How M2's data is drawn.</param>
    /// <param name="shuffleSeed">The seed of the permutation. Range: value ≥ 0.</param>
    public ShiftDataset RetrainingShift(RecourseDataset dataset, RetrainingShiftKind kind, int shuffleSeed = ShiftDatasets.ReferenceShuffleSeed)
    {
        Contracts.CheckValue(dataset, nameof(dataset));
        Contracts.CheckParam(Enum.IsDefined(kind), nameof(kind), $"Unknown retraining shift {kind}.");
        return LoadedShift(ShiftDatasets.Retraining(dataset, kind, CheckSeed(shuffleSeed)));
    }

    /// <summary>
    /// Makes a model-update experiment from the user's data before and after a shift. Both views need a
    /// <c>Features</c> column (known-size float vector with slot names) and a boolean <c>Label</c>; the slot names
    /// must agree, since M1 and M2 must see the same features.
    /// </summary>
    /// <param name="name">The shift's name.</param>
    /// <param name="before">The data M1 is trained on (D1).</param>
    /// <param name="after">The data M2 is trained on (D2).</param>
    /// <param name="features">The features' metadata (named as the slots), or <see langword="null"/> for free features without standardisation.</param>
    /// <param name="maximumChange">The maximum change per feature in standardised units; <see cref="double.PositiveInfinity"/> for none. Range: value &gt; 0.</param>
    /// <param name="shuffleSeed">The seed of the fold permutation. Range: value ≥ 0.</param>
    /// <exception cref="ArgumentOutOfRangeException">The two sides' feature sets differ (the message lists the differences), or a value is not finite.</exception>
    public ShiftDataset CreateShift(string name, IDataView before, IDataView after, IReadOnlyList<FeatureInfo>? features = null,
        double maximumChange = double.PositiveInfinity, int shuffleSeed = ShiftDatasets.ReferenceShuffleSeed)
    {
        Contracts.CheckValue(name, nameof(name));
        Contracts.CheckParam(maximumChange > 0, nameof(maximumChange), FormattableString.Invariant($"Must be > 0 (or +∞); got {maximumChange}."));
        return LoadedShift(ShiftDatasets.FromViews(name, before, after, features, maximumChange, CheckSeed(shuffleSeed)));
    }

    private ShiftDataset LoadedShift(ShiftDataset shift)
    {
        _environment.Log(nameof(DatasetsCatalog), shift.ToString());
        return shift;
    }

    private static int CheckSeed(int splitSeed)
    {
        Contracts.CheckParam(splitSeed >= 0, nameof(splitSeed), FormattableString.Invariant($"Must be ≥ 0 (numpy's RandomState takes 0 … 2^32 − 1); got {splitSeed}."));
        return splitSeed;
    }

    private RecourseDataset Loaded(RecourseDataset dataset)
    {
        _environment.Log(nameof(DatasetsCatalog), dataset.ToString());
        return dataset;
    }
}
