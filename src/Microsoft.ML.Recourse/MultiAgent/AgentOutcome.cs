using Microsoft.ML.Recourse.Models;

namespace Microsoft.ML.Recourse.MultiAgent;

/// <summary>An outcome function y = h(inputs) over some variables of the joint state.</summary>
/// <param name="inputs">The values of <see cref="AgentOutcome.Inputs"/>, in that order.</param>
public delegate double OutcomeFunction(ReadOnlySpan<double> inputs);

/// <summary>One agent: a name and the outcome model h_j it is judged by (larger is better).</summary>
/// <param name="Name">The agent's name; the variables it owns carry this name.</param>
/// <param name="Outcome">The outcome model h_j over the joint state.</param>
public sealed record Agent(string Name, AgentOutcome Outcome);

/// <summary>
/// An agent's outcome model h_j(x) over variables of the joint state: a fitted scorer, a linear function, a payoff
/// table, or any function. Larger is better. It may read other agents' variables.
/// </summary>
public abstract class AgentOutcome
{
    private protected AgentOutcome(IReadOnlyList<string> inputs)
    {
        Contracts.CheckValue(inputs, nameof(inputs));
        for (int k = 0; k < inputs.Count; k++)
            Contracts.CheckParam(!string.IsNullOrWhiteSpace(inputs[k]), nameof(inputs), $"Input {k} has no name.");
        Contracts.CheckParam(inputs.Distinct(StringComparer.Ordinal).Count() == inputs.Count, nameof(inputs),
            $"An input appears twice in ({string.Join(", ", inputs)}).");
        Inputs = inputs.ToArray();
    }

    /// <summary>Gets the names of the variables the outcome reads, in the order <see cref="Evaluate"/> receives them.</summary>
    public IReadOnlyList<string> Inputs { get; }

    /// <summary>Computes h(inputs).</summary>
    /// <param name="inputs">The values of <see cref="Inputs"/>, in that order.</param>
    public abstract double Evaluate(ReadOnlySpan<double> inputs);

    /// <summary>Computes h for row-major rows × <see cref="Inputs"/> values; scorers override it with their batch path.</summary>
    internal virtual void EvaluateBatch(ReadOnlySpan<double> inputRows, Span<double> outcomes)
    {
        int width = Inputs.Count;
        for (int r = 0; r < outcomes.Length; r++) outcomes[r] = Evaluate(inputRows.Slice(r * width, width));
    }

    /// <summary>The linear outcome h(x) = intercept + Σ weight·variable.</summary>
    /// <param name="intercept">The constant term.</param>
    /// <param name="terms">The variables and their weights.</param>
    public static LinearOutcome Linear(double intercept, params (string Variable, double Weight)[] terms)
    {
        Contracts.CheckValue(terms, nameof(terms));
        return new LinearOutcome(intercept, terms);
    }

    /// <summary>
    /// A payoff table over discrete variables: input k takes the values 0 … levels[k] − 1 and the table lists one
    /// payoff per combination, the last input varying fastest (a normal-form game's payoff matrix for one player).
    /// </summary>
    /// <param name="inputs">The discrete variables.</param>
    /// <param name="levels">The number of values of each input. Range: ≥ 1.</param>
    /// <param name="payoffs">Π levels payoffs, row-major.</param>
    /// <exception cref="ArgumentOutOfRangeException">The table does not have Π levels entries, or an entry is not finite.</exception>
    public static PayoffTableOutcome PayoffTable(IReadOnlyList<string> inputs, IReadOnlyList<int> levels, IReadOnlyList<double> payoffs)
        => new(inputs, levels, payoffs);

    /// <summary>The score of a fitted scorer g(x) ∈ [0, 1], fed with <paramref name="inputs"/> in the scorer's feature order.</summary>
    /// <param name="scorer">The fitted scorer.</param>
    /// <param name="inputs">The variables that form the scorer's features; as many as <see cref="IScorer.FeatureCount"/>.</param>
    public static ScorerOutcome FromScorer(IScorer scorer, IReadOnlyList<string> inputs) => new(scorer, inputs);

    /// <summary>Any outcome function of the given variables.</summary>
    /// <param name="inputs">The variables the function reads.</param>
    /// <param name="function">The function; deterministic and thread-safe.</param>
    public static FunctionOutcome FromFunction(IReadOnlyList<string> inputs, OutcomeFunction function) => new(inputs, function);
}

/// <summary>h(x) = b + Σₖ wₖ·x_k. Linear outcomes let the mixed-integer program solve grid action spaces.</summary>
public sealed class LinearOutcome : AgentOutcome
{
    private readonly double[] _weights;

    internal LinearOutcome(double intercept, IReadOnlyList<(string Variable, double Weight)> terms)
        : base(terms.Select(t => t.Variable).ToArray())
    {
        Contracts.CheckParam(double.IsFinite(intercept), nameof(intercept), $"The intercept must be finite; got {intercept}.");
        foreach (var (variable, weight) in terms)
            Contracts.CheckParam(double.IsFinite(weight), nameof(terms), $"The weight of '{variable}' must be finite; got {weight}.");
        Intercept = intercept;
        _weights = terms.Select(t => t.Weight).ToArray();
    }

    /// <summary>Gets the constant term b.</summary>
    public double Intercept { get; }

    /// <summary>Gets the weights, one per input.</summary>
    public IReadOnlyList<double> Weights => _weights;

    /// <inheritdoc/>
    public override double Evaluate(ReadOnlySpan<double> inputs)
    {
        double value = Intercept;
        for (int k = 0; k < _weights.Length; k++) value += _weights[k] * inputs[k];
        return value;
    }
}

/// <summary>A payoff looked up in a table indexed by discrete variables (see <see cref="AgentOutcome.PayoffTable"/>).</summary>
public sealed class PayoffTableOutcome : AgentOutcome
{
    private readonly int[] _levels;
    private readonly double[] _payoffs;

    internal PayoffTableOutcome(IReadOnlyList<string> inputs, IReadOnlyList<int> levels, IReadOnlyList<double> payoffs) : base(inputs)
    {
        Contracts.CheckValue(levels, nameof(levels));
        Contracts.CheckValue(payoffs, nameof(payoffs));
        Contracts.CheckParam(inputs.Count > 0, nameof(inputs), "A payoff table needs at least one input.");
        Contracts.CheckParam(levels.Count == inputs.Count, nameof(levels),
            $"Expected one level count per input ({inputs.Count}); got {levels.Count}.");
        long size = 1;
        for (int k = 0; k < levels.Count; k++)
        {
            Contracts.CheckParam(levels[k] >= 1, nameof(levels), $"Input '{inputs[k]}' needs at least one level; got {levels[k]}.");
            size *= levels[k];
        }
        Contracts.CheckParam(payoffs.Count == size, nameof(payoffs),
            $"A payoff table of shape {string.Join("×", levels)} needs {size} entries; got {payoffs.Count}.");
        for (int i = 0; i < payoffs.Count; i++)
            Contracts.CheckParam(double.IsFinite(payoffs[i]), nameof(payoffs), $"Payoff entry {i} is not finite ({payoffs[i]}).");
        _levels = levels.ToArray();
        _payoffs = payoffs.ToArray();
    }

    /// <summary>Gets the number of values of each input.</summary>
    public IReadOnlyList<int> Levels => _levels;

    /// <summary>Gets the payoffs, row-major with the last input varying fastest.</summary>
    public IReadOnlyList<double> Payoffs => _payoffs;

    /// <inheritdoc/>
    /// <exception cref="InvalidOperationException">An input is not one of its levels 0 … levels − 1.</exception>
    public override double Evaluate(ReadOnlySpan<double> inputs)
    {
        int offset = 0;
        for (int k = 0; k < _levels.Length; k++)
        {
            double value = inputs[k];
            int level = (int)value;
            if (level != value || level < 0 || level >= _levels[k])
                throw new InvalidOperationException(FormattableString.Invariant(
                    $"Payoff table input '{Inputs[k]}' is {value}; it must be one of its levels 0 … {_levels[k] - 1}."));
            offset = offset * _levels[k] + level;
        }
        return _payoffs[offset];
    }
}

/// <summary>The score g(x) of an <see cref="IScorer"/> (see <see cref="AgentOutcome.FromScorer"/>).</summary>
public sealed class ScorerOutcome : AgentOutcome
{
    internal ScorerOutcome(IScorer scorer, IReadOnlyList<string> inputs) : base(inputs)
    {
        Contracts.CheckValue(scorer, nameof(scorer));
        Contracts.CheckParam(scorer.FeatureCount == inputs.Count, nameof(inputs),
            $"The scorer takes {scorer.FeatureCount} features; {inputs.Count} inputs were given.");
        Scorer = scorer;
    }

    /// <summary>Gets the scorer.</summary>
    public IScorer Scorer { get; }

    /// <inheritdoc/>
    public override double Evaluate(ReadOnlySpan<double> inputs) => Scorer.Score(inputs);

    internal override void EvaluateBatch(ReadOnlySpan<double> inputRows, Span<double> outcomes) => Scorer.ScoreBatch(inputRows, outcomes);
}

/// <summary>An outcome given by a user function (see <see cref="AgentOutcome.FromFunction"/>).</summary>
public sealed class FunctionOutcome : AgentOutcome
{
    private readonly OutcomeFunction _function;

    internal FunctionOutcome(IReadOnlyList<string> inputs, OutcomeFunction function) : base(inputs)
    {
        Contracts.CheckValue(function, nameof(function));
        _function = function;
    }

    /// <inheritdoc/>
    public override double Evaluate(ReadOnlySpan<double> inputs) => _function(inputs);
}
