using Microsoft.ML.Recourse.Actions;
using Microsoft.ML.Data;
using Microsoft.ML.Recourse.Models;
using Microsoft.ML.Recourse.Tests.TestFramework;
using Microsoft.ML.Recourse.Datasets;
using Microsoft.ML.Recourse.Experiments;
using Microsoft.ML.Recourse.ModelUpdates;
using Microsoft.ML.Recourse.Optimization.OrTools;

namespace Microsoft.ML.Recourse.Tests.Recourse;

public class RobustIntegerProgramTests
{
    // ROAR's programs on the shift data through the mixed-integer engine (SCIP, chosen for robust programs, and CP-SAT
    // on the 54-feature student data) equal the exact knapsack solver's optimum on the first rejected rows.
    [ReferenceDataTheory]
    [InlineData("sba-temporal", MixedIntegerEngine.Automatic)]
    [InlineData("student-geospatial", MixedIntegerEngine.Automatic)]
    [InlineData("student-geospatial", MixedIntegerEngine.CpSat)]
    public void RobustProgram_ThroughTheMixedIntegerEngine_EqualsTheKnapsackOptimumOnShiftData(string shiftName, MixedIntegerEngine engine)
    {
        var ctx = new MLContext(seed: 1).Recourse();
        var shift = ctx.Datasets.LoadShift(shiftName);
        var fold = shift.GetFold(0);
        var model = ctx.ModelUpdateSimulation(new ModelUpdateSimulation.Options { Seed = 1 }).TrainModel(fold.GetView(ShiftPart.BeforeTrain), 1);
        var actionSet = Upadhyay2021Experiment.ObservedRangeActionSet(shift);
        var test = fold.GetFeatureMatrix(ShiftPart.BeforeTest);
        int d = shift.FeatureCount;
        var rows = Enumerable.Range(0, test.Length / d).Where(i => model.Score(test.AsSpan(i * d, d)) < 0.5).Take(3)
            .SelectMany(i => test.AsSpan(i * d, d).ToArray()).ToArray();
        var program = ctx.Generators.LinearIntegerProgram(new LinearIntegerProgramGenerator.Options
        {
            RobustnessRadius = 0.1, Solver = IntegerProgramSolver.MixedIntegerProgram, SolverEngine = engine,
        });

        var fromProgram = program.Generate(model, 0.5, actionSet, rows);
        var fromKnapsack = ctx.Generators.RobustIntegerProgram(0.1).Generate(model, 0.5, actionSet, rows);

        fromProgram.Should().HaveCount(3);
        for (int r = 0; r < 3; r++)
        {
            fromProgram[r].Status.Should().Be(RecourseStatus.Found);
            fromProgram[r].Cost.Should().BeApproximately(fromKnapsack[r].Cost, 1e-9, $"row {r}");
        }
    }

    private static readonly RecourseCatalog Context = new MLContext(seed: 5).Recourse();

    private static FeatureInfo[] Features(int d) => Enumerable.Range(0, d).Select(j => new FeatureInfo("f" + j, Actionability: FeatureActionability.Free)).ToArray();

    private static (double[] W, double B, double[] X, ActionSet Actions) RandomProblem(Random random, int d)
    {
        var w = Enumerable.Range(0, d).Select(_ => random.NextDouble() * 3 - 1.5).ToArray();
        var x = Enumerable.Range(0, d).Select(_ => random.NextDouble() * 3 - 1.5).ToArray();
        var features = Features(d);
        features[0] = features[0] with { Actionability = FeatureActionability.IncreaseOnly };
        var actions = ActionSet.CreateBuilder(features, 1.5).SetCostWeight("f1", 2).Build();
        return (w, random.NextDouble() * 2 - 1.5, x, actions);
    }

    /// <summary>The logit at the worst corner of the box: every weight moved by ρ against the sign of x′, the intercept by −ρ.</summary>
    private static double WorstCornerLogit(double[] w, double b, double[] xp, double radius)
        => b - radius + xp.Select((v, j) => (w[j] - radius * Math.Sign(v)) * v).Sum();

    [Fact]
    public void RobustIntegerProgram_EveryAnswer_KeepsTheWorstCaseLogitNonNegativeAtTheWorstCornerAndUnderRandomShifts()
    {
        var random = new Random(21);
        int found = 0;
        for (int trial = 0; trial < 200; trial++)
        {
            var (w, b, x, actions) = RandomProblem(random, 4);
            double radius = new[] { 0.05, 0.1, 0.3 }[trial % 3];
            var generator = Context.Generators.RobustIntegerProgram(radius, gridPointsPerFeature: 7);
            generator.Name.Should().Be("robustIp");
            var result = generator.Generate(new LogisticRegressionModelParameters(w, b), 0.5, actions, x).Single();
            if (result.Status == RecourseStatus.Infeasible)
            {
                result.Message.Should().Contain("no action in Δ can flip this model").And.Contain("worst case");
                continue;
            }
            result.Status.Should().Be(RecourseStatus.Found);
            found++;
            var xp = result.Counterfactual!.ToArray();
            WorstCornerLogit(w, b, xp, radius).Should().BeGreaterThanOrEqualTo(-1e-9);
            for (int s = 0; s < 100; s++)
            {
                var shiftedW = w.Select(v => v + (random.NextDouble() * 2 - 1) * radius).ToArray();
                double shiftedB = b + (random.NextDouble() * 2 - 1) * radius;
                (shiftedW.Select((v, j) => v * xp[j]).Sum() + shiftedB).Should().BeGreaterThanOrEqualTo(-1e-9);
            }
        }
        found.Should().BeGreaterThan(100);
    }

    [Fact]
    public void RobustIntegerProgram_SmallGrids_AgreesWithBruteForceEnumeration()
    {
        var random = new Random(2);
        const int d = 3, gridPoints = 5;
        for (int trial = 0; trial < 150; trial++)
        {
            var (w, b, x, actions) = RandomProblem(random, d);
            double radius = new[] { 0.05, 0.2, 0.5 }[trial % 3];
            var result = Context.Generators.RobustIntegerProgram(radius, gridPointsPerFeature: gridPoints)
                .Generate(new LogisticRegressionModelParameters(w, b), 0.5, actions, x).Single();

            var box = actions.Compile(x);
            var grids = Enumerable.Range(0, d).Select(j => box.Lower[j] == 0 && box.Upper[j] == 0
                ? [0.0]
                : ActionGridBuilder.GridChanges(actions, j, x[j], box.Lower[j], box.Upper[j], gridPoints)).ToArray();
            double best = double.PositiveInfinity;
            foreach (double a0 in grids[0])
            foreach (double a1 in grids[1])
            foreach (double a2 in grids[2])
            {
                double[] delta = [a0, a1, a2];
                var xp = x.Select((v, j) => v + delta[j]).ToArray();
                if (WorstCornerLogit(w, b, xp, radius) >= 0) best = Math.Min(best, actions.Cost(delta));
            }
            if (double.IsPositiveInfinity(best))
            {
                result.Status.Should().Be(RecourseStatus.Infeasible, $"trial {trial}: brute force finds no robust action");
            }
            else
            {
                result.Status.Should().Be(RecourseStatus.Found, $"trial {trial}");
                result.Cost.Should().BeApproximately(best, 1e-9, $"trial {trial}");
            }
        }
    }

    [Fact]
    public void RobustIntegerProgram_KnapsackAndMixedIntegerEngine_GiveTheSameOptimum()
    {
        var random = new Random(13);
        for (int trial = 0; trial < 30; trial++)
        {
            var (w, b, x, actions) = RandomProblem(random, 5);
            var model = new LogisticRegressionModelParameters(w, b);
            LinearIntegerProgramGenerator Make(IntegerProgramSolver solver) => Context.Generators.LinearIntegerProgram(
                new LinearIntegerProgramGenerator.Options { RobustnessRadius = 0.1, Solver = solver, GridPointsPerFeature = 9 });
            var knapsack = Make(IntegerProgramSolver.MultipleChoiceKnapsack).Generate(model, 0.5, actions, x).Single();
            var mip = Make(IntegerProgramSolver.MixedIntegerProgram).Generate(model, 0.5, actions, x).Single();
            mip.Status.Should().Be(knapsack.Status);
            if (knapsack.Status == RecourseStatus.Found) mip.Cost.Should().BeApproximately(knapsack.Cost, 1e-7);
        }
    }

    [Fact]
    public void RobustIntegerProgram_LargerRadius_NeverCostsLessAndMatchesThePlainProgramAtZero()
    {
        var random = new Random(31);
        for (int trial = 0; trial < 50; trial++)
        {
            var (w, b, x, actions) = RandomProblem(random, 4);
            var model = new LogisticRegressionModelParameters(w, b);
            var plain = Context.Generators.LinearIntegerProgram(gridPointsPerFeature: 9).Generate(model, 0.5, actions, x).Single();
            var robust = Context.Generators.RobustIntegerProgram(0.2, gridPointsPerFeature: 9).Generate(model, 0.5, actions, x).Single();
            if (robust.Status == RecourseStatus.Found)
            {
                plain.Status.Should().Be(RecourseStatus.Found);
                robust.Cost.Should().BeGreaterThanOrEqualTo(plain.Cost - 1e-12);
            }
        }
    }

    [Fact]
    public void RobustIntegerProgram_HugeRadius_CertifiesInfeasibility()
    {
        var model = new LogisticRegressionModelParameters([1.0, 1.0], -1);
        var actions = ActionSet.FromFeatures(Features(2), 1);
        var result = Context.Generators.RobustIntegerProgram(5).Generate(model, 0.5, actions, new double[] { 0.2, 0.1 }).Single();
        result.Status.Should().Be(RecourseStatus.Infeasible);
        result.Delta.Should().BeNull();
    }

    [Fact]
    public void RobustIntegerProgram_BadRadius_Throws()
    {
        var negative = () => Context.Generators.RobustIntegerProgram(-0.1);
        negative.Should().Throw<ArgumentOutOfRangeException>().WithMessage("*δ_max*> 0*");
        var options = () => Context.Generators.LinearIntegerProgram(new LinearIntegerProgramGenerator.Options { RobustnessRadius = -1 });
        options.Should().Throw<ArgumentOutOfRangeException>().WithMessage("*RobustnessRadius*");
    }
}
