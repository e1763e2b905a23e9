using Microsoft.ML.Recourse.Actions;
using Microsoft.ML.Data;
using Microsoft.ML.Recourse.Models;

namespace Microsoft.ML.Recourse;

/// <summary>
/// The estimator of a <see cref="RecourseTransformer"/>: it attaches a fitted scorer, its decision threshold θ₀, an
/// action set Δ and a recourse generator to a pipeline. It learns nothing from data; <see cref="Fit"/> checks the
/// schema and returns the transformer.
/// </summary>
/// <remarks>
/// <format type="text/markdown"><![CDATA[
/// To create this estimator, use
/// [GenerateRecourse](xref:Microsoft.ML.Recourse.RecourseCatalog.GenerateRecourse*) on `mlContext.Recourse()`.
///
/// ### Estimator Characteristics
/// | | |
/// | -- | -- |
/// | Does this estimator need to look at the data to train its parameters? | No |
/// | Input column | the feature column: known-sized vector of Single, of the model's feature count, no NaN or ∞ |
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

    internal RecourseEstimator(RecourseEnvironment environment, IScorer model, ActionSet actionSet, IRecourseGenerator generator, double threshold, string featureColumnName)
    {
        _environment = environment;
        Model = Contracts.CheckValue(model, nameof(model));
        ActionSet = Contracts.CheckValue(actionSet, nameof(actionSet));
        Generator = Contracts.CheckValue(generator, nameof(generator));
        FeatureColumnName = Contracts.CheckValue(featureColumnName, nameof(featureColumnName));
        Contracts.CheckOpenUnitInterval(threshold, nameof(threshold));
        Contracts.CheckParam(actionSet.FeatureCount == model.FeatureCount, nameof(actionSet),
            $"The action set describes {actionSet.FeatureCount} features but the model takes {model.FeatureCount}.");
        Threshold = threshold;
    }

    /// <summary>Gets the scorer g whose rejections get recourse.</summary>
    public IScorer Model { get; }

    /// <summary>Gets the allowed actions Δ.</summary>
    public ActionSet ActionSet { get; }

    /// <summary>Gets the recourse generator.</summary>
    public IRecourseGenerator Generator { get; }

    /// <summary>Gets the decision threshold θ₀. Range: 0 &lt; θ₀ &lt; 1.</summary>
    public double Threshold { get; }

    /// <summary>Gets the name of the feature column.</summary>
    public string FeatureColumnName { get; }

    /// <inheritdoc/>
    public RecourseTransformer Fit(IDataView input)
    {
        Contracts.CheckValue(input, nameof(input));
        RecourseTransformer.CheckInput(input.Schema, FeatureColumnName, ActionSet, nameof(input));
        return CreateTransformer();
    }

    internal RecourseTransformer CreateTransformer() => new(_environment, Model, ActionSet, Generator, Threshold, FeatureColumnName);

    /// <inheritdoc/>
    public SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        Contracts.CheckValue(inputSchema, nameof(inputSchema));
        ColumnChecks.CheckFeatureShape(inputSchema, FeatureColumnName, nameof(inputSchema));
        return SchemaShapes.With(inputSchema, RecourseTransformer.OutputColumns(Model.FeatureCount));
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
