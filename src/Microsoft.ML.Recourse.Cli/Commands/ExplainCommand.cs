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
/// <c>recourse explain --model model.zip (--dataset NAME | --data data.csv --schema schema.json) --method
/// onestep|gradient|linear-ip</c>: runs a recourse generator on the rows a saved classifier rejects, prints the
/// population audit and example actions in plain language, and optionally writes every row's recourse to a CSV file.
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
        var data = new Option<FileInfo?>("--data") { Description = "A CSV file to evaluate (all rows), read through --schema (format in docs/user-data.md)." };
        var schema = new Option<FileInfo?>("--schema") { Description = "The JSON schema file of --data: features, actionability, label column." };
        var method = new Option<string>("--method") { Description = "The recourse generator: onestep, gradient or linear-ip.", Required = true };
        method.AcceptOnlyFromAmong("onestep", "gradient", "linear-ip");
        var direction = new Option<string?>("--direction") { Description = "onestep only: recourse (raise the model's score) or reference (the published code's sign). Default: the direction the model was trained with, else recourse." };
        direction.AcceptOnlyFromAmong("recourse", "reference");
        var group = new Option<string?>("--group") { Description = "A group column (e.g. isWhite, ageGroup) for a per-group audit." };
        var limit = new Option<int?>("--limit") { Description = "Evaluate only the first N rows." };
        var output = new Option<FileInfo?>("--out") { Description = "Write every row's recourse to this CSV file (written atomically)." };
        var json = new Option<bool>("--json") { Description = "Print one JSON object instead of tables." };
        var command = new Command("explain",
            "Compute recourse for the rows a saved classifier rejects, audit it (overall and by group) and explain example actions in plain language.");
        foreach (var option in new Option[] { model, dataset, dataDir, data, schema, method, direction, group, limit, output, json }) command.Options.Add(option);
        command.SetAction(parse => CommandErrors.Run(parse, () => Run(new Settings(parse.GetValue(model)!.FullName, parse.GetValue(dataset)?.ToLowerInvariant(),
            parse.GetValue(dataDir)?.FullName, parse.GetValue(data)?.FullName, parse.GetValue(schema)?.FullName, parse.GetValue(method)!,
            parse.GetValue(direction), parse.GetValue(group), parse.GetValue(limit), parse.GetValue(output)?.FullName, parse.GetValue(json)))));
        return command;
    }

    private sealed record Settings(string ModelPath, string? Dataset, string? DataDirectory, string? DataPath, string? SchemaPath, string Method,
        string? Direction, string? Group, int? Limit, string? OutputPath, bool Json);

    /// <summary>The rows to evaluate and what recourse on them needs.</summary>
    private sealed record Evaluation(string Source, IDataView Rows, ActionSet Actions, string? RowIdColumn);

    private static int Run(Settings settings)
    {
        if ((settings.Dataset is null) == (settings.DataPath is null))
            throw new ArgumentException("Give either --dataset NAME or --data FILE --schema FILE.");
        if (settings.DataPath is not null && settings.SchemaPath is null)
            throw new ArgumentException("--data needs --schema (the JSON schema file; format in docs/user-data.md).");
        if (settings.Direction is not null && settings.Method != "onestep")
            throw new ArgumentException($"--direction applies to the onestep method only, not to {settings.Method}.");
        if (settings.Limit is int n && n < 1)
            throw new ArgumentException(FormattableString.Invariant($"--limit must be ≥ 1; got {n}."));

        var watch = Stopwatch.StartNew();
        var mlContext = new MLContext(0);
        var context = mlContext.Recourse();
        var loaded = ModelFiles.Load(context, settings.ModelPath, out var metadata);
        var predictor = Predictor(context, loaded, settings.ModelPath);
        var (scorer, threshold, featureColumn) = (predictor.Model, predictor.Threshold, predictor.FeatureColumnName);
        var evaluation = settings.Dataset is not null ? FromDataset(context, settings, metadata) : FromCsv(context, settings);
        var rows = settings.Limit is int limit ? mlContext.Data.TakeRows(evaluation.Rows, limit) : evaluation.Rows;

        var generator = Generator(context, settings, metadata);
        predictor.GetOutputSchema(rows.Schema); // the model's own schema check comes first: it names the column and both types
        var scored = loaded.Transform(rows);
        var recourse = context.GenerateRecourse(scorer, evaluation.Actions, generator, threshold, featureColumn).Fit(scored);
        var generation = Stopwatch.StartNew();
        var transformed = recourse.Transform(scored);
        double generationSeconds = generation.Elapsed.TotalSeconds;
        var audit = context.Audit(transformed, settings.Group);
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
        => context.Model.GetTransformers(model).LastOrDefault() switch
        {
            RecourseAwarePredictionTransformer<LogisticRegressionModelParameters> p => new(p.Model, p.FeatureColumnName, p.Threshold),
            RecourseAwarePredictionTransformer<MultilayerPerceptronModelParameters> p => new(p.Model, p.FeatureColumnName, p.Threshold),
            _ => throw new InvalidOperationException($"The model in '{path}' holds no classifier trained by recourse train (a RecourseAwarePredictionTransformer)."),
        };

    private static Evaluation FromDataset(RecourseCatalog context, Settings settings, IReadOnlyDictionary<string, string> metadata)
    {
        string name = settings.Dataset!;
        if (metadata.TryGetValue(MetadataKeys.Dataset, out var trainedOn) && !string.Equals(trainedOn, name, StringComparison.OrdinalIgnoreCase))
            throw new ArgumentException($"The model was trained on '{trainedOn}', not on '{name}'.");
        int splitSeed = metadata.TryGetValue(MetadataKeys.SplitSeed, out var seed) ? int.Parse(seed, CultureInfo.InvariantCulture) : 0;
        double maximumChange = metadata.TryGetValue(MetadataKeys.MaximumChange, out var change)
            ? double.Parse(change, CultureInfo.InvariantCulture)
            : Datasets.RecourseDataset.DefaultMaximumChange;
        var data = context.Datasets.Load(name, splitSeed, settings.DataDirectory);
        return new Evaluation(FormattableString.Invariant($"{data.Name} test split (split seed {splitSeed})"), data.TestSet,
            ActionSet.FromFeatures(data.Features, maximumChange), Datasets.RecourseDataset.RowIdColumnName);
    }

    private static Evaluation FromCsv(RecourseCatalog context, Settings settings)
    {
        var data = context.Datasets.LoadCsv(settings.DataPath!, settings.SchemaPath!);
        return new Evaluation(data.ToString(), data.Data, data.ActionSet, Datasets.RecourseDataset.RowIdColumnName);
    }

    private static IRecourseGenerator Generator(RecourseCatalog context, Settings settings, IReadOnlyDictionary<string, string> metadata)
    {
        var generators = context.Generators;
        switch (settings.Method)
        {
            case "onestep":
                string direction = settings.Direction ?? metadata.GetValueOrDefault(MetadataKeys.Direction) ?? "recourse";
                return generators.OneStep(direction == "reference" ? PerturbationDirection.ReferenceCode : PerturbationDirection.Recourse);
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
        var probability = transformed.GetColumn<float>(DefaultColumnNames.Probability).ToArray();
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

    private static int[] RowIds(IDataView transformed, Evaluation evaluation)
        => evaluation.RowIdColumn is { } name && transformed.Schema.GetColumnOrNull(name) is not null
            ? transformed.GetColumn<int>(name).ToArray()
            : Enumerable.Range(0, DataViews.RowCount(transformed)).ToArray();

    private static string ToCsv(IDataView transformed, Evaluation evaluation, IReadOnlyList<RecourseExplanation?> explanations)
    {
        var features = evaluation.Actions.Features;
        var ids = RowIds(transformed, evaluation);
        var probability = transformed.GetColumn<float>(DefaultColumnNames.Probability).ToArray();
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
            writer.WriteString("method", settings.Method);
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
