using Microsoft.ML.Recourse.Actions;

namespace Microsoft.ML.Recourse;

public sealed partial class RecourseCatalog
{
    /// <summary>
    /// Creates recourse for any fitted ML.NET binary classifier on its raw input columns (e.g. Model Builder's
    /// <c>MLModel.zip</c> after <c>mlContext.Model.Load</c>): fit it on the training data, then transform raw rows or call
    /// <see cref="ColumnRecourseTransformer.ExplainAll"/>. Exact where the model's transforms and classifier allow,
    /// a black-box search otherwise; see <see cref="ColumnRecourseEstimator"/>.
    /// </summary>
    /// <param name="model">The fitted model, from the raw columns to <c>PredictedLabel</c> and <c>Probability</c> or <c>Score</c>.</param>
    /// <param name="actions">What people may change, by column name; <see langword="null"/> lets every column change within its training range.</param>
    /// <param name="costFunction">The cost of a change.</param>
    /// <param name="optionCount">How many distinct options per rejected row. Range: 1 ≤ value ≤ 100.</param>
    public ColumnRecourseEstimator ExplainModel(ITransformer model, ColumnActionSet? actions = null,
        ColumnCostFunction costFunction = ColumnCostFunction.ScaledL1, int optionCount = 1)
        => ExplainModel(model, new ColumnRecourseEstimator.Options { Actions = actions, CostFunction = costFunction, OptionCount = optionCount });

    /// <summary>Creates recourse for any fitted ML.NET binary classifier on its raw input columns, with all options.</summary>
    /// <param name="model">The fitted model, from the raw columns to <c>PredictedLabel</c> and <c>Probability</c> or <c>Score</c>.</param>
    /// <param name="options">The options.</param>
    public ColumnRecourseEstimator ExplainModel(ITransformer model, ColumnRecourseEstimator.Options options)
        => new(Environment, model, options);
}
