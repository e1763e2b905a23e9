namespace Microsoft.ML.Recourse.MultiAgent;

/// <summary>
/// A joint structural causal model and the agents whose outcomes are read off it (O'Brien &amp; Kim 2022, §2.1).
/// Created by <see cref="MultiAgentCatalog.CreateSystem(StructuralCausalModel, Agent[])"/>. Immutable and thread-safe.
/// </summary>
public sealed class MultiAgentSystem
{
    private readonly Agent[] _agents;
    private readonly int[][] _inputs;

    internal MultiAgentSystem(StructuralCausalModel causalModel, IReadOnlyList<Agent> agents)
    {
        Contracts.CheckValue(causalModel, nameof(causalModel));
        Contracts.CheckValue(agents, nameof(agents));
        Contracts.CheckParam(agents.Count > 0, nameof(agents), "A system needs at least one agent.");
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var agent in agents)
        {
            Contracts.CheckValue(agent, nameof(agents));
            Contracts.CheckParam(!string.IsNullOrWhiteSpace(agent.Name), nameof(agents), "An agent needs a name.");
            Contracts.CheckValue(agent.Outcome, nameof(agents));
            Contracts.CheckParam(names.Add(agent.Name), nameof(agents), $"Two agents are named '{agent.Name}'.");
        }
        foreach (var variable in causalModel.Variables)
            Contracts.CheckParam(variable.Agent is null || names.Contains(variable.Agent), nameof(agents),
                $"Variable '{variable.Name}' belongs to agent '{variable.Agent}', which is not among the agents ({string.Join(", ", names)}).");
        CausalModel = causalModel;
        _agents = agents.ToArray();
        _inputs = new int[_agents.Length][];
        for (int j = 0; j < _agents.Length; j++)
        {
            var inputs = _agents[j].Outcome.Inputs;
            _inputs[j] = new int[inputs.Count];
            for (int k = 0; k < inputs.Count; k++)
            {
                string name = inputs[k];
                Contracts.CheckParam(causalModel.Variables.Any(v => v.Name == name), nameof(agents),
                    $"The outcome of agent '{_agents[j].Name}' reads unknown variable '{name}'.");
                _inputs[j][k] = causalModel.IndexOf(name);
            }
        }
    }

    /// <summary>Gets the joint structural causal model.</summary>
    public StructuralCausalModel CausalModel { get; }

    /// <summary>Gets the agents.</summary>
    public IReadOnlyList<Agent> Agents => _agents;

    /// <summary>Gets the position of the agent called <paramref name="name"/>.</summary>
    /// <param name="name">The agent's name.</param>
    /// <exception cref="ArgumentOutOfRangeException">No agent has that name.</exception>
    public int IndexOfAgent(string name)
    {
        Contracts.CheckValue(name, nameof(name));
        int index = Array.FindIndex(_agents, a => a.Name == name);
        Contracts.CheckParam(index >= 0, nameof(name), $"Unknown agent '{name}'. The agents are: {string.Join(", ", _agents.Select(a => a.Name))}.");
        return index;
    }

    /// <summary>Computes every agent's outcome h_j(x), in the order of <see cref="Agents"/>.</summary>
    /// <param name="state">The joint state x, one value per variable.</param>
    public double[] Outcomes(ReadOnlySpan<double> state)
    {
        Contracts.CheckParam(state.Length == CausalModel.VariableCount, nameof(state),
            $"Expected {CausalModel.VariableCount} values (one per variable); got {state.Length}.");
        var outcomes = new double[_agents.Length];
        EvaluateOutcomes(state, 1, outcomes);
        return outcomes;
    }

    /// <summary>Computes the social welfare SW(x) = Σ_j h_j(x).</summary>
    /// <param name="state">The joint state x.</param>
    public double SocialWelfare(ReadOnlySpan<double> state) => Outcomes(state).Sum();

    /// <summary>Evaluates all agents on row-major rows × d states into rows × agents outcomes.</summary>
    internal void EvaluateOutcomes(ReadOnlySpan<double> states, int rows, Span<double> outcomes)
    {
        int d = CausalModel.VariableCount, n = _agents.Length;
        int widest = _inputs.Max(i => i.Length);
        var inputRows = new double[rows * widest];
        var values = new double[rows];
        for (int j = 0; j < n; j++)
        {
            var inputs = _inputs[j];
            int w = inputs.Length;
            for (int r = 0; r < rows; r++)
                for (int k = 0; k < w; k++)
                    inputRows[r * w + k] = states[r * d + inputs[k]];
            _agents[j].Outcome.EvaluateBatch(inputRows.AsSpan(0, rows * w), values);
            for (int r = 0; r < rows; r++)
            {
                Contracts.Check(double.IsFinite(values[r]), FormattableString.Invariant($"The outcome of agent '{_agents[j].Name}' is not finite ({values[r]})."));
                outcomes[r * n + j] = values[r];
            }
        }
    }

    internal int[] InputIndices(int agent) => _inputs[agent];
}
