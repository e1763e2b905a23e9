using Microsoft.ML;
using System.Collections.Concurrent;
using Microsoft.ML.Recourse.Actions;
using Microsoft.ML.Data;
using Microsoft.ML.Recourse.Datasets;
using Microsoft.ML.Recourse.Tests.TestFramework;

namespace Microsoft.ML.Recourse.Tests.Datasets;

// Row counts below are counted in the source files (shift/ README and a csv module scan): german.csv and
// corrected_german.csv 1,000 rows each; SBA 2,102 loans of which 1,159 before FY2006; student 649 of which 423 at GP,
// 100 with G3 < 10 (32 at GP).
public class ShiftDatasetsTests
{
    private static readonly ConcurrentDictionary<string, ShiftDataset> Cache = new();

    private static ShiftDataset Load(string name) => Cache.GetOrAdd(name, n => new MLContext(seed: 1).Recourse().Datasets.LoadShift(n));

    [ReferenceDataTheory]
    [InlineData("german-correction", 1000, 1000, 7)]
    [InlineData("sba-temporal", 1159, 2102, 26)]
    [InlineData("student-geospatial", 423, 649, 54)]
    public void LoadShift_RowAndFeatureCounts_MatchTheFiles(string name, int before, int after, int features)
    {
        var shift = Load(name);
        shift.Name.Should().Be(name);
        shift.BeforeRowCount.Should().Be(before);
        shift.AfterRowCount.Should().Be(after);
        shift.FeatureCount.Should().Be(features);
    }

    [ReferenceDataFact]
    public void GermanCorrection_Features_AreReducedAndShareTheCorrectedCodes()
    {
        var shift = Load("german-correction");
        shift.Features.Select(f => f.Name).Should().Equal("duration", "amount", "age",
            "personal_status_sex_1", "personal_status_sex_2", "personal_status_sex_3", "personal_status_sex_4");
        shift.Features.Skip(3).Should().OnlyContain(f => f.Actionability == FeatureActionability.Immutable);
        var fold = shift.GetFold(0);
        // Category sizes 50, 310, 548, 92 on both sides once german.csv's codes are mapped to the corrected ones.
        foreach (var (train, test) in new[] { (ShiftPart.BeforeTrain, ShiftPart.BeforeTest), (ShiftPart.AfterTrain, ShiftPart.AfterTest) })
        {
            var rows = fold.GetFeatureMatrix(train).Concat(fold.GetFeatureMatrix(test)).ToArray();
            var sizes = Enumerable.Range(3, 4).Select(j => (int)Enumerable.Range(0, 1000).Sum(r => rows[r * 7 + j])).ToArray();
            sizes.Should().Equal(50, 310, 548, 92);
        }
    }

    [ReferenceDataFact]
    public void SbaTemporal_LeakingChargeOffColumns_AreDropped()
    {
        var names = Load("sba-temporal").Features.Select(f => f.Name).ToArray();
        names.Should().NotContain(["ChgOffPrinGr", "ChgOffDate", "Default", "MIS_Status"]);
        names.Should().Contain(["ApprovalFY", "Term", "RevLineCr_N", "RevLineCr_Y"]);
    }

    [ReferenceDataFact]
    public void StudentGeospatial_LabelIsFailingAndSchoolIsNoFeature()
    {
        var shift = Load("student-geospatial");
        shift.Features.Select(f => f.Name).Should().NotContain(["school_GP", "school_MS", "G1", "G2", "G3"]).And.Contain("schoolsup_yes");
        var fold = shift.GetFold(2);
        int before = fold.GetLabels(ShiftPart.BeforeTrain).Concat(fold.GetLabels(ShiftPart.BeforeTest)).Count(l => l);
        int after = fold.GetLabels(ShiftPart.AfterTrain).Concat(fold.GetLabels(ShiftPart.AfterTest)).Count(l => l);
        before.Should().Be(32);
        after.Should().Be(100);
    }

    [ReferenceDataTheory]
    [InlineData("german-correction")]
    [InlineData("sba-temporal")]
    [InlineData("student-geospatial")]
    public void GetFold_TestChunks_PartitionTheRowsIntoFiveContiguousChunks(string name)
    {
        var shift = Load(name);
        var testIds = new List<int>();
        for (int f = 0; f < ShiftDataset.FoldCount; f++)
        {
            var fold = shift.GetFold(f);
            int n = shift.BeforeRowCount;
            fold.GetRowCount(ShiftPart.BeforeTest).Should().Be((int)((f + 1) / 5.0 * n) - (int)(f / 5.0 * n));
            (fold.GetRowCount(ShiftPart.BeforeTrain) + fold.GetRowCount(ShiftPart.BeforeTest)).Should().Be(n);
            (fold.GetRowCount(ShiftPart.AfterTrain) + fold.GetRowCount(ShiftPart.AfterTest)).Should().Be(shift.AfterRowCount);
            testIds.AddRange(fold.GetView(ShiftPart.BeforeTest).GetColumn<int>(RecourseDataset.RowIdColumnName));
        }
        testIds.Should().HaveCount(shift.BeforeRowCount).And.OnlyHaveUniqueItems();
    }

    [ReferenceDataTheory]
    [InlineData("german-correction")]
    [InlineData("sba-temporal")]
    [InlineData("student-geospatial")]
    public void LoadShift_StandardisedFeatures_HaveMeanZeroAndUnitPopulationSdBeforeTheShift(string name)
    {
        var shift = Load(name);
        var fold = shift.GetFold(0);
        var rows = fold.GetFeatureMatrix(ShiftPart.BeforeTrain).Concat(fold.GetFeatureMatrix(ShiftPart.BeforeTest)).ToArray();
        int d = shift.FeatureCount, n = shift.BeforeRowCount;
        for (int j = 0; j < d; j++)
        {
            if (shift.Features[j].Scale == 1 && shift.Features[j].Mean == 0) continue;
            var column = Enumerable.Range(0, n).Select(r => rows[r * d + j]).ToArray();
            double mean = column.Average();
            mean.Should().BeApproximately(0, 1e-9, shift.Features[j].Name);
            Math.Sqrt(column.Sum(v => (v - mean) * (v - mean)) / n).Should().BeApproximately(1, 1e-9, shift.Features[j].Name);
        }
    }

    [ReferenceDataTheory]
    [InlineData("sba-temporal", "SBAcase.11.13.17.csv", "ApprovalFY", ',')]
    [InlineData("student-geospatial", "student-por.csv", "school", ';')]
    public void LoadShift_FileWithoutSplitColumn_ThrowsNamingIt(string name, string file, string splitColumn, char separator)
    {
        string dir = Path.Combine(Path.GetTempPath(), "shift-test-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path.Combine(dir, "shift"));
        try
        {
            var lines = File.ReadAllLines(DataDirectory.Locate("shift/" + file)).Take(20).ToArray();
            int drop = lines[0].Trim('\uFEFF').Split(separator).Select(c => c.Trim('"')).ToList().IndexOf(splitColumn);
            drop.Should().BeGreaterThanOrEqualTo(0);
            var without = lines.Select(l => string.Join(separator, l.Trim('\uFEFF').Split(separator).Where((_, i) => i != drop)));
            File.WriteAllLines(Path.Combine(dir, "shift", file), without);
            var act = () => new MLContext(seed: 1).Recourse().Datasets.LoadShift(name, dataDirectory: dir);
            act.Should().Throw<FormatException>().WithMessage($"*'{splitColumn}'*split column*");
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void CreateShift_DifferentFeatureSets_ThrowsListingTheDifferences()
    {
        var before = new DataViewBuilder().AddVectorColumn("Features", new[] { new float[] { 1, 2 }, [3, 4], [5, 6], [7, 8], [9, 10] }, ["a", "b"])
            .AddColumn("Label", new[] { true, false, true, false, true }).Build();
        var after = new DataViewBuilder().AddVectorColumn("Features", new[] { new float[] { 1, 2 }, [3, 4], [5, 6], [7, 8], [9, 10] }, ["a", "c"])
            .AddColumn("Label", new[] { true, false, true, false, true }).Build();
        var act = () => new MLContext(1).Recourse().Datasets.CreateShift("mine", before, after);
        act.Should().Throw<ArgumentOutOfRangeException>().WithMessage("*M1 and M2*only before: b*only after: c*");
        new MLContext(1).Recourse().Datasets.CreateShift("mine", before, before).FeatureCount.Should().Be(2);
    }

    [ReferenceDataFact]
    public void RetrainingShift_FreshSample_UsesDisjointHalvesAndTheDataSetsActions()
    {
        var ctx = new MLContext(seed: 1).Recourse();
        var german = ctx.Datasets.German();
        var shift = ctx.Datasets.RetrainingShift(german, RetrainingShiftKind.FreshSample);
        shift.Name.Should().Be("german-fresh-sample");
        (shift.BeforeRowCount + shift.AfterRowCount).Should().Be(1000);
        shift.MaximumChange.Should().Be(german.MaximumChange);
        var fold = shift.GetFold(0);
        var beforeIds = fold.GetView(ShiftPart.BeforeTrain).GetColumn<int>(RecourseDataset.RowIdColumnName).Concat(fold.GetView(ShiftPart.BeforeTest).GetColumn<int>(RecourseDataset.RowIdColumnName));
        var afterIds = fold.GetView(ShiftPart.AfterTrain).GetColumn<int>(RecourseDataset.RowIdColumnName).Concat(fold.GetView(ShiftPart.AfterTest).GetColumn<int>(RecourseDataset.RowIdColumnName));
        beforeIds.Intersect(afterIds).Should().BeEmpty();
        ctx.Datasets.RetrainingShift(german, RetrainingShiftKind.Seed).AfterRowCount.Should().Be(1000);
    }

    [ReferenceDataFact]
    public void GetFold_OutOfRange_Throws()
    {
        var act = () => Load("german-correction").GetFold(5);
        act.Should().Throw<ArgumentOutOfRangeException>().WithMessage("*[0, 5)*");
    }
}
