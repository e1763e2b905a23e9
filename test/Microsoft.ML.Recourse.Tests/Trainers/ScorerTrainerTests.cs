using Microsoft.ML.Runtime;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Recourse.Models;
using Microsoft.ML.Recourse.Tests.TestFramework;
using Microsoft.ML.Recourse.Trainers;

namespace Microsoft.ML.Recourse.Tests.Trainers;

public class ScorerTrainerTests
{
    private static IDataView Blobs(int rows = 300, int seed = 1, double positiveShare = 0.5, double separation = 4)
        => ToyData.View(ToyData.Blobs(rows, 2, separation, seed, positiveShare));

    // Inputs with a wrong schema: both GetOutputSchema and Fit must reject them.
    private static IDataView[] InvalidSchemas() =>
    [
        new DataViewBuilder().AddColumn("Label", [true, false]).Build(),
        new DataViewBuilder().AddColumn("Features", [1f, 2f]).AddColumn("Label", [true, false]).Build(),
        new DataViewBuilder().AddVectorColumn("Features", 2, [1f, 2f, 3f, 4f]).Build(),
        new DataViewBuilder().AddVectorColumn("Features", 2, [1f, 2f, 3f, 4f]).AddColumn("Label", [1f, 0f]).Build(),
    ];

    // Inputs with a valid schema but unusable content: Fit must reject them.
    private static IDataView[] InvalidData() =>
    [
        new DataViewBuilder().AddVectorColumn("Features", 2, []).AddColumn("Label", Array.Empty<bool>()).Build(),
        new DataViewBuilder().AddVectorColumn("Features", 2, [1f, 2f, 3f, 4f]).AddColumn("Label", [true, true]).Build(),
        new DataViewBuilder().AddVectorColumn("Features", 2, [1f, float.NaN, 3f, 4f]).AddColumn("Label", [true, false]).Build(),
    ];

    private static IDataView[] InvalidTransform() =>
    [
        new DataViewBuilder().AddColumn("Id", [1, 2]).Build(),
        new DataViewBuilder().AddVectorColumn("Features", 3, [1f, 2f, 3f]).Build(),
    ];

    [Fact]
    public void LogisticRegression_PassesEstimatorConformance_AndLearnsSeparableBlobs()
    {
        var data = Blobs();
        var model = EstimatorConformance.Check(ctx => ctx.Trainers.LogisticRegression(numberOfEpochs: 10, learningRate: 0.05),
            data, invalidSchemaInputs: InvalidSchemas(), invalidDataInputs: InvalidData(), invalidTransformInputs: InvalidTransform());
        ToyData.Accuracy(model.Transform(Blobs(500, seed: 2))).Should().BeGreaterThan(0.97);
        model.Model.Weights.Should().OnlyContain(w => w > 0, "both features point towards the positive blob");
    }

    [Fact]
    public void MultilayerPerceptron_PassesEstimatorConformance_AndLearnsANonlinearBoundary()
    {
        var data = ToyData.View(ToyData.Circle(600, 3));
        var options = new MultilayerPerceptronTrainer.Options { HiddenLayerSizes = [24, 24], NumberOfEpochs = 40, LearningRate = 0.01, DropoutRate = 0.1 };
        var model = EstimatorConformance.Check(ctx => ctx.Trainers.MultilayerPerceptron(options),
            data, invalidSchemaInputs: InvalidSchemas(), invalidDataInputs: InvalidData(), invalidTransformInputs: InvalidTransform());
        ToyData.Accuracy(model.Transform(ToyData.View(ToyData.Circle(1000, 4)))).Should().BeGreaterThan(0.93);

        var linear = new MLContext(1).Recourse().Trainers.LogisticRegression(numberOfEpochs: 40).Fit(data);
        ToyData.Accuracy(linear.Transform(ToyData.View(ToyData.Circle(1000, 4)))).Should().BeLessThan(0.8, "a circle is not linearly separable");
    }

    [Fact]
    public void MultilayerPerceptron_Defaults_AreTheReferenceNetwork()
    {
        var trainer = new MLContext(1).Recourse().Trainers.MultilayerPerceptron();
        trainer.HiddenLayerSizes.Should().Equal(100, 100);
        var options = new MultilayerPerceptronTrainer.Options();
        (options.Activation, options.DropoutRate, options.LearningRate, options.BatchSize, options.NumberOfEpochs, options.ClassWeighting, options.ShuffleEachEpoch)
            .Should().Be((Activation.Relu, 0.3, 0.002, 10, 15, ClassWeighting.Balanced, false));
        var model = trainer.Fit(Blobs(40)).Model;
        model.Layers.Select(l => (l.InputCount, l.OutputCount)).Should().Equal((2, 100), (100, 100), (100, 1));
    }

    [Fact]
    public void Fit_BalancedClassWeights_RecoverTheMinorityClass()
    {
        // 10% positives on overlapping blobs: unweighted training predicts the majority far more often. Five short
        // epochs leave each single run seed-dependent, so the claim is checked over eight training seeds.
        var train = Blobs(1000, seed: 5, positiveShare: 0.1, separation: 1.5);
        var test = Blobs(2000, seed: 6, positiveShare: 0.1, separation: 1.5);
        double Recall(ClassWeighting weighting, int seed)
        {
            var options = new LogisticRegressionTrainer.Options { ClassWeighting = weighting, NumberOfEpochs = 5, Seed = seed };
            var scored = new MLContext(1).Recourse().Trainers.LogisticRegression(options).Fit(train).Transform(test);
            var predicted = scored.GetColumn<bool>("PredictedLabel").ToArray();
            var labels = scored.GetColumn<bool>("Label").ToArray();
            return predicted.Where((p, i) => labels[i] && p).Count() / (double)labels.Count(l => l);
        }
        var seeds = Enumerable.Range(1, 8).ToArray();
        var balanced = seeds.Select(s => Recall(ClassWeighting.Balanced, s)).ToArray();
        var none = seeds.Select(s => Recall(ClassWeighting.None, s)).ToArray();
        balanced.Zip(none).Should().OnlyContain(p => p.First > p.Second, "weighting the minority class raises its recall for every seed");
        (balanced.Average() - none.Average()).Should().BeGreaterThan(0.2);
    }

    [Fact]
    public void Fit_WithValidationData_KeepsTheEpochWithTheLowestValidationLoss()
    {
        var reports = new List<TrainingProgress>();
        var train = Blobs(80, seed: 7, separation: 1);
        var validation = Blobs(300, seed: 8, separation: 1);
        var options = new MultilayerPerceptronTrainer.Options
        {
            HiddenLayerSizes = [30], NumberOfEpochs = 30, LearningRate = 0.05, DropoutRate = 0,
            ClassWeighting = ClassWeighting.None, Progress = new ScorerTrainingEngineTests.SyncProgress(reports),
        };
        var model = new MLContext(1).Recourse().Trainers.MultilayerPerceptron(options).Fit(train, validation).Model;

        var losses = reports.Select(r => r.ValidationLoss!.Value).ToList();
        losses.Should().HaveCount(30);
        losses.IndexOf(losses.Min()).Should().BeLessThan(29, "this small noisy problem overfits");
        var features = validation.GetColumn<float[]>("Features").SelectMany(f => f.Select(v => (double)v)).ToArray();
        var labels = validation.GetColumn<bool>("Label").ToArray();
        var scores = new double[labels.Length];
        model.ScoreBatch(features, scores);
        double loss = -scores.Select((g, i) => labels[i] ? Math.Log(g) : Math.Log(1 - g)).Average();
        loss.Should().BeApproximately(losses.Min(), 1e-9);
    }

    [Fact]
    public void Fit_ValidationFraction_HoldsOutRowsAndReportsValidationLoss()
    {
        var reports = new List<TrainingProgress>();
        var options = new LogisticRegressionTrainer.Options { ValidationFraction = 0.25, NumberOfEpochs = 3, Progress = new ScorerTrainingEngineTests.SyncProgress(reports) };
        var ml = new MLContext(1);
        var log = new List<string>();
        ml.Log += (_, e) => { if (e.Kind == ChannelMessageKind.Info) log.Add(e.Source + " " + e.RawMessage); };
        var ctx = ml.Recourse();
        ctx.Trainers.LogisticRegression(options).Fit(Blobs(200));
        reports.Should().HaveCount(3).And.OnlyContain(r => r.ValidationLoss != null);
        log.Should().Contain(l => l.Contains("LogisticRegressionTrainer training on 150 rows (50 validation)", StringComparison.Ordinal));
        log.Should().Contain(l => l.Contains("epoch 3/3", StringComparison.Ordinal));
    }

    [Fact]
    public void Fit_BothValidationDataAndFraction_IsRejected()
    {
        var trainer = new MLContext(1).Recourse().Trainers.LogisticRegression(new LogisticRegressionTrainer.Options { ValidationFraction = 0.2 });
        FluentActions.Invoking(() => trainer.Fit(Blobs(), Blobs())).Should().Throw<ArgumentOutOfRangeException>()
            .WithParameterName("validationData").WithMessage("Pass either validation data or a ValidationFraction*");
    }

    [Fact]
    public void Fit_ValidationDataWithOtherFeatureSize_IsRejectedWithMLNetMessage()
    {
        var trainer = new MLContext(1).Recourse().Trainers.LogisticRegression();
        var other = ToyData.View(ToyData.Blobs(20, 3, 2, 1));
        FluentActions.Invoking(() => trainer.Fit(Blobs(), other)).Should().Throw<ArgumentOutOfRangeException>()
            .WithMessage("Schema mismatch for feature column 'Features': expected Vector<Single, 2>, got Vector<Single, 3>*");
    }

    [Fact]
    public void FitAndGetOutputSchema_MissingOrMistypedColumns_UseMLNetMessages()
    {
        var trainer = new MLContext(1).Recourse().Trainers.MultilayerPerceptron(labelColumnName: "Approved");
        var data = Blobs(10);
        FluentActions.Invoking(() => trainer.Fit(data)).Should().Throw<ArgumentOutOfRangeException>().WithMessage("Could not find label column 'Approved'*");
        FluentActions.Invoking(() => trainer.GetOutputSchema(data.Schema.ToShape())).Should().Throw<ArgumentOutOfRangeException>()
            .WithMessage("Could not find label column 'Approved'*");
        var mistyped = new DataViewBuilder().AddVectorColumn("Features", 2, [1f, 2f]).AddColumn("Approved", [1.0]).Build();
        FluentActions.Invoking(() => trainer.Fit(mistyped)).Should().Throw<ArgumentOutOfRangeException>()
            .WithMessage("Schema mismatch for label column 'Approved': expected Boolean, got Double*");
        var noFeatures = new DataViewBuilder().AddColumn("Approved", [true]).Build();
        FluentActions.Invoking(() => trainer.GetOutputSchema(noFeatures.Schema.ToShape())).Should().Throw<ArgumentOutOfRangeException>()
            .WithMessage("Could not find feature column 'Features'*");
    }

    [Fact]
    public void Fit_BadContent_ThrowsClearErrors()
    {
        var trainer = new MLContext(1).Recourse().Trainers.LogisticRegression();
        var nan = new DataViewBuilder().AddVectorColumn("Features", 2, [1f, 2f, 3f, float.PositiveInfinity], ["age", "income"]).AddColumn("Label", [true, false]).Build();
        FluentActions.Invoking(() => trainer.Fit(nan)).Should().Throw<ArgumentOutOfRangeException>()
            .WithMessage("Column 'Features' has a non-finite value (Infinity) in row 1, slot 1 ('income').*");
        var oneClass = new DataViewBuilder().AddVectorColumn("Features", 2, [1f, 2f, 3f, 4f]).AddColumn("Label", [false, false]).Build();
        FluentActions.Invoking(() => trainer.Fit(oneClass)).Should().Throw<InvalidOperationException>().WithMessage("*only one class (all false)*");
        var empty = new DataViewBuilder().AddVectorColumn("Features", 2, []).AddColumn("Label", Array.Empty<bool>()).Build();
        FluentActions.Invoking(() => trainer.Fit(empty)).Should().Throw<InvalidOperationException>().WithMessage("The training data is empty*");
    }

    [Theory]
    [InlineData("NumberOfEpochs")]
    [InlineData("BatchSize")]
    [InlineData("LearningRate")]
    [InlineData("L2Regularization")]
    [InlineData("ValidationFraction")]
    [InlineData("DropoutRate")]
    [InlineData("HiddenLayerSizes")]
    public void Options_OutOfRange_AreRejectedWhenTheTrainerIsCreated(string parameter)
    {
        var options = parameter switch
        {
            "NumberOfEpochs" => new MultilayerPerceptronTrainer.Options { NumberOfEpochs = 0 },
            "BatchSize" => new MultilayerPerceptronTrainer.Options { BatchSize = -1 },
            "LearningRate" => new MultilayerPerceptronTrainer.Options { LearningRate = double.NaN },
            "L2Regularization" => new MultilayerPerceptronTrainer.Options { L2Regularization = -1 },
            "ValidationFraction" => new MultilayerPerceptronTrainer.Options { ValidationFraction = 1 },
            "DropoutRate" => new MultilayerPerceptronTrainer.Options { DropoutRate = 1 },
            _ => new MultilayerPerceptronTrainer.Options { HiddenLayerSizes = [10, 0] },
        };
        FluentActions.Invoking(() => new MLContext(1).Recourse().Trainers.MultilayerPerceptron(options))
            .Should().Throw<ArgumentOutOfRangeException>().WithParameterName(parameter);
    }

    [Fact]
    public void Catalog_NullArguments_Throw()
    {
        FluentActions.Invoking(() => new MLContext(1).Recourse().Trainers.LogisticRegression((LogisticRegressionTrainer.Options)null!))
            .Should().Throw<ArgumentNullException>().WithParameterName("options");
    }

    [Fact]
    public void Fit_SameContextSeed_SameModel_ExplicitSeedOverridesTheContext()
    {
        var data = Blobs(60);
        MultilayerPerceptronModelParameters Train(int contextSeed, int? seed) => new MLContext(contextSeed).Recourse().Trainers
            .MultilayerPerceptron(new MultilayerPerceptronTrainer.Options { HiddenLayerSizes = [8], NumberOfEpochs = 2, Seed = seed }).Fit(data).Model;
        Train(1, null).Layers[0].Weights.Should().Equal(Train(1, null).Layers[0].Weights);
        Train(1, null).Layers[0].Weights.Should().NotEqual(Train(2, null).Layers[0].Weights);
        Train(1, 5).Layers[0].Weights.Should().Equal(Train(2, 5).Layers[0].Weights);
    }
}
