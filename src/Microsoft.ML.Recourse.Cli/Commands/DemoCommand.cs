using Microsoft.ML;
using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.ML.Recourse.Actions;
using Microsoft.ML.Data;
using Microsoft.ML.Recourse.Datasets;
using Microsoft.ML.Recourse.Models;
using Microsoft.ML.Recourse.Trainers;
using Spectre.Console;

namespace Microsoft.ML.Recourse.Cli.Commands;

using Command = System.CommandLine.Command;

/// <summary>
/// <c>recourse demo</c>: the main job on the embedded synthetic credit data. It trains a logistic model and an MLP,
/// each plainly (λ = 0) and recourse-aware (λ = 0.8), computes one-step recourse for the applicants each denies,
/// and shows metrics and three example recourses in plain language. Everything it needs is in the library: the
/// action set of the synthetic data is separable, so no native solver is involved.
/// </summary>
internal static class DemoCommand
{
    private const int ExampleCount = 3;

    public static Command Create()
    {
        var json = new Option<bool>("--json") { Description = "Print one JSON object instead of tables." };
        var rows = new Option<int>("--rows") { Description = "Number of synthetic applicants to generate (at least 100).", DefaultValueFactory = _ => 5000 }.Range(100, 1_000_000);
        var seed = new Option<int>("--seed") { Description = "Seed of the data, the split and the training.", DefaultValueFactory = _ => 0 };
        var command = new Command("demo", "Train a logistic model and an MLP on the embedded synthetic credit data and show one-step recourse for denied applicants.");
        command.Options.Add(json);
        command.Options.Add(rows);
        command.Options.Add(seed);
        command.SetAction(parse => CommandErrors.Run(parse, () => Run(parse.GetValue(rows), parse.GetValue(seed), parse.GetValue(json))));
        return command;
    }

    private static int Run(int rowCount, int seed, bool json)
    {
        var clock = Stopwatch.StartNew();
        var context = new MLContext(seed).Recourse();
        var data = context.Datasets.SyntheticCredit(rowCount, seed);
        // The data set's own actionability (age fixed, education and savings up, debt down, hours and income free),
        // with whole numbers where the feature is counted in whole units (years, hours).
        var builder = ActionSet.CreateBuilder(data.Features, data.MaximumChange);
        foreach (var feature in data.Features.Where(f => f.IsInteger && f.Actionability != FeatureActionability.Immutable))
            builder.SetInteger(feature.Name);
        var actions = builder.Build();
        var oneStep = context.Generators.OneStep();
        var trainers = context.Trainers;

        var results = new List<ModelResult>();
        RecourseAwarePredictionTransformer<LogisticRegressionModelParameters>? recourseAwareLogistic = null;
        foreach (double lambda in new[] { 0.0, 0.8 })
        {
            var logistic = trainers.RecourseAwareLogisticRegression(actions, lambda).Fit(data.TrainSet, data.ValidationSet);
            if (lambda > 0) recourseAwareLogistic = logistic;
            results.Add(Evaluate(context, data, actions, oneStep, "logistic", lambda, logistic));
            var mlp = trainers.RecourseAwareMultilayerPerceptron(actions, lambda).Fit(data.TrainSet, data.ValidationSet);
            results.Add(Evaluate(context, data, actions, oneStep, "mlp", lambda, mlp));
        }
        // Examples from the recourse-aware logistic model: recourse-aware training is what the library is about, and a
        // linear model's advice points the same way for every applicant, which makes it easy to read.
        var exampleModel = results.Single(r => r.Name == "logistic" && r.Lambda > 0);
        // Beside each example's one-step LP step (every free feature moved by δ_max at once), the least-cost change on
        // the features' grids (the integer program of Ustun et al. 2019, solved by the managed knapsack solver): advice
        // that moves only the features it needs.
        var sparse = SparseRecourse(context, data, actions, recourseAwareLogistic!);
        exampleModel = exampleModel with { Examples = exampleModel.Examples.Select(e => e with { Sparse = sparse.GetValueOrDefault(e.Row) }).ToList() };
        clock.Stop();

        if (json)
            PrintJson(data, results, exampleModel, clock.Elapsed.TotalSeconds);
        else
            PrintTables(data, results, exampleModel, clock.Elapsed.TotalSeconds);
        return 0;
    }

    private static ModelResult Evaluate<TModel>(RecourseCatalog context, RecourseDataset data, ActionSet actions, IRecourseGenerator generator,
        string name, double lambda, RecourseAwarePredictionTransformer<TModel> model) where TModel : ScorerModelParameters
    {
        var metrics = context.Evaluation.EvaluateClassification(model.Model, model.Threshold, data.TestSet);
        var recourse = context.GenerateRecourse(model, actions, generator).Fit(data.TestSet);
        var transformed = recourse.Transform(data.TestSet);
        var audit = context.Audit(transformed).Overall;

        var probabilities = model.Transform(data.TestSet).GetColumn<float>("Probability").ToArray();
        var costs = transformed.GetColumn<float>(DefaultColumnNames.RecourseCost).ToArray();
        var explanations = recourse.ExplainAll(transformed);
        var examples = explanations
            .Select((explanation, row) => (explanation, row))
            .Where(e => e.explanation is { IsEmpty: false })
            .Take(ExampleCount)
            .Select(e => new Example(e.row, probabilities[e.row], e.explanation!.ToString(), costs[e.row], null))
            .ToList();
        return new ModelResult(name, lambda, model.Threshold, metrics.Accuracy, metrics.F1Score,
            audit.Negatives, audit.RecourseNegativeRate, audit.RecourseAllRate, audit.MeanCost, examples);
    }

    // The integer program's answer for every test row the model denies, by row: the explanation and its cost.
    private static Dictionary<int, SparseAdvice> SparseRecourse(RecourseCatalog context, RecourseDataset data, ActionSet actions,
        RecourseAwarePredictionTransformer<LogisticRegressionModelParameters> model)
    {
        var recourse = context.GenerateRecourse(model, actions, context.Generators.LinearIntegerProgram()).Fit(data.TestSet);
        var transformed = recourse.Transform(data.TestSet);
        var costs = transformed.GetColumn<float>(DefaultColumnNames.RecourseCost).ToArray();
        var explanations = recourse.ExplainAll(transformed);
        var advice = new Dictionary<int, SparseAdvice>();
        for (int row = 0; row < explanations.Count; row++)
            if (explanations[row] is { IsEmpty: false } explanation)
                advice[row] = new SparseAdvice(explanation.ToString(), costs[row], explanation.Steps.Count);
        return advice;
    }

    private static void PrintJson(RecourseDataset data, List<ModelResult> results, ModelResult exampleModel, double seconds)
    {
        var root = new JsonObject
        {
            ["dataset"] = data.Name,
            ["rows"] = data.GetRowCount(DatasetSplit.Train) + data.GetRowCount(DatasetSplit.Validation) + data.GetRowCount(DatasetSplit.Test),
            ["testRows"] = data.GetRowCount(DatasetSplit.Test),
            ["generator"] = "onestep",
            ["sparseGenerator"] = "linearIp",
            ["models"] = new JsonArray(results.Select(r => (JsonNode)new JsonObject
            {
                ["name"] = r.Name,
                ["lambda"] = r.Lambda,
                ["threshold"] = Round(r.Threshold),
                ["accuracy"] = Round(r.Accuracy),
                ["f1"] = Round(r.F1),
                ["negatives"] = r.Negatives,
                ["recourseNeg"] = Round(r.RecourseNeg),
                ["recourseAll"] = Round(r.RecourseAll),
                ["meanCost"] = Round(r.MeanCost),
            }).ToArray()),
            ["examples"] = new JsonArray(exampleModel.Examples.Select(e => (JsonNode)new JsonObject
            {
                ["model"] = exampleModel.Name,
                ["lambda"] = exampleModel.Lambda,
                ["row"] = e.Row,
                ["probability"] = Round(e.Probability),
                ["recourse"] = e.Text,
                ["cost"] = Round(e.Cost),
                ["sparseRecourse"] = e.Sparse?.Text,
                ["sparseCost"] = e.Sparse is { } sp ? Round(sp.Cost) : null,
                ["sparseChanges"] = e.Sparse?.Changes,
            }).ToArray()),
            ["seconds"] = Round(seconds),
        };
        Console.WriteLine(root.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
    }

    private static void PrintTables(RecourseDataset data, List<ModelResult> results, ModelResult exampleModel, double seconds)
    {
        AnsiConsole.MarkupLine($"[bold]{Markup.Escape(data.ToString()!)}[/]");
        AnsiConsole.WriteLine();
        foreach (string line in Introduction(data))
            AnsiConsole.WriteLine(line);
        AnsiConsole.WriteLine();
        var table = new Table().AddColumns("model", "λ", "θ₀", "acc.", "F1", "denied", "rec-neg", "rec-all", "cost");
        foreach (var r in results)
            table.AddRow(r.Name, F(r.Lambda, "0.0"), F(r.Threshold, "0.00"), F(r.Accuracy), F(r.F1), r.Negatives.ToString(CultureInfo.InvariantCulture),
                F(r.RecourseNeg), F(r.RecourseAll), F(r.MeanCost));
        AnsiConsole.Write(table);
        foreach (string line in Legend(data))
            AnsiConsole.WriteLine(line);
        AnsiConsole.WriteLine();
        AnsiConsole.WriteLine(FormattableString.Invariant(
            $"Advice for three applicants the recourse-aware logistic model (λ = {F(exampleModel.Lambda, "0.0")}) denies; it approves when g ≥ θ₀ = {F(exampleModel.Threshold, "0.00")}:"));
        foreach (var e in exampleModel.Examples)
        {
            AnsiConsole.WriteLine(FormattableString.Invariant($"  applicant {e.Row} (g = {F(e.Probability)})"));
            if (e.Sparse is { } sparse)
                AnsiConsole.MarkupLine($"    smallest change ({sparse.Changes} feature{(sparse.Changes == 1 ? "" : "s")}, cost {F(sparse.Cost)}): [green]{Markup.Escape(sparse.Text)}[/]");
            AnsiConsole.MarkupLine($"    one-step LP step (cost {F(e.Cost)}): [grey]{Markup.Escape(e.Text)}[/]");
        }
        AnsiConsole.MarkupLine($"[grey]{F(seconds, "0.0")} s[/]");
    }

    /// <summary>What recourse is and what the demo does, in a few plain sentences.</summary>
    internal static IEnumerable<string> Introduction(RecourseDataset data)
    {
        yield return "Recourse is what a person the model turns down can change to be approved: \"raise your savings from 3.7 to 6\",";
        yield return "not \"be younger\". The demo trains two models on synthetic loan applicants (age, education, hours, income,";
        yield return "debt, savings; age cannot change, education and savings only go up, debt only down), each plainly and";
        yield return FormattableString.Invariant($"recourse-aware, then asks for every denied test applicant whether a change of at most {data.MaximumChange} standard deviations");
        yield return "per feature would get them approved.";
    }

    /// <summary>The meaning and unit of each column of the table.</summary>
    internal static IEnumerable<string> Legend(RecourseDataset data)
    {
        yield return "  λ        recourse weight in training (0 = plain model; larger λ trades accuracy for recourse)";
        yield return "  θ₀       approval threshold on g, the model's probability of repayment (approve when g ≥ θ₀)";
        yield return "  acc., F1 accuracy and F1 score on the test applicants (shares, 0 to 1)";
        yield return "  denied   number of test applicants the model turns down";
        yield return "  rec-neg  share of denied applicants whom the one-step change gets approved (the LP step of Ross et al. 2021:";
        yield return "           every free feature moved by up to δ_max in the direction that raises g)";
        yield return "  rec-all  share of all test applicants who are approved or have such a change";
        yield return FormattableString.Invariant(
            $"  cost     mean size of that change, Σ |change| / standard deviation over the features, for denied applicants with recourse");
    }

    private static string F(double value, string format = "0.000")
        => double.IsNaN(value) ? "-" : value.ToString(format, CultureInfo.InvariantCulture);

    private static JsonNode? Round(double value) => double.IsFinite(value) ? JsonValue.Create(Math.Round(value, 4)) : null;

    private sealed record Example(int Row, double Probability, string Text, double Cost, SparseAdvice? Sparse);

    private sealed record SparseAdvice(string Text, double Cost, int Changes);

    private sealed record ModelResult(string Name, double Lambda, double Threshold, double Accuracy, double F1, int Negatives,
        double RecourseNeg, double RecourseAll, double MeanCost, List<Example> Examples);
}
