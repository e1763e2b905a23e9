namespace Microsoft.ML.Recourse;

/// <summary>What the gradient loop must do after a step has been recorded in a <see cref="DistanceWeightSearch"/>.</summary>
internal enum DistanceWeightTransition
{
    /// <summary>Take the next step of the current loop.</summary>
    Continue,

    /// <summary>A new loop with a new weight starts from the current iterate; Adam and the learning-rate decay restart.</summary>
    NextLoop,

    /// <summary>The bisection starts: the iterate returns to the start point; Adam and the learning-rate decay restart.</summary>
    StartBisection,

    /// <summary>The search is over.</summary>
    Finished,
}

/// <summary>
/// The schedule of the distance weight λ of alibi 0.5.2's <c>CounterFactual</c> (Wachter et al. 2017), for one row,
/// separated from the gradient steps so it can be driven by any sequence of step outcomes.
/// </summary>
/// <remarks>
/// <para>
/// <b>Sweep.</b> λ takes the values λ₀·10⁻ⁱ, i = 0 … 9, for ⌊MaximumIterations / 10⌋ steps each, warm-started, and
/// the steps whose iterate reached the target are counted per value. The lower bound is the second-largest swept λ
/// with any such step, the upper bound the smallest swept λ with none (λ₀ when every value had one); the bisection
/// starts at their midpoint. When fewer than two swept values had a solution, alibi fails (an
/// <c>UnboundLocalError</c> the reference code counts as "no recourse"); with <see cref="ReferenceBracketing"/> the
/// search ends there (<see cref="BracketingFailed"/>), otherwise the one value with a solution is the lower bound,
/// or 0 when there is none (λ then shrinks tenfold until a loop succeeds).
/// </para>
/// <para>
/// <b>Bisection.</b> Up to <c>weightSteps</c> loops of at most MaximumIterations steps, each left early after
/// <c>earlyStop</c> consecutive steps that all reached, or all missed, the target. After a loop with at least
/// <see cref="SolutionsToRaiseWeight"/> solutions the lower bound rises to λ (more weight on proximity), otherwise the
/// upper bound falls to λ; λ becomes the midpoint of the bounds (×10 while the upper bound is alibi's initial 10¹⁰,
/// ÷10 while the lower bound is 0).
/// </para>
/// </remarks>
internal sealed class DistanceWeightSearch
{
    /// <summary>The number of swept orders of magnitude (alibi's <c>n_orders</c>).</summary>
    public const int SweepLength = 10;

    /// <summary>The number of solutions in a bisection loop that raises the lower bound (alibi's hard-coded 5).</summary>
    public const int SolutionsToRaiseWeight = 5;

    // alibi's "no upper bound yet" sentinel and its test (lam_ub = 1e10; "if lam_ub < 1e9").
    private const double NoUpperBound = 1e10;
    private const double UpperBoundKnown = 1e9;

    private readonly double _initialWeight;
    private readonly int _maximumIterations;
    private readonly int _weightSteps;
    private readonly int _earlyStop;
    private readonly int[] _sweepSolutions = new int[SweepLength];
    private int _sweepIndex;
    private int _loop;
    private int _consecutiveFound;
    private int _consecutiveMissed;
    private int _solutionsInLoop;

    public DistanceWeightSearch(double initialWeight, int maximumIterations, int weightSteps, int earlyStop, bool referenceBracketing)
    {
        _initialWeight = initialWeight;
        _maximumIterations = maximumIterations;
        _weightSteps = weightSteps;
        _earlyStop = earlyStop;
        ReferenceBracketing = referenceBracketing;
        IsSweeping = true;
        Weight = initialWeight;
        UpperBound = NoUpperBound;
    }

    /// <summary>Gets whether fewer than two swept values with solutions end the search, as in alibi 0.5.2.</summary>
    public bool ReferenceBracketing { get; }

    /// <summary>Gets whether the search is in its initial sweep (otherwise in the bisection or finished).</summary>
    public bool IsSweeping { get; private set; }

    /// <summary>Gets whether the search is over.</summary>
    public bool IsFinished { get; private set; }

    /// <summary>Gets whether the search ended after the sweep because fewer than two swept values had a solution.</summary>
    public bool BracketingFailed { get; private set; }

    /// <summary>Gets the weight λ of the distance term for the current loop.</summary>
    public double Weight { get; private set; }

    /// <summary>Gets the lower bound of λ (0 until the sweep ends).</summary>
    public double LowerBound { get; private set; }

    /// <summary>Gets the upper bound of λ.</summary>
    public double UpperBound { get; private set; }

    /// <summary>Gets the number of steps already taken in the current loop (the learning-rate decay and Adam count from it).</summary>
    public int StepInLoop { get; private set; }

    /// <summary>Gets the index of the current bisection loop (0 during the sweep).</summary>
    public int BisectionLoop => _loop;

    /// <summary>Gets the number of sweep steps that reached the target, per swept value.</summary>
    public IReadOnlyList<int> SweepSolutions => _sweepSolutions;

    /// <summary>Gets the swept value λ₀·10⁻ⁱ.</summary>
    /// <param name="index">i. Range: 0 ≤ value &lt; <see cref="SweepLength"/>.</param>
    public double SweptWeight(int index) => _initialWeight / Math.Pow(10, index);

    /// <summary>Records the outcome of the step just taken and says what comes next.</summary>
    /// <param name="isSolution">Whether the new iterate reached the target.</param>
    public DistanceWeightTransition Record(bool isSolution)
    {
        if (IsFinished)
            throw new InvalidOperationException("The distance-weight search is already finished.");
        StepInLoop++;
        return IsSweeping ? RecordSweepStep(isSolution) : RecordBisectionStep(isSolution);
    }

    private DistanceWeightTransition RecordSweepStep(bool isSolution)
    {
        if (isSolution)
            _sweepSolutions[_sweepIndex]++;
        if (StepInLoop < _maximumIterations / SweepLength)
            return DistanceWeightTransition.Continue;
        StepInLoop = 0;
        if (++_sweepIndex < SweepLength)
        {
            Weight = SweptWeight(_sweepIndex);
            return DistanceWeightTransition.NextLoop;
        }

        int first = -1, second = -1, lastWithout = -1;
        for (int i = 0; i < SweepLength; i++)
        {
            if (_sweepSolutions[i] == 0) lastWithout = i;
            else if (first < 0) first = i;
            else if (second < 0) second = i;
        }
        IsSweeping = false;
        if (second < 0 && ReferenceBracketing)
        {
            BracketingFailed = true;
            IsFinished = true;
            return DistanceWeightTransition.Finished;
        }
        LowerBound = second >= 0 ? SweptWeight(second) : first >= 0 ? SweptWeight(first) : 0;
        UpperBound = SweptWeight(Math.Max(lastWithout, 0));
        Weight = (LowerBound + UpperBound) / 2;
        return DistanceWeightTransition.StartBisection;
    }

    private DistanceWeightTransition RecordBisectionStep(bool isSolution)
    {
        if (isSolution)
        {
            _consecutiveFound++;
            _consecutiveMissed = 0;
            _solutionsInLoop++;
        }
        else
        {
            _consecutiveFound = 0;
            _consecutiveMissed++;
        }
        if (_consecutiveFound < _earlyStop && _consecutiveMissed < _earlyStop && StepInLoop < _maximumIterations)
            return DistanceWeightTransition.Continue;

        if (_solutionsInLoop >= SolutionsToRaiseWeight)
        {
            LowerBound = Math.Max(Weight, LowerBound);
            Weight = UpperBound < UpperBoundKnown ? (LowerBound + UpperBound) / 2 : Weight * 10;
        }
        else
        {
            UpperBound = Math.Min(UpperBound, Weight);
            Weight = LowerBound > 0 ? (LowerBound + UpperBound) / 2 : Weight / 10;
        }
        StepInLoop = 0;
        _consecutiveFound = _consecutiveMissed = _solutionsInLoop = 0;
        if (++_loop < _weightSteps)
            return DistanceWeightTransition.NextLoop;
        IsFinished = true;
        return DistanceWeightTransition.Finished;
    }
}
