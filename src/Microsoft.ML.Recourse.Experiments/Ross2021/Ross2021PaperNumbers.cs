using Microsoft.ML.Recourse.Evaluation;

namespace Microsoft.ML.Recourse.Experiments;

/// <summary>
/// The published figures of Ross, Lakkaraju &amp; Bastani (NeurIPS 2021), typed in from the paper so reports can set
/// them beside the reproduction. These are the paper's numbers, not results of this library. Every value is a mean
/// over the split seeds 0, 21 and 42.
/// </summary>
internal static class Ross2021PaperNumbers
{
    /// <summary>One model's column of Table 1. θ₀ is not printed in the paper; it comes from the reference notebook.</summary>
    internal sealed record Table1Column(
        double Theta0, double F1, double Accuracy, double Precision, double Recall,
        double LinearNeg, double GradientNeg, double OneStepNeg,
        double LinearAll, double GradientAll, double OneStepAll);

    /// <summary>One data set's Table 2 cells: F1 and one-step ("adversarial training") recourse-all at each threshold rule.</summary>
    internal sealed record Table2Cells(
        double BaselineF1MaxF1, double BaselineF1MaxRecourse, double BaselinePareF1, double BaselinePareRecourse,
        double OursF1MaxF1, double OursF1MaxRecourse, double OursPareF1, double OursPareRecourse);

    /// <summary>
    /// Table 1 (λ = 0 baseline, λ = 0.8 ours). F1, accuracy, precision, recall and the recourse rows: the paper's Table 1
    /// (papers/ross2021-learning-models-for-actionable-recourse.txt, the table above its caption "Table 1: Performance
    /// and recourse …"); "Linear approx." → LinearNeg/LinearAll, "Gradient desc." → Gradient*, "Adversarial train." →
    /// OneStep*. θ₀: ross2021-reference.md §8 (the reference notebook's <c>get_latex_main_results</c>); every other
    /// value there agrees with the paper's table.
    /// </summary>
    public static IReadOnlyDictionary<string, (Table1Column Baseline, Table1Column Ours)> Table1 { get; } =
        new Dictionary<string, (Table1Column, Table1Column)>
        {
            ["adult"] = (new(0.583, 0.697, 0.830, 0.621, 0.799, 0.220, 0.210, 0.007, 0.453, 0.461, 0.321),
                         new(0.733, 0.636, 0.787, 0.555, 0.752, 0.053, 0.496, 0.498, 0.328, 0.661, 0.659)),
            ["compas"] = (new(0.367, 0.739, 0.667, 0.655, 0.850, 0.156, 0.579, 0.000, 0.773, 0.883, 0.722),
                          new(0.400, 0.717, 0.565, 0.561, 0.991, 0.068, 1.000, 0.967, 0.982, 1.000, 0.999)),
            ["bail"] = (new(0.283, 0.775, 0.643, 0.646, 0.968, 0.102, 0.317, 0.000, 0.957, 0.970, 0.952),
                        new(0.417, 0.760, 0.629, 0.644, 0.930, 0.029, 1.000, 0.993, 0.981, 1.000, 0.999)),
            ["german"] = (new(0.467, 0.447, 0.600, 0.364, 0.583, 0.204, 0.804, 0.127, 0.607, 0.890, 0.517),
                          new(0.567, 0.419, 0.527, 0.317, 0.638, 0.086, 0.864, 0.968, 0.593, 0.920, 0.980)),
        };

    /// <summary>
    /// Table 2 (papers/ross2021-learning-models-for-actionable-recourse.txt, the table above its caption "Table 2:
    /// Impact of choosing decision threshold θ₀ to satisfy the PARE constraint"); rows "BL + F1 max", "BL + PARE",
    /// "Ours + F1 max", "Ours + PARE"; recourse is "recourse all" with the "adversarial training" (one-step) method and
    /// ε = α = 0.05 (paper §4.2).
    /// </summary>
    public static IReadOnlyDictionary<string, Table2Cells> Table2 { get; } = new Dictionary<string, Table2Cells>
    {
        ["adult"] = new(0.697, 0.321, 0.400, 0.981, 0.636, 0.659, 0.526, 0.974),
        ["compas"] = new(0.739, 0.722, 0.722, 0.972, 0.717, 0.999, 0.721, 0.999),
        ["bail"] = new(0.775, 0.952, 0.777, 0.996, 0.760, 0.999, 0.776, 0.999),
        ["german"] = new(0.447, 0.517, 0.442, 0.997, 0.419, 0.980, 0.457, 1.000),
    };
}
