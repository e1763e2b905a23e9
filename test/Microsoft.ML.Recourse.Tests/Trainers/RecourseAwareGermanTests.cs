using Microsoft.ML;
using System.Diagnostics;
using Microsoft.ML.Recourse.Actions;
using Microsoft.ML.Recourse.Datasets;
using Microsoft.ML.Recourse.Trainers;
using Xunit.Abstractions;
using Microsoft.ML.Recourse.Tests.TestFramework;

namespace Microsoft.ML.Recourse.Tests.Trainers;

/// <summary>
/// The acceptance check on the real German credit data (split seed 0, training seed fixed): with the
/// published code's perturbation sign, λ = 0.8 leaves one-step recourse for ≥ 90 % of the test rows predicted
/// unfavourable, and λ = 0 for ≤ 20 %. Reference settings: 2 × 100 ReLU MLP, dropout 0.3, 50 epochs, batches of 30,
/// Adam 0.002, balanced class weights, δ_max = 0.75, model selection and θ₀ on the validation split.
/// </summary>
public class RecourseAwareGermanTests(ITestOutputHelper output)
{
    [ReferenceDataTheory]
    [InlineData(0.8, 0.9, 1.0)]
    [InlineData(0.0, 0.0, 0.2)]
    public void ReferenceDirection_OneStepRecourseNeg_MatchesThePaper(double recourseWeight, double atLeast, double atMost)
    {
        var watch = Stopwatch.StartNew();
        var context = new MLContext(0).Recourse();
        var german = context.Datasets.German(splitSeed: 0);
        var actions = ActionSet.FromFeatures(german.Features, german.MaximumChange);
        var model = context.Trainers.RecourseAwareMultilayerPerceptron(new RecourseAwareMultilayerPerceptronTrainer.Options
        {
            ActionSet = actions, RecourseWeight = recourseWeight, PerturbationDirection = PerturbationDirection.ReferenceCode,
            NumberOfEpochs = 50, BatchSize = 30, Seed = 0,
        }).Fit(german.TrainSet, german.ValidationSet);

        var test = german.GetFeatureMatrix(DatasetSplit.Test);
        int d = german.FeatureCount;
        var scores = new double[test.Length / d];
        model.Model.ScoreBatch(test, scores);
        var negatives = Enumerable.Range(0, scores.Length).Where(r => scores[r] < model.Threshold).SelectMany(r => test.AsSpan(r * d, d).ToArray()).ToArray();
        var results = context.Generators.OneStep(PerturbationDirection.ReferenceCode).Generate(model.Model, model.Threshold, actions, negatives);
        double recourseNeg = results.Count(r => r.IsValid) / (double)results.Count;
        output.WriteLine($"λ = {recourseWeight}: θ₀ = {model.Threshold}, {results.Count} test negatives, one-step recourse-neg = {recourseNeg:F3} ({watch.Elapsed.TotalSeconds:F1} s)");

        results.Should().NotBeEmpty();
        recourseNeg.Should().BeInRange(atLeast, atMost);
    }
}
