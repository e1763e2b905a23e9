using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using FsCheck;
using FsCheck.Fluent;

namespace Microsoft.ML.Recourse.Tests.TestFramework;

/// <summary>
/// Feeds a parser malformed documents made by mutating valid ones, and checks that each either parses or fails with one
/// of the parser's documented exception types and a message that names the place (a JSON path or a line). FsCheck draws
/// the inputs (a seed document and the random choices of one to three mutations) and reports a failing input.
/// </summary>
/// <remarks>
/// The number of inputs per parser is <see cref="Count"/>: 10,000 unless the environment variable
/// <c>RECOURSE_FUZZ_COUNT</c> says otherwise; <c>RECOURSE_FUZZ_SEED</c> changes the random seed (default fixed, so a run
/// is repeatable). A longer campaign: <c>RECOURSE_FUZZ_COUNT=1000000 RECOURSE_FUZZ_SEED=7 dotnet test --filter FullyQualifiedName~Fuzz</c>.
/// </remarks>
internal static class DocumentFuzzer
{
    public const string CountVariable = "RECOURSE_FUZZ_COUNT";
    public const string SeedVariable = "RECOURSE_FUZZ_SEED";
    private const string Marker = "@@FUZZ@@";

    public static int Count => int.TryParse(Environment.GetEnvironmentVariable(CountVariable), NumberStyles.None, CultureInfo.InvariantCulture, out int n) && n > 0 ? n : 10_000;

    public static ulong Seed => ulong.TryParse(Environment.GetEnvironmentVariable(SeedVariable), NumberStyles.None, CultureInfo.InvariantCulture, out ulong s) ? s : 20261207UL;

    /// <summary>What a run saw: how many inputs parsed, and how many each exception type rejected.</summary>
    public sealed class Tally
    {
        public int Inputs;
        public int Parsed;
        public Dictionary<string, int> Rejected { get; } = [];

        public override string ToString()
            => $"{Inputs} inputs: {Parsed} parsed, " + string.Join(", ", Rejected.OrderBy(r => r.Key).Select(r => $"{r.Value} {r.Key}"));
    }

    /// <summary>JSON values that break types and ranges.</summary>
    private static readonly string[] Snippets =
    [
        "null", "true", "false", "\"\"", "\"text\"", "\"NaN\"", "\"Infinity\"", "\"-Infinity\"", "0", "-0", "-1", "1", "0.5", "3",
        "1e308", "-1e308", "1e400", "-1e400", "2147483648", "-2147483649", "4.9e-324", "123456789012345678901234567890", "[]", "{}",
        "[1]", "[[]]", "[null]", "{\"x\":1}", "[\"a\",\"a\"]", "\"Free\"", "\"free\"", "\"5\"", "\"\\u0000\"", "\"\\ud800\"",
        new string('[', 100) + new string(']', 100), new string('[', 70) + "1" + new string(']', 70), "\"" + new string('x', 5000) + "\"",
    ];

    private static readonly string[] UnknownKeys = ["extra", "Name", "NAME", "names", "", " name", "$schema", "comment", "__proto__"];

    /// <summary>Runs <paramref name="parse"/> on <see cref="Count"/> mutations of <paramref name="seeds"/>.</summary>
    /// <param name="seeds">Valid documents.</param>
    /// <param name="mutate">Makes one mutation of a document from the random source.</param>
    /// <param name="parse">The parser under test.</param>
    /// <param name="documented">The exception types the parser documents.</param>
    /// <param name="namesPlace">Whether a message names the place of the fault.</param>
    public static Tally Run(IReadOnlyList<string> seeds, Func<string, Random, string> mutate, Action<string> parse, Type[] documented, Func<string, bool> namesPlace)
    {
        var tally = new Tally();
        var inputs = from seedIndex in Gen.Choose(0, seeds.Count - 1)
                     from mutations in Gen.Choose(1, 3)
                     from randomSeed in Gen.Choose(0, int.MaxValue)
                     select (SeedIndex: seedIndex, Mutations: mutations, RandomSeed: randomSeed);
        var property = Prop.ForAll(inputs.ToArbitrary(), input =>
        {
            var random = new Random(input.RandomSeed);
            string text = seeds[input.SeedIndex];
            for (int m = 0; m < input.Mutations; m++) text = Mutate(mutate, text, random);
            tally.Inputs++;
            string? failure = null;
            try
            {
                parse(text);
                tally.Parsed++;
            }
            catch (Exception e) when (documented.Contains(e.GetType()))
            {
                tally.Rejected[e.GetType().Name] = tally.Rejected.GetValueOrDefault(e.GetType().Name) + 1;
                if (string.IsNullOrWhiteSpace(e.Message) || !namesPlace(e.Message))
                    failure = $"{e.GetType().Name} without the place: {e.Message}";
            }
            catch (Exception e)
            {
                failure = $"undocumented {e.GetType().Name}: {e.Message}\n{e.StackTrace}";
            }
            return (failure is null).Label($"{failure}\ninput ({text.Length} chars): {Shorten(text)}");
        });
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(Count).WithReplay(new Replay(new Rnd(Seed), null)), property);
        return tally;
    }

    /// <summary>A mutation, or a text mutation where the structured one cannot handle the document (a string that is not valid UTF-16).</summary>
    private static string Mutate(Func<string, Random, string> mutate, string text, Random random)
    {
        try
        {
            return mutate(text, random);
        }
        catch (InvalidOperationException)
        {
            return MutateText(text, random, "{}[]:,\"0-e.\\ ntfa");
        }
    }

    private static string Shorten(string text) => text.Length <= 2000 ? text : text[..1000] + " … " + text[^1000..];

    /// <summary>One mutation of a JSON document: a value replaced, a key removed, added or repeated, an array element
    /// removed or repeated, or the text truncated or a character inserted, deleted or replaced.</summary>
    public static string MutateJson(string json, Random random)
    {
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(json, documentOptions: new System.Text.Json.JsonDocumentOptions { AllowDuplicateProperties = false });
        }
        catch (Exception e) when (e is System.Text.Json.JsonException or ArgumentException or InvalidOperationException)
        {
            return MutateText(json, random, "{}[]:,\"0-e.\\ ntfa");
        }
        int kind = random.Next(10);
        if (root is null || kind >= 7) return MutateText(json, random, "{}[]:,\"0-e.\\ ntfa");
        var places = new List<(JsonNode Parent, string? Key, int Index)>();
        Collect(root, places);
        string snippet = Snippets[random.Next(Snippets.Length)];
        if (places.Count == 0 || random.Next(40) == 0) return snippet;
        var (parent, key, index) = places[random.Next(places.Count)];
        switch (kind)
        {
            case 0:
            case 1:
            case 2:
                // Replace a value.
                if (parent is JsonObject o) o[key!] = Marker;
                else ((JsonArray)parent)[index] = Marker;
                return Replace(root, snippet);
            case 3:
                // Remove a key or an element.
                if (parent is JsonObject o3) o3.Remove(key!);
                else ((JsonArray)parent).RemoveAt(index);
                return root.ToJsonString();
            case 4:
                {
                    // An unknown key.
                    var target = Objects(root, random);
                    if (target is null) return root.ToJsonString();
                    string name = UnknownKeys[random.Next(UnknownKeys.Length)];
                    if (target.ContainsKey(name)) return root.ToJsonString();
                    target[name] = Marker;
                    return Replace(root, snippet);
                }
            case 5:
                {
                    // A repeated key: the same name twice in one object.
                    var target = Objects(root, random);
                    if (target is null || target.Count == 0) return root.ToJsonString();
                    string existing = target.ElementAt(random.Next(target.Count)).Key;
                    target["@@DUP@@"] = Marker;
                    return root.ToJsonString().Replace($"\"@@DUP@@\":\"{Marker}\"", $"{System.Text.Json.JsonSerializer.Serialize(existing)}:{snippet}", StringComparison.Ordinal);
                }
            default:
                {
                    // An array emptied, or an element repeated.
                    var arrays = new List<JsonArray>();
                    Arrays(root, arrays);
                    if (arrays.Count == 0) return root.ToJsonString();
                    var array = arrays[random.Next(arrays.Count)];
                    if (array.Count == 0 || random.Next(2) == 0) array.Clear();
                    else array.Add(array[random.Next(array.Count)]?.DeepClone());
                    return root.ToJsonString();
                }
        }
    }

    /// <summary>
    /// A CSV mutation: a line repeated or removed, a field from <paramref name="fields"/> appended to a line or (with
    /// weight <paramref name="replacementWeight"/>) put in place of one, or else (weight 2) a text mutation over
    /// <paramref name="alphabet"/>.
    /// </summary>
    public static string MutateCsv(string text, Random random, string[] fields, string alphabet, int replacementWeight)
    {
        var lines = text.Split('\n').ToList();
        int at = random.Next(lines.Count);
        int choice = random.Next(5 + replacementWeight);
        if (choice == 0)
        {
            lines.Insert(at, lines[random.Next(lines.Count)]);
        }
        else if (choice == 1)
        {
            lines.RemoveAt(at);
        }
        else if (choice == 2)
        {
            lines[at] += "," + fields[random.Next(fields.Length)];
        }
        else if (choice < 3 + replacementWeight)
        {
            var cells = lines[at].Split(',');
            cells[random.Next(cells.Length)] = fields[random.Next(fields.Length)];
            lines[at] = string.Join(',', cells);
        }
        else
        {
            return MutateText(text, random, alphabet);
        }
        return string.Join('\n', lines);
    }

    /// <summary>One text mutation: truncation, or a character inserted, deleted or replaced (from <paramref name="alphabet"/>), or a span repeated.</summary>
    public static string MutateText(string text, Random random, string alphabet)
    {
        if (text.Length == 0) return alphabet[random.Next(alphabet.Length)].ToString();
        int at = random.Next(text.Length);
        char c = alphabet[random.Next(alphabet.Length)];
        return random.Next(5) switch
        {
            0 => text[..at],
            1 => text.Insert(at, c.ToString()),
            2 => text.Remove(at, 1),
            3 => text[..at] + c + text[(at + 1)..],
            _ => text.Insert(at, text.Substring(at, Math.Min(text.Length - at, random.Next(1, 40)))),
        };
    }

    private static string Replace(JsonNode root, string snippet) => root.ToJsonString().Replace($"\"{Marker}\"", snippet, StringComparison.Ordinal);

    private static void Collect(JsonNode node, List<(JsonNode, string?, int)> places)
    {
        if (node is JsonObject o)
            foreach (var (key, child) in o.ToList())
            {
                places.Add((o, key, -1));
                if (child is not null) Collect(child, places);
            }
        else if (node is JsonArray a)
            for (int i = 0; i < a.Count; i++)
            {
                places.Add((a, null, i));
                if (a[i] is { } child) Collect(child, places);
            }
    }

    private static JsonObject? Objects(JsonNode root, Random random)
    {
        var all = new List<JsonObject>();
        void Walk(JsonNode? n)
        {
            if (n is JsonObject o) { all.Add(o); foreach (var (_, c) in o) Walk(c); }
            else if (n is JsonArray a) foreach (var c in a) Walk(c);
        }
        Walk(root);
        return all.Count == 0 ? null : all[random.Next(all.Count)];
    }

    private static void Arrays(JsonNode? node, List<JsonArray> arrays)
    {
        if (node is JsonObject o) foreach (var (_, c) in o) Arrays(c, arrays);
        else if (node is JsonArray a)
        {
            arrays.Add(a);
            foreach (var c in a) Arrays(c, arrays);
        }
    }

    /// <summary>Whether a message has a <c>line N</c> or <c>LineNumber: N</c>.</summary>
    public static bool NamesLine(string message)
        => System.Text.RegularExpressions.Regex.IsMatch(message, @"(?i)\bline(Number:)? ?\d+");

    /// <summary>Builds text from lines.</summary>
    public static string Lines(params string[] lines) => new StringBuilder().AppendJoin('\n', lines).Append('\n').ToString();
}
