using System.Text.Json.Nodes;
using Microsoft.ML.Data;

namespace Microsoft.ML.Recourse.Actions;

/// <summary>
/// Writes an <see cref="ActionSet"/> into a model file and reads it back through <see cref="ActionSetBuilder"/>, so a
/// loaded set passes the same checks as a declared one. Infinite limits are stored as <see langword="null"/>.
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

    public static ActionSet FromJson(JsonObject json)
    {
        var featureNodes = Array(json, "features").Select(n => n as JsonObject ?? throw new InvalidOperationException("an action-set feature is not an object")).ToArray();
        var features = featureNodes.Select(n => new FeatureInfo(
            Text(n, "name"), Number(n, "mean"), Number(n, "scale"), Flag(n, "isCategorical"),
            Enum.Parse<FeatureActionability>(Text(n, "featureActionability")), Flag(n, "isInteger"), (string?)n["description"])).ToArray();
        var builder = ActionSet.CreateBuilder(features, (double?)json["maximumChange"] ?? double.PositiveInfinity);
        foreach (var node in Array(json, "oneHotGroups"))
        {
            var g = node as JsonObject ?? throw new InvalidOperationException("a one-hot group is not an object");
            builder.AddOneHotGroup(Text(g, "name"), Array(g, "members").Select(m => (string)m!).ToArray(), Flag(g, "isMutable"),
                Array(g, "labels").Select(m => (string)m!).ToArray());
        }
        foreach (var n in featureNodes)
        {
            string name = Text(n, "name");
            builder.SetActionability(name, Enum.Parse<FeatureActionability>(Text(n, "actionability")));
            if (n["maximumChange"] is { } own)
                builder.SetMaximumChange(name, own.GetValueKind() == System.Text.Json.JsonValueKind.String ? double.PositiveInfinity : own.GetValue<double>());
            builder.SetStandardScale(name, Number(n, "standardScale"));
            double lower = (double?)n["lowerBound"] ?? double.NegativeInfinity, upper = (double?)n["upperBound"] ?? double.PositiveInfinity;
            if (double.IsFinite(lower) || double.IsFinite(upper)) builder.SetBounds(name, lower, upper);
            if ((double?)n["gridStep"] is double step) builder.SetGrid(name, step, Number(n, "gridOrigin"));
            builder.SetCostWeight(name, Number(n, "costWeight"));
        }
        foreach (var node in Array(json, "linearConstraints"))
        {
            var c = node as JsonObject ?? throw new InvalidOperationException("a linear constraint is not an object");
            builder.AddLinearConstraint(Text(c, "name"), ReadCoefficients(c["change"]),
                c["value"] is null ? null : ReadCoefficients(c["value"]), Number(c, "constant"));
        }
        return builder.Build();
    }

    private static JsonNode? Finite(double value) => double.IsFinite(value) ? JsonValue.Create(value) : null;

    private static JsonArray Strings(IEnumerable<string> values) => new(values.Select(v => (JsonNode)JsonValue.Create(v)).ToArray());

    private static JsonObject Coefficients(IReadOnlyDictionary<string, double> coefficients)
        => new(coefficients.Select(kv => KeyValuePair.Create(kv.Key, (JsonNode?)JsonValue.Create(kv.Value))));

    private static Dictionary<string, double> ReadCoefficients(JsonNode? node)
        => (node as JsonObject ?? throw new InvalidOperationException("constraint coefficients are not an object"))
            .ToDictionary(kv => kv.Key, kv => kv.Value?.GetValue<double>() ?? throw new InvalidOperationException($"coefficient '{kv.Key}' is null"));

    private static JsonArray Array(JsonObject node, string name) => node[name] as JsonArray ?? throw new InvalidOperationException($"no '{name}' list");

    private static string Text(JsonObject node, string name) => (string?)node[name] ?? throw new InvalidOperationException($"no '{name}'");

    private static double Number(JsonObject node, string name) => (double?)node[name] ?? throw new InvalidOperationException($"no '{name}'");

    private static bool Flag(JsonObject node, string name) => (bool?)node[name] ?? throw new InvalidOperationException($"no '{name}'");
}
