using System.Text.Json;

namespace Microsoft.ML.Recourse.Persuasion;

/// <summary>
/// Reads the <c>recourse persuade --problem</c> file (docs/persuasion.md): either explicit regions
/// (<c>actions</c> with name/cost/decisionMakerUtility, <c>regions</c> with mass/accepted) or a linear setting
/// (<c>subject</c>, <c>prior</c> with mean/variance or rules, <c>actions</c> with delta, <c>samples</c>, <c>seed</c>).
/// Unknown and repeated keys are rejected; every failure is a <see cref="FormatException"/> whose message names the file
/// and the JSON path (or, for text that is not JSON, the line and byte position).
/// </summary>
internal static class PersuasionProblemFile
{
    public const int DefaultSeed = 0;

    /// <summary>The most prior samples a file may ask for: estimating the regions takes time proportional to the samples.</summary>
    public const int MaximumSamples = 1_000_000;

    private static readonly string[] RootKeys = ["actions", "regions", "subject", "prior", "samples", "seed"];
    private static readonly string[] ActionKeys = ["name", "cost", "decisionMakerUtility", "delta"];
    private static readonly string[] RegionKeys = ["mass", "accepted"];
    private static readonly string[] PriorKeys = ["mean", "variance", "rules"];

    public static PersuasionProblem Load(string path)
    {
        Contracts.CheckValue(path, nameof(path));
        if (!File.Exists(path))
            throw new FileNotFoundException($"Problem file '{Path.GetFullPath(path)}' does not exist.", path);
        return Parse(File.ReadAllText(path), Path.GetFileName(path));
    }

    public static PersuasionProblem Parse(string json, string source)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        }
        catch (JsonException e)
        {
            throw new FormatException($"{source}: not valid JSON ({e.Message}).", e);
        }
        using (document)
        {
            var root = document.RootElement;
            if (JsonDocumentCheck.FirstProblem(root) is { } problem)
                throw new FormatException($"{source}: {problem}.");
            if (root.ValueKind != JsonValueKind.Object)
                throw new FormatException($"{source}: the problem (the document's root) must be a JSON object.");
            Keys(root, RootKeys, source, null);
            bool hasRegions = root.TryGetProperty("regions", out var regions);
            bool hasSubject = root.TryGetProperty("subject", out var subject);
            if (hasRegions == hasSubject)
                throw new FormatException($"{source}: give either \"regions\" (explicit regions) or \"subject\" with \"prior\" (a linear rule), not {(hasRegions ? "both" : "neither")}.");
            var actionsElement = Required(root, "actions", JsonValueKind.Array, source);
            if (hasRegions)
            {
                foreach (string key in new[] { "prior", "samples", "seed" })
                    if (root.TryGetProperty(key, out _))
                        throw new FormatException($"{source}: \"{key}\" belongs to a linear rule (\"subject\" and \"prior\"); explicit \"regions\" do not use it.");
                var actions = ReadActions(actionsElement, withEffect: false, source);
                var list = new List<EquivalenceRegion>();
                int k = 0;
                foreach (var region in Array(regions, "regions", source))
                {
                    string where = $"regions[{k}]";
                    if (region.ValueKind != JsonValueKind.Object) throw new FormatException($"{source}: {where} must be an object.");
                    Keys(region, RegionKeys, source, where);
                    var accepted = Required(region, "accepted", JsonValueKind.Array, source, where).EnumerateArray()
                        .Select((e, i) => e.ValueKind is JsonValueKind.True or JsonValueKind.False ? e.GetBoolean()
                            : throw new FormatException($"{source}: {where}.accepted[{i}] must be true or false.")).ToArray();
                    list.Add(Wrap(() => new EquivalenceRegion(accepted, Number(region, "mass", source, where)), source, where));
                    k++;
                }
                return Wrap(() => new MLContext(DefaultSeed).Recourse().Persuasion.CreateProblem(actions, list), source, "regions");
            }
            else
            {
                var actions = ReadActions(actionsElement, withEffect: true, source);
                var x0 = Numbers(subject, "subject", source);
                var priorElement = Required(root, "prior", JsonValueKind.Object, source);
                Keys(priorElement, PriorKeys, source, "prior");
                DecisionRulePrior prior;
                if (priorElement.TryGetProperty("rules", out var rules))
                {
                    if (priorElement.TryGetProperty("mean", out _) || priorElement.TryGetProperty("variance", out _))
                        throw new FormatException($"{source}: \"prior\" gives either \"rules\" or \"mean\" with \"variance\", not both.");
                    var list = Array(rules, "prior.rules", source).Select((r, m) => (IReadOnlyList<double>)Numbers(r, $"prior.rules[{m}]", source)).ToArray();
                    prior = Wrap(() => DecisionRulePrior.FromSamples(list), source, "prior.rules");
                }
                else
                {
                    var mean = Numbers(Required(priorElement, "mean", JsonValueKind.Array, source, "prior"), "prior.mean", source);
                    double variance = Number(priorElement, "variance", source, "prior");
                    prior = Wrap(() => DecisionRulePrior.Gaussian(mean, variance), source, "prior");
                }
                int samples = root.TryGetProperty("samples", out _) ? Integer(root, "samples", source) : PersuasionCatalog.Defaults.NumberOfSamples;
                if (samples < 1 || samples > MaximumSamples)
                    throw new FormatException(FormattableString.Invariant($"{source}: \"samples\" must be between 1 and {MaximumSamples:N0}; got {samples}."));
                int seed = root.TryGetProperty("seed", out _) ? Integer(root, "seed", source) : DefaultSeed;
                var setting = Wrap(() => new LinearPersuasionSetting(x0, actions, prior), source, "subject/actions/prior");
                return Wrap(() => new MLContext(seed).Recourse().Persuasion.CreateProblem(setting, samples, seed), source, "samples");
            }
        }
    }

    private static PersuasionAction[] ReadActions(JsonElement actions, bool withEffect, string source)
    {
        var list = new List<PersuasionAction>();
        int a = 0;
        foreach (var action in actions.EnumerateArray())
        {
            string where = $"actions[{a}]";
            if (action.ValueKind != JsonValueKind.Object) throw new FormatException($"{source}: {where} must be an object.");
            Keys(action, ActionKeys, source, where);
            var name = Required(action, "name", JsonValueKind.String, source, where).GetString()!;
            double cost = Number(action, "cost", source, where);
            double utility = Number(action, "decisionMakerUtility", source, where);
            double[]? effect = null;
            if (withEffect)
                effect = Numbers(Required(action, "delta", JsonValueKind.Array, source, where), $"{where}.delta", source);
            else if (action.TryGetProperty("delta", out _))
                throw new FormatException($"{source}: {where}.delta is only used with \"subject\" and \"prior\"; explicit regions already fix which actions are accepted.");
            list.Add(Wrap(() => new PersuasionAction(name, cost, utility, effect), source, where));
            a++;
        }
        return [.. list];
    }

    private static T Wrap<T>(Func<T> create, string source, string where)
    {
        try
        {
            return create();
        }
        catch (ArgumentException e)
        {
            string message = e.Message.Replace($" (Parameter '{e.ParamName}')", "", StringComparison.Ordinal);
            throw new FormatException($"{source}: {where}: {message}", e);
        }
        catch (InvalidOperationException e)
        {
            throw new FormatException($"{source}: {where}: {e.Message}", e);
        }
    }

    private static JsonElement Required(JsonElement parent, string name, JsonValueKind kind, string source, string? where = null)
    {
        string path = where is null ? name : $"{where}.{name}";
        if (!parent.TryGetProperty(name, out var value))
            throw new FormatException($"{source}: \"{path}\" is missing.");
        if (value.ValueKind != kind)
            throw new FormatException($"{source}: \"{path}\" must be {(kind == JsonValueKind.Array ? "an array" : kind == JsonValueKind.Object ? "an object" : "a " + kind.ToString().ToLowerInvariant())}.");
        return value;
    }

    private static double Number(JsonElement parent, string name, string source, string where)
    {
        if (!parent.TryGetProperty(name, out var value))
            throw new FormatException($"{source}: \"{where}.{name}\" is missing.");
        if (value.ValueKind != JsonValueKind.Number || !value.TryGetDouble(out double number) || !double.IsFinite(number))
            throw new FormatException($"{source}: \"{where}.{name}\" must be a finite number.");
        return number;
    }

    /// <summary>Rejects a key the format does not have, naming it and its place.</summary>
    private static void Keys(JsonElement element, string[] known, string source, string? where)
    {
        foreach (var property in element.EnumerateObject())
            if (!known.Contains(property.Name, StringComparer.Ordinal))
                throw new FormatException($"{source}: \"{(where is null ? property.Name : $"{where}.{property.Name}")}\" is not a known key; the keys {(where is null ? "of the problem" : $"of {where}")} are {string.Join(", ", known)}.");
    }

    private static int Integer(JsonElement parent, string name, string source)
    {
        var value = parent.GetProperty(name);
        if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt32(out int result))
            throw new FormatException($"{source}: \"{name}\" must be a whole number.");
        return result;
    }

    private static IEnumerable<JsonElement> Array(JsonElement element, string path, string source)
        => element.ValueKind == JsonValueKind.Array ? element.EnumerateArray() : throw new FormatException($"{source}: \"{path}\" must be an array.");

    private static double[] Numbers(JsonElement element, string path, string source)
        => Array(element, path, source).Select((e, i) => e.ValueKind == JsonValueKind.Number && e.TryGetDouble(out double value) && double.IsFinite(value) ? value
            : throw new FormatException($"{source}: {path}[{i}] must be a finite number.")).ToArray();
}
