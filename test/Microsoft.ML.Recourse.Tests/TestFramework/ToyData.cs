using Microsoft.ML.Data;

namespace Microsoft.ML.Recourse.Tests.TestFramework;

/// <summary>Small synthetic classification problems built in memory.</summary>
internal static class ToyData
{
    /// <summary>Two Gaussian blobs (σ = 1) centred at ±<paramref name="separation"/>/2 along every axis; positives are the + blob.</summary>
    public static (float[][] Features, bool[] Labels) Blobs(int rows, int featureCount, double separation, int seed, double positiveShare = 0.5)
    {
        var random = new Random(seed);
        var features = new float[rows][];
        var labels = new bool[rows];
        for (int r = 0; r < rows; r++)
        {
            labels[r] = random.NextDouble() < positiveShare;
            double centre = (labels[r] ? 1 : -1) * separation / 2;
            features[r] = Enumerable.Range(0, featureCount).Select(_ => (float)(centre + Gaussian(random))).ToArray();
        }
        return (features, labels);
    }

    /// <summary>Points uniform in [−2, 2]²; positive inside the circle of radius 1.3 (not linearly separable).</summary>
    public static (float[][] Features, bool[] Labels) Circle(int rows, int seed)
    {
        var random = new Random(seed);
        var features = new float[rows][];
        var labels = new bool[rows];
        for (int r = 0; r < rows; r++)
        {
            float x = (float)(random.NextDouble() * 4 - 2), y = (float)(random.NextDouble() * 4 - 2);
            features[r] = [x, y];
            labels[r] = x * x + y * y < 1.69f;
        }
        return (features, labels);
    }

    public static IDataView View((float[][] Features, bool[] Labels) data, string featureColumn = "Features", string labelColumn = "Label")
        => new InMemoryDataView.Builder()
            .AddVector(featureColumn, data.Features[0].Length, data.Features.SelectMany(f => f).ToArray())
            .AddScalar(labelColumn, data.Labels)
            .AddScalar("Id", Enumerable.Range(0, data.Labels.Length).ToArray())
            .Build();

    public static double Accuracy(IDataView predictions)
    {
        var predicted = predictions.GetColumn<bool>(DefaultColumnNames.PredictedLabel).ToArray();
        var labels = predictions.GetColumn<bool>(DefaultColumnNames.Label).ToArray();
        return predicted.Zip(labels).Count(p => p.First == p.Second) / (double)labels.Length;
    }

    public static double Gaussian(Random random)
        => Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
