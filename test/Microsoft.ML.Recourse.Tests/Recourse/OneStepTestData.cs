using Microsoft.ML.Recourse.Actions;
using Microsoft.ML.Data;
using Microsoft.ML.Recourse.Models;

namespace Microsoft.ML.Recourse.Tests.Recourse;

/// <summary>Random action sets, models and rows for the one-step tests.</summary>
internal static class OneStepTestData
{
    private static readonly FeatureActionability[] Actionabilities =
        [FeatureActionability.Free, FeatureActionability.IncreaseOnly, FeatureActionability.DecreaseOnly, FeatureActionability.Immutable];

    /// <summary>
    /// A random action set over 2–8 features with random units, actionability, maximum changes (sometimes none, then
    /// with bounds), bounds, standard scales and grids; with <paramref name="oneHot"/> a mutable group of 2–3 indicators; with
    /// <paramref name="linearRows"/> one or two general constraints.
    /// </summary>
    public static ActionSet ActionSet(Random random, bool oneHot, bool linearRows)
    {
        int continuous = random.Next(2, 7), groupSize = oneHot ? random.Next(2, 4) : 0;
        var features = new List<FeatureInfo>();
        for (int j = 0; j < continuous; j++)
            features.Add(new FeatureInfo($"f{j}", Mean: random.Next(-50, 50), Scale: 0.5 + 10 * random.NextDouble(),
                Actionability: Actionabilities[random.Next(Actionabilities.Length)]));
        for (int k = 0; k < groupSize; k++)
            features.Add(new FeatureInfo($"g_{k}", IsCategorical: true));
        var builder = Microsoft.ML.Recourse.Actions.ActionSet.CreateBuilder(features, 0.25 + random.NextDouble());
        for (int j = 0; j < continuous; j++)
        {
            var f = features[j];
            switch (random.Next(6))
            {
                case 0: builder.SetMaximumChange(f.Name, double.PositiveInfinity); builder.SetBounds(f.Name, f.Mean - 2 * f.Scale, f.Mean + 2 * f.Scale); break;
                case 1: builder.SetBounds(f.Name, f.Mean - f.Scale * random.NextDouble(), f.Mean + f.Scale * random.NextDouble()); break;
                case 2: builder.SetGrid(f.Name, f.Scale * (0.1 + 0.5 * random.NextDouble()), f.Mean); break;
                case 3: builder.SetMaximumChange(f.Name, 0.1 + 2 * random.NextDouble()); break;
                case 4: builder.SetStandardScale(f.Name, 0.2 + 2 * random.NextDouble()); break;
            }
        }
        if (oneHot)
            builder.AddOneHotGroup("g", Enumerable.Range(0, groupSize).Select(k => $"g_{k}").ToArray());
        if (linearRows)
        {
            for (int c = random.Next(1, 3); c > 0; c--)
            {
                var change = Enumerable.Range(0, continuous).Where(_ => random.NextDouble() < 0.6).DefaultIfEmpty(0)
                    .ToDictionary(j => features[j].Name, _ => Math.Round(random.NextDouble() * 4 - 2, 2));
                builder.AddLinearConstraint($"c{c}", change, constant: Math.Round(random.NextDouble() * 3 - 0.5, 2));
            }
        }
        return builder.Build();
    }

    /// <summary>A random logistic model or small perceptron (1–2 hidden layers of 3–12 tanh or ReLU units).</summary>
    public static IDifferentiableScorer Model(Random random, int featureCount)
    {
        if (random.Next(3) == 0)
            return new LogisticRegressionModelParameters(Uniform(random, featureCount, 1.5), Uniform(random, 1, 1)[0]);
        var widths = new List<int> { featureCount };
        for (int l = random.Next(1, 3); l > 0; l--) widths.Add(random.Next(3, 13));
        widths.Add(1);
        var layers = new DenseLayerParameters[widths.Count - 1];
        for (int l = 0; l < layers.Length; l++)
            layers[l] = new DenseLayerParameters(widths[l], widths[l + 1], Uniform(random, widths[l] * widths[l + 1], 1.5 / Math.Sqrt(widths[l])), Uniform(random, widths[l + 1], 0.5));
        return new MultilayerPerceptronModelParameters(layers, random.Next(2) == 0 ? Activation.Tanh : Activation.Relu);
    }

    /// <summary>Rows in model units: continuous values ~ N(0, 1.5²), one-hot groups as valid one-hot vectors.</summary>
    public static double[] Rows(Random random, ActionSet set, int count)
    {
        int d = set.FeatureCount;
        var rows = new double[count * d];
        for (int r = 0; r < count; r++)
        {
            for (int j = 0; j < d; j++)
                rows[r * d + j] = set.Features[j].IsCategorical ? 0 : 1.5 * TestFramework.ToyData.Gaussian(random);
            foreach (var group in set.OneHotGroups)
                rows[r * d + group.FeatureIndices[random.Next(group.FeatureIndices.Count)]] = 1;
        }
        return rows;
    }

    public static double[] Gradients(IDifferentiableScorer model, double[] rows)
    {
        var gradients = new double[rows.Length];
        model.ScoreAndInputGradientBatch(rows, new double[rows.Length / model.FeatureCount], gradients);
        return gradients;
    }

    private static double[] Uniform(Random random, int count, double scale)
        => Enumerable.Range(0, count).Select(_ => scale * (2 * random.NextDouble() - 1)).ToArray();
}
