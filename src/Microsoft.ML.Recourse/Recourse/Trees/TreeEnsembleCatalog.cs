using Microsoft.ML.Recourse.Trees;

namespace Microsoft.ML.Recourse;

/// <summary>
/// Creates the exact tree-ensemble recourse generator from <c>mlContext.Recourse()</c>.<see cref="RecourseCatalog.Generators"/>.
/// </summary>
public static class TreeEnsembleCatalog
{
    /// <summary>
    /// Create <see cref="TreeEnsembleGenerator"/>, which finds the least-cost action that makes a tree ensemble (FastTree,
    /// FastForest, LightGbm, read with <c>mlContext.Recourse().Model.ReadClassifier</c>) accept a row, proved optimal on CP-SAT.
    /// </summary>
    /// <param name="catalog">The recourse generators catalog.</param>
    /// <param name="timeLimitSeconds">The time limit of each row's program in seconds. Range: value &gt; 0.</param>
    /// <param name="cost">The cost minimised (default: the action set's weighted L1).</param>
    public static TreeEnsembleGenerator TreeEnsemble(this RecourseGenerators catalog,
        double timeLimitSeconds = TreeEnsembleRecourse.Options.Defaults.TimeLimitSeconds, TreeRecourseCost? cost = null)
        => TreeEnsemble(catalog, new TreeEnsembleRecourse.Options { TimeLimitSeconds = timeLimitSeconds, Cost = cost ?? TreeRecourseCost.L1 });

    /// <summary>Create <see cref="TreeEnsembleGenerator"/> with advanced options (workers, seed, options per row, quantiles, changed-feature limit).</summary>
    /// <param name="catalog">The recourse generators catalog.</param>
    /// <param name="options">The solver's options.</param>
    public static TreeEnsembleGenerator TreeEnsemble(this RecourseGenerators catalog, TreeEnsembleRecourse.Options options)
    {
        Contracts.CheckValue(catalog, nameof(catalog));
        Contracts.CheckValue(options, nameof(options));
        return new TreeEnsembleGenerator(options, catalog.Environment.Logger(nameof(TreeEnsembleGenerator)));
    }
}
