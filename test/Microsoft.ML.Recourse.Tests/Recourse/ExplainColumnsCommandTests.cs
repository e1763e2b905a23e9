using System.Globalization;
using System.Text.Json;
using FluentAssertions;
using Microsoft.ML.Data;
using Microsoft.ML.Recourse.Tests.TestFramework;

namespace Microsoft.ML.Recourse.Tests.Recourse;

// `recourse explain --model MLModel.zip --data applicants.csv` on a plain ML.NET zip (no metadata of this library): the
// JSON's changes, read back as the column types, are applied to the CSV's rows and scored by the loaded model.
public class ExplainColumnsCommandTests
{
    private static readonly Lazy<(string Model, string Data, string Actions)> Files = new(() => Write("lbfgs"));

    // The same files with a FastTree model (Model Builder's tree pipeline: no normaliser), solved exactly on CP-SAT.
    private static readonly Lazy<(string Model, string Data, string Actions)> TreeFiles = new(() => Write("fasttree"));

    private static (string Model, string Data, string Actions) Write(string trainer)
    {
        string dir = Path.Combine(Path.GetTempPath(), "recourse-explain-columns-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        var ml = new MLContext(seed: 3);
        var train = ml.Data.LoadFromEnumerable(ColumnRecourseTests.Applicants(600, 3));
        var model = trainer == "fasttree"
            ? ColumnRecourseTests.TreePipeline(ml, ml.BinaryClassification.Trainers.FastTree(numberOfTrees: 40, numberOfLeaves: 10)).Fit(train)
            : ColumnRecourseTests.ModelBuilderPipeline(ml, ml.BinaryClassification.Trainers.LbfgsLogisticRegression()).Fit(train);
        string modelPath = Path.Combine(dir, "MLModel.zip");
        ml.Model.Save(model, train.Schema, modelPath);
        string dataPath = Path.Combine(dir, "applicants.csv");
        // Columns in another order than the model's schema, and no label: they are matched by header name.
        File.WriteAllLines(dataPath, ColumnRecourseTests.Applicants(60, 40).Select(a => string.Join(',',
            a.Sex, a.Education, Number(a.Income), Number(a.Hours), Number(a.Age))).Prepend("Sex,Education,Income,Hours,Age"));
        string actionsPath = Path.Combine(dir, "actions.json");
        File.WriteAllText(actionsPath, ColumnRecourseTests.Actions.ToJson());
        return (modelPath, dataPath, actionsPath);
    }

    private static string Number(float v) => float.IsNaN(v) ? "" : v.ToString("R", CultureInfo.InvariantCulture);

    [Theory]
    [InlineData("lbfgs", "linear-mip")]
    [InlineData("fasttree", "trees-cp-sat")]
    public void Json_changes_read_back_from_text_are_accepted_by_the_loaded_model(string trainer, string method)
    {
        var (modelPath, dataPath, actionsPath) = trainer == "fasttree" ? TreeFiles.Value : Files.Value;
        var (exit, output, error) = CliRunner.Run("explain", "--model", modelPath, "--data", dataPath, "--actions", actionsPath, "--options", "2", "--json");
        exit.Should().Be(0, error);
        using var json = JsonDocument.Parse(output);
        var root = json.RootElement;
        root.GetProperty("method").GetString().Should().Be(method);
        var rows = root.GetProperty("rows").EnumerateArray().ToList();
        rows.Should().HaveCount(60);
        rows.Select(r => r.GetProperty("row").GetInt32()).Should().Equal(Enumerable.Range(0, 60));
        var counts = root.GetProperty("summary").GetProperty("counts");
        counts.GetProperty("accepted").GetInt32().Should().Be(rows.Count(r => r.GetProperty("status").GetString() == "accepted"));
        counts.GetProperty("found").GetInt32().Should().BeGreaterThan(5);

        var ml = new MLContext(0);
        var model = ml.Model.Load(modelPath, out var schema);
        var applicants = ColumnRecourseTests.Applicants(60, 40);
        int checkedOptions = 0;
        foreach (var row in rows.Where(r => r.GetProperty("status").GetString() == "found"))
        {
            var options = row.GetProperty("options").EnumerateArray().ToList();
            options.Should().NotBeEmpty().And.HaveCountLessThanOrEqualTo(2);
            JsonElement.DeepEquals(options[0].GetProperty("changes"), row.GetProperty("changes")).Should().BeTrue("the first option is the row's answer");
            foreach (var option in options)
            {
                var a = applicants[row.GetProperty("row").GetInt32()];
                var changed = new ColumnRecourseTests.Applicant { Age = a.Age, Hours = a.Hours, Income = a.Income, Education = a.Education, Sex = a.Sex };
                foreach (var change in option.GetProperty("changes").EnumerateArray())
                {
                    var to = change.GetProperty("to");
                    switch (change.GetProperty("column").GetString())
                    {
                        case "Age": changed.Age = float.Parse(to.GetRawText(), CultureInfo.InvariantCulture); break;
                        case "Hours": changed.Hours = float.Parse(to.GetRawText(), CultureInfo.InvariantCulture); break;
                        case "Income": changed.Income = float.Parse(to.GetRawText(), CultureInfo.InvariantCulture); break;
                        case "Education": changed.Education = to.GetString()!; break;
                        default: throw new InvalidOperationException($"Sex is immutable; got a change of {change.GetProperty("column")}.");
                    }
                }
                var engine = ml.Model.CreatePredictionEngine<ColumnRecourseTests.Applicant, ColumnRecourseTests.Prediction>(model);
                engine.Predict(changed).PredictedLabel.Should().BeTrue(option.GetRawText());
                checkedOptions++;
            }
        }
        checkedOptions.Should().BeGreaterThan(5);
    }

    [Fact]
    public void Human_output_is_a_table_with_sentences_and_a_summary()
    {
        var (modelPath, dataPath, actionsPath) = Files.Value;
        var (exit, output, error) = CliRunner.Run("explain", "--model", modelPath, "--data", dataPath, "--actions", actionsPath, "--limit", "20");
        exit.Should().Be(0, error);
        output.Should().Contain("method: linear-mip (exact").And.Contain("Change ").And.Contain("ms per rejected row");
        output.Should().MatchRegex(@"\d+ accepted, \d+ found, \d+ infeasible, \d+ not-found");
    }

    [Fact]
    public void A_missing_or_mistyped_column_is_an_error_naming_it()
    {
        var (modelPath, dataPath, _) = Files.Value;
        var lines = File.ReadAllLines(dataPath);
        string dir = Path.GetDirectoryName(dataPath)!;
        string noHours = Path.Combine(dir, "no-hours.csv");
        File.WriteAllLines(noHours, lines.Select(l => string.Join(',', l.Split(',').Where((_, i) => i != 3))));
        var missing = CliRunner.Run("explain", "--model", modelPath, "--data", noHours);
        missing.Exit.Should().Be(1);
        missing.Error.Should().Contain("'Hours'");

        string textHours = Path.Combine(dir, "text-hours.csv");
        File.WriteAllLines(textHours, lines.Select((l, k) => k == 5 ? string.Join(',', l.Split(',').Select((f, i) => i == 3 ? "forty" : f)) : l));
        var mistyped = CliRunner.Run("explain", "--model", modelPath, "--data", textHours);
        mistyped.Exit.Should().Be(1);
        mistyped.Error.Should().Contain("column 'Hours', data row 4, holds 'forty'");

        var badOptions = CliRunner.Run("explain", "--model", modelPath, "--data", dataPath, "--options", "0");
        badOptions.Exit.Should().Be(1);
        badOptions.Error.Should().Contain("--options expects a whole number from 1 to 100; got '0'");

        var group = CliRunner.Run("explain", "--model", modelPath, "--data", dataPath, "--group", "Sex");
        group.Exit.Should().Be(1);
        group.Error.Should().Contain("--group applies to --method onestep, gradient or linear-ip");
    }
}
