using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Recourse.Trees;
using Microsoft.ML.Trainers.FastTree;
using Applicant = Microsoft.ML.Recourse.Tests.Recourse.MlNetModelRecourseTests.Applicant;

namespace Microsoft.ML.Recourse.Tests.Recourse.Trees;

/// <summary>
/// The recourse transformer and the audit over a fitted FastTree pipeline with the exact tree generator: every action it
/// returns, applied to the raw row, is accepted by ML.NET's own PredictedLabel.
/// </summary>
public class TreeRecourseTransformerTests
{
    private static readonly string[] Inputs = ["Income", "Debt", "Age", "Hours"];

    [Fact]
    public void GenerateRecourse_FastTreePipelineWithTheTreeGenerator_AuditsAndEveryActionIsAcceptedByPredictedLabel()
    {
        var ml = new MLContext(seed: 1);
        var rows = MlNetModelRecourseTests.Applicants(800, seed: 3);
        var data = ml.Data.LoadFromEnumerable(rows);
        var model = ml.Transforms.Concatenate("Features", Inputs)
            .Append(ml.BinaryClassification.Trainers.FastTree(new FastTreeBinaryTrainer.Options { NumberOfTrees = 40, NumberOfLeaves = 10, NumberOfThreads = 1 }))
            .Fit(data);
        var generator = ml.Recourse().Generators.TreeEnsemble();

        var recourse = ml.Recourse().GenerateRecourse(model, MlNetModelRecourseTests.Actions, generator).Fit(data);
        var output = ml.Data.Cache(recourse.Transform(data));
        var audit = ml.Recourse().Audit(output);

        recourse.Model.Should().BeOfType<TreeEnsembleScorer>("a plain Concatenate leaves the tree scorer as it is");
        var status = output.GetColumn<string>(DefaultColumnNames.RecourseStatus).ToArray();
        var has = output.GetColumn<bool>(DefaultColumnNames.HasRecourse).ToArray();
        var delta = output.GetColumn<float[]>(DefaultColumnNames.RecourseDelta).ToArray();
        var before = model.Transform(data).GetColumn<bool>(DefaultColumnNames.PredictedLabel).ToArray();
        status.Select((s, i) => s == RecourseTransformer.AcceptedStatus == before[i]).Should().OnlyContain(same => same,
            "a row is 'Accepted' exactly when ML.NET's PredictedLabel is true");

        var found = Enumerable.Range(0, rows.Count).Where(i => !before[i] && has[i]).ToArray();
        audit.Overall.Rows.Should().Be(rows.Count);
        audit.Overall.Negatives.Should().Be(before.Count(p => !p));
        audit.Overall.NegativesWithRecourse.Should().Be(found.Length);
        audit.Overall.Infeasible.Should().Be(status.Count(s => s == nameof(RecourseStatus.Infeasible)));
        (audit.Overall.NegativesWithRecourse + audit.Overall.Infeasible).Should().Be(audit.Overall.Negatives,
            "the exact generator either finds an action or proves there is none (no row hits the time limit here)");
        found.Length.Should().BeGreaterThan(audit.Overall.Negatives / 3);

        var moved = found.Select(i => new Applicant
        {
            Income = rows[i].Income + delta[i][0],
            Debt = rows[i].Debt + delta[i][1],
            Age = rows[i].Age + delta[i][2],
            Hours = rows[i].Hours + delta[i][3],
        }).ToList();
        model.Transform(ml.Data.LoadFromEnumerable(moved)).GetColumn<bool>(DefaultColumnNames.PredictedLabel).Should().OnlyContain(p => p,
            "every returned action must be accepted by the ML.NET model's own PredictedLabel");
        foreach (int i in found)
        {
            delta[i][2].Should().Be(0, "age is immutable");
            delta[i][1].Should().BeLessThanOrEqualTo(0, "debt may only decrease");
            (rows[i].Hours + delta[i][3]).Should().BeInRange(1, 60);
        }
    }

    [Fact]
    public void PareThreshold_FastTreeWithTheTreeGenerator_LeavesAtMostEpsilonOfAFreshPopulationWithoutRecourse()
    {
        var ml = new MLContext(seed: 1);
        var train = ml.Data.LoadFromEnumerable(MlNetModelRecourseTests.Applicants(800, seed: 3));
        var model = ml.Transforms.Concatenate("Features", Inputs)
            .Append(ml.BinaryClassification.Trainers.FastTree(new FastTreeBinaryTrainer.Options { NumberOfTrees = 40, NumberOfLeaves = 10, NumberOfThreads = 1 }))
            .Fit(train);
        var generator = ml.Recourse().Generators.TreeEnsemble();
        var recourse = ml.Recourse().GenerateRecourse(model, MlNetModelRecourseTests.Actions, generator).Fit(train);
        var calibration = model.Transform(ml.Data.LoadFromEnumerable(MlNetModelRecourseTests.Applicants(400, seed: 5)));
        var population = model.Transform(ml.Data.LoadFromEnumerable(MlNetModelRecourseTests.Applicants(3000, seed: 7)));

        var pare = ml.Recourse().Calibration.PareThreshold(recourse.Model, recourse.Threshold, generator, recourse.ActionSet, calibration);

        pare.GeneratorName.Should().Be("trees");
        pare.Certificate.CalibrationSize.Should().Be(400);
        pare.Threshold.Should().BeLessThanOrEqualTo(pare.ThresholdUpperBound);
        pare.Threshold.Should().BeGreaterThan(0);
        // The certified bound on a fresh population: the share whose score after the exact action stays below θ̄ is ≤ ε
        // (the draw breaks it with probability ≤ δ; three binomial standard errors of the population estimate on top).
        var features = population.GetColumn<float[]>("Features").SelectMany(x => x.Select(v => (double)v)).ToArray();
        var results = generator.Generate(recourse.Model, recourse.Threshold, recourse.ActionSet, features);
        double slack = 3 * Math.Sqrt(0.05 * 0.95 / results.Count);
        results.Count(r => (r.Delta is null ? r.ScoreBefore : r.ScoreAfter) < pare.ThresholdUpperBound).Should()
            .BeLessThanOrEqualTo((int)((0.05 + slack) * results.Count));
        // At θ₀ ≤ θ̄ the exact generator finds an action for everyone who can reach θ̄, so the rows denied without
        // recourse are at most that share too.
        var atThreshold = ml.Recourse().GenerateRecourse(recourse.Model, recourse.ActionSet, generator, pare.Threshold).Fit(population).Transform(population);
        var status = atThreshold.GetColumn<string>(DefaultColumnNames.RecourseStatus).ToArray();
        var has = atThreshold.GetColumn<bool>(DefaultColumnNames.HasRecourse).ToArray();
        status.Where((s, i) => s != RecourseTransformer.AcceptedStatus && !has[i]).Count().Should().BeLessThanOrEqualTo((int)((0.05 + slack) * status.Length));
    }

    // 6.2918434f + δ is 2.2284951f or 2.2284956f for every float δ near −4.0633481, never the exact optimum's 2.2284954f
    // (seen with FastTree: the sum fell onto a split threshold); the written δ lands at or beyond the target, away from x.
    [Theory]
    [InlineData(6.2918434f, 2.2284953594207764)]
    [InlineData(36.575253f, 46.051029205322266)]
    [InlineData(14f, 20.0)]
    [InlineData(3f, 3.0000001)]
    public void SingleDelta_AppliedInSinglePrecision_ReachesTheTargetOrJustBeyondIt(float x, double target)
    {
        float delta = RecourseTransformer.SingleDelta(x, target);
        float applied = x + delta;
        if (target > x)
            ((double)applied).Should().BeGreaterThanOrEqualTo(target).And.BeLessThanOrEqualTo(MathF.BitIncrement(MathF.BitIncrement((float)target)));
        else
            ((double)applied).Should().BeLessThanOrEqualTo(target).And.BeGreaterThanOrEqualTo(MathF.BitDecrement(MathF.BitDecrement((float)target)));
    }
}
