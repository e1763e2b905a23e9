using Microsoft.ML.Recourse.Actions;

namespace Microsoft.ML.Recourse.MultiAgent;

/// <summary>One endogenous variable of a <see cref="StructuralCausalModel"/>.</summary>
public sealed class CausalVariable
{
    internal CausalVariable(int index, string name, StructuralEquation equation, string? agent, FeatureActionability actionability, int[] parentIndices)
    {
        Index = index;
        Name = name;
        Equation = equation;
        Agent = agent;
        Actionability = actionability;
        ParentIndexArray = parentIndices;
    }

    /// <summary>Gets the variable's position in state vectors.</summary>
    public int Index { get; }

    /// <summary>Gets the variable's name.</summary>
    public string Name { get; }

    /// <summary>Gets the structural equation X := f(X_pa) + U.</summary>
    public StructuralEquation Equation { get; }

    /// <summary>Gets the agent that owns the variable, or <see langword="null"/> for a variable no agent acts on (context).</summary>
    public string? Agent { get; }

    /// <summary>Gets how the owning agent may intervene on the variable.</summary>
    public FeatureActionability Actionability { get; }

    /// <summary>Gets the parents' positions in state vectors, in the order of the equation's parents.</summary>
    public IReadOnlyList<int> ParentIndices => ParentIndexArray;

    internal int[] ParentIndexArray { get; }

    /// <inheritdoc/>
    public override string ToString() => Name;
}

/// <summary>
/// Collects the variables of a <see cref="StructuralCausalModel"/>; created by
/// <see cref="MultiAgentCatalog.CreateCausalModel"/>. Variables may be added in any order and name parents that are
/// added later; <see cref="Build"/> resolves the names and checks that the graph is acyclic.
/// </summary>
public sealed class StructuralCausalModelBuilder
{
    private readonly List<(string Name, StructuralEquation Equation, string? Agent, FeatureActionability Actionability)> _variables = [];

    internal StructuralCausalModelBuilder() { }

    /// <summary>Adds an exogenous variable X := U (a root of the graph).</summary>
    /// <param name="name">The variable's name; unique in the model.</param>
    /// <param name="agent">The agent that owns it, or <see langword="null"/> for a context variable.</param>
    /// <param name="actionability">How its owner may intervene on it.</param>
    public StructuralCausalModelBuilder AddRoot(string name, string? agent = null, FeatureActionability actionability = FeatureActionability.Immutable)
        => Add(name, StructuralEquation.Exogenous, agent, actionability);

    /// <summary>Adds X := intercept + Σ weight·parent + U.</summary>
    /// <param name="name">The variable's name; unique in the model.</param>
    /// <param name="intercept">The constant term.</param>
    /// <param name="terms">The parents and their weights.</param>
    /// <param name="agent">The agent that owns it, or <see langword="null"/> for a context variable.</param>
    /// <param name="actionability">How its owner may intervene on it.</param>
    public StructuralCausalModelBuilder AddLinear(string name, double intercept, IReadOnlyList<(string Parent, double Weight)> terms,
        string? agent = null, FeatureActionability actionability = FeatureActionability.Immutable)
    {
        Contracts.CheckValue(terms, nameof(terms));
        return Add(name, StructuralEquation.Linear(intercept, terms.ToArray()), agent, actionability);
    }

    /// <summary>Adds a variable with any structural equation.</summary>
    /// <param name="name">The variable's name; unique in the model.</param>
    /// <param name="equation">Its equation X := f(X_pa) + U.</param>
    /// <param name="agent">The agent that owns it, or <see langword="null"/> for a context variable.</param>
    /// <param name="actionability">How its owner may intervene on it.</param>
    public StructuralCausalModelBuilder Add(string name, StructuralEquation equation, string? agent = null,
        FeatureActionability actionability = FeatureActionability.Immutable)
    {
        Contracts.CheckParam(!string.IsNullOrWhiteSpace(name), nameof(name), "A variable needs a name.");
        Contracts.CheckValue(equation, nameof(equation));
        Contracts.CheckParam(agent is null || agent.Length > 0, nameof(agent), $"Variable '{name}': the agent name is empty; use null for a context variable.");
        Contracts.CheckParam(Enum.IsDefined(actionability), nameof(actionability), $"Variable '{name}': unknown actionability {actionability}.");
        Contracts.CheckParam(_variables.All(v => v.Name != name), nameof(name), $"A variable named '{name}' already exists.");
        _variables.Add((name, equation, agent, actionability));
        return this;
    }

    /// <summary>Resolves parent names, checks that the graph is a DAG, and creates the model.</summary>
    /// <exception cref="ArgumentOutOfRangeException">An equation names an unknown parent or its own variable.</exception>
    /// <exception cref="InvalidOperationException">The graph has a cycle; the message lists it.</exception>
    public StructuralCausalModel Build()
    {
        Contracts.Check(_variables.Count > 0, "A structural causal model needs at least one variable.");
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < _variables.Count; i++) index[_variables[i].Name] = i;
        var variables = new CausalVariable[_variables.Count];
        for (int i = 0; i < _variables.Count; i++)
        {
            var (name, equation, agent, actionability) = _variables[i];
            var parents = new int[equation.Parents.Count];
            for (int k = 0; k < parents.Length; k++)
            {
                string parent = equation.Parents[k];
                Contracts.CheckParam(index.TryGetValue(parent, out parents[k]), "equation",
                    $"Variable '{name}' has an unknown parent '{parent}'.");
                Contracts.CheckParam(parents[k] != i, "equation", $"Variable '{name}' lists itself as a parent.");
            }
            variables[i] = new CausalVariable(i, name, equation, agent, actionability, parents);
        }
        return new StructuralCausalModel(variables, TopologicalOrder(variables));
    }

    // Depth-first search with three colours; a grey node reached again closes a cycle, which is reported by name.
    private static int[] TopologicalOrder(CausalVariable[] variables)
    {
        var state = new byte[variables.Length]; // 0 unseen, 1 on the stack, 2 done
        var order = new List<int>(variables.Length);
        var path = new List<int>();
        void Visit(int v)
        {
            if (state[v] == 2) return;
            if (state[v] == 1)
            {
                // The search walks child → parent; reverse the path so the message reads parent → child.
                var cycle = path.Skip(path.IndexOf(v)).Append(v).Reverse().Select(i => variables[i].Name);
                throw new InvalidOperationException($"The causal graph has a cycle: {string.Join(" → ", cycle)}.");
            }
            state[v] = 1;
            path.Add(v);
            foreach (int p in variables[v].ParentIndexArray) Visit(p);
            path.RemoveAt(path.Count - 1);
            state[v] = 2;
            order.Add(v);
        }
        for (int v = 0; v < variables.Length; v++) Visit(v);
        return order.ToArray();
    }
}

/// <summary>
/// A structural causal model M = (S, P_U) with additive-noise equations X_i := f_i(X_pa(i)) + U_i over a DAG
/// (Karimi, Schölkopf &amp; Valera 2021). Variables may belong to different agents and edges may cross agents.
/// It evaluates the model in topological order, applies hard interventions do(X_I := θ), and computes structural
/// counterfactuals by abduction, action and prediction. Immutable and thread-safe.
/// </summary>
public sealed class StructuralCausalModel
{
    private readonly CausalVariable[] _variables;
    private readonly int[] _order;
    private readonly Dictionary<string, int> _index;
    private readonly int _maximumParents;

    internal StructuralCausalModel(CausalVariable[] variables, int[] order)
    {
        _variables = variables;
        _order = order;
        _index = variables.ToDictionary(v => v.Name, v => v.Index, StringComparer.Ordinal);
        _maximumParents = variables.Max(v => v.ParentIndexArray.Length);
    }

    /// <summary>Gets the variables, in state-vector order.</summary>
    public IReadOnlyList<CausalVariable> Variables => _variables;

    /// <summary>Gets the number of variables d.</summary>
    public int VariableCount => _variables.Length;

    /// <summary>Gets the variables' positions in an order where every parent precedes its children.</summary>
    public IReadOnlyList<int> TopologicalOrder => _order;

    /// <summary>Gets the variable called <paramref name="name"/>.</summary>
    /// <param name="name">The variable's name.</param>
    /// <exception cref="ArgumentOutOfRangeException">No variable has that name.</exception>
    public CausalVariable this[string name] => _variables[IndexOf(name)];

    /// <summary>Gets the position of the variable called <paramref name="name"/>.</summary>
    /// <param name="name">The variable's name.</param>
    /// <exception cref="ArgumentOutOfRangeException">No variable has that name.</exception>
    public int IndexOf(string name)
    {
        Contracts.CheckValue(name, nameof(name));
        Contracts.CheckParam(_index.TryGetValue(name, out int i), nameof(name),
            $"Unknown variable '{name}'. The model's variables are: {string.Join(", ", _variables.Select(v => v.Name))}.");
        return i;
    }

    /// <summary>Computes the state x = F(u) from the exogenous noise, in topological order.</summary>
    /// <param name="noise">One noise value per variable.</param>
    public double[] Evaluate(ReadOnlySpan<double> noise)
    {
        CheckState(noise, nameof(noise));
        var state = new double[_variables.Length];
        Span<double> parents = stackalloc double[_maximumParents];
        foreach (int v in _order) state[v] = Mean(v, state, parents) + noise[v];
        return state;
    }

    /// <summary>Abduction: recovers the noise u = x − f(x_pa) that produces the observed state.</summary>
    /// <param name="factual">The observed state x^F, one value per variable.</param>
    public double[] Abduct(ReadOnlySpan<double> factual)
    {
        CheckState(factual, nameof(factual));
        var noise = new double[_variables.Length];
        Span<double> parents = stackalloc double[_maximumParents];
        for (int v = 0; v < _variables.Length; v++) noise[v] = factual[v] - Mean(v, factual, parents);
        return noise;
    }

    /// <summary>Creates the hard intervention do(X_I := θ).</summary>
    /// <param name="assignments">The intervened variables and their values.</param>
    /// <exception cref="ArgumentOutOfRangeException">A variable is unknown, appears twice, is immutable, or a value is not finite.</exception>
    public Intervention Do(params (string Variable, double Value)[] assignments)
    {
        Contracts.CheckValue(assignments, nameof(assignments));
        var indices = new int[assignments.Length];
        var values = new double[assignments.Length];
        for (int k = 0; k < assignments.Length; k++)
        {
            var (name, value) = assignments[k];
            indices[k] = IndexOf(name);
            var variable = _variables[indices[k]];
            Contracts.CheckParam(variable.Actionability != FeatureActionability.Immutable, nameof(assignments),
                $"Variable '{name}' is not actionable; no intervention may set it.");
            Contracts.CheckParam(double.IsFinite(value), nameof(assignments), $"The value for '{name}' must be finite; got {value}.");
            Contracts.CheckParam(Array.IndexOf(indices, indices[k], 0, k) < 0, nameof(assignments), $"Variable '{name}' is set twice.");
            values[k] = value;
        }
        return new Intervention(this, indices, values);
    }

    /// <summary>
    /// The structural counterfactual x^SCF = F_A(F⁻¹(x^F)): abduct the noise from the factual state, replace the
    /// intervened equations by constants, and recompute the other variables in topological order. Variables that are
    /// not descendants of an intervened variable keep their factual values exactly.
    /// </summary>
    /// <param name="factual">The observed state x^F.</param>
    /// <param name="intervention">The intervention, created by <see cref="Do"/> on this model.</param>
    public double[] Counterfactual(ReadOnlySpan<double> factual, Intervention intervention)
    {
        CheckState(factual, nameof(factual));
        Contracts.CheckValue(intervention, nameof(intervention));
        Contracts.CheckParam(ReferenceEquals(intervention.Model, this), nameof(intervention), "The intervention was created on another model.");
        var result = new double[_variables.Length];
        var noise = Abduct(factual);
        Counterfactual(factual, noise, intervention.IndexArray, intervention.ValueArray, result, stackalloc double[_maximumParents], stackalloc bool[_variables.Length]);
        return result;
    }

    internal int MaximumParents => _maximumParents;

    /// <summary>Counterfactual without allocation. <paramref name="changed"/> receives whether each variable moved.</summary>
    internal void Counterfactual(ReadOnlySpan<double> factual, ReadOnlySpan<double> noise, ReadOnlySpan<int> intervened,
        ReadOnlySpan<double> values, Span<double> result, Span<double> parentScratch, Span<bool> changed)
    {
        changed.Clear();
        foreach (int v in _order)
        {
            int k = intervened.IndexOf(v);
            double value;
            if (k >= 0) value = values[k];
            else if (AnyParentChanged(v, changed)) value = Mean(v, result, parentScratch) + noise[v];
            else value = factual[v];
            result[v] = value;
            changed[v] = value != factual[v];
        }
    }

    /// <summary>Marks the <paramref name="sources"/> and all their descendants.</summary>
    internal bool[] DescendantsOf(ReadOnlySpan<int> sources)
    {
        var reached = new bool[_variables.Length];
        foreach (int s in sources) reached[s] = true;
        foreach (int v in _order)
            if (!reached[v])
                foreach (int p in _variables[v].ParentIndexArray)
                    if (reached[p]) { reached[v] = true; break; }
        return reached;
    }

    private bool AnyParentChanged(int v, ReadOnlySpan<bool> changed)
    {
        foreach (int p in _variables[v].ParentIndexArray)
            if (changed[p]) return true;
        return false;
    }

    private double Mean(int v, ReadOnlySpan<double> state, Span<double> scratch)
    {
        var parents = _variables[v].ParentIndexArray;
        var values = scratch[..parents.Length];
        for (int k = 0; k < parents.Length; k++) values[k] = state[parents[k]];
        return _variables[v].Equation.Evaluate(values);
    }

    private void CheckState(ReadOnlySpan<double> state, string paramName)
    {
        Contracts.CheckParam(state.Length == _variables.Length, paramName,
            $"Expected {_variables.Length} values (one per variable); got {state.Length}.");
        for (int v = 0; v < state.Length; v++)
            Contracts.CheckParam(double.IsFinite(state[v]), paramName, $"The value of '{_variables[v].Name}' is not finite ({state[v]}).");
    }
}

/// <summary>A hard intervention do(X_I := θ) on a <see cref="StructuralCausalModel"/>; created by <see cref="StructuralCausalModel.Do"/>.</summary>
public sealed class Intervention
{
    internal Intervention(StructuralCausalModel model, int[] indices, double[] values)
    {
        Model = model;
        IndexArray = indices;
        ValueArray = values;
    }

    /// <summary>Gets the model the intervention belongs to.</summary>
    public StructuralCausalModel Model { get; }

    /// <summary>Gets the intervened variables and the values they are set to.</summary>
    public IReadOnlyList<(string Variable, double Value)> Assignments
        => IndexArray.Select((v, k) => (Model.Variables[v].Name, ValueArray[k])).ToArray();

    internal int[] IndexArray { get; }

    internal double[] ValueArray { get; }

    /// <inheritdoc/>
    public override string ToString()
        => "do(" + string.Join(", ", Assignments.Select(a => FormattableString.Invariant($"{a.Variable} := {a.Value:0.####}"))) + ")";
}
