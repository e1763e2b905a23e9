using MathNet.Numerics.Distributions;
using MathNet.Numerics.LinearAlgebra;

namespace Microsoft.ML.Recourse.Persuasion;

/// <summary>
/// The common prior Π over the decision maker's secret linear rule θ = (w, b) ∈ ℝ^(d+1) (weights, then the
/// intercept). A subject is accepted under θ when θᵀ(x, 1) ≥ 0.
/// </summary>
public abstract class DecisionRulePrior
{
    private protected DecisionRulePrior(int dimension) => Dimension = dimension;

    /// <summary>Gets the dimension d + 1 of a rule: d weights and the intercept.</summary>
    public int Dimension { get; }

    /// <summary>Creates the isotropic Gaussian prior N(μ, σ² I).</summary>
    /// <param name="mean">The mean rule μ: d weights followed by the intercept (e.g. a fitted logistic regression).</param>
    /// <param name="variance">The prior variance σ² of every coordinate. Range: σ² &gt; 0.</param>
    public static DecisionRulePrior Gaussian(IReadOnlyList<double> mean, double variance)
        => new GaussianDecisionRulePrior(mean, variance);

    /// <summary>Creates the empirical prior that puts mass 1/M on each of M given rules (a general prior given by samples).</summary>
    /// <param name="rules">The rules θ_1..θ_M, each with d weights followed by the intercept; all of the same length.</param>
    public static DecisionRulePrior FromSamples(IReadOnlyList<IReadOnlyList<double>> rules)
        => new EmpiricalDecisionRulePrior(rules);

    /// <summary>Draws one rule θ ~ Π.</summary>
    /// <param name="random">The generator.</param>
    public abstract IReadOnlyList<double> SampleRule(Random random);

    /// <summary>
    /// Draws <paramref name="count"/> rules θ ~ Π and writes their scores θᵀp for each of the
    /// <paramref name="pointCount"/> points p (rows of <paramref name="points"/>, row-major, length Dimension each).
    /// </summary>
    internal abstract void SampleScores(double[] points, int pointCount, int count, Random random, double[] scores);
}

/// <summary>N(μ, σ² I). Scores X̃θ are drawn directly as N(X̃μ, σ² X̃X̃ᵀ), which needs rank(X̃) normals per draw rather than d + 1.</summary>
internal sealed class GaussianDecisionRulePrior : DecisionRulePrior
{
    private readonly double[] _mean;

    public GaussianDecisionRulePrior(IReadOnlyList<double> mean, double variance)
        : base(Contracts.CheckValue(mean, nameof(mean)).Count)
    {
        Contracts.CheckParam(mean.Count >= 1, nameof(mean), "The prior mean needs at least the intercept.");
        for (int j = 0; j < mean.Count; j++)
            Contracts.CheckParam(double.IsFinite(mean[j]), nameof(mean), FormattableString.Invariant($"Prior mean coordinate {j} is not finite ({mean[j]})."));
        Contracts.CheckParam(double.IsFinite(variance) && variance > 0, nameof(variance),
            FormattableString.Invariant($"The prior variance σ² must be a finite value > 0; got {variance}."));
        _mean = mean.ToArray();
        Variance = variance;
    }

    public double Variance { get; }

    public override IReadOnlyList<double> SampleRule(Random random)
    {
        var rule = new double[Dimension];
        Normal.Samples(random, rule, 0, Math.Sqrt(Variance));
        for (int j = 0; j < rule.Length; j++) rule[j] += _mean[j];
        return rule;
    }

    internal override void SampleScores(double[] points, int pointCount, int count, Random random, double[] scores)
    {
        int dim = Dimension;
        var x = Matrix<double>.Build.Dense(pointCount, dim, (i, j) => points[i * dim + j]);
        var meanScores = x * Vector<double>.Build.DenseOfArray(_mean);
        // Factor F with F Fᵀ = X̃X̃ᵀ from the eigen-decomposition; dropping null directions keeps rank-deficient X̃ exact.
        var evd = (x * x.Transpose()).Evd(Symmetricity.Symmetric);
        double largest = evd.EigenValues.Select(v => v.Real).Max();
        var columns = Enumerable.Range(0, pointCount).Where(k => evd.EigenValues[k].Real > 1e-12 * Math.Max(largest, 1e-300)).ToArray();
        int rank = columns.Length;
        double sigma = Math.Sqrt(Variance);
        var factor = new double[pointCount * rank];
        for (int i = 0; i < pointCount; i++)
            for (int r = 0; r < rank; r++)
                factor[i * rank + r] = sigma * evd.EigenVectors[i, columns[r]] * Math.Sqrt(evd.EigenValues[columns[r]].Real);
        var normals = new double[rank];
        for (int s = 0; s < count; s++)
        {
            Normal.Samples(random, normals, 0, 1);
            int row = s * pointCount;
            for (int i = 0; i < pointCount; i++)
            {
                double z = meanScores[i];
                for (int r = 0; r < rank; r++) z += factor[i * rank + r] * normals[r];
                scores[row + i] = z;
            }
        }
    }
}

/// <summary>The uniform distribution over given rules; draws are with replacement.</summary>
internal sealed class EmpiricalDecisionRulePrior : DecisionRulePrior
{
    private readonly double[][] _rules;

    public EmpiricalDecisionRulePrior(IReadOnlyList<IReadOnlyList<double>> rules)
        : base(Contracts.CheckValue(rules, nameof(rules)).Count > 0 ? Contracts.CheckValue(rules[0], nameof(rules)).Count : 0)
    {
        Contracts.CheckParam(rules.Count > 0, nameof(rules), "An empirical prior needs at least one rule.");
        Contracts.CheckParam(Dimension >= 1, nameof(rules), "A rule needs at least the intercept.");
        _rules = new double[rules.Count][];
        for (int m = 0; m < rules.Count; m++)
        {
            var rule = Contracts.CheckValue(rules[m], nameof(rules));
            Contracts.CheckParam(rule.Count == Dimension, nameof(rules),
                FormattableString.Invariant($"Rule {m} has {rule.Count} coordinates; rule 0 has {Dimension}."));
            for (int j = 0; j < rule.Count; j++)
                Contracts.CheckParam(double.IsFinite(rule[j]), nameof(rules), FormattableString.Invariant($"Rule {m}, coordinate {j} is not finite ({rule[j]})."));
            _rules[m] = rule.ToArray();
        }
    }

    public override IReadOnlyList<double> SampleRule(Random random) => _rules[random.Next(_rules.Length)].ToArray();

    internal override void SampleScores(double[] points, int pointCount, int count, Random random, double[] scores)
    {
        int dim = Dimension;
        for (int s = 0; s < count; s++)
        {
            var rule = _rules[random.Next(_rules.Length)];
            for (int i = 0; i < pointCount; i++)
            {
                double z = 0;
                for (int j = 0; j < dim; j++) z += rule[j] * points[i * dim + j];
                scores[s * pointCount + i] = z;
            }
        }
    }
}
