using Microsoft.ML;
using Microsoft.ML.Recourse.ModelUpdates;
using Microsoft.ML.Recourse.Trees;

namespace Microsoft.ML.Recourse.Tests.Recourse.Trees;

/// <summary>The model-update simulation with a FastTree base model and the exact tree generator: recourse computed on M1 is valid under M1, and a retrained ensemble invalidates part of it.</summary>
public class TreeModelUpdateTests
{
    private static readonly string[] Inputs = ["Income", "Debt", "Age", "Hours"];

    [Fact]
    public void Run_FastTreeBaseModelWithTheTreeGenerator_ValidUnderM1AndPartlyInvalidatedByTheRetrainedEnsemble()
    {
        var ml = new MLContext(seed: 1);
        IDataView View(int count, int seed, float incomeShift)
        {
            var rows = MlNetModelRecourseTests.Applicants(count, seed);
            foreach (var row in rows) row.Income += incomeShift;
            var view = ml.Data.LoadFromEnumerable(rows);
            return ml.Transforms.Concatenate("Features", Inputs).Fit(view).Transform(view);
        }
        var shift = ml.Recourse().Datasets.CreateShift("applicants", View(600, seed: 3, incomeShift: 0), View(600, seed: 4, incomeShift: 5));
        var simulation = ml.Recourse().ModelUpdateSimulation(new ModelUpdateSimulation.Options
        {
            BaseModel = ModelUpdateBaseModel.FastTree,
            NumberOfTrees = 30,
            NumberOfLeaves = 8,
            Seed = 1,
        });

        var result = simulation.Run(shift, [ml.Recourse().Generators.TreeEnsemble()]);

        var trees = result.Methods.Single();
        trees.Method.Should().Be("trees");
        result.Folds.Should().OnlyContain(f => f.RowsNeedingRecourse > 0 && f.M1Accuracy > 0.7);
        trees.Folds.Should().OnlyContain(f => f.M1Validity == 1, "the exact generator's every action is re-scored by M1 (no bound here, so every row has one)");
        trees.M2Validity.Should().BeLessThan(1, "a retrained ensemble moves the thresholds the minimal actions sit just past");
        trees.M2Validity.Should().BeGreaterThan(0);
    }

    [Fact]
    public void TrainModel_FastTreeBaseModel_PointsToTrainScorer()
    {
        var ml = new MLContext(seed: 1);
        var simulation = ml.Recourse().ModelUpdateSimulation(new ModelUpdateSimulation.Options { BaseModel = ModelUpdateBaseModel.FastTree, Seed = 1 });
        var view = ml.Data.LoadFromEnumerable(MlNetModelRecourseTests.Applicants(200, seed: 3));
        var data = ml.Transforms.Concatenate("Features", Inputs).Fit(view).Transform(view);

        FluentActions.Invoking(() => simulation.TrainModel(data, 1)).Should().Throw<InvalidOperationException>().WithMessage("*TrainScorer*");
        simulation.TrainScorer(data, 1).Should().BeOfType<TreeEnsembleScorer>().Which.Model.Trees.Count.Should().Be(100);
    }
}
