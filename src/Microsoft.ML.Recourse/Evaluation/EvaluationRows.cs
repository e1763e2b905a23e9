using Microsoft.ML.Recourse.Actions;
using Microsoft.ML.Data;
using Microsoft.ML.Recourse.Models;

namespace Microsoft.ML.Recourse.Evaluation;

/// <summary>Validated rows of a data view with their scores g(x), read once and shared by the evaluations.</summary>
internal sealed class EvaluationRows
{
    private EvaluationRows(IScorer model, double[] features, double[] scores, bool[]? labels)
    {
        Model = model;
        Features = features;
        Scores = scores;
        Labels = labels;
    }

    public IScorer Model { get; }

    /// <summary>Row-major rows × d feature values.</summary>
    public double[] Features { get; }

    public double[] Scores { get; }

    public bool[]? Labels { get; }

    public int Count => Scores.Length;

    public static EvaluationRows Read(IDataView data, IScorer model, string featureColumnName, string? labelColumnName, string paramName = "data")
    {
        Contracts.CheckValue(data, paramName);
        Contracts.CheckValue(featureColumnName, nameof(featureColumnName));
        var featureColumn = ColumnChecks.CheckFeatureColumn(data.Schema, featureColumnName, model.FeatureCount, paramName);
        bool[]? labels = null;
        if (labelColumnName is not null)
            labels = ColumnChecks.ReadLabels(data, ColumnChecks.CheckScalarColumn(data.Schema, "label", labelColumnName, BooleanDataViewType.Instance, paramName));
        var features = ColumnChecks.ReadFeatures(data, featureColumn, paramName);
        var scores = new double[features.Length / model.FeatureCount];
        model.ScoreBatch(features, scores);
        return new EvaluationRows(model, features, scores, labels);
    }

    public RecourseEvaluationResult Evaluate(double threshold, ActionSet actionSet, IReadOnlyList<IRecourseGenerator> generators)
        => new(ThresholdClassificationMetrics.Compute(Scores, Labels!, threshold),
            generators.Select(g => Recourse(g, threshold, actionSet).Rates).ToList());

    /// <summary>Runs the generator on the negatives (g(x) &lt; θ₀) only; a threshold that leaves none never calls it.</summary>
    public (RecourseRates Rates, IReadOnlyList<(int Row, RecourseResult Result)> Results) Recourse(IRecourseGenerator generator, double threshold, ActionSet actionSet)
    {
        int d = Model.FeatureCount;
        var negatives = Enumerable.Range(0, Count).Where(r => Scores[r] < threshold).ToArray();
        var paired = new List<(int, RecourseResult)>(negatives.Length);
        if (negatives.Length > 0)
        {
            var rows = new double[negatives.Length * d];
            for (int i = 0; i < negatives.Length; i++) Features.AsSpan(negatives[i] * d, d).CopyTo(rows.AsSpan(i * d, d));
            var results = generator.Generate(Model, threshold, actionSet, rows);
            Contracts.Check(results.Count == negatives.Length, FormattableString.Invariant(
                $"The generator '{generator.Name}' returned {results.Count} results for {negatives.Length} rows."));
            for (int i = 0; i < negatives.Length; i++) paired.Add((negatives[i], results[i]));
        }
        int withRecourse = paired.Count(p => p.Item2.IsValid);
        return (new RecourseRates(generator.Name, threshold, Count, negatives.Length, withRecourse), paired);
    }
}

/// <summary>Seeded N(0, σ²) noise on the actionable coordinates of a vector (Box–Muller).</summary>
internal sealed class GaussianNoise(int seed, double standardDeviation, bool[] actionable)
{
    private readonly RandomSource _random = new(seed);

    public void AddTo(Span<double> values)
    {
        for (int j = 0; j < values.Length; j++)
        {
            if (!actionable[j]) continue;
            double radius = Math.Sqrt(-2 * Math.Log(1 - _random.NextDouble()));
            values[j] += standardDeviation * radius * Math.Cos(2 * Math.PI * _random.NextDouble());
        }
    }
}
