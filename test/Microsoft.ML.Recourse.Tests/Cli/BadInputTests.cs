using System.CommandLine;
using System.IO.Compression;
using Microsoft.ML.Recourse.Cli;
using Microsoft.ML.Recourse.MultiAgent;
using Microsoft.ML.Recourse.Tests.TestFramework;
using Microsoft.ML.Recourse.Trainers;
using Spectre.Console;

namespace Microsoft.ML.Recourse.Tests.Cli;

/// <summary>
/// Bad inputs to the tool (issue #14, docs/testing.md "Bad inputs"): each ends with exit code 1 and an
/// <c>error: …</c> line that names the flag, file or key, before any long work, and leaves no output file behind.
/// </summary>
public class BadInputTests
{
    private static (int Exit, string Output, string Error) Run(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int exit = Program.Run(args, new InvocationConfiguration { Output = output, Error = error });
        return (exit, output.ToString(), error.ToString());
    }

    private static string TempPath(string extension) => Path.Combine(Path.GetTempPath(), $"bad-{Guid.NewGuid():N}{extension}");

    /// <summary>Every numeric option of every command, with the words of the command line that reach it.</summary>
    public static TheoryData<string, string> NumericOptions()
    {
        var data = new TheoryData<string, string>();
        void Walk(System.CommandLine.Command command, string path)
        {
            foreach (var option in command.Options)
                if (option.GetType().GetGenericArguments() is [var t] && (Nullable.GetUnderlyingType(t) ?? t) is var type
                    && (type == typeof(int) || type == typeof(double) || type == typeof(long) || type == typeof(float)))
                    data.Add(path, option.Name);
            foreach (var sub in command.Subcommands) Walk(sub, (path + " " + sub.Name).Trim());
        }
        Walk(Program.BuildRootCommand(), "");
        return data;
    }

    [Theory]
    [MemberData(nameof(NumericOptions))]
    public void EveryNumericOption_NotANumber_NamesTheFlagAndTheRange_NoTypeName(string command, string option)
    {
        foreach (string bad in new[] { "abc", "NaN", "Infinity", "1e400", "" })
        {
            var (exit, _, error) = Run([.. command.Split(' '), option, bad]);
            exit.Should().Be(1);
            error.Should().Contain($"error: {option} expects ").And.Contain($"got '{bad}'");
            error.Should().NotContain("System.").And.NotContain("Nullable").And.NotContain("Cannot parse argument");
        }
    }

    [Theory]
    [InlineData("pac --n 1e10", "--n expects a whole number ≥ 0; got '1e10'.")]
    [InlineData("pac --n 99999999999999999999", "--n expects a whole number ≥ 0; got '99999999999999999999'.")]
    [InlineData("pac --n 2.5", "--n expects a whole number ≥ 0; got '2.5'.")]
    [InlineData("pac --epsilon 0", "--epsilon expects a number > 0 and < 1; got '0'.")]
    [InlineData("persuade --problem x.json --obedience-margin 1", "--obedience-margin expects a number ≥ 0 and < 1; got '1'.")]
    [InlineData("train --dataset synthetic --model logistic --lambda 1e308 --out x.zip", "--lambda expects a number ≥ 0 and ≤ 1000000; got '1e308'.")]
    [InlineData("train --dataset synthetic --model logistic --lambda 0.8 --epochs 0 --out x.zip", "--epochs expects a whole number from 1 to 10000; got '0'.")]
    [InlineData("reproduce upadhyay2021 --out x --retrains 5", "--retrains expects a whole number from 29 to 1000000; got '5'.")]
    [InlineData("reproduce upadhyay2021 --out x --delta-max -1", "--delta-max expects a number ≥ 0 and ≤ 100; got '-1'.")]
    [InlineData("demo --rows 10", "--rows expects a whole number from 100 to 1000000; got '10'.")]
    public void OutOfRangeNumbers_AreRefusedWhileParsing(string commandLine, string message)
    {
        var (exit, output, error) = Run(commandLine.Split(' '));
        exit.Should().Be(1);
        error.Should().Contain("error: " + message).And.Contain("--help' for the options.");
        output.Should().BeEmpty("nothing ran");
    }

    [Fact]
    public void Pac_WholeNumberWithExponent_IsAccepted()
    {
        var (exit, output, error) = CliRunner.Run("pac", "--n", "1e9", "--json");
        exit.Should().Be(0, error);
        output.Should().Contain("\"n\": 1000000000");
    }

    [Fact]
    public void Upadhyay2021_TooFewRetrains_FailsAtOnce_WritesNothing()
    {
        string dir = TempPath("");
        var watch = System.Diagnostics.Stopwatch.StartNew();
        var (exit, _, error) = CliRunner.Run("reproduce", "upadhyay2021", "--out", dir, "--retrains", "5");
        exit.Should().Be(1);
        error.Should().Contain("--retrains").And.Contain("29");
        watch.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(30), "the options are checked before any work");
        Directory.Exists(dir).Should().BeFalse();
    }

    [Fact]
    public void SynthesizePlays_HugeCounts_RefusedWithTheLimit_BeforeAllocating()
    {
        string path = TempPath(".csv");
        var (exit, _, error) = Run("multiagent", "synthesize-plays", "--game", "pd", "--principal-moves", "C=1000000000", "--out", path);
        exit.Should().Be(1);
        error.Should().Contain("error: --principal-moves:").And.Contain("1000000000 plays").And.Contain(GamePlayLog.MaximumSynthesizedPlays.ToString(System.Globalization.CultureInfo.InvariantCulture));
        error.Should().NotContain("Parameter");
        File.Exists(path).Should().BeFalse();
    }

    [Fact]
    public void SynthesizePlays_CountsAddingUpPastIntMax_AreRefused()
    {
        var act = () => GamePlayLog.Synthesize(NormalFormGame.BuiltIn.Take(1).ToArray(), [int.MaxValue, int.MaxValue], 1);
        act.Should().Throw<ArgumentOutOfRangeException>().WithMessage("*4294967294 plays*");
    }

    [Fact]
    public void Train_TooWideCsv_IsRefusedNamingTheLimit()
    {
        string data = TempPath(".csv"), model = TempPath(".zip");
        int columns = Microsoft.ML.Recourse.Datasets.CsvData.MaximumColumns + 1;
        File.WriteAllLines(data, [string.Join(',', Enumerable.Range(0, columns).Select(i => $"c{i}")) + ",y",
            string.Join(',', Enumerable.Repeat("0.5", columns)) + ",1", string.Join(',', Enumerable.Repeat("0.1", columns)) + ",0"]);
        var (exit, _, error) = Run("train", "--data", data, "--label", "y", "--model", "logistic", "--lambda", "0.8", "--out", model);
        File.Delete(data);
        exit.Should().Be(1);
        error.Should().Contain($"has {columns + 1} columns").And.Contain("at most 1000");
        File.Exists(model).Should().BeFalse();
    }

    [Fact]
    public void Training_ThatOverflows_StopsWithTheReason()
    {
        var ml = new MLContext(1);
        var data = ml.Recourse().Datasets.SyntheticCredit(400, 1);
        var trainer = ml.Recourse().Trainers.RecourseAwareLogisticRegression(new RecourseAwareLogisticRegressionTrainer.Options
        {
            ActionSet = Microsoft.ML.Recourse.Actions.ActionSet.FromFeatures(data.Features, data.MaximumChange),
            RecourseWeight = 1e308,
            NumberOfEpochs = 3,
        });
        var act = () => trainer.Fit(data.TrainSet, data.ValidationSet);
        act.Should().Throw<InvalidOperationException>().WithMessage("Training diverged*Lower the recourse weight λ*");
    }

    [Theory]
    [InlineData("NumberOfEpochs", "--epochs: Must be positive.")]
    [InlineData("RecourseWeight", "--lambda: Must be positive.")]
    [InlineData("somethingInternal", "Must be positive.")]
    public void LibraryParameterNames_BecomeFlags(string parameter, string expected)
        => CommandErrors.Message(new ArgumentOutOfRangeException(parameter, "Must be positive.")).Should().Be(expected);

    [Fact]
    public void Version_IsTheOneInTheModelFiles()
    {
        var (exit, output, _) = CliRunner.Run("--version");
        exit.Should().Be(0);
        output.Trim().Should().StartWith(Persistence.ModelState.LibraryVersion + "+");
        Persistence.ModelState.LibraryVersion.Should().Be(typeof(Program).Assembly.GetName().Version!.ToString(3));
    }

    [Fact]
    public void ModelMetadata_UnknownKey_IsRejected()
    {
        string path = TempPath(".zip");
        var (exit, _, error) = CliRunner.Run("train", "--dataset", "synthetic", "--model", "logistic", "--lambda", "0", "--epochs", "1", "--out", path);
        exit.Should().Be(0, error);
        using (var zip = ZipFile.Open(path, ZipArchiveMode.Update))
        {
            zip.GetEntry("Microsoft.ML.Recourse/metadata.json")!.Delete();
            using var writer = new StreamWriter(zip.CreateEntry("Microsoft.ML.Recourse/metadata.json").Open());
            writer.Write("{\"dataset\":\"synthetic\",\"lamda\":\"0.8\"}");
        }
        var act = () => ModelFiles.Load(new MLContext(0).Recourse(), path, out _);
        act.Should().Throw<InvalidDataException>().WithMessage("*unknown key 'lamda'*");
        File.Delete(path);
    }

    [Fact]
    public void ModelState_UnknownTopLevelKey_IsRejected()
    {
        string state = Persistence.ModelState.Write(new System.Text.Json.Nodes.JsonObject { ["kind"] = "x" });
        Persistence.ModelState.Read(state).Should().NotBeNull();
        var act = () => Persistence.ModelState.Read(state.Insert(1, "\"comment\":1,"));
        act.Should().Throw<InvalidDataException>().WithMessage("*unknown key 'comment'*");
    }

    [Fact]
    public void Console_NotATerminalOrNoColor_WritesNoEscapes_TerminalKeepsThem()
    {
        ConsoleSetup.Choose(outputRedirected: true, noColor: null, columns: null, TextWriter.Null).Settings.Ansi.Should().Be(AnsiSupport.No);
        ConsoleSetup.Choose(outputRedirected: false, noColor: "1", columns: null, TextWriter.Null).Settings.Ansi.Should().Be(AnsiSupport.No);
        ConsoleSetup.Choose(outputRedirected: false, noColor: "1", columns: null, TextWriter.Null).Width.Should().BeNull("a terminal keeps its own width");
        var terminal = ConsoleSetup.Choose(outputRedirected: false, noColor: null, columns: null, TextWriter.Null);
        terminal.Settings.Ansi.Should().Be(AnsiSupport.Detect);
        terminal.Settings.ColorSystem.Should().Be(ColorSystemSupport.Detect);
        ConsoleSetup.Choose(outputRedirected: true, noColor: null, columns: "120", TextWriter.Null).Width.Should().Be(120);
    }

    [Fact]
    public void Console_Piped_TablesAreWholeAndPlain()
    {
        var output = new StringWriter();
        var console = ConsoleSetup.For(output);
        var table = new Table();
        foreach (string heading in Enumerable.Range(0, 12).Select(i => $"Accuracy column {i}")) table.AddColumn(heading);
        table.AddRow(Enumerable.Range(0, 12).Select(i => $"value {i} with words").ToArray());
        console.Write(table);
        string text = output.ToString();
        text.Should().NotContain("…").And.NotContain("\u001b");
        text.Should().Contain("Accuracy column 11").And.Contain("value 11 with words");
    }

    [Fact]
    public void Process_PipedWithoutNoColor_WritesNoEscapes()
    {
        var (exit, output, error) = CliRunner.RunWith(new Dictionary<string, string?> { ["NO_COLOR"] = null, ["COLUMNS"] = null }, "pac", "--n", "500");
        exit.Should().Be(0, error);
        output.Should().NotContain("\u001b").And.Contain("Allowed misses k*");
    }

    [Fact]
    public void Csv_NotUtf8_IsRefusedNamingColumnAndLine()
    {
        string path = TempPath(".csv");
        File.WriteAllBytes(path, [.. "a,b,y\n1,2,1\n"u8.ToArray(), 0xff, 0xfe, .. "3,4,0\n"u8.ToArray()]);
        var act = () => new MLContext(0).Recourse().Datasets.LoadCsv(path, "y");
        act.Should().Throw<FormatException>().WithMessage("*column 'a', data row 1 (line 3), is not valid UTF-8*");
        File.Delete(path);
    }

    [Fact]
    public void ReproduceWithABadList_LeavesNoEmptyOutputFolder()
    {
        string dir = Path.Combine(TempPath(""), "nested");
        var (exit, _, error) = Run("reproduce", "causal-german", "--out", dir, "--lambdas", "x");
        exit.Should().Be(1);
        error.Should().Contain("--lambdas");
        Directory.Exists(Path.GetDirectoryName(dir)).Should().BeFalse("the write check removes the folders it created");
    }

    [Fact]
    public void OutputIntoProc_NamesTheFlagWithoutTheProbeFile()
    {
        var (exit, _, error) = Run("multiagent", "synthesize-plays", "--game", "pd", "--principal-moves", "C=3", "--out", "/proc/x.csv");
        exit.Should().Be(1);
        error.Should().StartWith("error: --out: cannot write into '/proc'").And.NotContain("write-check");
    }

    // Found by fuzzing the model files: a zip without its Schema entry ended in NullReferenceException.
    [Fact]
    public void ModelWithoutSavedSchema_LoadsAndExplainDataSaysWhy()
    {
        string model = TempPath(".zip"), data = TempPath(".csv");
        File.WriteAllLines(data, ["a,b,y", .. Enumerable.Range(0, 60).Select(i => FormattableString.Invariant($"{i % 7},{i % 5},{(i % 7 + i % 5 > 5 ? 1 : 0)}"))]);
        var (exit, _, error) = Run("train", "--data", data, "--label", "y", "--model", "logistic", "--lambda", "0", "--epochs", "1", "--out", model);
        exit.Should().Be(0, error);
        using (var zip = ZipFile.Open(model, ZipArchiveMode.Update)) zip.GetEntry("Schema")!.Delete();

        ModelFiles.Load(new MLContext(0).Recourse(), model, out var schema, out _);
        schema.Should().BeEmpty();
        var explain = Run("explain", "--model", model, "--data", data);
        explain.Exit.Should().Be(1);
        explain.Error.Should().Contain("saved without its input schema");
        File.Delete(model);
        File.Delete(data);
    }
}
