using Microsoft.ML.Recourse.Actions;
using Microsoft.ML.Recourse.Models;

using System.Text.Json.Nodes;
using Microsoft.ML.Recourse.Persistence;

namespace Microsoft.ML.Recourse;

/// <summary>How <see cref="RobustGenerator"/> obtains the logistic model (w, b) it robustifies when the scorer is not a logistic regression.</summary>
public enum RobustLocalModel
{
    /// <summary>Linearise the logit at x: w = ∇ₓ logit g(x) = ∇ₓg / (g(1 − g)), b = logit g(x) − wᵀx. Needs an <see cref="IDifferentiableScorer"/>.</summary>
    InputGradient,

    /// <summary>
    /// Fit a LIME-style local logistic surrogate to the model's probabilities around x (as the reference does for
    /// neural networks; the integer program's surrogate, <see cref="LinearSurrogate.Lime"/>). Works for any <see cref="IScorer"/>.
    /// </summary>
    Lime,
}

/// <summary>
/// ROAR (Upadhyay, Joshi &amp; Lakkaraju, NeurIPS 2021): recourse that stays valid when the model's parameters move.
/// For each row it returns x′ = x + δ, δ ∈ Δ(x), minimising the worst-case loss over parameter shifts
/// ‖Δθ‖∞ ≤ δ_max (all weights and the intercept) plus λ times the cost:
/// <c>max_{‖Δθ‖∞ ≤ δ_max} BCE(σ(f_{θ+Δθ}(x′)), 1) + λ·cost(δ)</c>.
/// </summary>
/// <remarks>
/// <format type="text/markdown"><![CDATA[
/// To create this generator, use [Robust](xref:Microsoft.ML.Recourse.RobustCatalog.Robust(Microsoft.ML.Recourse.RecourseGenerators,System.Double,System.Double))
/// or [Robust(Options)](xref:Microsoft.ML.Recourse.RobustCatalog.Robust(Microsoft.ML.Recourse.RecourseGenerators,Microsoft.ML.Recourse.RobustGenerator.Options)).
///
/// ### Generator Characteristics
/// | | |
/// | -- | -- |
/// | Model | A logistic regression (exact); any IDifferentiableScorer through the linearised logit, any IScorer through a LIME logistic surrogate |
/// | Action set | Boxes: actionability, maximum changes and bounds (no grids on mutable features, no mutable one-hot groups, no general constraints — use RobustIntegerProgram for those) |
/// | Batched / parallel | Blocks of rows in parallel |
///
/// ### Details
/// For a logistic model the inner maximum is exact: BCE is decreasing in the logit and the worst shift is
/// Δw = −δ_max·sign(x′), Δb = −δ_max, so the worst-case logit is z_rob(x′) = wᵀx′ + b − δ_max(‖x′‖₁ + 1). With a
/// threshold θ₀ the loss is softplus(logit θ₀ − z_rob(x′)) (ROAR's BCE when θ₀ = 0.5). The objective is convex;
/// it is minimised exactly by a fractional-knapsack walk over the piecewise-linear pieces of z_rob (see
/// docs/robust-recourse.md), not by the reference's Adam loop, so it returns the global optimum in O(d log d). For
/// other models (w, b) is a local surrogate built at x, as the reference does with LIME; validity is always measured
/// on the real model. Rows whose worst-case logit stays below logit θ₀ carry a message saying so.
/// ]]></format>
/// </remarks>
/// <seealso cref="RobustCatalog.Robust(RecourseGenerators, double, double)"/>
/// <seealso cref="RobustCatalog.Robust(RecourseGenerators, Options)"/>
public sealed class RobustGenerator : IRecourseGenerator, IPersistedGenerator
{
    internal const string GeneratorName = "robust";

    private const int BlockRows = 256;

    private readonly int _seed;

    internal RobustGenerator(RecourseEnvironment environment, Options options)
    {
        Contracts.CheckValue(environment, nameof(environment));
        Contracts.CheckValue(options, nameof(options));
        Contracts.CheckParam(options.LimeSampleCount >= 10, nameof(options.LimeSampleCount), FormattableString.Invariant($"Must be ≥ 10; got {options.LimeSampleCount}."));
        CheckRadius(options.RobustnessRadius, nameof(options.RobustnessRadius));
        CheckRecourseWeight(options.RecourseWeight, nameof(options.RecourseWeight));
        Contracts.CheckParam(Enum.IsDefined(options.LocalModel), nameof(options.LocalModel), $"Unknown local model {options.LocalModel}.");
        Contracts.CheckParam(options.NumberOfThreads is null || options.NumberOfThreads >= 1, nameof(options.NumberOfThreads),
            FormattableString.Invariant($"Must be ≥ 1 or null; got {options.NumberOfThreads}."));
        RobustnessRadius = options.RobustnessRadius;
        RecourseWeight = options.RecourseWeight;
        LocalModel = options.LocalModel;
        NumberOfThreads = options.NumberOfThreads;
        LimeSampleCount = options.LimeSampleCount;
        _seed = options.Seed ?? environment.NextSeed();
        _environment = environment;
    }

    private readonly RecourseEnvironment _environment;

    JsonObject IPersistedGenerator.Save() => GeneratorOptionsJson.Save(GeneratorName, ToOptions());

    [PersistedKind(PersistedFamily.Generator, GeneratorName, 1)]
    internal static IRecourseGenerator Load(JsonObject data, int version, RecourseEnvironment environment)
        => new RobustGenerator(environment, GeneratorOptionsJson.Read<Options>(data));

    /// <inheritdoc/>
    public string Name => GeneratorName;

    /// <summary>Gets δ_max, the radius of the box of parameter shifts ‖Δθ‖∞ ≤ δ_max the recourse must withstand.</summary>
    public double RobustnessRadius { get; }

    /// <summary>Gets λ, the weight of the cost against the worst-case loss.</summary>
    public double RecourseWeight { get; }

    /// <summary>Gets how a non-logistic scorer is turned into a local logistic model.</summary>
    public RobustLocalModel LocalModel { get; }

    /// <summary>Gets the largest number of threads working on blocks of rows, or <see langword="null"/> for as many as the machine offers.</summary>
    public int? NumberOfThreads { get; }

    /// <summary>Gets the number of perturbed samples of the LIME surrogate.</summary>
    public int LimeSampleCount { get; }

    /// <summary>Returns a generator with the same settings and another robustness radius.</summary>
    /// <param name="robustnessRadius">δ_max. Range: value ≥ 0.</param>
    public RobustGenerator WithRobustnessRadius(double robustnessRadius)
        => new(_environment, ToOptions() with { RobustnessRadius = robustnessRadius });

    /// <summary>Returns a generator with the same settings and another recourse weight.</summary>
    /// <param name="recourseWeight">λ. Range: value &gt; 0.</param>
    public RobustGenerator WithRecourseWeight(double recourseWeight)
        => new(_environment, ToOptions() with { RecourseWeight = recourseWeight });

    /// <inheritdoc/>
    /// <exception cref="ArgumentOutOfRangeException">
    /// The threshold lies outside (0, 1); the action set's feature count differs from the model's; the action set has
    /// grids on mutable features, mutable one-hot groups or general constraints; the model is neither a logistic
    /// regression nor an <see cref="IDifferentiableScorer"/>; a row holds a non-finite value.
    /// </exception>
    public IReadOnlyList<RecourseResult> Generate(IScorer model, double threshold, ActionSet actionSet, ReadOnlyMemory<double> rows,
        CancellationToken cancellationToken = default)
    {
        RecourseGate.CheckArguments(model, threshold, actionSet, rows);
        CheckActionSet(actionSet);
        if (model is not LogisticRegressionModelParameters && model is not IDifferentiableScorer && LocalModel == RobustLocalModel.InputGradient)
            throw new ArgumentOutOfRangeException(nameof(model),
                $"The robust generator with LocalModel = InputGradient needs a logistic regression or the input gradient of the model, but {model.GetType().Name} is not an {nameof(IDifferentiableScorer)}. Use LocalModel = Lime for black-box scorers.");
        int d = model.FeatureCount, count = rows.Length / d;
        var results = new RecourseResult[count];
        int blocks = (count + BlockRows - 1) / BlockRows;
        var parallel = new ParallelOptions { CancellationToken = cancellationToken, MaxDegreeOfParallelism = NumberOfThreads ?? -1 };
        Parallel.For(0, blocks, parallel, () => new BlockBuffers(d), (b, _, buffers) =>
        {
            RunBlock(b, model, threshold, actionSet, rows.Span, results, buffers);
            return buffers;
        }, _ => { });
        return results;
    }

    /// <summary>
    /// Chooses λ by the reference protocol: try the candidates in increasing order on rows the model rejects (the
    /// reference uses the training rows' negatives), keep increasing while the share of rows whose recourse the model
    /// accepts does not drop, and take the last λ before it drops (the largest candidate if it never drops).
    /// </summary>
    /// <param name="model">The model (M1).</param>
    /// <param name="threshold">The decision threshold θ₀. Range: 0 &lt; θ₀ &lt; 1.</param>
    /// <param name="actionSet">The allowed actions.</param>
    /// <param name="rows">The rows to tune on, row-major; at least one.</param>
    /// <param name="candidates">The λ values, or <see langword="null"/> for the reference's 0.1, 0.2, …, 1.0. Range: each value &gt; 0.</param>
    /// <param name="cancellationToken">Stops a long run.</param>
    /// <returns>The chosen λ, the validity of every candidate tried and a generator using the chosen λ.</returns>
    public RecourseWeightSelection SelectRecourseWeight(IScorer model, double threshold, ActionSet actionSet, ReadOnlyMemory<double> rows,
        IReadOnlyList<double>? candidates = null, CancellationToken cancellationToken = default)
    {
        RecourseGate.CheckArguments(model, threshold, actionSet, rows);
        Contracts.CheckParam(rows.Length > 0, nameof(rows), "Choosing λ needs at least one row.");
        var grid = (candidates ?? Enumerable.Range(1, 10).Select(i => i / 10.0).ToArray()).ToArray();
        Contracts.CheckParam(grid.Length > 0, nameof(candidates), "Give at least one candidate λ.");
        foreach (double c in grid) CheckRecourseWeight(c, nameof(candidates));
        Array.Sort(grid);
        var tried = new List<double>();
        double previous = -1;
        int chosen = grid.Length - 1;
        for (int i = 0; i < grid.Length; i++)
        {
            var results = WithRecourseWeight(grid[i]).Generate(model, threshold, actionSet, rows, cancellationToken);
            double validity = results.Count(r => r.IsValid) / (double)results.Count;
            tried.Add(validity);
            if (validity < previous)
            {
                chosen = i - 1;
                break;
            }
            previous = validity;
        }
        return new RecourseWeightSelection(grid[chosen], grid[..tried.Count], tried, WithRecourseWeight(grid[chosen]));
    }

    private void RunBlock(int block, IScorer model, double threshold, ActionSet actionSet, ReadOnlySpan<double> allRows, RecourseResult[] results, BlockBuffers buffers)
    {
        int d = model.FeatureCount, first = block * BlockRows, count = Math.Min(BlockRows, results.Length - first);
        var rows = allRows.Slice(first * d, count * d);
        int bad = FirstNonFinite(rows);
        if (bad >= 0)
            throw new ArgumentOutOfRangeException("rows", FormattableString.Invariant(
                $"Feature '{actionSet.Features[bad % d].Name}' of row {first + bad / d} is not finite ({rows[bad]})."));
        var scores = buffers.Scores.AsSpan(0, count);
        var weights = buffers.Weights.AsSpan(0, count * d);
        var biases = buffers.Biases.AsSpan(0, count);
        LocalLogisticModels(model, threshold, actionSet, first, rows, scores, weights, biases);
        double targetLogit = ScorerModelParameters.Logit(threshold);
        var delta = buffers.Delta.AsSpan();
        for (int r = 0; r < count; r++)
        {
            int row = first + r;
            var x = rows.Slice(r * d, d);
            var w = weights.Slice(r * d, d);
            if (!double.IsFinite(biases[r]))
            {
                results[row] = RecourseGate.None(scores[r], RecourseStatus.NotFound,
                    FormattableString.Invariant($"Row {row}: the model is saturated at this row (g = {scores[r]}), so its logit cannot be linearised."));
                continue;
            }
            var box = actionSet.Compile(x);
            if (!RobustLogisticSolver.Solve(w, biases[r], x, box.Lower, box.Upper, actionSet.CostPerUnitChange, RobustnessRadius, RecourseWeight, targetLogit, delta, buffers.Segments))
            {
                results[row] = RecourseGate.None(scores[r], RecourseStatus.NotFound,
                    $"Row {row}: a feature with cost weight 0 and no bound raises the worst-case logit without limit, so the robust objective has no minimum; give it a cost weight or a maximum change.");
                continue;
            }
            double robustLogit = RobustLogisticSolver.WorstCaseLogit(w, biases[r], AddTo(x, delta, buffers.Counterfactual), RobustnessRadius);
            string? message = robustLogit >= targetLogit ? null : FormattableString.Invariant(
                $"Not robust at radius {RobustnessRadius}: the worst-case logit of x + δ is {robustLogit:0.###} < {targetLogit:0.###}.");
            results[row] = RecourseGate.Accept(GeneratorName, row, model, threshold, actionSet, x, delta, scores[r], RecourseStatus.Found, message);
        }
    }

    /// <summary>The logistic model (w, b) used at each row: the model itself, or its local surrogate.</summary>
    private void LocalLogisticModels(IScorer model, double threshold, ActionSet actionSet, int first, ReadOnlySpan<double> rows,
        Span<double> scores, Span<double> weights, Span<double> biases)
    {
        int d = model.FeatureCount, count = scores.Length;
        if (model is LogisticRegressionModelParameters logistic)
        {
            model.ScoreBatch(rows, scores);
            for (int r = 0; r < count; r++)
            {
                for (int j = 0; j < d; j++) weights[r * d + j] = logistic.Weights[j];
                biases[r] = logistic.Bias;
            }
            return;
        }
        if (LocalModel == RobustLocalModel.Lime)
        {
            model.ScoreBatch(rows, scores);
            for (int r = 0; r < count; r++)
            {
                var x = rows.Slice(r * d, d);
                // Row i uses random stream i, so results do not depend on blocks or threads.
                var surrogate = LocalLogisticSurrogate.Fit(model, PerturbationPolytope.Create(actionSet, x, first + r), threshold,
                    LimeSampleCount, kernelWidth: null, new RandomSource(_seed, first + r));
                double b = surrogate.Value;
                for (int j = 0; j < d; j++)
                {
                    weights[r * d + j] = surrogate.Coefficients[j];
                    b -= surrogate.Coefficients[j] * x[j];
                }
                biases[r] = b;
            }
            return;
        }
        var differentiable = (IDifferentiableScorer)model;
        differentiable.ScoreAndInputGradientBatch(rows, scores, weights);
        for (int r = 0; r < count; r++)
        {
            double g = scores[r], slope = g * (1 - g);
            if (!(slope > 0))
            {
                biases[r] = double.NaN;
                continue;
            }
            double b = ScorerModelParameters.Logit(g);
            for (int j = 0; j < d; j++)
            {
                weights[r * d + j] /= slope;
                b -= weights[r * d + j] * rows[r * d + j];
            }
            biases[r] = b;
        }
    }

    private static ReadOnlySpan<double> AddTo(ReadOnlySpan<double> x, ReadOnlySpan<double> delta, double[] buffer)
    {
        for (int j = 0; j < x.Length; j++) buffer[j] = x[j] + delta[j];
        return buffer;
    }

    private static int FirstNonFinite(ReadOnlySpan<double> values)
    {
        for (int i = 0; i < values.Length; i++)
            if (!double.IsFinite(values[i])) return i;
        return -1;
    }

    private static void CheckActionSet(ActionSet actionSet)
    {
        const string Alternative = " ROAR's continuous objective needs a box of changes per feature; use RobustIntegerProgram for grids, one-hot groups and general constraints.";
        Contracts.CheckParam(actionSet.LinearConstraints.Count == 0, nameof(actionSet),
            $"The action set has {actionSet.LinearConstraints.Count} general constraint(s) ('{actionSet.LinearConstraints.FirstOrDefault()?.Name}')." + Alternative);
        var mutableGroup = actionSet.OneHotGroups.FirstOrDefault(g => g.IsMutable);
        Contracts.CheckParam(mutableGroup is null, nameof(actionSet), $"The action set has the mutable one-hot group '{mutableGroup?.Name}'." + Alternative);
        for (int j = 0; j < actionSet.FeatureCount; j++)
            Contracts.CheckParam(!actionSet.Actions[j].HasGrid || actionSet.Actions[j].Actionability == FeatureActionability.Immutable, nameof(actionSet),
                $"Feature '{actionSet.Features[j].Name}' must move on a grid." + Alternative);
    }

    internal static void CheckRadius(double radius, string paramName)
        => Contracts.CheckParam(radius >= 0 && double.IsFinite(radius), paramName,
            FormattableString.Invariant($"The robustness radius δ_max must be a finite number ≥ 0; got {radius}."));

    private static void CheckRecourseWeight(double weight, string paramName)
        => Contracts.CheckParam(weight > 0 && double.IsFinite(weight), paramName,
            FormattableString.Invariant($"The recourse weight λ must be a finite number > 0; got {weight}."));

    private Options ToOptions() => new()
    {
        RobustnessRadius = RobustnessRadius,
        RecourseWeight = RecourseWeight,
        LocalModel = LocalModel,
        NumberOfThreads = NumberOfThreads,
        LimeSampleCount = LimeSampleCount,
        Seed = _seed,
    };

    private sealed class BlockBuffers(int featureCount)
    {
        public double[] Scores { get; } = new double[BlockRows];

        public double[] Weights { get; } = new double[BlockRows * featureCount];

        public double[] Biases { get; } = new double[BlockRows];

        public double[] Delta { get; } = new double[featureCount];

        public double[] Counterfactual { get; } = new double[featureCount];

        public List<RobustLogisticSolver.Segment> Segments { get; } = new(2 * featureCount);
    }

    /// <summary>Options for the <see cref="RobustGenerator"/>, used by <see cref="RobustCatalog.Robust(RecourseGenerators, Options)"/>.</summary>
    public sealed record Options
    {
        /// <summary>Gets δ_max, the radius of the box of parameter shifts (weights and intercept) the recourse must withstand. Range: value ≥ 0.</summary>
        public double RobustnessRadius { get; init; } = Defaults.RobustnessRadius;

        /// <summary>Gets λ, the weight of the cost against the worst-case loss; larger λ gives cheaper, less robust recourse. Range: value &gt; 0.</summary>
        public double RecourseWeight { get; init; } = Defaults.RecourseWeight;

        /// <summary>Gets how a non-logistic scorer is turned into a local logistic model.</summary>
        public RobustLocalModel LocalModel { get; init; } = Defaults.LocalModel;

        /// <summary>Gets the largest number of threads working on blocks of rows, or <see langword="null"/> for as many as the machine offers. Results do not depend on it. Range: value ≥ 1.</summary>
        public int? NumberOfThreads { get; init; }

        /// <summary>Gets the number of perturbed samples of the LIME surrogate (LIME's default 5000). Range: value ≥ 10.</summary>
        public int LimeSampleCount { get; init; } = Defaults.LimeSampleCount;

        /// <summary>
        /// Gets the seed of the LIME perturbations (row i uses stream i), or <see langword="null"/> to draw one from
        /// the <see cref="MLContext"/>.
        /// </summary>
        public int? Seed { get; init; }

        internal static class Defaults
        {
            public const int LimeSampleCount = 5000;
            public const double RobustnessRadius = 0.1;
            public const double RecourseWeight = 0.1;
            public const RobustLocalModel LocalModel = RobustLocalModel.InputGradient;
        }
    }
}

/// <summary>The λ chosen by <see cref="RobustGenerator.SelectRecourseWeight"/>.</summary>
/// <param name="RecourseWeight">The chosen λ.</param>
/// <param name="Candidates">The λ values tried, in increasing order.</param>
/// <param name="Validity">The share of rows whose recourse the model accepted, for each λ tried.</param>
/// <param name="Generator">A generator with the chosen λ and otherwise the same settings.</param>
public sealed record RecourseWeightSelection(double RecourseWeight, IReadOnlyList<double> Candidates, IReadOnlyList<double> Validity, RobustGenerator Generator);
