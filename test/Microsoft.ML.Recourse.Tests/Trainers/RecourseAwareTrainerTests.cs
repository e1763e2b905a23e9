using Microsoft.ML.Runtime;
using Microsoft.ML;
using Microsoft.ML.Recourse.Actions;
using Microsoft.ML.Data;
using Microsoft.ML.Recourse.Evaluation;
using Microsoft.ML.Recourse.Models;
using Microsoft.ML.Recourse.Tests.TestFramework;
using Microsoft.ML.Recourse.Trainers;

namespace Microsoft.ML.Recourse.Tests.Trainers;

public class RecourseAwareTrainerTests
{
    // x0 may move freely (by at most 0.75), x1 is immutable; the positive blob lies towards +x0 and +x1.
    private static readonly FeatureInfo[] Features =
    [
        new("x0", Actionability: FeatureActionability.Free),
        new("x1"),
    ];

    private static readonly ActionSet Actions = ActionSet.FromFeatures(Features, 0.75);

    private static IDataView Blobs(int rows = 400, int seed = 1, double separation = 3)
        => ToyData.View(ToyData.Blobs(rows, 2, separation, seed));

    private static IDataView[] InvalidSchemas() =>
    [
        new DataViewBuilder().AddColumn("Label", [true, false]).Build(),
        new DataViewBuilder().AddVectorColumn("Features", 2, [1f, 2f, 3f, 4f]).AddColumn("Label", [1f, 0f]).Build(),
    ];

    // Valid shapes (a shape carries no vector size) with unusable content: a feature vector of the wrong size, one class, NaN.
    private static IDataView[] InvalidData() =>
    [
        new DataViewBuilder().AddVectorColumn("Features", 3, [1f, 2f, 3f, 4f, 5f, 6f]).AddColumn("Label", [true, false]).Build(),
        new DataViewBuilder().AddVectorColumn("Features", 2, [1f, 2f, 3f, 4f]).AddColumn("Label", [true, true]).Build(),
        new DataViewBuilder().AddVectorColumn("Features", 2, [1f, float.NaN, 3f, 4f]).AddColumn("Label", [true, false]).Build(),
    ];

    private sealed class Recorder<T> : IProgress<T>
    {
        public List<T> Reports { get; } = [];

        public void Report(T value) => Reports.Add(value);
    }

    // The share of rows predicted unfavourable (g < θ₀) that the one-step generator flips.
    private static double OneStepRecourseRate(ScorerModelParameters model, double threshold, ActionSet actions, double[] rows, PerturbationDirection direction)
    {
        int d = model.FeatureCount;
        var scores = new double[rows.Length / d];
        model.ScoreBatch(rows, scores);
        var negatives = Enumerable.Range(0, scores.Length).Where(r => scores[r] < threshold).SelectMany(r => rows.AsSpan(r * d, d).ToArray()).ToArray();
        if (negatives.Length == 0) return double.NaN;
        var results = new MLContext(1).Recourse().Generators.OneStep(direction).Generate(model, threshold, actions, negatives);
        return results.Count(r => r.IsValid) / (double)results.Count;
    }

    private static double[] Matrix(IDataView data) => data.GetColumn<float[]>("Features").SelectMany(f => f.Select(v => (double)v)).ToArray();

    [Fact]
    public void RecourseAwareLogisticRegression_PassesEstimatorConformance()
    {
        var options = new RecourseAwareLogisticRegressionTrainer.Options { ActionSet = Actions, RecourseWeight = 0.8, NumberOfEpochs = 5, LearningRate = 0.05 };
        var model = EstimatorConformance.Check(ctx => ctx.Trainers.RecourseAwareLogisticRegression(options),
            Blobs(), invalidSchemaInputs: InvalidSchemas(), invalidDataInputs: InvalidData());
        ToyData.Accuracy(model.Transform(Blobs(400, seed: 2))).Should().BeGreaterThan(0.8);
    }

    [Fact]
    public void RecourseAwareMultilayerPerceptron_PassesEstimatorConformance_WithThresholdFromHeldOutRows()
    {
        var options = new RecourseAwareMultilayerPerceptronTrainer.Options
        {
            ActionSet = Actions, RecourseWeight = 0.5, HiddenLayerSizes = [8, 8], NumberOfEpochs = 4, LearningRate = 0.01,
            ValidationFraction = 0.25, PerturbationDirection = PerturbationDirection.ReferenceCode,
        };
        var model = EstimatorConformance.Check(ctx => ctx.Trainers.RecourseAwareMultilayerPerceptron(options),
            Blobs(), invalidSchemaInputs: InvalidSchemas(), invalidDataInputs: InvalidData());
        ThresholdSelection.TrainingGrid.Should().Contain(model.Threshold);
        ToyData.Accuracy(model.Transform(Blobs(400, seed: 2))).Should().BeGreaterThan(0.8);
    }

    [Fact]
    public void Catalog_FlatOverloads_CarryTheirArguments()
    {
        var trainers = new MLContext(1).Recourse().Trainers;
        var logistic = trainers.RecourseAwareLogisticRegression(Actions, recourseWeight: 1.5, PerturbationDirection.ReferenceCode);
        logistic.RecourseWeight.Should().Be(1.5);
        logistic.PerturbationDirection.Should().Be(PerturbationDirection.ReferenceCode);
        var mlp = trainers.RecourseAwareMultilayerPerceptron(Actions);
        mlp.RecourseWeight.Should().Be(0.8);
        mlp.PerturbationDirection.Should().Be(PerturbationDirection.Recourse);
        mlp.HiddenLayerSizes.Should().Equal(100, 100);
    }

    [Fact]
    public void RecourseWeightZero_TrainsThePlainPerceptronBitForBit()
    {
        var data = Blobs();
        var recourse = new MLContext(1).Recourse().Trainers.RecourseAwareMultilayerPerceptron(new RecourseAwareMultilayerPerceptronTrainer.Options
        {
            ActionSet = Actions, RecourseWeight = 0, HiddenLayerSizes = [10, 6], NumberOfEpochs = 3, DropoutRate = 0.3, Seed = 5, ShuffleEachEpoch = true,
        }).Fit(data);
        var plain = new MLContext(1).Recourse().Trainers.MultilayerPerceptron(new MultilayerPerceptronTrainer.Options
        {
            HiddenLayerSizes = [10, 6], NumberOfEpochs = 3, DropoutRate = 0.3, Seed = 5, ShuffleEachEpoch = true,
        }).Fit(data);
        for (int l = 0; l < plain.Model.Layers.Count; l++)
        {
            recourse.Model.Layers[l].Weights.Should().Equal(plain.Model.Layers[l].Weights);
            recourse.Model.Layers[l].Biases.Should().Equal(plain.Model.Layers[l].Biases);
        }
        recourse.Transform(data).GetColumn<float>("Probability").Should().Equal(plain.Transform(data).GetColumn<float>("Probability"));
    }

    [Fact]
    public void RecourseWeightZero_TrainsThePlainLogisticRegressionBitForBit()
    {
        var data = Blobs();
        var recourse = new MLContext(1).Recourse().Trainers.RecourseAwareLogisticRegression(
            new RecourseAwareLogisticRegressionTrainer.Options { ActionSet = Actions, RecourseWeight = 0, NumberOfEpochs = 3, Seed = 2 }).Fit(data);
        var plain = new MLContext(1).Recourse().Trainers.LogisticRegression(
            new LogisticRegressionTrainer.Options { NumberOfEpochs = 3, Seed = 2 }).Fit(data);
        recourse.Model.Weights.Should().Equal(plain.Model.Weights);
        recourse.Model.Bias.Should().Be(plain.Model.Bias);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void PositiveRecourseWeight_RaisesTheOneStepRecourseRate(bool perceptron)
    {
        var train = Blobs(600, seed: 3, separation: 2.5);
        var test = Matrix(Blobs(600, seed: 4, separation: 2.5));
        (ScorerModelParameters Model, double Threshold) Fit(double weight)
        {
            var trainers = new MLContext(1).Recourse().Trainers;
            if (perceptron)
            {
                var m = trainers.RecourseAwareMultilayerPerceptron(new RecourseAwareMultilayerPerceptronTrainer.Options
                { ActionSet = Actions, RecourseWeight = weight, HiddenLayerSizes = [16, 16], NumberOfEpochs = 10, LearningRate = 0.005, Seed = 3 }).Fit(train);
                return (m.Model, m.Threshold);
            }
            var l = trainers.RecourseAwareLogisticRegression(new RecourseAwareLogisticRegressionTrainer.Options
            { ActionSet = Actions, RecourseWeight = weight, NumberOfEpochs = 10, LearningRate = 0.01, Seed = 3 }).Fit(train);
            return (l.Model, l.Threshold);
        }
        var (baseline, baselineThreshold) = Fit(0);
        var (aware, awareThreshold) = Fit(2);
        baselineThreshold.Should().Be(0.5, "without validation data the threshold stays 0.5");
        awareThreshold.Should().Be(0.5);
        double before = OneStepRecourseRate(baseline, 0.5, Actions, test, PerturbationDirection.Recourse);
        double after = OneStepRecourseRate(aware, 0.5, Actions, test, PerturbationDirection.Recourse);
        after.Should().BeGreaterThan(before + 0.2, $"λ = 2 should leave one-step recourse for many more rejected rows (λ = 0: {before:F3}, λ = 2: {after:F3})");
    }

    [Fact]
    public void ValidationLoss_IncludesTheRecourseTerm()
    {
        var train = Blobs(300, seed: 5);
        var validation = Blobs(120, seed: 6);
        var progress = new Recorder<TrainingProgress>();
        const double weight = 0.7;
        var model = new MLContext(1).Recourse().Trainers.RecourseAwareLogisticRegression(new RecourseAwareLogisticRegressionTrainer.Options
        {
            ActionSet = Actions, RecourseWeight = weight, NumberOfEpochs = 4, LearningRate = 0.02, ClassWeighting = ClassWeighting.None, Seed = 1, Progress = progress,
        }).Fit(train, validation);
        var selected = progress.Reports.Last(p => p.IsBest);

        var x = Matrix(validation);
        var y = validation.GetColumn<bool>("Label").ToArray();
        var scores = new double[y.Length];
        var gradients = new double[x.Length];
        model.Model.ScoreAndInputGradientBatch(x, scores, gradients);
        var perturbation = new OneStepPerturbation(Actions, PerturbationDirection.Recourse);
        double expected = 0;
        for (int r = 0; r < y.Length; r++)
        {
            expected += -Math.Log(y[r] ? scores[r] : 1 - scores[r]);
            var delta = perturbation.Minimize(x.AsSpan(r * 2, 2), gradients.AsSpan(r * 2, 2)).Delta;
            if (delta.Any(v => v != 0))
                expected += weight * -Math.Log(model.Model.Score([x[2 * r] + delta[0], x[2 * r + 1] + delta[1]]));
        }
        selected.ValidationLoss.Should().BeApproximately(expected / y.Length, 1e-9);
    }

    [Fact]
    public void Fit_WithValidationData_ChoosesTheFirstBestF1OnTheGrid()
    {
        var train = Blobs(400, seed: 7, separation: 1.5);
        var validation = Blobs(150, seed: 8, separation: 1.5);
        var log = new List<string>();
        var ml = new MLContext(1);
        ml.Log += (_, e) => { if (e.Kind == ChannelMessageKind.Info) log.Add(e.RawMessage); };
        var context = ml.Recourse();
        var model = context.Trainers.RecourseAwareMultilayerPerceptron(new RecourseAwareMultilayerPerceptronTrainer.Options
        { ActionSet = Actions, RecourseWeight = 0.8, HiddenLayerSizes = [12], NumberOfEpochs = 5, LearningRate = 0.01, Seed = 4 }).Fit(train, validation);

        var probabilities = model.Transform(validation).GetColumn<float>("Probability").ToArray();
        var x = Matrix(validation);
        var scores = new double[probabilities.Length];
        model.Model.ScoreBatch(x, scores);
        var labels = validation.GetColumn<bool>("Label").ToArray();
        var f1 = Enumerable.Range(0, 21).Select(k => F1(scores, labels, k / 20.0)).ToArray();
        int best = Array.IndexOf(f1, f1.Max());
        model.Threshold.Should().Be(best / 20.0);
        log.Should().Contain(m => m.StartsWith("validation F1 by threshold: 0.00:", StringComparison.Ordinal));
        log.Should().Contain(m => m.StartsWith("selected epoch", StringComparison.Ordinal));
    }

    [Fact]
    public void SelectThreshold_EveryF1Zero_TakesTheFirstGridValueAndSaysSo()
    {
        // No validation row is favourable, so F1 is 0 at every grid threshold; the reference's argmax gives index 0.
        var model = new LogisticRegressionModelParameters([1.0], 0);
        var log = new List<string>();
        double threshold = RecourseAwareTraining.SelectThreshold(model, [0.5, -0.5], [false, false], log.Add);
        threshold.Should().Be(0);
        log.Should().Contain(m => m.StartsWith("every validation F1 is 0", StringComparison.Ordinal));
    }

    private static double F1(double[] scores, bool[] labels, double threshold)
    {
        int tp = 0, fp = 0, fn = 0;
        for (int i = 0; i < scores.Length; i++)
        {
            if (scores[i] >= threshold) { if (labels[i]) tp++; else fp++; }
            else if (labels[i]) fn++;
        }
        return 2 * tp + fp + fn == 0 ? 0 : 2.0 * tp / (2 * tp + fp + fn);
    }

    [Theory]
    [InlineData(-0.1)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void Catalog_InvalidRecourseWeight_Throws(double weight)
    {
        var trainers = new MLContext(1).Recourse().Trainers;
        var logistic = () => trainers.RecourseAwareLogisticRegression(Actions, recourseWeight: weight);
        var mlp = () => trainers.RecourseAwareMultilayerPerceptron(new RecourseAwareMultilayerPerceptronTrainer.Options { ActionSet = Actions, RecourseWeight = weight });
        logistic.Should().Throw<ArgumentOutOfRangeException>().Where(e => e.ParamName == "RecourseWeight");
        mlp.Should().Throw<ArgumentOutOfRangeException>().Where(e => e.ParamName == "RecourseWeight");
    }

    [Fact]
    public void ColumnActions_BindToTheSlotNamesConcatenateGives_AndMatchAnEquivalentActionSet()
    {
        var ml = new MLContext(seed: 1);
        var rows = Enumerable.Range(0, 300).Select(i => new TwoColumns { A = (float)Math.Sin(i), B = (float)Math.Cos(3 * i), Label = Math.Sin(i) + Math.Cos(3 * i) > 0 }).ToList();
        var data = ml.Transforms.Concatenate("Features", "A", "B").Fit(ml.Data.LoadFromEnumerable(rows)).Transform(ml.Data.LoadFromEnumerable(rows));
        var columnActions = new ColumnActionSet(ColumnDefault.Immutable, new Dictionary<string, ColumnAction> { ["A"] = new() { Direction = ColumnDirection.Increase } }, maximumChange: 0.75);
        var log = new List<string>();
        ml.Log += (_, e) => { if (e.Kind == ChannelMessageKind.Info) log.Add(e.RawMessage); };
        var byColumn = ml.Recourse().Trainers.RecourseAwareLogisticRegression(new RecourseAwareLogisticRegressionTrainer.Options { ColumnActions = columnActions, Seed = 3, NumberOfEpochs = 3 }).Fit(data);
        log.Should().Contain(m => m.Contains("column actions bound to 'Features': A IncreaseOnly, B Immutable", StringComparison.Ordinal));

        // The same actions as an explicit action set over the two slots, scaled by the features' standard deviations.
        var x = Matrix(data);
        double Std(int j) { var v = Enumerable.Range(0, x.Length / 2).Select(r => x[2 * r + j]).ToArray(); double m = v.Average(); return Math.Sqrt(v.Sum(t => (t - m) * (t - m)) / (v.Length - 1)); }
        var explicitActions = ActionSet.CreateBuilder([new FeatureInfo("A", Actionability: FeatureActionability.IncreaseOnly), new FeatureInfo("B")], 0.75)
            .SetStandardScale("A", Std(0)).SetStandardScale("B", Std(1)).Build();
        var byActionSet = new MLContext(seed: 1).Recourse().Trainers.RecourseAwareLogisticRegression(new RecourseAwareLogisticRegressionTrainer.Options { ActionSet = explicitActions, Seed = 3, NumberOfEpochs = 3 }).Fit(data);
        byColumn.Model.Weights.Should().Equal(byActionSet.Model.Weights);
    }

    public sealed class TwoColumns
    {
        public float A { get; set; }
        public float B { get; set; }
        public bool Label { get; set; }
    }

    [Fact]
    public void Catalog_MissingActionSet_Throws()
    {
        var trainers = new MLContext(1).Recourse().Trainers;
        var act = () => trainers.RecourseAwareMultilayerPerceptron(new RecourseAwareMultilayerPerceptronTrainer.Options());
        act.Should().Throw<ArgumentOutOfRangeException>().Where(e => e.ParamName == "ActionSet").WithMessage("*exactly one of ActionSet*and ColumnActions*");
        var both = () => trainers.RecourseAwareMultilayerPerceptron(new RecourseAwareMultilayerPerceptronTrainer.Options { ActionSet = Actions, ColumnActions = new ColumnActionSet() });
        both.Should().Throw<ArgumentOutOfRangeException>().Where(e => e.ParamName == "ActionSet");
        var flat = () => trainers.RecourseAwareLogisticRegression((ActionSet)null!);
        flat.Should().Throw<ArgumentNullException>().Where(e => e.ParamName == "actionSet");
    }

    [Fact]
    public void Fit_ActionSetOfAnotherSize_ThrowsSchemaMismatch()
    {
        var three = ActionSet.FromFeatures([.. Features, new FeatureInfo("x2")], 0.75);
        var trainer = new MLContext(1).Recourse().Trainers.RecourseAwareLogisticRegression(three);
        var act = () => trainer.Fit(Blobs());
        act.Should().Throw<ArgumentOutOfRangeException>().WithMessage("*Features*expected Vector<Single, 3>, got Vector<Single, 2>*");
    }

    [Fact]
    public void Fit_UnlimitedActionableFeature_ThrowsNamingIt()
    {
        var unlimited = ActionSet.CreateBuilder(Features, 0.75).SetMaximumChange("x0", double.PositiveInfinity).Build();
        var trainer = new MLContext(1).Recourse().Trainers.RecourseAwareLogisticRegression(unlimited, numberOfEpochs: 1);
        var act = () => trainer.Fit(Blobs());
        act.Should().Throw<InvalidOperationException>().WithMessage("*training row 0*without limit*x0*");
    }
}
