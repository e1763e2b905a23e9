using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Microsoft.ML.Recourse.Persistence;

/// <summary>
/// Writes and reads a generator's options (plain init-property bags) for a saved transformer's state; each generator
/// registers its own loader with <see cref="PersistedKindAttribute"/>.
/// </summary>
internal static class GeneratorOptionsJson
{
    private static readonly JsonSerializerOptions Json = new() { Converters = { new JsonStringEnumConverter() }, UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow };

    public static JsonObject Save<TOptions>(string kind, TOptions options)
        => PersistedKinds.Node(kind, 1, JsonSerializer.SerializeToNode(options, Json)!.AsObject());

    public static TOptions Read<TOptions>(JsonObject data)
        => data.Deserialize<TOptions>(Json) ?? throw new InvalidOperationException($"the generator options are null");
}
