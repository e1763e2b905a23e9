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
        var model = recourse.Model.Load(path, out inputSchema);
        metadata = new Dictionary<string, string>();
        using var zip = ZipFile.OpenRead(path);
        if (zip.GetEntry(MetadataEntry) is { } entry)
        {
            using var stream = entry.Open();
            try
            {
                metadata = JsonSerializer.Deserialize<Dictionary<string, string>>(stream) ?? [];
            }
            catch (JsonException e)
            {
                throw new InvalidDataException($"The metadata of model file '{path}' is not valid JSON ({e.Message}).", e);
            }
            if (metadata.Keys.FirstOrDefault(k => !Commands.TrainCommand.MetadataKeys.All.Contains(k)) is { } unknown)
                throw new InvalidDataException($"The metadata of model file '{path}' has an unknown key '{unknown}' (the keys are listed in docs/cli.md, \"Model file metadata\").");
        }
        return model;
    }
}
