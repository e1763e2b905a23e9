using System.Globalization;
using System.Text.Json;

namespace Microsoft.ML.Recourse.Actions;

/// <summary>Whether the columns an <see cref="ColumnActionSet"/> does not list may change.</summary>
public enum ColumnDefault
{
    /// <summary>Unlisted columns may move in both directions (within the training range).</summary>
    Free,

    /// <summary>Unlisted columns cannot change.</summary>
    Immutable,
}

/// <summary>The direction a column may move in.</summary>
public enum ColumnDirection
{
    /// <summary>Both directions.</summary>
    Any,

    /// <summary>Only up.</summary>
    Increase,

    /// <summary>Only down.</summary>
    Decrease,
}

/// <summary>What a person may do with one column of their data, in the column's own units.</summary>
public sealed record ColumnAction
{
    /// <summary>Gets whether the column may change at all.</summary>
    public bool Mutable { get; init; } = true;

    /// <summary>Gets the direction the column may move in.</summary>
    public ColumnDirection Direction { get; init; } = ColumnDirection.Any;

    /// <summary>Gets the lowest allowed value, or <see langword="null"/> for the lowest value seen in training.</summary>
    public double? Lower { get; init; }

    /// <summary>Gets the highest allowed value, or <see langword="null"/> for the highest value seen in training.</summary>
    public double? Upper { get; init; }

    /// <summary>Gets whether values are whole numbers, or <see langword="null"/> to decide from the training data (every value whole).</summary>
    public bool? Integer { get; init; }

    /// <summary>Gets the largest change in standard deviations of the training data, or <see langword="null"/> for the set's default. Range: value &gt; 0.</summary>
    public double? MaximumChange { get; init; }

    /// <summary>
    /// Gets the weight of this column in the cost: Σ wⱼ·|δⱼ| / sⱼ for numbers; for a categorical column, the cost of
    /// changing its value. Range: value &gt; 0.
    /// </summary>
    public double CostWeight { get; init; } = 1;

    /// <summary>
    /// Gets the values a categorical (text or Boolean) column may take, or <see langword="null"/> for every value the
    /// model knows. With a <see cref="Direction"/> other than <see cref="ColumnDirection.Any"/> the list is also the
    /// order: <see cref="ColumnDirection.Increase"/> allows only values later in the list than the person's own.
    /// Numeric keys (<see cref="Lower"/>, <see cref="Upper"/>, <see cref="Integer"/>, <see cref="MaximumChange"/>) do
    /// not apply to a categorical column.
    /// </summary>
    public IReadOnlyList<string>? Categories { get; init; }
}

/// <summary>
/// The actions a person may take, declared on the columns of the user's data by name, in the columns' own units. The
/// recourse estimator binds it to the input columns of the model when it is fitted, with statistics of the training
/// data: the standard deviation sⱼ of each column scales its cost and its maximum change, unlisted bounds default to
/// the range seen in training (widened to hold the person's own value), and a column whose training values are all
/// whole numbers moves in whole steps.
/// </summary>
/// <remarks>
/// The JSON form (<see cref="FromJson"/>):
/// <code>
/// { "default": "free",
///   "maximumChange": 1.5,
///   "columns": {
///     "age":            { "direction": "increase", "upper": 90, "integer": true },
///     "sex":            { "mutable": false },
///     "hours-per-week": { "lower": 1, "upper": 99 } } }
/// </code>
/// <c>default</c> is <c>free</c> or <c>immutable</c>; <c>direction</c> is <c>increase</c>, <c>decrease</c> or <c>any</c>;
/// other column keys are <c>mutable</c>, <c>lower</c>, <c>upper</c>, <c>integer</c>, <c>maximumChange</c>,
/// <c>costWeight</c> and, for a categorical column, <c>categories</c> (the allowed values; with a direction, also
/// their order), e.g. <c>"education": { "categories": ["HS-grad", "Bachelors", "Masters"], "direction": "increase" }</c>.
/// An unknown key is an error naming its JSON path.
/// </remarks>
public sealed class ColumnActionSet
{
    private readonly Dictionary<string, ColumnAction> _columns;

    /// <summary>Creates a set.</summary>
    /// <param name="default">What unlisted columns may do.</param>
    /// <param name="columns">The actions of the listed columns, by column (or vector slot) name.</param>
    /// <param name="maximumChange">The default largest change in training standard deviations; <see langword="null"/> for none beyond the bounds. Range: value &gt; 0.</param>
    public ColumnActionSet(ColumnDefault @default = ColumnDefault.Free, IReadOnlyDictionary<string, ColumnAction>? columns = null, double? maximumChange = null)
    {
        Contracts.CheckParam(Enum.IsDefined(@default), nameof(@default), $"Unknown default {@default}.");
        Contracts.CheckParam(maximumChange is null || (maximumChange > 0 && !double.IsNaN(maximumChange.Value)), nameof(maximumChange),
            FormattableString.Invariant($"The maximum change must be > 0; got {maximumChange}."));
        _columns = new Dictionary<string, ColumnAction>(StringComparer.Ordinal);
        foreach (var (name, action) in columns ?? new Dictionary<string, ColumnAction>())
        {
            Contracts.CheckParam(!string.IsNullOrEmpty(name), nameof(columns), "A column name is empty.");
            Contracts.CheckParam(action is not null, nameof(columns), $"The action of column '{name}' is null.");
            Check(name, action);
            _columns[name] = action;
        }
        Default = @default;
        MaximumChange = maximumChange;
    }

    /// <summary>Gets what unlisted columns may do.</summary>
    public ColumnDefault Default { get; }

    /// <summary>Gets the default largest change in training standard deviations, or <see langword="null"/> for none.</summary>
    public double? MaximumChange { get; }

    /// <summary>Gets the listed columns' actions.</summary>
    public IReadOnlyDictionary<string, ColumnAction> Columns => _columns;

    /// <summary>A copy with one more (or replaced) column action.</summary>
    /// <param name="column">The column (or vector slot) name.</param>
    /// <param name="action">What the person may do with it.</param>
    public ColumnActionSet With(string column, ColumnAction action)
        => new(Default, new Dictionary<string, ColumnAction>(_columns) { [Contracts.CheckValue(column, nameof(column))] = action }, MaximumChange);

    /// <summary>Reads the JSON form; errors name the JSON path.</summary>
    /// <param name="json">The document.</param>
    /// <param name="source">A name for error messages, e.g. the file name.</param>
    public static ColumnActionSet FromJson(string json, string source = "action set")
    {
        Contracts.CheckValue(json, nameof(json));
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json);
        }
        catch (JsonException e)
        {
            throw new FormatException($"{source}: not valid JSON ({e.Message}).", e);
        }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object) throw new FormatException($"{source}: the document must be a JSON object.");
            Known(root, source, "$", "default", "maximumChange", "columns");
            var @default = ColumnDefault.Free;
            if (root.TryGetProperty("default", out var d))
                @default = d.ValueKind == JsonValueKind.String && d.GetString() is "free" or "immutable"
                    ? (d.GetString() == "free" ? ColumnDefault.Free : ColumnDefault.Immutable)
                    : throw new FormatException($"{source}: $.default must be \"free\" or \"immutable\".");
            double? maximumChange = root.TryGetProperty("maximumChange", out var m) ? Positive(m, source, "$.maximumChange") : null;
            var columns = new Dictionary<string, ColumnAction>(StringComparer.Ordinal);
            if (root.TryGetProperty("columns", out var c))
            {
                if (c.ValueKind != JsonValueKind.Object) throw new FormatException($"{source}: $.columns must be an object keyed by column name.");
                foreach (var property in c.EnumerateObject())
                {
                    string path = $"$.columns['{property.Name}']";
                    if (columns.ContainsKey(property.Name)) throw new FormatException($"{source}: {path} is listed twice.");
                    columns[property.Name] = ReadColumn(property.Value, source, path);
                }
            }
            try
            {
                return new ColumnActionSet(@default, columns, maximumChange);
            }
            catch (ArgumentException e)
            {
                throw new FormatException($"{source}: {e.Message}", e);
            }
        }
    }

    /// <summary>Writes the JSON form.</summary>
    public string ToJson()
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            writer.WriteStartObject();
            writer.WriteString("default", Default == ColumnDefault.Free ? "free" : "immutable");
            if (MaximumChange is double max) writer.WriteNumber("maximumChange", max);
            writer.WriteStartObject("columns");
            foreach (var (name, a) in _columns)
            {
                writer.WriteStartObject(name);
                if (!a.Mutable) writer.WriteBoolean("mutable", false);
                if (a.Direction != ColumnDirection.Any) writer.WriteString("direction", a.Direction == ColumnDirection.Increase ? "increase" : "decrease");
                if (a.Lower is double lower) writer.WriteNumber("lower", lower);
                if (a.Upper is double upper) writer.WriteNumber("upper", upper);
                if (a.Integer is bool integer) writer.WriteBoolean("integer", integer);
                if (a.MaximumChange is double change) writer.WriteNumber("maximumChange", change);
                if (a.CostWeight != 1) writer.WriteNumber("costWeight", a.CostWeight);
                if (a.Categories is { } categories)
                {
                    writer.WriteStartArray("categories");
                    foreach (var c in categories) writer.WriteStringValue(c);
                    writer.WriteEndArray();
                }
                writer.WriteEndObject();
            }
            writer.WriteEndObject();
            writer.WriteEndObject();
        }
        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <summary>
    /// The action set over an input vector: one feature per input slot, named <paramref name="names"/>, with the
    /// training rows' statistics. Every listed name must be an input (a slot name, or a column name that covers all its slots).
    /// </summary>
    /// <param name="names">The name of each input slot.</param>
    /// <param name="columns">The input columns and the names of their slots (a listed column name covers all its slots).</param>
    /// <param name="trainingRows">The training rows, row-major.</param>
    /// <param name="boundsFromTraining">
    /// Whether the inputs are in the columns' raw units, so that unlisted bounds default to the training range and
    /// whole-number columns move in whole steps; without it only directions, maximum changes and cost weights bind.
    /// </param>
    internal ActionSet Bind(IReadOnlyList<string> names, IReadOnlyList<(string Column, IReadOnlyList<string> Slots)> columns, double[] trainingRows,
        bool boundsFromTraining = true)
    {
        int n = names.Count;
        Contracts.Check(trainingRows.Length > 0 && trainingRows.Length % n == 0, "The training data is empty: statistics for the action set need at least one row.");
        var actionOf = new ColumnAction?[n];
        foreach (var (key, action) in _columns)
        {
            int slot = IndexOf(names, key);
            if (slot >= 0)
            {
                actionOf[slot] = action;
                continue;
            }
            var column = columns.FirstOrDefault(c => c.Column == key);
            if (column.Slots is null)
                throw new ArgumentOutOfRangeException("actions", $"The action set names column '{key}', which is not an input of the model; its inputs are: {string.Join(", ", names)}.");
            foreach (var slotName in column.Slots) actionOf[IndexOf(names, slotName)] ??= action;
        }

        var statistics = SlotStatistics.Of(trainingRows, n);
        var features = new FeatureInfo[n];
        for (int j = 0; j < n; j++)
        {
            var action = actionOf[j];
            bool mutable = action?.Mutable ?? Default == ColumnDefault.Free;
            var actionability = !mutable ? FeatureActionability.Immutable : (action?.Direction ?? ColumnDirection.Any) switch
            {
                ColumnDirection.Increase => FeatureActionability.IncreaseOnly,
                ColumnDirection.Decrease => FeatureActionability.DecreaseOnly,
                _ => FeatureActionability.Free,
            };
            features[j] = new FeatureInfo(names[j], Actionability: actionability, IsInteger: boundsFromTraining && (action?.Integer ?? statistics[j].AllWhole));
        }
        var builder = ActionSet.CreateBuilder(features, MaximumChange ?? double.PositiveInfinity);
        for (int j = 0; j < n; j++)
        {
            var action = actionOf[j];
            var s = statistics[j];
            builder.SetStandardScale(names[j], s.StandardDeviation > 0 ? s.StandardDeviation : 1);
            if (boundsFromTraining)
            {
                double lower = action?.Lower ?? s.Minimum, upper = action?.Upper ?? s.Maximum;
                Contracts.CheckParam(lower <= upper, "actions", FormattableString.Invariant(
                    $"The bounds of '{names[j]}' contradict each other: lower {lower} > upper {upper}."));
                builder.SetBounds(names[j], lower, upper);
            }
            if (features[j].IsInteger) builder.SetInteger(names[j]);
            if (action?.MaximumChange is double change) builder.SetMaximumChange(names[j], change);
            if (action is { CostWeight: not 1 }) builder.SetCostWeight(names[j], action.CostWeight);
        }
        return builder.Build();
    }

    private static int IndexOf(IReadOnlyList<string> names, string name)
    {
        for (int j = 0; j < names.Count; j++)
            if (names[j] == name) return j;
        return -1;
    }

    private static void Check(string name, ColumnAction action)
    {
        Contracts.CheckParam(Enum.IsDefined(action.Direction), "columns", $"Column '{name}': unknown direction {action.Direction}.");
        Contracts.CheckParam(action.Lower is null || double.IsFinite(action.Lower.Value), "columns", $"Column '{name}': the lower bound must be finite.");
        Contracts.CheckParam(action.Upper is null || double.IsFinite(action.Upper.Value), "columns", $"Column '{name}': the upper bound must be finite.");
        Contracts.CheckParam(action.Lower is null || action.Upper is null || action.Lower <= action.Upper, "columns",
            FormattableString.Invariant($"Column '{name}': lower {action.Lower} > upper {action.Upper}."));
        Contracts.CheckParam(action.MaximumChange is null || action.MaximumChange > 0, "columns", $"Column '{name}': the maximum change must be > 0.");
        Contracts.CheckParam(double.IsFinite(action.CostWeight) && action.CostWeight > 0, "columns", $"Column '{name}': the cost weight must be finite and > 0.");
        if (action.Categories is { } categories)
        {
            Contracts.CheckParam(categories.Count > 0, "columns", $"Column '{name}': the category list is empty.");
            Contracts.CheckParam(categories.All(c => c is not null), "columns", $"Column '{name}': a category is null.");
            var repeated = categories.GroupBy(c => c, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
            Contracts.CheckParam(repeated is null, "columns", $"Column '{name}': category '{repeated?.Key}' is listed twice.");
            Contracts.CheckParam(action.Lower is null && action.Upper is null && action.Integer is null && action.MaximumChange is null, "columns",
                $"Column '{name}' lists categories, so lower, upper, integer and maximumChange do not apply to it.");
        }
    }

    private static ColumnAction ReadColumn(JsonElement element, string source, string path)
    {
        if (element.ValueKind != JsonValueKind.Object) throw new FormatException($"{source}: {path} must be an object.");
        Known(element, source, path, "mutable", "direction", "lower", "upper", "integer", "maximumChange", "costWeight", "categories");
        var action = new ColumnAction();
        foreach (var p in element.EnumerateObject())
        {
            string at = $"{path}.{p.Name}";
            action = p.Name switch
            {
                "mutable" => action with { Mutable = Boolean(p.Value, source, at) },
                "direction" => action with
                {
                    Direction = p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString() switch
                    {
                        "increase" => ColumnDirection.Increase,
                        "decrease" => ColumnDirection.Decrease,
                        "any" => ColumnDirection.Any,
                        _ => throw new FormatException($"{source}: {at} must be \"increase\", \"decrease\" or \"any\"."),
                    } : throw new FormatException($"{source}: {at} must be \"increase\", \"decrease\" or \"any\"."),
                },
                "lower" => action with { Lower = Number(p.Value, source, at) },
                "upper" => action with { Upper = Number(p.Value, source, at) },
                "integer" => action with { Integer = Boolean(p.Value, source, at) },
                "maximumChange" => action with { MaximumChange = Positive(p.Value, source, at) },
                "categories" => action with { Categories = Strings(p.Value, source, at) },
                _ => action with { CostWeight = Positive(p.Value, source, at) },
            };
        }
        if (action.Categories is not null && (action.Lower is not null || action.Upper is not null || action.Integer is not null || action.MaximumChange is not null))
            throw new FormatException($"{source}: {path} lists categories, so lower, upper, integer and maximumChange do not apply to it.");
        if (action.Lower is double lo && action.Upper is double hi && lo > hi)
            throw new FormatException(string.Create(CultureInfo.InvariantCulture, $"{source}: {path}: lower {lo} > upper {hi}."));
        return action;
    }

    private static void Known(JsonElement element, string source, string path, params string[] keys)
    {
        foreach (var p in element.EnumerateObject())
            if (Array.IndexOf(keys, p.Name) < 0)
                throw new FormatException($"{source}: unknown key {path}.{p.Name}; the keys here are: {string.Join(", ", keys)}.");
    }

    private static bool Boolean(JsonElement e, string source, string path)
        => e.ValueKind is JsonValueKind.True or JsonValueKind.False ? e.GetBoolean() : throw new FormatException($"{source}: {path} must be true or false.");

    private static string[] Strings(JsonElement e, string source, string path)
    {
        if (e.ValueKind != JsonValueKind.Array) throw new FormatException($"{source}: {path} must be an array of strings.");
        var values = new List<string>();
        int k = 0;
        foreach (var item in e.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.String) throw new FormatException($"{source}: {path}[{k}] must be a string.");
            string value = item.GetString()!;
            if (values.Contains(value, StringComparer.Ordinal)) throw new FormatException($"{source}: {path}[{k}] repeats the category '{value}'.");
            values.Add(value);
            k++;
        }
        if (values.Count == 0) throw new FormatException($"{source}: {path} is empty; list at least one category.");
        return values.ToArray();
    }

    private static double Number(JsonElement e, string source, string path)
        => e.ValueKind == JsonValueKind.Number && e.TryGetDouble(out double v) && double.IsFinite(v) ? v : throw new FormatException($"{source}: {path} must be a finite number.");

    private static double Positive(JsonElement e, string source, string path)
    {
        double v = Number(e, source, path);
        return v > 0 ? v : throw new FormatException(string.Create(CultureInfo.InvariantCulture, $"{source}: {path} must be > 0; got {v}."));
    }
}

/// <summary>Per-slot statistics of training rows: sample standard deviation, range and whether every value is whole.</summary>
internal readonly record struct SlotStatistics(double StandardDeviation, double Minimum, double Maximum, bool AllWhole)
{
    public static SlotStatistics[] Of(double[] rows, int n)
    {
        int count = rows.Length / n;
        var result = new SlotStatistics[n];
        for (int j = 0; j < n; j++)
        {
            double sum = 0, min = double.PositiveInfinity, max = double.NegativeInfinity;
            bool whole = true;
            for (int r = 0; r < count; r++)
            {
                double v = rows[r * n + j];
                sum += v;
                min = Math.Min(min, v);
                max = Math.Max(max, v);
                whole &= v == Math.Round(v);
            }
            double mean = sum / count, squares = 0;
            for (int r = 0; r < count; r++) squares += (rows[r * n + j] - mean) * (rows[r * n + j] - mean);
            result[j] = new SlotStatistics(count > 1 ? Math.Sqrt(squares / (count - 1)) : 0, min, max, whole);
        }
        return result;
    }
}
