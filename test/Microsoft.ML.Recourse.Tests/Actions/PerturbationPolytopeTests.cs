using Microsoft.ML.Recourse.Actions;
using Microsoft.ML.Data;
using Microsoft.ML.Recourse.Optimization;
using Microsoft.ML.Recourse.Optimization.OrTools;
using Microsoft.ML.Recourse.Tests.TestFramework;

namespace Microsoft.ML.Recourse.Tests.Actions;

public class PerturbationPolytopeTests
{
    private static readonly FeatureActionability[] AllActionabilities = Enum.GetValues<FeatureActionability>();

    /// <summary>What kinds of constraints a random action set may hold.</summary>
    private sealed record Shape(int MaxFeatures, bool Groups, bool Rows, bool Grids, bool FiniteBoxes);

    private static double Uniform(Random rng, double lo, double hi) => lo + (hi - lo) * rng.NextDouble();

    private static (ActionSet Set, int GroupSize) RandomSet(Random rng, Shape shape)
    {
        int groupSize = shape.Groups && rng.Next(3) > 0 ? rng.Next(2, 4) : 0;
        int free = rng.Next(1, shape.MaxFeatures + 1);
        var features = new List<FeatureInfo>();
        for (int j = 0; j < free; j++)
        {
            bool standardised = rng.Next(2) == 0;
            features.Add(new FeatureInfo($"f{j}", standardised ? Uniform(rng, -5, 5) : 0, standardised ? Math.Exp(Uniform(rng, -1, 1)) : 1,
                Actionability: AllActionabilities[rng.Next(AllActionabilities.Length)]));
        }
        for (int k = 0; k < groupSize; k++)
            features.Add(new FeatureInfo($"g_{k}", IsCategorical: true));

        double maximumChange = !shape.FiniteBoxes && rng.Next(5) == 0 ? double.PositiveInfinity : Uniform(rng, 0.1, 2);
        var builder = ActionSet.CreateBuilder(features, maximumChange);
        for (int j = 0; j < free; j++)
        {
            var f = features[j];
            if (rng.Next(3) == 0)
                builder.SetStandardScale(f.Name, Math.Exp(Uniform(rng, -1, 1)));
            if (rng.Next(3) == 0)
            {
                double lower = f.Mean + f.Scale * Uniform(rng, -3, 0);
                builder.SetBounds(f.Name, rng.Next(4) == 0 ? double.NegativeInfinity : lower,
                    rng.Next(4) == 0 ? double.PositiveInfinity : lower + f.Scale * Uniform(rng, 0, 4));
            }
            if (shape.Grids && rng.Next(4) == 0)
                builder.SetGrid(f.Name, f.Scale * Uniform(rng, 0.2, 1), Uniform(rng, -1, 1));
            if (rng.Next(3) == 0)
                builder.SetCostWeight(f.Name, Uniform(rng, 0, 3));
        }
        if (groupSize > 0)
        {
            builder.AddOneHotGroup("g", Enumerable.Range(0, groupSize).Select(k => $"g_{k}").ToArray(), isMutable: rng.Next(5) > 0);
            if (rng.Next(4) == 0)
                builder.SetActionability($"g_{rng.Next(groupSize)}", AllActionabilities[rng.Next(AllActionabilities.Length)]);
        }
        if (shape.Rows)
        {
            int rows = rng.Next(1, 3);
            for (int r = 0; r < rows; r++)
            {
                var change = new Dictionary<string, double>();
                int terms = rng.Next(1, 4);
                for (int t = 0; t < terms; t++)
                    change[features[rng.Next(features.Count)].Name] = Uniform(rng, -2, 2) / features[0].Scale;
                var value = new Dictionary<string, double>();
                if (rng.Next(2) == 0)
                    value[features[rng.Next(features.Count)].Name] = Uniform(rng, -0.5, 0.5);
                builder.AddLinearConstraint($"r{r}", change, value, Uniform(rng, -1, 1));
            }
        }
        return (builder.Build(), groupSize);
    }

    private static double[] RandomRow(Random rng, ActionSet set, int groupSize)
    {
        int free = set.FeatureCount - groupSize;
        var x = new double[set.FeatureCount];
        for (int j = 0; j < free; j++)
            x[j] = Uniform(rng, -2.5, 2.5);
        if (groupSize > 0)
            x[free + rng.Next(groupSize)] = 1;
        return x;
    }

    private static double[] RandomObjective(Random rng, int d)
        => Enumerable.Range(0, d).Select(_ => rng.Next(5) == 0 ? 0 : Uniform(rng, -1, 1)).ToArray();

    private static double Dot(IReadOnlyList<double> a, IReadOnlyList<double> b) => a.Zip(b, (u, v) => u * v).Sum();

    [Fact]
    public void Minimize_Separable_EqualsBruteForceCornerEnumeration()
    {
        var rng = new Random(11);
        for (int instance = 0; instance < 500; instance++)
        {
            var (set, _) = RandomSet(rng, new Shape(MaxFeatures: 5, Groups: false, Rows: false, Grids: true, FiniteBoxes: true));
            var p = set.Compile(RandomRow(rng, set, 0));
            var c = RandomObjective(rng, set.FeatureCount);
            p.IsSeparable.Should().BeTrue();

            var r = p.Minimize(c);

            // Every coordinate's optimum is one of lo, 0, hi: enumerate all 3^d choices.
            double best = double.PositiveInfinity;
            int d = set.FeatureCount;
            for (int code = 0; code < (int)Math.Pow(3, d); code++)
            {
                double value = 0;
                for (int j = 0, rest = code; j < d; j++, rest /= 3)
                    value += c[j] * (rest % 3) switch { 0 => p.Lower[j], 1 => 0, _ => p.Upper[j] };
                best = Math.Min(best, value);
            }
            r.Status.Should().Be(LinearProgramStatus.Optimal);
            r.ObjectiveValue.Should().BeApproximately(best, 1e-12, $"instance {instance}");
            r.MeetsDiscreteConstraints.Should().BeTrue();
            for (int j = 0; j < d; j++)
            {
                if (c[j] == 0)
                    r.Delta[j].Should().Be(0, "a zero coefficient keeps the feature");
                else
                    r.Delta[j].Should().BeOneOf(p.Lower[j], 0.0, p.Upper[j]);
            }
            p.Contains(r.Delta.ToArray()).Should().BeTrue();
        }
    }

    [Fact]
    public void Minimize_RandomSeparableSets_EqualsGlop()
    {
        var rng = new Random(12);
        var glop = new GlopSolver();
        for (int instance = 0; instance < 500; instance++)
        {
            var (set, _) = RandomSet(rng, new Shape(MaxFeatures: 8, Groups: false, Rows: false, Grids: true, FiniteBoxes: true));
            var p = set.Compile(RandomRow(rng, set, 0));
            var c = RandomObjective(rng, set.FeatureCount);

            var closed = p.Minimize(c);
            var reference = glop.Solve(p.ToLinearProgram(c));

            reference.Status.Should().Be(LinearProgramStatus.Optimal);
            closed.ObjectiveValue.Should().BeApproximately(reference.ObjectiveValue, 1e-9 * (1 + Math.Abs(reference.ObjectiveValue)), $"instance {instance}");
        }
    }

    [Fact]
    public void Minimize_OneHotGroups_EqualsGlopOnTheRelaxation()
    {
        var rng = new Random(13);
        var glop = new GlopSolver();
        int switched = 0;
        for (int instance = 0; instance < 500; instance++)
        {
            var (set, groupSize) = RandomSet(rng, new Shape(MaxFeatures: 4, Groups: true, Rows: false, Grids: false, FiniteBoxes: true));
            var p = set.Compile(RandomRow(rng, set, groupSize));
            var c = RandomObjective(rng, set.FeatureCount);

            var closed = p.Minimize(c);
            var reference = glop.Solve(p.ToLinearProgram(c));

            reference.Status.Should().Be(LinearProgramStatus.Optimal);
            closed.ObjectiveValue.Should().BeApproximately(reference.ObjectiveValue, 1e-9, $"instance {instance}");
            p.Contains(closed.Delta.ToArray()).Should().BeTrue();
            if (groupSize > 0 && closed.Delta.Skip(set.FeatureCount - groupSize).Any(v => v != 0))
                switched++;
        }
        switched.Should().BeGreaterThan(50, "the instances should exercise category switches");
    }

    /// <summary>Minimum of cᵀδ over the relaxation of Δ by enumerating every vertex (d tight hyperplanes); null when empty.</summary>
    private static double? VertexMinimum(PerturbationPolytope p, double[] c)
    {
        int d = p.Dimension;
        var planes = new List<(double[] Normal, double Value)>();
        for (int j = 0; j < d; j++)
        {
            var e = new double[d];
            e[j] = 1;
            planes.Add((e, p.Lower[j]));
            planes.Add((e, p.Upper[j]));
        }
        foreach (var row in p.ToLinearProgram(c).Constraints)
        {
            var normal = new double[d];
            for (int k = 0; k < row.Indices.Count; k++)
                normal[row.Indices[k]] += row.Coefficients[k];
            planes.Add((normal, row.Lower));
        }
        double? best = null;
        foreach (var subset in Subsets(planes.Count, d))
        {
            var vertex = Solve(subset.Select(i => planes[i].Normal).ToArray(), subset.Select(i => planes[i].Value).ToArray());
            if (vertex is null || p.FindViolation(vertex, 1e-7, checkDiscrete: false) is not null)
                continue;
            double value = Dot(c, vertex);
            best = best is null ? value : Math.Min(best.Value, value);
        }
        return best;
    }

    private static IEnumerable<int[]> Subsets(int n, int k)
    {
        var pick = Enumerable.Range(0, k).ToArray();
        while (true)
        {
            yield return (int[])pick.Clone();
            int i = k - 1;
            while (i >= 0 && pick[i] == n - k + i) i--;
            if (i < 0) yield break;
            pick[i]++;
            for (int t = i + 1; t < k; t++) pick[t] = pick[t - 1] + 1;
        }
    }

    private static double[]? Solve(double[][] a, double[] b)
    {
        int n = b.Length;
        var m = a.Select((row, i) => row.Append(b[i]).ToArray()).ToArray();
        for (int col = 0; col < n; col++)
        {
            int pivot = Enumerable.Range(col, n - col).MaxBy(r => Math.Abs(m[r][col]));
            if (Math.Abs(m[pivot][col]) < 1e-10) return null;
            (m[col], m[pivot]) = (m[pivot], m[col]);
            for (int r = 0; r < n; r++)
            {
                if (r == col) continue;
                double f = m[r][col] / m[col][col];
                for (int t = col; t <= n; t++) m[r][t] -= f * m[col][t];
            }
        }
        return Enumerable.Range(0, n).Select(i => m[i][n] / m[i][i]).ToArray();
    }

    [Fact]
    public void Minimize_GeneralRowsAndGroups_MatchesVertexEnumeration()
    {
        var rng = new Random(14);
        int optimal = 0, infeasible = 0;
        for (int instance = 0; instance < 400; instance++)
        {
            var (set, groupSize) = RandomSet(rng, new Shape(MaxFeatures: 2, Groups: true, Rows: true, Grids: false, FiniteBoxes: true));
            var p = set.Compile(RandomRow(rng, set, groupSize));
            var c = RandomObjective(rng, set.FeatureCount);

            var r = p.Minimize(c);
            double? expected = VertexMinimum(p, c);

            if (expected is null)
            {
                r.Status.Should().Be(LinearProgramStatus.Infeasible, $"instance {instance} has no vertex");
                infeasible++;
                continue;
            }
            r.Status.Should().Be(LinearProgramStatus.Optimal, $"instance {instance}");
            r.ObjectiveValue.Should().BeApproximately(expected.Value, 1e-7 * (1 + Math.Abs(expected.Value)), $"instance {instance}");
            p.FindViolation(r.Delta.ToArray(), PerturbationPolytope.DefaultTolerance, checkDiscrete: false).Should().BeNull();
            r.MeetsDiscreteConstraints.Should().Be(p.Contains(r.Delta.ToArray()));
            optimal++;
        }
        optimal.Should().BeGreaterThan(100);
        infeasible.Should().BeGreaterThan(10);
    }

    [Fact]
    public void Minimize_TenThousandRandomInstances_EveryResultLiesInDelta()
    {
        var rng = new Random(15);
        var counts = new Dictionary<LinearProgramStatus, int>();
        int offGrid = 0;
        for (int instance = 0; instance < 10_000; instance++)
        {
            // Unlimited boxes (unbounded objectives) only without general rows: a simplex can call an unbounded program with
            // free columns infeasible (GlopSolver re-examines such verdicts), a solver matter outside this test's scope.
            bool rows = rng.Next(3) == 0;
            var shape = new Shape(MaxFeatures: 6, Groups: rng.Next(2) == 0, Rows: rows, Grids: rng.Next(2) == 0, FiniteBoxes: rows);
            var (set, groupSize) = RandomSet(rng, shape);
            var p = set.Compile(RandomRow(rng, set, groupSize));
            var c = RandomObjective(rng, set.FeatureCount);

            var r = p.Minimize(c);

            counts[r.Status] = counts.GetValueOrDefault(r.Status) + 1;
            if (r.IsOptimal)
            {
                var delta = r.Delta.ToArray();
                p.FindViolation(delta, PerturbationPolytope.DefaultTolerance, checkDiscrete: false).Should().BeNull($"instance {instance}");
                if (r.MeetsDiscreteConstraints)
                    p.FindViolation(delta).Should().BeNull($"instance {instance}");
                else
                {
                    shape.Rows.Should().BeTrue("only general rows need the relaxation");
                    offGrid++;
                }
                r.ObjectiveValue.Should().BeApproximately(Dot(c, delta), 1e-12 * (1 + Math.Abs(r.ObjectiveValue)));
                if (p.Contains(new double[set.FeatureCount]))
                    r.ObjectiveValue.Should().BeLessThanOrEqualTo(1e-9, $"instance {instance}: δ = 0 is feasible with objective 0");
            }
            else
            {
                r.Status.Should().BeOneOf(LinearProgramStatus.Infeasible, LinearProgramStatus.Unbounded);
                if (r.Status == LinearProgramStatus.Infeasible)
                    p.Contains(new double[set.FeatureCount]).Should().BeFalse($"instance {instance}: δ = 0 is feasible");
            }
        }
        counts.GetValueOrDefault(LinearProgramStatus.Optimal).Should().BeGreaterThan(7_000);
        offGrid.Should().BeLessThan(counts[LinearProgramStatus.Optimal]);
    }

    private static readonly FeatureInfo[] Grouped =
    [
        new("i", Actionability: FeatureActionability.Free),
        new("g_a", IsCategorical: true),
        new("g_b", IsCategorical: true),
        new("g_c", IsCategorical: true),
    ];

    [Theory]
    [InlineData(new double[] { 0, 0, -2, -3 }, new double[] { 0, -1, 0, 1 })] // cheapest category wins
    [InlineData(new double[] { 0, 1, 1, 1 }, new double[] { 0, 0, 0, 0 })]   // no switch improves: stay
    [InlineData(new double[] { 0, 0, -1, -1 }, new double[] { 0, -1, 1, 0 })] // tie between categories: lowest index
    [InlineData(new double[] { 0, 2, 2, 3 }, new double[] { 0, 0, 0, 0 })]   // tie with staying: stay
    public void Minimize_OneHotGroup_SwitchesOnlyWhenStrictlyBetter(double[] objective, double[] expected)
    {
        var set = ActionSet.CreateBuilder(Grouped, 1).AddOneHotGroup("g", ["g_a", "g_b", "g_c"]).Build();

        var r = set.Minimize([0, 1, 0, 0], objective);

        r.Delta.Should().Equal(expected);
        r.MeetsDiscreteConstraints.Should().BeTrue();
    }

    [Fact]
    public void Minimize_OneHotMemberThatCannotBeEntered_IsNotChosen()
    {
        var set = ActionSet.CreateBuilder(Grouped, 1).AddOneHotGroup("g", ["g_a", "g_b", "g_c"])
            .SetActionability("g_c", FeatureActionability.DecreaseOnly).Build();

        set.Minimize([0, 1, 0, 0], [0, 0, -1, -5]).Delta.Should().Equal(0.0, -1, 1, 0);
    }

    [Fact]
    public void Minimize_GeneralRowOnGridFeature_RelaxesTheGridAndSaysSo()
    {
        var set = ActionSet.CreateBuilder([new FeatureInfo("i", Actionability: FeatureActionability.Free)], 1.5)
            .SetInteger("i")
            .AddLinearConstraint("at-least-half", new Dictionary<string, double> { ["i"] = 1 }, constant: -0.5)
            .Build();
        var p = set.Compile([0]);

        var r = p.Minimize([1]);

        p.Lower[0].Should().Be(-1);
        p.Upper[0].Should().Be(1);
        r.Status.Should().Be(LinearProgramStatus.Optimal);
        r.Delta[0].Should().BeApproximately(0.5, 1e-12);
        r.MeetsDiscreteConstraints.Should().BeFalse();
        p.FindViolation([0.5]).Should().StartWith("feature 'i': the new value 0.5 is not on its grid 0 + k·1");
        p.Contains([1]).Should().BeTrue();
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void MinimizeAll_ManyRows_EqualsRowByRowMinimize(bool withRows)
    {
        var rng = new Random(withRows ? 21 : 22);
        var (set, groupSize) = RandomSet(rng, new Shape(MaxFeatures: 5, Groups: true, Rows: withRows, Grids: true, FiniteBoxes: true));
        var rows = Enumerable.Range(0, 300).Select(_ => RandomRow(rng, set, groupSize)).ToArray();
        var objectives = rows.Select(_ => RandomObjective(rng, set.FeatureCount)).ToArray();

        var batch = set.MinimizeAll(rows, objectives);

        batch.Should().HaveCount(rows.Length);
        for (int i = 0; i < rows.Length; i++)
        {
            var single = set.Minimize(rows[i], objectives[i]);
            batch[i].Status.Should().Be(single.Status);
            batch[i].Delta.Should().Equal(single.Delta);
        }
    }
}
