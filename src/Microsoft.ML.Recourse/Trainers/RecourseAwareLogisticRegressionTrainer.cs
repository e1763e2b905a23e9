using Microsoft.ML.Recourse.Models;
using Microsoft.ML.Recourse.Actions;

using Microsoft.ML.Data;

namespace Microsoft.ML.Recourse.Trainers;

/// <summary>
/// The <see cref="IEstimator{TTransformer}"/> that trains a logistic regression g(x) = σ(wᵀx + b) to leave recourse
/// for rejected rows: each row's loss gets the term λ·BCE(g(x + δ*), 1), with δ* the one-step action of the
/// row's action set (Ross, Lakkaraju &amp; Bastani, "Learning Models for Actionable Recourse", NeurIPS 2021).
/// </summary>
/// <remarks>
/// <format type="text/markdown"><![CDATA[
/// To create this trainer, use [RecourseAwareLogisticRegression](xref:Microsoft.ML.Recourse.RecourseAwareTrainersCatalog.RecourseAwareLogisticRegression(Microsoft.ML.Recourse.RecourseTrainers,Microsoft.ML.Recourse.Actions.ActionSet,System.Double,Microsoft.ML.Recourse.Actions.PerturbationDirection,System.String,System.String,System.Int32,System.Int32,System.Double))
/// or [RecourseAwareLogisticRegression(Options)](xref:Microsoft.ML.Recourse.RecourseAwareTrainersCatalog.RecourseAwareLogisticRegression(Microsoft.ML.Recourse.RecourseTrainers,Microsoft.ML.Recourse.Trainers.RecourseAwareLogisticRegressionTrainer.Options)).
///
/// ### Trainer Characteristics
/// | | |
/// | -- | -- |
/// | Machine learning task | Binary classification |
/// | Is normalization required? | Yes (the action set's maximum change is in standardised units) |
/// | Input columns | Label: Boolean; Features: known-sized vector of Single, one slot per feature of the action set |
/// | Output columns | Score (logit): Single; Probability: Single; PredictedLabel: Boolean (g ≥ θ₀) |
/// | Solver dependency | None for action sets without general constraints; OR-Tools GLOP (in the Google.OrTools package) with them |
///
/// ### Training Algorithm Details
/// See <xref:Microsoft.ML.Recourse.Trainers.RecourseAwareMultilayerPerceptronTrainer>: the same loss, steps, model
/// selection and threshold choice, with no hidden layer and no dropout.
/// ]]></format>
/// </remarks>
/// <seealso cref="RecourseAwareTrainersCatalog.RecourseAwareLogisticRegression(RecourseTrainers, Actions.ActionSet, double, PerturbationDirection, string, string, int, int, double)"/>
/// <seealso cref="RecourseAwareTrainersCatalog.RecourseAwareLogisticRegression(RecourseTrainers, Options)"/>
public sealed class RecourseAwareLogisticRegressionTrainer : ScorerTrainerBase<LogisticRegressionModelParameters>
{
    private readonly RecourseAwareTraining _recourse;

    internal RecourseAwareLogisticRegressionTrainer(RecourseEnvironment environment, Options options) : base(environment, options)
    {
        _recourse = new RecourseAwareTraining(options);
    }

    /// <summary>Gets the recourse weight λ.</summary>
    public double RecourseWeight => _recourse.RecourseWeight;

    /// <summary>Gets the direction of the one-step perturbation δ*.</summary>
    public PerturbationDirection PerturbationDirection => _recourse.Direction;

    private protected override double DropoutRate => 0;

    private protected override int RequiredFeatureCount => _recourse.ActionSet?.FeatureCount ?? 0;

    private protected override FeedForwardNetwork CreateNetwork(int featureCount) => LogisticRegressionModelParameters.NetworkFor(featureCount);

    private protected override LogisticRegressionModelParameters CreateModel(FeedForwardNetwork network, double[] parameters) => new(network, parameters);

    private protected override IBatchLossTerm? CreateLossTerm(Action<string> log, DataViewSchema.Column featureColumn, double[] features)
        => _recourse.CreateLossTerm(log, featureColumn, features);

    private protected override double SelectThreshold(LogisticRegressionModelParameters model, double[] validationFeatures, bool[] validationLabels, Action<string> log)
        => RecourseAwareTraining.SelectThreshold(model, validationFeatures, validationLabels, log);

    /// <summary>Options for the <see cref="RecourseAwareLogisticRegressionTrainer"/>, used by <see cref="RecourseAwareTrainersCatalog.RecourseAwareLogisticRegression(RecourseTrainers, Options)"/>.</summary>
    public sealed class Options : RecourseAwareTrainerOptionsBase
    {
    }
}
