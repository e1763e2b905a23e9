using Microsoft.ML.Recourse.ModelUpdates;
using Microsoft.ML.Recourse.Evaluation;

namespace Microsoft.ML.Recourse;

public sealed partial class RecourseCatalog
{
    /// <summary>
    /// Creates a model-update simulation: M1 before a shift, M2 after it, recourse computed with M1 and measured
    /// under both, and PAC certificates of validity after retraining (Upadhyay, Joshi &amp; Lakkaraju 2021).
    /// </summary>
    /// <param name="options">The options, or <see langword="null"/> for the defaults (logistic regression, threshold 0.5).</param>
    public ModelUpdateSimulation ModelUpdateSimulation(ModelUpdateSimulation.Options? options = null)
        => new(Environment, options ?? new ModelUpdateSimulation.Options());
}
