using System.Globalization;
using FluentAssertions;
using Microsoft.ML.Data;
using Microsoft.ML.Recourse.Actions;
using Microsoft.ML.Recourse.Tests.TestFramework;

namespace Microsoft.ML.Recourse.Tests.Recourse;

// Recourse for a Model Builder-shaped pipeline on its raw columns: missing values, string categoricals one-hot encoded,
// a normaliser and an ML.NET linear trainer. Every option is applied to the raw row and re-scored by the ML.NET model.
public class ColumnRecourseTests
{
    public sealed class Applicant
    {
        public float Age { get; set; }
        public float Hours { get; set; }
        public float Income { get; set; }
        public string Education { get; set; } = "";
        public string Sex { get; set; } = "";
        public bool Label { get; set; }
    }

    internal static readonly string[] Levels = ["HS-grad", "Some-college", "Bachelors", "Masters"];

    internal static List<Applicant> Applicants(int count, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, count).Select(i =>
        {
            int level = random.Next(Levels.Length);
            float hours = random.Next(10, 60), age = random.Next(20, 70);
            float income = i % 17 == 3 ? float.NaN : (float)Math.Round(20 + 60 * random.NextDouble(), 1);
            double logit = 0.09 * (hours - 38) + 0.8 * (level - 1.5) + 0.04 * ((float.IsNaN(income) ? 50 : income) - 50) + 0.7 * ToyData.Gaussian(random);
            return new Applicant
            {
                Age = age, Hours = hours, Income = income, Education = Levels[level], Sex = random.Next(2) == 0 ? "F" : "M", Label = logit > 0,
            };
        }).ToList();
    }

    internal static ColumnActionSet Actions => ColumnActionSet.FromJson("""
        { "default": "free",
          "columns": {
            "Age": { "direction": "increase", "upper": 90, "integer": true },
            "Sex": { "mutable": false },
            "Hours": { "lower": 1, "upper": 70 },
            "Education": { "categories": ["HS-grad", "Some-college", "Bachelors", "Masters"], "direction": "increase" } } }
        """);

    internal static IEstimator<ITransformer> ModelBuilderPipeline(MLContext ml, IEstimator<ITransformer> trainer)
        => ml.Transforms.ReplaceMissingValues("Income", "Income")
            .Append(ml.Transforms.Categorical.OneHotEncoding([new InputOutputColumnPair("Education", "Education"), new InputOutputColumnPair("Sex", "Sex")]))
            .Append(ml.Transforms.Concatenate("Features", "Age", "Hours", "Income", "Education", "Sex"))
            .Append(ml.Transforms.NormalizeMinMax("Features"))
            .Append(trainer);

    // Trees need no normaliser (Model Builder adds none in front of them): the columns reach them as copies and indicators.
    internal static IEstimator<ITransformer> TreePipeline(MLContext ml, IEstimator<ITransformer> trainer)
        => ml.Transforms.ReplaceMissingValues("Income", "Income")
            .Append(ml.Transforms.Categorical.OneHotEncoding([new InputOutputColumnPair("Education", "Education"), new InputOutputColumnPair("Sex", "Sex")]))
            .Append(ml.Transforms.Concatenate("Features", "Age", "Hours", "Income", "Education", "Sex"))
            .Append(trainer);

    private static (MLContext Ml, IDataView Train, IDataView Test, ITransformer Model) Fitted(int seed = 3, string trainer = "lbfgs")
    {
        var ml = new MLContext(seed: seed);
        var train = ml.Data.LoadFromEnumerable(Applicants(600, seed));
        var test = ml.Data.LoadFromEnumerable(Applicants(150, seed + 100));
        var model = trainer switch
        {
            "fasttree" => TreePipeline(ml, ml.BinaryClassification.Trainers.FastTree(numberOfTrees: 20, numberOfLeaves: 8)).Fit(train),
            "lightgbm" => TreePipeline(ml, ml.BinaryClassification.Trainers.LightGbm(numberOfIterations: 20)).Fit(train),
            "fastforest" => TreePipeline(ml, ml.BinaryClassification.Trainers.FastForest(numberOfTrees: 10, numberOfLeaves: 8)).Fit(train),
            _ => ModelBuilderPipeline(ml, ml.BinaryClassification.Trainers.LbfgsLogisticRegression()).Fit(train),
        };
        return (ml, train, test, model);
    }

    [Theory]
    [InlineData("lbfgs", "linear-mip")]
    [InlineData("fasttree", "trees-cp-sat")]
    [InlineData("lightgbm", "trees-cp-sat")]
    [InlineData("fastforest", "trees-cp-sat")]
    public void Pipeline_is_solved_exactly_and_every_option_is_accepted_by_the_model(string trainer, string method)
    {
        var (ml, train, test, model) = Fitted(trainer: trainer);
        var recourse = ml.Recourse().ExplainModel(model, Actions, optionCount: 3).Fit(train);
        recourse.Method.Should().Be(method, recourse.WhyNotExact);

        var rows = RawRows.Read(test, recourse.Space.RawColumns);
        var results = recourse.ExplainAll(test);
        results.Should().HaveCount(rows.Count);
        results.Count(r => r.Status == ColumnRecourseStatus.Found).Should().BeGreaterThan(10);
        int checkedOptions = 0;
        for (int r = 0; r < rows.Count; r++)
        {
            var result = results[r];
            if (result.Status != ColumnRecourseStatus.Found) continue;
            result.IsOptimal.Should().BeTrue();
            result.Options.Select(o => o.Cost).Should().BeInAscendingOrder();
            foreach (var option in result.Options)
            {
                var changed = Apply(rows[r], recourse.Space, option);
                recourse.Space.Allows(rows[r], changed, out string reason).Should().BeTrue(reason);
                recourse.Space.Cost(rows[r], changed).Should().BeApproximately(option.Cost, 1e-9);
                Accepted(model, recourse.Space, changed).Should().BeTrue($"row {r}: {option}");
                // Through text and back, as a JSON reader would see the values.
                Accepted(model, recourse.Space, RoundTrip(recourse.Space, changed)).Should().BeTrue($"row {r} after a text round trip: {option}");
                checkedOptions++;
            }
            // Options change distinct column sets, none a superset of an earlier one.
            var sets = result.Options.Select(o => o.Changes.Select(c => c.Column).ToHashSet()).ToList();
            for (int a = 0; a < sets.Count; a++)
                for (int b = a + 1; b < sets.Count; b++)
                    sets[b].IsSupersetOf(sets[a]).Should().BeFalse();
        }
        checkedOptions.Should().BeGreaterThan(20);
    }

    // The Model Builder path: the pipeline saved as a zip, loaded by another context, explained and checked by the loaded
    // model; the answers are those of the model before saving.
    [Theory]
    [InlineData("lbfgs", "linear-mip")]
    [InlineData("fasttree", "trees-cp-sat")]
    [InlineData("lightgbm", "trees-cp-sat")]
    public void Saved_and_loaded_pipeline_gets_the_same_answers_and_the_loaded_model_accepts_them(string trainer, string method)
    {
        var (ml, train, test, model) = Fitted(trainer: trainer);
        string path = Path.Combine(Path.GetTempPath(), $"recourse-saved-{Guid.NewGuid():N}.zip");
        ml.Model.Save(model, train.Schema, path);
        var other = new MLContext(seed: 11);
        var loaded = other.Model.Load(path, out var inputSchema);
        File.Delete(path);
        inputSchema.Select(c => c.Name).Should().Contain(["Age", "Hours", "Income", "Education", "Sex"]);

        var fromLoaded = other.Recourse().ExplainModel(loaded, Actions, optionCount: 2).Fit(train);
        var fromMemory = ml.Recourse().ExplainModel(model, Actions, optionCount: 2).Fit(train);
        fromLoaded.Method.Should().Be(method, fromLoaded.WhyNotExact);

        var rows = RawRows.Read(test, fromLoaded.Space.RawColumns);
        var loadedResults = fromLoaded.ExplainAll(test);
        var memoryResults = fromMemory.ExplainAll(test);
        loadedResults.Select(r => r.Status).Should().Equal(memoryResults.Select(r => r.Status));
        int checkedOptions = 0;
        for (int r = 0; r < rows.Count; r++)
        {
            if (loadedResults[r].Status != ColumnRecourseStatus.Found) continue;
            loadedResults[r].Best!.Cost.Should().BeApproximately(memoryResults[r].Best!.Cost, 1e-9, $"row {r}");
            foreach (var option in loadedResults[r].Options)
            {
                var changed = Apply(rows[r], fromLoaded.Space, option);
                fromLoaded.Space.Allows(rows[r], changed, out string reason).Should().BeTrue(reason);
                Accepted(loaded, fromLoaded.Space, RoundTrip(fromLoaded.Space, changed)).Should().BeTrue($"row {r}: {option}");
                checkedOptions++;
            }
        }
        checkedOptions.Should().BeGreaterThan(20);
    }

    [Theory]
    [InlineData("lbfgs", ColumnCostFunction.ScaledL1)]
    [InlineData("lbfgs", ColumnCostFunction.ChangedColumns)]
    [InlineData("lbfgs", ColumnCostFunction.PercentileShift)]
    [InlineData("fasttree", ColumnCostFunction.ScaledL1)]
    [InlineData("fasttree", ColumnCostFunction.ChangedColumns)]
    [InlineData("lightgbm", ColumnCostFunction.ScaledL1)]
    public void Exact_cost_is_no_more_than_brute_force_over_every_allowed_value(string trainer, ColumnCostFunction cost)
    {
        var (ml, train, test, model) = Fitted(seed: 5, trainer: trainer);
        // Income immutable so that every mutable column is whole-numbered or categorical and brute force is exhaustive.
        var actions = Actions.With("Income", new ColumnAction { Mutable = false }).With("Age", new ColumnAction { Mutable = false });
        var recourse = ml.Recourse().ExplainModel(model, actions, cost).Fit(train);
        recourse.WhyNotExact.Should().BeNull();
        var rows = RawRows.Read(test, recourse.Space.RawColumns);
        var results = recourse.ExplainAll(test);
        var space = recourse.Space;
        var hours = (NumericColumnSpace)space.Find("Hours")!;
        var education = (CategoricalColumnSpace)space.Find("Education")!;
        int compared = 0;
        for (int r = 0; r < rows.Count && compared < 25; r++)
        {
            if (results[r].Status is ColumnRecourseStatus.Accepted) continue;
            var row = rows[r];
            var (low, high) = hours.Range((float)row[hours.Index]!);
            var candidates = new List<object?[]>();
            foreach (var level in education.Targets((string)row[education.Index]!).Append((string)row[education.Index]!))
                for (double h = Math.Ceiling(low); h <= high; h++)
                {
                    var c = (object?[])row.Clone();
                    c[hours.Index] = (float)h;
                    c[education.Index] = level;
                    candidates.Add(c);
                }
            var accepted = Decide(model, space, candidates);
            var best = candidates.Where((_, k) => accepted[k]).Select(c => space.Cost(row, c)).DefaultIfEmpty(double.PositiveInfinity).Min();
            if (double.IsPositiveInfinity(best))
            {
                results[r].Status.Should().Be(ColumnRecourseStatus.Infeasible, $"row {r}: brute force finds no change");
            }
            else
            {
                results[r].Status.Should().Be(ColumnRecourseStatus.Found, $"row {r}: brute force finds a change of cost {best}");
                results[r].Best!.Cost.Should().BeLessThanOrEqualTo(best + 1e-9, $"row {r}");
            }
            compared++;
        }
        compared.Should().BeGreaterThan(10);
    }

    [Fact]
    public void Transform_attaches_recourse_columns_that_work_with_CreateEnumerable_and_PredictionEngine()
    {
        var (ml, train, test, model) = Fitted();
        var recourse = ml.Recourse().ExplainModel(model, Actions).Fit(train);
        var output = recourse.Transform(test);
        output.Schema[DefaultColumnNames.RecourseStatus].Type.Should().Be(TextDataViewType.Instance);
        output.Schema["Recourse.Education"].Type.Should().Be(TextDataViewType.Instance);
        output.Schema["Recourse.Hours"].Type.Should().Be(NumberDataViewType.Single);
        recourse.GetOutputSchema(test.Schema).Select(c => c.Name).Should().Equal(output.Schema.Select(c => c.Name));

        var rows = ml.Data.CreateEnumerable<Explained>(output, reuseRowObject: false).ToList();
        var results = recourse.ExplainAll(test);
        rows.Should().HaveCount(results.Count);
        for (int r = 0; r < rows.Count; r++)
        {
            rows[r].RecourseStatus.Should().Be(results[r].Status.ToString());
            if (results[r].Best is { } best)
            {
                rows[r].RecourseChanges.Should().Be(string.Join("; ", best.Changes));
                rows[r].RecourseCost.Should().BeApproximately((float)best.Cost, 1e-4f);
            }
        }
        var found = rows.First(r => r.RecourseStatus == "Found");
        var changedRow = new Applicant { Age = found.RecourseAge, Hours = found.RecourseHours, Income = found.RecourseIncome, Education = found.RecourseEducation, Sex = found.Sex };
        ml.Model.CreatePredictionEngine<Applicant, Prediction>(model).Predict(changedRow).PredictedLabel.Should().BeTrue();

        var engine = ml.Model.CreatePredictionEngine<Applicant, Explained>(recourse);
        var one = engine.Predict(new Applicant { Age = found.Age, Hours = found.Hours, Income = found.Income, Education = found.Education, Sex = found.Sex });
        one.RecourseStatus.Should().Be("Found");
        one.RecourseChanges.Should().Be(found.RecourseChanges);
    }

    [Fact]
    public void Bad_inputs_name_the_column()
    {
        var (ml, train, test, model) = Fitted();
        var unknown = ColumnActionSet.FromJson("""{ "columns": { "Salary": { "direction": "increase" } } }""");
        var act = () => ml.Recourse().ExplainModel(model, unknown).Fit(train);
        act.Should().Throw<ArgumentOutOfRangeException>().WithMessage("*'Salary'*not an input column*");

        var numericCategories = ColumnActionSet.FromJson("""{ "columns": { "Hours": { "categories": ["a"] } } }""");
        act = () => ml.Recourse().ExplainModel(model, numericCategories).Fit(train);
        act.Should().Throw<ArgumentOutOfRangeException>().WithMessage("*'Hours' is numeric*");

        var recourse = ml.Recourse().ExplainModel(model, Actions).Fit(train);
        var missing = ml.Transforms.DropColumns("Education").Fit(test).Transform(test);
        var transform = () => recourse.Transform(missing);
        transform.Should().Throw<ArgumentOutOfRangeException>().WithMessage("*Education*");

        var options = () => ml.Recourse().ExplainModel(model, Actions, optionCount: 0);
        options.Should().Throw<ArgumentOutOfRangeException>().WithMessage("*OptionCount*");
    }

    [Fact]
    public void Accepted_rows_need_nothing_and_immutable_everything_is_infeasible()
    {
        var (ml, train, test, model) = Fitted();
        var frozen = new ColumnActionSet(ColumnDefault.Immutable);
        var recourse = ml.Recourse().ExplainModel(model, frozen).Fit(train);
        var results = recourse.ExplainAll(test);
        results.Should().Contain(r => r.Status == ColumnRecourseStatus.Accepted);
        results.Where(r => r.Status != ColumnRecourseStatus.Accepted).Should().OnlyContain(r => r.Status == ColumnRecourseStatus.Infeasible && r.Options.Count == 0);
        results.Where(r => r.Status == ColumnRecourseStatus.Accepted).Should().OnlyContain(r => r.Options.Count == 0);
    }

    // Where no exact method applies (here: the search asked for, and a pipeline with an interaction of two columns),
    // the search answers, says why, and every answer is still accepted by the model.
    [Fact]
    public void Without_an_exact_method_the_search_answers_and_says_why()
    {
        var (ml, train, test, model) = Fitted();
        var searched = ml.Recourse().ExplainModel(model, new ColumnRecourseEstimator.Options { Actions = Actions, UseExactMethods = false }).Fit(train);
        searched.Method.Should().Be("search");
        searched.WhyNotExact.Should().Be("exact methods were turned off");

        var interacting = ml.Transforms.CustomMapping<Applicant, Product>((a, p) => p.HoursTimesIncome = a.Hours * (float.IsNaN(a.Income) ? 50 : a.Income), "HoursTimesIncome")
            .Append(ml.Transforms.Concatenate("Features", "Hours", "Income", "HoursTimesIncome"))
            .Append(ml.BinaryClassification.Trainers.LbfgsLogisticRegression()).Fit(train);
        var recourse = ml.Recourse().ExplainModel(interacting, Actions).Fit(train);
        recourse.Method.Should().Be("search");
        recourse.WhyNotExact.Should().Contain("depends on both 'Hours' and 'Income'");

        foreach (var (fitted, scored) in new[] { (searched, model), (recourse, interacting) })
        {
            var rows = RawRows.Read(test, fitted.Space.RawColumns);
            var results = fitted.ExplainAll(test);
            results.Should().Contain(r => r.Status == ColumnRecourseStatus.Found);
            for (int r = 0; r < rows.Count; r++)
            {
                if (results[r].Best is not { } best) continue;
                results[r].IsOptimal.Should().BeFalse("a search proves nothing");
                var changed = Apply(rows[r], fitted.Space, best);
                fitted.Space.Allows(rows[r], changed, out string reason).Should().BeTrue(reason);
                Accepted(scored, fitted.Space, changed).Should().BeTrue(best.ToString());
            }
        }
    }

    public sealed class Product
    {
        public float HoursTimesIncome { get; set; }
    }

    public sealed class Prediction
    {
        public bool PredictedLabel { get; set; }
    }

    public sealed class Explained
    {
        public float Age { get; set; }
        public float Hours { get; set; }
        public float Income { get; set; }
        public string Education { get; set; } = "";
        public string Sex { get; set; } = "";
        public string RecourseStatus { get; set; } = "";
        public string RecourseChanges { get; set; } = "";
        public float RecourseCost { get; set; }
        [ColumnName("Recourse.Age")] public float RecourseAge { get; set; }
        [ColumnName("Recourse.Hours")] public float RecourseHours { get; set; }
        [ColumnName("Recourse.Income")] public float RecourseIncome { get; set; }
        [ColumnName("Recourse.Education")] public string RecourseEducation { get; set; } = "";
    }

    internal static object?[] Apply(object?[] row, ColumnActionSpace space, ColumnRecourseOption option)
    {
        var changed = (object?[])row.Clone();
        foreach (var change in option.Changes)
        {
            var column = space.Find(change.Column)!;
            RawRows.SameValue(row[column.Index], change.From).Should().BeTrue();
            changed[column.Index] = change.To;
        }
        return changed;
    }

    // Every value written as text and parsed back as its column's type.
    internal static object?[] RoundTrip(ColumnActionSpace space, object?[] row)
    {
        var copy = (object?[])row.Clone();
        for (int i = 0; i < copy.Length; i++)
        {
            var type = space.RawColumns[i].Type;
            string text = RawRows.Format(copy[i]);
            copy[i] = copy[i] switch
            {
                float => text.Length == 0 ? float.NaN : float.Parse(text, CultureInfo.InvariantCulture),
                double => double.Parse(text, CultureInfo.InvariantCulture),
                bool => bool.Parse(text),
                _ => copy[i],
            };
            if (type == NumberDataViewType.Single) copy[i].Should().BeOfType<float>();
        }
        return copy;
    }

    internal static bool Accepted(ITransformer model, ColumnActionSpace space, object?[] row) => Decide(model, space, [row])[0];

    internal static bool[] Decide(ITransformer model, ColumnActionSpace space, IReadOnlyList<object?[]> rows)
    {
        var scored = model.Transform(RawRows.ToView(space.RawColumns, rows));
        return scored.GetColumn<bool>(DefaultColumnNames.PredictedLabel).ToArray();
    }
}
