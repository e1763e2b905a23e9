namespace Microsoft.ML.Recourse.Trees;

/// <summary>How the exact tree-ensemble search for one row ended (<see cref="TreeEnsembleRecourse"/>).</summary>
public enum TreeRecourseStatus
{
    /// <summary>The model already accepts the row; no action is needed and no option is listed.</summary>
    AlreadyAccepted,

    /// <summary>The first option is a proved minimum-cost action (CP-SAT closed the gap).</summary>
    Optimal,

    /// <summary>The time limit stopped the search after it found an action; <see cref="TreeRecourseResult.Gap"/> bounds how far from the minimum it may be.</summary>
    Feasible,

    /// <summary>Proved: no action in Δ(x) makes the model accept the row (or Δ(x) itself is empty); the message says which.</summary>
    Infeasible,

    /// <summary>The time limit stopped the search before it found an action, and infeasibility was not proved either.</summary>
    Unknown,
}

/// <summary>One recourse option for a row: an action δ ∈ Δ(x) that the model accepts, re-scored on the model.</summary>
/// <param name="Delta">The action δ, in the model's units.</param>
/// <param name="Counterfactual">x + δ, computed as the gate computes it.</param>
/// <param name="Cost">The cost being minimised (<see cref="TreeEnsembleRecourse.Options.Cost"/>) of δ.</param>
/// <param name="L1Cost">The action set's weighted L1 cost of δ (<see cref="Actions.ActionSet.Cost"/>).</param>
/// <param name="ChangedFeatures">The indices of the features δ changes, in increasing order.</param>
/// <param name="Score">The model's raw score of the counterfactual; at least the score threshold.</param>
/// <param name="IsProvedOptimal">
/// Whether CP-SAT proved this option cheapest among the actions whose set of changed variables differs from the
/// options listed before it (for the first option: among all actions).
/// </param>
public sealed record TreeRecourseOption(
    IReadOnlyList<double> Delta,
    IReadOnlyList<double> Counterfactual,
    double Cost,
    double L1Cost,
    IReadOnlyList<int> ChangedFeatures,
    double Score,
    bool IsProvedOptimal);

/// <summary>The outcome of the exact tree-ensemble search for one row.</summary>
public sealed class TreeRecourseResult
{
    internal TreeRecourseResult(TreeRecourseStatus status, double scoreBefore, double scoreThreshold, IReadOnlyList<TreeRecourseOption> options,
        double objectiveBound, double gap, bool isExhausted, double seconds, int treesInProgram, int leavesInProgram, string message)
    {
        Status = status;
        ScoreBefore = scoreBefore;
        ScoreThreshold = scoreThreshold;
        Options = options;
        ObjectiveBound = objectiveBound;
        Gap = gap;
        IsExhausted = isExhausted;
        Seconds = seconds;
        TreesInProgram = treesInProgram;
        LeavesInProgram = leavesInProgram;
        Message = message;
    }

    /// <summary>Gets how the search ended.</summary>
    public TreeRecourseStatus Status { get; }

    /// <summary>Gets the model's raw score of the row.</summary>
    public double ScoreBefore { get; }

    /// <summary>Gets the raw score s* an accepted point must reach (score ≥ s*).</summary>
    public double ScoreThreshold { get; }

    /// <summary>Gets the options, cheapest first, each with a different set of changed variables; empty unless the status is <see cref="TreeRecourseStatus.Optimal"/> or <see cref="TreeRecourseStatus.Feasible"/>.</summary>
    public IReadOnlyList<TreeRecourseOption> Options { get; }

    /// <summary>Gets the best option, or <see langword="null"/> when there is none.</summary>
    public TreeRecourseOption? Best => Options.Count > 0 ? Options[0] : null;

    /// <summary>
    /// Gets CP-SAT's lower bound on the cost of the first option's problem, in cost units (equal to the first option's
    /// cost up to the cost rounding when <see cref="TreeRecourseStatus.Optimal"/>); NaN without an option.
    /// </summary>
    public double ObjectiveBound { get; }

    /// <summary>Gets the relative gap (cost − bound) / cost of the first option (0 when optimal, NaN without an option).</summary>
    public double Gap { get; }

    /// <summary>Gets whether fewer options than asked were listed because no further set of changed variables reaches the threshold (proved).</summary>
    public bool IsExhausted { get; }

    /// <summary>Gets the wall-clock seconds spent on the row (compilation, every solve and the checks).</summary>
    public double Seconds { get; }

    /// <summary>Gets the number of trees left in the program after the pruning (trees with one reachable leaf become constants).</summary>
    public int TreesInProgram { get; }

    /// <summary>Gets the number of leaf variables in the program after the pruning.</summary>
    public int LeavesInProgram { get; }

    /// <summary>Gets what was proved or why the search stopped.</summary>
    public string Message { get; }

    /// <inheritdoc/>
    public override string ToString() => $"{Status}: {Message}";
}
