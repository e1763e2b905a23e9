using Microsoft.ML;
using Microsoft.ML.Recourse.Tests.TestFramework;
using System.Globalization;
using System.Text.Json;
using Microsoft.ML.Recourse.Actions;
using Microsoft.ML.Data;
using Microsoft.ML.Recourse.Tests.Datasets;
using Microsoft.ML.Recourse.Models;
using Microsoft.ML.Recourse.Tests.Persuasion;
using Microsoft.ML.Recourse.Trainers;

namespace Microsoft.ML.Recourse.Tests.Recourse;

/// <summary>Runs <c>recourse explain</c> as a user would, on models trained in the test.</summary>
public class ExplainCommandTests
{
    private const int SplitSeed = 3;

    // A logistic model on the synthetic data (split seed 3), saved with the metadata recourse train writes.
    private static readonly Lazy<string> SyntheticModel = new(() =>
    {
        var ml = new MLContext(1);
        var context = ml.Recourse();
        var data = context.Datasets.Load("synthetic", SplitSeed);
        var model = context.Trainers.LogisticRegression().Fit(data.TrainSet);
        string path = TempPath("synthetic-model.zip");
        Microsoft.ML.Recourse.Cli.ModelFiles.Save(ml, model, data.TrainSet.Schema, path, new Dictionary<string, string>
        {
            ["dataset"] = "synthetic",
            ["splitSeed"] = SplitSeed.ToString(CultureInfo.InvariantCulture),
            ["direction"] = "recourse",
            ["maximumChange"] = "0.75",
        });
        return path;
    });

    // A model of the example user data trained by the CLI itself, with the example's column actions saved in it.
    private static readonly Lazy<string> CsvModel = new(() =>
    {
        string path = TempPath("csv-model.zip");
        var (exit, _, error) = CliRunner.Run("train", "--data", CsvDataTests.ExampleData, "--label", "repaid", "--actions", CsvDataTests.ExampleActions,
            "--model", "logistic", "--lambda", "0.8", "--epochs", "20", "--out", path);
        exit.Should().Be(0, error);
        return path;
    });

    [Theory]
    [InlineData("onestep")]
    [InlineData("gradient")]
    [InlineData("linear-ip")]
    public void Explain_Dataset_Json_MatchesTheLibrarysAudit(string method)
    {
        var (exit, output, error) = CliRunner.Run("explain", "--model", SyntheticModel.Value, "--dataset", "synthetic",
            "--method", method, "--group", "ageGroup", "--limit", "60", "--json");

        exit.Should().Be(0, error);
        using var json = JsonDocument.Parse(output);
        var root = json.RootElement;
        var expected = InProcessAudit(method, limit: 60);
        root.GetProperty("method").GetString().Should().Be(method);
        root.GetProperty("threshold").GetDouble().Should().Be(0.5);
        root.GetProperty("rows").GetInt32().Should().Be(60);
        root.GetProperty("negatives").GetInt32().Should().Be(expected.Overall.Negatives).And.BeGreaterThan(0);
        root.GetProperty("negativesWithRecourse").GetInt32().Should().Be(expected.Overall.NegativesWithRecourse);
        root.GetProperty("recourseNeg").GetDouble().Should().Be(expected.Overall.RecourseNegativeRate);
        root.GetProperty("recourseAll").GetDouble().Should().Be(expected.Overall.RecourseAllRate);
        if (expected.Overall.NegativesWithRecourse > 0)
            root.GetProperty("meanCost").GetDouble().Should().Be(expected.Overall.MeanCost);
        root.GetProperty("secondsPerRow").GetDouble().Should().BePositive();
        root.GetProperty("groups").EnumerateArray().Select(g => (g.GetProperty("group").GetString(), g.GetProperty("negatives").GetInt32()))
            .Should().Equal(expected.Groups.Select(g => (g.Group, g.Negatives)));
    }

    // --precision single: float32 kernels; the same rows are rejected and recourse differs at most in rows next to θ₀.
    [Fact]
    public void Explain_PrecisionSingle_AgreesWithTheDoubleAudit()
    {
        var (exit, output, error) = CliRunner.Run("explain", "--model", SyntheticModel.Value, "--dataset", "synthetic",
            "--method", "onestep", "--precision", "single", "--limit", "60", "--json");

        exit.Should().Be(0, error);
        using var json = JsonDocument.Parse(output);
        var expected = InProcessAudit("onestep", limit: 60);
        json.RootElement.GetProperty("negatives").GetInt32().Should().Be(expected.Overall.Negatives);
        json.RootElement.GetProperty("negativesWithRecourse").GetInt32().Should().BeInRange(expected.Overall.NegativesWithRecourse - 1, expected.Overall.NegativesWithRecourse + 1);
    }

    [Fact]
    public void Explain_Out_WritesOneParseableRowPerTestRowAtomically()
    {
        string dir = Path.Combine(Path.GetTempPath(), $"explain-{Guid.NewGuid():N}");
        string csv = Path.Combine(dir, "recourse.csv");
        var (exit, output, error) = CliRunner.Run("explain", "--model", SyntheticModel.Value, "--dataset", "synthetic",
            "--method", "onestep", "--out", csv);

        exit.Should().Be(0, error);
        output.Should().Contain("Recourse audit").And.Contain("Example recourse:").And.Contain("wrote " + csv);
        Directory.GetFiles(dir).Should().Equal([csv], "the CSV is written through a temporary file that is renamed");
        var lines = File.ReadAllLines(csv);
        var header = lines[0].Split(',');
        header.Should().Equal("rowId", "probability", "predictedLabel", "hasRecourse", "status", "cost",
            "delta_age", "delta_education-years", "delta_hours-per-week", "delta_income", "delta_debt-ratio", "delta_savings", "explanation");
        lines.Length.Should().Be(1 + 500, "the synthetic test split has 500 rows");
        var expected = InProcessAudit("onestep", limit: null);
        var rows = lines.Skip(1).Select(ParseCsvLine).ToArray();
        rows.Should().OnlyContain(r => r.Length == header.Length);
        rows.Count(r => r[4] != "Accepted").Should().Be(expected.Overall.Negatives);
        rows.Count(r => r[4] != "Accepted" && r[3] == "true").Should().Be(expected.Overall.NegativesWithRecourse);
        foreach (var r in rows)
        {
            bool has = bool.Parse(r[3]);
            r.Skip(5).Take(7).Should().OnlyContain(v => (v.Length > 0) == has, "cost and δ are empty exactly where there is no recourse");
            if (has && r[4] != "Accepted") r[12].Should().MatchRegex("^(raise|lower) ");
            if (r[4] == "Accepted") r[12].Should().Be("no change");
            float.Parse(r[1], CultureInfo.InvariantCulture).Should().BeInRange(0, 1);
        }
        Directory.Delete(dir, recursive: true);
    }

    [Fact]
    public void Explain_Csv_UsesTheSavedColumnActions_InTheFilesUnits()
    {
        var (exit, output, error) = CliRunner.Run("explain", "--model", CsvModel.Value, "--data", CsvDataTests.ExampleData,
            "--method", "linear-ip", "--group", "ageGroup", "--json");

        exit.Should().Be(0, error);
        using var json = JsonDocument.Parse(output);
        var root = json.RootElement;
        root.GetProperty("rows").GetInt32().Should().Be(200);
        root.GetProperty("groups").GetArrayLength().Should().Be(3);
        var examples = root.GetProperty("examples").EnumerateArray().Select(e => e.GetProperty("action").GetString()!).ToArray();
        examples.Should().NotBeEmpty().And.OnlyContain(a => a.Contains(" from ") && !a.Contains("age ") && !a.Contains("employment"), "age and employment are immutable in the actions");
    }

    [Fact]
    public void Explain_Csv_ColumnsInAnotherOrder_GiveTheSameRecourse_AndAMissingColumnIsNamed()
    {
        var lines = File.ReadAllLines(CsvDataTests.ExampleData).Take(40).Select(l => l.Split(',')).ToArray();
        string Write(string name, Func<string[], IEnumerable<string>> pick)
        {
            string path = TempPath(name);
            File.WriteAllLines(path, lines.Select(l => string.Join(',', pick(l))));
            return path;
        }
        var inOrder = Write("in-order.csv", l => l);
        var reversed = Write("reversed.csv", l => l.Reverse());
        var noIncome = Write("no-income.csv", l => l.Where((_, i) => i != 3));

        string Run(string data)
        {
            var (exit, output, error) = CliRunner.Run("explain", "--model", CsvModel.Value, "--data", data, "--method", "onestep", "--json");
            exit.Should().Be(0, error);
            var root = JsonDocument.Parse(output).RootElement;
            return string.Join("|", root.GetProperty("negatives").GetInt32(), root.GetProperty("meanCost").GetDouble(), root.GetProperty("examples").GetRawText());
        }
        Run(reversed).Should().Be(Run(inOrder), "columns are matched by their header names");
        var missing = CliRunner.Run("explain", "--model", CsvModel.Value, "--data", noIncome, "--method", "onestep");
        missing.Exit.Should().Be(1);
        missing.Error.Should().Contain("Could not find input column 'income'");
    }

    [Fact]
    public void Explain_ModelWithOtherFeatureCount_ExitsWithSchemaMismatch()
    {
        var (exit, _, error) = CliRunner.Run("explain", "--model", SyntheticModel.Value, "--data", CsvDataTests.ExampleData, "--method", "onestep");

        exit.Should().Be(1);
        error.Should().Contain("Could not find feature column 'Features'");
    }

    [Theory]
    [InlineData("--direction", "reference", "--method", "gradient", "--direction applies to the onestep method only")]
    [InlineData("--data", "x.csv", "--method", "onestep", "Give either --dataset NAME or --data FILE")]
    [InlineData("--precision", "single", "--method", "gradient", "--precision applies to the onestep method only")]
    public void Explain_BadOptions_ExitWithClearError(string option, string value, string methodOption, string method, string message)
    {
        var (exit, _, error) = CliRunner.Run("explain", "--model", SyntheticModel.Value, "--dataset", "synthetic", option, value, methodOption, method);

        exit.Should().Be(1);
        error.Should().Contain(message);
    }

    private static RecourseAuditResult InProcessAudit(string method, int? limit)
    {
        var ml = new MLContext(0);
        var context = ml.Recourse();
        var predictor = SavedModels.Load<RecourseAwarePredictionTransformer<LogisticRegressionModelParameters>>(SyntheticModel.Value);
        var data = context.Datasets.Load("synthetic", SplitSeed);
        var rows = limit is int n ? ml.Data.TakeRows(data.TestSet, n) : data.TestSet;
        IRecourseGenerator generator = method switch
        {
            "onestep" => context.Generators.OneStep(),
            "gradient" => context.Generators.GradientDescent(),
            _ => context.Generators.LinearIntegerProgram(),
        };
        var transformed = context.GenerateRecourse(predictor, ActionSet.FromFeatures(data.Features, 0.75), generator)
            .Fit(rows).Transform(predictor.Transform(rows));
        return context.Audit(transformed, "ageGroup");
    }

    // RFC 4180 fields: quoted fields may hold commas and doubled quotes.
    private static string[] ParseCsvLine(string line)
    {
        var fields = new List<string>();
        var field = new System.Text.StringBuilder();
        bool quoted = false;
        for (int i = 0; i < line.Length; i++)
        {
            char c = line[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < line.Length && line[i + 1] == '"') { field.Append('"'); i++; }
                else if (c == '"') quoted = false;
                else field.Append(c);
            }
            else if (c == '"') quoted = true;
            else if (c == ',') { fields.Add(field.ToString()); field.Clear(); }
            else field.Append(c);
        }
        fields.Add(field.ToString());
        return fields.ToArray();
    }

    private static string TempPath(string name) => Path.Combine(Path.GetTempPath(), $"explain-{Guid.NewGuid():N}-{name}");
}
