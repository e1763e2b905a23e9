using Microsoft.ML.Data;
using Microsoft.ML.Recourse.Actions;
using Microsoft.ML.Recourse.Models.MlNet;
using Microsoft.ML.Recourse.Optimization;

namespace Microsoft.ML.Recourse;

/// <summary>
/// Recourse for any fitted ML.NET binary classifier on its raw input columns: given the model (a whole pipeline, e.g.
/// Model Builder's <c>MLModel.zip</c> loaded with <c>mlContext.Model.Load</c>) and what people may change, it attaches
/// to every raw row what to change, column by column in the row's own values. Fitting reads the training data for the
/// action set's statistics and reads the model's transforms.
/// </summary>
/// <remarks>
/// <format type="text/markdown"><![CDATA[
/// To create this estimator, use
/// [ExplainModel](xref:Microsoft.ML.Recourse.RecourseCatalog.ExplainModel*) on `mlContext.Recourse()`.
///
/// ### Estimator Characteristics
/// | | |
/// | -- | -- |
/// | Does this estimator need to look at the data to train its parameters? | Yes: standard deviations, ranges, percentiles and categories of the columns, and rows to read the model's transforms with |
/// | Input columns | the model's raw input columns: scalars of Single, Double, Int32, Int64, UInt32, Boolean or text, and known-size Single vectors (context) |
/// | Output columns | see <xref:Microsoft.ML.Recourse.ColumnRecourseTransformer> |
/// | Solver dependency | OR-Tools: SCIP for the exact method on linear models, CP-SAT on tree ensembles |
///
/// ### Methods
/// * **Exact** (`linear-mip`) when the transforms in front of the classifier compile onto the mutable columns (one-hot
///   encoding, concatenation, ML.NET's affine normalisers, missing-value replacement, type conversion, copies; immutable
///   columns may go through anything) and the classifier is linear (L-BFGS, SDCA, averaged perceptron, linear SVM, or
///   this library's logistic model): the least-cost change, proved optimal.
/// * **Exact** (`trees-cp-sat`) for FastTree, FastForest and LightGbm when every mutable column reaches the trees as a
///   copy (numbers) or one-hot indicators (categories): the least-cost change on CP-SAT, proved optimal (weighted
///   costs other than scaled L1 go to the search).
/// * **Search** (`search`) for everything else: candidates on the raw columns scored in batches through the model's
///   own Transform; a heuristic, so not proved optimal, and `NotFound` when its budget runs out.
/// ]]></format>
/// </remarks>
public sealed class ColumnRecourseEstimator : IEstimator<ColumnRecourseTransformer>
{
    private readonly RecourseEnvironment _environment;
    private readonly ITransformer _model;
    private readonly Options _options;

    /// <summary>Options of <see cref="ColumnRecourseEstimator"/>.</summary>
    public sealed class Options
    {
        /// <summary>Gets or sets what people may change, by column name; <see langword="null"/> (the default) lets every column change within its training range.</summary>
        public ColumnActionSet? Actions { get; set; }

        /// <summary>Gets or sets the cost of a change (default <see cref="ColumnCostFunction.ScaledL1"/>).</summary>
        public ColumnCostFunction CostFunction { get; set; } = ColumnCostFunction.ScaledL1;

        /// <summary>Gets or sets how many distinct options to find per rejected row (default 1). Range: 1 ≤ value ≤ 100.</summary>
        public int OptionCount { get; set; } = 1;

        /// <summary>Gets or sets the label column, which is never acted on (default <c>Label</c>); a missing column is ignored.</summary>
        public string LabelColumnName { get; set; } = DefaultColumnNames.Label;

        /// <summary>Gets or sets whether exact methods are used where they apply (default <see langword="true"/>); <see langword="false"/> always searches.</summary>
        public bool UseExactMethods { get; set; } = true;

        /// <summary>Gets or sets the time limit of each exact solve in seconds, or <see langword="null"/> for none (the default). Range: value &gt; 0.</summary>
        public double? SolverMaximumSeconds { get; set; }

        /// <summary>Gets or sets the options of the black-box search, used where no exact method applies (and for a row whose exact answer the model rejects).</summary>
        public BlackBoxSearchOptions Search { get; set; } = new();

        internal void Check()
        {
            Contracts.CheckParam(Enum.IsDefined(CostFunction), nameof(CostFunction), $"Unknown cost function {CostFunction}.");
            Contracts.CheckParam(OptionCount is >= 1 and <= 100, nameof(OptionCount), FormattableString.Invariant($"Must lie in [1, 100]; got {OptionCount}."));
            Contracts.CheckParam(!string.IsNullOrEmpty(LabelColumnName), nameof(LabelColumnName), "The label column name is empty.");
            LinearProgramSolver.CheckLimits(SolverMaximumSeconds, nameof(SolverMaximumSeconds), 1, nameof(SolverMaximumSeconds));
            Contracts.CheckParam(Search is not null, nameof(Search), "The search options are null.");
            Search!.Check();
        }
    }

    internal ColumnRecourseEstimator(RecourseEnvironment environment, ITransformer model, Options options)
    {
        _environment = environment;
        _model = Contracts.CheckValue(model, nameof(model));
        _options = Contracts.CheckValue(options, nameof(options));
        options.Check();
    }

    /// <summary>Reads the training data's statistics and the model's transforms.</summary>
    /// <param name="input">Training data with the model's raw input columns (at least one row).</param>
    public ColumnRecourseTransformer Fit(IDataView input)
    {
        Contracts.CheckValue(input, nameof(input));
        var inputSchema = InputSchema(input.Schema);
        var decision = new ModelDecision(_model, inputSchema);
        var actions = _options.Actions ?? new ColumnActionSet();
        var space = ColumnActionSpace.Bind(actions, inputSchema, input, _options.CostFunction, contextColumns: [_options.LabelColumnName]);
        var sample = RawRows.Read(input, space.RawColumns, nameof(input)).Take(4).ToList();
        Contracts.Check(sample.Count > 0, "The training data is empty: at least one row is needed to read the model.");
        var parts = Persistence.SavedForm.Parts(_model, _environment);
        var search = new BlackBoxRecourseSearch(decision, space, _options.Search, _options.Search.Seed ?? _environment.NextSeed(),
            _environment.Logger(nameof(BlackBoxRecourseSearch)));
        var engine = ColumnRecourseEngine.Create(parts, decision, space, sample, _options.UseExactMethods,
            LinearProgramSolver.Create(_options.SolverMaximumSeconds), _options.SolverMaximumSeconds, (rows, count, token) => search.Search(rows, count, token));
        _environment.Log(nameof(ColumnRecourseEstimator), engine.WhyNotExact is null
            ? $"recourse on raw columns by {engine.Method}"
            : $"recourse on raw columns by {engine.Method}: {engine.WhyNotExact}");
        return new ColumnRecourseTransformer(_environment, engine, _options.OptionCount);
    }

    /// <inheritdoc/>
    public SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        Contracts.CheckValue(inputSchema, nameof(inputSchema));
        var outputs = ColumnRecourseTransformer.FixedOutputs.Select(o => (o.Name, o.Type)).ToList();
        foreach (var column in inputSchema)
        {
            if (column.Kind != SchemaShape.Column.VectorKind.Scalar || column.Name == _options.LabelColumnName) continue;
            if (column.ItemType is TextDataViewType or BooleanDataViewType || RawRows.IsNumeric(column.ItemType))
                outputs.Add((ColumnRecourseTransformer.RecommendedColumnName(column.Name), column.ItemType));
        }
        return SchemaShapes.With(inputSchema, outputs.ToArray());
    }

    private static DataViewSchema InputSchema(DataViewSchema schema)
    {
        var builder = new DataViewSchema.Builder();
        foreach (var column in schema.Where(c => !c.IsHidden)) builder.AddColumn(column.Name, column.Type, column.Annotations);
        return builder.ToSchema();
    }
}
