using Microsoft.ML.Recourse.Actions;
using Microsoft.ML.Data;
using Microsoft.ML.Recourse.Models;

namespace Microsoft.ML.Recourse;

/// <summary>
/// The estimator of a <see cref="RecourseTransformer"/>: it attaches a classifier, its decision threshold θ₀, an action
/// set Δ and a recourse generator to a pipeline. The classifier is a scorer over a feature column, or a fitted ML.NET
/// model (one of the library's classifiers or ML.NET's linear binary classifiers, with the transforms in front of it),
/// or an estimator that trains one: then <see cref="Fit"/> fits the model, reads it back to the user's input columns
/// (concatenations and ML.NET's normalisers are composed, so actions, bounds, δ and costs are in the columns' own
/// units) and binds a <see cref="ColumnActionSet"/> to those columns with statistics of the training data.
/// </summary>
/// <remarks>
/// <format type="text/markdown"><![CDATA[
/// To create this estimator, use
/// [GenerateRecourse](xref:Microsoft.ML.Recourse.RecourseCatalog.GenerateRecourse*) on `mlContext.Recourse()`.
///
/// ### Estimator Characteristics
/// | | |
/// | -- | -- |
/// | Does this estimator need to look at the data to train its parameters? | Only to fit a model it trains and for the statistics a column action set needs |
/// | Input columns | the feature column, or the model's input columns: scalars or known-sized vectors of Single, no NaN or ∞ |
/// | Output columns | RecourseDelta: Vector&lt;Single, d&gt;; RecourseCost: Single; HasRecourse: Boolean; RecourseStatus: String |
/// | Solver dependency | that of the generator (OR-Tools GLOP for one-step on coupled action sets, an OR-Tools MIP for the integer program with general rows) |
///
/// ### What each row gets
/// * A row the model already accepts (g(x) ≥ θ₀) needs no action: δ = 0, cost 0, `HasRecourse` = true,
///   `RecourseStatus` = `Accepted`. The generator is not run on it.
/// * A rejected row is handed to the generator. When it returns a δ ∈ Δ with g(x + δ) ≥ θ₀, the row gets δ (model
///   units), its cost (weighted L1 in standardised units, <xref:Microsoft.ML.Recourse.Actions.ActionSet.Cost*>) and
///   `HasRecourse` = true. Otherwise δ is NaN in every slot, the cost is NaN and `HasRecourse` = false.
///   `RecourseStatus` is the generator's <xref:Microsoft.ML.Recourse.RecourseStatus> (`Infeasible` is a certificate
///   that no action in Δ works).
/// * Every input column is kept unchanged; an input column with the name of an output column is replaced.
/// ]]></format>
/// </remarks>
/// <seealso cref="RecourseCatalog.GenerateRecourse(IScorer, ActionSet, IRecourseGenerator, double, string)"/>
/// <seealso cref="RecourseCatalog.GenerateRecourse(IScorer, ActionSet, IRecourseGenerator, Options)"/>
public sealed class RecourseEstimator : IEstimator<RecourseTransformer>
{
    private readonly RecourseEnvironment _environment;
    private readonly Plan _plan;

    internal RecourseEnvironment Environment => _environment;

    private RecourseEstimator(RecourseEnvironment environment, IRecourseGenerator generator, Plan plan)
    {
        _environment = environment;
        Generator = Contracts.CheckValue(generator, nameof(generator));
        _plan = plan;
    }

    internal RecourseEstimator(RecourseEnvironment environment, IScorer model, ActionSet actionSet, IRecourseGenerator generator, double threshold, string featureColumnName)
        : this(environment, generator, new ScorerPlan(
            Contracts.CheckValue(model, nameof(model)),
            Contracts.CheckValue(actionSet, nameof(actionSet)),
            threshold,
            Contracts.CheckValue(featureColumnName, nameof(featureColumnName))))
    {
        Contracts.CheckOpenUnitInterval(threshold, nameof(threshold));
        Contracts.CheckParam(actionSet.FeatureCount == model.FeatureCount, nameof(actionSet),
            $"The action set describes {actionSet.FeatureCount} features but the model takes {model.FeatureCount}.");
    }

    /// <summary>Creates an estimator over a fitted ML.NET model, read back to its input columns when fitted.</summary>
    internal static RecourseEstimator ForModel(RecourseEnvironment environment, ITransformer model, object actions, IRecourseGenerator generator, double? threshold)
    {
        Contracts.CheckValue(model, nameof(model));
        CheckActions(actions);
        return new(environment, generator, new ModelPlan(model, null, actions, threshold));
    }

    /// <summary>Creates an estimator that trains a model with <paramref name="modelEstimator"/> and then adds recourse.</summary>
    internal static RecourseEstimator ForModelEstimator(RecourseEnvironment environment, IEstimator<ITransformer> modelEstimator, object actions, IRecourseGenerator generator, double? threshold)
    {
        Contracts.CheckValue(modelEstimator, nameof(modelEstimator));
        CheckActions(actions);
        return new(environment, generator, new ModelPlan(null, modelEstimator, actions, threshold));
    }

    private static void CheckActions(object actions)
    {
        Contracts.CheckValue(actions, nameof(actions));
        Contracts.CheckParam(actions is Actions.ActionSet or ColumnActionSet, nameof(actions), "The actions must be an ActionSet or a ColumnActionSet.");
    }

    /// <summary>Gets the scorer g whose rejections get recourse, or <see langword="null"/> until a model-reading estimator is fitted.</summary>
    public IScorer? Model => (_plan as ScorerPlan)?.Model;

    /// <summary>Gets the allowed actions Δ, or <see langword="null"/> until a model-reading estimator is fitted.</summary>
    public ActionSet? ActionSet => (_plan as ScorerPlan)?.Actions;

    /// <summary>Gets the recourse generator.</summary>
    public IRecourseGenerator Generator { get; }

    /// <summary>Gets the decision threshold θ₀, or <see langword="null"/> when it comes from the model read at fitting. Range: 0 &lt; θ₀ &lt; 1.</summary>
    public double? Threshold => _plan switch
    {
        ScorerPlan p => p.Threshold,
        ModelPlan p => p.Threshold,
        _ => null,
    };

    /// <inheritdoc/>
    public RecourseTransformer Fit(IDataView input)
    {
        Contracts.CheckValue(input, nameof(input));
        return _plan.Fit(this, input);
    }

    /// <inheritdoc/>
    public SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        Contracts.CheckValue(inputSchema, nameof(inputSchema));
        return _plan.GetOutputSchema(inputSchema);
    }

    // A shape carries no vector sizes, so the promised RecourseDelta is a vector of Single whose size the data fixes.
    private static SchemaShape WithOutputs(SchemaShape shape) => SchemaShapes.With(shape, RecourseTransformer.OutputColumns(1));

    private abstract class Plan
    {
        public abstract RecourseTransformer Fit(RecourseEstimator owner, IDataView input);

        public abstract SchemaShape GetOutputSchema(SchemaShape inputSchema);
    }

    private sealed class ScorerPlan(IScorer model, ActionSet actions, double threshold, string featureColumnName) : Plan
    {
        public IScorer Model => model;

        public ActionSet Actions => actions;

        public double Threshold => threshold;

        public override RecourseTransformer Fit(RecourseEstimator owner, IDataView input)
        {
            RecourseTransformer.CheckInputs(input.Schema, [(featureColumnName, actions.FeatureCount)], actions, nameof(input));
            return new RecourseTransformer(owner._environment, model, actions, owner.Generator, threshold, [(featureColumnName, actions.FeatureCount)]);
        }

        public override SchemaShape GetOutputSchema(SchemaShape inputSchema)
        {
            ColumnChecks.CheckFeatureShape(inputSchema, featureColumnName, nameof(inputSchema));
            return WithOutputs(inputSchema);
        }
    }

    private sealed class ModelPlan(ITransformer? model, IEstimator<ITransformer>? modelEstimator, object actions, double? threshold) : Plan
    {
        public double? Threshold => threshold;

        public override RecourseTransformer Fit(RecourseEstimator owner, IDataView input)
        {
            var fitted = model ?? modelEstimator!.Fit(input);
            var traced = Models.MlNet.PipelineTracer.Trace(Persistence.SavedForm.Parts(fitted, owner._environment), input);
            var inputs = traced.Inputs.Select(c => (c.Name, c.IsVector ? (int?)c.Size : null)).ToArray();
            var names = traced.InputNames;
            Actions.ActionSet actionSet;
            if (actions is ColumnActionSet columnActions)
            {
                var probe = new RecourseTransformer(owner._environment, traced.Map.Compose(traced.Classifier.Scorer),
                    Actions.ActionSet.FromFeatures(names.Select(n => new FeatureInfo(n)).ToArray(), 1), owner.Generator, 0.5, inputs);
                var rows = probe.ReadInputs(input);
                actionSet = columnActions.Bind(names, traced.Inputs.Select(c => (c.Name, c.SlotNames)).ToArray(), rows);
            }
            else
            {
                actionSet = (Actions.ActionSet)actions;
                Contracts.CheckParam(actionSet.Features.Select(f => f.Name).SequenceEqual(names), nameof(actions),
                    $"The action set describes [{string.Join(", ", actionSet.Features.Select(f => f.Name))}] but the model reads [{string.Join(", ", names)}] from its input columns; build the action set over those, or use a ColumnActionSet.");
            }
            double theta = threshold ?? traced.Classifier.Threshold;
            Contracts.CheckOpenUnitInterval(theta, "threshold");
            owner._environment.Log(nameof(RecourseEstimator), $"{traced.Classifier}; recourse over {string.Join(", ", traced.Inputs.Select(c => $"'{c.Name}'"))}");
            return new RecourseTransformer(owner._environment, traced.Map.Compose(traced.Classifier.Scorer), actionSet, owner.Generator, theta, inputs,
                includedModel: model is null ? fitted : null);
        }

        public override SchemaShape GetOutputSchema(SchemaShape inputSchema)
        {
            var shape = modelEstimator?.GetOutputSchema(inputSchema) ?? inputSchema;
            if (actions is ColumnActionSet columnActions)
            {
                foreach (var name in columnActions.Columns.Keys)
                {
                    if (SchemaShapes.Find(inputSchema, name) is { } column && (column.IsKey || column.ItemType != NumberDataViewType.Single))
                        throw Contracts.ExceptSchemaMismatch(nameof(inputSchema), "input", name, "Single or Vector<Single>", SchemaShapes.TypeDisplay(column));
                }
            }
            return WithOutputs(shape);
        }
    }

    /// <summary>Advanced options of <see cref="RecourseEstimator"/>.</summary>
    public sealed class Options
    {
        /// <summary>
        /// Gets the name of the feature column. The column data must be a known-sized vector of <see cref="float"/>
        /// of the model's feature count.
        /// </summary>
        public string FeatureColumnName { get; init; } = DefaultColumnNames.Features;

        /// <summary>
        /// Gets the decision threshold θ₀, or <see langword="null"/> for the prediction transformer's threshold
        /// (0.5 for a bare scorer). Range: 0 &lt; θ₀ &lt; 1.
        /// </summary>
        public double? Threshold { get; init; }
    }

    /// <summary>The defaults of the catalog methods and <see cref="Options"/>.</summary>
    internal static class Defaults
    {
        /// <summary>The threshold of a bare scorer: g(x) ≥ 0.5.</summary>
        public const double Threshold = 0.5;
    }
}
