using Microsoft.ML;
using System.CommandLine;
using System.Text.Json;
using System.Xml.Linq;
using Microsoft.ML.Recourse.Actions;
using Microsoft.ML.Recourse.Cli;
using Microsoft.ML.Data;
using Microsoft.ML.Recourse.Datasets;
using Microsoft.ML.Recourse.MultiAgent;
using Microsoft.ML.Recourse.Experiments;
using Microsoft.ML.Recourse.Tests.TestFramework;

namespace Microsoft.ML.Recourse.Tests.Experiments;

public class CausalGermanExperimentTests
{
    private static (int ExitCode, string Output, string Error) Run(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int code = Program.BuildRootCommand().Parse(args).Invoke(new InvocationConfiguration { Output = output, Error = error });
        return (code, output.ToString(), error.ToString());
    }

    private static double[] Features(IDataView view)
        => ColumnChecks.ReadFeatures(view, view.Schema[DefaultColumnNames.Features]);

    [ReferenceDataFact]
    public void ReproduceCausalGerman_OneSeedTwoLambdas_WritesJsonWithRatesInUnitInterval()
    {
        string folder = Path.Combine(Path.GetTempPath(), $"causal-german-{Guid.NewGuid():N}");
        var (code, output, error) = Run("reproduce", "causal-german", "--seeds", "3", "--lambdas", "0,0.8", "--out", folder, "--json");

        code.Should().Be(0, error);
        error.Should().Contain("Time taken");
        var root = JsonDocument.Parse(output).RootElement;
        root.GetProperty("protocol").GetProperty("direction").GetString().Should().Be("reference");
        var run = root.GetProperty("runs").EnumerateArray().Should().ContainSingle().Subject;
        run.GetProperty("seed").GetInt32().Should().Be(3);
        run.GetProperty("causalModel").GetProperty("fittedOnRows").GetInt32().Should().Be(run.GetProperty("trainRows").GetInt32());
        var models = run.GetProperty("models").EnumerateArray().ToArray();
        models.Select(m => m.GetProperty("lambda").GetDouble()).Should().Equal(0, 0.8);
        foreach (var m in models)
        {
            int negatives = m.GetProperty("negatives").GetInt32();
            negatives.Should().BeInRange(1, run.GetProperty("testRows").GetInt32());
            foreach (string method in new[] { "causal", "oneStep" })
            {
                var rates = m.GetProperty(method);
                rates.GetProperty("withRecourse").GetInt32().Should().BeInRange(0, negatives);
                rates.GetProperty("recourseNeg").GetDouble().Should().BeInRange(0, 1)
                    .And.Be(rates.GetProperty("withRecourse").GetInt32() / (double)negatives);
            }
            m.GetProperty("threshold").GetDouble().Should().BeInRange(0, 1);
        }
        var summary = root.GetProperty("summary").EnumerateArray().ToArray();
        summary.Should().HaveCount(2);
        foreach (var s in summary)
        {
            s.GetProperty("causalRecourseNeg").GetProperty("mean").GetDouble().Should().BeInRange(0, 1);
            s.GetProperty("causalRecourseNeg").GetProperty("sd").ValueKind.Should().Be(JsonValueKind.Null, "one seed has no spread");
            s.GetProperty("oneStepRecourseNeg").GetProperty("mean").GetDouble().Should().BeInRange(0, 1);
        }

        File.ReadAllText(Path.Combine(folder, CausalGermanReport.JsonFile)).Should().Be(output);
        XDocument.Parse(File.ReadAllText(Path.Combine(folder, CausalGermanReport.FigureFile))).Root!.Name.LocalName.Should().Be("svg");
        File.ReadAllText(Path.Combine(folder, CausalGermanReport.MarkdownFile))
            .Should().Contain("recourse reproduce causal-german --seeds 3 --lambdas 0,0.8 --out").And.NotContain("--json");
        Directory.Delete(folder, recursive: true);
    }

    [ReferenceDataFact]
    public void RunSeed_CausalModel_IsFittedOnTheTrainingRowsOnly()
    {
        const int seed = 1;
        var result = CausalGermanExperiment.RunSeed(new CausalGermanExperiment.Options { Seeds = [seed], RecourseWeights = [0], NumberOfEpochs = 2 }, seed);

        var german = new MLContext(seed).Recourse().Datasets.German(seed);
        var train = Features(german.TrainSet);
        var expected = new MLContext(seed).Recourse().MultiAgent.FitGermanCreditCausalModel(train);
        result.CausalModel.Rows.Should().Be(train.Length / 7).And.Be(german.GetRowCount(DatasetSplit.Train));
        result.CausalModel.AmountWeights.Should().Equal(expected.AmountEquation.Weights);
        result.CausalModel.DurationIntercept.Should().Be(expected.DurationEquation.Intercept);
        result.CausalModel.DurationWeight.Should().Be(expected.DurationEquation.Weights[0]);

        // Any test (or validation) row in the fit would move the coefficients.
        var withTest = new MLContext(seed).Recourse().MultiAgent.FitGermanCreditCausalModel([.. train, .. Features(german.TestSet)]);
        var withValidation = new MLContext(seed).Recourse().MultiAgent.FitGermanCreditCausalModel([.. train, .. Features(german.ValidationSet)]);
        foreach (var other in new[] { withTest, withValidation })
            Math.Abs(other.DurationEquation.Weights[0] - result.CausalModel.DurationWeight).Should().BeGreaterThan(1e-6);
    }

    [ReferenceDataFact]
    public void CheckAgreement_GermanAndItsCausalModel_AgreeOnNamesAndActionability()
    {
        var ctx = new MLContext(0).Recourse();
        var german = ctx.Datasets.German(0);
        var scm = CausalGermanExperiment.FitCausalModel(ctx, german).CausalModel;
        CausalGermanExperiment.CheckAgreement(german, scm);
        scm.Variables.Select(v => v.Name).Should().Equal(german.Features.Select(f => f.Name));

        // A causal model in which duration were actionable must be refused, naming the feature.
        var builder = new StructuralCausalModelBuilder();
        foreach (var v in scm.Variables)
            builder.Add(v.Name, v.Equation, v.Agent, v.Name == "duration" ? FeatureActionability.Free : v.Actionability);
        var act = () => CausalGermanExperiment.CheckAgreement(german, builder.Build());
        act.Should().Throw<InvalidOperationException>().WithMessage("Feature 'duration' is Immutable in the data set but Free in the causal model.");
    }

    [Theory]
    [InlineData("--seeds", "0,x", "--seeds: 'x' is not a number")]
    [InlineData("--lambdas", "0,-1", "Every λ must be finite and ≥ 0")]
    [InlineData("--seeds", "2,2", "The seeds repeat")]
    public void ReproduceCausalGerman_BadList_FailsNamingTheProblem(string option, string value, string message)
    {
        var (code, _, error) = Run("reproduce", "causal-german", option, value, "--out", Path.Combine(Path.GetTempPath(), $"unused-{Guid.NewGuid():N}"));
        code.Should().Be(1);
        error.Should().Contain(message);
    }
}
