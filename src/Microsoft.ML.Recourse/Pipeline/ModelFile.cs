using System.IO.Compression;
using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.ML.Recourse.Data;

namespace Microsoft.ML.Recourse;

/// <summary>A transformer that can be written to and read from a model file.</summary>
internal interface IPersistableTransformer : ITransformer
{
    /// <summary>Gets the stable name of the stored kind, e.g. <c>BinaryPredictionTransformer</c>.</summary>
    string ModelKind { get; }

    /// <summary>Gets the version of this kind's stored layout; loading rejects a newer one.</summary>
    int ModelVersion { get; }

    /// <summary>Writes the fitted state.</summary>
    JsonObject SaveModel();
}

/// <summary>
/// The model file: a zip archive holding <c>manifest.json</c> (format name and version, library version, SHA-256 of
/// the other entries), <c>schema.json</c> (the input schema) and <c>model.json</c> (the transformer tree, each node
/// <c>{"kind", "version", "data"}</c>). No binary serialisation is involved.
/// </summary>
internal static class ModelFile
{
    public const string FormatName = "Microsoft.ML.Recourse.Model";
    public const int FormatVersion = 1;

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    // Every persistable kind and how to load it: one explicit list, no reflection registration.
    private static readonly Dictionary<string, (int MaxVersion, Func<JsonObject, RecourseContext, ITransformer> Load)> Loaders = new()
    {
        [TransformerChain<ITransformer>.Kind] = (1, TransformerChain<ITransformer>.Load),
        [Trainers.BinaryPredictionTransformer.Kind] = (1, Trainers.BinaryPredictionTransformer.Load),
        [Calibration.PareCalibratorTransformer.Kind] = (1, Calibration.PareCalibratorTransformer.Load),
    };

    public static void Save(ITransformer model, DataViewSchema? inputSchema, Stream stream, IReadOnlyDictionary<string, string>? metadata = null)
    {
        var modelJson = Encoding.UTF8.GetBytes(SaveNode(model).ToJsonString(Indented));
        var schemaJson = Encoding.UTF8.GetBytes(SchemaToJson(inputSchema).ToJsonString(Indented));
        var manifest = new JsonObject
        {
            ["format"] = FormatName,
            ["formatVersion"] = FormatVersion,
            ["libraryVersion"] = typeof(ModelFile).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown",
            ["sha256"] = new JsonObject
            {
                ["model.json"] = Convert.ToHexString(SHA256.HashData(modelJson)),
                ["schema.json"] = Convert.ToHexString(SHA256.HashData(schemaJson)),
            },
            ["metadata"] = new JsonObject((metadata ?? new Dictionary<string, string>())
                .Select(kv => KeyValuePair.Create(kv.Key, (JsonNode?)JsonValue.Create(kv.Value)))),
        };
        using var zip = new ZipArchive(stream, ZipArchiveMode.Create, leaveOpen: true);
        WriteEntry(zip, "manifest.json", Encoding.UTF8.GetBytes(manifest.ToJsonString(Indented)));
        WriteEntry(zip, "schema.json", schemaJson);
        WriteEntry(zip, "model.json", modelJson);
    }

    public static ITransformer Load(Stream stream, RecourseContext context, out DataViewSchema? inputSchema, out IReadOnlyDictionary<string, string> metadata)
    {
        Dictionary<string, byte[]> entries;
        try
        {
            using var zip = new ZipArchive(stream, ZipArchiveMode.Read, leaveOpen: true);
            entries = zip.Entries.ToDictionary(e => e.FullName, ReadEntry);
        }
        catch (Exception e) when (e is InvalidDataException or EndOfStreamException or IOException)
        {
            throw Corrupt($"the archive cannot be read ({e.Message}); the file is truncated, corrupted or not a model file", e);
        }

        var manifest = ParseObject(entries, "manifest.json");
        if ((string?)manifest["format"] != FormatName)
            throw Corrupt($"its manifest names format '{(string?)manifest["format"]}', not '{FormatName}'");
        int version = (int?)manifest["formatVersion"] ?? throw Corrupt("its manifest has no formatVersion");
        if (version > FormatVersion)
            throw new InvalidDataException(
                $"The model file was written by a newer version of Microsoft.ML.Recourse (model format {version}, library {(string?)manifest["libraryVersion"]}); this library reads model format {FormatVersion} and older. Upgrade the Microsoft.ML.Recourse package to load it.");
        foreach (var name in new[] { "model.json", "schema.json" })
        {
            string? expected = (string?)manifest["sha256"]?[name];
            if (!entries.TryGetValue(name, out var bytes)) throw Corrupt($"the entry '{name}' is missing");
            if (expected is null || !string.Equals(expected, Convert.ToHexString(SHA256.HashData(bytes)), StringComparison.OrdinalIgnoreCase))
                throw Corrupt($"the checksum of '{name}' does not match its manifest; the file was modified or corrupted");
        }

        metadata = (manifest["metadata"] as JsonObject)?.ToDictionary(kv => kv.Key, kv => (string?)kv.Value ?? "")
                   ?? new Dictionary<string, string>();
        inputSchema = SchemaFromJson(ParseNode(entries, "schema.json"));
        return LoadNode(ParseNode(entries, "model.json"), context);
    }

    public static JsonObject SaveNode(ITransformer transformer)
    {
        if (transformer is not IPersistableTransformer p)
            throw new NotSupportedException($"A {transformer.GetType().Name} cannot be saved to a model file.");
        return new JsonObject { ["kind"] = p.ModelKind, ["version"] = p.ModelVersion, ["data"] = p.SaveModel() };
    }

    public static ITransformer LoadNode(JsonNode? node, RecourseContext context)
    {
        if (node is not JsonObject obj) throw Corrupt("a model node is not a JSON object");
        string kind = (string?)obj["kind"] ?? throw Corrupt("a model node has no 'kind'");
        int version = (int?)obj["version"] ?? throw Corrupt($"the '{kind}' node has no 'version'");
        if (!Loaders.TryGetValue(kind, out var loader))
            throw new InvalidDataException($"The model file contains a '{kind}' transformer, which this version of Microsoft.ML.Recourse does not know. Upgrade the package to load it.");
        if (version > loader.MaxVersion)
            throw new InvalidDataException($"The model file stores '{kind}' in layout version {version}; this library reads version {loader.MaxVersion} and older. Upgrade the Microsoft.ML.Recourse package to load it.");
        var data = obj["data"] as JsonObject ?? throw Corrupt($"the '{kind}' node has no 'data' object");
        try
        {
            return loader.Load(data, context);
        }
        catch (Exception e) when (e is InvalidOperationException or FormatException or KeyNotFoundException or NullReferenceException or ArgumentException or JsonException)
        {
            throw Corrupt($"the '{kind}' node is malformed ({e.Message})", e);
        }
    }

    public static InvalidDataException Corrupt(string reason, Exception? inner = null)
        => new($"Not a valid Microsoft.ML.Recourse model file: {reason}.", inner);

    private static JsonObject SchemaToJson(DataViewSchema? schema)
    {
        var cols = new JsonArray();
        if (schema is not null)
        {
            foreach (var c in schema)
            {
                var col = new JsonObject { ["name"] = c.Name };
                switch (c.Type)
                {
                    case VectorDataViewType v:
                        col["type"] = v.ItemType.ToString();
                        col["size"] = v.Size;
                        break;
                    default:
                        col["type"] = c.Type.ToString();
                        break;
                }
                if (c.Annotations.SlotNames is { } slots) col["slotNames"] = new JsonArray(slots.Select(s => (JsonNode)JsonValue.Create(s)!).ToArray());
                cols.Add(col);
            }
        }
        return new JsonObject { ["present"] = schema is not null, ["columns"] = cols };
    }

    private static DataViewSchema? SchemaFromJson(JsonNode? node)
    {
        if (node is not JsonObject obj) throw Corrupt("schema.json is not a JSON object");
        if (obj["present"]?.GetValue<bool>() != true) return null;
        var columns = new List<(string, DataViewType, IReadOnlyList<string>?)>();
        foreach (var c in obj["columns"]?.AsArray() ?? throw Corrupt("schema.json has no columns"))
        {
            if (c is not JsonObject col) throw Corrupt("a schema column is not a JSON object");
            string name = (string?)col["name"] ?? throw Corrupt("a schema column has no name");
            string typeName = (string?)col["type"] ?? throw Corrupt($"schema column '{name}' has no type");
            DataViewType scalar = typeName switch
            {
                "Single" => NumberDataViewType.Single,
                "Double" => NumberDataViewType.Double,
                "Int32" => NumberDataViewType.Int32,
                "Boolean" => BooleanDataViewType.Instance,
                "String" => TextDataViewType.Instance,
                _ => throw Corrupt($"schema column '{name}' has unknown type '{typeName}'"),
            };
            var slots = col["slotNames"]?.AsArray().Select(s => (string)s!).ToArray();
            var type = col["size"] is { } size ? new VectorDataViewType((NumberDataViewType)scalar, (int)size) : scalar;
            columns.Add((name, type, slots));
        }
        return new DataViewSchema(columns);
    }

    private static void WriteEntry(ZipArchive zip, string name, byte[] bytes)
    {
        var entry = zip.CreateEntry(name, CompressionLevel.Optimal);
        entry.LastWriteTime = new DateTimeOffset(2000, 1, 1, 0, 0, 0, TimeSpan.Zero); // deterministic archives
        using var s = entry.Open();
        s.Write(bytes);
    }

    private static byte[] ReadEntry(ZipArchiveEntry entry)
    {
        using var s = entry.Open();
        using var ms = new MemoryStream();
        s.CopyTo(ms);
        return ms.ToArray();
    }

    private static JsonNode? ParseNode(Dictionary<string, byte[]> entries, string name)
    {
        if (!entries.TryGetValue(name, out var bytes)) throw Corrupt($"the entry '{name}' is missing");
        try
        {
            return JsonNode.Parse(bytes);
        }
        catch (JsonException e)
        {
            throw Corrupt($"'{name}' is not valid JSON ({e.Message})", e);
        }
    }

    private static JsonObject ParseObject(Dictionary<string, byte[]> entries, string name)
        => ParseNode(entries, name) as JsonObject ?? throw Corrupt($"'{name}' is not a JSON object");
}

/// <summary>Saving and loading fitted models, reached through <see cref="RecourseContext.Model"/>.</summary>
public sealed class ModelOperationsCatalog
{
    private readonly RecourseContext _context;

    internal ModelOperationsCatalog(RecourseContext context) => _context = context;

    /// <summary>
    /// Saves a fitted transformer (or chain) and the schema of its input to a model file. The file is written
    /// atomically: an existing file is replaced only once the new one is complete.
    /// </summary>
    /// <param name="model">The fitted transformer.</param>
    /// <param name="inputSchema">The schema of the data the model expects, or <see langword="null"/>.</param>
    /// <param name="filePath">The target path.</param>
    /// <param name="metadata">Optional string pairs stored in the manifest (e.g. the data set and split seed a model was trained on).</param>
    public void Save(ITransformer model, DataViewSchema? inputSchema, string filePath, IReadOnlyDictionary<string, string>? metadata = null)
    {
        Contracts.CheckValue(model, nameof(model));
        Contracts.CheckValue(filePath, nameof(filePath));
        using var buffer = new MemoryStream();
        ModelFile.Save(model, inputSchema, buffer, metadata);
        AtomicFile.Write(filePath, s => buffer.WriteTo(s));
    }

    /// <summary>Saves a fitted transformer (or chain) and the schema of its input to a stream.</summary>
    /// <param name="model">The fitted transformer.</param>
    /// <param name="inputSchema">The schema of the data the model expects, or <see langword="null"/>.</param>
    /// <param name="stream">A writable stream; it is left open.</param>
    public void Save(ITransformer model, DataViewSchema? inputSchema, Stream stream)
    {
        Contracts.CheckValue(model, nameof(model));
        Contracts.CheckValue(stream, nameof(stream));
        ModelFile.Save(model, inputSchema, stream);
    }

    /// <summary>
    /// Loads a model file. A truncated, corrupted or foreign file, or one written by a newer version of the
    /// library, is rejected with an <see cref="InvalidDataException"/> that says which.
    /// </summary>
    /// <param name="filePath">The model file.</param>
    /// <param name="inputSchema">The stored input schema, or <see langword="null"/> when none was saved.</param>
    public ITransformer Load(string filePath, out DataViewSchema? inputSchema) => Load(filePath, out inputSchema, out _);

    /// <summary>Loads a model file and the metadata stored with it (see <see cref="Load(string, out DataViewSchema?)"/>).</summary>
    /// <param name="filePath">The model file.</param>
    /// <param name="inputSchema">The stored input schema, or <see langword="null"/> when none was saved.</param>
    /// <param name="metadata">The string pairs given to <see cref="Save(ITransformer, DataViewSchema?, string, IReadOnlyDictionary{string, string}?)"/>.</param>
    public ITransformer Load(string filePath, out DataViewSchema? inputSchema, out IReadOnlyDictionary<string, string> metadata)
    {
        Contracts.CheckValue(filePath, nameof(filePath));
        if (!File.Exists(filePath)) throw new FileNotFoundException($"Model file '{Path.GetFullPath(filePath)}' does not exist.", filePath);
        using var stream = File.OpenRead(filePath);
        return ModelFile.Load(stream, _context, out inputSchema, out metadata);
    }

    /// <summary>Loads a model from a stream (see <see cref="Load(string, out DataViewSchema?)"/>).</summary>
    /// <param name="stream">A readable, seekable stream.</param>
    /// <param name="inputSchema">The stored input schema, or <see langword="null"/> when none was saved.</param>
    public ITransformer Load(Stream stream, out DataViewSchema? inputSchema)
    {
        Contracts.CheckValue(stream, nameof(stream));
        return ModelFile.Load(stream, _context, out inputSchema, out _);
    }
}
