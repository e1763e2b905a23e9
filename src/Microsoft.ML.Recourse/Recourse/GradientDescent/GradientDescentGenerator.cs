using System.Diagnostics;
using Microsoft.ML.Recourse.Actions;
using Microsoft.ML.Recourse.Models;

using System.Text.Json.Nodes;
using Microsoft.ML.Recourse.Persistence;

namespace Microsoft.ML.Recourse;

/// <summary>Which reading of alibi 0.5.2's <c>CounterFactual</c> a <see cref="GradientDescentGenerator"/> follows.</summary>
public enum GradientDescentCompatibility
{
    /// <summary>
    /// The library's reading (the default): a row the model already accepts gets δ = 0; every iterate of the search
    /// that reaches the threshold is a candidate, the sweep's included; when fewer than two swept weights reach it, the
    /// bracket falls back to the one that did (or to 0) instead of giving up; the target is always g.
    /// </summary>
    Standard,

    /// <summary>
    /// alibi 0.5.2 as called by the code of Ross, Lakkaraju &amp; Bastani (2021), to reproduce their tables: only
    /// bisection iterates are candidates; fewer than two swept weights with a solution means no recourse (alibi fails
    /// there and the reference code counts the failure); and <c>target_class='other'</c> is kept, so for rows with
    /// g(x) ≥ 0.5 the search drives 1 − g up to θ₀, i.e. <i>lowers</i> g. Such counterfactuals are returned with
    /// <see cref="RecourseStatus.Found"/> but are not valid (g(x + δ) &lt; θ₀); the reference counts them as recourse.
    /// </summary>
    ReferenceCode,
}

/// <summary>
/// Gradient-descent recourse (Wachter, Mittelstadt &amp; Russell 2017) with the λ schedule of alibi 0.5.2's
/// <c>CounterFactual</c>: minimises (p(x + δ) − p_target)² + λ·Σⱼ cⱼ|δⱼ| over δ ∈ Δ(x) with Adam, searching λ by a
/// bracketing sweep and bisection, and returns the reached counterfactual of smallest cost.
/// </summary>
/// <remarks>
/// <format type="text/markdown"><![CDATA[
/// Create it with <xref:Microsoft.ML.Recourse.GradientDescentCatalog.GradientDescent*>.
///
/// ### Characteristics
/// | | |
/// | -- | -- |
/// | Models | <xref:Microsoft.ML.Recourse.Models.IDifferentiableScorer> (analytic input gradients) |
/// | Action sets | any: boxes by clipping, one-hot groups and general rows by exact projection (general rows use GLOP) |
/// | Batched / parallel | the model is evaluated once per step for all active rows of a block; blocks run in parallel |
/// | Deterministic | yes (no randomness) |
///
/// ### Algorithm
/// p = g, the probability of the favourable outcome; cⱼ = <xref:Microsoft.ML.Recourse.Actions.ActionSet.CostPerUnitChange>
/// (1 for z-scored features with unit cost weights, which is alibi's plain L1). The gradient of the prediction term is
/// 2(p − p_target)·∇ₓg from <xref:Microsoft.ML.Recourse.Models.IDifferentiableScorer.ScoreAndInputGradientBatch*>, the
/// L1 term contributes λ·cⱼ·sign(δⱼ) (0 at 0). Adam (β₁ = 0.9, β₂ = 0.999, ε = 1e-8, TensorFlow's form) runs with the
/// learning rate decaying linearly from `LearningRate` to 0 over `MaximumNumberOfIterations` steps, restarting with every
/// λ loop as alibi's re-initialised graph does. After every step δ is projected onto the hull of Δ(x) (clipping to the
/// row's box for separable sets, exact closest-point projection otherwise) and the model is evaluated at the point of
/// Δ(x) nearest to it on grids and one-hot groups. A step reaches the target when g ≥ θ₀ (alibi's |p − 1| ≤ tol with
/// tol = 1 − θ₀). λ follows alibi: a sweep over λ₀·10⁻ⁱ (i = 0 … 9, MaximumNumberOfIterations / 10 warm-started steps
/// each) brackets it, then up to `NumberOfDistanceWeightSteps` bisection loops of at most `MaximumNumberOfIterations`
/// steps, each left after `EarlyStoppingSteps` consecutive steps that all reach or all miss the target; a loop with at
/// least 5 solutions raises the lower bound, otherwise the upper bound falls. The returned δ is the reached iterate of
/// smallest cost; rows without one get <xref:Microsoft.ML.Recourse.RecourseStatus.NotFound>. See
/// <xref:Microsoft.ML.Recourse.GradientDescentCompatibility> for the two readings of alibi.
/// ]]></format>
/// </remarks>
/// <seealso cref="GradientDescentCatalog.GradientDescent(RecourseGenerators, double, int, int, double, GradientDescentCompatibility)"/>
/// <seealso cref="GradientDescentCatalog.GradientDescent(RecourseGenerators, Options)"/>
public sealed class GradientDescentGenerator : IRecourseGenerator, IPersistedGenerator
{
    internal const string GeneratorName = "gradient";

    private const int BlockRows = 64;
    private const double AdamBeta1 = 0.9;
    private const double AdamBeta2 = 0.999;
    private const double AdamEpsilon = 1e-8;

    private readonly RecourseEnvironment _environment;
    private readonly Options _options;

    internal GradientDescentGenerator(RecourseEnvironment environment, Options options)
    {
        Contracts.CheckValue(environment, nameof(environment));
        Contracts.CheckValue(options, nameof(options));
        Contracts.CheckParam(double.IsFinite(options.InitialDistanceWeight) && options.InitialDistanceWeight > 0, nameof(options.InitialDistanceWeight),
            FormattableString.Invariant($"The initial distance weight must be finite and > 0; got {options.InitialDistanceWeight}."));
        Contracts.CheckParam(options.NumberOfDistanceWeightSteps >= 1, nameof(options.NumberOfDistanceWeightSteps),
            $"The number of distance-weight steps must be ≥ 1; got {options.NumberOfDistanceWeightSteps}.");
        Contracts.CheckParam(options.MaximumNumberOfIterations >= DistanceWeightSearch.SweepLength, nameof(options.MaximumNumberOfIterations),
            $"The maximum number of iterations must be ≥ {DistanceWeightSearch.SweepLength} (the sweep runs a tenth of it per weight); got {options.MaximumNumberOfIterations}.");
        Contracts.CheckParam(options.EarlyStoppingSteps >= 1, nameof(options.EarlyStoppingSteps),
            $"The number of early-stopping steps must be ≥ 1; got {options.EarlyStoppingSteps}.");
        Contracts.CheckParam(double.IsFinite(options.LearningRate) && options.LearningRate > 0, nameof(options.LearningRate),
            FormattableString.Invariant($"The learning rate must be finite and > 0; got {options.LearningRate}."));
        Contracts.CheckParam(options.TargetProbability > 0 && options.TargetProbability <= 1, nameof(options.TargetProbability),
            FormattableString.Invariant($"The target probability must lie in (0, 1]; got {options.TargetProbability}."));
        Contracts.CheckParam(Enum.IsDefined(options.Compatibility), nameof(options.Compatibility), $"Unknown compatibility {options.Compatibility}.");
        Contracts.CheckParam(options.NumberOfThreads is null or >= 1, nameof(options.NumberOfThreads),
            $"The number of threads must be ≥ 1 (or null for all cores); got {options.NumberOfThreads}.");
        _environment = environment;
        _options = options;
    }

    JsonObject IPersistedGenerator.Save() => GeneratorOptionsJson.Save(GeneratorName, StoredOptions);

    [PersistedKind(PersistedFamily.Generator, GeneratorName, 1)]
    internal static IRecourseGenerator Load(JsonObject data, int version, RecourseEnvironment environment)
        => new GradientDescentGenerator(environment, GeneratorOptionsJson.Read<Options>(data));

    /// <inheritdoc/>
    public string Name => GeneratorName;

    /// <summary>The options, as a model file stores them (see RecourseGeneratorDescriptors).</summary>
    internal Options StoredOptions => _options;

    /// <inheritdoc/>
    /// <exception cref="ArgumentOutOfRangeException">
    /// <paramref name="model"/> is not an <see cref="IDifferentiableScorer"/>, or an argument is out of range (see
    /// <see cref="IRecourseGenerator.Generate"/>), or a row is not finite or breaks a one-hot group.
    /// </exception>
    public IReadOnlyList<RecourseResult> Generate(IScorer model, double threshold, ActionSet actionSet, ReadOnlyMemory<double> rows,
        CancellationToken cancellationToken = default)
    {
        RecourseGate.CheckArguments(model, threshold, actionSet, rows);
        if (model is not IDifferentiableScorer scorer)
            throw new ArgumentOutOfRangeException(nameof(model),
                $"The gradient generator needs input gradients, but {model.GetType().Name} does not implement {nameof(IDifferentiableScorer)}. " +
                "For a black-box model use the linear integer program with its local surrogate (ctx.Recourse.Generators.LinearIntegerProgram).");
        int d = model.FeatureCount;
        int n = rows.Length / d;
        var polytopes = new PerturbationPolytope[n];
        for (int i = 0; i < n; i++)
            polytopes[i] = PerturbationPolytope.Create(actionSet, rows.Span.Slice(i * d, d), rowIndex: i);

        var stopwatch = Stopwatch.StartNew();
        var results = new RecourseResult[n];
        int blocks = (n + BlockRows - 1) / BlockRows;
        if (_options.NumberOfThreads == 1 || blocks <= 1)
        {
            for (int b = 0; b < blocks; b++)
                new BlockSearch(this, scorer, threshold, actionSet, polytopes, b * BlockRows, Math.Min(BlockRows, n - b * BlockRows), results).Run(cancellationToken);
        }
        else
        {
            var parallel = new ParallelOptions { MaxDegreeOfParallelism = _options.NumberOfThreads ?? -1, CancellationToken = cancellationToken };
            Parallel.For(0, blocks, parallel, b =>
                new BlockSearch(this, scorer, threshold, actionSet, polytopes, b * BlockRows, Math.Min(BlockRows, n - b * BlockRows), results).Run(cancellationToken));
        }
        _environment.Log(Name, FormattableString.Invariant(
            $"{n} rows in {stopwatch.Elapsed.TotalSeconds:F2} s: {results.Count(r => r.IsValid)} valid, {results.Count(r => r.Delta is null)} without an action."));
        return results;
    }

    /// <summary>Options of <see cref="GradientDescentGenerator"/>; the defaults are alibi 0.5.2's as called by Ross et al. (2021).</summary>
    public sealed class Options
    {
        /// <summary>Gets λ₀, the largest distance weight of the initial sweep (alibi's <c>lam_init</c>). Range: value &gt; 0.</summary>
        public double InitialDistanceWeight { get; init; } = Defaults.InitialDistanceWeight;

        /// <summary>Gets the number of bisection loops over the distance weight (alibi's <c>max_lam_steps</c>). Range: value ≥ 1.</summary>
        public int NumberOfDistanceWeightSteps { get; init; } = Defaults.NumberOfDistanceWeightSteps;

        /// <summary>
        /// Gets the most Adam steps per bisection loop; the sweep runs a tenth of it per weight, and the learning rate
        /// decays to 0 over it (alibi's <c>max_iter</c>). Range: value ≥ 10.
        /// </summary>
        public int MaximumNumberOfIterations { get; init; } = Defaults.MaximumNumberOfIterations;

        /// <summary>
        /// Gets the number of consecutive steps that all reach, or all miss, the threshold after which a bisection loop
        /// ends (alibi's <c>early_stop</c>). Range: value ≥ 1.
        /// </summary>
        public int EarlyStoppingSteps { get; init; } = Defaults.EarlyStoppingSteps;

        /// <summary>Gets Adam's learning rate at the start of every loop, decaying linearly to 0 (alibi's <c>learning_rate_init</c>). Range: value &gt; 0.</summary>
        public double LearningRate { get; init; } = Defaults.LearningRate;

        /// <summary>
        /// Gets p_target, the probability the prediction term pulls g towards (alibi's <c>target_proba</c>). A step
        /// counts as reaching the target when g ≥ θ₀, whatever this value. Range: 0 &lt; value ≤ 1.
        /// </summary>
        public double TargetProbability { get; init; } = Defaults.TargetProbability;

        /// <summary>Gets which reading of alibi to follow; see <see cref="GradientDescentCompatibility"/>.</summary>
        public GradientDescentCompatibility Compatibility { get; init; } = Defaults.Compatibility;

        /// <summary>Gets the most threads that search blocks of rows in parallel, or <see langword="null"/> for all cores. Range: value ≥ 1.</summary>
        public int? NumberOfThreads { get; init; }

        internal static class Defaults
        {
            public const double InitialDistanceWeight = 1e-3;
            public const int NumberOfDistanceWeightSteps = 10;
            public const int MaximumNumberOfIterations = 1000;
            public const int EarlyStoppingSteps = 50;
            public const double LearningRate = 0.1;
            public const double TargetProbability = 1.0;
            public const GradientDescentCompatibility Compatibility = GradientDescentCompatibility.Standard;
        }
    }

    /// <summary>The searches of one block of rows, advanced together so that each step is one batched model call.</summary>
    private sealed class BlockSearch
    {
        private readonly GradientDescentGenerator _generator;
        private readonly IDifferentiableScorer _model;
        private readonly double _threshold;
        private readonly ActionSet _actionSet;
        private readonly PerturbationPolytope[] _polytopes;
        private readonly int _start;
        private readonly int _count;
        private readonly RecourseResult[] _results;
        private readonly int _d;

        public BlockSearch(GradientDescentGenerator generator, IDifferentiableScorer model, double threshold, ActionSet actionSet,
            PerturbationPolytope[] polytopes, int start, int count, RecourseResult[] results)
        {
            (_generator, _model, _threshold, _actionSet, _polytopes, _start, _count, _results) = (generator, model, threshold, actionSet, polytopes, start, count, results);
            _d = model.FeatureCount;
        }

        public void Run(CancellationToken cancellationToken)
        {
            int d = _d;
            var features = new double[_count * d];
            var scores = new double[_count];
            var gradients = new double[_count * d];
            for (int k = 0; k < _count; k++)
                for (int j = 0; j < d; j++) features[k * d + j] = _polytopes[_start + k].Row[j];
            // g(x) alone: gradients are only taken at iterates, which lie in Δ (x itself may not).
            _model.ScoreBatch(features, scores);

            var active = new List<RowSearch>(_count);
            for (int k = 0; k < _count; k++)
            {
                var row = new RowSearch(this, _start + k, scores[k]);
                if (row.Begin())
                    active.Add(row);
            }
            var slots = new int[_count];
            while (active.Count > 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
                int batch = 0;
                for (int k = 0; k < active.Count; k++)
                {
                    // An iterate held at a corner of Δ repeats its point; the model's answer there is already known.
                    slots[k] = active[k].NeedsEvaluation ? batch++ : -1;
                    if (slots[k] >= 0)
                        active[k].WriteEvaluationPoint(features.AsSpan(slots[k] * d, d));
                }
                if (batch > 0)
                    _model.ScoreAndInputGradientBatch(features.AsSpan(0, batch * d), scores.AsSpan(0, batch), gradients.AsSpan(0, batch * d));
                int kept = 0;
                for (int k = 0; k < active.Count; k++)
                {
                    var row = active[k];
                    if (slots[k] >= 0)
                        row.StoreEvaluation(scores[slots[k]], gradients.AsSpan(slots[k] * d, d));
                    if (row.Advance())
                        active[kept++] = row;
                }
                active.RemoveRange(kept, active.Count - kept);
            }
        }

        private void Finish(int rowIndex, RecourseResult result) => _results[rowIndex] = result;

        /// <summary>The state of one row's search: iterate, Adam moments, λ schedule and best candidate.</summary>
        private sealed class RowSearch
        {
            private readonly BlockSearch _block;
            private readonly Options _options;
            private readonly int _rowIndex;
            private readonly double[] _x;
            private readonly DeltaProjector _projector;
            private readonly DistanceWeightSearch _search;
            private readonly double[] _costPerUnit;
            private readonly double _scoreBefore;
            // +1 when the search targets g, −1 when it targets 1 − g (the reference code's target_class='other').
            private readonly double _targetSign;
            private readonly bool _standard;
            private readonly double[] _delta;
            private readonly double[] _rounded;
            private readonly double[] _previous;
            private readonly double[] _firstMoment;
            private readonly double[] _secondMoment;
            private double _beta1Power;
            private double _beta2Power;
            private double[]? _startDelta;
            private double[]? _startRounded;
            private bool _startInDelta;
            private bool _roundedInDelta;
            private double _startScore;
            private double[]? _startGradient;
            private readonly double[] _evaluatedAt;
            private double _evaluatedScore;
            private double[]? _evaluatedGradient;
            private double[]? _best;
            private double _bestCost;

            public RowSearch(BlockSearch block, int rowIndex, double scoreBefore)
            {
                _block = block;
                _options = block._generator._options;
                _rowIndex = rowIndex;
                var polytope = block._polytopes[rowIndex];
                _x = polytope.Row.ToArray();
                _projector = new DeltaProjector(polytope);
                _standard = _options.Compatibility == GradientDescentCompatibility.Standard;
                _search = new DistanceWeightSearch(_options.InitialDistanceWeight, _options.MaximumNumberOfIterations,
                    _options.NumberOfDistanceWeightSteps, _options.EarlyStoppingSteps, referenceBracketing: !_standard);
                _costPerUnit = block._actionSet.CostPerUnitChange.ToArray();
                _scoreBefore = scoreBefore;
                // alibi's argmax over [g, 1 − g] picks column 0 on ties.
                _targetSign = !_standard && scoreBefore >= 0.5 ? -1 : 1;
                int d = _x.Length;
                (_delta, _rounded, _previous, _firstMoment, _secondMoment) = (new double[d], new double[d], new double[d], new double[d], new double[d]);
                _evaluatedAt = new double[d];
            }

            /// <summary>Places the search at its start point; returns whether the row needs model evaluations.</summary>
            public bool Begin()
            {
                // alibi starts at x; when general rows exclude δ = 0 the start is the closest allowed point.
                if (!_projector.Project(_delta))
                    return Finish(RecourseGate.None(_scoreBefore, RecourseStatus.Infeasible,
                        "The action set allows no change from this row: its general constraints cannot all hold."));
                if (_projector.IsFrozen)
                {
                    if (_standard && _scoreBefore >= _block._threshold)
                    {
                        Consider(_delta);
                        return Finish(Result());
                    }
                    return Finish(RecourseGate.None(_scoreBefore, RecourseStatus.NotFound,
                        "The action set allows no change from this row (every feature is immutable or held by its bounds)."));
                }
                _roundedInDelta = _projector.Round(_delta, _rounded);
                _startDelta = (double[])_delta.Clone();
                _startRounded = (double[])_rounded.Clone();
                _startInDelta = _roundedInDelta;
                return true;
            }

            /// <summary>Gets whether the current (rounded) iterate differs from the last point the model was evaluated at.</summary>
            public bool NeedsEvaluation
            {
                get
                {
                    if (_evaluatedGradient is null) return true;
                    foreach (int j in _projector.Movable)
                        if (_rounded[j] != _evaluatedAt[j]) return true;
                    return false;
                }
            }

            /// <summary>Writes x + δ (the rounded iterate) as the next row to evaluate.</summary>
            public void WriteEvaluationPoint(Span<double> features)
            {
                for (int j = 0; j < features.Length; j++)
                    features[j] = _x[j] + _rounded[j];
            }

            /// <summary>Keeps g and ∇ₓg at the current iterate.</summary>
            public void StoreEvaluation(double score, ReadOnlySpan<double> gradient)
            {
                _rounded.AsSpan().CopyTo(_evaluatedAt);
                _evaluatedScore = score;
                gradient.CopyTo(_evaluatedGradient ??= new double[gradient.Length]);
            }

            /// <summary>Takes the next step from the evaluation of the current iterate; returns whether the row needs more steps.</summary>
            public bool Advance()
            {
                double score = _evaluatedScore;
                var gradient = _evaluatedGradient!;
                if (_startGradient is null)
                    return Start(score, gradient);
                double target = _targetSign > 0 ? score : 1 - score;
                bool isSolution = target >= _block._threshold && _roundedInDelta;
                if (isSolution && (_standard || !_search.IsSweeping))
                    Consider(_rounded);
                switch (_search.Record(isSolution))
                {
                    case DistanceWeightTransition.Finished:
                        return Finish(Result());
                    case DistanceWeightTransition.StartBisection:
                        _startDelta.AsSpan().CopyTo(_delta);
                        _startRounded.AsSpan().CopyTo(_rounded);
                        _roundedInDelta = _startInDelta;
                        ResetAdam();
                        Step(_startScore, _startGradient);
                        return true;
                    case DistanceWeightTransition.NextLoop:
                        ResetAdam();
                        break;
                }
                Step(score, gradient);
                return true;
            }

            private bool Start(double score, ReadOnlySpan<double> gradient)
            {
                _startScore = score;
                _startGradient = gradient.ToArray();
                if (_standard && score >= _block._threshold && _startInDelta)
                {
                    Consider(_startRounded!);
                    if (_best is not null && _bestCost == 0)
                        return Finish(Result()); // nothing costs less than no change
                }
                ResetAdam();
                Step(score, gradient);
                return true;
            }

            private void Consider(ReadOnlySpan<double> delta)
            {
                double cost = 0;
                foreach (int j in _projector.Movable)
                    cost += _costPerUnit[j] * Math.Abs(delta[j]);
                // alibi keeps the first of equally distant solutions.
                if (_best is null || cost < _bestCost)
                {
                    _best = delta.ToArray();
                    _bestCost = cost;
                }
            }

            private void ResetAdam()
            {
                Array.Clear(_firstMoment);
                Array.Clear(_secondMoment);
                _beta1Power = _beta2Power = 1;
            }

            private void Step(double score, ReadOnlySpan<double> gradient)
            {
                double target = _targetSign > 0 ? score : 1 - score;
                double predictionWeight = 2 * (target - _options.TargetProbability) * _targetSign;
                double weight = _search.Weight;
                // TensorFlow's polynomial decay (power 1) reads the global step before this step's increment.
                double learningRate = _options.LearningRate * (1 - (double)_search.StepInLoop / _options.MaximumNumberOfIterations);
                _beta1Power *= AdamBeta1;
                _beta2Power *= AdamBeta2;
                double stepSize = learningRate * Math.Sqrt(1 - _beta2Power) / (1 - _beta1Power);
                _delta.AsSpan().CopyTo(_previous);
                foreach (int j in _projector.Movable)
                {
                    double g = predictionWeight * gradient[j] + weight * _costPerUnit[j] * Math.Sign(_delta[j]);
                    double m = _firstMoment[j] = AdamBeta1 * _firstMoment[j] + (1 - AdamBeta1) * g;
                    double v = _secondMoment[j] = AdamBeta2 * _secondMoment[j] + (1 - AdamBeta2) * g * g;
                    _delta[j] -= stepSize * m / (Math.Sqrt(v) + AdamEpsilon);
                }
                // A failed projection program (numerical trouble) rejects the step; the previous iterate is in the hull.
                if (!_projector.Project(_delta))
                    _previous.AsSpan().CopyTo(_delta);
                _roundedInDelta = _projector.Round(_delta, _rounded);
            }

            private RecourseResult Result()
            {
                var generator = _block._generator;
                if (_best is not null)
                {
                    string? note = _targetSign < 0
                        ? "As the reference code's alibi call (target_class='other'), the search raised 1 − g because g(x) ≥ 0.5; the counterfactual lowers g."
                        : null;
                    return RecourseGate.Accept(generator.Name, _rowIndex, _block._model, _block._threshold, _block._actionSet, _x, _best, _scoreBefore,
                        RecourseStatus.Found, note);
                }
                string message = _search.BracketingFailed
                    ? FormattableString.Invariant($"Fewer than two distance weights of the initial sweep ({_search.SweptWeight(0):G3} … {_search.SweptWeight(DistanceWeightSearch.SweepLength - 1):G3}) reached the threshold; alibi 0.5.2 fails there and the reference code counts the row as without recourse.")
                    : FormattableString.Invariant($"No iterate reached g ≥ θ₀ = {_block._threshold:G4} inside the action set in {_options.NumberOfDistanceWeightSteps} distance-weight steps.");
                return RecourseGate.None(_scoreBefore, RecourseStatus.NotFound, message);
            }

            private bool Finish(RecourseResult result)
            {
                _block.Finish(_rowIndex, result);
                return false;
            }
        }
    }
}
