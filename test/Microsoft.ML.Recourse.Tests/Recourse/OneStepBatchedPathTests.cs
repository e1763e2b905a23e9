using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Recourse.Actions;
using Microsoft.ML.Recourse.Models;
using Microsoft.ML.Recourse.Optimization;
using Microsoft.ML.Recourse.Tests.Models;
using Microsoft.ML.Recourse.Tests.TestFramework;

namespace Microsoft.ML.Recourse.Tests.Recourse;

/// <summary>
/// The batched one-step path (sparse ReLU products, compiled boxes, the gate on those boxes, re-scoring in blocks, threads)
/// against the per-row path it replaced: dense forward and backward passes one row at a time, Δ(x) compiled for every
/// row to minimise and to gate. δ, x + δ, scores, cost and decisions must be equal as doubles.
/// </summary>
public class OneStepBatchedPathTests
{
    private static RecourseGenerators Generators => new MLContext(1).Recourse().Generators;

    private static double Logit(ScorerModelParameters model, double[] x)
    {
        var workspace = new NetworkWorkspace();
        model.Network.Forward(model.Parameters, x, 1, workspace, dropout: null);
        return workspace.Logits[0];
    }

    private static RecourseResult PerRow(ScorerModelParameters model, double threshold, ActionSet set, PerturbationDirection direction, double[] x)
    {
        var workspace = new NetworkWorkspace();
        model.Network.Forward(model.Parameters, x, 1, workspace, dropout: null);
        double before = ScorerModelParameters.Sigmoid(workspace.Logits[0]);
        var gradient = new double[x.Length];
        model.Network.Backward(model.Parameters, x, 1, workspace, [before * (1 - before)], default, gradient);
        var step = new OneStepPerturbation(set, direction).Minimize(x, gradient);
        if (!step.IsOptimal)
            return new RecourseResult(null, null, double.NaN, before, double.NaN, false, RecourseStatus.NotFound, step.Status.ToString());
        var delta = step.Delta.ToArray();
        if (set.Compile(x).FindViolation(delta) is { } violation)
            return new RecourseResult(null, null, double.NaN, before, double.NaN, false, RecourseStatus.NotFound, violation);
        var counterfactual = x.Zip(delta, (a, b) => a + b).ToArray();
        double after = ScorerModelParameters.Sigmoid(Logit(model, counterfactual));
        return new RecourseResult(delta, counterfactual, set.Cost(delta), before, after, after >= threshold, RecourseStatus.Found, null);
    }

    // Returns how many rows got a step; every row must equal the per-row result.
    private static int CompareWithPerRow(ScorerModelParameters model, ActionSet set, double[] rows, PerturbationDirection direction, string context)
    {
        int d = set.FeatureCount, count = rows.Length / d;
        var scores = new double[count];
        model.ScoreBatch(rows, scores);
        double threshold = Math.Clamp(scores.Order().ElementAt(count / 2), 0.05, 0.95);
        int steps = 0;
        foreach (int? threads in new int?[] { 1, 2 })
        {
            var batched = Generators.OneStep(new OneStepGenerator.Options { Direction = direction, NumberOfThreads = threads }).Generate(model, threshold, set, rows);
            for (int r = 0; r < count; r++)
            {
                var expected = PerRow(model, threshold, set, direction, rows.AsSpan(r * d, d).ToArray());
                var actual = batched[r];
                string because = $"{context}, {threads} thread(s), row {r}";
                actual.ScoreBefore.Should().Be(expected.ScoreBefore, because);
                if (expected.Delta is null)
                {
                    actual.Delta.Should().BeNull(because);
                    actual.IsValid.Should().BeFalse(because);
                    if (expected.Status == RecourseStatus.NotFound && expected.Message is { } violation && !Enum.TryParse<LinearProgramStatus>(violation, out _))
                        actual.Message.Should().EndWith(violation, because);
                    continue;
                }
                if (threads == 1) steps++;
                actual.Status.Should().Be(RecourseStatus.Found, because);
                actual.Delta.Should().Equal(expected.Delta, because);
                actual.Counterfactual.Should().Equal(expected.Counterfactual, because);
                actual.ScoreAfter.Should().Be(expected.ScoreAfter, because);
                actual.Cost.Should().Be(expected.Cost, because);
                actual.IsValid.Should().Be(expected.IsValid, because);
            }
        }
        return steps;
    }

    // The benchmark's network shape (9 → 100 → 100 → 1 ReLU) over random action sets: boxes, bounds, grids, one-hot groups, general rows.
    [Fact]
    public void Generate_WideReluNetwork_EqualsThePerRowPathExactly()
    {
        var random = new Random(21);
        int steps = 0;
        for (int instance = 0; instance < 8; instance++)
        {
            var set = OneStepTestData.ActionSet(random, oneHot: instance % 2 == 0, linearRows: instance % 4 == 3);
            var model = ScorerModelParametersTests.RandomModel(set.FeatureCount, [100, 100], Activation.Relu, seed: instance);
            var rows = OneStepTestData.Rows(random, set, instance % 4 == 3 ? 100 : 1100);
            var direction = instance % 3 == 2 ? PerturbationDirection.ReferenceCode : PerturbationDirection.Recourse;
            steps += CompareWithPerRow(model, set, rows, direction, $"instance {instance}");
        }
        steps.Should().BeGreaterThan(3000);
    }

    // Adult's rows and action set (the benchmark's workload) with a network of the benchmark's shape.
    [ReferenceDataFact]
    public void Generate_AdultRows_EqualsThePerRowPathExactly()
    {
        var adult = new MLContext(0).Recourse().Datasets.Adult(splitSeed: 0);
        var set = ActionSet.FromFeatures(adult.Features, adult.MaximumChange);
        var rows = adult.TrainSet.GetColumn<float[]>(DefaultColumnNames.Features).Take(3000).SelectMany(r => r.Select(v => (double)v)).ToArray();
        var model = ScorerModelParametersTests.RandomModel(set.FeatureCount, [100, 100], Activation.Relu, seed: 22, scale: 1);
        CompareWithPerRow(model, set, rows, PerturbationDirection.Recourse, "adult").Should().BeGreaterThan(2000);
    }
}
