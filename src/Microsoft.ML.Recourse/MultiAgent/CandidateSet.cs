using Microsoft.ML.Recourse.Actions;

namespace Microsoft.ML.Recourse.MultiAgent;

/// <summary>The principal's feasible candidate actions from one factual state, indexed 0 … Count − 1.</summary>
internal abstract class CandidateSet
{
    /// <summary>Gets the number of candidates.</summary>
    public abstract long Count { get; }

    /// <summary>Gets the most assignments any candidate makes.</summary>
    public abstract int MaximumAssignments { get; }

    /// <summary>Writes candidate <paramref name="i"/>'s assignments and returns how many there are.</summary>
    public abstract int Get(int i, Span<int> indices, Span<double> values, out double cost);

    /// <summary>A readable name of candidate <paramref name="i"/>.</summary>
    public abstract string Describe(int i);

    public static CandidateSet Create(ActionSpace actions, int[] actionVariables, StructuralCausalModel scm, double[] factual) => actions switch
    {
        DiscreteActionSpace d => new DiscreteCandidateSet(d, actionVariables, scm, factual),
        GridActionSpace g => new GridCandidateSet(g, actionVariables, scm, factual),
        _ => throw new ArgumentOutOfRangeException(nameof(actions), $"Unsupported action space {actions.GetType().Name}."),
    };

    /// <summary>Whether setting variable <paramref name="v"/> to <paramref name="value"/> respects its actionability.</summary>
    protected static bool Respects(StructuralCausalModel scm, int v, double value, double factual) => scm.Variables[v].Actionability switch
    {
        FeatureActionability.IncreaseOnly => value >= factual,
        FeatureActionability.DecreaseOnly => value <= factual,
        _ => true,
    };

    internal static string Format(StructuralCausalModel scm, ReadOnlySpan<int> indices, ReadOnlySpan<double> values)
    {
        if (indices.Length == 0) return "no intervention";
        var parts = new string[indices.Length];
        for (int k = 0; k < indices.Length; k++)
            parts[k] = FormattableString.Invariant($"{scm.Variables[indices[k]].Name} := {values[k]:0.####}");
        return "do(" + string.Join(", ", parts) + ")";
    }
}

internal sealed class DiscreteCandidateSet : CandidateSet
{
    private readonly List<(string Name, int[] Indices, double[] Values, double Cost)> _feasible = [];

    public DiscreteCandidateSet(DiscreteActionSpace space, int[] actionVariables, StructuralCausalModel scm, double[] factual)
    {
        int next = 0;
        foreach (var action in space.Actions)
        {
            var indices = actionVariables.AsSpan(next, action.Assignments.Count).ToArray();
            next += indices.Length;
            var values = action.Assignments.Select(a => a.Value).ToArray();
            bool feasible = true;
            double l1 = 0;
            for (int k = 0; k < indices.Length; k++)
            {
                feasible &= Respects(scm, indices[k], values[k], factual[indices[k]]);
                l1 += Math.Abs(values[k] - factual[indices[k]]);
            }
            if (feasible) _feasible.Add((action.Name, indices, values, action.Cost ?? l1));
        }
        MaximumAssignments = space.Actions.Max(a => a.Assignments.Count);
    }

    public override long Count => _feasible.Count;

    public override int MaximumAssignments { get; }

    public override int Get(int i, Span<int> indices, Span<double> values, out double cost)
    {
        var action = _feasible[i];
        action.Indices.CopyTo(indices);
        action.Values.CopyTo(values);
        cost = action.Cost;
        return action.Indices.Length;
    }

    public override string Describe(int i) => _feasible[i].Name;
}

/// <summary>
/// A grid: each axis is either left alone (choice 0) or set to one of its feasible values (choices 1 … k);
/// candidates are numbered in mixed radix with the first axis varying fastest.
/// </summary>
internal sealed class GridCandidateSet : CandidateSet
{
    private readonly StructuralCausalModel _scm;

    public GridCandidateSet(GridActionSpace space, int[] actionVariables, StructuralCausalModel scm, double[] factual)
    {
        _scm = scm;
        int axes = space.Axes.Count;
        Variables = actionVariables;
        CostWeights = space.Axes.Select(a => a.CostWeight).ToArray();
        Values = new double[axes][];
        Factual = new double[axes];
        long count = 1;
        for (int a = 0; a < axes; a++)
        {
            var axis = space.Axes[a];
            int v = actionVariables[a];
            Factual[a] = factual[v];
            Values[a] = axis.Points.Select(p => axis.IsRelative ? factual[v] + p : p)
                .Where(value => Respects(scm, v, value, factual[v])).Distinct().ToArray();
            count = count > long.MaxValue / (Values[a].Length + 1) ? long.MaxValue : count * (Values[a].Length + 1);
        }
        Count = count;
    }

    /// <summary>Gets the variable of each axis.</summary>
    public int[] Variables { get; }

    /// <summary>Gets the feasible absolute values θ of each axis.</summary>
    public double[][] Values { get; }

    /// <summary>Gets each axis variable's factual value.</summary>
    public double[] Factual { get; }

    /// <summary>Gets each axis's cost per unit of change.</summary>
    public double[] CostWeights { get; }

    public override long Count { get; }

    public override int MaximumAssignments => Variables.Length;

    public override int Get(int i, Span<int> indices, Span<double> values, out double cost)
    {
        int m = 0;
        cost = 0;
        for (int a = 0; a < Variables.Length; a++)
        {
            int radix = Values[a].Length + 1;
            int choice = i % radix;
            i /= radix;
            if (choice == 0) continue;
            indices[m] = Variables[a];
            values[m] = Values[a][choice - 1];
            cost += CostWeights[a] * Math.Abs(values[m] - Factual[a]);
            m++;
        }
        return m;
    }

    public override string Describe(int i)
    {
        Span<int> indices = stackalloc int[Variables.Length];
        Span<double> values = stackalloc double[Variables.Length];
        int m = Get(i, indices, values, out _);
        return Format(_scm, indices[..m], values[..m]);
    }
}
