using Microsoft.ML.Data;
using Microsoft.ML.Recourse.Actions;
using Microsoft.ML.Recourse.Tests.TestFramework;

namespace Microsoft.ML.Recourse.Tests.Recourse;

// Recourse for ML.NET's own trained models, on the user's raw columns: every action the library returns is applied to
// the raw row and re-scored by the ML.NET model itself, whose PredictedLabel must accept it.
public class MlNetModelRecourseTests
{
    public sealed class Applicant
    {
        public float Income { get; set; }
        public float Debt { get; set; }
        public float Age { get; set; }
        public float Hours { get; set; }
        public bool Label { get; set; }
    }

    private static readonly string[] Inputs = ["Income", "Debt", "Age", "Hours"];

    internal static List<Applicant> Applicants(int count, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, count).Select(_ =>
        {
            float income = (float)(30 + 60 * random.NextDouble()), debt = (float)(40 * random.NextDouble());
            float age = random.Next(20, 70), hours = random.Next(10, 60);
            double logit = 0.08 * (income - 60) - 0.06 * (debt - 20) + 0.05 * (hours - 35) + 0.6 * ToyData.Gaussian(random);
            return new Applicant { Income = income, Debt = debt, Age = age, Hours = hours, Label = logit > 0 };
        }).ToList();
    }

    internal static readonly ColumnActionSet Actions = new(ColumnDefault.Free, new Dictionary<string, ColumnAction>
    {
        ["Age"] = new() { Mutable = false },
        ["Debt"] = new() { Direction = ColumnDirection.Decrease },
        ["Hours"] = new() { Lower = 1, Upper = 60 },
    }, maximumChange: 1.5);

    private static IEstimator<ITransformer> Pipeline(MLContext ml, string normaliser, string trainer)
    {
        IEstimator<ITransformer> normalise = normaliser switch
        {
            "MeanVariance" => ml.Transforms.NormalizeMeanVariance("Features"),
            "MinMax" => ml.Transforms.NormalizeMinMax("Features"),
            "LogMeanVariance" => ml.Transforms.NormalizeLogMeanVariance("Features"),
            _ => throw new ArgumentOutOfRangeException(nameof(normaliser)),
        };
        IEstimator<ITransformer> train = trainer switch
        {
            "Lbfgs" => ml.BinaryClassification.Trainers.LbfgsLogisticRegression(),
            "Sdca" => ml.BinaryClassification.Trainers.SdcaLogisticRegression(),
            "AveragedPerceptron" => ml.BinaryClassification.Trainers.AveragedPerceptron(),
            "LinearSvm" => ml.BinaryClassification.Trainers.LinearSvm(),
            _ => throw new ArgumentOutOfRangeException(nameof(trainer)),
        };
        return ml.Transforms.Concatenate("Features", Inputs).Append(normalise).Append(train);
    }

    [Theory]
    [InlineData("MeanVariance", "Lbfgs", "onestep")]
    [InlineData("MeanVariance", "Lbfgs", "linearIp")]
    [InlineData("MinMax", "Sdca", "onestep")]
    [InlineData("MeanVariance", "AveragedPerceptron", "linearIp")]
    [InlineData("MinMax", "LinearSvm", "onestep")]
    [InlineData("LogMeanVariance", "Lbfgs", "onestep")]
    public void Recourse_ForMlNetLinearModels_IsAcceptedByTheModelsOwnPredictedLabel_AndKeepsTheActionRules(string normaliser, string trainer, string generatorName)
    {
        var ml = new MLContext(seed: 1);
        var rows = Applicants(1500, seed: 3);
        var data = ml.Data.LoadFromEnumerable(rows);
        var model = Pipeline(ml, normaliser, trainer).Fit(data);
        IRecourseGenerator generator = generatorName == "onestep" ? ml.Recourse().Generators.OneStep() : ml.Recourse().Generators.LinearIntegerProgram();

        var recourse = ml.Recourse().GenerateRecourse(model, Actions, generator).Fit(data);
        var output = recourse.Transform(data);

        recourse.InputColumnNames.Should().Equal(Inputs);
        var status = output.GetColumn<string>("RecourseStatus").ToArray();
        var has = output.GetColumn<bool>("HasRecourse").ToArray();
        var delta = output.GetColumn<float[]>("RecourseDelta").ToArray();
        var before = model.Transform(data).GetColumn<bool>("PredictedLabel").ToArray();
        status.Select((s, i) => s == "Accepted" == before[i]).Should().OnlyContain(same => same, "a row is 'Accepted' exactly when the model predicts it positive");

        var found = Enumerable.Range(0, rows.Count).Where(i => status[i] != "Accepted" && has[i]).ToArray();
        found.Length.Should().BeGreaterThan(status.Count(s => s != "Accepted") / 3, "most rejected applicants have recourse within 1.5 standard deviations");
        var moved = found.Select(i => new Applicant
        {
            Income = rows[i].Income + delta[i][0],
            Debt = rows[i].Debt + delta[i][1],
            Age = rows[i].Age + delta[i][2],
            Hours = rows[i].Hours + delta[i][3],
        }).ToList();
        model.Transform(ml.Data.LoadFromEnumerable(moved)).GetColumn<bool>("PredictedLabel").Should().OnlyContain(p => p,
            "every returned action must be accepted by the ML.NET model's own PredictedLabel");
        foreach (int i in found)
        {
            delta[i][2].Should().Be(0, "age is immutable");
            delta[i][1].Should().BeLessThanOrEqualTo(0, "debt may only decrease");
            (rows[i].Hours + delta[i][3]).Should().BeInRange(1, 60);
        }
    }

    [Fact]
    public void RecourseEstimator_WrappingAPipelineEstimator_PassesConformance_AndSavesWithTheModel()
    {
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(Applicants(400, seed: 5));
        var transformer = EstimatorConformance.Check(
            catalog => catalog.GenerateRecourse(Pipeline(ml, "MeanVariance", "Lbfgs"), Actions, catalog.Generators.OneStep()),
            data);
        transformer.IncludedModel.Should().NotBeNull();
        var output = transformer.Transform(data);
        output.Schema.Select(c => c.Name).Should().Contain(["Score", "Probability", "PredictedLabel", "RecourseDelta", "RecourseCost", "HasRecourse", "RecourseStatus"]);
        ml.BinaryClassification.Evaluate(output).Accuracy.Should().BeGreaterThan(0.8, "the included model's columns are ML.NET's own");
        ml.Recourse().Audit(output).Overall.Negatives.Should().BeGreaterThan(0);
    }

    [Fact]
    public void FittedModelAndRecourse_SavedTogether_LoadWithIdenticalColumns_AndTypedWayBack()
    {
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(Applicants(300, seed: 7));
        var model = Pipeline(ml, "MeanVariance", "Lbfgs").Fit(data);
        var recourse = ml.Recourse().GenerateRecourse(model, Actions, ml.Recourse().Generators.LinearIntegerProgram()).Fit(data);
        var whole = model.Append(recourse);
        using var stream = new MemoryStream();
        ml.Model.Save(whole, data.Schema, stream);
        stream.Position = 0;

        var other = new MLContext(seed: 9);
        var loaded = other.Model.Load(stream, out var schema);
        schema.Select(c => c.Name).Should().Equal(data.Schema.Select(c => c.Name));
        EstimatorConformance.SameValues(loaded.Transform(data), whole.Transform(data), "the model loaded by ML.NET");
        var typed = other.Recourse().Model.GetTransformer<RecourseTransformer>(loaded);
        typed.Threshold.Should().Be(recourse.Threshold);
        typed.InputColumnNames.Should().Equal(Inputs);
        typed.ActionSet.Actions.Select(a => a.Actionability).Should().Equal(recourse.ActionSet.Actions.Select(a => a.Actionability));
        other.Recourse().Model.ReadClassifier(loaded).Description.Should().Contain("LinearBinaryModelParameters");
    }

    [Fact]
    public void ChangedModelThreshold_IsReadFromTheModelsOwnDecisions()
    {
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(Applicants(300, seed: 11));
        var features = ml.Transforms.Concatenate("Features", Inputs).Append(ml.Transforms.NormalizeMeanVariance("Features")).Fit(data);
        var predictor = ml.BinaryClassification.Trainers.AveragedPerceptron().Fit(features.Transform(data));
        var strict = ml.BinaryClassification.ChangeModelThreshold(predictor, 1.25f);

        var view = ml.Recourse().Model.ReadClassifier(strict);
        view.Description.Should().Contain("score > 1.25");
        var recourse = ml.Recourse().GenerateRecourse(features.Append(strict), Actions, ml.Recourse().Generators.OneStep()).Fit(data);
        var output = recourse.Transform(data);
        var accepted = features.Append(strict).Transform(data).GetColumn<bool>("PredictedLabel").ToArray();
        output.GetColumn<string>("RecourseStatus").Select((s, i) => s == "Accepted" == accepted[i]).Should().OnlyContain(same => same);
    }

    [Fact]
    public void NonTransparentTransform_InFrontOfTheClassifier_IsNamedInTheError()
    {
        var ml = new MLContext(seed: 1);
        var rows = Applicants(200, seed: 13).Select(a => new { a.Income, a.Debt, a.Label, Region = a.Age > 40 ? "north" : "south" }).ToList();
        var data = ml.Data.LoadFromEnumerable(rows);
        var model = ml.Transforms.Categorical.OneHotEncoding("RegionCode", "Region")
            .Append(ml.Transforms.Concatenate("Features", "Income", "Debt", "RegionCode"))
            .Append(ml.BinaryClassification.Trainers.LbfgsLogisticRegression()).Fit(data);

        var act = () => ml.Recourse().GenerateRecourse(model, new ColumnActionSet(), ml.Recourse().Generators.OneStep()).Fit(data);

        act.Should().Throw<InvalidOperationException>().WithMessage("*transparent: OneHotEncodingTransformer computes slot 0 of 'RegionCode' from the String column 'Region'*");
    }

    [Fact]
    public void ActionSet_NamingAColumnTheModelDoesNotRead_IsRejectedListingTheInputs()
    {
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(Applicants(200, seed: 17));
        var model = Pipeline(ml, "MeanVariance", "Lbfgs").Fit(data);
        var actions = new ColumnActionSet().With("Savings", new ColumnAction { Direction = ColumnDirection.Increase });

        var act = () => ml.Recourse().GenerateRecourse(model, actions, ml.Recourse().Generators.OneStep()).Fit(data);

        act.Should().Throw<ArgumentOutOfRangeException>().WithMessage("*'Savings', which is not an input of the model; its inputs are: Income, Debt, Age, Hours*");
    }

    [Fact]
    public void ScoringAFileWithARenamedColumn_IsAnErrorNamingIt()
    {
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(Applicants(200, seed: 19));
        var model = Pipeline(ml, "MeanVariance", "Lbfgs").Fit(data);
        var recourse = ml.Recourse().GenerateRecourse(model, Actions, ml.Recourse().Generators.OneStep()).Fit(data);
        var renamed = ml.Transforms.CopyColumns("Salary", "Income").Append(ml.Transforms.DropColumns("Income")).Fit(data).Transform(data);

        FluentActions.Invoking(() => recourse.Transform(renamed)).Should().Throw<ArgumentOutOfRangeException>().WithMessage("Could not find input column 'Income'*");
    }

    public static TheoryData<string> ReusedNamePipelines => ["normalise into F2, copy back to Features", "normalise two inputs in place, then concatenate", "select columns, normalise in place"];

    // ML.NET places an output that reuses a name next to the column it hides, not at the end of the schema: such a
    // transform must still be traced, or the recourse is computed on another function than the model's.
    [Theory]
    [MemberData(nameof(ReusedNamePipelines))]
    public void Transforms_ThatReuseAColumnName_AreTraced_AndEveryActionIsAccepted(string shape)
    {
        var ml = new MLContext(seed: 1);
        var rows = Applicants(400, seed: 23);
        var data = ml.Data.LoadFromEnumerable(rows);
        IEstimator<ITransformer> features = shape switch
        {
            "normalise into F2, copy back to Features" => ml.Transforms.Concatenate("Features", Inputs)
                .Append(ml.Transforms.NormalizeMeanVariance("F2", "Features"))
                .Append(ml.Transforms.CopyColumns("Features", "F2")),
            "normalise two inputs in place, then concatenate" => ml.Transforms.NormalizeMeanVariance("Income")
                .Append(ml.Transforms.NormalizeMinMax("Debt"))
                .Append(ml.Transforms.Concatenate("Features", Inputs)),
            _ => ml.Transforms.SelectColumns([.. Inputs, "Label"])
                .Append(ml.Transforms.NormalizeMinMax("Income"))
                .Append(ml.Transforms.Concatenate("Features", Inputs)),
        };
        var model = features.Append(ml.BinaryClassification.Trainers.LbfgsLogisticRegression()).Fit(data);
        var output = ml.Recourse().GenerateRecourse(model, Actions, ml.Recourse().Generators.LinearIntegerProgram()).Fit(data).Transform(data);

        var status = output.GetColumn<string>("RecourseStatus").ToArray();
        var before = model.Transform(data).GetColumn<bool>("PredictedLabel").ToArray();
        status.Select((st, i) => st == "Accepted" == before[i]).Should().OnlyContain(same => same, "a row is 'Accepted' exactly when the model predicts it positive");
        var has = output.GetColumn<bool>("HasRecourse").ToArray();
        var delta = output.GetColumn<float[]>("RecourseDelta").ToArray();
        var found = Enumerable.Range(0, rows.Count).Where(i => status[i] != "Accepted" && has[i]).ToArray();
        found.Should().NotBeEmpty();
        var moved = found.Select(i => new Applicant
        {
            Income = rows[i].Income + delta[i][0], Debt = rows[i].Debt + delta[i][1], Age = rows[i].Age + delta[i][2], Hours = rows[i].Hours + delta[i][3],
        }).ToList();
        model.Transform(ml.Data.LoadFromEnumerable(moved)).GetColumn<bool>("PredictedLabel").Should().OnlyContain(p => p);
    }

    // The CDF normaliser composes with the concatenation whatever the first row holds: values whose probe step
    // crosses a power of two (28.6, 30.1) once left a rounding offset that refused the composition.
    [Theory]
    [InlineData(28.6f)]
    [InlineData(30.1f)]
    [InlineData(23.456f)]
    public void LogMeanVariance_IsComposed_WhateverTheFirstRowHolds(float firstIncome)
    {
        var ml = new MLContext(seed: 1);
        var rows = Applicants(600, seed: 29);
        rows[0].Income = firstIncome;
        var data = ml.Data.LoadFromEnumerable(rows);
        var model = Pipeline(ml, "LogMeanVariance", "Lbfgs").Fit(data);
        var output = ml.Recourse().GenerateRecourse(model, Actions, ml.Recourse().Generators.OneStep()).Fit(data).Transform(data);
        var status = output.GetColumn<string>("RecourseStatus").ToArray();
        var before = model.Transform(data).GetColumn<bool>("PredictedLabel").ToArray();
        status.Select((st, i) => st == "Accepted" == before[i]).Should().OnlyContain(same => same);
    }
}
