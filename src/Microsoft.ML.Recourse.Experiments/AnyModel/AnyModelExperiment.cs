using System.Diagnostics;
using Microsoft.ML.Data;
using Microsoft.ML.Recourse.Actions;
using Microsoft.ML.Recourse.Datasets;
using Microsoft.ML.Trainers.FastTree;
using Microsoft.ML.Transforms;

namespace Microsoft.ML.Recourse.Experiments;

/// <summary>
/// Recourse on the raw columns of Model Builder-shaped pipelines on UCI Adult (string categoricals one-hot encoded,
/// missing-value replacement, then a trainer): for each model kind, the time per rejected row of
/// <c>mlContext.Recourse().ExplainModel</c>, the share of answers the model accepts (every option applied to the raw row
/// and scored by the model itself), the share proved optimal, and the statuses. Run by <c>recourse reproduce any-model</c>.
/// </summary>
internal static class AnyModelExperiment
{
    /// <summary>What an adult applicant may change (as samples/model-builder/adult.actions.json).</summary>
    public const string ActionsJson = """
        { "default": "immutable",
          "maximumChange": 3,
          "columns": {
            "education":      { "categories": ["HS-grad", "Some-college", "Assoc-voc", "Assoc-acdm", "Bachelors", "Masters", "Prof-school", "Doctorate"],
                                "direction": "increase", "costWeight": 2 },
            "hours-per-week": { "lower": 1, "upper": 80, "integer": true },
            "workclass":      { "categories": ["Private", "Self-emp-not-inc", "Self-emp-inc", "Federal-gov", "Local-gov", "State-gov"] },
            "occupation":     { "categories": ["Tech-support", "Craft-repair", "Other-service", "Sales", "Exec-managerial", "Prof-specialty",
                                               "Handlers-cleaners", "Machine-op-inspct", "Adm-clerical", "Farming-fishing", "Transport-moving",
                                               "Protective-serv"], "costWeight": 1.5 } } }
        """;

    internal static readonly string[] NumericColumns = ["age", "fnlwgt", "education-num", "capital-gain", "capital-loss", "hours-per-week"];
    internal static readonly string[] TextColumns = ["workclass", "education", "marital-status", "occupation", "relationship", "race", "sex", "native-country"];

    public sealed class Options
    {
        public string? DataDirectory { get; init; }

        /// <summary>Rejected test rows explained per model. Range: value ≥ 1.</summary>
        public int Rows { get; init; } = 200;

        /// <summary>The split and training seed.</summary>
        public int Seed { get; init; } = 1;

        /// <summary>The model kinds to run (ids as in <see cref="ModelKinds"/>); all by default.</summary>
        public IReadOnlyList<string>? Models { get; init; }
    }

    /// <summary>
    /// The model kinds, in report order: id, name, trainer, whether the features are normalised, and for a search-only
    /// kind the id of the exact kind whose fitted model it reuses (so that both explain the same rejected rows).
    /// </summary>
    public static readonly (string Id, string Name, Func<MLContext, IEstimator<ITransformer>> Trainer, bool Normalise, string? SearchOnlyOf)[] ModelKinds =
    [
        ("lbfgs", "L-BFGS logistic regression", ml => ml.BinaryClassification.Trainers.LbfgsLogisticRegression(), true, null),
        ("fasttree", "FastTree 100 trees × 20 leaves", ml => ml.BinaryClassification.Trainers.FastTree(new FastTreeBinaryTrainer.Options { NumberOfTrees = 100, NumberOfLeaves = 20 }), false, null),
        ("lightgbm", "LightGbm (defaults)", ml => ml.BinaryClassification.Trainers.LightGbm(), false, null),
        ("fastforest", "FastForest 100 trees × 20 leaves", ml => ml.BinaryClassification.Trainers.FastForest(numberOfTrees: 100, numberOfLeaves: 20), false, null),
        ("lbfgs-search", "L-BFGS logistic regression, search only", ml => ml.BinaryClassification.Trainers.LbfgsLogisticRegression(), true, "lbfgs"),
        ("fasttree-search", "FastTree 100 trees × 20 leaves, search only", ml => ml.BinaryClassification.Trainers.FastTree(new FastTreeBinaryTrainer.Options { NumberOfTrees = 100, NumberOfLeaves = 20 }), false, "fasttree"),
    ];

    /// <summary>One model's figures; <see cref="RowCosts"/> holds the best cost per explained row (NaN where none was found).</summary>
    public sealed record ModelResult(string Id, string Name, string Method, string? WhyNotExact, double TestAccuracy, int Rows, int Found, int Infeasible, int NotFound,
        int ProvedOptimal, int Options, int ValidOptions, double MeanCost, double MedianMilliseconds, double P95Milliseconds, double BatchedMillisecondsPerRow,
        double TrainingSeconds, IReadOnlyList<double> RowCosts, IReadOnlyList<ColumnRecourseStatus> RowStatuses);

    /// <summary>
    /// The search against the exact method on the same model and rows: rows each answered, the mean costs on the rows
    /// both answered, and the rows where the search paid more or (a bug, if ever) less than the proved optimum, or found
    /// recourse where the exact method proved there is none.
    /// </summary>
    public sealed record SearchAgainstExact(string SearchName, string ExactName, int Rows, int ExactFound, int SearchFound, int BothFound,
        double ExactMeanCost, double SearchMeanCost, int SearchCostlier, int SearchCheaper, int SearchFoundWhereProvedInfeasible);

    public sealed record Result(Options Options, int TrainingRows, int TestRows, IReadOnlyList<ModelResult> Models,
        IReadOnlyList<SearchAgainstExact> Comparisons, double Seconds, double? LoadAtStart, double? LoadAtEnd);

    public static Result Run(Options options, Action<string> log)
    {
        Contracts.CheckParam(options.Rows >= 1, nameof(options.Rows), $"Must be ≥ 1; got {options.Rows}.");
        var kinds = options.Models is null ? ModelKinds : options.Models.Select(id => ModelKinds.FirstOrDefault(k => k.Id == id) is { Id: not null } kind
            ? kind : throw new ArgumentOutOfRangeException(nameof(options), $"Unknown model '{id}'; the models are: {string.Join(", ", ModelKinds.Select(k => k.Id))}.")).ToArray();
        var watch = Stopwatch.StartNew();
        double? loadAtStart = MachineLoad.OneMinuteAverage();
        var ml = new MLContext(options.Seed);
        var data = LoadAdult(ml, DataDirectory.Locate(ReferenceDatasets.AdultFile, options.DataDirectory, ReferenceDatasets.AdultHowToObtain));
        var split = ml.Data.TrainTestSplit(data, testFraction: 0.2, seed: options.Seed);
        var train = ml.Data.Cache(split.TrainSet);
        var test = ml.Data.Cache(split.TestSet);
        int trainingRows = DataViews.RowCount(train), testRows = DataViews.RowCount(test);
        log($"adult: {trainingRows} training and {testRows} test rows");
        var actions = ColumnActionSet.FromJson(ActionsJson, "adult actions");
        var results = new List<ModelResult>();
        var fitted = new Dictionary<string, (ITransformer Model, double Seconds)>();
        foreach (var kind in kinds)
        {
            // A search-only kind reuses its exact twin's model: a second training could differ (the context's random
            // state has moved on), and the comparison needs the same model and the same rejected rows.
            string modelId = kind.SearchOnlyOf ?? kind.Id;
            if (!fitted.TryGetValue(modelId, out var entry))
            {
                var training = Stopwatch.StartNew();
                var trained = Pipeline(ml, kind.Trainer(ml), kind.Normalise).Fit(train);
                fitted[modelId] = entry = (trained, training.Elapsed.TotalSeconds);
            }
            var model = entry.Model;
            double accuracy = ml.BinaryClassification.EvaluateNonCalibrated(model.Transform(test)).Accuracy;
            var recourse = ml.Recourse().ExplainModel(model, new ColumnRecourseEstimator.Options { Actions = actions, UseExactMethods = kind.SearchOnlyOf is null }).Fit(train);
            results.Add(Measure(kind.Id, kind.Name, model, recourse, test, options.Rows, accuracy, entry.Seconds, log));
        }
        var comparisons = new List<SearchAgainstExact>();
        foreach (var kind in kinds.Where(k => k.SearchOnlyOf is not null))
        {
            var search = results.Single(r => r.Id == kind.Id);
            if (results.FirstOrDefault(r => r.Id == kind.SearchOnlyOf) is { } exact)
                comparisons.Add(Compare(search, exact));
        }
        return new Result(options, trainingRows, testRows, results, comparisons, watch.Elapsed.TotalSeconds, loadAtStart, MachineLoad.OneMinuteAverage());
    }

    internal static SearchAgainstExact Compare(ModelResult search, ModelResult exact)
    {
        if (search.Rows != exact.Rows)
            throw new InvalidOperationException($"'{search.Name}' explained {search.Rows} rows and '{exact.Name}' {exact.Rows}; they must share the model and rows.");
        var both = Enumerable.Range(0, search.Rows).Where(r => double.IsFinite(search.RowCosts[r]) && double.IsFinite(exact.RowCosts[r])).ToList();
        static bool Above(double a, double b) => a > b + 1e-9 * (1 + Math.Abs(b));
        return new SearchAgainstExact(search.Name, exact.Name, search.Rows, exact.Found, search.Found, both.Count,
            both.Count == 0 ? double.NaN : both.Average(r => exact.RowCosts[r]),
            both.Count == 0 ? double.NaN : both.Average(r => search.RowCosts[r]),
            both.Count(r => Above(search.RowCosts[r], exact.RowCosts[r])),
            both.Count(r => Above(exact.RowCosts[r], search.RowCosts[r])),
            Enumerable.Range(0, search.Rows).Count(r => exact.RowStatuses[r] == ColumnRecourseStatus.Infeasible && search.RowStatuses[r] == ColumnRecourseStatus.Found));
    }

    internal static IEstimator<ITransformer> Pipeline(MLContext ml, IEstimator<ITransformer> trainer, bool normalise)
    {
        IEstimator<ITransformer> features = ml.Transforms.ReplaceMissingValues(NumericColumns.Where(c => c is not "fnlwgt" and not "education-num").Select(c => new InputOutputColumnPair(c, c)).ToArray())
            .Append(ml.Transforms.Categorical.OneHotEncoding(TextColumns.Select(c => new InputOutputColumnPair(c, c)).ToArray(), OneHotEncodingEstimator.OutputKind.Indicator))
            .Append(ml.Transforms.Concatenate(DefaultColumnNames.Features, ["age", "capital-gain", "capital-loss", "hours-per-week", .. TextColumns]));
        if (normalise) features = features.Append(ml.Transforms.NormalizeMinMax(DefaultColumnNames.Features));
        return features.Append(trainer);
    }

    // adult.csv has no header and its label is the text ">50K" / "<=50K"; the model's Label is Boolean, outside the model.
    internal static IDataView LoadAdult(MLContext ml, string path)
    {
        string[] order = ["age", "workclass", "fnlwgt", "education", "education-num", "marital-status", "occupation", "relationship", "race", "sex",
            "capital-gain", "capital-loss", "hours-per-week", "native-country", "income"];
        var columns = order.Select((name, i) => new TextLoader.Column(name, NumericColumns.Contains(name) ? DataKind.Single : DataKind.String, i)).ToArray();
        var raw = ml.Data.CreateTextLoader(columns, separatorChar: ',', hasHeader: false, trimWhitespace: true).Load(path);
        var labelled = ml.Transforms.Conversion.MapValue(DefaultColumnNames.Label, [new KeyValuePair<string, bool>(">50K", true), new KeyValuePair<string, bool>("<=50K", false)], "income")
            .Append(ml.Transforms.DropColumns("income")).Fit(raw).Transform(raw);
        return ml.Data.Cache(labelled);
    }

    private static ModelResult Measure(string id, string name, ITransformer model, ColumnRecourseTransformer recourse, IDataView test, int count,
        double accuracy, double trainingSeconds, Action<string> log)
    {
        var space = recourse.Space;
        var accepted = model.Transform(test).GetColumn<bool>(DefaultColumnNames.PredictedLabel).ToArray();
        var allRows = RawRows.Read(test, space.RawColumns);
        var rejected = Enumerable.Range(0, allRows.Count).Where(r => !accepted[r]).Take(count).Select(r => allRows[r]).ToList();

        // One row at a time (a person's wait), then all together (a batch job's throughput).
        var seconds = new List<double>();
        var results = new List<ColumnRecourseResult>();
        foreach (var row in rejected)
        {
            var view = RawRows.ToView(space.RawColumns, [row]);
            var clock = Stopwatch.StartNew();
            results.Add(recourse.ExplainAll(view)[0]);
            seconds.Add(clock.Elapsed.TotalSeconds);
        }
        var batch = Stopwatch.StartNew();
        recourse.ExplainAll(RawRows.ToView(space.RawColumns, rejected));
        double batched = batch.Elapsed.TotalSeconds / rejected.Count;

        // Every option applied to its raw row and scored by the model itself; valid means accepted, allowed by the
        // action set and priced as reported.
        var changed = new List<(object?[] From, object?[] To, double Cost)>();
        for (int k = 0; k < rejected.Count; k++)
            foreach (var option in results[k].Options)
            {
                var to = (object?[])rejected[k].Clone();
                foreach (var change in option.Changes) to[space.Find(change.Column)!.Index] = change.To;
                changed.Add((rejected[k], to, option.Cost));
            }
        int valid = 0;
        if (changed.Count > 0)
        {
            var decisions = model.Transform(RawRows.ToView(space.RawColumns, changed.Select(c => c.To).ToArray())).GetColumn<bool>(DefaultColumnNames.PredictedLabel).ToArray();
            for (int k = 0; k < changed.Count; k++)
            {
                var (from, to, cost) = changed[k];
                if (decisions[k] && space.Allows(from, to, out _) && Math.Abs(space.Cost(from, to) - cost) <= 1e-9 * (1 + cost)) valid++;
            }
        }
        var found = results.Where(r => r.Status == ColumnRecourseStatus.Found).ToList();
        seconds.Sort();
        var result = new ModelResult(id, name, recourse.Method, recourse.WhyNotExact, accuracy, rejected.Count, found.Count,
            results.Count(r => r.Status == ColumnRecourseStatus.Infeasible), results.Count(r => r.Status == ColumnRecourseStatus.NotFound),
            found.Count(r => r.IsOptimal), changed.Count, valid, found.Count == 0 ? double.NaN : found.Average(r => r.Best!.Cost),
            1000 * Quantile(seconds, 0.5), 1000 * Quantile(seconds, 0.95), 1000 * batched, trainingSeconds,
            results.Select(r => r.Status == ColumnRecourseStatus.Found ? r.Best!.Cost : double.NaN).ToArray(), results.Select(r => r.Status).ToArray());
        log(FormattableString.Invariant($"{name}: {result.Method}, {result.Found} found, {result.Infeasible} infeasible, {result.NotFound} not found of {result.Rows}; median {result.MedianMilliseconds:0.0} ms, p95 {result.P95Milliseconds:0.0} ms; {result.ValidOptions}/{result.Options} options valid"));
        return result;
    }

    // The nearest-rank quantile of sorted values.
    private static double Quantile(IReadOnlyList<double> sorted, double q)
        => sorted.Count == 0 ? double.NaN : sorted[Math.Clamp((int)Math.Ceiling(q * sorted.Count) - 1, 0, sorted.Count - 1)];
}
