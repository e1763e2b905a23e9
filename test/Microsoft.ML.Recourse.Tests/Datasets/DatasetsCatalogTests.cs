using Microsoft.ML.Runtime;
using Microsoft.ML;
using System.Collections.Concurrent;
using Microsoft.ML.Recourse.Actions;
using Microsoft.ML.Data;
using Microsoft.ML.Recourse.Datasets;
using static Microsoft.ML.Recourse.Actions.FeatureActionability;
using Microsoft.ML.Recourse.Tests.TestFramework;

namespace Microsoft.ML.Recourse.Tests.Datasets;

// The data files are found in ../shared/data beside the clone (as on CI). The reference figures below ("fixtures")
// come from reference_fixtures.py in this folder, which re-implements the reference preprocessing with pandas 1.5.3,
// numpy 1.24.2 and scikit-learn 1.2.1:  python3 test/Microsoft.ML.Recourse.Tests/Datasets/reference_fixtures.py
public class DatasetsCatalogTests
{
    private static readonly ConcurrentDictionary<(string, int), RecourseDataset> Cache = new();

    private static RecourseDataset Load(string name, int seed = 0)
        => Cache.GetOrAdd((name, seed), key => new MLContext(seed: 1).Recourse().Datasets.Load(key.Item1, key.Item2));

    public static TheoryData<string, int, int, int> SplitSizes => new()
    {
        { "adult", 26048, 6012, 500 },
        { "compas", 4937, 735, 500 },
        { "german", 800, 100, 100 },
        { "bail", 6328, 1583, 500 },
        { "synthetic", 4000, 500, 500 },
    };

    [ReferenceDataTheory]
    [MemberData(nameof(SplitSizes))]
    public void Load_SplitSizes_AreTheReferenceSizes(string name, int train, int validation, int test)
    {
        var data = Load(name);
        data.TrainSet.RowCount().Should().Be(train);
        data.ValidationSet.RowCount().Should().Be(validation);
        data.TestSet.RowCount().Should().Be(test);
        data.GetLabels(DatasetSplit.Train).Should().HaveCount(train);
        data.GetFeatureMatrix(DatasetSplit.Test).Should().HaveCount(test * data.FeatureCount);
    }

    [ReferenceDataTheory]
    [InlineData("adult", 32560)]
    [InlineData("compas", 6172)]
    [InlineData("german", 1000)]
    [InlineData("bail", 7911)]
    public void Load_RowsAfterPreprocessing_MatchReference(string name, int rows)
    {
        var data = Load(name);
        var ids = AllSplits(name == "bail").SelectMany(s => data.GetSplit(s).GetColumn<int>(RecourseDataset.RowIdColumnName)).ToArray();
        ids.Should().HaveCount(rows).And.OnlyHaveUniqueItems();
    }

    [ReferenceDataFact]
    public void Bail_TestFile_Has8923RowsAfterPreprocessing()
    {
        var train = ReferenceDatasets.BailFile(DataDirectory.Locate(ReferenceDatasets.BailTrainFile), null);
        var test = ReferenceDatasets.BailFile(DataDirectory.Locate(ReferenceDatasets.BailTestFile), train.Features);
        train.Table.RowCount.Should().Be(7911);
        test.Table.RowCount.Should().Be(8923);
        // Fixture: 5,581 favourable rows in the test file.
        test.Table.Labels.Count(l => l).Should().Be(5581);
    }

    // Bail is the data set whose figures sit furthest from the paper (docs/results/ross2021/README.md), so its seed-0
    // matrices are pinned whole against the reference code itself: utils/data_utils.py of alexisjihyeross/
    // adversarial_recourse (a3b2104), process_bail_data + get_data(random_state=0) + write_data/read_data, run with
    // pandas 1.5.3 and scikit-learn 1.2.1 on the shared files. Per split: rows, favourable labels, the column sums of the
    // z-scored columns (PRIORS … FOLLOW, to the 10 digits printed) and Σᵢ i·Σⱼ xᵢⱼ over the rows in order (i from 1), which also pins the row order.
    public static TheoryData<DatasetSplit, int, int, double[], double> BailSeed0Matrices => new()
    {
        { DatasetSplit.Train, 6328, 3957, [13.94533655, 21.20926649, 59.36814879, -29.72032047, 46.48300889, 27.37902166], 80227249.992 },
        { DatasetSplit.Validation, 1583, 1018, [-13.94533655, -21.20926649, -59.36814879, 29.72032047, -46.48300889, -27.37902166], 4946013.01879 },
        { DatasetSplit.Test, 500, 314, [-35.04295638, -26.28139653, 50.28336493, -1.04845031, -16.7174787, -3440.99135], -299797.463987 },
    };

    [ReferenceDataTheory]
    [MemberData(nameof(BailSeed0Matrices))]
    public void Bail_Seed0Matrices_EqualTheReferenceCodes(DatasetSplit split, int rows, int favourable, double[] continuousSums, double orderedSum)
    {
        var data = Load("bail");
        int d = data.FeatureCount;
        var x = data.GetFeatureMatrix(split);
        x.Length.Should().Be(rows * d);
        data.GetLabels(split).Count(l => l).Should().Be(favourable);
        for (int j = 10; j < d; j++)
            Enumerable.Range(0, rows).Sum(i => x[i * d + j]).Should().BeApproximately(continuousSums[j - 10], 1e-8 * Math.Max(1, Math.Abs(continuousSums[j - 10])), data.Features[j].Name);
        double ordered = 0;
        for (int i = 0; i < rows; i++)
            for (int j = 0; j < d; j++) ordered += (i + 1) * x[i * d + j];
        ordered.Should().BeApproximately(orderedSum, 1e-6 * Math.Max(1, Math.Abs(orderedSum)));
    }

    [ReferenceDataTheory]
    [InlineData("adult", "age,education-num,capital-gain,capital-loss,hours-per-week,isWhite,native-country-United-States,marital-status-Married,isMale")]
    [InlineData("compas", "age,priors_count,length_of_stay,days_b_screening_arrest,isMale,isCaucasian,c_charge_degree_F")]
    [InlineData("german", "duration,amount,age,personal_status_sex_1,personal_status_sex_2,personal_status_sex_3,personal_status_sex_5")]
    [InlineData("bail", "WHITE,ALCHY,JUNKY,SUPER,MARRIED,FELON,WORKREL,PROPTY,PERSON,MALE,PRIORS,SCHOOL,RULE,AGE,TSERVD,FOLLOW")]
    [InlineData("synthetic", "age,education-years,hours-per-week,income,debt-ratio,savings")]
    public void Load_FeatureOrder_IsTheReferenceOrderAndTheSlotNames(string name, string expected)
    {
        var data = Load(name);
        var names = expected.Split(',');
        data.Features.Select(f => f.Name).Should().Equal(names);
        var features = data.TrainSet.Schema[DefaultColumnNames.Features];
        features.Type.Should().Be(new VectorDataViewType(NumberDataViewType.Single, names.Length));
        SlotNames.Of(features).Should().Equal(names);
        data.TestSet.Schema[DefaultColumnNames.Label].Type.Should().Be(BooleanDataViewType.Instance);
        data.MaximumChange.Should().Be(0.75);
        data.Features.Should().OnlyContain(f => f.Description != null && f.Description.Length > 0);
    }

    [ReferenceDataTheory]
    [InlineData("adult", "education-num", IncreaseOnly, "hours-per-week", Free)]
    [InlineData("compas", "priors_count", Free, null, Immutable)]
    [InlineData("german", "amount", Free, "age", IncreaseOnly)]
    [InlineData("bail", "SCHOOL", IncreaseOnly, "RULE", Free)]
    public void Load_Actionability_FollowsReference(string name, string first, FeatureActionability firstKind, string? second, FeatureActionability secondKind)
    {
        var data = Load(name);
        foreach (var f in data.Features)
        {
            var expected = f.Name == first ? firstKind : f.Name == second ? secondKind : Immutable;
            f.Actionability.Should().Be(expected, $"{name} feature {f.Name}");
        }
    }

    [Fact]
    public void SyntheticCredit_Actionability_IsSensible()
    {
        Load("synthetic").Features.Select(f => f.Actionability)
            .Should().Equal(Immutable, IncreaseOnly, Free, Free, DecreaseOnly, IncreaseOnly);
    }

    // Favourable rates over all preprocessed rows (bail: the train file), from the fixture script:
    // adult 7,841 / 32,560 = 0.24081695…, compas 3,363 / 6,172 = 0.54488010…, german 300 / 1,000, bail 4,975 / 7,911 = 0.62887119….
    [ReferenceDataTheory]
    [InlineData("adult", 7841)]
    [InlineData("compas", 3363)]
    [InlineData("german", 300)]
    [InlineData("bail", 4975)]
    public void Load_FavourableLabelCount_MatchesReference(string name, int positives)
    {
        var data = Load(name);
        AllSplits(name == "bail").Sum(s => data.GetLabels(s).Count(l => l)).Should().Be(positives);
    }

    [ReferenceDataTheory]
    [InlineData("adult", false)]
    [InlineData("compas", false)]
    [InlineData("german", false)]
    [InlineData("bail", true)]
    [InlineData("synthetic", false)]
    public void Load_StandardisedColumns_HaveZeroMeanAndUnitSampleStd(string name, bool trainFileOnly)
    {
        var data = Load(name);
        int d = data.FeatureCount;
        var x = AllSplits(trainFileOnly).SelectMany(s => data.GetFeatureMatrix(s)).ToArray();
        int n = x.Length / d;
        for (int j = 0; j < d; j++)
        {
            var column = Enumerable.Range(0, n).Select(i => x[i * d + j]).ToArray();
            var f = data.Features[j];
            if (f.IsCategorical)
            {
                (f.Mean, f.Scale).Should().Be((0.0, 1.0));
                column.Should().OnlyContain(v => v == 0 || v == 1, f.Name);
                continue;
            }
            double mean = column.Average();
            double std = Math.Sqrt(column.Sum(v => (v - mean) * (v - mean)) / (n - 1));
            mean.Should().BeApproximately(0, 1e-12, f.Name);
            std.Should().BeApproximately(1, 1e-12, f.Name);
        }
    }

    // Fixture: pandas mean and std (ddof=1) of each z-scored column.
    [ReferenceDataTheory]
    [InlineData("adult", "age", 38.581633906633904, 13.640641827464046)]
    [InlineData("adult", "capital-gain", 1077.615171990172, 7385.402998549865)]
    [InlineData("adult", "hours-per-week", 40.437469287469284, 12.347618058480544)]
    [InlineData("compas", "length_of_stay", 14.622812702527543, 46.69352754049049)]
    [InlineData("compas", "days_b_screening_arrest", -1.7402786779001944, 5.084708898215579)]
    [InlineData("german", "amount", 3271.258, 2822.73687596044)]
    [InlineData("german", "age", 35.546, 11.375468574317502)]
    [InlineData("bail", "AGE", 345.2487675388699, 116.7282495842773)]
    [InlineData("bail", "FOLLOW", 74.86992794842624, 3.436789799917257)]
    public void Load_Standardisation_MatchesPandas(string name, string feature, double mean, double std)
    {
        var f = Load(name).Features.Single(x => x.Name == feature);
        f.Mean.Should().BeApproximately(mean, Math.Abs(mean) * 1e-13);
        f.Scale.Should().BeApproximately(std, std * 1e-13);
        f.IsCategorical.Should().BeFalse();
    }

    public static TheoryData<string, int, int[], int[], int[], int[], double[]> ReferenceSplits => new()
    {
        { "adult", 0, [12467, 15282, 24869, 18822, 26403], [17927, 103, 4035, 10767, 22600], [15654, 18768, 20169, 19176, 32064], [6286, 1436, 119],
            [-0.042639775605195, 0.357370511320384, -0.14591149219639923, -0.21665968310824274, -0.03542944763899812, 1, 1, 1, 1] },
        { "adult", 42, [24639, 5514, 19777, 10781, 32239], [15752, 27658, 15516, 3058, 1972], [17854, 27431, 26635, 24876, 6039], [6241, 1473, 127],
            [0.10398089117114416, 1.1347612013652597, 1.0204432756735968, -0.21665968310824274, -0.03542944763899812, 1, 0, 0, 0] },
        { "compas", 0, [2533, 8535, 9907, 4099, 4851], [10483, 28, 6657, 916, 9756], [7199, 2511, 9955, 8586, 1370], [2684, 400, 279],
            [-0.5570322215177905, -0.47355493959575773, -0.3131657313713835, 0.14558919551126845, 1, 0, 1] },
        { "compas", 42, [8155, 9197, 7606, 1774, 9220], [3332, 45, 10165, 5982, 4885], [9733, 432, 2696, 4444, 5179], [2680, 401, 282],
            [-1.153744926346697, -0.684357758721976, -0.22750075357480598, 0.14558919551126845, 1, 0, 1] },
        { "german", 0, [687, 500, 332, 979, 817], [860, 832, 331, 993, 638], [14, 945, 789, 367, 648], [242, 29, 29],
            [-0.48951744162965344, -0.6618604857968997, -0.6633572894778745, 0, 1, 0, 0] },
        { "german", 42, [29, 535, 695, 557, 836], [411, 621, 721, 914, 917], [436, 899, 346, 60, 867], [241, 31, 28],
            [-1.235859466814624, -0.9250802022103161, -1.1028996228186343, 0, 0, 1, 0] },
        { "bail", 0, [4557, 7890, 11014, 15569, 8465], [15753, 12860, 352, 2074, 10479], [5127, 2756, 4112, 5485, 1155], [3957, 1018, 314],
            [1, 1, 0, 0, 0, 1, 0, 0, 0, 0, -0.48506274867482524, -1.075695919295895, -0.4941382627310615, 0.49474940870619283, -0.574619967927509, -7.527352399919563] },
        { "bail", 42, [4956, 3603, 14783, 12392, 2866], [5721, 11115, 9227, 6985, 6156], [9978, 4204, 461, 12566, 13606], [4001, 974, 313],
            [0, 1, 1, 0, 0, 0, 0, 0, 0, 1, -0.1409691865544394, 0.145226665718427, 2.4088847136383413, -0.8845225376597868, 0.012642564360090132, -5.1995987502222185] },
    };

    [ReferenceDataTheory]
    [MemberData(nameof(ReferenceSplits))]
    public void Load_Splits_AreTheReferenceSplits(string name, int seed, int[] trainIds, int[] validationIds, int[] testIds, int[] positives, double[] firstTestRow)
    {
        var data = Load(name, seed);
        data.SplitSeed.Should().Be(seed);
        data.TrainSet.GetColumn<int>(RecourseDataset.RowIdColumnName).Take(5).Should().Equal(trainIds);
        data.ValidationSet.GetColumn<int>(RecourseDataset.RowIdColumnName).Take(5).Should().Equal(validationIds);
        data.TestSet.GetColumn<int>(RecourseDataset.RowIdColumnName).Take(5).Should().Equal(testIds);
        AllSplits(false).Select(s => data.GetLabels(s).Count(l => l)).Should().Equal(positives);
        var row = data.GetFeatureMatrix(DatasetSplit.Test).Take(data.FeatureCount).ToArray();
        for (int j = 0; j < row.Length; j++)
            row[j].Should().BeApproximately(firstTestRow[j], 1e-12, data.Features[j].Name);
        var floats = data.TestSet.GetColumn<float[]>(DefaultColumnNames.Features).First();
        floats.Should().Equal(row.Select(v => (float)v));
    }

    [ReferenceDataTheory]
    [InlineData("adult", "isWhite", "White", "Non-white")]
    [InlineData("adult", "isMale", "Male", "Female")]
    [InlineData("compas", "isCaucasian", "Caucasian", "Non-Caucasian")]
    [InlineData("bail", "WHITE", "White", "Non-white")]
    [InlineData("bail", "MALE", "Male", "Female")]
    public void Load_GroupColumn_AgreesWithIndicatorFeature(string name, string column, string one, string zero)
    {
        var data = Load(name);
        data.GroupColumnNames.Should().Contain(column);
        int j = data.Features.Select(f => f.Name).ToList().IndexOf(column);
        var x = data.GetFeatureMatrix(DatasetSplit.Train);
        var groups = data.TrainSet.GetColumn<string>(column).ToArray();
        groups.Should().OnlyContain(g => g == one || g == zero);
        for (int i = 0; i < groups.Length; i++)
            groups[i].Should().Be(x[i * data.FeatureCount + j] == 1 ? one : zero);
    }

    [ReferenceDataFact]
    public void German_GroupColumn_IsPersonalStatusCodeAndNotAFeature()
    {
        var data = Load("german");
        data.GroupColumnNames.Should().Equal("personal_status_sex");
        var codes = data.TrainSet.GetColumn<string>("personal_status_sex").ToArray();
        codes.Distinct().Order().Should().Equal("1", "2", "3", "5");
        var x = data.GetFeatureMatrix(DatasetSplit.Train);
        for (int i = 0; i < codes.Length; i++)
            x[i * 7 + data.Features.Select(f => f.Name).ToList().IndexOf("personal_status_sex_" + codes[i])].Should().Be(1);
    }

    [ReferenceDataFact]
    public void Load_FeatureInfo_ConvertsBackToOriginalUnits()
    {
        var data = Load("adult");
        var hours = data.Features[4];
        hours.Name.Should().Be("hours-per-week");
        hours.DisplayName.Should().Be("hours worked per week");
        hours.IsInteger.Should().BeTrue();
        var x = data.GetFeatureMatrix(DatasetSplit.Train);
        var original = Enumerable.Range(0, data.TrainSet.RowCount()).Select(i => hours.ToOriginal(x[i * 9 + 4])).ToArray();
        original.Should().OnlyContain(v => Math.Abs(v - Math.Round(v)) < 1e-9 && v >= 1 && v <= 99);
    }

    [Theory]
    [InlineData("adult", "adult/adult.csv", "UCI")]
    [InlineData("compas", "compas/compas-scores-two-years.csv", "ProPublica")]
    [InlineData("german", "german/german.csv", "alexisjihyeross/adversarial_recourse")]
    [InlineData("bail", "bail/bail_train.csv", "ICPSR")]
    public void Load_MissingFile_ThrowsFileNotFoundListingPlacesAndSource(string name, string file, string source)
    {
        string empty = Directory.CreateTempSubdirectory("recourse-empty-").FullName;
        try
        {
            var act = () => new MLContext(seed: 1).Recourse().Datasets.Load(name, 0, empty);
            act.Should().Throw<FileNotFoundException>()
                .WithMessage($"*'{file}'*Looked in: {Path.Combine(empty, file)}*--data-dir*RECOURSE_DATA_DIR*{source}*");
        }
        finally
        {
            Directory.Delete(empty, recursive: true);
        }
    }

    [ReferenceDataFact]
    public void German_MalformedValue_ThrowsFormatExceptionNamingFileLineAndColumn()
    {
        string dir = Directory.CreateTempSubdirectory("recourse-bad-").FullName;
        try
        {
            Directory.CreateDirectory(Path.Combine(dir, "german"));
            var lines = File.ReadLines(DataDirectory.Locate(ReferenceDatasets.GermanFile)).Take(4).ToArray();
            lines[3] = string.Join(',', lines[3].Split(',').Select((v, i) => i == 4 ? "12x9" : v)); // field 4 is amount
            File.WriteAllLines(Path.Combine(dir, "german", "german.csv"), lines);
            var act = () => new MLContext(seed: 1).Recourse().Datasets.German(dataDirectory: dir);
            act.Should().Throw<FormatException>().WithMessage("german.csv line 4, column 'amount': cannot read '12x9' as a number.");
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [ReferenceDataFact]
    public void Adult_UnknownIncomeClass_ThrowsFormatExceptionNamingLine()
    {
        string dir = Directory.CreateTempSubdirectory("recourse-bad-").FullName;
        try
        {
            Directory.CreateDirectory(Path.Combine(dir, "adult"));
            var lines = File.ReadLines(DataDirectory.Locate(ReferenceDatasets.AdultFile)).Take(30).ToArray();
            lines[2] = lines[2].Replace("<=50K", "maybe", StringComparison.Ordinal).Replace(">50K", "maybe", StringComparison.Ordinal);
            File.WriteAllLines(Path.Combine(dir, "adult", "adult.csv"), lines);
            var act = () => new MLContext(seed: 1).Recourse().Datasets.Adult(dataDirectory: dir);
            act.Should().Throw<FormatException>().WithMessage("adult.csv line 3, column 'income': cannot read 'maybe'*");
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void Load_UnknownName_ThrowsListingValidNames()
    {
        var act = () => new MLContext(seed: 1).Recourse().Datasets.Load("heloc");
        act.Should().Throw<ArgumentOutOfRangeException>().WithMessage("*'heloc'*adult, compas, german, bail, synthetic*");
    }

    [Fact]
    public void Load_NegativeSeed_Throws()
    {
        var act = () => new MLContext(seed: 1).Recourse().Datasets.German(splitSeed: -1);
        act.Should().Throw<ArgumentOutOfRangeException>().WithParameterName("splitSeed");
    }

    [ReferenceDataFact]
    public void Load_NameIsCaseInsensitiveAndLogs()
    {
        var ml = new MLContext(seed: 1);
        var messages = new List<string>();
        ml.Log += (_, e) => { if (e.Kind == ChannelMessageKind.Info) messages.Add(e.RawMessage); };
        var ctx = ml.Recourse();
        ctx.Datasets.Load("German", 3).Name.Should().Be("german");
        messages.Should().ContainSingle().Which.Should().Contain("german: 7 features, 800 / 100 / 100 rows");
    }

    [Fact]
    public void SyntheticCredit_SameSeed_GivesIdenticalData()
    {
        var a = new MLContext(seed: 1).Recourse().Datasets.SyntheticCredit(rows: 1000, seed: 7);
        var b = new MLContext(seed: 99).Recourse().Datasets.SyntheticCredit(rows: 1000, seed: 7);
        var c = new MLContext(seed: 1).Recourse().Datasets.SyntheticCredit(rows: 1000, seed: 8);
        foreach (var split in AllSplits(false))
        {
            a.GetFeatureMatrix(split).Should().Equal(b.GetFeatureMatrix(split));
            a.GetLabels(split).Should().Equal(b.GetLabels(split));
        }
        a.Features.Should().Equal(b.Features);
        a.GetFeatureMatrix(DatasetSplit.Train).Should().NotEqual(c.GetFeatureMatrix(DatasetSplit.Train));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    public void SyntheticCredit_LabelBalance_IsAboutAThirdFavourable(int seed)
    {
        var data = new MLContext(seed: 1).Recourse().Datasets.SyntheticCredit(seed: seed);
        double rate = AllSplits(false).Average(s => data.GetLabels(s).Average(l => l ? 1.0 : 0.0));
        rate.Should().BeInRange(0.33, 0.38);
    }

    [Fact]
    public void SyntheticCredit_OriginalUnits_FollowTheModelsRanges()
    {
        var data = Load("synthetic");
        var x = data.GetFeatureMatrix(DatasetSplit.Train);
        int d = data.FeatureCount, n = x.Length / d;
        double Original(int i, int j) => data.Features[j].ToOriginal(x[i * d + j]);
        for (int i = 0; i < n; i++)
        {
            Original(i, 0).Should().BeInRange(18 - 1e-9, 75 + 1e-9);
            Original(i, 1).Should().BeInRange(6 - 1e-9, 20 + 1e-9);
            Original(i, 4).Should().BeInRange(-1e-9, 100 + 1e-9);
            Original(i, 5).Should().BeGreaterThanOrEqualTo(-1e-9);
        }
        // Education is caused by age: the correlation is positive.
        var age = Enumerable.Range(0, n).Select(i => x[i * d]).ToArray();
        var education = Enumerable.Range(0, n).Select(i => x[i * d + 1]).ToArray();
        age.Zip(education, (p, q) => p * q).Sum().Should().BeGreaterThan(0);
        data.GroupColumnNames.Should().Equal("ageGroup");
    }

    [Theory]
    [InlineData(99, 0, "rows")]
    [InlineData(1000, -1, "seed")]
    public void SyntheticCredit_BadArguments_Throw(int rows, int seed, string parameter)
    {
        var act = () => new MLContext(seed: 1).Recourse().Datasets.SyntheticCredit(rows, seed);
        act.Should().Throw<ArgumentOutOfRangeException>().WithParameterName(parameter);
    }

    [ReferenceDataFact]
    public void GetFeatureMatrix_ReturnsACopy()
    {
        var data = Load("german");
        var x = data.GetFeatureMatrix(DatasetSplit.Train);
        x[0] = 1234;
        data.GetFeatureMatrix(DatasetSplit.Train)[0].Should().NotBe(1234);
    }

    private static DatasetSplit[] AllSplits(bool trainFileOnly)
        => trainFileOnly ? [DatasetSplit.Train, DatasetSplit.Validation] : [DatasetSplit.Train, DatasetSplit.Validation, DatasetSplit.Test];
}
