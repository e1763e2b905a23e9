using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.ML.Data;

namespace Microsoft.ML.Recourse.Actions;

/// <summary>
/// Writes an <see cref="ActionSet"/> into a model file and reads it back through <see cref="ActionSetBuilder"/>, so a
/// loaded set passes the same checks as a declared one. Infinite limits are stored as <see langword="null"/>. Reading
/// rejects unknown and repeated keys; every failure is a <see cref="FormatException"/> that names the JSON path.
/// </summary>
internal static class ActionSetJson
{
    public static JsonObject ToJson(ActionSet set)
    {
        var features = new JsonArray();
        for (int j = 0; j < set.FeatureCount; j++)
        {
            var f = set.Features[j];
            var a = set.Actions[j];
            features.Add(new JsonObject
            {
                ["name"] = f.Name,
                ["description"] = f.Description,
                ["mean"] = f.Mean,
                ["scale"] = f.Scale,
                ["isCategorical"] = f.IsCategorical,
                ["isInteger"] = f.IsInteger,
                ["featureActionability"] = f.Actionability.ToString(),
                ["actionability"] = a.Actionability.ToString(),
                ["maximumChange"] = set.HasOwnMaximumChange[j] ? Finite(a.MaximumChange) ?? "Infinity" : null,
                ["standardScale"] = a.StandardScale,
                ["lowerBound"] = Finite(a.LowerBound),
                ["upperBound"] = Finite(a.UpperBound),
                ["gridStep"] = a.GridStep,
                ["gridOrigin"] = a.GridOrigin,
                ["costWeight"] = a.CostWeight,
            });
        }
        return new JsonObject
        {
            ["maximumChange"] = Finite(set.MaximumChange),
            ["features"] = features,
            ["oneHotGroups"] = new JsonArray(set.OneHotGroups.Select(g => (JsonNode)new JsonObject
            {
                ["name"] = g.Name,
                ["members"] = Strings(g.FeatureIndices.Select(i => set.Features[i].Name)),
                ["labels"] = Strings(g.CategoryLabels),
                ["isMutable"] = g.IsMutable,
            }).ToArray()),
            ["linearConstraints"] = new JsonArray(set.LinearConstraints.Select(c => (JsonNode)new JsonObject
            {
                ["name"] = c.Name,
                ["change"] = Coefficients(c.ChangeCoefficients),
                ["value"] = c.ValueCoefficients is null ? null : Coefficients(c.ValueCoefficients),
                ["constant"] = c.Constant,
            }).ToArray()),
        };
    }

    /// <summary>Reads an action set from JSON text, as <see cref="FromJson"/> does from a parsed object.</summary>
    /// <param name="json">The text.</param>
    /// <param name="source">Names the text in messages (a file name, or <c>actionSet</c> inside a model file).</param>
    /// <exception cref="FormatException">The text is not JSON (the message gives the line and byte position), or has a
    /// repeated key or an unpaired surrogate, or describes no valid action set (the message gives the JSON path).</exception>
    public static ActionSet Parse(string json, string source)
    {
        ArgumentNullException.ThrowIfNull(json);
        ArgumentNullException.ThrowIfNull(source);
        JsonNode? node;
        try
        {
            using (var document = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = 64 }))
                if (JsonDocumentCheck.FirstProblem(document.RootElement) is { } problem)
                    throw new FormatException($"{source}: {problem}.");
            node = JsonNode.Parse(json);
        }
        catch (JsonException e)
        {
            throw new FormatException($"{source}: not valid JSON ({e.Message}).", e);
        }
        return FromJson(node as JsonObject ?? throw new FormatException($"{source}: $ (the root) must be an object."), source);
    }

    /// <summary>Reads an action set written by <see cref="ToJson"/>.</summary>
    /// <param name="json">The object.</param>
    /// <param name="source">Names the object in messages.</param>
    /// <exception cref="FormatException">A key is missing, unknown or repeated, a value has the wrong type or is not
    /// finite, or the declarations break the rules of <see cref="ActionSetBuilder"/>; the message gives the JSON path
    /// (<c>$.features[2].mean</c>).</exception>
    public static ActionSet FromJson(JsonObject json, string source = "actionSet")
    {
        ArgumentNullException.ThrowIfNull(json);
        var reader = new Reader(source);
        reader.Keys(json, "$", RootKeys);
        var featureNodes = reader.Objects(json, "$", "features");
        var features = new FeatureInfo[featureNodes.Length];
        for (int j = 0; j < featureNodes.Length; j++)
        {
            var (n, path) = featureNodes[j];
            reader.Keys(n, path, FeatureKeys);
            features[j] = new FeatureInfo(reader.Text(n, path, "name"), reader.Number(n, path, "mean"), reader.Number(n, path, "scale"),
                reader.Flag(n, path, "isCategorical"), reader.Actionability(n, path, "featureActionability"), reader.Flag(n, path, "isInteger"),
                reader.OptionalText(n, path, "description"));
        }
        var builder = reader.Wrap("$", () => ActionSet.CreateBuilder(features, reader.OptionalNumber(json, "$", "maximumChange") ?? double.PositiveInfinity));
        foreach (var (g, path) in reader.Objects(json, "$", "oneHotGroups"))
        {
            reader.Keys(g, path, GroupKeys);
            string name = reader.Text(g, path, "name");
            var members = reader.Texts(g, path, "members");
            bool mutable = reader.Flag(g, path, "isMutable");
            var labels = reader.Texts(g, path, "labels");
            reader.Wrap(path, () => builder.AddOneHotGroup(name, members, mutable, labels));
        }
        foreach (var (n, path) in featureNodes)
        {
            string name = reader.Text(n, path, "name");
            var actionability = reader.Actionability(n, path, "actionability");
            reader.Wrap(path, () => builder.SetActionability(name, actionability));
            if (n["maximumChange"] is { } own)
            {
                double change = own.GetValueKind() == JsonValueKind.String
                    ? ((string?)own == "Infinity" ? double.PositiveInfinity : throw reader.Error($"{path}.maximumChange", "must be a number, \"Infinity\" or null"))
                    : reader.Number(n, path, "maximumChange");
                reader.Wrap($"{path}.maximumChange", () => builder.SetMaximumChange(name, change));
            }
            double standardScale = reader.Number(n, path, "standardScale");
            reader.Wrap($"{path}.standardScale", () => builder.SetStandardScale(name, standardScale));
            double lower = reader.OptionalNumber(n, path, "lowerBound") ?? double.NegativeInfinity, upper = reader.OptionalNumber(n, path, "upperBound") ?? double.PositiveInfinity;
            if (double.IsFinite(lower) || double.IsFinite(upper)) reader.Wrap(path, () => builder.SetBounds(name, lower, upper));
            double origin = reader.Number(n, path, "gridOrigin");
            if (reader.OptionalNumber(n, path, "gridStep") is double step) reader.Wrap($"{path}.gridStep", () => builder.SetGrid(name, step, origin));
            double weight = reader.Number(n, path, "costWeight");
            reader.Wrap($"{path}.costWeight", () => builder.SetCostWeight(name, weight));
        }
        foreach (var (c, path) in reader.Objects(json, "$", "linearConstraints"))
        {
            reader.Keys(c, path, ConstraintKeys);
            string name = reader.Text(c, path, "name");
            var change = reader.Coefficients(c, path, "change") ?? throw reader.Error($"{path}.change", "is missing");
            var value = reader.Coefficients(c, path, "value");
            double constant = reader.Number(c, path, "constant");
            reader.Wrap(path, () => builder.AddLinearConstraint(name, change, value, constant));
        }
        return reader.Wrap("$", builder.Build);
    }

    private static readonly string[] RootKeys = ["maximumChange", "features", "oneHotGroups", "linearConstraints"];
    private static readonly string[] FeatureKeys = ["name", "description", "mean", "scale", "isCategorical", "isInteger", "featureActionability",
        "actionability", "maximumChange", "standardScale", "lowerBound", "upperBound", "gridStep", "gridOrigin", "costWeight"];
    private static readonly string[] GroupKeys = ["name", "members", "labels", "isMutable"];
    private static readonly string[] ConstraintKeys = ["name", "change", "value", "constant"];

    private static JsonNode? Finite(double value) => double.IsFinite(value) ? JsonValue.Create(value) : null;

    private static JsonArray Strings(IEnumerable<string> values) => new(values.Select(v => (JsonNode)JsonValue.Create(v)).ToArray());

    private static JsonObject Coefficients(IReadOnlyDictionary<string, double> coefficients)
        => new(coefficients.Select(kv => KeyValuePair.Create(kv.Key, (JsonNode?)JsonValue.Create(kv.Value))));

    /// <summary>Typed reads that throw <see cref="FormatException"/> with the source and the JSON path.</summary>
    private sealed class Reader(string source)
    {
        public FormatException Error(string path, string problem, Exception? inner = null) => new($"{source}: {path} {problem}.", inner);

        public void Keys(JsonObject node, string path, string[] known)
        {
            List<string> keys;
            try
            {
                keys = node.Select(kv => kv.Key).ToList();
            }
            catch (ArgumentException e)
            {
                throw Error(path, "has a repeated key", e);
            }
            catch (InvalidOperationException e)
            {
                throw Error(path, "has a key that is not valid UTF-16 text", e);
            }
            foreach (string key in keys)
                if (!known.Contains(key, StringComparer.Ordinal))
                    throw Error($"{path}.{key}", $"is not a known key; the keys here are {string.Join(", ", known)}");
        }

        public T Wrap<T>(string path, Func<T> create)
        {
            try
            {
                return create();
            }
            catch (ArgumentException e)
            {
                string message = e.ParamName is null ? e.Message : e.Message.Replace($" (Parameter '{e.ParamName}')", "", StringComparison.Ordinal);
                throw Error(path, $"is not accepted: {message}", e);
            }
            catch (InvalidOperationException e)
            {
                throw Error(path, $"is not accepted: {e.Message}", e);
            }
        }

        public (JsonObject Node, string Path)[] Objects(JsonObject node, string path, string name)
        {
            if (node[name] is not JsonArray array) throw Error($"{path}.{name}", node.ContainsKey(name) ? "must be an array" : "is missing");
            return array.Select((item, i) => (item as JsonObject ?? throw Error($"{path}.{name}[{i}]", "must be an object"), $"{path}.{name}[{i}]")).ToArray();
        }

        public string Text(JsonObject node, string path, string name)
            => OptionalText(node, path, name) ?? throw Error($"{path}.{name}", node.ContainsKey(name) ? "must be a string" : "is missing");

        public string? OptionalText(JsonObject node, string path, string name)
            => node[name] switch
            {
                null => null,
                JsonValue v when v.GetValueKind() == JsonValueKind.String => String(v, $"{path}.{name}"),
                _ => throw Error($"{path}.{name}", "must be a string"),
            };

        private string String(JsonValue value, string path)
        {
            try
            {
                return value.GetValue<string>();
            }
            catch (InvalidOperationException e)
            {
                throw Error(path, "is not valid UTF-16 text", e);
            }
        }

        public string[] Texts(JsonObject node, string path, string name)
        {
            if (node[name] is not JsonArray array) throw Error($"{path}.{name}", node.ContainsKey(name) ? "must be an array of strings" : "is missing");
            return array.Select((item, i) => item is JsonValue v && v.GetValueKind() == JsonValueKind.String ? String(v, $"{path}.{name}[{i}]")
                : throw Error($"{path}.{name}[{i}]", "must be a string")).ToArray();
        }

        public double Number(JsonObject node, string path, string name)
            => OptionalNumber(node, path, name) ?? throw Error($"{path}.{name}", node.ContainsKey(name) ? "must be a number, not null" : "is missing");

        public double? OptionalNumber(JsonObject node, string path, string name) => node[name] is null ? null : Value(node[name], $"{path}.{name}");

        public bool Flag(JsonObject node, string path, string name)
            => node[name] is JsonValue v && v.GetValueKind() is JsonValueKind.True or JsonValueKind.False ? v.GetValue<bool>()
                : throw Error($"{path}.{name}", node.ContainsKey(name) ? "must be true or false" : "is missing");

        public FeatureActionability Actionability(JsonObject node, string path, string name)
        {
            string text = Text(node, path, name);
            return Enum.GetNames<FeatureActionability>().Contains(text, StringComparer.Ordinal)
                ? Enum.Parse<FeatureActionability>(text)
                : throw Error($"{path}.{name}", $"must be one of {string.Join(", ", Enum.GetNames<FeatureActionability>())}; got '{text}'");
        }

        public Dictionary<string, double>? Coefficients(JsonObject node, string path, string name)
        {
            if (node[name] is null) return null;
            if (node[name] is not JsonObject coefficients) throw Error($"{path}.{name}", "must be an object of feature names and numbers");
            string at = $"{path}.{name}";
            List<KeyValuePair<string, JsonNode?>> pairs;
            try
            {
                pairs = coefficients.ToList();
            }
            catch (ArgumentException e)
            {
                throw Error(at, "has a repeated key", e);
            }
            catch (InvalidOperationException e)
            {
                throw Error(at, "has a key that is not valid UTF-16 text", e);
            }
            return pairs.ToDictionary(kv => kv.Key, kv => kv.Value is null ? throw Error($"{at}.{kv.Key}", "must be a number, not null") : Value(kv.Value, $"{at}.{kv.Key}"));
        }

        private double Value(JsonNode? node, string path)
        {
            if (node is not JsonValue v || v.GetValueKind() != JsonValueKind.Number) throw Error(path, "must be a number");
            if (!v.TryGetValue(out double value) || !double.IsFinite(value)) throw Error(path, "must be a finite number");
            return value;
        }
    }
}
