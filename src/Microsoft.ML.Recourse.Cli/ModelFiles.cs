using System.IO.Compression;
using System.Text.Json;
using Microsoft.ML.Recourse.Persistence;

namespace Microsoft.ML.Recourse.Cli;

/// <summary>
/// The CLI's model files: ML.NET model zips (written by <c>mlContext.Model.Save</c>, readable by any ML.NET program),
/// plus one extra entry with the training metadata <c>recourse explain</c> uses (ML.NET ignores entries it does not know).
/// </summary>
internal static class ModelFiles
{
    private const string MetadataEntry = "Microsoft.ML.Recourse/metadata.json";

    /// <summary>Saves a model and its metadata atomically.</summary>
    public static void Save(MLContext mlContext, ITransformer model, DataViewSchema inputSchema, string path, IReadOnlyDictionary<string, string> metadata)
    {
        using var buffer = new MemoryStream();
        mlContext.Model.Save(model, inputSchema, buffer);
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Update, leaveOpen: true))
        {
            var entry = zip.CreateEntry(MetadataEntry, CompressionLevel.Optimal);
            using var stream = entry.Open();
            JsonSerializer.Serialize(stream, metadata);
        }
        AtomicFile.Write(path, s => buffer.WriteTo(s));
    }

    /// <summary>Loads a model (errors name the file) and its metadata (empty for a model saved by another program).</summary>
    public static ITransformer Load(RecourseCatalog recourse, string path, out IReadOnlyDictionary<string, string> metadata)
        => Load(recourse, path, out _, out metadata);

    /// <summary>Loads a model, its saved input schema and its metadata.</summary>
    public static ITransformer Load(RecourseCatalog recourse, string path, out DataViewSchema inputSchema, out IReadOnlyDictionary<string, string> metadata)
    {
        var model = recourse.Model.Load(path, out var savedSchema);
        // A model saved without its input schema (mlContext.Model.Save(model, null, path)) gets an empty one: a CSV file
        // is then refused naming the missing columns, rather than failing on null.
        inputSchema = savedSchema ?? new DataViewSchema.Builder().ToSchema();
        // A model that cannot take the input it was saved with is damaged; say so now, naming the file.
        if (inputSchema.Count > 0)
        {
            try
            {
                model.GetOutputSchema(inputSchema);
            }
            catch (Exception e) when (e is ArgumentException or InvalidOperationException or FormatException)
            {
                throw new InvalidDataException($"Model file '{path}' does not accept the input schema saved with it ({e.Message}); the file is damaged.", e);
            }
        }
        metadata = new Dictionary<string, string>();
        try
        {
            using var zip = ZipFile.OpenRead(path);
            if (zip.GetEntry(MetadataEntry) is { } entry)
            {
                using var stream = entry.Open();
                metadata = JsonSerializer.Deserialize<Dictionary<string, string>>(stream) ?? [];
            }
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"The metadata of model file '{path}' is not valid JSON ({e.Message}).", e);
        }
        catch (InvalidDataException e)
        {
            throw new InvalidDataException($"The metadata of model file '{path}' cannot be read ({e.Message}).", e);
        }
        if (metadata.Keys.FirstOrDefault(k => !Commands.TrainCommand.MetadataKeys.All.Contains(k)) is { } unknown)
            throw new InvalidDataException($"The metadata of model file '{path}' has an unknown key '{unknown}' (the keys are listed in docs/cli.md, \"Model file metadata\").");
        return model;
    }
}
