using Microsoft.ML.Calibrators;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers;

namespace Microsoft.ML.Recourse.Models.MlNet;

/// <summary>
/// Reads ML.NET's linear binary classifiers (<c>LbfgsLogisticRegression</c>, <c>SdcaLogisticRegression</c>,
/// <c>SdcaNonCalibrated</c>, <c>AveragedPerceptron</c>, <c>LinearSvm</c>, <c>SgdCalibrated</c>, …) from their public model
/// parameters into an exact logistic scorer: with score s = wᵀx + b and a Platt calibrator P(s) = 1 / (1 + e^(A·s + B)),
/// g(x) = σ(−A·(wᵀx + b) − B) is the calibrated probability itself; without one (or with a non-parametric calibrator),
/// g(x) = σ(s − t). The model's decision, s &gt; t, becomes g ≥ θ₀ with θ₀ a margin above the boundary.
/// </summary>
internal static class MlNetLinearClassifiers
{
    /// <summary>The relative margin above ML.NET's decision boundary, in score units, that absorbs its float arithmetic.</summary>
    internal const double RelativeDecisionMargin = 1e-4;

    [ClassifierReader]
    internal static BinaryClassifierView? Read(ITransformer transformer)
    {
        if (transformer is not ISingleFeaturePredictionTransformer<object> predictor) return null;
        var (linear, calibrator) = predictor.Model switch
        {
            LinearBinaryModelParameters l => (l, (ICalibrator?)null),
            CalibratedModelParametersBase { SubModel: LinearBinaryModelParameters l } calibrated => (l, calibrated.Calibrator),
            _ => (null, null),
        };
        if (linear is null) return null;
        if (predictor.FeatureColumnType is not VectorDataViewType { IsKnownSize: true, ItemType: NumberDataViewType item } vector || item != NumberDataViewType.Single)
            throw new InvalidOperationException($"The linear model reads '{predictor.FeatureColumnName}' of type {predictor.FeatureColumnType}; recourse needs a known-size vector of Single.");
        int d = vector.Size;
        var weights = new double[d];
        for (int j = 0; j < linear.Weights.Count && j < d; j++) weights[j] = linear.Weights[j];
        double bias = linear.Bias;
        double norm1 = weights.Sum(Math.Abs);
        Contracts.Check(norm1 > 0, "The linear model has only zero weights: its decision does not depend on the features, so no action changes it.");

        double threshold = ProbeScoreThreshold(transformer, predictor.FeatureColumnName, weights, bias);
        double margin = RelativeDecisionMargin * (1 + Math.Abs(bias) + norm1);
        // g = σ(a·s + c): the calibrated probability when the calibrator is Platt's with a negative slope.
        var (a, c, how) = calibrator is PlattCalibrator { Slope: < 0 } platt
            ? (-platt.Slope, -platt.Offset, "Platt-calibrated probability")
            : (1.0, -threshold, calibrator is null ? "uncalibrated: g = σ(score − threshold)" : $"{calibrator.GetType().Name} calibrator: g = σ(score − threshold)");
        var scorer = new LogisticRegressionModelParameters(weights.Select(w => a * w).ToArray(), a * bias + c);
        double theta = ScorerModelParameters.Sigmoid(a * (threshold + margin) + c);
        // ML.NET sums d float products: on features of order 1 its rounding moves a score by at most about
        // (d + 3)·2⁻²⁴·(1 + |b| + Σ|wⱼ|), far less than the margin above.
        double rounding = (d + 3) * Math.ScaleB(1, -24) * (1 + Math.Abs(bias) + norm1);
        double[] boundaryThetas = [ScorerModelParameters.Sigmoid(a * threshold + c), ScorerModelParameters.Sigmoid(a * (threshold + rounding) + c)];
        Contracts.Check(theta > 0 && theta < 1, FormattableString.Invariant(
            $"The model's decision threshold (score {threshold:G6}) maps to g = {theta:G6}, outside (0, 1): the classifier accepts every row or none."));
        return new BinaryClassifierView(scorer, theta, predictor.FeatureColumnName,
            FormattableString.Invariant($"ML.NET {linear.GetType().Name} ({how}, predicted positive when score > {threshold:G6})"), margin,
            boundaryThetas);
    }

    /// <summary>
    /// Finds the score above which the model predicts positive (ML.NET keeps the threshold internal) by bisection on
    /// rows x = α·w/‖w‖², whose score is α + b.
    /// </summary>
    private static double ProbeScoreThreshold(ITransformer transformer, string featureColumnName, double[] weights, double bias)
    {
        double norm2 = weights.Sum(w => w * w);
        bool Positive(double score)
        {
            double alpha = score - bias;
            var row = weights.Select(w => (float)(alpha * w / norm2)).ToArray();
            var view = new InMemoryDataView.Builder().AddVector(featureColumnName, weights.Length, row).Build();
            var output = transformer.Transform(view);
            var column = output.Schema.GetColumnOrNull(DefaultColumnNames.PredictedLabel)
                ?? throw new InvalidOperationException($"The model does not produce a '{DefaultColumnNames.PredictedLabel}' column; it is not a binary classifier.");
            return ColumnChecks.ReadScalars<bool>(output, column)[0];
        }
        // Every ML.NET binary trainer predicts positive above 0 unless ChangeModelThreshold moved it; check 0 first.
        if (!Positive(0) && Positive(1e-6)) return 0;
        double low = -1, high = 1;
        while (Positive(low) && low > -1e12) low *= 2;
        while (!Positive(high) && high < 1e12) high *= 2;
        Contracts.Check(!Positive(low) && Positive(high), "The model predicts the same label for every score, so its decision threshold cannot be found.");
        for (int i = 0; i < 80 && high - low > 1e-9 * Math.Max(1, Math.Abs(high)); i++)
        {
            double middle = (low + high) / 2;
            if (Positive(middle)) high = middle;
            else low = middle;
        }
        return low;
    }
}
