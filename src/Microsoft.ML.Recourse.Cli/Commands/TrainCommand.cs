using Microsoft.ML;
using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.ML.Recourse.Actions;
using Microsoft.ML.Recourse.Datasets;
using Microsoft.ML.Recourse.Models;
using Microsoft.ML.Recourse.Trainers;
using Spectre.Console;

namespace Microsoft.ML.Recourse.Cli.Commands;

using Command = System.CommandLine.Command;

/// <summary>
/// <c>recourse train --dataset NAME --model logistic|mlp --lambda λ [--direction recourse|reference] --out model.zip</c>:
/// trains a recourse-aware classifier (Ross et al. 2021) with the reference hyperparameters of the data set and saves it
/// with the metadata <c>recourse explain</c> needs (keys in docs/cli.md, "Model file metadata").
/// </summary>
internal static class TrainCommand
{
    /// <summary>The metadata keys written to the model file; docs/cli.md lists them for readers of the file.</summary>
    internal static class MetadataKeys
    {
        public const string Dataset = "dataset";
        public const string SplitSeed = "splitSeed";
        public const string Seed = "seed";
        public const string Model = "model";
        public const string Lambda = "lambda";
        public const string Direction = "direction";
        public const string Threshold = "threshold";
        public const string MaximumChange = "maximumChange";
        public const string Epochs = "epochs";
        public const string BatchSize = "batchSize";
        public const string LearningRate = "learningRate";
        public const string SelectedEpoch = "selectedEpoch";
    }

    private const double LearningRate = 0.002;

    public static Command Create()
    {
        var dataset = new Option<string>("--dataset") { Description = "The data set: adult, compas, german, bail or synthetic.", Required = true };
        dataset.AcceptOnlyFromAmong([.. DatasetsCatalog.Names]);
        var model = new Option<string>("--model") { Description = "The model: logistic or mlp (2 × 100 ReLU, dropout 0.3).", Required = true };
        model.AcceptOnlyFromAmong("logistic", "mlp");
        var lambda = new Option<double>("--lambda") { Description = "The recourse weight λ ≥ 0 (0 trains the plain model; the paper's setting is 0.8).", Required = true };
        var direction = new Option<string>("--direction")
        {
            Description = "The one-step perturbation: recourse (raises the model's score, the paper's objective) or reference (the published code's sign, to reproduce its tables).",
            DefaultValueFactory = _ => "recourse",
        };
        direction.AcceptOnlyFromAmong("recourse", "reference");
        var seed = new Option<int>("--seed") { Description = "The training seed (initialisation and dropout).", DefaultValueFactory = _ => 0 };
        var splitSeed = new Option<int>("--split-seed") { Description = "The seed of the train/validation/test split (the paper averages 0, 21 and 42).", DefaultValueFactory = _ => 0 };
        var epochs = new Option<int?>("--epochs") { Description = "The number of epochs (default: the reference's, 50 for german and 15 otherwise)." };
        var batchSize = new Option<int?>("--batch-size") { Description = "The rows per Adam step (default: the reference's, 30 for german and 10 otherwise)." };
        var dataDir = new Option<DirectoryInfo?>("--data-dir") { Description = "The folder that holds the data files (default: search for shared/data)." };
        var output = new Option<FileInfo>("--out") { Description = "The model file to write (zip).", Required = true };
        var json = new Option<bool>("--json") { Description = "Print one JSON object instead of tables (progress goes to standard error)." };
        var command = new Command("train",
            "Train a recourse-aware classifier (Ross, Lakkaraju & Bastani, NeurIPS 2021) on a reference data set with the paper's settings and save it.");
        foreach (var option in new Option[] { dataset, model, lambda, direction, seed, splitSeed, epochs, batchSize, dataDir, output, json }) command.Options.Add(option);
        command.SetAction(parse => CommandErrors.Run(parse, () =>
        {
                var settings = new Settings(parse.GetValue(dataset)!.ToLowerInvariant(), parse.GetValue(model)!, parse.GetValue(lambda),
                    parse.GetValue(direction) == "reference" ? PerturbationDirection.ReferenceCode : PerturbationDirection.Recourse,
                    parse.GetValue(seed), parse.GetValue(splitSeed), parse.GetValue(epochs), parse.GetValue(batchSize),
                    parse.GetValue(dataDir)?.FullName, parse.GetValue(output)!.FullName, parse.GetValue(json));
                return Run(settings);
        }));
        return command;
    }

    private sealed record Settings(string Dataset, string Model, double Lambda, PerturbationDirection Direction, int Seed, int SplitSeed,
        int? Epochs, int? BatchSize, string? DataDirectory, string OutputPath, bool Json);

    private static int Run(Settings settings)
    {
        var watch = Stopwatch.StartNew();
        var mlContext = new MLContext(settings.Seed);
        var context = mlContext.Recourse();
        var data = context.Datasets.Load(settings.Dataset, settings.SplitSeed, settings.DataDirectory);
        var actions = ActionSet.FromFeatures(data.Features, data.MaximumChange);
        bool german = settings.Dataset == "german";
        int epochs = settings.Epochs ?? (german ? 50 : 15);
        int batchSize = settings.BatchSize ?? (german ? 30 : 10);
        bool plain = settings.Json || Console.IsOutputRedirected;
        var progressOut = settings.Json ? Console.Error : Console.Out;
        if (!settings.Json)
            WriteLine(FormattableString.Invariant(
                $"{data}; model {settings.Model}, λ = {settings.Lambda}, direction {DirectionName(settings.Direction)}, {epochs} epochs, batch {batchSize}, δ_max = {data.MaximumChange}"));

        var reports = new List<TrainingProgress>();
        var fitted = plain
            ? Fit(context, settings, data, actions, epochs, batchSize, new Reporter(report =>
            {
                reports.Add(report);
                progressOut.WriteLine(EpochLine(report));
            }))
            : AnsiConsole.Progress().AutoClear(false)
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
                .Start(ctx =>
                {
                    var task = ctx.AddTask("training", maxValue: epochs);
                    return Fit(context, settings, data, actions, epochs, batchSize, new Reporter(report =>
                    {
                        reports.Add(report);
                        task.Description = Markup.Escape(EpochLine(report));
                        task.Increment(1);
                    }));
                });
        double trainingSeconds = watch.Elapsed.TotalSeconds;
        int selectedEpoch = reports.Last(r => r.IsBest).Epoch;
        var validation = Evaluate(fitted.Model, fitted.Threshold, data, DatasetSplit.Validation);
        var test = Evaluate(fitted.Model, fitted.Threshold, data, DatasetSplit.Test);

        var metadata = new Dictionary<string, string>
        {
            [MetadataKeys.Dataset] = settings.Dataset,
            [MetadataKeys.SplitSeed] = Invariant(settings.SplitSeed),
            [MetadataKeys.Seed] = Invariant(settings.Seed),
            [MetadataKeys.Model] = settings.Model,
            [MetadataKeys.Lambda] = Invariant(settings.Lambda),
            [MetadataKeys.Direction] = DirectionName(settings.Direction),
            [MetadataKeys.Threshold] = Invariant(fitted.Threshold),
            [MetadataKeys.MaximumChange] = Invariant(data.MaximumChange),
            [MetadataKeys.Epochs] = Invariant(epochs),
            [MetadataKeys.BatchSize] = Invariant(batchSize),
            [MetadataKeys.LearningRate] = Invariant(LearningRate),
            [MetadataKeys.SelectedEpoch] = Invariant(selectedEpoch),
        };
        ModelFiles.Save(mlContext, fitted.Transformer, data.TrainSet.Schema, settings.OutputPath, metadata);

        if (settings.Json)
        {
            Console.Out.WriteLine(ToJson(settings, epochs, batchSize, selectedEpoch, fitted.Threshold, validation, test, data.MaximumChange, trainingSeconds));
            return 0;
        }
        if (plain)
        {
            WriteLine(FormattableString.Invariant($"selected epoch {selectedEpoch} of {epochs}; threshold θ₀ = {fitted.Threshold:0.00}"));
            WriteLine(FormattableString.Invariant($"validation: {validation.Rows} rows, accuracy {F(validation.Accuracy)}, F1 {F(validation.F1)}"));
            WriteLine(FormattableString.Invariant($"test: {test.Rows} rows, accuracy {F(test.Accuracy)}, F1 {F(test.F1)}"));
            WriteLine($"wrote {settings.OutputPath}");
        }
        else
        {
            var table = new Table().Title(FormattableString.Invariant($"θ₀ = {fitted.Threshold:0.00} (best validation F1), epoch {selectedEpoch} of {epochs} (lowest validation loss)"))
                .AddColumn("Split").AddColumn(new TableColumn("Rows").RightAligned()).AddColumn(new TableColumn("Accuracy").RightAligned()).AddColumn(new TableColumn("F1").RightAligned());
            table.AddRow("validation", Invariant(validation.Rows), F(validation.Accuracy), F(validation.F1));
            table.AddRow("test", Invariant(test.Rows), F(test.Accuracy), F(test.F1));
            AnsiConsole.Write(table);
            AnsiConsole.MarkupLine($"wrote [green]{Markup.Escape(settings.OutputPath)}[/]");
        }
        WriteLine(FormattableString.Invariant($"Time taken: {watch.Elapsed.TotalSeconds:0.0} s"));
        return 0;
    }

    private static (ITransformer Transformer, ScorerModelParameters Model, double Threshold) Fit(RecourseCatalog context, Settings settings, RecourseDataset data, ActionSet actions,
        int epochs, int batchSize, IProgress<TrainingProgress> progress)
    {
        var trainers = context.Trainers;
        if (settings.Model == "logistic")
        {
            var logistic = trainers.RecourseAwareLogisticRegression(new RecourseAwareLogisticRegressionTrainer.Options
            {
                ActionSet = actions, RecourseWeight = settings.Lambda, PerturbationDirection = settings.Direction,
                NumberOfEpochs = epochs, BatchSize = batchSize, LearningRate = LearningRate, Seed = settings.Seed, Progress = progress,
            }).Fit(data.TrainSet, data.ValidationSet);
            return (logistic, logistic.Model, logistic.Threshold);
        }
        var mlp = trainers.RecourseAwareMultilayerPerceptron(new RecourseAwareMultilayerPerceptronTrainer.Options
        {
            ActionSet = actions, RecourseWeight = settings.Lambda, PerturbationDirection = settings.Direction,
            NumberOfEpochs = epochs, BatchSize = batchSize, LearningRate = LearningRate, Seed = settings.Seed, Progress = progress,
        }).Fit(data.TrainSet, data.ValidationSet);
        return (mlp, mlp.Model, mlp.Threshold);
    }

    private sealed record Metrics(int Rows, double Accuracy, double F1);

    private static Metrics Evaluate(ScorerModelParameters model, double threshold, RecourseDataset data, DatasetSplit split)
    {
        var features = data.GetFeatureMatrix(split);
        var labels = data.GetLabels(split);
        var scores = new double[labels.Length];
        model.ScoreBatch(features, scores);
        int correct = 0, truePositives = 0, falsePositives = 0, falseNegatives = 0;
        for (int i = 0; i < labels.Length; i++)
        {
            bool predicted = scores[i] >= threshold;
            if (predicted == labels[i]) correct++;
            if (predicted && labels[i]) truePositives++;
            else if (predicted) falsePositives++;
            else if (labels[i]) falseNegatives++;
        }
        int denominator = 2 * truePositives + falsePositives + falseNegatives;
        return new Metrics(labels.Length, labels.Length == 0 ? double.NaN : (double)correct / labels.Length,
            denominator == 0 ? 0 : 2.0 * truePositives / denominator);
    }

    private static string ToJson(Settings settings, int epochs, int batchSize, int selectedEpoch, double threshold, Metrics validation, Metrics test,
        double maximumChange, double seconds)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            writer.WriteStartObject();
            writer.WriteString("dataset", settings.Dataset);
            writer.WriteNumber("splitSeed", settings.SplitSeed);
            writer.WriteNumber("seed", settings.Seed);
            writer.WriteString("model", settings.Model);
            writer.WriteNumber("lambda", settings.Lambda);
            writer.WriteString("direction", DirectionName(settings.Direction));
            writer.WriteNumber("maximumChange", maximumChange);
            writer.WriteNumber("epochs", epochs);
            writer.WriteNumber("batchSize", batchSize);
            writer.WriteNumber("selectedEpoch", selectedEpoch);
            writer.WriteNumber("threshold", threshold);
            foreach (var (name, metrics) in new[] { ("validation", validation), ("test", test) })
            {
                writer.WriteStartObject(name);
                writer.WriteNumber("rows", metrics.Rows);
                writer.WriteNumber("accuracy", metrics.Accuracy);
                writer.WriteNumber("f1", metrics.F1);
                writer.WriteEndObject();
            }
            writer.WriteNumber("trainingSeconds", Math.Round(seconds, 3));
            writer.WriteString("out", settings.OutputPath);
            writer.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static string DirectionName(PerturbationDirection direction) => direction == PerturbationDirection.ReferenceCode ? "reference" : "recourse";

    private static string EpochLine(TrainingProgress report) => FormattableString.Invariant(
        $"epoch {report.Epoch}/{report.NumberOfEpochs}: training loss {report.TrainingLoss:0.0000}{(report.ValidationLoss is double v ? $", validation loss {v:0.0000}" : "")}{(report.IsBest ? " (best)" : "")}");

    private static void WriteLine(string line) => Console.Out.WriteLine(line);

    private static string Invariant(IFormattable value) => value.ToString(null, CultureInfo.InvariantCulture);

    private static string F(double value) => value.ToString("0.000", CultureInfo.InvariantCulture);

    // Reports synchronously on the training thread (Progress<T> would post to a thread pool).
    private sealed class Reporter(Action<TrainingProgress> report) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value) => report(value);
    }
}
