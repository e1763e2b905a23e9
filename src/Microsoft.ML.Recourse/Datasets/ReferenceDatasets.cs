using Microsoft.ML.Recourse.Actions;
using System.Globalization;
using Microsoft.ML.Data;
using static Microsoft.ML.Recourse.Actions.FeatureActionability;

namespace Microsoft.ML.Recourse.Datasets;

/// <summary>
/// The four data sets of Ross, Lakkaraju &amp; Bastani (2021), preprocessed exactly as the authors' code
/// (<c>alexisjihyeross/adversarial_recourse</c>, <c>utils/data_utils.py</c>) does; see <c>docs/datasets.md</c>.
/// </summary>
internal static class ReferenceDatasets
{
    internal const string AdultFile = "adult/adult.csv";
    internal const string CompasFile = "compas/compas-scores-two-years.csv";
    internal const string GermanFile = "german/german.csv";
    internal const string BailTrainFile = "bail/bail_train.csv";
    internal const string BailTestFile = "bail/bail_test.csv";

    private const string FromReferenceRepository = "the data/ folder of GitHub alexisjihyeross/adversarial_recourse";

    internal const string AdultHowToObtain =
        "adult.csv is UCI Adult's adult.data (https://archive.ics.uci.edu/dataset/2/adult), also in " + FromReferenceRepository +
        "; save it as adult/adult.csv in the data folder.";

    internal const string CompasHowToObtain =
        "compas-scores-two-years.csv is ProPublica's COMPAS file (GitHub propublica/compas-analysis), also in " + FromReferenceRepository +
        "; save it as compas/compas-scores-two-years.csv in the data folder.";

    internal const string GermanHowToObtain =
        "german.csv (UCI Statlog German Credit re-coded with integer codes) comes from " + FromReferenceRepository +
        "; save it as german/german.csv in the data folder.";

    internal const string BailHowToObtain =
        "bail_train.csv and bail_test.csv (North Carolina recidivism 1978/1980, Schmidt & Witte, ICPSR study 8987) come from " +
        FromReferenceRepository + "; save them in bail/ in the data folder.";

    private static readonly string[] AdultColumns =
    [
        "age", "workclass", "fnlwgt", "education", "education-num", "marital-status", "occupation", "relationship",
        "race", "sex", "capital-gain", "capital-loss", "hours-per-week", "native-country", "income",
    ];

    /// <summary>UCI Adult: 32,560 rows, 9 features, favourable = income &gt;50K.</summary>
    public static RecourseDataset Adult(int splitSeed, string? dataDirectory)
    {
        var csv = CsvTable.ReadWithoutHeader(DataDirectory.Locate(AdultFile, dataDirectory, AdultHowToObtain), AdultColumns);
        // The reference reads this header-less file with pandas' default header=0, so the first record becomes the
        // header and is lost; its rows (and RowIds) start at the second record.
        int n = csv.RowCount - 1;
        var rows = Enumerable.Range(1, n).ToArray();
        int income = csv.Column("income");
        var labels = rows.Select(r => csv.Text(r, income).Trim() switch
        {
            ">50K" => true,
            "<=50K" => false,
            var text => throw csv.Malformed(r, income, text, "an income class (<=50K or >50K)"),
        }).ToArray();

        var white = Contains(csv, rows, "race", "White");
        var male = Contains(csv, rows, "sex", "Male");
        var (table, features) = new DatasetBuilder(labels, Enumerable.Range(0, n).ToArray())
            .Continuous("age", Numbers(csv, rows, "age"), Immutable, "age in years")
            .Continuous("education-num", Numbers(csv, rows, "education-num"), IncreaseOnly, "education level (1 = preschool … 16 = doctorate)")
            .Continuous("capital-gain", Numbers(csv, rows, "capital-gain"), Immutable, "capital gains in dollars")
            .Continuous("capital-loss", Numbers(csv, rows, "capital-loss"), Immutable, "capital losses in dollars")
            .Continuous("hours-per-week", Numbers(csv, rows, "hours-per-week"), Free, "hours worked per week")
            .Indicator("isWhite", white, Immutable, "is white")
            .Indicator("native-country-United-States", Contains(csv, rows, "native-country", "United-States"), Immutable, "born in the United States")
            .Indicator("marital-status-Married", Contains(csv, rows, "marital-status", "Married"), Immutable, "is married")
            .Indicator("isMale", male, Immutable, "is male")
            .Group("isWhite", Names(white, "White", "Non-white"))
            .Group("isMale", Names(male, "Male", "Female"))
            .Build();
        return DatasetBuilder.SplitReference("adult", "UCI Adult (Census Income, adult.data)", features, table, splitSeed, testCount: 500);
    }

    /// <summary>ProPublica COMPAS two-year recidivism: 6,172 rows, 7 features, favourable = no two-year recidivism.</summary>
    public static RecourseDataset Compas(int splitSeed, string? dataDirectory)
    {
        var csv = CsvTable.ReadWithHeader(DataDirectory.Locate(CompasFile, dataDirectory, CompasHowToObtain));
        int days = csv.Column("days_b_screening_arrest"), isRecid = csv.Column("is_recid"), degree = csv.Column("c_charge_degree");
        // ProPublica's filters. The reference also keeps score_text != "NA", which removes nothing: pandas reads "NA" as
        // a missing value, and a missing value is never equal to the string. A missing day count fails the range test.
        var rows = Enumerable.Range(0, csv.RowCount).Where(r =>
            !csv.IsEmpty(r, days) && csv.Number(r, days) is >= -30 and <= 30
            && csv.Number(r, isRecid) != -1
            && csv.Text(r, degree) != "O").ToArray();

        int jailIn = csv.Column("c_jail_in"), jailOut = csv.Column("c_jail_out"), recid = csv.Column("two_year_recid"), id = csv.Column("id");
        var lengthOfStay = rows.Select(r => (double)FloorDays(csv.Timestamp(r, jailOut) - csv.Timestamp(r, jailIn))).ToArray();
        var labels = rows.Select(r => csv.Number(r, recid) == 0).ToArray();
        var rowIds = rows.Select(r => checked((int)csv.Number(r, id))).ToArray();

        var male = Contains(csv, rows, "sex", "Male");
        var caucasian = Contains(csv, rows, "race", "Caucasian");
        var (table, features) = new DatasetBuilder(labels, rowIds)
            .Continuous("age", Numbers(csv, rows, "age"), Immutable, "age in years")
            .Continuous("priors_count", Numbers(csv, rows, "priors_count"), Free, "number of prior offences")
            .Continuous("length_of_stay", lengthOfStay, Immutable, "days in jail for the current charge")
            .Continuous("days_b_screening_arrest", Numbers(csv, rows, "days_b_screening_arrest"), Immutable, "days between arrest and COMPAS screening")
            .Indicator("isMale", male, Immutable, "is male")
            .Indicator("isCaucasian", caucasian, Immutable, "is Caucasian")
            .Indicator("c_charge_degree_F", Contains(csv, rows, "c_charge_degree", "F"), Immutable, "current charge is a felony")
            .Group("isCaucasian", Names(caucasian, "Caucasian", "Non-Caucasian"))
            .Group("isMale", Names(male, "Male", "Female"))
            .Build();
        return DatasetBuilder.SplitReference("compas", "ProPublica COMPAS two-year recidivism (Broward County, FL)", features, table, splitSeed, testCount: 500);
    }

    /// <summary>German credit: 1,000 rows, 7 features, favourable = credit_risk 0 (bad credit), as the reference code.</summary>
    public static RecourseDataset German(int splitSeed, string? dataDirectory)
    {
        var csv = CsvTable.ReadWithHeader(DataDirectory.Locate(GermanFile, dataDirectory, GermanHowToObtain));
        var rows = Enumerable.Range(0, csv.RowCount).ToArray();
        int risk = csv.Column("credit_risk");
        // The reference labels credit_risk == 0 (bad credit) as the class to grant recourse to (see docs/datasets.md).
        var labels = rows.Select(r => csv.Number(r, risk) == 0).ToArray();
        var statusValues = Numbers(csv, rows, "personal_status_sex");
        var statusText = statusValues.Select(v => v.ToString(CultureInfo.InvariantCulture)).ToArray();

        var builder = new DatasetBuilder(labels, rows)
            .Continuous("duration", Numbers(csv, rows, "duration"), Immutable, "loan duration in months")
            .Continuous("amount", Numbers(csv, rows, "amount"), Free, "credit amount in Deutsche Mark")
            .Continuous("age", Numbers(csv, rows, "age"), IncreaseOnly, "age in years");
        // pandas.get_dummies: one indicator per distinct value, in ascending order ({1, 2, 3, 5} in this file).
        foreach (double code in statusValues.Distinct().Order())
        {
            string text = code.ToString(CultureInfo.InvariantCulture);
            builder.Indicator("personal_status_sex_" + text, statusValues.Select(v => v == code ? 1.0 : 0.0).ToArray(), Immutable,
                $"personal status and sex is code {text}");
        }
        var (table, features) = builder.Group("personal_status_sex", statusText).Build();
        return DatasetBuilder.SplitReference("german", "Statlog German Credit (UCI), integer-coded", features, table, splitSeed, testCount: 100);
    }

    /// <summary>
    /// North Carolina recidivism ("bail"): 7,911 train-file rows split into training and validation, and 500 rows
    /// sampled from the 8,923 test-file rows; favourable = no recidivism.
    /// </summary>
    public static RecourseDataset Bail(int splitSeed, string? dataDirectory)
    {
        var (trainTable, features) = BailFile(DataDirectory.Locate(BailTrainFile, dataDirectory, BailHowToObtain), null);
        var (testTable, _) = BailFile(DataDirectory.Locate(BailTestFile, dataDirectory, BailHowToObtain), features);
        var (train, validation) = ReferenceSplit.TrainTestSplit(trainTable.RowCount, 0.2, splitSeed);
        var (_, test) = ReferenceSplit.TrainTestSplit(testTable.RowCount, 500, splitSeed);
        return new RecourseDataset("bail", "North Carolina prison releasees 1978 (train file) and 1980 (test file), Schmidt & Witte",
            features, splitSeed, trainTable.Take(train), trainTable.Take(validation), testTable.Take(test));
    }

    internal static (DatasetTable Table, FeatureInfo[] Features) BailFile(string path, IReadOnlyList<FeatureInfo>? trainStandardisation)
    {
        var csv = CsvTable.ReadWithHeader(path);
        int file = csv.Column("FILE"), priors = csv.Column("PRIORS"), school = csv.Column("SCHOOL"), recid = csv.Column("RECID");
        // FILE 3 has meaningless ALCHY/JUNKY values, PRIORS −9 and SCHOOL 0 mean missing; the reference drops these rows.
        var rows = Enumerable.Range(0, csv.RowCount).Where(r =>
            csv.Number(r, file) != 3 && csv.Number(r, priors) != -9 && csv.Number(r, school) != 0).ToArray();
        var labels = rows.Select(r => csv.Number(r, recid) == 0).ToArray();

        var white = Numbers(csv, rows, "WHITE");
        var male = Numbers(csv, rows, "MALE");
        return new DatasetBuilder(labels, rows)
            .Indicator("WHITE", white, Immutable, "is white")
            .Indicator("ALCHY", Numbers(csv, rows, "ALCHY"), Immutable, "has a record of alcohol problems")
            .Indicator("JUNKY", Numbers(csv, rows, "JUNKY"), Immutable, "has a record of hard drug use")
            .Indicator("SUPER", Numbers(csv, rows, "SUPER"), Immutable, "release was supervised")
            .Indicator("MARRIED", Numbers(csv, rows, "MARRIED"), Immutable, "was married at release")
            .Indicator("FELON", Numbers(csv, rows, "FELON"), Immutable, "sentence was for a felony")
            .Indicator("WORKREL", Numbers(csv, rows, "WORKREL"), Immutable, "took part in work release")
            .Indicator("PROPTY", Numbers(csv, rows, "PROPTY"), Immutable, "sentence was for a property crime")
            .Indicator("PERSON", Numbers(csv, rows, "PERSON"), Immutable, "sentence was for a crime against a person")
            .Indicator("MALE", male, Immutable, "is male")
            .Continuous("PRIORS", Numbers(csv, rows, "PRIORS"), Immutable, "number of prior incarcerations")
            .Continuous("SCHOOL", Numbers(csv, rows, "SCHOOL"), IncreaseOnly, "years of school completed")
            .Continuous("RULE", Numbers(csv, rows, "RULE"), Free, "number of prison rule violations")
            .Continuous("AGE", Numbers(csv, rows, "AGE"), Immutable, "age in months at release")
            .Continuous("TSERVD", Numbers(csv, rows, "TSERVD"), Immutable, "months served")
            .Continuous("FOLLOW", Numbers(csv, rows, "FOLLOW"), Immutable, "months of follow-up")
            .Group("WHITE", Names(white, "White", "Non-white"))
            .Group("MALE", Names(male, "Male", "Female"))
            .Build(trainStandardisation);
    }

    private static double[] Numbers(CsvTable csv, int[] rows, string column)
    {
        int c = csv.Column(column);
        var values = new double[rows.Length];
        for (int i = 0; i < rows.Length; i++) values[i] = csv.Number(rows[i], c);
        return values;
    }

    /// <summary>1 where the cell contains <paramref name="text"/> (the reference's <c>'White' in row['race']</c>), else 0.</summary>
    private static double[] Contains(CsvTable csv, int[] rows, string column, string text)
    {
        int c = csv.Column(column);
        return rows.Select(r => csv.Text(r, c).Contains(text, StringComparison.Ordinal) ? 1.0 : 0.0).ToArray();
    }

    private static string[] Names(double[] indicator, string one, string zero) => indicator.Select(v => v == 1 ? one : zero).ToArray();

    /// <summary>Whole days, rounded down, as pandas' <c>Timedelta.days</c>.</summary>
    private static long FloorDays(TimeSpan span)
    {
        long days = Math.DivRem(span.Ticks, TimeSpan.TicksPerDay, out long remainder);
        return remainder < 0 ? days - 1 : days;
    }
}
