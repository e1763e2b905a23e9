using System.Globalization;
using Microsoft.ML.Data;
using Microsoft.ML.Recourse.Actions;
using Microsoft.ML.Recourse.Models.MlNet;
using Microsoft.ML.Recourse.Tests.TestFramework;

namespace Microsoft.ML.Recourse.Tests.Recourse;

// The black-box search over raw columns on real ML.NET pipelines the library cannot compile: every option it reports is
// applied to the person's row, written out as text, read back into a freshly built view and scored by the model itself.
public class BlackBoxSearchTests
{
    public class ApplicantInput
    {
        public float Income { get; set; }
        public float Debt { get; set; }
        public int Years { get; set; }
        public float Age { get; set; }
        public string Job { get; set; } = "";
        public string Note { get; set; } = "";
        public bool Owner { get; set; }
    }

    public sealed class Applicant : ApplicantInput
    {
        public bool Label { get; set; }
    }

    public sealed class Prediction
    {
        public bool PredictedLabel { get; set; }
        public float Probability { get; set; }
    }

    private static readonly string[] Jobs = ["clerk", "nurse", "driver", "engineer", "teacher"];
    private static readonly string[] Phrases = ["late payment last year", "steady employer", "new customer", "long credit history", "moved house recently", "no remarks"];

    private static List<Applicant> Applicants(int count, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, count).Select(_ =>
        {
            var a = new Applicant
            {
                Income = (float)Math.Round(20 + 80 * random.NextDouble(), 1),
                Debt = (float)Math.Round(40 * random.NextDouble(), 1),
                Years = random.Next(0, 31),
                Age = random.Next(20, 70),
                Job = Jobs[random.Next(Jobs.Length)],
                Note = Phrases[random.Next(Phrases.Length)] + ", " + Phrases[random.Next(Phrases.Length)],
                Owner = random.NextDouble() < 0.4,
            };
            double logit = 0.07 * (a.Income - 55) - 0.08 * (a.Debt - 20) + 0.08 * (a.Years - 12) + (a.Job == "engineer" ? 1.2 : a.Job == "driver" ? -0.6 : 0)
                + (a.Owner ? 0.8 : 0) - (a.Note.Contains("late", StringComparison.Ordinal) ? 1.2 : 0) + 0.4 * ToyData.Gaussian(random);
            a.Label = logit > 0;
            return a;
        }).ToList();
    }

    private static readonly ColumnActionSet Actions = new(ColumnDefault.Free, new Dictionary<string, ColumnAction>
    {
        ["Note"] = new() { Mutable = false },
        ["Age"] = new() { Mutable = false },
        ["Debt"] = new() { Direction = ColumnDirection.Decrease },
        ["Years"] = new() { Direction = ColumnDirection.Increase, Upper = 35 },
    }, maximumChange: 2);

    private static readonly string[] NumericInputs = ["Income", "Debt", "YearsFeature", "Age", "OwnerFeature", "JobFeatures"];

    private static IEstimator<ITransformer> Encode(MLContext ml) =>
        ml.Transforms.Categorical.OneHotEncoding("JobFeatures", "Job")
            .Append(ml.Transforms.Conversion.ConvertType("YearsFeature", "Years", DataKind.Single))
            .Append(ml.Transforms.Conversion.ConvertType("OwnerFeature", "Owner", DataKind.Single));

    private static ITransformer TextPipeline(MLContext ml, IDataView data) =>
        Encode(ml).Append(ml.Transforms.Text.FeaturizeText("NoteFeatures", "Note"))
            .Append(ml.Transforms.Concatenate("Features", [.. NumericInputs, "NoteFeatures"]))
            .Append(ml.Transforms.NormalizeMinMax("Features"))
            .Append(ml.BinaryClassification.Trainers.LbfgsLogisticRegression())
            .Fit(data);

    private static ITransformer TreePipeline(MLContext ml, IDataView data, string trainer) =>
        Encode(ml).Append(ml.Transforms.Text.FeaturizeText("NoteFeatures", "Note"))
            .Append(ml.Transforms.Concatenate("Features", [.. NumericInputs, "NoteFeatures"]))
            .Append(trainer == "FastTree"
                ? (IEstimator<ITransformer>)ml.BinaryClassification.Trainers.FastTree(numberOfLeaves: 8, numberOfTrees: 50, minimumExampleCountPerLeaf: 5)
                : ml.BinaryClassification.Trainers.LightGbm(numberOfLeaves: 8, minimumExampleCountPerLeaf: 5, numberOfIterations: 50))
            .Fit(data);

    /// <summary>The model, its decisions, the bound action space and raw rows of a pipeline trained on synthetic applicants.</summary>
    private sealed record Setup(MLContext Ml, ITransformer Model, ModelDecision Decision, ColumnActionSpace Space, List<object?[]> Rows)
    {
        public BlackBoxRecourseSearch Search(BlackBoxSearchOptions? options = null, int seed = 1)
            => new(Decision, Space, options ?? new BlackBoxSearchOptions(), seed, log: null);
    }

    private static Setup Train(Func<MLContext, IDataView, ITransformer> pipeline, ColumnActionSet? actions = null, int rows = 600,
        ColumnCostFunction costFunction = ColumnCostFunction.ScaledL1)
    {
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(Applicants(rows, seed: 3));
        var model = pipeline(ml, data);
        var inputSchema = ml.Data.LoadFromEnumerable(Array.Empty<ApplicantInput>()).Schema;
        var decision = new ModelDecision(model, inputSchema);
        var space = ColumnActionSpace.Bind(actions ?? Actions, inputSchema, data, costFunction);
        var people = RawRows.Read(ml.Data.LoadFromEnumerable(Applicants(150, seed: 4)), decision.RawColumns);
        return new Setup(ml, model, decision, space, people);
    }

    /// <summary>
    /// Checks every answer: statuses agree with the model, options are distinct sets of columns sorted by cost, each option
    /// applied to the row keeps the action set, costs what it says, and — written as text, read back into a fresh view —
    /// is accepted by the model. Returns the rejected rows' results.
    /// </summary>
    private static List<ColumnRecourseResult> CheckAnswers(Setup setup, IReadOnlyList<ColumnRecourseResult> results, int optionCount)
    {
        var before = setup.Decision.Decide(setup.Rows);
        var applied = new List<ApplicantInput>();
        var expected = new List<double>();
        var rejected = new List<ColumnRecourseResult>();
        for (int r = 0; r < results.Count; r++)
        {
            var result = results[r];
            result.Method.Should().Be("search");
            result.IsOptimal.Should().BeFalse();
            result.ScoreBefore.Should().Be(before[r].Score);
            if (before[r].Accepted)
            {
                result.Status.Should().Be(ColumnRecourseStatus.Accepted);
                result.Options.Should().BeEmpty();
                continue;
            }
            rejected.Add(result);
            result.Status.Should().NotBe(ColumnRecourseStatus.Accepted);
            if (result.Status != ColumnRecourseStatus.Found)
            {
                result.Options.Should().BeEmpty();
                continue;
            }
            result.Options.Should().HaveCountLessThanOrEqualTo(optionCount).And.BeInAscendingOrder(o => o.Cost);
            result.Options.Select(o => string.Join(",", o.Changes.Select(c => c.Column).Order())).Should().OnlyHaveUniqueItems("options are distinct sets of changed columns");
            foreach (var option in result.Options)
            {
                option.Changes.Should().NotBeEmpty();
                var row = Apply(setup, setup.Rows[r], option);
                setup.Space.Allows(setup.Rows[r], row, out string reason).Should().BeTrue(reason);
                option.Cost.Should().Be(setup.Space.Cost(setup.Rows[r], row));
                applied.Add(RoundTrip(setup, row));
                expected.Add(option.ScoreAfter);
            }
        }
        if (applied.Count > 0)
        {
            var scored = setup.Model.Transform(setup.Ml.Data.LoadFromEnumerable(applied));
            scored.GetColumn<bool>("PredictedLabel").Should().OnlyContain(accepted => accepted, "the model itself accepts every reported option");
            scored.GetColumn<float>("Probability").Select(p => (double)p).Should().Equal(expected, (a, b) => Math.Abs(a - b) < 1e-6);
        }
        return rejected;
    }

    private static object?[] Apply(Setup setup, object?[] person, ColumnRecourseOption option)
    {
        var row = (object?[])person.Clone();
        foreach (var change in option.Changes)
        {
            var column = setup.Space.Find(change.Column)!;
            RawRows.SameValue(change.From, person[column.Index]).Should().BeTrue("a change starts from the person's value");
            change.To.GetType().Should().Be(person[column.Index]!.GetType(), "a change keeps the column's type");
            row[column.Index] = change.To;
        }
        return row;
    }

    // The row as a CSV writer would hold it, parsed back as each column's type: numbers must come back bit for bit.
    private static ApplicantInput RoundTrip(Setup setup, object?[] row)
    {
        var input = new ApplicantInput();
        var columns = setup.Decision.RawColumns;
        for (int i = 0; i < columns.Count; i++)
        {
            string text = RawRows.Format(row[i]);
            object parsed = row[i] switch
            {
                float => float.Parse(text, CultureInfo.InvariantCulture),
                int => int.Parse(text, CultureInfo.InvariantCulture),
                bool => bool.Parse(text),
                _ => text,
            };
            parsed.Should().Be(row[i], $"column '{columns[i].Name}' must round-trip through its text");
            typeof(ApplicantInput).GetProperty(columns[i].Name)!.SetValue(input, parsed);
        }
        return input;
    }

    [Theory]
    [InlineData(ColumnCostFunction.ScaledL1)]
    [InlineData(ColumnCostFunction.PercentileShift)]
    [InlineData(ColumnCostFunction.ChangedColumns)]
    public void Search_FeaturizeTextPipeline_ReportsOnlyOptionsTheModelAccepts_WithinTheActionSet(ColumnCostFunction costFunction)
    {
        var setup = Train(TextPipeline, costFunction: costFunction);

        var results = setup.Search().Search(setup.Rows, optionCount: 3);

        var rejected = CheckAnswers(setup, results, optionCount: 3);
        rejected.Should().HaveCountGreaterThan(20);
        rejected.Count(r => r.Status == ColumnRecourseStatus.Found).Should().BeGreaterThan(rejected.Count * 9 / 10, "income, debt, years, job and ownership can move");
        rejected.Where(r => r.Status == ColumnRecourseStatus.Found).SelectMany(r => r.Options).SelectMany(o => o.Changes).Select(c => c.Column)
            .Should().NotContain(["Note", "Age"], "the free text and the age are immutable");

        // One answer through a PredictionEngine, as an application would use the model.
        var found = results.Select((r, i) => (Result: r, Row: setup.Rows[i])).First(p => p.Result.Status == ColumnRecourseStatus.Found);
        var engine = setup.Ml.Model.CreatePredictionEngine<ApplicantInput, Prediction>(setup.Model);
        var prediction = engine.Predict(RoundTrip(setup, Apply(setup, found.Row, found.Result.Best!)));
        prediction.PredictedLabel.Should().BeTrue();
        ((double)prediction.Probability).Should().BeApproximately(found.Result.Best!.ScoreAfter, 1e-6);
    }

    // The free text is immutable, so the exact program may still answer (the text only sets the row's own features);
    // with exact methods off the search answers. Either way the loaded model accepts every option.
    [Theory]
    [InlineData(true, "linear-mip")]
    [InlineData(false, "search")]
    public void ExplainModel_SavedAndLoadedFeaturizeTextPipeline_TheLoadedModelAcceptsEveryOption(bool useExactMethods, string method)
    {
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(Applicants(600, seed: 3));
        string path = Path.Combine(Path.GetTempPath(), $"recourse-text-{Guid.NewGuid():N}.zip");
        ml.Model.Save(TextPipeline(ml, data), ml.Data.LoadFromEnumerable(Array.Empty<ApplicantInput>()).Schema, path);
        var other = new MLContext(seed: 2);
        var loaded = other.Model.Load(path, out _);
        File.Delete(path);

        var recourse = other.Recourse().ExplainModel(loaded, new ColumnRecourseEstimator.Options
        {
            Actions = Actions, OptionCount = 2, UseExactMethods = useExactMethods,
        }).Fit(data);
        var people = ml.Data.LoadFromEnumerable(Applicants(60, seed: 4));
        var results = recourse.ExplainAll(people);

        recourse.Method.Should().Be(method, recourse.WhyNotExact);
        var rows = RawRows.Read(people, recourse.Space.RawColumns);
        int checkedOptions = 0;
        for (int r = 0; r < rows.Count; r++)
            foreach (var option in results[r].Options)
            {
                var changed = (object?[])rows[r].Clone();
                foreach (var change in option.Changes) changed[recourse.Space.Find(change.Column)!.Index] = change.To;
                recourse.Space.Allows(rows[r], changed, out string reason).Should().BeTrue(reason);
                ColumnRecourseTests.Accepted(loaded, recourse.Space, changed).Should().BeTrue($"row {r}: {option}");
                checkedOptions++;
            }
        checkedOptions.Should().BeGreaterThan(10);
    }

    [Theory]
    [InlineData("FastTree")]
    [InlineData("LightGbm")]
    public void Search_TreeEnsemblePipeline_ReportsOnlyOptionsTheModelAccepts_WithinTheActionSet(string trainer)
    {
        var setup = Train((ml, data) => TreePipeline(ml, data, trainer));

        var results = setup.Search().Search(setup.Rows, optionCount: 2);

        var rejected = CheckAnswers(setup, results, optionCount: 2);
        rejected.Should().HaveCountGreaterThan(20);
        rejected.Count(r => r.Status == ColumnRecourseStatus.Found).Should().BeGreaterThan(rejected.Count * 8 / 10);
    }

    [Fact]
    public void Search_WhenNothingMayChange_IsInfeasibleForRejectedRows_AndAcceptedRowsStayAccepted()
    {
        var setup = Train(TextPipeline, new ColumnActionSet(ColumnDefault.Immutable));

        var results = setup.Search().Search(setup.Rows, optionCount: 1);

        var rejected = CheckAnswers(setup, results, optionCount: 1);
        rejected.Should().NotBeEmpty().And.OnlyContain(r => r.Status == ColumnRecourseStatus.Infeasible);
        results.Should().Contain(r => r.Status == ColumnRecourseStatus.Accepted);
        rejected[0].Message.Should().Contain("no mutable column");
    }

    [Fact]
    public void Search_SameSeed_GivesTheSameAnswers_AloneOrInBatchesOfAnySizeOnAnyNumberOfThreads()
    {
        var setup = Train((ml, data) => TreePipeline(ml, data, "FastTree"));
        var rows = setup.Rows.Take(60).ToList();
        static string Text(IEnumerable<ColumnRecourseResult> results)
            => string.Join("\n", results.Select(r => $"{r.Status} {string.Join(" | ", r.Options.Select(o => $"{o} ({o.Cost:R}, {o.ScoreAfter:R})"))}"));

        string serial = Text(setup.Search(new BlackBoxSearchOptions { NumberOfThreads = 1, MaximumChangedColumns = 3 }).Search(rows, optionCount: 3));
        string parallel = Text(setup.Search(new BlackBoxSearchOptions { NumberOfThreads = 2, BatchSize = 37, MaximumChangedColumns = 3 }).Search(rows, optionCount: 3));
        var search = setup.Search(new BlackBoxSearchOptions { MaximumChangedColumns = 3 });
        string alone = Text(rows.Select(r => search.Search(r, optionCount: 3)));

        parallel.Should().Be(serial);
        alone.Should().Be(serial);
        serial.Should().Contain("Found");
    }

    [Fact]
    public void Search_SpendsNoMoreModelEvaluationsThanItsBudget()
    {
        var setup = Train(TextPipeline);
        var rejected = setup.Rows.Where((_, i) => !setup.Decision.Decide([setup.Rows[i]])[0].Accepted).Take(10).ToList();
        var search = setup.Search(new BlackBoxSearchOptions { MaximumEvaluations = 7 });

        foreach (var row in rejected)
        {
            long start = setup.Decision.Evaluations;
            var result = search.Search(row, optionCount: 2);
            // The budget counts candidates; the person's own row and the final check of the options come on top.
            (setup.Decision.Evaluations - start).Should().BeLessThanOrEqualTo(1 + 7 + result.Options.Count);
            result.Status.Should().BeOneOf(ColumnRecourseStatus.Found, ColumnRecourseStatus.NotFound);
        }
    }

    // A tiny problem whose candidate grid is every allowed value: three whole-number columns with a few values each.
    public sealed class Small
    {
        public float A { get; set; }
        public float B { get; set; }
        public float C { get; set; }
        public bool Label { get; set; }
    }

    public sealed class SmallInput
    {
        public float A { get; set; }
        public float B { get; set; }
        public float C { get; set; }
    }

    // The check against brute force over every allowed combination: Found exactly when brute force finds an accepted row
    // and Infeasible (proved) exactly when it finds none; the best option never costs more than the cheapest accepted
    // single change (single changes are scored exhaustively); and its cost is at most twice the optimum, within 10 % on
    // average (a heuristic's bound, not optimality).
    [Fact]
    public void Search_OnAGridOfEveryAllowedValue_StaysCloseToBruteForce_AndNoSingleChangeIsCheaper()
    {
        var ml = new MLContext(seed: 1);
        var random = new Random(7);
        var rows = Enumerable.Range(0, 400).Select(_ =>
        {
            var s = new Small { A = random.Next(0, 6), B = random.Next(0, 6), C = random.Next(0, 5) };
            s.Label = (s.A >= 3 && s.B >= 3) || s.C >= 4;
            return s;
        }).ToList();
        var data = ml.Data.LoadFromEnumerable(rows);
        var model = ml.Transforms.Concatenate("Features", "A", "B", "C")
            .Append(ml.BinaryClassification.Trainers.FastTree(numberOfLeaves: 6, numberOfTrees: 30, minimumExampleCountPerLeaf: 3)).Fit(data);
        var inputSchema = ml.Data.LoadFromEnumerable(Array.Empty<SmallInput>()).Schema;
        var decision = new ModelDecision(model, inputSchema);
        // B moves at most one standard deviation (about 1.7) and C only down, so some people cannot reach B ≥ 3.
        var actions = new ColumnActionSet(ColumnDefault.Free, new Dictionary<string, ColumnAction>
        {
            ["A"] = new() { Direction = ColumnDirection.Increase },
            ["B"] = new() { MaximumChange = 1 },
            ["C"] = new() { Direction = ColumnDirection.Decrease },
        });
        var space = ColumnActionSpace.Bind(actions, inputSchema, data, ColumnCostFunction.ScaledL1);
        var people = RawRows.Read(data, decision.RawColumns).Take(120).ToList();
        var search = new BlackBoxRecourseSearch(decision, space, new BlackBoxSearchOptions(), seed: 1, log: null);

        var results = search.Search(people, optionCount: 3);

        var ratios = new List<double>();
        for (int r = 0; r < people.Count; r++)
        {
            var person = people[r];
            if (results[r].Status == ColumnRecourseStatus.Accepted) continue;
            // Brute force: every allowed value of every column, all combinations (at most 3 changes, the default).
            var grid = new List<object?[]> { person };
            foreach (var column in space.Columns.Cast<NumericColumnSpace>())
            {
                var (low, high) = column.Range(RawRows.ToDouble(person[column.Index]!));
                grid = grid.SelectMany(g => Enumerable.Range((int)Math.Ceiling(low), (int)Math.Floor(high) - (int)Math.Ceiling(low) + 1).Select(v =>
                {
                    var row = (object?[])g.Clone();
                    row[column.Index] = (float)v;
                    return row;
                })).ToList();
            }
            var decided = decision.Decide(grid);
            var accepted = grid.Where((_, i) => decided[i].Accepted)
                .Select(g => (Cost: space.Cost(person, g), Changes: space.Columns.Count(c => !c.Same(person[c.Index]!, g[c.Index]!)))).ToList();
            if (accepted.Count == 0)
            {
                results[r].Status.Should().Be(ColumnRecourseStatus.Infeasible, "every allowed change was scored and the model rejects them all");
                continue;
            }
            results[r].Status.Should().Be(ColumnRecourseStatus.Found);
            double best = results[r].Best!.Cost;
            var singles = accepted.Where(a => a.Changes == 1).ToList();
            if (singles.Count > 0)
                best.Should().BeLessThanOrEqualTo(singles.Min(a => a.Cost) + 1e-12, "every single change of the grid is scored");
            var oneColumn = results[r].Options.Where(o => o.Changes.Count == 1).ToList();
            if (oneColumn.Count > 0)
                oneColumn.Min(o => o.Cost).Should().BeLessThanOrEqualTo(singles.Min(a => a.Cost) + 1e-12);
            ratios.Add(best / accepted.Min(a => a.Cost));
        }
        ratios.Should().HaveCountGreaterThan(20);
        ratios.Should().OnlyContain(q => q >= 1 - 1e-12 && q <= 2, "on a complete grid no answer beats brute force, and none costs twice its optimum");
        ratios.Average().Should().BeLessThan(1.1);
        results.Should().Contain(r => r.Status == ColumnRecourseStatus.Infeasible).And.Contain(r => r.Best != null && r.Best.Changes.Count == 2,
            "the grid has people no allowed change helps and people who need both A and B to move");
    }

    [Theory]
    [InlineData(nameof(BlackBoxSearchOptions.MaximumEvaluations))]
    [InlineData(nameof(BlackBoxSearchOptions.BatchSize))]
    [InlineData(nameof(BlackBoxSearchOptions.MaximumChangedColumns))]
    [InlineData(nameof(BlackBoxSearchOptions.ValuesPerColumn))]
    [InlineData(nameof(BlackBoxSearchOptions.NumberOfThreads))]
    public void Options_OutOfRange_ThrowNamingTheProperty(string property)
    {
        var setup = Train(TextPipeline, rows: 200);
        var options = property switch
        {
            nameof(BlackBoxSearchOptions.MaximumEvaluations) => new BlackBoxSearchOptions { MaximumEvaluations = 0 },
            nameof(BlackBoxSearchOptions.BatchSize) => new BlackBoxSearchOptions { BatchSize = 0 },
            nameof(BlackBoxSearchOptions.MaximumChangedColumns) => new BlackBoxSearchOptions { MaximumChangedColumns = 0 },
            nameof(BlackBoxSearchOptions.ValuesPerColumn) => new BlackBoxSearchOptions { ValuesPerColumn = 0 },
            _ => new BlackBoxSearchOptions { NumberOfThreads = 0 },
        };

        FluentActions.Invoking(() => setup.Search(options)).Should().Throw<ArgumentOutOfRangeException>().Which.ParamName.Should().Be(property);
        FluentActions.Invoking(() => setup.Search().Search(setup.Rows[0], optionCount: 0)).Should().Throw<ArgumentOutOfRangeException>()
            .Which.ParamName.Should().Be("optionCount");
    }

    [Fact]
    public void Search_RowOfTheWrongLengthOrTypes_ThrowsNamingTheRowAndColumn()
    {
        var setup = Train(TextPipeline, rows: 200);
        var search = setup.Search();
        var wrongType = (object?[])setup.Rows[0].Clone();
        int income = setup.Space.Find("Income")!.Index;
        wrongType[income] = 50.0;

        FluentActions.Invoking(() => search.Search(setup.Rows[0][1..], optionCount: 1)).Should().Throw<ArgumentOutOfRangeException>()
            .Where(e => e.ParamName == "rows" && e.Message.Contains("Row 0 must hold one value for each"));
        FluentActions.Invoking(() => search.Search([setup.Rows[1], wrongType], optionCount: 1)).Should().Throw<ArgumentOutOfRangeException>()
            .Where(e => e.ParamName == "rows" && e.Message.Contains("Row 1: column 'Income' is Single, the row holds Double"));
    }
}
