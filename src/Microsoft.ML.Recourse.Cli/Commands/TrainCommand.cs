using Microsoft.ML;
using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
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
        public const string Actions = "actions";
        public const string Data = "data";
        public const string Label = "label";

        /// <summary>Every key; a model file's metadata holds no other.</summary>
        public static readonly IReadOnlySet<string> All = new HashSet<string>(StringComparer.Ordinal)
        {
            Dataset, SplitSeed, Seed, Model, Lambda, Direction, Threshold, MaximumChange, Epochs, BatchSize, LearningRate, SelectedEpoch, Actions, Data, Label,
        };
    }

    private const double LearningRate = 0.002;

    /// <summary>The largest λ the CLI accepts: the paper sweeps 0 to 2, and far larger weights only overflow the loss.</summary>
    internal const double MaximumLambda = 1e6;

    public static Command Create()
    {
        var dataset = new Option<string?>("--dataset") { Description = "A reference data set: adult, compas, german, bail or synthetic (or give --data)." };
        dataset.AcceptOnlyFromAmong([.. DatasetsCatalog.Names]);
        var model = new Option<string>("--model") { Description = "The model: logistic or mlp (2 × 100 ReLU, dropout 0.3).", Required = true };
        model.AcceptOnlyFromAmong("logistic", "mlp");
        var lambda = new Option<double>("--lambda") { Description = "The recourse weight λ ≥ 0 (0 trains the plain model; the paper's setting is 0.8).", Required = true }.Range(0, MaximumLambda);
        var direction = new Option<string>("--direction")
        {
            Description = "The one-step perturbation: recourse (raises the model's score, the paper's objective) or reference (the published code's sign, to reproduce its tables).",
            DefaultValueFactory = _ => "recourse",
        };
        direction.AcceptOnlyFromAmong("recourse", "reference");
        var seed = new Option<int>("--seed") { Description = "The training seed (initialisation and dropout).", DefaultValueFactory = _ => 0 };
        var splitSeed = new Option<int>("--split-seed") { Description = "The seed of the train/validation/test split (the paper averages 0, 21 and 42).", DefaultValueFactory = _ => 0 };
        var epochs = new Option<int?>("--epochs") { Description = "The number of epochs (default: the reference's, 50 for german and 15 otherwise)." }.Range(1, 10_000);
        var batchSize = new Option<int?>("--batch-size") { Description = "The rows per Adam step (default: the reference's, 30 for german and 10 otherwise)." }.Range(1, 1_000_000);
        var dataDir = new Option<DirectoryInfo?>("--data-dir") { Description = "The folder that holds the data files (default: search for shared/data)." };
        var output = new Option<FileInfo>("--out") { Description = "The model file to write (zip).", Required = true };
        var json = new Option<bool>("--json") { Description = "Print one JSON object instead of tables (progress goes to standard error)." };
        var data = new Option<FileInfo?>("--data") { Description = "Your own CSV file (header line; numeric columns are features) instead of --dataset." };
        var label = new Option<string?>("--label") { Description = "With --data: the label column." };
        var positive = new Option<string?>("--positive") { Description = "With --data: the favourable label value (default: 1 or true)." };
        var actions = new Option<FileInfo?>("--actions") { Description = "With --data: the column action set (JSON, docs/user-data.md); default: every numeric column free, at most 0.75 standard deviations." };
        var command = new Command("train",
            "Train a recourse-aware classifier (Ross, Lakkaraju & Bastani, NeurIPS 2021) on a reference data set with the paper's settings, or on your own CSV file, and save it as an ML.NET model.");
        foreach (var option in new Option[] { dataset, data, label, positive, actions, model, lambda, direction, seed, splitSeed, epochs, batchSize, dataDir, output, json })
            command.Options.Add(option);
        command.SetAction(parse => CommandErrors.Run(parse, () =>
        {
                AtomicFile.CheckWritableFile(parse.GetValue(output)!.FullName, "--out");
                var settings = new Settings(parse.GetValue(dataset)?.ToLowerInvariant(), parse.GetValue(model)!, parse.GetValue(lambda),
                    parse.GetValue(direction) == "reference" ? PerturbationDirection.ReferenceCode : PerturbationDirection.Recourse,
                    parse.GetValue(seed), parse.GetValue(splitSeed), parse.GetValue(epochs), parse.GetValue(batchSize),
                    parse.GetValue(dataDir)?.FullName, parse.GetValue(output)!.FullName, parse.GetValue(json),
                    parse.GetValue(data)?.FullName, parse.GetValue(label), parse.GetValue(positive), parse.GetValue(actions)?.FullName);
                if ((settings.Dataset is null) == (settings.DataPath is null)) throw new ArgumentException("Give either --dataset NAME or --data FILE --label COLUMN.");
                if (settings.DataPath is null && (settings.Label ?? settings.Positive ?? settings.ActionsPath) is not null)
                    throw new ArgumentException("--label, --positive and --actions apply to --data only.");
                if (settings.DataPath is not null && settings.Label is null) throw new ArgumentException("--data needs --label COLUMN (the label column of the file).");
                return settings.DataPath is null ? Run(settings) : RunCsv(settings);
        }));
        return command;
    }

    private sealed record Settings(string? Dataset, string Model, double Lambda, PerturbationDirection Direction, int Seed, int SplitSeed,
        int? Epochs, int? BatchSize, string? DataDirectory, string OutputPath, bool Json,
        string? DataPath = null, string? Label = null, string? Positive = null, string? ActionsPath = null);

    private static int Run(Settings settings)
    {
        var watch = Stopwatch.StartNew();
        var mlContext = new MLContext(settings.Seed);
        var context = mlContext.Recourse();
        var data = context.Datasets.Load(settings.Dataset!, settings.SplitSeed, settings.DataDirectory);
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
            [MetadataKeys.Dataset] = settings.Dataset!,
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

    // Your own CSV: the numeric columns are concatenated and standardised with the training part's statistics (saved in
    // the model), the classifier is trained with the column actions, and a recourse transformer bound to the file's
    // columns (with the training part's statistics) is saved behind it.
    private static int RunCsv(Settings settings)
    {
        var watch = Stopwatch.StartNew();
        var mlContext = new MLContext(settings.Seed);
        var context = mlContext.Recourse();
        var csv = context.Datasets.LoadCsv(settings.DataPath!, settings.Label, settings.Positive);
        Contracts.Check(csv.NumericColumns.Count > 0, $"'{settings.DataPath}' has no numeric column besides the label to train on.");
        var actions = settings.ActionsPath is null
            ? new ColumnActionSet(ColumnDefault.Free, null, DefaultMaximumChange)
            : ColumnActionSet.FromJson(File.ReadAllText(settings.ActionsPath), Path.GetFileName(settings.ActionsPath));
        if (actions.MaximumChange is null) actions = new ColumnActionSet(actions.Default, actions.Columns, DefaultMaximumChange);
        var split = mlContext.Data.TrainTestSplit(csv.Data, testFraction: 0.2, seed: settings.SplitSeed);
        var featurize = mlContext.Transforms.Concatenate(DefaultColumnNames.Features, [.. csv.NumericColumns])
            .Append(mlContext.Transforms.NormalizeMeanVariance(DefaultColumnNames.Features)).Fit(split.TrainSet);
        var training = featurize.Transform(split.TrainSet);
        var heldOut = featurize.Transform(split.TestSet);
        int epochs = settings.Epochs ?? 15, batchSize = settings.BatchSize ?? 10;
        if (!settings.Json)
            WriteLine(FormattableString.Invariant($"{csv}; model {settings.Model}, λ = {settings.Lambda}, {epochs} epochs, batch {batchSize}; features {string.Join(", ", csv.NumericColumns)}"));
        var reports = new List<TrainingProgress>();
        var progressOut = settings.Json ? Console.Error : Console.Out;
        var progress = new Reporter(report => { reports.Add(report); progressOut.WriteLine(EpochLine(report)); });
        var trainers = context.Trainers;
        ITransformer predictor = settings.Model == "logistic"
            ? trainers.RecourseAwareLogisticRegression(new RecourseAwareLogisticRegressionTrainer.Options
            {
                ColumnActions = actions, RecourseWeight = settings.Lambda, PerturbationDirection = settings.Direction,
                NumberOfEpochs = epochs, BatchSize = batchSize, LearningRate = LearningRate, Seed = settings.Seed, Progress = progress,
            }).Fit(training, heldOut)
            : trainers.RecourseAwareMultilayerPerceptron(new RecourseAwareMultilayerPerceptronTrainer.Options
            {
                ColumnActions = actions, RecourseWeight = settings.Lambda, PerturbationDirection = settings.Direction,
                NumberOfEpochs = epochs, BatchSize = batchSize, LearningRate = LearningRate, Seed = settings.Seed, Progress = progress,
            }).Fit(training, heldOut);
        var model = featurize.Append(predictor);
        var recourse = context.GenerateRecourse(model, actions, context.Generators.OneStep(settings.Direction)).Fit(split.TrainSet);
        var metrics = mlContext.BinaryClassification.EvaluateNonCalibrated(predictor.Transform(heldOut));
        double threshold = recourse.Threshold;
        var metadata = new Dictionary<string, string>
        {
            [MetadataKeys.Data] = Path.GetFileName(settings.DataPath!),
            [MetadataKeys.Label] = settings.Label!,
            [MetadataKeys.SplitSeed] = Invariant(settings.SplitSeed),
            [MetadataKeys.Seed] = Invariant(settings.Seed),
            [MetadataKeys.Model] = settings.Model,
            [MetadataKeys.Lambda] = Invariant(settings.Lambda),
            [MetadataKeys.Direction] = DirectionName(settings.Direction),
            [MetadataKeys.Threshold] = Invariant(threshold),
            [MetadataKeys.Epochs] = Invariant(epochs),
            [MetadataKeys.BatchSize] = Invariant(batchSize),
            [MetadataKeys.LearningRate] = Invariant(LearningRate),
            [MetadataKeys.SelectedEpoch] = Invariant(reports.Last(r => r.IsBest).Epoch),
            [MetadataKeys.Actions] = actions.ToJson(),
        };
        var inputSchema = mlContext.Transforms.DropColumns(DefaultColumnNames.Label, settings.Label!).Fit(csv.Data).Transform(csv.Data).Schema;
        ModelFiles.Save(mlContext, model.Append(recourse), inputSchema, settings.OutputPath, metadata);
        if (settings.Json)
        {
            var result = new JsonObject
            {
                ["data"] = settings.DataPath, ["label"] = settings.Label, ["model"] = settings.Model, ["lambda"] = settings.Lambda,
                ["direction"] = DirectionName(settings.Direction), ["features"] = new JsonArray(csv.NumericColumns.Select(c => (JsonNode)c).ToArray()),
                ["threshold"] = threshold, ["heldOut"] = new JsonObject { ["rows"] = DataViews.RowCount(heldOut), ["accuracy"] = metrics.Accuracy, ["f1"] = metrics.F1Score },
                ["trainingSeconds"] = Math.Round(watch.Elapsed.TotalSeconds, 3), ["out"] = settings.OutputPath,
            };
            Console.Out.WriteLine(result.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
            return 0;
        }
        WriteLine(FormattableString.Invariant($"held-out rows: {DataViews.RowCount(heldOut)}, accuracy {F(metrics.Accuracy)}, F1 {F(metrics.F1Score)}; θ₀ = {threshold:0.###}"));
        WriteLine($"wrote {settings.OutputPath} (explain it with: recourse explain --model {settings.OutputPath} --data FILE --method linear-ip)");
        WriteLine(FormattableString.Invariant($"Time taken: {watch.Elapsed.TotalSeconds:0.0} s"));
        return 0;
    }

    private const double DefaultMaximumChange = Datasets.RecourseDataset.DefaultMaximumChange;

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
