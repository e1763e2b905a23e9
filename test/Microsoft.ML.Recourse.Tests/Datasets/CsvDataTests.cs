using Microsoft.ML;
using Microsoft.ML.Recourse.Tests.TestFramework;
using System.Globalization;
using System.Text;
using Microsoft.ML.Recourse.Actions;
using Microsoft.ML.Data;
using Microsoft.ML.Recourse.Datasets;

namespace Microsoft.ML.Recourse.Tests.Datasets;

public class CsvDataTests
{
    internal static string ExampleDirectory => Path.Combine(RepositoryPaths.Root, "docs", "examples", "user-data");

    internal static string ExampleData => Path.Combine(ExampleDirectory, "credit.csv");

    internal static string ExampleActions => Path.Combine(ExampleDirectory, "credit.actions.json");

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
    public void LoadCsv_Example_TypesColumnsByTheirValues_AndMapsTheLabel()
    {
        var data = new MLContext(1).Recourse().Datasets.LoadCsv(ExampleData, labelColumnName: "repaid");

        data.RowCount.Should().Be(200);
        data.NumericColumns.Should().Equal("age", "education-years", "hours-per-week", "income", "debt-ratio", "savings", "employment_part-time", "employment_full-time");
        data.TextColumns.Should().Equal("ageGroup");
        data.Data.Schema["age"].Type.Should().Be(NumberDataViewType.Single);
        data.Data.Schema["ageGroup"].Type.Should().Be(TextDataViewType.Instance);
        var labels = data.Data.GetColumn<bool>("Label").ToArray();
        var raw = File.ReadLines(ExampleData).Skip(1).Select(l => l.Split(',')[9] == "1").ToArray();
        labels.Should().Equal(raw);
        data.Data.GetColumn<float>("income").First().Should().Be(71.2f);
    }

    [Fact]
    public void LoadCsv_TextLabels_NeedTheFavourableValue_NamingTheValues()
    {
        var path = Write("x,outcome\n1,good\n2,bad\n");
        var catalog = new MLContext(1).Recourse().Datasets;
        FluentActions.Invoking(() => catalog.LoadCsv(path, "outcome")).Should().Throw<ArgumentOutOfRangeException>()
            .WithMessage("The label column 'outcome'*holds 'good'; name the favourable value (values: good, bad)*");
        catalog.LoadCsv(path, "outcome", positiveLabel: "good").Data.GetColumn<bool>("Label").Should().Equal(true, false);
        FluentActions.Invoking(() => catalog.LoadCsv(path, "outcome", "excellent")).Should().Throw<ArgumentOutOfRangeException>().WithMessage("*never holds 'excellent'*");
        FluentActions.Invoking(() => catalog.LoadCsv(path, "result")).Should().Throw<ArgumentOutOfRangeException>().WithMessage("*has no column 'result'; its columns are: x, outcome*");
    }

    [Theory]
    [InlineData("", "is empty: it has no header line")]
    [InlineData("a,a\n1,2\n", "the header names column 'a' twice")]
    [InlineData("a,b\n", "has a header but no data rows")]
    public void LoadCsv_BadFile_IsRejectedNamingTheProblem(string csv, string message)
    {
        var act = () => new MLContext(1).Recourse().Datasets.LoadCsv(Write(csv));
        act.Should().Throw<Exception>().Where(e => e is FormatException || e is InvalidOperationException).WithMessage($"*{message}*");
    }

    [Fact]
    public void LoadCsv_IntoAModelsSchema_MatchesColumnsByName_AndLeavesOutWhatTheFileLacks()
    {
        var ml = new MLContext(1);
        var schema = ml.Data.LoadFromEnumerable(new[] { new { b = 1f, a = "x", Label = true } }).Schema;
        var loaded = ml.Recourse().Datasets.LoadCsv(Write("a,c,b\nhello,9,2.5\n"), schema);
        loaded.Schema.Select(c => c.Name).Should().Equal("b", "a");
        loaded.GetColumn<float>("b").Should().Equal(2.5f);
        loaded.GetColumn<string>("a").Should().Equal("hello");
        FluentActions.Invoking(() => ml.Recourse().Datasets.LoadCsv(Write("z\n1\n"), schema)).Should().Throw<ArgumentOutOfRangeException>()
            .WithMessage("*has none of the model's input columns (b, a, Label); its columns are: z*");
    }

    [Fact]
    public void LoadCsv_MissingFile_IsFileNotFound()
    {
        var act = () => new MLContext(1).Recourse().Datasets.LoadCsv("no-such.csv");
        act.Should().Throw<FileNotFoundException>().WithMessage("*no-such.csv*");
    }

    private static string Write(string csv)
    {
        string path = Path.Combine(Path.GetTempPath(), $"csvdata-{Guid.NewGuid():N}.csv");
        File.WriteAllText(path, csv);
        return path;
    }
}
