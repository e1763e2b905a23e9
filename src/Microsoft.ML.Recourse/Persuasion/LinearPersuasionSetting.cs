namespace Microsoft.ML.Recourse.Persuasion;

/// <summary>
/// One decision subject facing a secret linear rule: the subject's features x₀, the actions it may take (each moving
/// x₀ to x(a) = x₀ + Δ(a)) and the common prior Π over the rule θ. The subject's utility of action a under θ is
/// 1{θᵀ(x(a), 1) ≥ 0} − c(a).
/// </summary>
public sealed class LinearPersuasionSetting
{
    private readonly double[] _points;

    /// <summary>Creates a setting.</summary>
    /// <param name="subject">The subject's features x₀ (d values, in the rule's units).</param>
    /// <param name="actions">The actions; each needs an effect of length d, names must be unique, and one must be "do nothing" (zero cost and effect).</param>
    /// <param name="prior">The prior over rules; its dimension must be d + 1.</param>
    /// <exception cref="ArgumentOutOfRangeException">The lengths disagree, a value is not finite, or x₀ + Δ(a) is so large that its squared length overflows.</exception>
    public LinearPersuasionSetting(IReadOnlyList<double> subject, IReadOnlyList<PersuasionAction> actions, DecisionRulePrior prior)
    {
        Contracts.CheckValue(subject, nameof(subject));
        Contracts.CheckValue(prior, nameof(prior));
        PersuasionProblem.CheckActions(actions, nameof(actions));
        int d = prior.Dimension - 1;
        Contracts.CheckParam(subject.Count == d, nameof(subject),
            FormattableString.Invariant($"The subject has {subject.Count} features, but the prior's rules have {d} weights (plus the intercept)."));
        for (int j = 0; j < d; j++)
            Contracts.CheckParam(double.IsFinite(subject[j]), nameof(subject), FormattableString.Invariant($"Subject feature {j} is not finite ({subject[j]})."));
        for (int a = 0; a < actions.Count; a++)
            Contracts.CheckParam(actions[a].Effect.Count == d, nameof(actions),
                FormattableString.Invariant($"Action '{actions[a].Name}' has an effect of length {actions[a].Effect.Count}; the subject has {d} features."));
        Subject = subject.ToArray();
        Actions = actions.ToArray();
        Prior = prior;
        DoNothingActionIndex = PersuasionProblem.FindDoNothing(actions, nameof(actions));
        _points = new double[actions.Count * prior.Dimension];
        for (int a = 0; a < actions.Count; a++)
        {
            for (int j = 0; j < d; j++) _points[a * prior.Dimension + j] = subject[j] + actions[a].Effect[j];
            _points[a * prior.Dimension + d] = 1;
            // The Gaussian prior's scores need x̃ᵀx̃; past about 1e154 per feature it overflows and the sampling breaks down.
            double squaredNorm = 0;
            for (int j = 0; j <= d; j++) squaredNorm += _points[a * prior.Dimension + j] * _points[a * prior.Dimension + j];
            Contracts.CheckParam(double.IsFinite(squaredNorm), nameof(actions),
                $"Action '{actions[a].Name}' moves the subject to a point whose squared length overflows a double; keep |x₀ + Δ| below about 1e154 (rescale the features).");
        }
    }

    /// <summary>Gets the subject's features x₀.</summary>
    public IReadOnlyList<double> Subject { get; }

    /// <summary>Gets the actions.</summary>
    public IReadOnlyList<PersuasionAction> Actions { get; }

    /// <summary>Gets the prior over rules.</summary>
    public DecisionRulePrior Prior { get; }

    /// <summary>Gets the index of the "do nothing" action.</summary>
    public int DoNothingActionIndex { get; }

    /// <summary>Gets the augmented points x̃(a) = (x₀ + Δ(a), 1), one row of <see cref="DecisionRulePrior.Dimension"/> values per action.</summary>
    internal double[] AugmentedPoints => _points;

    /// <summary>Computes the acceptance pattern s(θ): for each action, whether θᵀx̃(a) ≥ 0.</summary>
    /// <param name="rule">The rule θ: d weights followed by the intercept.</param>
    public IReadOnlyList<bool> AcceptancePattern(IReadOnlyList<double> rule)
    {
        Contracts.CheckValue(rule, nameof(rule));
        int dim = Prior.Dimension;
        Contracts.CheckParam(rule.Count == dim, nameof(rule),
            FormattableString.Invariant($"The rule has {rule.Count} coordinates; expected {dim} (d weights and the intercept)."));
        var pattern = new bool[Actions.Count];
        for (int a = 0; a < pattern.Length; a++)
        {
            double z = 0;
            for (int j = 0; j < dim; j++) z += rule[j] * _points[a * dim + j];
            pattern[a] = z >= 0;
        }
        return pattern;
    }
}
