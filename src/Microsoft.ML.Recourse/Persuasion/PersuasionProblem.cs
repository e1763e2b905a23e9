namespace Microsoft.ML.Recourse.Persuasion;

/// <summary>
/// A persuasion problem reduced to its equivalence regions: the actions with their costs and decision-maker
/// utilities, and the regions of rule space (acceptance patterns with prior masses). Created through
/// <see cref="PersuasionCatalog.CreateProblem(IReadOnlyList{PersuasionAction}, IReadOnlyList{EquivalenceRegion})"/>
/// (explicit regions) or from a <see cref="LinearPersuasionSetting"/> by sampling the prior.
/// </summary>
public sealed class PersuasionProblem
{
    /// <summary>How far the region masses may sum away from 1.</summary>
    internal const double MassTolerance = 1e-9;

    internal PersuasionProblem(IReadOnlyList<PersuasionAction> actions, IReadOnlyList<EquivalenceRegion> regions,
        LinearPersuasionSetting? setting, int sampleCount)
    {
        CheckActions(actions, nameof(actions));
        Contracts.CheckValue(regions, nameof(regions));
        Contracts.CheckParam(regions.Count > 0, nameof(regions), "A problem needs at least one region.");
        int n = actions.Count;
        double total = 0;
        var seen = new Dictionary<string, int>();
        for (int k = 0; k < regions.Count; k++)
        {
            var region = Contracts.CheckValue(regions[k], nameof(regions));
            Contracts.CheckParam(region.AcceptancePattern.Count == n, nameof(regions),
                FormattableString.Invariant($"Region {k} has an acceptance pattern of length {region.AcceptancePattern.Count}; there are {n} actions."));
            Contracts.CheckParam(seen.TryAdd(region.PatternText, k), nameof(regions),
                FormattableString.Invariant($"Region {k} repeats the acceptance pattern ({region.PatternText}) of region {(seen.TryGetValue(region.PatternText, out int first) ? first : -1)}."));
            total += region.Mass;
        }
        Contracts.CheckParam(Math.Abs(total - 1) <= MassTolerance, nameof(regions),
            FormattableString.Invariant($"The region masses sum to {total:R}; they must sum to 1 (within {MassTolerance})."));
        Actions = actions.ToArray();
        DoNothingActionIndex = FindDoNothing(actions, nameof(actions));
        // Zero-mass regions carry no constraint and no objective; dropping them keeps the LP small.
        Regions = regions.Where(r => r.Mass > 0).ToArray();
        Setting = setting;
        SampleCount = sampleCount;
    }

    /// <summary>Gets the actions.</summary>
    public IReadOnlyList<PersuasionAction> Actions { get; }

    /// <summary>Gets the regions with positive mass.</summary>
    public IReadOnlyList<EquivalenceRegion> Regions { get; }

    /// <summary>Gets the index of the "do nothing" action (the first action with zero cost and zero effect).</summary>
    public int DoNothingActionIndex { get; }

    /// <summary>Gets the linear setting the regions were estimated from, or <see langword="null"/> for explicit regions.</summary>
    public LinearPersuasionSetting? Setting { get; }

    /// <summary>Gets the number of prior samples behind the region masses (0 for explicit regions).</summary>
    public int SampleCount { get; }

    internal static void CheckActions(IReadOnlyList<PersuasionAction> actions, string paramName)
    {
        Contracts.CheckValue(actions, paramName);
        Contracts.CheckParam(actions.Count > 0, paramName, "A problem needs at least one action.");
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (int a = 0; a < actions.Count; a++)
        {
            var action = Contracts.CheckValue(actions[a], paramName);
            Contracts.CheckParam(names.Add(action.Name), paramName, $"Two actions are named '{action.Name}'; names must be unique.");
        }
    }

    internal static int FindDoNothing(IReadOnlyList<PersuasionAction> actions, string paramName)
    {
        for (int a = 0; a < actions.Count; a++)
            if (actions[a].IsDoNothing) return a;
        throw new ArgumentOutOfRangeException(paramName,
            "No \"do nothing\" action: one action must have zero cost and zero effect, because a subject can always decline to act.");
    }
}
