using Microsoft.ML.Recourse.Actions;
using Microsoft.ML.Recourse.Models;
using Microsoft.ML.Recourse.Optimization;

using System.Text.Json.Nodes;
using Microsoft.ML.Recourse.Persistence;

namespace Microsoft.ML.Recourse;

/// <summary>
/// The one-step recourse generator (called "adversarial training" in Ross, Lakkaraju &amp; Bastani 2021): for each
/// row it linearises the model, g(x + δ) ≈ g(x) + ∇ₓg(x)ᵀδ, and returns the corner δ* = argmin_{δ∈Δ(x)} cᵀδ with
/// c = −∇ₓg (<see cref="PerturbationDirection.Recourse"/>, the action that most raises g to first order) or c = +∇ₓg
/// (<see cref="PerturbationDirection.ReferenceCode"/>, the published code's sign). One step, no iteration, no cost
/// term: the row has recourse when g(x + δ*) ≥ θ₀.
/// </summary>
/// <remarks>
/// <format type="text/markdown"><![CDATA[
/// To create this generator, use [OneStep](xref:Microsoft.ML.Recourse.OneStepCatalog.OneStep(Microsoft.ML.Recourse.RecourseGenerators,Microsoft.ML.Recourse.Actions.PerturbationDirection))
/// or [OneStep(Options)](xref:Microsoft.ML.Recourse.OneStepCatalog.OneStep(Microsoft.ML.Recourse.RecourseGenerators,Microsoft.ML.Recourse.OneStepGenerator.Options)).
///
/// ### Generator Characteristics
/// | | |
/// | -- | -- |
/// | Model | An IDifferentiableScorer (input gradients); for black boxes use LinearIntegerProgram with a LIME surrogate |
/// | Action set | Any; closed form without general constraints, one GLOP linear program per row with them |
/// | Batched / parallel | g and ∇ₓg in batches; blocks of rows in parallel for large inputs |
///
/// ### Details
/// Coordinates with ∂g/∂xⱼ = 0 keep δⱼ = 0. With general constraints the linear program relaxes grids and one-hot
/// indicators to their hull; a relaxed optimum that is not an allowed action is rejected by the Δ gate and the row
/// gets no recourse (the message says why). The reference code counts recourse when g(x + δ*) &gt; θ₀ (strict); here,
/// as for every generator, g(x + δ*) ≥ θ₀.
/// ]]></format>
/// </remarks>
/// <seealso cref="OneStepCatalog.OneStep(RecourseGenerators, PerturbationDirection)"/>
/// <seealso cref="OneStepCatalog.OneStep(RecourseGenerators, Options)"/>
public sealed class OneStepGenerator : IRecourseGenerator, IPersistedGenerator
{
    internal const string GeneratorName = "onestep";

    // Rows per block: one batched pass and one unit of parallel work.
    private const int BlockRows = 512;

    internal OneStepGenerator(Options options)
    {
        Contracts.CheckValue(options, nameof(options));
        Contracts.CheckParam(Enum.IsDefined(options.Direction), nameof(options.Direction), $"Unknown perturbation direction {options.Direction}.");
        Contracts.CheckParam(options.NumberOfThreads is null || options.NumberOfThreads >= 1, nameof(options.NumberOfThreads),
            FormattableString.Invariant($"Must be ≥ 1 or null; got {options.NumberOfThreads}."));
        Contracts.CheckParam(Enum.IsDefined(options.Precision), nameof(options.Precision), $"Unknown kernel precision {options.Precision}.");
        Direction = options.Direction;
        NumberOfThreads = options.NumberOfThreads;
        Precision = options.Precision;
    }

    JsonObject IPersistedGenerator.Save()
        => GeneratorOptionsJson.Save(GeneratorName, new Options { Direction = Direction, NumberOfThreads = NumberOfThreads, Precision = Precision });

    [PersistedKind(PersistedFamily.Generator, GeneratorName, 1)]
    internal static IRecourseGenerator Load(JsonObject data, int version, RecourseEnvironment environment)
        => new OneStepGenerator(GeneratorOptionsJson.Read<Options>(data));

    /// <inheritdoc/>
    public string Name => GeneratorName;

    /// <summary>Gets which corner of Δ(x) the step picks.</summary>
    public PerturbationDirection Direction { get; }

    /// <summary>Gets the largest number of threads used, or <see langword="null"/> for as many as the machine offers.</summary>
    public int? NumberOfThreads { get; }

    /// <summary>Gets the precision of the network kernels (g, ∇ₓg and g(x + δ*)); see <see cref="Options.Precision"/>.</summary>
    public KernelPrecision Precision { get; }

    /// <inheritdoc/>
    /// <exception cref="ArgumentOutOfRangeException">
    /// <paramref name="model"/> is not an <see cref="IDifferentiableScorer"/>; the threshold lies outside (0, 1); the
    /// action set's feature count differs from the model's; a row holds a non-finite value.
    /// </exception>
    public IReadOnlyList<RecourseResult> Generate(IScorer model, double threshold, ActionSet actionSet, ReadOnlyMemory<double> rows,
        CancellationToken cancellationToken = default)
    {
        RecourseGate.CheckArguments(model, threshold, actionSet, rows);
        if (model is not IDifferentiableScorer differentiable)
            throw new ArgumentOutOfRangeException(nameof(model),
                $"The one-step generator needs the model's input gradient, but {model.GetType().Name} is not an {nameof(IDifferentiableScorer)}. " +
                "For a black-box model use LinearIntegerProgram with a LIME surrogate (ctx.Recourse.Generators.LinearIntegerProgram).");
        var perturbation = new OneStepPerturbation(actionSet, Direction);
        // Single precision runs the library's own networks in float; any other differentiable scorer stays in double.
        var single = Precision == KernelPrecision.Single && model is ScorerModelParameters network ? new SinglePrecisionNetwork(network) : null;
        int d = model.FeatureCount, count = rows.Length / d;
        var results = new RecourseResult[count];
        // Every row's δ* and x + δ* live in two arrays that the results share (views of d values each): two large
        // allocations instead of two small arrays per row, which every collection during the run would copy.
        // Not zeroed: a result refers only to values that its row has written.
        var storage = new ResultStorage(GC.AllocateUninitializedArray<double>(count * d), GC.AllocateUninitializedArray<double>(count * d));
        int blocks = (count + BlockRows - 1) / BlockRows;
        if (blocks <= 1 || NumberOfThreads == 1)
        {
            var buffers = new BlockBuffers(d, single);
            for (int b = 0; b < blocks; b++)
                RunBlock(b, differentiable, single, threshold, perturbation, rows.Span, results, storage, buffers, cancellationToken);
        }
        else
        {
            var parallel = new ParallelOptions { CancellationToken = cancellationToken, MaxDegreeOfParallelism = NumberOfThreads ?? -1 };
            Parallel.For(0, blocks, parallel, () => new BlockBuffers(d, single), (b, _, buffers) =>
            {
                RunBlock(b, differentiable, single, threshold, perturbation, rows.Span, results, storage, buffers, cancellationToken);
                return buffers;
            }, _ => { });
        }
        return results;
    }

    private static void RunBlock(int block, IDifferentiableScorer model, SinglePrecisionNetwork? single, double threshold, OneStepPerturbation perturbation, ReadOnlySpan<double> allRows,
        RecourseResult[] results, ResultStorage storage, BlockBuffers buffers, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var actionSet = perturbation.ActionSet;
        int d = model.FeatureCount, first = block * BlockRows, count = Math.Min(BlockRows, results.Length - first);
        var rows = allRows.Slice(first * d, count * d);
        var scores = buffers.Scores.AsSpan(0, count);
        var gradients = buffers.Gradients.AsSpan(0, count * d);
        var deltas = storage.Deltas.AsSpan(first * d, count * d);
        var statuses = buffers.Statuses.AsSpan(0, count);
        CheckFinite(rows, first, actionSet, single is not null);
        if (single is null) model.ScoreAndInputGradientBatch(rows, scores, gradients);
        else single.ScoreAndInputGradientBatch(rows, scores, gradients, buffers.SingleWorkspace!);
        perturbation.MinimizeBatch(rows, gradients, deltas, statuses, cancellationToken);
        // The Δ gate row by row (skipped where δ* passes it by construction); the x + δ* it lets through are scored together.
        int passed = 0;
        for (int r = 0; r < count; r++)
        {
            int row = first + r;
            var x = rows.Slice(r * d, d);
            if (statuses[r] != LinearProgramStatus.Optimal)
            {
                results[row] = NoStep(row, x, gradients.Slice(r * d, d), scores[r], perturbation, cancellationToken);
                continue;
            }
            var delta = deltas.Slice(r * d, d);
            if (!perturbation.StepsPassTheGate && RecourseGate.FindViolation(actionSet, x, delta) is { } violation)
            {
                results[row] = RecourseGate.Rejected(GeneratorName, row, scores[r], violation);
                continue;
            }
            var counterfactual = storage.Counterfactuals.AsSpan((first + passed) * d, d);
            for (int j = 0; j < d; j++) counterfactual[j] = x[j] + delta[j];
            buffers.PassedRows[passed++] = r;
        }
        if (passed == 0) return;
        // The block's x + δ* sit packed at the start of its part of the storage, in the order of PassedRows.
        var counterfactuals = storage.Counterfactuals.AsSpan(first * d, passed * d);
        var scoresAfter = buffers.ScoresAfter.AsSpan(0, passed);
        if (single is null) model.ScoreBatch(counterfactuals, scoresAfter);
        else single.ScoreBatch(counterfactuals, scoresAfter, buffers.SingleWorkspace!);
        for (int k = 0; k < passed; k++)
        {
            int r = buffers.PassedRows[k];
            results[first + r] = RecourseGate.Accepted(actionSet, threshold, new ArraySegment<double>(storage.Deltas, (first + r) * d, d),
                new ArraySegment<double>(storage.Counterfactuals, (first + k) * d, d), scores[r], scoresAfter[k]);
        }
    }

    // Single precision also needs every value within float's range (it would become infinite there).
    private static void CheckFinite(ReadOnlySpan<double> rows, int first, ActionSet actionSet, bool single)
    {
        double limit = single ? float.MaxValue : double.MaxValue;
        int at = 0;
        while (at < rows.Length && Math.Abs(rows[at]) <= limit) at++;
        if (at == rows.Length) return;
        int d = actionSet.FeatureCount;
        string problem = double.IsFinite(rows[at])
            ? $"is outside float's range ({rows[at]}); use {nameof(KernelPrecision)}.{nameof(KernelPrecision.Double)}"
            : $"is not finite ({rows[at]})";
        throw new ArgumentOutOfRangeException("rows", FormattableString.Invariant(
            $"Feature '{actionSet.Features[at % d].Name}' of row {first + at / d} {problem}."));
    }

    // A row whose linear program has no optimum: re-solve it on the general path for the solver's message.
    private static RecourseResult NoStep(int row, ReadOnlySpan<double> x, ReadOnlySpan<double> gradient, double score, OneStepPerturbation perturbation,
        CancellationToken cancellationToken)
    {
        var result = perturbation.Minimize(x, gradient, cancellationToken);
        string reason = result.Message ?? result.Status.ToString();
        return result.Status switch
        {
            LinearProgramStatus.Infeasible => RecourseGate.None(score, RecourseStatus.Infeasible,
                $"Row {row}: no action satisfies the action set's constraints from this row, so no action can flip the model ({reason})."),
            LinearProgramStatus.Limit => RecourseGate.None(score, RecourseStatus.Limit, $"Row {row}: the solver stopped at a limit ({reason})."),
            _ => RecourseGate.None(score, RecourseStatus.NotFound, $"Row {row}: the one-step program has no optimum ({result.Status}: {reason})."),
        };
    }

    // δ* of all rows, row-major, and the x + δ* that passed the gate, packed at the start of each block's part; each
    // part is written only by the block that owns it.
    private sealed record ResultStorage(double[] Deltas, double[] Counterfactuals);

    private sealed class BlockBuffers(int featureCount, SinglePrecisionNetwork? single)
    {
        public SinglePrecisionNetwork.Workspace? SingleWorkspace { get; } = single is null ? null : new SinglePrecisionNetwork.Workspace(single);

        public double[] Scores { get; } = new double[BlockRows];

        public double[] Gradients { get; } = new double[BlockRows * featureCount];

        public LinearProgramStatus[] Statuses { get; } = new LinearProgramStatus[BlockRows];

        public double[] ScoresAfter { get; } = new double[BlockRows];

        /// <summary>The block's rows whose δ* passed the Δ gate.</summary>
        public int[] PassedRows { get; } = new int[BlockRows];
    }

    /// <summary>Options for the <see cref="OneStepGenerator"/>, used by <see cref="OneStepCatalog.OneStep(RecourseGenerators, Options)"/>.</summary>
    public sealed class Options
    {
        /// <summary>Gets which corner of Δ(x) the step picks; <see cref="PerturbationDirection.Recourse"/> by default.</summary>
        public PerturbationDirection Direction { get; init; } = Defaults.Direction;

        /// <summary>
        /// Gets the largest number of threads working on blocks of rows, or <see langword="null"/> for as many as the
        /// machine offers. Results do not depend on it. Range: value ≥ 1.
        /// </summary>
        public int? NumberOfThreads { get; init; }

        /// <summary>
        /// Gets the precision of the network kernels that compute g(x), ∇ₓg(x) and g(x + δ*); <see cref="KernelPrecision.Double"/>
        /// by default. <see cref="KernelPrecision.Single"/> runs the network in float with twice the SIMD lanes, for the
        /// library's networks (<see cref="Models.ScorerModelParameters"/>: perceptrons and logistic regression); other
        /// scorers stay in double. g = σ(logit), ∂g/∂x = g(1 − g)·∂logit/∂x, δ*, the Δ gate, the threshold test and the
        /// cost are computed in double from the float logits and their gradients. Accuracy consequence: scores differ from the double path by float rounding (the tests
        /// bound the difference by 1e-5), a δ*ⱼ differs only where ∂g/∂xⱼ is near 0 (its float sign differs from
        /// the double one), and a verdict differs only where g(x + δ*) lies within that rounding of the threshold. See
        /// docs/recourse-aware-training.md § Speed for the measured differences and throughput.
        /// </summary>
        public KernelPrecision Precision { get; init; } = Defaults.Precision;

        internal static class Defaults
        {
            public const PerturbationDirection Direction = PerturbationDirection.Recourse;

            public const KernelPrecision Precision = KernelPrecision.Double;
        }
    }
}
