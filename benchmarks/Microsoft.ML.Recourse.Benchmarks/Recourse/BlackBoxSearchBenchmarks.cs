using BenchmarkDotNet.Attributes;
using Microsoft.ML.Data;
using Microsoft.ML.Recourse.Actions;
using Microsoft.ML.Recourse.Models.MlNet;

namespace Microsoft.ML.Recourse.Benchmarks.Recourse;

/// <summary>
/// The black-box search on a pipeline the library cannot compile: FeaturizeText over an immutable free-text note,
/// one-hot job, numeric income, debt, years and a Boolean, L-BFGS logistic regression, trained on 4,000 synthetic
/// applicants. Searched: the first 400 rejected ones among fresh applicants, three options each, default options, all
/// cores. Reported per rejected row (OperationsPerInvoke = 400); the goal is ≤ 20 ms per row.
/// </summary>
[MemoryDiagnoser]
public class BlackBoxSearchBenchmarks
{
    private const int TrainingRows = 4_000, Rejected = 400;

    private BlackBoxRecourseSearch _search = null!;
    private List<object?[]> _rejected = null!;

    public sealed class Applicant
    {
        public float Income { get; set; }
        public float Debt { get; set; }
        public int Years { get; set; }
        public string Job { get; set; } = "";
        public string Note { get; set; } = "";
        public bool Owner { get; set; }
        public bool Label { get; set; }
    }

    [GlobalSetup]
    public void Setup()
    {
        var ml = new MLContext(seed: 1);
        var training = ml.Data.LoadFromEnumerable(Applicants(TrainingRows, seed: 1));
        var model = ml.Transforms.Text.FeaturizeText("NoteFeatures", "Note")
            .Append(ml.Transforms.Categorical.OneHotEncoding("JobFeatures", "Job"))
            .Append(ml.Transforms.Conversion.ConvertType("YearsFeature", "Years", DataKind.Single))
            .Append(ml.Transforms.Conversion.ConvertType("OwnerFeature", "Owner", DataKind.Single))
            .Append(ml.Transforms.Concatenate("Features", "Income", "Debt", "YearsFeature", "OwnerFeature", "JobFeatures", "NoteFeatures"))
            .Append(ml.Transforms.NormalizeMinMax("Features"))
            .Append(ml.BinaryClassification.Trainers.LbfgsLogisticRegression())
            .Fit(training);
        var inputSchema = ml.Transforms.DropColumns("Label").Fit(training).GetOutputSchema(training.Schema);
        var decision = new ModelDecision(model, inputSchema);
        var actions = new ColumnActionSet(ColumnDefault.Free, new Dictionary<string, ColumnAction>
        {
            ["Note"] = new() { Mutable = false },
            ["Debt"] = new() { Direction = ColumnDirection.Decrease },
            ["Years"] = new() { Direction = ColumnDirection.Increase, Upper = 40 },
        }, maximumChange: 2);
        var space = ColumnActionSpace.Bind(actions, inputSchema, training, ColumnCostFunction.ScaledL1);
        var people = RawRows.Read(ml.Data.LoadFromEnumerable(Applicants(4 * Rejected, seed: 2)), decision.RawColumns);
        var before = decision.Decide(people);
        _rejected = people.Where((_, i) => !before[i].Accepted).Take(Rejected).ToList();
        if (_rejected.Count < Rejected) throw new InvalidOperationException($"Only {_rejected.Count} of {people.Count} applicants are rejected.");
        _search = new BlackBoxRecourseSearch(decision, space, new BlackBoxSearchOptions(), seed: 1, log: Console.WriteLine);
    }

    [Benchmark(OperationsPerInvoke = Rejected, Description = "Black-box search, FeaturizeText + L-BFGS, 3 options, per rejected row")]
    public IReadOnlyList<ColumnRecourseResult> Search() => _search.Search(_rejected, optionCount: 3);

    private static readonly string[] Jobs = ["clerk", "nurse", "driver", "engineer", "teacher", "cook"];
    private static readonly string[] Phrases = ["late payment last year", "steady employer", "new customer", "long credit history",
        "moved house recently", "no remarks", "asked for a higher limit", "pays in full every month"];

    private static IEnumerable<Applicant> Applicants(int count, int seed)
    {
        var random = new Random(seed);
        for (int i = 0; i < count; i++)
        {
            var a = new Applicant
            {
                Income = (float)Math.Round(20 + 80 * random.NextDouble(), 1),
                Debt = (float)Math.Round(40 * random.NextDouble(), 1),
                Years = random.Next(0, 31),
                Job = Jobs[random.Next(Jobs.Length)],
                Note = Phrases[random.Next(Phrases.Length)] + ", " + Phrases[random.Next(Phrases.Length)],
                Owner = random.NextDouble() < 0.4,
            };
            double logit = 0.07 * (a.Income - 65) - 0.08 * (a.Debt - 20) + 0.08 * (a.Years - 12) + (a.Job == "engineer" ? 1.2 : a.Job == "driver" ? -0.6 : 0)
                + (a.Owner ? 0.8 : 0) - (a.Note.Contains("late", StringComparison.Ordinal) ? 1.2 : 0) + 0.5 * (random.NextDouble() - 0.5);
            a.Label = logit > 0;
            yield return a;
        }
    }
}
