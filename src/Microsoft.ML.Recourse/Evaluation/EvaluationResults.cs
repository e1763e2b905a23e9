using Microsoft.ML.Recourse.Models;
namespace Microsoft.ML.Recourse.Evaluation;

/// <summary>
/// How often a recourse generator gives recourse, with the definitions of Ross, Lakkaraju &amp; Bastani (2021) §4.1 and
/// their code: a row is negative when g(x) &lt; θ₀, and a negative has recourse when the generator's action δ gives
/// g(x + δ) ≥ θ₀ (<see cref="RecourseResult.IsValid"/>).
/// </summary>
/// <param name="GeneratorName">The generator's <see cref="IRecourseGenerator.Name"/>.</param>
/// <param name="Threshold">The decision threshold θ₀.</param>
/// <param name="RowCount">N, the number of rows evaluated.</param>
/// <param name="Negatives">The rows with g(x) &lt; θ₀.</param>
/// <param name="NegativesWithRecourse">The negatives for which the generator found a valid action.</param>
public sealed record RecourseRates(string GeneratorName, double Threshold, int RowCount, int Negatives, int NegativesWithRecourse)
{
    /// <summary>Gets the rows with g(x) ≥ θ₀.</summary>
    public int Positives => RowCount - Negatives;

    /// <summary>Gets "recourse neg": negatives with recourse / negatives, or 0 when there are no negatives (as the reference code).</summary>
    public double RecourseNeg => Negatives == 0 ? 0 : (double)NegativesWithRecourse / Negatives;

    /// <summary>Gets "recourse all": (positives + negatives with recourse) / N, or 0 when there are no rows.</summary>
    public double RecourseAll => RowCount == 0 ? 0 : (double)(Positives + NegativesWithRecourse) / RowCount;
}

/// <summary>Classification metrics and each generator's recourse rates at one decision threshold (one column of the paper's Table 1).</summary>
/// <param name="Classification">Accuracy, precision, recall and F1 at θ₀.</param>
/// <param name="Recourse">The recourse rates of each generator, in the order the generators were given.</param>
public sealed record RecourseEvaluationResult(ThresholdClassificationMetrics Classification, IReadOnlyList<RecourseRates> Recourse)
{
    /// <summary>Gets the decision threshold θ₀.</summary>
    public double Threshold => Classification.Threshold;

    /// <summary>Returns the rates of the generator named <paramref name="generatorName"/>.</summary>
    /// <param name="generatorName">An <see cref="IRecourseGenerator.Name"/>.</param>
    public RecourseRates GetRates(string generatorName)
        => Recourse.FirstOrDefault(r => r.GeneratorName == generatorName)
           ?? throw new ArgumentOutOfRangeException(nameof(generatorName),
               $"No generator named '{generatorName}' was evaluated; evaluated: {string.Join(", ", Recourse.Select(r => r.GeneratorName))}.");
}

/// <summary>One point of a sweep: the swept value and the evaluation at it.</summary>
/// <param name="Value">The swept value (λ, θ₀ or δ_max).</param>
/// <param name="Evaluation">The evaluation of the model at that value.</param>
public sealed record RecourseSweepPoint(double Value, RecourseEvaluationResult Evaluation);

/// <summary>
/// Robustness of recourse (paper §4.2, Table 4 top): each found recourse δ is perturbed on the actionable features,
/// δ'ⱼ = δⱼ + N(0, σ²), and counts as robust when g(x + δ') ≥ θ₀ still holds.
/// </summary>
/// <param name="GeneratorName">The generator's name.</param>
/// <param name="NoiseStandardDeviation">σ, in the model's units.</param>
/// <param name="Recourses">The negatives with a valid recourse.</param>
/// <param name="Robust">The recourses still valid after the noise.</param>
public sealed record RecourseRobustness(string GeneratorName, double NoiseStandardDeviation, int Recourses, int Robust)
{
    /// <summary>Gets the share of recourses still valid after the noise, or NaN when no recourse was found.</summary>
    public double RobustShare => Recourses == 0 ? double.NaN : (double)Robust / Recourses;
}

/// <summary>
/// Model brittleness (paper §4.2, Table 4 bottom): the inputs are perturbed on the actionable features,
/// x'ⱼ = xⱼ + N(0, σ²), and a row flips when its prediction at θ₀ changes.
/// </summary>
/// <param name="NoiseStandardDeviation">σ, in the model's units.</param>
/// <param name="RowCount">The rows evaluated.</param>
/// <param name="Flipped">The rows whose prediction changed.</param>
public sealed record ModelBrittleness(double NoiseStandardDeviation, int RowCount, int Flipped)
{
    /// <summary>Gets the share of rows whose prediction flips.</summary>
    public double FlipRate => RowCount == 0 ? 0 : (double)Flipped / RowCount;

    /// <summary>Gets the share of rows whose prediction is unchanged (the paper's "Model" row), 1 − <see cref="FlipRate"/>.</summary>
    public double StableShare => 1 - FlipRate;
}

/// <summary>
/// The in-distribution check (paper §4.2, Table 3, after Slack et al. 2020): classifiers trained to tell original rows
/// from counterfactuals, and their accuracy on held-out rows of a balanced sample. 0.5 means indistinguishable.
/// </summary>
/// <param name="SamplesPerClass">The originals and the counterfactuals used, each (the smaller of the two counts).</param>
/// <param name="TrainingRows">The rows the classifiers were trained on.</param>
/// <param name="TestRows">The held-out rows they were scored on.</param>
/// <param name="LogisticRegressionAccuracy">The held-out accuracy of a logistic regression.</param>
/// <param name="MultilayerPerceptronAccuracy">The held-out accuracy of a multilayer perceptron (2 × 100 ReLU).</param>
public sealed record InDistributionResult(int SamplesPerClass, int TrainingRows, int TestRows, double LogisticRegressionAccuracy, double MultilayerPerceptronAccuracy);

/// <summary>The recourse rates of one group.</summary>
/// <param name="Group">The group's value in the group column.</param>
/// <param name="Rates">The recourse rates of the group's rows.</param>
public sealed record GroupRecourseRates(string Group, RecourseRates Rates);

/// <summary>
/// Recourse disparity between groups (paper Appendix B.3, Figure 5): the threshold is the one whose validation
/// precision is closest to a target (0.65), and "recourse all" is computed per group on the evaluation rows.
/// </summary>
/// <param name="Threshold">The threshold and its validation precision.</param>
/// <param name="TargetPrecision">The precision the threshold was chosen to match.</param>
/// <param name="ReferenceGroup">The group compared with all others (e.g. <c>White</c>).</param>
/// <param name="Groups">The rates of each group, in order of first appearance.</param>
public sealed record RecourseDisparity(ThresholdChoice Threshold, double TargetPrecision, string ReferenceGroup, IReadOnlyList<GroupRecourseRates> Groups)
{
    /// <summary>Gets the pooled rates of every group other than <see cref="ReferenceGroup"/>.</summary>
    public RecourseRates OtherGroupsRates
    {
        get
        {
            var others = Groups.Where(g => g.Group != ReferenceGroup).Select(g => g.Rates).ToList();
            var first = Groups[0].Rates;
            return new RecourseRates(first.GeneratorName, first.Threshold, others.Sum(r => r.RowCount), others.Sum(r => r.Negatives), others.Sum(r => r.NegativesWithRecourse));
        }
    }

    /// <summary>Gets the rates of <see cref="ReferenceGroup"/>.</summary>
    public RecourseRates ReferenceGroupRates => Groups.First(g => g.Group == ReferenceGroup).Rates;

    /// <summary>Gets "recourse all" of the reference group minus that of all other rows: positive when the reference group gets recourse more often.</summary>
    public double Disparity => ReferenceGroupRates.RecourseAll - OtherGroupsRates.RecourseAll;
}
