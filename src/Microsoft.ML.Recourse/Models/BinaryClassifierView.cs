using System.Reflection;

namespace Microsoft.ML.Recourse.Models;

/// <summary>
/// A fitted binary classifier as the recourse components see it: a scorer g over its feature vector and the
/// decision threshold θ₀ (a row is accepted when g(x) ≥ θ₀). Read from a prediction transformer with
/// <see cref="RecourseModelCatalog.ReadClassifier"/>: the library's own classifiers, and ML.NET's linear
/// binary classifiers (L-BFGS and SDCA logistic regression, averaged perceptron, linear SVM, calibrated or not).
/// </summary>
/// <remarks>
/// ML.NET predicts a row positive when its score is strictly above the model's threshold and computes in
/// <see cref="float"/>; for such models θ₀ sits a small margin above that boundary (<see cref="DecisionMargin"/>), so an
/// action that reaches θ₀ is accepted by the model's own <c>PredictedLabel</c>.
/// </remarks>
public sealed class BinaryClassifierView
{
    internal BinaryClassifierView(IScorer scorer, double threshold, string featureColumnName, string description, double decisionMargin = 0,
        IReadOnlyList<double>? boundaryThresholds = null)
    {
        BoundaryThresholds = boundaryThresholds ?? [];
        Scorer = scorer;
        Threshold = threshold;
        FeatureColumnName = featureColumnName;
        Description = description;
        DecisionMargin = decisionMargin;
    }

    /// <summary>Gets the scorer g(x) ∈ [0, 1] over the feature vector (for ML.NET's calibrated models, the calibrated probability).</summary>
    public IScorer Scorer { get; }

    /// <summary>Gets the decision threshold θ₀ on g: a row is accepted when g(x) ≥ θ₀. Range: 0 &lt; θ₀ &lt; 1.</summary>
    public double Threshold { get; }

    /// <summary>Gets the name of the feature column the classifier reads.</summary>
    public string FeatureColumnName { get; }

    /// <summary>Gets the number of features d.</summary>
    public int FeatureCount => Scorer.FeatureCount;

    /// <summary>Gets what the classifier was read from, e.g. <c>ML.NET L-BFGS logistic regression (Platt-calibrated)</c>.</summary>
    public string Description { get; }

    /// <summary>
    /// Gets the margin, in the model's score units, by which <see cref="Threshold"/> lies above the model's own decision
    /// boundary (0 for the library's classifiers, which accept at g ≥ θ₀).
    /// </summary>
    public double DecisionMargin { get; }

    // Thresholds on g below Threshold, in increasing order: the model's own boundary, then just above it by the float
    // rounding of its score. For methods that check every answer with the model itself and solve a refused row again
    // at the next one (Threshold last); answers at these thresholds are optimal up to that rounding.
    internal IReadOnlyList<double> BoundaryThresholds { get; }

    /// <inheritdoc/>
    public override string ToString() => FormattableString.Invariant($"{Description}: {FeatureCount} features in '{FeatureColumnName}', θ₀ = {Threshold:G6}");
}

/// <summary>
/// Marks a static method <c>static BinaryClassifierView? Read(ITransformer predictor)</c> that recognises one kind of
/// fitted prediction transformer. A model kind registers itself by carrying this attribute; no central list is extended.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
internal sealed class ClassifierReaderAttribute : Attribute;

/// <summary>The registry of classifier readers, found once by their <see cref="ClassifierReaderAttribute"/>.</summary>
internal static class ClassifierReaders
{
    private static readonly Lazy<Func<ITransformer, BinaryClassifierView?>[]> Readers = new(() =>
        typeof(ClassifierReaders).Assembly.GetTypes()
            .SelectMany(t => t.GetMethods(BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
            .Where(m => m.GetCustomAttribute<ClassifierReaderAttribute>() is not null)
            .OrderBy(m => m.DeclaringType!.FullName, StringComparer.Ordinal)
            .Select(m => m.CreateDelegate<Func<ITransformer, BinaryClassifierView?>>())
            .ToArray());

    /// <summary>The classifier a prediction transformer holds, or <see langword="null"/> when no reader knows it.</summary>
    public static BinaryClassifierView? TryRead(ITransformer predictor)
    {
        foreach (var read in Readers.Value)
            if (read(predictor) is { } view) return view;
        return null;
    }
}
