namespace Microsoft.ML.Recourse.Tests.Recourse.Trees;

using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers.FastTree;
using Microsoft.ML.Trainers.LightGbm;
using Microsoft.ML.Recourse.Tests.TestFramework;

/// <summary>The ML.NET tree trainers the tree tests read and explain.</summary>
public enum MlNetTreeTrainer
{
    FastTree,
    FastTreeCategorical,
    FastForest,
    LightGbm,
    LightGbmCategorical,
}

/// <summary>
/// Small synthetic binary data sets trained with ML.NET's own tree trainers: 4 continuous features and a 3-category
/// variable, one-hot encoded into slots 4–6 of the 7-slot <c>Features</c> vector (with its categorical-slot annotation, so
/// the categorical variants make categorical splits).
/// </summary>
internal static class MlNetTreeFixtures
{
    public const int FeatureCount = 7;
    public static readonly string[] Categories = ["red", "green", "blue"];

    public sealed class InputRow
    {
        [VectorType(4)]
        public float[] Numeric { get; set; } = [];
        public string Category { get; set; } = "";
        public bool Label { get; set; }
    }

    public sealed class FeatureRow
    {
        [VectorType(FeatureCount)]
        public float[] Features { get; set; } = [];
    }

    public sealed class CalibratedOutput
    {
        [VectorType(FeatureCount)]
        public float[] Features { get; set; } = [];
        public float Score { get; set; }
        public float Probability { get; set; }
        public bool PredictedLabel { get; set; }
    }

    public sealed class RawOutput
    {
        [VectorType(FeatureCount)]
        public float[] Features { get; set; } = [];
        public float Score { get; set; }
        public bool PredictedLabel { get; set; }
    }

    public sealed record Trained(MLContext Context, ITransformer Featurizer, ITransformer Predictor, IDataView Train, IDataView Test)
    {
        /// <summary>The test rows' feature vectors (as ML.NET's featurizer produced them).</summary>
        public float[][] TestFeatures() => Context.Data.CreateEnumerable<FeatureRow>(Featurizer.Transform(Test), reuseRowObject: false)
            .Select(r => r.Features).ToArray();

        /// <summary>ML.NET's own PredictedLabel (and Score) for feature vectors, through the trained predictor.</summary>
        public (bool Label, float Score)[] Predict(IEnumerable<float[]> features)
        {
            var view = Context.Data.LoadFromEnumerable(features.Select(f => new FeatureRow { Features = f }));
            return Context.Data.CreateEnumerable<RawOutput>(Predictor.Transform(view), reuseRowObject: false)
                .Select(r => (r.PredictedLabel, r.Score)).ToArray();
        }
    }

    public static IEnumerable<InputRow> Rows(int count, int seed)
    {
        var random = new Random(seed);
        for (int r = 0; r < count; r++)
        {
            var x = Enumerable.Range(0, 4).Select(_ => (float)Math.Round(ToyData.Gaussian(random), 3)).ToArray();
            int category = random.Next(3);
            double logit = 1.5 * x[0] - x[1] + x[2] * x[3] + (category == 2 ? 1.2 : category == 1 ? -0.8 : 0);
            yield return new InputRow { Numeric = x, Category = Categories[category], Label = random.NextDouble() < 1 / (1 + Math.Exp(-2 * logit)) };
        }
    }

    public static Trained Train(MlNetTreeTrainer trainer, int trees = 20, int leaves = 8, int trainRows = 600, int testRows = 200, int seed = 3)
    {
        var context = new MLContext(seed: 1);
        var train = context.Data.LoadFromEnumerable(Rows(trainRows, seed).ToList());
        var test = context.Data.LoadFromEnumerable(Rows(testRows, seed + 1000).ToList());
        var featurizer = context.Transforms.Categorical.OneHotEncoding("CategoryOneHot", "Category")
            .Append(context.Transforms.Concatenate("Features", "Numeric", "CategoryOneHot"))
            .Fit(train);
        var features = featurizer.Transform(train);
        ITransformer predictor = trainer switch
        {
            MlNetTreeTrainer.FastTree or MlNetTreeTrainer.FastTreeCategorical => context.BinaryClassification.Trainers.FastTree(new FastTreeBinaryTrainer.Options
            {
                NumberOfTrees = trees,
                NumberOfLeaves = leaves,
                MinimumExampleCountPerLeaf = 5,
                CategoricalSplit = trainer == MlNetTreeTrainer.FastTreeCategorical,
                NumberOfThreads = 1,
            }).Fit(features),
            MlNetTreeTrainer.FastForest => context.BinaryClassification.Trainers.FastForest(new FastForestBinaryTrainer.Options
            {
                NumberOfTrees = trees,
                NumberOfLeaves = leaves,
                MinimumExampleCountPerLeaf = 5,
                NumberOfThreads = 1,
            }).Fit(features),
            _ => context.BinaryClassification.Trainers.LightGbm(new LightGbmBinaryTrainer.Options
            {
                NumberOfIterations = trees,
                NumberOfLeaves = leaves,
                MinimumExampleCountPerLeaf = 5,
                UseCategoricalSplit = trainer == MlNetTreeTrainer.LightGbmCategorical,
                NumberOfThreads = 1,
                Seed = 1,
            }).Fit(features),
        };
        return new Trained(context, featurizer, predictor, train, test);
    }
}
