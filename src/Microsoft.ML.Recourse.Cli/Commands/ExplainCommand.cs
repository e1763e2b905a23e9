using Microsoft.ML;
using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.ML.Recourse.Actions;
using Microsoft.ML.Data;
using Microsoft.ML.Recourse.Models;
using Microsoft.ML.Recourse.Trainers;
using Spectre.Console;
using MetadataKeys = Microsoft.ML.Recourse.Cli.Commands.TrainCommand.MetadataKeys;

namespace Microsoft.ML.Recourse.Cli.Commands;

using Command = System.CommandLine.Command;

/// <summary>
/// <c>recourse explain --model model.zip (--dataset NAME | --data data.csv [--actions actions.json]) --method
/// onestep|gradient|linear-ip</c>: runs a recourse generator on the rows a saved classifier rejects, prints the
/// population audit and example actions in plain language, and optionally writes every row's recourse to a CSV file.
/// With <c>--data</c> the file is read by header names into the model's saved input schema and the recourse is over
/// the file's own columns: the saved pipeline's statistics are used, never the file's.
/// </summary>
internal static class ExplainCommand
{
    private const int ExampleCount = 3;

    public static Command Create()
    {
        var model = new Option<FileInfo>("--model") { Description = "The model file (from recourse train, or saved with mlContext.Model.Save).", Required = true };
        var dataset = new Option<string?>("--dataset") { Description = "A reference data set (adult, compas, german, bail, synthetic): its test split for the model's split seed is evaluated." };
        dataset.AcceptOnlyFromAmong([.. Datasets.DatasetsCatalog.Names]);
        var dataDir = new Option<DirectoryInfo?>("--data-dir") { Description = "The folder that holds the data files (default: search for shared/data)." };
        var data = new Option<FileInfo?>("--data") { Description = "A CSV file to evaluate (all rows), read by header names into the model's input columns." };
        var actions = new Option<FileInfo?>("--actions") { Description = "With --data: the column action set (JSON, docs/user-data.md); default: the actions saved by recourse train, else every column free within the training range." };
        var trainingData = new Option<FileInfo?>("--training-data") { Description = "With --data and a model saved without actions: the file whose statistics scale costs and bound changes (default: --data itself)." };
        var method = new Option<string?>("--method")
        {
            Description = "With --data (any ML.NET model zip): auto (the default: exact where the model allows, else a search over the raw columns) or search. " +
                "With --dataset, or over a recourse-aware model's feature vector: the generator onestep, gradient or linear-ip.",
        };
        method.AcceptOnlyFromAmong("auto", "search", "onestep", "gradient", "linear-ip");
        var options = new Option<int?>("--options") { Description = "auto and search: up to K distinct options per rejected row (default 1)." }.Range(1, 100);
        var cost = new Option<string?>("--cost") { Description = "auto and search: the cost of a change, l1 (the default: L1 scaled by each column's training standard deviation, 1 per categorical change), l0 or percentile." };
        cost.AcceptOnlyFromAmong("l1", "l0", "percentile");
        var direction = new Option<string?>("--direction") { Description = "onestep only: recourse (raise the model's score) or reference (the published code's sign). Default: the direction the model was trained with, else recourse." };
        direction.AcceptOnlyFromAmong("recourse", "reference");
        var precision = new Option<string?>("--precision")
        {
            Description = "onestep only: double (the default, exact) or single (float32 network kernels, faster; scores differ by float rounding, see docs/recourse-aware-training.md).",
        };
        precision.AcceptOnlyFromAmong("double", "single");
        var group = new Option<string?>("--group") { Description = "A group column (e.g. isWhite, ageGroup) for a per-group audit." };
        var limit = new Option<int?>("--limit") { Description = "Evaluate only the first N rows." }.Range(1, int.MaxValue);
        var output = new Option<FileInfo?>("--out") { Description = "Write every row's recourse to this CSV file (written atomically)." };
        var json = new Option<bool>("--json") { Description = "Print one JSON object instead of tables." };
        var command = new Command("explain",
            "Compute recourse for the rows a saved classifier rejects, audit it (overall and by group) and explain example actions in plain language.");
        foreach (var option in new Option[] { model, dataset, dataDir, data, actions, trainingData, method, options, cost, direction, precision, group, limit, output, json })
            command.Options.Add(option);
        command.SetAction(parse => CommandErrors.Run(parse, () => Run(new Settings(parse.GetValue(model)!.FullName, parse.GetValue(dataset)?.ToLowerInvariant(),
            parse.GetValue(dataDir)?.FullName, parse.GetValue(data)?.FullName, parse.GetValue(actions)?.FullName, parse.GetValue(trainingData)?.FullName,
            parse.GetValue(method), parse.GetValue(options), parse.GetValue(cost), parse.GetValue(direction), parse.GetValue(group), parse.GetValue(limit),
            parse.GetValue(output)?.FullName, parse.GetValue(json), parse.GetValue(precision)))));
        return command;
    }

    internal sealed record Settings(string ModelPath, string? Dataset, string? DataDirectory, string? DataPath, string? ActionsPath, string? TrainingDataPath,
        string? Method, int? Options, string? Cost, string? Direction, string? Group, int? Limit, string? OutputPath, bool Json, string? Precision = null)
    {
        /// <summary>Whether the raw-column methods (any model zip) answer, rather than a generator over a feature vector.</summary>
        public bool OnColumns => Method is null or "auto" or "search";
    }

    /// <summary>The rows to evaluate, the model's prediction columns and the recourse transformer for them.</summary>
    private sealed record Evaluation(string Source, IDataView Rows, ITransformer Predictor, RecourseTransformer Recourse, string? RowIdColumn);

    private static int Run(Settings settings)
    {
        if (settings.OutputPath is not null) AtomicFile.CheckWritableFile(settings.OutputPath, "--out");
        if ((settings.Dataset is null) == (settings.DataPath is null))
            throw new ArgumentException("Give either --dataset NAME or --data FILE.");
        if (settings.DataPath is null && (settings.ActionsPath ?? settings.TrainingDataPath) is not null)
            throw new ArgumentException("--actions and --training-data apply to --data only.");
        if (settings.Limit is int n && n < 1)
            throw new ArgumentException(FormattableString.Invariant($"--limit must be ≥ 1; got {n}."));
        if (settings.OnColumns)
        {
            if (settings.Dataset is not null)
                throw new ArgumentException("--dataset needs --method onestep, gradient or linear-ip (the reference sets are explained over their feature vectors).");
            if (settings.Group is not null || settings.Direction is not null)
                throw new ArgumentException($"{(settings.Group is not null ? "--group" : "--direction")} applies to --method onestep, gradient or linear-ip.");
            if (settings.Precision is not null)
                throw new ArgumentException("--precision applies to --method onestep only.");
            return ColumnExplanation.Run(settings);
        }
        if (settings.Options is not null || settings.Cost is not null)
            throw new ArgumentException($"{(settings.Options is not null ? "--options" : "--cost")} applies to --method auto or search.");
        if (settings.Direction is not null && settings.Method != "onestep")
            throw new ArgumentException($"--direction applies to the onestep method only, not to {settings.Method}.");
        if (settings.Precision is not null && settings.Method != "onestep")
            throw new ArgumentException($"--precision applies to the onestep method only, not to {settings.Method}.");

        var watch = Stopwatch.StartNew();
        var mlContext = new MLContext(0);
        var context = mlContext.Recourse();
        var loaded = ModelFiles.Load(context, settings.ModelPath, out var inputSchema, out var metadata);
        var generator = Generator(context, settings, metadata);
        var evaluation = settings.Dataset is not null
            ? FromDataset(context, settings, loaded, generator, metadata)
            : FromCsv(context, settings, loaded, inputSchema, generator, metadata);
        var rows = settings.Limit is int limit ? mlContext.Data.TakeRows(evaluation.Rows, limit) : evaluation.Rows;
        var recourse = evaluation.Recourse;
        double threshold = recourse.Threshold;

        evaluation.Predictor.GetOutputSchema(rows.Schema); // the model's own schema check comes first: it names the column and both types
        var scored = evaluation.Predictor.Transform(rows);
        // The recourse columns are computed lazily; the cache computes them once, together, for every later read.
        var generation = Stopwatch.StartNew();
        var transformed = mlContext.Data.Cache(recourse.Transform(scored),
            DefaultColumnNames.RecourseDelta, DefaultColumnNames.RecourseCost, DefaultColumnNames.HasRecourse, DefaultColumnNames.RecourseStatus);
        var audit = context.Audit(transformed, settings.Group);
        double generationSeconds = generation.Elapsed.TotalSeconds;
        var explanations = recourse.ExplainAll(transformed);
        double? secondsPerRow = audit.Overall.Negatives == 0 ? null : generationSeconds / audit.Overall.Negatives;

        if (settings.OutputPath is not null)
            AtomicFile.WriteAllText(settings.OutputPath, ToCsv(transformed, evaluation, explanations));
        var examples = Examples(transformed, evaluation, explanations);
        if (settings.Json)
        {
            Console.Out.WriteLine(ToJson(settings, evaluation.Source, generator.Name, threshold, audit, secondsPerRow, examples));
            return 0;
        }

        AnsiConsole.MarkupLine(Markup.Escape(FormattableString.Invariant(
            $"{evaluation.Source}; method {settings.Method} ({generator.Name}), θ₀ = {threshold:0.###}, {DataViews.RowCount(rows)} rows")));
        AnsiConsole.Write(RecourseAuditTable.Create(audit));
        if (secondsPerRow is double perRow)
            AnsiConsole.MarkupLine(Markup.Escape(FormattableString.Invariant($"{perRow * 1000:0.###} ms per rejected row ({generationSeconds:0.###} s in all)")));
        AnsiConsole.MarkupLine(examples.Count == 0 ? "No rejected row has recourse." : "Example recourse:");
        foreach (var example in examples)
            AnsiConsole.MarkupLine(Markup.Escape($"  {example.Label}: {example.Sentence}"));
        if (settings.OutputPath is not null)
            AnsiConsole.MarkupLine($"wrote [green]{Markup.Escape(settings.OutputPath)}[/]");
        AnsiConsole.MarkupLine(FormattableString.Invariant($"Time taken: {watch.Elapsed.TotalSeconds:0.0} s"));
        return 0;
    }

    private static RecourseAwarePredictionTransformer<ScorerModelParameters> Predictor(RecourseCatalog context, ITransformer model, string path)
        => context.Model.GetTransformers(model).OfType<IScorerPrediction>().LastOrDefault() is { } p
            ? new RecourseAwarePredictionTransformer<ScorerModelParameters>(p.Scorer, p.FeatureColumnName, p.Threshold)
            : throw new InvalidOperationException($"The model in '{path}' holds no classifier trained by recourse train --dataset (a RecourseAwarePredictionTransformer over a feature column).");

    private static Evaluation FromDataset(RecourseCatalog context, Settings settings, ITransformer loaded, IRecourseGenerator generator, IReadOnlyDictionary<string, string> metadata)
    {
        string name = settings.Dataset!;
        if (metadata.TryGetValue(MetadataKeys.Dataset, out var trainedOn) && !string.Equals(trainedOn, name, StringComparison.OrdinalIgnoreCase))
            throw new ArgumentException($"The model was trained on '{trainedOn}', not on '{name}'.");
        int splitSeed = metadata.TryGetValue(MetadataKeys.SplitSeed, out var seed) ? int.Parse(seed, CultureInfo.InvariantCulture) : 0;
        double maximumChange = metadata.TryGetValue(MetadataKeys.MaximumChange, out var change)
            ? double.Parse(change, CultureInfo.InvariantCulture)
            : Datasets.RecourseDataset.DefaultMaximumChange;
        var data = context.Datasets.Load(name, splitSeed, settings.DataDirectory);
        var predictor = Predictor(context, loaded, settings.ModelPath);
        var recourse = context.GenerateRecourse(predictor.Model, ActionSet.FromFeatures(data.Features, maximumChange), generator, predictor.Threshold, predictor.FeatureColumnName)
            .Fit(data.TestSet);
        return new Evaluation(FormattableString.Invariant($"{data.Name} test split (split seed {splitSeed})"), data.TestSet, predictor, recourse, Datasets.RecourseDataset.RowIdColumnName);
    }

    // A CSV file, read into the model's own input columns: the saved model's parts other than its recourse transformer
    // score it, and the recourse is over the file's columns (the recourse transformer saved with the model, or one
    // bound now to the file's columns).
    private static Evaluation FromCsv(RecourseCatalog context, Settings settings, ITransformer loaded, DataViewSchema inputSchema,
        IRecourseGenerator generator, IReadOnlyDictionary<string, string> metadata)
    {
        var rows = context.Datasets.LoadCsv(settings.DataPath!, inputSchema);
        var parts = Persistence.SavedForm.Parts(loaded, context.Environment);
        var predictor = new TransformerChain<ITransformer>(parts.Where(p => p is not RecourseTransformer).ToArray());
        var saved = parts.OfType<RecourseTransformer>().LastOrDefault();
        RecourseTransformer recourse;
        if (saved is not null && settings.ActionsPath is null)
        {
            recourse = saved.WithGenerator(generator);
        }
        else
        {
            var actions = settings.ActionsPath is not null
                ? ColumnActionSet.FromJson(File.ReadAllText(settings.ActionsPath), Path.GetFileName(settings.ActionsPath))
                : metadata.TryGetValue(MetadataKeys.Actions, out var json) ? ColumnActionSet.FromJson(json, "the model's saved actions") : new ColumnActionSet();
            var statistics = settings.TrainingDataPath is null ? rows : context.Datasets.LoadCsv(settings.TrainingDataPath, inputSchema);
            recourse = context.GenerateRecourse(predictor, actions, generator).Fit(statistics);
        }
        return new Evaluation(FormattableString.Invariant($"{Path.GetFileName(settings.DataPath)} ({DataViews.RowCount(rows)} rows)"), rows, predictor, recourse, null);
    }

    private static IRecourseGenerator Generator(RecourseCatalog context, Settings settings, IReadOnlyDictionary<string, string> metadata)
    {
        var generators = context.Generators;
        switch (settings.Method)
        {
            case "onestep":
                string direction = settings.Direction ?? metadata.GetValueOrDefault(MetadataKeys.Direction) ?? "recourse";
                return generators.OneStep(new OneStepGenerator.Options
                {
                    Direction = direction == "reference" ? PerturbationDirection.ReferenceCode : PerturbationDirection.Recourse,
                    Precision = settings.Precision == "single" ? KernelPrecision.Single : KernelPrecision.Double,
                });
            case "gradient":
                return generators.GradientDescent();
            default:
                return generators.LinearIntegerProgram();
        }
    }

    private sealed record Example(string Label, string Sentence);

    // The first rejected rows with recourse, in row order.
    private static List<Example> Examples(IDataView transformed, Evaluation evaluation, IReadOnlyList<RecourseExplanation?> explanations)
    {
        var status = transformed.GetColumn<string>(DefaultColumnNames.RecourseStatus).ToArray();
        var probability = ProbabilityOrScore(transformed);
        var cost = transformed.GetColumn<float>(DefaultColumnNames.RecourseCost).ToArray();
        var ids = RowIds(transformed, evaluation);
        var examples = new List<Example>();
        for (int r = 0; r < status.Length && examples.Count < ExampleCount; r++)
        {
            if (status[r] == RecourseTransformer.AcceptedStatus || explanations[r] is not { } explanation) continue;
            examples.Add(new Example(FormattableString.Invariant($"row {ids[r]} (g = {probability[r]:0.###})"),
                FormattableString.Invariant($"{explanation} (cost {cost[r]:0.###})")));
        }
        return examples;
    }

    // ML.NET's uncalibrated classifiers (averaged perceptron, linear SVM) give a score and no probability.
    private static float[] ProbabilityOrScore(IDataView transformed)
        => transformed.GetColumn<float>(transformed.Schema.GetColumnOrNull(DefaultColumnNames.Probability) is null ? DefaultColumnNames.Score : DefaultColumnNames.Probability).ToArray();

    private static int[] RowIds(IDataView transformed, Evaluation evaluation)
        => evaluation.RowIdColumn is { } name && transformed.Schema.GetColumnOrNull(name) is not null
            ? transformed.GetColumn<int>(name).ToArray()
            : Enumerable.Range(0, DataViews.RowCount(transformed)).ToArray();

    private static string ToCsv(IDataView transformed, Evaluation evaluation, IReadOnlyList<RecourseExplanation?> explanations)
    {
        var features = evaluation.Recourse.ActionSet.Features;
        var ids = RowIds(transformed, evaluation);
        var probability = ProbabilityOrScore(transformed);
        var predicted = transformed.GetColumn<bool>(DefaultColumnNames.PredictedLabel).ToArray();
        var has = transformed.GetColumn<bool>(DefaultColumnNames.HasRecourse).ToArray();
        var status = transformed.GetColumn<string>(DefaultColumnNames.RecourseStatus).ToArray();
        var cost = transformed.GetColumn<float>(DefaultColumnNames.RecourseCost).ToArray();
        var delta = transformed.GetColumn<float[]>(DefaultColumnNames.RecourseDelta).ToArray();
        var text = new StringBuilder();
        text.AppendJoin(',', new[] { "rowId", "probability", "predictedLabel", "hasRecourse", "status", "cost" }
            .Concat(features.Select(f => Quote("delta_" + f.Name))).Append("explanation")).Append('\n');
        for (int r = 0; r < ids.Length; r++)
        {
            text.Append(ids[r].ToString(CultureInfo.InvariantCulture)).Append(',')
                .Append(Number(probability[r])).Append(',')
                .Append(predicted[r] ? "true" : "false").Append(',')
                .Append(has[r] ? "true" : "false").Append(',')
                .Append(status[r]).Append(',')
                .Append(Number(cost[r]));
            foreach (float v in delta[r]) text.Append(',').Append(Number(v));
            text.Append(',').Append(Quote(explanations[r]?.ToString() ?? "")).Append('\n');
        }
        return text.ToString();
    }

    // NaN (no recourse) is an empty field.
    private static string Number(float value) => float.IsNaN(value) ? "" : value.ToString("R", CultureInfo.InvariantCulture);

    private static string Quote(string field)
        => field.IndexOfAny([',', '"', '\n', '\r']) < 0 ? field : "\"" + field.Replace("\"", "\"\"") + "\"";

    private static string ToJson(Settings settings, string source, string generatorName, double threshold, RecourseAuditResult audit,
        double? secondsPerRow, IReadOnlyList<Example> examples)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            writer.WriteStartObject();
            writer.WriteString("method", settings.Method!);
            writer.WriteString("generator", generatorName);
            writer.WriteString("source", source);
            writer.WriteNumber("threshold", threshold);
            WriteMetrics(writer, audit.Overall);
            WriteNumber(writer, "secondsPerRow", secondsPerRow);
            if (audit.GroupColumnName is not null)
            {
                writer.WriteString("groupColumn", audit.GroupColumnName);
                writer.WriteStartArray("groups");
                foreach (var g in audit.Groups)
                {
                    writer.WriteStartObject();
                    writer.WriteString("group", g.Group);
                    WriteMetrics(writer, g);
                    writer.WriteEndObject();
                }
                writer.WriteEndArray();
            }
            writer.WriteStartArray("examples");
            foreach (var e in examples)
            {
                writer.WriteStartObject();
                writer.WriteString("row", e.Label);
                writer.WriteString("action", e.Sentence);
                writer.WriteEndObject();
            }
            writer.WriteEndArray();
            if (settings.OutputPath is not null) writer.WriteString("out", settings.OutputPath);
            writer.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static void WriteMetrics(Utf8JsonWriter writer, RecourseAuditMetrics metrics)
    {
        writer.WriteNumber("rows", metrics.Rows);
        writer.WriteNumber("negatives", metrics.Negatives);
        writer.WriteNumber("negativesWithRecourse", metrics.NegativesWithRecourse);
        WriteNumber(writer, "recourseNeg", metrics.RecourseNegativeRate);
        WriteNumber(writer, "recourseAll", metrics.RecourseAllRate);
        WriteNumber(writer, "meanCost", metrics.MeanCost);
        WriteNumber(writer, "medianCost", metrics.MedianCost);
        WriteNumber(writer, "infeasibleShare", metrics.InfeasibleShare);
    }

    // Undefined figures (NaN: no rejected rows, no recourse) are JSON null.
    private static void WriteNumber(Utf8JsonWriter writer, string name, double? value)
    {
        if (value is double v && double.IsFinite(v)) writer.WriteNumber(name, v);
        else writer.WriteNull(name);
    }
}
