using Microsoft.ML;
using Microsoft.ML.Recourse.Actions;
using Microsoft.ML.Data;
using Microsoft.ML.Recourse.Models;
using Microsoft.ML.Recourse.Tests.TestFramework;

namespace Microsoft.ML.Recourse.Tests.Recourse;

public class LinearIntegerProgramGeneratorTests
{
    private static readonly FeatureInfo[] Features =
    [
        new("income", Actionability: FeatureActionability.Free),
        new("savings", Actionability: FeatureActionability.IncreaseOnly),
        new("debt", Actionability: FeatureActionability.Free),
        new("age"),
    ];

    private static readonly LogisticRegressionModelParameters Logistic = new([1.0, 0.5, -0.8, 0.3], -2);

    private const double Threshold = 0.5;

    private static LinearIntegerProgramGenerator Create(LinearIntegerProgramGenerator.Options? options = null)
        => new MLContext(seed: 1).Recourse().Generators.LinearIntegerProgram(options ?? new LinearIntegerProgramGenerator.Options());

    private static double[] NegativeRows(IScorer model, int count, int seed, double spread = 1)
    {
        var random = new Random(seed);
        var rows = new List<double>();
        while (rows.Count < count * model.FeatureCount)
        {
            var x = Enumerable.Range(0, model.FeatureCount).Select(_ => spread * (2 * random.NextDouble() - 1)).ToArray();
            if (model.Score(x) < Threshold) rows.AddRange(x);
        }
        return rows.ToArray();
    }

    private static double LinearLogit(double[] x, IReadOnlyList<double> delta)
        => Logistic.Bias + Enumerable.Range(0, x.Length).Sum(j => Logistic.Weights[j] * (x[j] + delta[j]));

    private static (double Primary, double Tie)? BruteForceForRow(ActionSet set, double[] x, IReadOnlyList<double> coefficients, double requiredGain,
        RecourseCostFunction cost = RecourseCostFunction.L1, PercentileTable? percentiles = null, int gridPoints = LinearIntegerProgramGenerator.Options.Defaults.GridPointsPerFeature)
    {
        var problem = ActionGridBuilder.Build(set.Compile(x), coefficients.ToArray(), requiredGain, new ActionGridCosts(set, cost, percentiles), gridPoints, 0);
        return LinearIntegerProgramKnapsackTests.BruteForce(problem, []);
    }

    [Fact]
    public void Generate_LogisticModel_ReturnsTheLeastCostGridActionAndItFlipsTheModel()
    {
        var set = ActionSet.FromFeatures(Features, 1.5);
        var rows = NegativeRows(Logistic, 40, seed: 3);
        var generator = Create(new() { GridPointsPerFeature = 7 });

        var results = generator.Generate(Logistic, Threshold, set, rows);

        generator.Name.Should().Be("linearIp");
        results.Should().HaveCount(40);
        int found = 0;
        for (int i = 0; i < results.Count; i++)
        {
            var x = rows.AsSpan(i * 4, 4).ToArray();
            var r = results[i];
            var expected = BruteForceForRow(set, x, Logistic.Weights, ScorerModelParameters.Logit(Threshold) - Logistic.ScoreLogit(x), gridPoints: 7);
            if (expected is null)
            {
                r.Status.Should().Be(RecourseStatus.Infeasible, $"row {i}");
                continue;
            }
            found++;
            r.Status.Should().Be(RecourseStatus.Found, $"row {i}");
            r.IsValid.Should().BeTrue($"the linear logit of logistic regression is exact (row {i})");
            set.Contains(x, r.Delta!.ToArray()).Should().BeTrue();
            r.Cost.Should().BeApproximately(expected.Value.Primary, 1e-9, $"row {i}");
            LinearLogit(x, r.Delta!).Should().BeGreaterThanOrEqualTo(0);
        }
        found.Should().BeGreaterThan(20);
    }

    [Fact]
    public void Generate_NoGridPointReachesTheTarget_ReturnsAnInfeasibilityCertificate()
    {
        var set = ActionSet.FromFeatures(Features, 0.1);
        double[] x = [-1, -1, 1, 0];

        var r = Create().Generate(Logistic, Threshold, set, x).Single();

        r.Status.Should().Be(RecourseStatus.Infeasible);
        r.Message.Should().StartWith("no action in Δ can flip this model (linear model, exact): best reachable score");
        r.Delta.Should().BeNull();
        r.IsValid.Should().BeFalse();
        r.Cost.Should().Be(double.NaN);
        r.ScoreBefore.Should().BeApproximately(Logistic.Score(x), 1e-12);
    }

    [Fact]
    public void GenerateFlipset_LogisticModel_ItemsAreDistinctSortedAndValid()
    {
        var set = ActionSet.FromFeatures([.. Features.Take(3), new FeatureInfo("hours", Actionability: FeatureActionability.Free)], 1.5);
        var model = new LogisticRegressionModelParameters([1.0, 0.5, -0.8, 0.6], -2);
        double[] x = [0.2, 0.1, 0.3, 0.1];

        var flipset = Create().GenerateFlipset(model, Threshold, set, x, count: 5);

        flipset.Status.Should().Be(RecourseStatus.Found);
        flipset.Items.Should().HaveCountGreaterThan(2);
        flipset.Items.Select(item => string.Join(",", item.ChangedFeatures.Order())).Should().OnlyHaveUniqueItems();
        for (int i = 1; i < flipset.Items.Count; i++)
            flipset.Items[i].Objective.Should().BeGreaterThanOrEqualTo(flipset.Items[i - 1].Objective - 1e-12, "items come by increasing cost");
        foreach (var item in flipset.Items)
        {
            item.Recourse.IsValid.Should().BeTrue();
            double logit = model.Bias + Enumerable.Range(0, 4).Sum(j => model.Weights[j] * (x[j] + item.Recourse.Delta![j]));
            logit.Should().BeGreaterThanOrEqualTo(0, "each item meets the linear score");
            item.Explanation!.Steps.Select(s => s.Target).Should().BeEquivalentTo(item.ChangedFeatures);
            item.Recourse.Cost.Should().BeApproximately(item.Objective, 1e-12);
        }
        var table = flipset.ToString();
        table.Should().StartWith("item  cost").And.Contain("current").And.Contain("required").And.Contain("income");
    }

    [Fact]
    public void GenerateFlipset_MoreItemsThanChangeSets_StopsWhenAllAreRecovered()
    {
        FeatureInfo[] features = [new("a", Actionability: FeatureActionability.Free), new("b", Actionability: FeatureActionability.Free)];
        var model = new LogisticRegressionModelParameters([1.0, 0.8], -1);

        var flipset = Create().GenerateFlipset(model, Threshold, ActionSet.FromFeatures(features, 2), [0, 0], count: 10);

        flipset.Items.Should().HaveCount(3, "two features have three non-empty change sets");
        flipset.IsExhausted.Should().BeTrue();
        flipset.Message.Should().StartWith("recovered all minimum-cost items");
    }

    [Fact]
    public void GenerateFlipset_NoActionReachesTheTarget_IsAnEmptyCertificate()
    {
        var flipset = Create().GenerateFlipset(Logistic, Threshold, ActionSet.FromFeatures(Features, 0.1), [-1, -1, 1, 0], count: 3);

        flipset.Items.Should().BeEmpty();
        flipset.Status.Should().Be(RecourseStatus.Infeasible);
        flipset.Message.Should().StartWith("no action in Δ can flip this model");
    }

    [Fact]
    public void LimeSurrogate_LogisticModel_RecoversItsDirectionAndLogit()
    {
        var set = ActionSet.FromFeatures(Features, 0.75);
        double[] x = [0.3, -0.2, 0.5, 1.0];

        var score = LocalLogisticSurrogate.Fit(Logistic, set.Compile(x), Threshold, 5000, kernelWidth: null, new RandomSource(7));

        // The model is logistic in the sampled coordinates, so the soft-label fit recovers w up to the tiny ridge.
        for (int j = 0; j < 3; j++) score.Coefficients[j].Should().BeApproximately(Logistic.Weights[j], 0.01);
        score.Coefficients[3].Should().Be(0, "the immutable feature is not sampled, so it has no coefficient");
        score.Value.Should().BeApproximately(Logistic.ScoreLogit(x), 0.01);
        score.IsLogit.Should().BeTrue();
    }

    [Fact]
    public void Generate_BlackBoxScorerWithLime_FindsValidRecourseDeterministically()
    {
        var set = ActionSet.FromFeatures(Features, 1.5);
        var rows = NegativeRows(Logistic, 10, seed: 5, spread: 0.5);
        var options = new LinearIntegerProgramGenerator.Options { Surrogate = LinearSurrogate.Lime, LimeSampleCount = 2000, Seed = 3 };

        var first = Create(options).Generate(new BlackBox(Logistic), Threshold, set, rows);
        var second = Create(options).Generate(new BlackBox(Logistic), Threshold, set, rows);

        first.Should().OnlyContain(r => r.Status == RecourseStatus.Found && r.IsValid);
        first.Select(r => r.Delta).Should().BeEquivalentTo(second.Select(r => r.Delta), o => o.WithStrictOrdering());
        first[0].Message.Should().Contain("LIME surrogate at x");
    }

    [Fact]
    public void Generate_MultilayerPerceptron_UsesTheInputGradientAndReportsValidityOnTheRealModel()
    {
        var network = new FeedForwardNetwork(4, [8, 8], Activation.Relu);
        var parameters = new double[network.ParameterCount];
        network.Initialize(parameters, new RandomSource(2));
        var mlp = new MultilayerPerceptronModelParameters(network, parameters);
        var rows = NegativeRows(mlp, 30, seed: 8);
        var set = ActionSet.FromFeatures(Features, 1.0);

        var results = Create().Generate(mlp, Threshold, set, rows);

        var gradient = new double[4];
        for (int i = 0; i < results.Count; i++)
        {
            var x = rows.AsSpan(i * 4, 4).ToArray();
            double g = mlp.ScoreAndInputGradient(x, gradient);
            var r = results[i];
            if (r.Status == RecourseStatus.Infeasible)
            {
                r.Message.Should().StartWith("no action in Δ can flip this model (linearised at x)");
                continue;
            }
            r.Status.Should().Be(RecourseStatus.Found);
            (g + Enumerable.Range(0, 4).Sum(j => gradient[j] * r.Delta![j])).Should().BeGreaterThanOrEqualTo(Threshold, "the linearised score reaches θ₀");
            r.IsValid.Should().Be(r.ScoreAfter >= Threshold);
            r.ScoreAfter.Should().BeApproximately(mlp.Score(r.Counterfactual!.ToArray()), 1e-12);
        }
    }

    [Fact]
    public void Generate_RandomActionSetsAndRows_EveryActionLiesInDelta()
    {
        FeatureInfo[] features =
        [
            new("amount", Mean: 3000, Scale: 1000, Actionability: FeatureActionability.Free, IsInteger: true),
            new("duration", Mean: 20, Scale: 10, Actionability: FeatureActionability.DecreaseOnly),
            new("rate", Actionability: FeatureActionability.IncreaseOnly),
            new("job_a", IsCategorical: true), new("job_b", IsCategorical: true), new("job_c", IsCategorical: true),
            new("age"),
        ];
        var set = ActionSet.CreateBuilder(features, 0.75)
            .SetGrid("amount", step: 250)
            .SetInteger("duration")
            .SetBounds("rate", -0.5, 0.4)
            .AddOneHotGroup("job", ["job_a", "job_b", "job_c"])
            .SetActionability("job_a", FeatureActionability.DecreaseOnly)
            .Build();
        var network = new FeedForwardNetwork(7, [10], Activation.Relu);
        var parameters = new double[network.ParameterCount];
        network.Initialize(parameters, new RandomSource(4));
        var mlp = new MultilayerPerceptronModelParameters(network, parameters);
        var random = new Random(9);
        const int count = 2000;
        var rows = new double[count * 7];
        for (int i = 0; i < count; i++)
        {
            for (int j = 0; j < 3; j++) rows[i * 7 + j] = 2 * random.NextDouble() - 1;
            rows[i * 7 + 3 + random.Next(3)] = 1;
            rows[i * 7 + 6] = random.NextDouble();
        }

        var results = Create(new() { GridPointsPerFeature = 5 }).Generate(mlp, Threshold, set, rows);

        int withDelta = 0;
        for (int i = 0; i < count; i++)
        {
            var r = results[i];
            r.Status.Should().BeOneOf(RecourseStatus.Found, RecourseStatus.Infeasible);
            if (r.Delta is null) continue;
            withDelta++;
            set.Contains(rows.AsSpan(i * 7, 7), r.Delta.ToArray()).Should().BeTrue($"row {i}");
        }
        withDelta.Should().BeGreaterThan(count / 2);
    }

    [Fact]
    public void Create_PercentileCostWithoutReferencePopulation_ThrowsNamingTheOption()
    {
        var act = () => Create(new() { Cost = RecourseCostFunction.TotalPercentileShift });

        act.Should().Throw<ArgumentOutOfRangeException>().Which.ParamName.Should().Be("ReferencePopulation");
    }

    [Theory]
    [InlineData(RecourseCostFunction.TotalPercentileShift)]
    [InlineData(RecourseCostFunction.MaximumPercentileShift)]
    public void Generate_PercentileCosts_MinimiseTheEmpiricalCdfShift(RecourseCostFunction cost)
    {
        var random = new Random(4);
        var population = Enumerable.Range(0, 400 * 4).Select(_ => Math.Round(2 * random.NextDouble() - 1, 2)).ToArray();
        var set = ActionSet.FromFeatures(Features, 1.0);
        var rows = NegativeRows(Logistic, 25, seed: 6);
        var generator = new MLContext(1).Recourse().Generators.LinearIntegerProgram(cost: cost, gridPointsPerFeature: 9, referencePopulation: population);

        var results = generator.Generate(Logistic, Threshold, set, rows);

        var table = PercentileTable.Create(population, 4, "population");
        int found = 0;
        for (int i = 0; i < results.Count; i++)
        {
            var x = rows.AsSpan(i * 4, 4).ToArray();
            var expected = BruteForceForRow(set, x, Logistic.Weights, ScorerModelParameters.Logit(Threshold) - Logistic.ScoreLogit(x), cost, table, gridPoints: 9);
            if (expected is null)
            {
                results[i].Status.Should().Be(RecourseStatus.Infeasible);
                continue;
            }
            found++;
            var shifts = Enumerable.Range(0, 4).Select(j => EmpiricalShift(population, j, x[j], x[j] + results[i].Delta![j])).ToArray();
            double objective = cost == RecourseCostFunction.TotalPercentileShift ? shifts.Sum() : shifts.Max();
            objective.Should().BeApproximately(expected.Value.Primary, 1e-12, $"row {i}");
            if (cost == RecourseCostFunction.MaximumPercentileShift)
                shifts.Sum().Should().BeApproximately(expected.Value.Tie, 1e-12, $"row {i}: ties go to the least total shift");
        }
        found.Should().BeGreaterThan(10);
    }

    // Q(v) = share of the population at or below v (the population holds 2-decimal values; grid points are not on them).
    private static double EmpiricalShift(double[] population, int j, double from, double to)
    {
        int n = population.Length / 4;
        double Q(double v) => Enumerable.Range(0, n).Count(r => population[r * 4 + j] <= v + 1e-9 * (1 + Math.Abs(v))) / (double)n;
        return Math.Abs(Q(to) - Q(from));
    }

    [Fact]
    public void Generate_GeneralConstraintAndOneHotGroup_MixedIntegerProgramMatchesBruteForce()
    {
        FeatureInfo[] features =
        [
            new("income", Actionability: FeatureActionability.Free),
            new("debt", Actionability: FeatureActionability.Free),
            new("job_a", IsCategorical: true), new("job_b", IsCategorical: true), new("job_c", IsCategorical: true),
        ];
        var set = ActionSet.CreateBuilder(features, 1.0)
            .AddOneHotGroup("job", ["job_a", "job_b", "job_c"])
            // Paying off debt needs income: Δdebt ≥ −Δincome.
            .AddLinearConstraint("debt-needs-income", new Dictionary<string, double> { ["debt"] = 1, ["income"] = 1 })
            .Build();
        var model = new LogisticRegressionModelParameters([0.9, -1.1, -0.4, 0.3, 0.8], -1.2);
        var random = new Random(12);
        var rows = new List<double>();
        while (rows.Count < 30 * 5)
        {
            var x = new double[5];
            x[0] = 2 * random.NextDouble() - 1;
            x[1] = 2 * random.NextDouble() - 1;
            x[2 + random.Next(3)] = 1;
            if (model.Score(x) < Threshold) rows.AddRange(x);
        }

        var results = Create(new() { GridPointsPerFeature = 6 }).Generate(model, Threshold, set, rows.ToArray());

        for (int i = 0; i < results.Count; i++)
        {
            var x = rows.Skip(i * 5).Take(5).ToArray();
            var expected = BruteForceForRow(set, x, model.Weights, ScorerModelParameters.Logit(Threshold) - model.ScoreLogit(x), gridPoints: 6);
            if (expected is null)
            {
                results[i].Status.Should().Be(RecourseStatus.Infeasible, $"row {i}");
                continue;
            }
            results[i].Message.Should().Contain("by the mixed-integer program");
            results[i].IsValid.Should().BeTrue($"row {i}");
            results[i].Cost.Should().BeApproximately(expected.Value.Primary, 1e-7, $"row {i}");
            set.Contains(x, results[i].Delta!.ToArray()).Should().BeTrue();
        }
    }

    [Fact]
    public void Generate_MixedIntegerProgramAndKnapsackSolver_GiveTheSameCost()
    {
        var set = ActionSet.CreateBuilder(Features, 1.0)
            .SetCostWeight("debt", 2)
            .Build();
        var rows = NegativeRows(Logistic, 30, seed: 13);

        var knapsack = Create(new() { Solver = IntegerProgramSolver.MultipleChoiceKnapsack }).Generate(Logistic, Threshold, set, rows);
        var mip = Create(new() { Solver = IntegerProgramSolver.MixedIntegerProgram }).Generate(Logistic, Threshold, set, rows);
        var mipFourWorkers = Create(new() { Solver = IntegerProgramSolver.MixedIntegerProgram, SolverNumberOfWorkers = 4, SolverMaximumSeconds = 60 })
            .Generate(Logistic, Threshold, set, rows);

        for (int i = 0; i < rows.Length / 4; i++)
        {
            mip[i].Status.Should().Be(knapsack[i].Status, $"row {i}");
            mipFourWorkers[i].Status.Should().Be(knapsack[i].Status, $"row {i}, four workers");
            if (knapsack[i].Delta is not null)
            {
                mip[i].Cost.Should().BeApproximately(knapsack[i].Cost, 1e-9, $"row {i}");
                mipFourWorkers[i].Cost.Should().BeApproximately(knapsack[i].Cost, 1e-9, $"row {i}, four workers");
            }
        }
    }

    [Theory]
    [InlineData(0.0, 1, "SolverMaximumSeconds")]
    [InlineData(double.NaN, 1, "SolverMaximumSeconds")]
    [InlineData(1.0, 0, "SolverNumberOfWorkers")]
    [InlineData(1.0, 65, "SolverNumberOfWorkers")]
    public void Options_BadSolverLimits_ThrowNamingTheOption(double seconds, int workers, string parameter)
    {
        var act = () => Create(new() { SolverMaximumSeconds = seconds, SolverNumberOfWorkers = workers });
        act.Should().Throw<ArgumentOutOfRangeException>().Which.ParamName.Should().Be(parameter);
    }

    [Fact]
    public void Generate_MixedIntegerProgram_RepeatedRunsAgreeAndMoreWorkersFindTheSameCosts()
    {
        var set = ActionSet.CreateBuilder(Features, 1.0)
            .AddLinearConstraint("debt-needs-income", new Dictionary<string, double> { ["debt"] = 1, ["income"] = 1 })
            .Build();
        var rows = NegativeRows(Logistic, 20, seed: 21);
        LinearIntegerProgramGenerator.Options Options(int workers) => new()
        {
            Solver = IntegerProgramSolver.MixedIntegerProgram, SolverNumberOfWorkers = workers, SolverMaximumSeconds = 60,
        };

        var first = Create(Options(1)).Generate(Logistic, Threshold, set, rows);
        var second = Create(Options(1)).Generate(Logistic, Threshold, set, rows);
        var fourWorkers = Create(Options(4)).Generate(Logistic, Threshold, set, rows);

        first.Count(r => r.Status == RecourseStatus.Found).Should().BeGreaterThan(5);
        for (int i = 0; i < first.Count; i++)
        {
            second[i].Status.Should().Be(first[i].Status, $"row {i}");
            (second[i].Delta?.ToArray() ?? []).Should().Equal(first[i].Delta?.ToArray() ?? [], $"row {i}");
            fourWorkers[i].Status.Should().Be(first[i].Status, $"row {i}");
            if (first[i].Delta is not null)
                fourWorkers[i].Cost.Should().BeApproximately(first[i].Cost, 1e-9, $"row {i}");
        }
    }

    [Theory]
    [InlineData(0.0, 1, "SolverMaximumSeconds")]
    [InlineData(double.NaN, 1, "SolverMaximumSeconds")]
    [InlineData(10.0, 0, "SolverNumberOfWorkers")]
    [InlineData(10.0, 65, "SolverNumberOfWorkers")]
    public void Create_OutOfRangeSolverLimits_ThrowNamingTheOption(double seconds, int workers, string option)
    {
        var act = () => Create(new() { SolverMaximumSeconds = seconds, SolverNumberOfWorkers = workers });
        act.Should().Throw<ArgumentOutOfRangeException>().Which.ParamName.Should().Be(option);
    }

    [Fact]
    public void Generate_KnapsackSolverWithGeneralConstraints_ThrowsNamingTheSolverOption()
    {
        var set = ActionSet.CreateBuilder(Features, 1.0)
            .AddLinearConstraint("c", new Dictionary<string, double> { ["debt"] = 1, ["income"] = 1 })
            .Build();

        var act = () => Create(new() { Solver = IntegerProgramSolver.MultipleChoiceKnapsack }).Generate(Logistic, Threshold, set, new double[] { -1, 0, 1, 0 });

        act.Should().Throw<ArgumentOutOfRangeException>().Which.ParamName.Should().Be("Solver");
    }

    [Fact]
    public void Generate_BadInput_ThrowsClearErrors()
    {
        var generator = Create();
        var set = ActionSet.FromFeatures(Features, 1.0);
        double[] x = [-1, 0, 1, 0];

        generator.Invoking(g => g.Generate(new BlackBox(Logistic), Threshold, set, x))
            .Should().Throw<ArgumentOutOfRangeException>().WithMessage("*IDifferentiableScorer*Surrogate = Lime*");
        generator.Invoking(g => g.Generate(Logistic, Threshold, ActionSet.FromFeatures(Features.Take(3).ToArray(), 1.0), x))
            .Should().Throw<ArgumentOutOfRangeException>().WithMessage("*3 features but the model takes 4*");
        generator.Invoking(g => g.Generate(Logistic, 1.0, set, x)).Should().Throw<ArgumentOutOfRangeException>().Which.ParamName.Should().Be("threshold");
        generator.Invoking(g => g.Generate(Logistic, Threshold, set, new double[] { -1, 0, 1, 0, double.NaN, 0, 0, 0 }))
            .Should().Throw<ArgumentOutOfRangeException>().WithMessage("*'income' of row 1 is not finite*");
        generator.Invoking(g => g.Generate(Logistic, Threshold, ActionSet.FromFeatures(Features, double.PositiveInfinity), x))
            .Should().Throw<ArgumentOutOfRangeException>().WithMessage("*'income' has no finite limit in row 0*");
        generator.Invoking(g => g.GenerateFlipset(Logistic, Threshold, set, x, count: 0)).Should().Throw<ArgumentOutOfRangeException>().Which.ParamName.Should().Be("count");
        generator.Invoking(g => g.GenerateFlipset(Logistic, Threshold, set, [1, 2], count: 1)).Should().Throw<ArgumentOutOfRangeException>();
        ((Action)(() => Create(new() { GridPointsPerFeature = 1 }))).Should().Throw<ArgumentOutOfRangeException>().Which.ParamName.Should().Be("GridPointsPerFeature");
        ((Action)(() => Create(new() { LimeKernelWidth = 0 }))).Should().Throw<ArgumentOutOfRangeException>().Which.ParamName.Should().Be("LimeKernelWidth");

        var percentile = new MLContext(1).Recourse().Generators.LinearIntegerProgram(cost: RecourseCostFunction.TotalPercentileShift, referencePopulation: [1, 2, 3]);
        percentile.Invoking(g => g.Generate(Logistic, Threshold, set, x))
            .Should().Throw<ArgumentOutOfRangeException>().WithMessage("*rows × 4 values*got 3*").Which.ParamName.Should().Be("ReferencePopulation");
    }

    [Fact]
    public void Generate_NoRowsOrCancelled_ReturnsNothingOrStops()
    {
        var set = ActionSet.FromFeatures(Features, 1.0);

        Create().Generate(Logistic, Threshold, set, Array.Empty<double>()).Should().BeEmpty();
        Create().Invoking(g => g.Generate(Logistic, Threshold, set, NegativeRows(Logistic, 5, seed: 1), new CancellationToken(canceled: true)))
            .Should().Throw<OperationCanceledException>();
    }

    /// <summary>A scorer that hides its gradient: what a black-box model looks like to a generator.</summary>
    private sealed class BlackBox(IScorer inner) : IScorer
    {
        public int FeatureCount => inner.FeatureCount;

        public double Score(ReadOnlySpan<double> features) => inner.Score(features);

        public void ScoreBatch(ReadOnlySpan<double> features, Span<double> scores) => inner.ScoreBatch(features, scores);
    }
}
