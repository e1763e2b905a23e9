using System.Globalization;
using System.Text.Json;
using Microsoft.ML.Recourse.Actions;
using Microsoft.ML.Data;

namespace Microsoft.ML.Recourse.Datasets;

/// <summary>
/// A user's comma-separated data file read through a schema file (format in <c>docs/user-data.md</c>): the
/// <c>Features</c>/<c>Label</c> view a trainer and the recourse transformer read, each feature's
/// <see cref="FeatureInfo"/> (with the mean and scale of its standardisation) and the <see cref="Actions.ActionSet"/>
/// the schema declares. Created by <see cref="DatasetsCatalog.LoadCsv"/>.
/// </summary>
/// <remarks>
/// <see cref="Data"/> has the columns <c>Features</c> (known-size vector of <see cref="float"/>, slot names = feature
/// names, in schema order), <c>Label</c> (<see cref="bool"/>), <c>RowId</c> (<see cref="int"/>, the zero-based record
/// index in the file, header excluded) and one text column per group column the schema names.
/// </remarks>
public sealed class CsvDataset
{
    private readonly DatasetTable _table;

    internal CsvDataset(string name, IReadOnlyList<FeatureInfo> features, ActionSet actionSet, DatasetTable table)
    {
        Name = name;
        Features = features.ToArray();
        ActionSet = actionSet;
        _table = table;
        Data = table.ToDataView(features.Select(f => f.Name).ToArray());
        GroupColumnNames = table.Groups.Select(g => g.Name).ToArray();
    }

    /// <summary>Gets the data file's name.</summary>
    public string Name { get; }

    /// <summary>Gets the features in the order of the <c>Features</c> vector.</summary>
    public IReadOnlyList<FeatureInfo> Features { get; }

    /// <summary>Gets the number of features d.</summary>
    public int FeatureCount => Features.Count;

    /// <summary>Gets the action set the schema declares.</summary>
    public ActionSet ActionSet { get; }

    /// <summary>Gets all rows of the file as a view.</summary>
    public IDataView Data { get; }

    /// <summary>Gets the names of the text group columns.</summary>
    public IReadOnlyList<string> GroupColumnNames { get; }

    /// <summary>Gets a copy of the features in the model's units as a row-major matrix (rows × <see cref="FeatureCount"/>).</summary>
    public double[] GetFeatureMatrix() => _table.Features.ToArray();

    /// <summary>Gets a copy of the labels (<see langword="true"/> = favourable).</summary>
    public bool[] GetLabels() => _table.Labels.ToArray();

    /// <inheritdoc/>
    public override string ToString() => FormattableString.Invariant($"{Name}: {FeatureCount} features, {_table.RowCount} rows");

    internal static CsvDataset Load(string dataPath, string schemaPath)
    {
        var schema = CsvSchemaFile.Parse(File.ReadAllText(schemaPath), Path.GetFileName(schemaPath));
        var csv = CsvTable.ReadWithHeader(dataPath);
        int Column(string name, string what) => csv.TryColumn(name) ?? throw new FormatException(
            $"The {what} '{name}' of schema file '{schema.FileName}' is not a column of {csv.FileName}; its columns are: {string.Join(", ", csv.ColumnNames)}.");

        int labelColumn = Column(schema.LabelColumn, "label column");
        var labels = new bool[csv.RowCount];
        for (int r = 0; r < csv.RowCount; r++)
        {
            string value = csv.Text(r, labelColumn).Trim();
            if (value == schema.PositiveLabel) labels[r] = true;
            else if (schema.NegativeLabel is { } negative && value != negative)
                throw csv.Malformed(r, labelColumn, value, $"a label ('{schema.PositiveLabel}' or '{negative}')");
        }

        var features = new FeatureInfo[schema.Features.Count];
        var columns = new double[schema.Features.Count][];
        var standardScales = new double[schema.Features.Count];
        for (int j = 0; j < features.Length; j++)
        {
            var f = schema.Features[j];
            int c = Column(f.Name, "feature");
            var values = new double[csv.RowCount];
            for (int r = 0; r < csv.RowCount; r++)
            {
                values[r] = csv.Number(r, c);
                if (f.IsCategorical && values[r] != 0 && values[r] != 1)
                    throw csv.Malformed(r, c, csv.Text(r, c), "a 0/1 indicator (the schema declares it categorical)");
            }
            var (mean, deviation) = values.Length > 1 ? DatasetTable.MeanAndSampleStandardDeviation(values) : (values.FirstOrDefault(), 0);
            double offset = 0, scale = 1;
            if (f.Standardize)
            {
                offset = f.Mean ?? mean;
                scale = f.Scale ?? deviation;
                if (!(scale > 0))
                    throw new FormatException(FormattableString.Invariant(
                        $"Feature '{f.Name}' of {csv.FileName} cannot be standardised: its standard deviation is {scale}; give 'scale' in the schema or set 'standardize' to false."));
                for (int r = 0; r < values.Length; r++) values[r] = (values[r] - offset) / scale;
            }
            // One standardised unit of a feature the model sees in original units is its standard deviation.
            standardScales[j] = f.Standardize || f.IsCategorical || !(deviation > 0) ? 1 : deviation;
            features[j] = new FeatureInfo(f.Name, offset, scale, f.IsCategorical, f.Actionability, f.IsInteger, f.Description);
            columns[j] = values;
        }

        var builder = ActionSet.CreateBuilder(features, schema.MaximumChange);
        foreach (var g in schema.OneHotGroups)
            builder.AddOneHotGroup(g.Name, g.Members, g.IsMutable, g.Labels);
        for (int j = 0; j < features.Length; j++)
        {
            var f = schema.Features[j];
            if (schema.OneHotGroups.Any(g => g.Members.Contains(f.Name)))
            {
                if (f.ActionabilityGiven) builder.SetActionability(f.Name, f.Actionability);
            }
            else
            {
                builder.SetStandardScale(f.Name, standardScales[j]);
                if (f.MaximumChange is double change) builder.SetMaximumChange(f.Name, change);
                if (f.Lower is not null || f.Upper is not null) builder.SetBounds(f.Name, f.Lower ?? double.NegativeInfinity, f.Upper ?? double.PositiveInfinity);
                if (f.IsInteger) builder.SetInteger(f.Name);
            }
            if (f.CostWeight is double weight) builder.SetCostWeight(f.Name, weight);
        }

        var groups = schema.GroupColumns.Select(name =>
        {
            int c = Column(name, "group column");
            return new GroupColumn(name, Enumerable.Range(0, csv.RowCount).Select(r => csv.Text(r, c).Trim()).ToArray());
        }).ToArray();
        var table = DatasetTable.FromColumns(columns, labels, Enumerable.Range(0, csv.RowCount).ToArray(), groups);
        return new CsvDataset(csv.FileName, features, builder.Build(), table);
    }
}

/// <summary>The parsed schema file; every error names the file and the offending entry.</summary>
internal sealed record CsvSchemaFile(
    string FileName,
    string LabelColumn,
    string PositiveLabel,
    string? NegativeLabel,
    double MaximumChange,
    IReadOnlyList<string> GroupColumns,
    IReadOnlyList<CsvSchemaFile.Feature> Features,
    IReadOnlyList<CsvSchemaFile.OneHotGroup> OneHotGroups)
{
    public sealed record Feature(string Name, string? Description, FeatureActionability Actionability, bool ActionabilityGiven,
        bool Standardize, double? Mean, double? Scale, bool IsInteger, bool IsCategorical, double? Lower, double? Upper,
        double? CostWeight, double? MaximumChange);

    public sealed record OneHotGroup(string Name, string[] Members, bool IsMutable, string[]? Labels);

    private static readonly Dictionary<string, FeatureActionability> ActionabilityNames = new(StringComparer.OrdinalIgnoreCase)
    {
        ["immutable"] = FeatureActionability.Immutable,
        ["free"] = FeatureActionability.Free,
        ["increaseOnly"] = FeatureActionability.IncreaseOnly,
        ["decreaseOnly"] = FeatureActionability.DecreaseOnly,
    };

    public static CsvSchemaFile Parse(string json, string fileName)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        }
        catch (JsonException e)
        {
            throw new FormatException($"Schema file '{fileName}' is not valid JSON: {e.Message}", e);
        }
        using (document)
        {
            var reader = new Reader(fileName);
            var root = reader.Object(document.RootElement, "the schema", ["label", "maximumChange", "groupColumns", "features", "oneHotGroups"]);
            var label = reader.Object(reader.Required(root, "label", "the schema"), "'label'", ["column", "positiveValue", "negativeValue"]);
            var features = reader.Array(reader.Required(root, "features", "the schema"), "'features'")
                .Select((element, j) => ParseFeature(reader, element, j)).ToArray();
            reader.Check(features.Length > 0, "'features' lists no feature");
            var duplicate = features.GroupBy(f => f.Name).FirstOrDefault(g => g.Count() > 1);
            reader.Check(duplicate is null, $"feature '{duplicate?.Key}' is listed twice");
            var groups = root.TryGetProperty("oneHotGroups", out var g)
                ? reader.Array(g, "'oneHotGroups'").Select((element, k) => ParseGroup(reader, element, k, features)).ToArray()
                : [];
            return new CsvSchemaFile(
                fileName,
                reader.String(label, "column", "'label'", required: true)!,
                reader.String(label, "positiveValue", "'label'", required: false) ?? "1",
                reader.String(label, "negativeValue", "'label'", required: false),
                reader.Number(root, "maximumChange", "the schema") ?? double.PositiveInfinity,
                root.TryGetProperty("groupColumns", out var gc) ? reader.Array(gc, "'groupColumns'").Select(e => reader.Text(e, "'groupColumns'")).ToArray() : [],
                features,
                groups);
        }
    }

    private static Feature ParseFeature(Reader reader, JsonElement element, int index)
    {
        string where = FormattableString.Invariant($"feature {index}");
        var f = reader.Object(element, where, null);
        string name = reader.String(f, "name", where, required: true)!;
        where = $"feature '{name}'";
        reader.Object(f, where, ["name", "description", "actionability", "standardize", "mean", "scale", "integer", "categorical", "lower", "upper", "costWeight", "maximumChange"]);
        string? actionabilityText = reader.String(f, "actionability", where, required: false);
        FeatureActionability actionability = FeatureActionability.Immutable;
        reader.Check(actionabilityText is null || ActionabilityNames.TryGetValue(actionabilityText, out actionability),
            $"{where} has actionability '{actionabilityText}'; valid values: {string.Join(", ", ActionabilityNames.Keys)}");
        bool standardize = reader.Bool(f, "standardize", where) ?? false;
        bool categorical = reader.Bool(f, "categorical", where) ?? false;
        double? mean = reader.Number(f, "mean", where), scale = reader.Number(f, "scale", where);
        reader.Check(!(standardize && categorical), $"{where} is categorical (a 0/1 indicator) and cannot be standardised");
        reader.Check(standardize || (mean is null && scale is null), $"{where} gives 'mean' or 'scale' but does not set 'standardize'");
        reader.Check(scale is null || scale > 0, $"{where} has scale {scale}; it must be > 0");
        return new Feature(name, reader.String(f, "description", where, required: false), actionability, actionabilityText is not null,
            standardize, mean, scale, reader.Bool(f, "integer", where) ?? false, categorical,
            reader.Number(f, "lower", where), reader.Number(f, "upper", where), reader.Number(f, "costWeight", where), reader.Number(f, "maximumChange", where));
    }

    private static OneHotGroup ParseGroup(Reader reader, JsonElement element, int index, Feature[] features)
    {
        string where = FormattableString.Invariant($"one-hot group {index}");
        var g = reader.Object(element, where, null);
        string name = reader.String(g, "name", where, required: true)!;
        where = $"one-hot group '{name}'";
        reader.Object(g, where, ["name", "members", "mutable", "labels"]);
        var members = reader.Array(reader.Required(g, "members", where), where).Select(e => reader.Text(e, where)).ToArray();
        foreach (var member in members)
        {
            var feature = features.FirstOrDefault(f => f.Name == member);
            reader.Check(feature is not null, $"{where} names '{member}', which is not a feature of the schema");
            reader.Check(feature!.IsCategorical, $"{where} names '{member}', which is not declared 'categorical'");
            reader.Check(feature.Lower is null && feature.Upper is null && feature.MaximumChange is null && !feature.IsInteger,
                $"{where} member '{member}' moves by 0 or ±1, so 'lower', 'upper', 'maximumChange' and 'integer' do not apply to it");
        }
        var labels = g.TryGetProperty("labels", out var l) ? reader.Array(l, where).Select(e => reader.Text(e, where)).ToArray() : null;
        return new OneHotGroup(name, members, reader.Bool(g, "mutable", where) ?? false, labels);
    }

    /// <summary>Typed reads whose errors name the schema file and the entry.</summary>
    private sealed class Reader(string fileName)
    {
        public void Check(bool condition, string message)
        {
            if (!condition) throw new FormatException($"Schema file '{fileName}': {message}.");
        }

        /// <summary>Checks <paramref name="element"/> is an object and, when <paramref name="allowed"/> is given, has no other property (catches typos).</summary>
        public JsonElement Object(JsonElement element, string where, string[]? allowed)
        {
            Check(element.ValueKind == JsonValueKind.Object, $"{where} must be a JSON object");
            foreach (var property in element.EnumerateObject())
            {
                if (allowed is not null && !allowed.Contains(property.Name))
                    Check(false, $"{where} has unknown property '{property.Name}'; allowed: {string.Join(", ", allowed)}");
            }
            return element;
        }

        public JsonElement Required(JsonElement parent, string name, string where)
        {
            Check(parent.TryGetProperty(name, out var value), $"{where} has no '{name}'");
            return value;
        }

        public IEnumerable<JsonElement> Array(JsonElement element, string where)
        {
            Check(element.ValueKind == JsonValueKind.Array, $"{where} must be a JSON array");
            return element.EnumerateArray().ToArray();
        }

        public string Text(JsonElement element, string where)
        {
            Check(element.ValueKind == JsonValueKind.String && element.GetString()!.Length > 0, $"{where} must hold non-empty strings");
            return element.GetString()!;
        }

        public string? String(JsonElement parent, string name, string where, bool required)
        {
            if (!parent.TryGetProperty(name, out var value))
            {
                Check(!required, $"{where} has no '{name}'");
                return null;
            }
            Check(value.ValueKind == JsonValueKind.String && value.GetString()!.Length > 0, $"'{name}' of {where} must be a non-empty string");
            return value.GetString();
        }

        public double? Number(JsonElement parent, string name, string where)
        {
            if (!parent.TryGetProperty(name, out var value)) return null;
            Check(value.ValueKind == JsonValueKind.Number, $"'{name}' of {where} must be a number");
            return value.GetDouble();
        }

        public bool? Bool(JsonElement parent, string name, string where)
        {
            if (!parent.TryGetProperty(name, out var value)) return null;
            Check(value.ValueKind is JsonValueKind.True or JsonValueKind.False, $"'{name}' of {where} must be true or false");
            return value.GetBoolean();
        }
    }
}
