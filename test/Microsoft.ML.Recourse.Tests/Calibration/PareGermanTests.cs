using Microsoft.ML;
using Microsoft.ML.Recourse.Actions;
using Microsoft.ML.Recourse.Calibration;
using Microsoft.ML.Recourse.Trainers;
using Xunit.Abstractions;
using Microsoft.ML.Recourse.Tests.TestFramework;

namespace Microsoft.ML.Recourse.Tests.Calibration;

/// <summary>
/// The paper's Table 2 pipeline on the real German credit data (split seed 0, training seed 0): a recourse-aware MLP
/// (λ = 0.8, the published code's perturbation sign, reference settings), θ₀ calibrated with PARE on the validation
/// split (n = 100) using one-step recourse, and the evaluation suite on the test split.
/// </summary>
public class PareGermanTests(ITestOutputHelper output)
{
    [ReferenceDataFact]
    public void Pare_GermanRecourseAwareModel_CertifiesAndKeepsRecourse()
    {
        var context = new MLContext(0).Recourse();
        var german = context.Datasets.German(splitSeed: 0);
        var actions = ActionSet.FromFeatures(german.Features, german.MaximumChange);
        var model = context.Trainers.RecourseAwareMultilayerPerceptron(new RecourseAwareMultilayerPerceptronTrainer.Options
        {
            ActionSet = actions, RecourseWeight = 0.8, PerturbationDirection = PerturbationDirection.ReferenceCode,
            NumberOfEpochs = 50, BatchSize = 30, Seed = 0,
        }).Fit(german.TrainSet, german.ValidationSet);
        var oneStep = context.Generators.OneStep(PerturbationDirection.ReferenceCode);

        var standard = context.Calibration.Pare(model, oneStep, actions).Fit(german.ValidationSet);
        var reference = context.Calibration.Pare(model, oneStep, actions, convention: ParameterConvention.ReferenceCode).Fit(german.ValidationSet);
        var atF1 = context.Evaluation.Evaluate(model.Model, model.Threshold, actions, [oneStep], german.TestSet);
        var atPare = context.Evaluation.Evaluate(standard.Model.Model, standard.Threshold, actions, [oneStep], german.TestSet);
        output.WriteLine($"F1 max: θ₀ = {model.Threshold:F3}, test F1 = {atF1.Classification.F1Score:F3}, recourse-all = {atF1.Recourse[0].RecourseAll:F3}");
        output.WriteLine($"PARE standard: n = {standard.CalibrationSize}, k* = {standard.AllowedMisses}, θ̄ = {standard.ThresholdUpperBound:F3}, θ₀ = {standard.Threshold:F3}, test F1 = {atPare.Classification.F1Score:F3}, recourse-all = {atPare.Recourse[0].RecourseAll:F3}");
        output.WriteLine($"PARE reference code: k* = {reference.AllowedMisses}, θ̄ = {reference.ThresholdUpperBound:F3}, θ₀ = {reference.Threshold:F3}");

        standard.CalibrationSize.Should().Be(100);
        standard.AllowedMisses.Should().Be(1);
        reference.AllowedMisses.Should().Be(8);
        standard.Threshold.Should().BeLessThanOrEqualTo(standard.ThresholdUpperBound);
        reference.ThresholdUpperBound.Should().BeGreaterThanOrEqualTo(standard.ThresholdUpperBound);
        atPare.Recourse[0].RecourseAll.Should().BeGreaterThanOrEqualTo(0.9, "the paper reports 1.000 for German with PARE (Table 2)");
    }
}
