using Microsoft.ML.Recourse.Trainers;
using Microsoft.ML;
using BenchmarkDotNet.Attributes;
using Microsoft.ML.Recourse.Actions;
using Microsoft.ML.Data;
using Microsoft.ML.Recourse.Datasets;
using Microsoft.ML.Recourse.Models;

namespace Microsoft.ML.Recourse.Benchmarks.Recourse;

/// <summary>
/// The linear integer program on adult negatives (test split, g(x) &lt; 0.5) of a trained 2×100 ReLU MLP (3 epochs,
/// otherwise the reference settings), linearised by the input gradient, L1 cost, 21 grid points, δ_max = 0.75.
/// <see cref="AllFeaturesFree"/> = false uses adult's action set (education-num up, hours-per-week free);
/// true lets all nine features move, which makes nine blocks of 21 choices. Times are per row
/// (OperationsPerInvoke = rows); the one-row and mixed-integer-program benchmarks use rows whose program is feasible (infeasible rows
/// end at the certificate before any solver runs). When adult.csv is not found, a synthetic data set with adult's
/// nine features and actionability is used; the setup prints which.
/// </summary>
[SimpleJob(launchCount: 1, warmupCount: 1, iterationCount: 5)]
[MemoryDiagnoser]
public class LinearIntegerProgramBenchmarks
{
    private const int KnapsackRows = 256;
    private const int MixedIntegerProgramRows = 16;

    private IDifferentiableScorer _model = null!;
    private ActionSet _actionSet = null!;
    private double[] _negatives = null!;
    private double[] _feasible = null!;
    private LinearIntegerProgramGenerator _knapsack = null!;
    private LinearIntegerProgramGenerator _mixedIntegerProgram = null!;

    /// <summary>Whether every feature may move (nine blocks) instead of adult's two actionable features.</summary>
    [Params(false, true)]
    public bool AllFeaturesFree { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var ctx = new MLContext(seed: 1).Recourse();
        RecourseDataset data;
        try
        {
            data = ctx.Datasets.Adult();
            Console.WriteLine($"// LinearIntegerProgramBenchmarks: real adult data ({data.Source}).");
        }
        catch (FileNotFoundException)
        {
            data = SyntheticAdultShape();
            Console.WriteLine("// LinearIntegerProgramBenchmarks: adult.csv not found; synthetic data of adult's shape (d = 9).");
        }
        _model = new MultilayerPerceptronTrainer(ctx.Environment, new MultilayerPerceptronTrainer.Options { NumberOfEpochs = 3 }).Fit(data.TrainSet).Model;
        var features = AllFeaturesFree ? data.Features.Select(f => f with { Actionability = FeatureActionability.Free }).ToArray() : data.Features;
        _actionSet = ActionSet.FromFeatures(features, data.MaximumChange);
        var test = data.GetFeatureMatrix(DatasetSplit.Test);
        int d = data.FeatureCount;
        var scores = new double[test.Length / d];
        _model.ScoreBatch(test, scores);
        var negatives = Enumerable.Range(0, scores.Length).Where(i => scores[i] < 0.5).ToArray();
        _negatives = Rows(test, d, negatives, KnapsackRows);
        _knapsack = ctx.Generators.LinearIntegerProgram(new LinearIntegerProgramGenerator.Options { Solver = IntegerProgramSolver.MultipleChoiceKnapsack });
        _mixedIntegerProgram = ctx.Generators.LinearIntegerProgram(new LinearIntegerProgramGenerator.Options { Solver = IntegerProgramSolver.MixedIntegerProgram });

        var all = _knapsack.Generate(_model, 0.5, _actionSet, test);
        var found = negatives.Where(i => all[i].Status == RecourseStatus.Found).ToArray();
        Console.WriteLine($"// {negatives.Length} negatives in the test split: found {found.Length}, valid on the MLP {negatives.Count(i => all[i].IsValid)}, " +
            $"infeasible {negatives.Count(i => all[i].Status == RecourseStatus.Infeasible)} (AllFeaturesFree = {AllFeaturesFree}).");
        _feasible = Rows(test, d, found, KnapsackRows);
    }

    private static double[] Rows(double[] matrix, int d, int[] indices, int count)
        => Enumerable.Range(0, count).SelectMany(r => matrix.Skip(indices[r % indices.Length] * d).Take(d)).ToArray();

    [Benchmark(OperationsPerInvoke = KnapsackRows, Description = "knapsack solver, 256 negatives in one batched parallel call, per row")]
    public IReadOnlyList<RecourseResult> KnapsackBatchNegatives() => _knapsack.Generate(_model, 0.5, _actionSet, _negatives);

    [Benchmark(OperationsPerInvoke = KnapsackRows, Description = "knapsack solver, feasible rows one per call (one core), per row")]
    public int KnapsackOneFeasibleRowAtATime()
    {
        int found = 0;
        int d = _model.FeatureCount;
        for (int r = 0; r < KnapsackRows; r++)
            found += _knapsack.Generate(_model, 0.5, _actionSet, _feasible.AsMemory(r * d, d))[0].Delta is null ? 0 : 1;
        return found;
    }

    [Benchmark(OperationsPerInvoke = MixedIntegerProgramRows, Description = "mixed-integer engine, 16 feasible rows, per row")]
    public IReadOnlyList<RecourseResult> MixedIntegerProgramFeasibleRows() => _mixedIntegerProgram.Generate(_model, 0.5, _actionSet, _feasible.AsMemory(0, MixedIntegerProgramRows * _model.FeatureCount));

    // Adult's nine features and actionability; five skewed continuous columns, four indicators, a logistic label rule.
    private static RecourseDataset SyntheticAdultShape()
    {
        const int rows = 32_560;
        var random = new RandomSource(1);
        double Normal() => Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
        var columns = new double[9][];
        for (int j = 0; j < 9; j++) columns[j] = new double[rows];
        var labels = new bool[rows];
        for (int r = 0; r < rows; r++)
        {
            columns[0][r] = Math.Round(38 + 13 * Normal());
            columns[1][r] = Math.Clamp(Math.Round(10 + 2.5 * Normal()), 1, 16);
            columns[2][r] = random.NextDouble() < 0.08 ? Math.Round(Math.Exp(8 + Normal())) : 0;
            columns[3][r] = random.NextDouble() < 0.05 ? Math.Round(Math.Exp(7.5 + 0.3 * Normal())) : 0;
            columns[4][r] = Math.Clamp(Math.Round(40 + 12 * Normal()), 1, 99);
            for (int j = 5; j < 9; j++) columns[j][r] = random.NextDouble() < 0.7 ? 1 : 0;
            double logit = -8 + 0.03 * columns[0][r] + 0.35 * columns[1][r] + 0.0003 * columns[2][r] + 0.03 * columns[4][r] + 1.2 * columns[7][r] + 0.3 * columns[8][r];
            labels[r] = random.NextDouble() < 1 / (1 + Math.Exp(-logit));
        }
        var builder = new DatasetBuilder(labels, Enumerable.Range(0, rows).ToArray())
            .Continuous("age", columns[0], FeatureActionability.Immutable, "age")
            .Continuous("education-num", columns[1], FeatureActionability.IncreaseOnly, "years of education")
            .Continuous("capital-gain", columns[2], FeatureActionability.Immutable, "capital gain")
            .Continuous("capital-loss", columns[3], FeatureActionability.Immutable, "capital loss")
            .Continuous("hours-per-week", columns[4], FeatureActionability.Free, "hours worked per week")
            .Indicator("isWhite", columns[5], FeatureActionability.Immutable, "white")
            .Indicator("native-country-United-States", columns[6], FeatureActionability.Immutable, "born in the US")
            .Indicator("marital-status-Married", columns[7], FeatureActionability.Immutable, "married")
            .Indicator("isMale", columns[8], FeatureActionability.Immutable, "male");
        var (table, features) = builder.Build();
        return DatasetBuilder.SplitReference("adult-shaped synthetic", "generated", features, table, seed: 0, testCount: 500);
    }
}
