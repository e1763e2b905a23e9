using static Microsoft.ML.Recourse.Actions.FeatureActionability;

namespace Microsoft.ML.Recourse.Datasets;

/// <summary>
/// A small structural causal model of credit applicants, generated in code. The equations are listed on
/// <see cref="DatasetsCatalog.SyntheticCredit"/> and in <c>docs/datasets.md</c>.
/// </summary>
internal static class SyntheticCreditModel
{
    internal const int MinimumRows = 100;

    public static RecourseDataset Generate(int rows, int seed)
    {
        // One MT19937 stream, read row by row in a fixed order, so the same seed gives the same data everywhere.
        var random = new NumpyRandomState(seed);
        var age = new double[rows];
        var education = new double[rows];
        var hours = new double[rows];
        var income = new double[rows];
        var debtRatio = new double[rows];
        var savings = new double[rows];
        var labels = new bool[rows];
        for (int i = 0; i < rows; i++)
        {
            double a = Math.Clamp(Math.Round(42 + 13 * random.StandardNormal()), 18, 75);
            double e = Math.Clamp(Math.Round(11 + 0.05 * (a - 18) + 2.5 * random.StandardNormal()), 6, 20);
            double h = Math.Clamp(Math.Round(40 + 9 * random.StandardNormal()), 8, 80);
            double y = Math.Max(8, Math.Round(-20 + 4 * e + 0.35 * (a - 18) + 0.7 * h + 10 * random.StandardNormal(), 1));
            double d = Math.Clamp(Math.Round(45 - 0.25 * y + 12 * random.StandardNormal(), 1), 0, 100);
            double s = Math.Max(0, Math.Round(0.2 * y + 0.3 * (a - 18) - 8 + 6 * random.StandardNormal(), 1));
            double logit = LabelIntercept + 0.045 * (y - 65) - 0.06 * (d - 29) + 0.07 * (s - 12) + 0.12 * (e - 12);
            labels[i] = random.NextDouble() < 1 / (1 + Math.Exp(-logit));
            (age[i], education[i], hours[i], income[i], debtRatio[i], savings[i]) = (a, e, h, y, d, s);
        }

        var groups = age.Select(a => a < 30 ? "under 30" : a < 50 ? "30-49" : "50 and over").ToArray();
        var (table, features) = new DatasetBuilder(labels, Enumerable.Range(0, rows).ToArray())
            .Continuous("age", age, Immutable, "age in years")
            .Continuous("education-years", education, IncreaseOnly, "years of education")
            .Continuous("hours-per-week", hours, Free, "hours worked per week")
            .Continuous("income", income, Free, "yearly income in thousands of dollars", isInteger: false)
            .Continuous("debt-ratio", debtRatio, DecreaseOnly, "debt payments as a percentage of income", isInteger: false)
            .Continuous("savings", savings, IncreaseOnly, "savings in thousands of dollars", isInteger: false)
            .Group("ageGroup", groups)
            .Build();

        var (train, rest) = ReferenceSplit.TrainTestSplit(rows, 0.2, seed);
        var (validation, test) = ReferenceSplit.TrainTestSplit(rest.Length, 0.5, seed);
        return new RecourseDataset("synthetic", "Synthetic credit applicants from a structural causal model (generated in code)",
            features, seed, table.Take(train), table.Take(validation.Select(i => rest[i]).ToArray()), table.Take(test.Select(i => rest[i]).ToArray()));
    }

    /// <summary>The intercept of the repayment logit, chosen so that about a third of applicants repay well.</summary>
    internal const double LabelIntercept = -1.0;
}
