using Microsoft.ML;
using Microsoft.ML.Recourse.Tests.TestFramework;
using System.Globalization;
using System.Text;
using Microsoft.ML.Recourse.Actions;
using Microsoft.ML.Data;
using Microsoft.ML.Recourse.Datasets;

namespace Microsoft.ML.Recourse.Tests.Datasets;

public class CsvDatasetTests
{
    internal static string ExampleDirectory => Path.Combine(RepositoryPaths.Root, "docs", "examples", "user-data");

    internal static string ExampleData => Path.Combine(ExampleDirectory, "credit.csv");

    internal static string ExampleSchema => Path.Combine(ExampleDirectory, "credit.schema.json");

    /// <summary>
    /// The example data file is 200 applicants of the synthetic credit model (seed 7) in original units, plus an
    /// employment one-hot pair derived from hours (part-time below 35 h). Set RECOURSE_UPDATE_EXAMPLES=1 to rewrite it.
    /// </summary>
    internal static string GenerateExampleCsv()
    {
        var data = new MLContext(7).Recourse().Datasets.SyntheticCredit(rows: 200, seed: 7);
        var text = new StringBuilder("age,education-years,hours-per-week,income,debt-ratio,savings,employment_part-time,employment_full-time,ageGroup,repaid\n");
        foreach (var split in new[] { DatasetSplit.Train, DatasetSplit.Validation, DatasetSplit.Test })
        {
            var x = data.GetFeatureMatrix(split);
            var labels = data.GetLabels(split);
            var groups = data.GetSplit(split).GetColumn<string>("ageGroup").ToArray();
            for (int r = 0; r < labels.Length; r++)
            {
                var original = data.Features.Select((f, j) => Math.Round(f.ToOriginal(x[r * data.FeatureCount + j]), 1)).ToArray();
                bool partTime = original[2] < 35;
                text.Append(string.Join(',', original.Select(v => v.ToString("0.#", CultureInfo.InvariantCulture))))
                    .Append(partTime ? ",1,0," : ",0,1,").Append(groups[r]).Append(labels[r] ? ",1\n" : ",0\n");
            }
        }
        return text.ToString();
    }

    [Fact]
    public void Example_DataFile_IsWhatTheGeneratorWrites()
    {
        string expected = GenerateExampleCsv();
        if (Environment.GetEnvironmentVariable("RECOURSE_UPDATE_EXAMPLES") == "1")
            AtomicFile.WriteAllText(ExampleData, expected);

        File.ReadAllText(ExampleData).ReplaceLineEndings("\n").Should().Be(expected, "run the tests with RECOURSE_UPDATE_EXAMPLES=1 to regenerate docs/examples/user-data/credit.csv");
    }

    [Fact]
    public void LoadCsv_Example_BuildsStandardisedFeaturesLabelsAndActionSet()
    {
        var dataset = new MLContext(1).Recourse().Datasets.LoadCsv(ExampleData, ExampleSchema);

        dataset.FeatureCount.Should().Be(8);
        dataset.Data.Schema.Select(c => $"{c.Name} ({c.Type})").Should().Equal("Features (Vector<Single, 8>)", "Label (Boolean)", "RowId (Int32)", "ageGroup (String)");
        dataset.Data.Schema.SlotNamesOf("Features").Should().Equal(dataset.Features.Select(f => f.Name));
        var synthetic = new MLContext(7).Recourse().Datasets.SyntheticCredit(rows: 200, seed: 7);
        var labels = new[] { DatasetSplit.Train, DatasetSplit.Validation, DatasetSplit.Test }.SelectMany(synthetic.GetLabels).ToArray();
        dataset.GetLabels().Should().Equal(labels);

        // z-scored columns have mean 0 and sample standard deviation 1; FeatureInfo maps them back to the file's values.
        var x = dataset.GetFeatureMatrix();
        var age = Enumerable.Range(0, 200).Select(r => x[r * 8]).ToArray();
        age.Average().Should().BeApproximately(0, 1e-12);
        Math.Sqrt(age.Sum(v => v * v) / 199).Should().BeApproximately(1, 1e-12);
        string firstLine = File.ReadLines(ExampleData).Skip(1).First();
        dataset.Features[0].ToOriginal(x[0]).Should().BeApproximately(double.Parse(firstLine.Split(',')[0], CultureInfo.InvariantCulture), 1e-9);
        dataset.Features[6].Should().Be(new FeatureInfo("employment_part-time", IsCategorical: true));

        var actions = dataset.ActionSet;
        actions.MaximumChange.Should().Be(1.0);
        actions.Actions.Select(a => a.Actionability).Should().Equal(
            FeatureActionability.Immutable, FeatureActionability.IncreaseOnly, FeatureActionability.Free, FeatureActionability.Free,
            FeatureActionability.DecreaseOnly, FeatureActionability.IncreaseOnly, FeatureActionability.Immutable, FeatureActionability.Immutable);
        actions.Actions[2].Should().Match<FeatureAction>(a => a.LowerBound == 8 && a.UpperBound == 80 && a.GridStep == 1);
        actions.Actions[5].CostWeight.Should().Be(2);
        actions.OneHotGroups.Should().ContainSingle().Which.Should().Match<OneHotGroup>(g => g.Name == "employment" && !g.IsMutable);
    }

    [Fact]
    public void LoadCsv_UnstandardisedFeature_KeepsOriginalUnitsAndMeasuresStandardUnitsByItsDeviation()
    {
        var (data, schema) = Write("a,b,y\n1,0,1\n3,1,0\n5,0,1\n",
            """{"label":{"column":"y"},"maximumChange":0.5,"features":[{"name":"a","actionability":"free"},{"name":"b","actionability":"free","standardize":true,"mean":0.5,"scale":2}]}""");

        var dataset = new MLContext(1).Recourse().Datasets.LoadCsv(data, schema);

        dataset.GetFeatureMatrix().Should().Equal(1, -0.25, 3, 0.25, 5, -0.25);
        dataset.GetLabels().Should().Equal(true, false, true);
        dataset.Features[0].Should().Be(new FeatureInfo("a", Actionability: FeatureActionability.Free));
        dataset.Features[1].Should().Be(new FeatureInfo("b", 0.5, 2, Actionability: FeatureActionability.Free));
        dataset.ActionSet.Actions[0].StandardScale.Should().Be(2, "the sample standard deviation of 1, 3, 5 is 2");
        dataset.ActionSet.Actions[1].StandardScale.Should().Be(1);
    }

    public static TheoryData<string, string, string> BadInputs => new()
    {
        { "a,y\n1,1\n", """{"label":{"column":"y"},"features":[{"name":"income"}]}""", "*feature 'income' of schema file*is not a column of*its columns are: a, y*" },
        { "a,y\n1,1\n", """{"label":{"column":"y"},"features":[{"name":"a","actionability":"sometimes"}]}""", "*feature 'a' has actionability 'sometimes'; valid values: immutable, free, increaseOnly, decreaseOnly*" },
        { "a,y\n1,1\n", """{"label":{"column":"approved"},"features":[{"name":"a"}]}""", "*label column 'approved' of schema file*is not a column of*" },
        { "a,y\n1,1\n", """{"features":[{"name":"a"}]}""", "*the schema has no 'label'*" },
        { "a,y\n1,1\n", """{"label":{"column":"y"},"features":[{"name":"a","standardise":true}]}""", "*feature 'a' has unknown property 'standardise'*" },
        { "a,y\n1,yes\n", """{"label":{"column":"y","negativeValue":"0"},"features":[{"name":"a"}]}""", "*line 2, column 'y': cannot read 'yes' as a label ('1' or '0')*" },
        { "a,y\n2,1\n", """{"label":{"column":"y"},"features":[{"name":"a","categorical":true}]}""", "*line 2, column 'a': cannot read '2' as a 0/1 indicator*" },
        { "a,y\nn/a,1\n", """{"label":{"column":"y"},"features":[{"name":"a"}]}""", "*line 2, column 'a': cannot read 'n/a' as a number*" },
        { "a,b,y\n1,0,1\n", """{"label":{"column":"y"},"features":[{"name":"a","categorical":true},{"name":"b"}],"oneHotGroups":[{"name":"g","members":["a","b"]}]}""", "*one-hot group 'g' names 'b', which is not declared 'categorical'*" },
        { "a,y\n1,1\n", """{"label":{"column":"y"},"features":[{"name":"a","standardize":true}]}""", "*'a'*cannot be standardised*" },
    };

    [Theory]
    [MemberData(nameof(BadInputs))]
    public void LoadCsv_BadInput_IsRejectedNamingTheEntry(string csv, string schemaJson, string message)
    {
        var (data, schema) = Write(csv, schemaJson);

        var act = () => new MLContext(1).Recourse().Datasets.LoadCsv(data, schema);

        act.Should().Throw<FormatException>().WithMessage(message);
    }

    [Fact]
    public void LoadCsv_MissingFile_IsFileNotFound()
    {
        var act = () => new MLContext(1).Recourse().Datasets.LoadCsv("no-such.csv", ExampleSchema);

        act.Should().Throw<FileNotFoundException>().WithMessage("*no-such.csv*");
    }

    private static (string Data, string Schema) Write(string csv, string schema)
    {
        string dir = Path.Combine(Path.GetTempPath(), $"csvdataset-{Guid.NewGuid():N}");
        Directory.CreateDirectory(dir);
        File.WriteAllText(Path.Combine(dir, "data.csv"), csv);
        File.WriteAllText(Path.Combine(dir, "schema.json"), schema);
        return (Path.Combine(dir, "data.csv"), Path.Combine(dir, "schema.json"));
    }

}
