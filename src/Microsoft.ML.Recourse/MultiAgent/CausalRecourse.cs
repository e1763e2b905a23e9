using System.Globalization;
using Microsoft.ML.Recourse.Actions;
using Microsoft.ML.Data;
using Microsoft.ML.Recourse.Datasets;
using Microsoft.ML.Recourse.Models;

namespace Microsoft.ML.Recourse.MultiAgent;

/// <summary>A fitted scorer to evaluate, with the recourse weight λ it was trained with and its decision threshold.</summary>
/// <param name="RecourseWeight">The recourse weight λ the scorer was trained with (reported back, not used).</param>
/// <param name="Scorer">The scorer g(x); its features are the causal model's variables in order.</param>
/// <param name="Threshold">The decision threshold θ: g(x) ≥ θ is favourable.</param>
public sealed record CausalRecourseModel(double RecourseWeight, IScorer Scorer, double Threshold);

/// <summary>The causal recourse rate of one model on the test rows.</summary>
/// <param name="RecourseWeight">The model's recourse weight λ.</param>
/// <param name="Threshold">The model's threshold θ.</param>
/// <param name="Rows">The number of test rows.</param>
/// <param name="Negatives">Rows with g(x) &lt; θ.</param>
/// <param name="WithRecourse">Negatives for which a feasible intervention reaches g(x^SCF) ≥ θ.</param>
/// <param name="RecourseNegativeRate">WithRecourse / Negatives (recourse-neg); 0 when there are no negatives.</param>
/// <param name="MeanCost">The mean L1 intervention cost Σ|θ_i − x_i| over the rows with recourse; NaN when there are none.</param>
public sealed record CausalRecourseRate(double RecourseWeight, double Threshold, int Rows, int Negatives, int WithRecourse, double RecourseNegativeRate, double MeanCost);

/// <summary>Options of causal recourse by minimal interventions (Karimi, Schölkopf &amp; Valera 2021).</summary>
public sealed class CausalRecourseOptions
{
    /// <summary>Gets δ_max: each intervention satisfies |θ_i − x_i^F| ≤ δ_max, in model units. Range: &gt; 0.</summary>
    public double MaximumChange { get; init; } = Defaults.MaximumChange;

    /// <summary>Gets the grid step of the intervention values, in model units. Range: 0 &lt; value ≤ <see cref="MaximumChange"/>.</summary>
    public double GridStep { get; init; } = Defaults.GridStep;

    internal static class Defaults
    {
        public const double MaximumChange = 0.75;
        public const double GridStep = 0.05;
    }
}

/// <summary>Causal recourse rates by minimal interventions.</summary>
internal static class CausalRecourse
{
    /// <summary>
    /// For each model: the share of test negatives with a causal recourse. Every actionable variable may be left alone
    /// or set to x^F + k·step with |k·step| ≤ δ_max, respecting its direction; descendants follow the SCM with the
    /// row's abducted noise; validity is g(x^SCF) ≥ θ, checked exactly on the counterfactual.
    /// </summary>
    public static IReadOnlyList<CausalRecourseRate> Rates(StructuralCausalModel causalModel, IReadOnlyList<CausalRecourseModel> models, ReadOnlySpan<double> testFeatures, CausalRecourseOptions options)
    {
        Contracts.CheckValue(causalModel, nameof(causalModel));
        Contracts.CheckValue(models, nameof(models));
        Contracts.CheckValue(options, nameof(options));
        double maximumChange = options.MaximumChange, gridStep = options.GridStep;
        Contracts.CheckPositive(maximumChange, nameof(options.MaximumChange));
        Contracts.CheckPositive(gridStep, nameof(options.GridStep));
        Contracts.CheckParam(gridStep <= maximumChange, nameof(options.GridStep), $"The grid step ({gridStep}) exceeds the maximum change ({maximumChange}).");
        var actionable = causalModel.Variables.Where(v => v.Actionability != FeatureActionability.Immutable).ToArray();
        Contracts.CheckParam(actionable.Length > 0, nameof(causalModel), "The causal model has no actionable variable.");
        var owners = causalModel.Variables.Select(v => v.Agent).Where(a => a is not null).Distinct().ToArray();
        Contracts.CheckParam(owners.Length == 1 && actionable.All(v => v.Agent == owners[0]), nameof(causalModel),
            "Causal recourse needs one agent that owns every actionable variable (and no other agent).");
        int d = causalModel.VariableCount;
        Contracts.CheckParam(testFeatures.Length % d == 0, nameof(testFeatures),
            $"Expected rows × {d} values (one per variable); got {testFeatures.Length}.");
        var names = causalModel.Variables.Select(v => v.Name).ToArray();
        var actions = ActionSpace.Grid(actionable.Select(v => GridAxis.Range(v.Name, maximumChange, gridStep)).ToArray());
        var recommenderOptions = new MultiAgentRecommender.Options { Solver = MultiAgentSolver.Enumeration, Tolerance = 0, MaximumRecordedRejections = 0 };
        var rates = new CausalRecourseRate[models.Count];
        for (int m = 0; m < models.Count; m++)
        {
            var model = models[m];
            Contracts.CheckValue(model, nameof(models));
            Contracts.CheckValue(model.Scorer, nameof(models));
            Contracts.CheckParam(double.IsFinite(model.Threshold), nameof(models), $"Model {m}: the threshold must be finite; got {model.Threshold}.");
            Contracts.CheckParam(model.Scorer.FeatureCount == d, nameof(models),
                $"Model {m}: the scorer takes {model.Scorer.FeatureCount} features; the causal model has {d} variables.");
            var system = new MultiAgentSystem(causalModel, [new Agent(owners[0]!, AgentOutcome.FromScorer(model.Scorer, names))]);
            var recommender = new MultiAgentRecommender(system, owners[0]!, actions, [RecourseProblem.Threshold(model.Threshold)], recommenderOptions);
            var batch = recommender.RecommendBatch(testFeatures);
            var summary = batch.Summaries[0];
            int negatives = summary.Recommended + summary.NoneExists;
            double cost = 0;
            for (int r = 0; r < batch.Count; r++)
                if (batch[r, 0].HasRecommendation) cost += batch[r, 0].Cost;
            rates[m] = new CausalRecourseRate(model.RecourseWeight, model.Threshold, batch.Count, negatives, summary.Recommended,
                negatives == 0 ? 0 : (double)summary.Recommended / negatives, summary.Recommended == 0 ? double.NaN : cost / summary.Recommended);
        }
        return rates;
    }
}

/// <summary>
/// The causal model of German credit used for Fig. 3 of Ross et al. (2021), after Karimi et al.: in model (z-scored)
/// units, amount := Σ_k β_k·personal_status_sex_k + β_age·age + U_amount and duration := γ₀ + γ·amount + U_duration,
/// both fitted by least squares; the other variables are exogenous. Amount is actionable in both directions and age
/// may only increase; all variables belong to the agent <c>applicant</c>. The variables are in the feature order of
/// the German preprocessing: duration, amount, age, then the personal_status_sex indicators 1, 2, 3, 5.
/// </summary>
/// <remarks>The amount equation has no intercept because the four indicators sum to one and span it.</remarks>
public sealed class GermanCreditCausalModel
{
    /// <summary>The agent that owns the variables.</summary>
    public const string Applicant = "applicant";

    private static readonly int[] PersonalStatusValues = [1, 2, 3, 5];

    private GermanCreditCausalModel(StructuralCausalModel causalModel)
    {
        CausalModel = causalModel;
        AmountEquation = (LinearStructuralEquation)causalModel["amount"].Equation;
        DurationEquation = (LinearStructuralEquation)causalModel["duration"].Equation;
    }

    /// <summary>Gets the variable names, which are also the scorer's feature order.</summary>
    public static IReadOnlyList<string> FeatureNames { get; } =
        ["duration", "amount", "age", "personal_status_sex_1", "personal_status_sex_2", "personal_status_sex_3", "personal_status_sex_5"];

    /// <summary>Gets the structural causal model.</summary>
    public StructuralCausalModel CausalModel { get; }

    /// <summary>Gets the fitted amount equation (parents: the four indicators, then age).</summary>
    public LinearStructuralEquation AmountEquation { get; }

    /// <summary>Gets the fitted duration equation (parent: amount).</summary>
    public LinearStructuralEquation DurationEquation { get; }

    /// <summary>Fits the equations on rows in model units, in the order of <see cref="FeatureNames"/>.</summary>
    internal static GermanCreditCausalModel Fit(ReadOnlySpan<double> features)
    {
        int d = FeatureNames.Count;
        Contracts.CheckParam(features.Length > 0 && features.Length % d == 0, nameof(features),
            $"Expected rows × {d} values ({string.Join(", ", FeatureNames)}); got {features.Length}.");
        int rows = features.Length / d;
        string[] amountParents = ["personal_status_sex_1", "personal_status_sex_2", "personal_status_sex_3", "personal_status_sex_5", "age"];
        int[] amountColumns = [3, 4, 5, 6, 2];
        var amountDesign = new double[rows * amountColumns.Length];
        var amount = new double[rows];
        var duration = new double[rows];
        for (int r = 0; r < rows; r++)
        {
            for (int k = 0; k < amountColumns.Length; k++) amountDesign[r * amountColumns.Length + k] = features[r * d + amountColumns[k]];
            amount[r] = features[r * d + 1];
            duration[r] = features[r * d];
        }
        var amountEquation = LinearStructuralEquation.Fit(amountParents, amountDesign, amount, fitIntercept: false);
        var durationEquation = LinearStructuralEquation.Fit(["amount"], amount, duration, fitIntercept: true);
        var builder = new StructuralCausalModelBuilder()
            .Add("duration", durationEquation, Applicant)
            .Add("amount", amountEquation, Applicant, FeatureActionability.Free)
            .AddRoot("age", Applicant, FeatureActionability.IncreaseOnly);
        foreach (int value in PersonalStatusValues) builder.AddRoot($"personal_status_sex_{value}", Applicant);
        return new GermanCreditCausalModel(builder.Build());
    }

    /// <summary>
    /// Reads <c>german/german.csv</c>, z-scores duration, amount and age with the mean and sample standard deviation
    /// (ddof = 1) of the whole file, one-hot encodes personal_status_sex, and fits the equations on all 1,000 rows.
    /// </summary>
    internal static GermanCreditCausalModel Load(string? dataDirectory)
    {
        string path = DataDirectory.Locate("german/german.csv", dataDirectory,
            "german.csv is the Statlog German Credit data as re-coded by the adversarial_recourse repository (1,000 rows).");
        using var reader = DelimitedTextReader.Open(path, ',');
        var header = reader.ReadRecord() ?? throw new InvalidDataException($"{path} is empty.");
        string[] needed = ["duration", "amount", "age", "personal_status_sex"];
        var columns = needed.Select(n => header.FindIndex(h => h.Trim() == n)).ToArray();
        for (int k = 0; k < needed.Length; k++)
            if (columns[k] < 0) throw new InvalidDataException($"{path} has no column '{needed[k]}'.");
        var raw = new List<double[]>();
        while (reader.ReadRecord() is { } record)
        {
            var values = new double[needed.Length];
            for (int k = 0; k < needed.Length; k++)
                if (columns[k] >= record.Count || !double.TryParse(record[columns[k]], NumberStyles.Float, CultureInfo.InvariantCulture, out values[k]))
                    throw new InvalidDataException($"{path} line {reader.RecordLine}: column '{needed[k]}' is not a number.");
            if (Array.IndexOf(PersonalStatusValues, (int)values[3]) < 0 || values[3] != Math.Round(values[3]))
                throw new InvalidDataException($"{path} line {reader.RecordLine}: personal_status_sex is {values[3]}; expected one of 1, 2, 3, 5.");
            raw.Add(values);
        }
        if (raw.Count < 2) throw new InvalidDataException($"{path} has fewer than two rows.");
        int d = FeatureNames.Count;
        var features = new double[raw.Count * d];
        for (int k = 0; k < 3; k++)
        {
            double mean = raw.Average(r => r[k]);
            double sd = Math.Sqrt(raw.Sum(r => (r[k] - mean) * (r[k] - mean)) / (raw.Count - 1));
            if (!(sd > 0)) throw new InvalidDataException($"{path}: column '{needed[k]}' is constant.");
            for (int r = 0; r < raw.Count; r++) features[r * d + k] = (raw[r][k] - mean) / sd;
        }
        for (int r = 0; r < raw.Count; r++)
            features[r * d + 3 + Array.IndexOf(PersonalStatusValues, (int)raw[r][3])] = 1;
        return Fit(features);
    }
}
