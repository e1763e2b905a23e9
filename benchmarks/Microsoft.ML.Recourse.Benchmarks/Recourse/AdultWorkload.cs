using Microsoft.ML;
using Microsoft.ML.Recourse.Actions;
using Microsoft.ML.Data;
using Microsoft.ML.Recourse.Datasets;
using Microsoft.ML.Recourse.Models;
using Microsoft.ML.Recourse.Trainers;

namespace Microsoft.ML.Recourse.Benchmarks.Recourse;

/// <summary>
/// The adult workload of the recourse benchmarks: the real adult split (seed 0) when <see cref="DataDirectory"/> finds
/// the file, otherwise synthetic rows of the same shape (26,048 training and 6,012 validation rows; 5 z-scored and 4
/// binary features; education-num increase-only and hours-per-week free, δ_max = 0.75). Which one ran is printed.
/// </summary>
internal sealed class AdultWorkload
{
    private const int TrainingRows = 26_048, ValidationRows = 6_012;

    private AdultWorkload(string source, bool isSynthetic, IDataView train, IDataView validation, ActionSet actions)
        => (Source, IsSynthetic, Train, Validation, Actions) = (source, isSynthetic, train, validation, actions);

    public string Source { get; }

    /// <summary>Gets whether the adult file was missing and the rows are synthetic.</summary>
    public bool IsSynthetic { get; }

    public IDataView Train { get; }

    public IDataView Validation { get; }

    public ActionSet Actions { get; }

    public static AdultWorkload Load()
    {
        AdultWorkload workload;
        try
        {
            var adult = new MLContext(0).Recourse().Datasets.Adult(splitSeed: 0);
            workload = new AdultWorkload($"real adult data ({adult})", isSynthetic: false, adult.TrainSet, adult.ValidationSet,
                ActionSet.FromFeatures(adult.Features, adult.MaximumChange));
        }
        catch (FileNotFoundException)
        {
            workload = Synthetic();
        }
        Console.WriteLine($"// adult workload: {workload.Source}");
        return workload;
    }

    /// <summary>The reference training run: 2 × 100 ReLU, dropout 0.3, 15 epochs, batches of 10, Adam 0.002, balanced, λ = 0.8.</summary>
    public RecourseAwarePredictionTransformer<MultilayerPerceptronModelParameters> TrainReferenceModel()
        => new MLContext(0).Recourse().Trainers.RecourseAwareMultilayerPerceptron(new RecourseAwareMultilayerPerceptronTrainer.Options
        {
            ActionSet = Actions,
            RecourseWeight = 0.8,
            NumberOfEpochs = 15,
            BatchSize = 10,
            LearningRate = 0.002,
            Seed = 0,
        }).Fit(Train, Validation);

    private static double Normal(RandomSource random)
        => Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());

    private static AdultWorkload Synthetic()
    {
        string[] names = ["age", "education-num", "capital-gain", "capital-loss", "hours-per-week", "isWhite", "native-country-United-States", "marital-status-Married", "isMale"];
        var features = names.Select((n, j) => new FeatureInfo(n, IsCategorical: j >= 5,
            Actionability: j == 1 ? FeatureActionability.IncreaseOnly : j == 4 ? FeatureActionability.Free : FeatureActionability.Immutable)).ToArray();
        var random = new RandomSource(1);
        IDataView Rows(int count)
        {
            var x = new float[count][];
            var y = new bool[count];
            for (int r = 0; r < count; r++)
            {
                x[r] = names.Select((_, j) => j < 5 ? (float)Normal(random) : random.NextUniform(0, 1) < 0.6 ? 1f : 0f).ToArray();
                double logit = -1.6 + 0.6 * x[r][0] + 0.9 * x[r][1] + 0.8 * x[r][2] + 0.3 * x[r][3] + 0.5 * x[r][4] + 1.2 * x[r][7] + 0.4 * x[r][8];
                y[r] = random.NextUniform(0, 1) < 1 / (1 + Math.Exp(-logit));
            }
            return new InMemoryDataView.Builder().AddVector(DefaultColumnNames.Features, names.Length, x.SelectMany(r => r).ToArray(), names).AddScalar(DefaultColumnNames.Label, y).Build();
        }
        return new AdultWorkload($"synthetic rows of adult's shape ({TrainingRows} / {ValidationRows} rows, 9 features; the adult file was not found)", isSynthetic: true,
            Rows(TrainingRows), Rows(ValidationRows), ActionSet.FromFeatures(features, RecourseDataset.DefaultMaximumChange));
    }
}
