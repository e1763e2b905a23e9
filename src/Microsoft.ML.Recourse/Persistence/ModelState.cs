using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace Microsoft.ML.Recourse.Persistence;

/// <summary>
/// The versioned state of one of the library's transformers as it travels inside an ML.NET model file: a JSON document
/// <c>{"format", "formatVersion", "libraryVersion", "sha256", "transformer": {"kind", "version", "data"}}</c>. The
/// checksum covers the transformer node, so a modified or truncated state is rejected before it is used.
/// </summary>
internal static class ModelState
{
    public const string FormatName = "Microsoft.ML.Recourse";
    public const int FormatVersion = 1;

    /// <summary>The version of this library, as written into saved states.</summary>
    public static string LibraryVersion { get; } =
        typeof(ModelState).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "unknown";

    public static string Write(JsonObject transformerNode)
    {
        string node = transformerNode.ToJsonString();
        return new JsonObject
        {
            ["format"] = FormatName,
            ["formatVersion"] = FormatVersion,
            ["libraryVersion"] = LibraryVersion,
            ["sha256"] = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(node))),
            ["transformer"] = JsonNode.Parse(node),
        }.ToJsonString();
    }

    /// <summary>Checks a state document and returns its transformer node.</summary>
    public static JsonObject Read(string text)
    {
        JsonObject document;
        try
        {
            document = JsonNode.Parse(text) as JsonObject ?? throw Corrupt("the stored state is not a JSON object");
        }
        catch (System.Text.Json.JsonException e)
        {
            throw Corrupt($"the stored state is not valid JSON ({e.Message}); the file is truncated or corrupted", e);
        }
        if (document.Select(p => p.Key).FirstOrDefault(k => !TopLevelKeys.Contains(k)) is { } unknown)
            throw Corrupt($"its state has an unknown key '{unknown}' (the keys are {string.Join(", ", TopLevelKeys)})");
        if ((string?)document["format"] != FormatName)
            throw Corrupt($"its state names format '{(string?)document["format"]}', not '{FormatName}'");
        int version = (int?)document["formatVersion"] ?? throw Corrupt("its state has no formatVersion");
        if (version > FormatVersion)
            throw new InvalidDataException(
                $"The model was written by a newer version of Microsoft.ML.Recourse (state format {version}, library {(string?)document["libraryVersion"]}); this library reads state format {FormatVersion} and older. Upgrade the Microsoft.ML.Recourse package to load it.");
        var node = document["transformer"] as JsonObject ?? throw Corrupt("its state has no 'transformer' object");
        string? expected = (string?)document["sha256"];
        string actual = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(node.ToJsonString())));
        if (expected is null || !string.Equals(expected, actual, StringComparison.OrdinalIgnoreCase))
            throw Corrupt("the checksum of its state does not match; the file was modified or corrupted");
        return node;
    }

    private static readonly string[] TopLevelKeys = ["format", "formatVersion", "libraryVersion", "sha256", "transformer"];

    public static InvalidDataException Corrupt(string reason, Exception? inner = null)
        => new($"Not a valid Microsoft.ML.Recourse model: {reason}.", inner);
}
