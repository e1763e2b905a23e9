using System.Reflection;
using System.Text.Json.Nodes;

namespace Microsoft.ML.Recourse.Persistence;

/// <summary>
/// Marks a static method <c>static T Load(JsonObject data, int version, RecourseEnvironment environment)</c> as the loader of one stored kind. A kind
/// registers itself by carrying this attribute; no central list is extended (ML.NET's own assemblies do the same with
/// their internal <c>LoadableClass</c> attributes).
/// </summary>
/// <param name="family">The family of kinds the loader belongs to (<see cref="PersistedFamily"/>).</param>
/// <param name="kind">The stable name written to files.</param>
/// <param name="maximumVersion">The newest layout version the loader reads.</param>
[AttributeUsage(AttributeTargets.Method)]
internal sealed class PersistedKindAttribute(string family, string kind, int maximumVersion) : Attribute
{
    public string Family { get; } = family;

    public string Kind { get; } = kind;

    public int MaximumVersion { get; } = maximumVersion;
}

/// <summary>The families of stored kinds.</summary>
internal static class PersistedFamily
{
    /// <summary>Transformers saved inside ML.NET model files.</summary>
    public const string Transformer = "transformer";

    /// <summary>Scorers (the model g behind a transformer).</summary>
    public const string Scorer = "scorer";

    /// <summary>Recourse generators, stored with their options.</summary>
    public const string Generator = "generator";
}

/// <summary>The registry of stored kinds, found once by their <see cref="PersistedKindAttribute"/>.</summary>
internal static class PersistedKinds
{
    private static readonly Lazy<IReadOnlyDictionary<(string Family, string Kind), (int MaximumVersion, MethodInfo Load)>> Loaders = new(Scan);

    /// <summary>Loads a stored <paramref name="family"/> node <c>{"kind", "version", "data"}</c>.</summary>
    public static T Load<T>(string family, JsonNode? node, RecourseEnvironment environment) where T : class
    {
        if (node is not JsonObject obj) throw ModelState.Corrupt($"a {family} node is not a JSON object");
        string kind = (string?)obj["kind"] ?? throw ModelState.Corrupt($"a {family} node has no 'kind'");
        if (obj.Select(p => p.Key).FirstOrDefault(k => k is not ("kind" or "version" or "data")) is { } unknown)
            throw ModelState.Corrupt($"the {family} node '{kind}' has an unknown key '{unknown}' (the keys are kind, version, data)");
        int version = (int?)obj["version"] ?? throw ModelState.Corrupt($"the '{kind}' node has no 'version'");
        if (!Loaders.Value.TryGetValue((family, kind), out var loader))
            throw new InvalidDataException($"The model contains a {family} of kind '{kind}', which this version of Microsoft.ML.Recourse does not know. Upgrade the package to load it.");
        if (version > loader.MaximumVersion)
            throw new InvalidDataException($"The model stores '{kind}' in layout version {version}; this library reads version {loader.MaximumVersion} and older. Upgrade the Microsoft.ML.Recourse package to load it.");
        var data = obj["data"] as JsonObject ?? throw ModelState.Corrupt($"the '{kind}' node has no 'data' object");
        try
        {
            return loader.Load.Invoke(null, [data, version, environment]) as T
                ?? throw ModelState.Corrupt($"the '{kind}' node does not hold a {typeof(T).Name}");
        }
        catch (TargetInvocationException e) when (e.InnerException is InvalidDataException inner)
        {
            throw inner;
        }
        catch (TargetInvocationException e) when (e.InnerException is InvalidOperationException or FormatException or KeyNotFoundException
            or NullReferenceException or ArgumentException or System.Text.Json.JsonException or InvalidCastException)
        {
            throw ModelState.Corrupt($"the '{kind}' node is malformed ({e.InnerException!.Message})", e.InnerException);
        }
    }

    /// <summary>Writes a node <c>{"kind", "version", "data"}</c>.</summary>
    public static JsonObject Node(string kind, int version, JsonObject data) => new()
    {
        ["kind"] = kind,
        ["version"] = version,
        ["data"] = data,
    };

    private static IReadOnlyDictionary<(string, string), (int, MethodInfo)> Scan()
    {
        var result = new Dictionary<(string, string), (int, MethodInfo)>();
        foreach (var type in typeof(PersistedKinds).Assembly.GetTypes())
        {
            foreach (var method in type.GetMethods(BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
            {
                if (method.GetCustomAttribute<PersistedKindAttribute>() is not { } attribute) continue;
                var parameters = method.GetParameters();
                if (parameters.Length != 3 || parameters[0].ParameterType != typeof(JsonObject) || parameters[1].ParameterType != typeof(int)
                    || parameters[2].ParameterType != typeof(RecourseEnvironment))
                    throw new InvalidOperationException($"The loader {type.Name}.{method.Name} of '{attribute.Kind}' must take (JsonObject data, int version, RecourseEnvironment environment).");
                if (!result.TryAdd((attribute.Family, attribute.Kind), (attribute.MaximumVersion, method)))
                    throw new InvalidOperationException($"Two loaders claim the {attribute.Family} kind '{attribute.Kind}'.");
            }
        }
        return result;
    }
}

/// <summary>A recourse generator that can be stored with its options inside a saved transformer's state.</summary>
internal interface IPersistedGenerator
{
    /// <summary>Writes the node <c>{"kind", "version", "data"}</c> its registered loader reads back.</summary>
    JsonObject Save();
}

/// <summary>A scorer that can be stored inside a saved transformer's state.</summary>
internal interface IPersistedScorer
{
    /// <summary>Writes the node <c>{"kind", "version", "data"}</c> its registered loader reads back.</summary>
    JsonObject Save();
}
