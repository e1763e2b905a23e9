using Microsoft.ML;
using Microsoft.ML.Recourse.Models;
using Microsoft.ML.Recourse.MultiAgent;
using Microsoft.ML.Recourse.Tests.TestFramework;

namespace Microsoft.ML.Recourse.Tests.MultiAgent;

public class CausalRecourseTests
{
    /// <summary>g(x) = σ(w·x + b), built by hand.</summary>
    private sealed class LogisticScorer(double[] weights, double bias) : IDifferentiableScorer
    {
        public int FeatureCount => weights.Length;

        public double Logit(ReadOnlySpan<double> x)
        {
            double z = bias;
            for (int j = 0; j < weights.Length; j++) z += weights[j] * x[j];
            return z;
        }

        public double Score(ReadOnlySpan<double> features) => 1 / (1 + Math.Exp(-Logit(features)));

        public void ScoreBatch(ReadOnlySpan<double> features, Span<double> scores)
        {
            for (int r = 0; r < scores.Length; r++) scores[r] = Score(features.Slice(r * FeatureCount, FeatureCount));
        }

        public void ScoreAndInputGradientBatch(ReadOnlySpan<double> features, Span<double> scores, Span<double> inputGradients)
        {
            ScoreBatch(features, scores);
            for (int r = 0; r < scores.Length; r++)
                for (int j = 0; j < FeatureCount; j++) inputGradients[r * FeatureCount + j] = scores[r] * (1 - scores[r]) * weights[j];
        }
    }

    // Rows in the German feature order: duration, amount, age, pss_1, pss_2, pss_3, pss_5, drawn from
    // amount = pss·(0.3, −0.2, 0.1, 0.4) + 0.5·age + U and duration = 0.1 + 0.8·amount + U.
    private static double[] SyntheticRows(Random random, int rows, double noise)
    {
        double[] pssEffect = [0.3, -0.2, 0.1, 0.4];
        var x = new double[rows * 7];
        for (int r = 0; r < rows; r++)
        {
            int category = random.Next(4);
            double age = random.NextDouble() * 4 - 2;
            double amount = pssEffect[category] + 0.5 * age + noise * (random.NextDouble() - 0.5);
            double duration = 0.1 + 0.8 * amount + noise * (random.NextDouble() - 0.5);
            x[r * 7] = duration;
            x[r * 7 + 1] = amount;
            x[r * 7 + 2] = age;
            x[r * 7 + 3 + category] = 1;
        }
        return x;
    }

    [Fact]
    public void FitGermanCreditCausalModel_NoiselessRows_RecoversTheEquations()
    {
        var model = new MLContext(1).Recourse().MultiAgent.FitGermanCreditCausalModel(SyntheticRows(new Random(1), 100, noise: 0));
        model.CausalModel.Variables.Select(v => v.Name).Should().Equal(GermanCreditCausalModel.FeatureNames);
        model.AmountEquation.Parents.Should().Equal("personal_status_sex_1", "personal_status_sex_2", "personal_status_sex_3", "personal_status_sex_5", "age");
        model.AmountEquation.Weights.Should().Equal([0.3, -0.2, 0.1, 0.4, 0.5], (a, b) => Math.Abs(a - b) < 1e-9);
        model.AmountEquation.Intercept.Should().Be(0);
        model.DurationEquation.Intercept.Should().BeApproximately(0.1, 1e-9);
        model.DurationEquation.Weights.Single().Should().BeApproximately(0.8, 1e-9);
        model.CausalModel["amount"].Actionability.Should().Be(Microsoft.ML.Recourse.Actions.FeatureActionability.Free);
        model.CausalModel["age"].Actionability.Should().Be(Microsoft.ML.Recourse.Actions.FeatureActionability.IncreaseOnly);
    }

    [Fact]
    public void Counterfactual_GermanModel_AgeMovesAmountAndDurationWithTheRowsNoise()
    {
        var model = new MLContext(1).Recourse().MultiAgent.FitGermanCreditCausalModel(SyntheticRows(new Random(1), 100, noise: 0));
        var scm = model.CausalModel;
        // A row off the fitted equations: its noise (u_amount = 0.2, u_duration = −0.3) must be kept.
        double age = 1.0, amount = 0.3 + 0.5 * age + 0.2, duration = 0.1 + 0.8 * amount - 0.3;
        double[] row = [duration, amount, age, 1, 0, 0, 0];
        var older = scm.Counterfactual(row, scm.Do(("age", 1.5)));
        older[1].Should().BeApproximately(0.3 + 0.5 * 1.5 + 0.2, 1e-9);
        older[0].Should().BeApproximately(0.1 + 0.8 * older[1] - 0.3, 1e-9); // duration follows the new amount
        var smaller = scm.Counterfactual(row, scm.Do(("amount", 0.0)));
        smaller[0].Should().BeApproximately(0.1 - 0.3, 1e-9);
        smaller[2].Should().Be(age); // age is not a descendant of amount
    }

    [Fact]
    public void CausalRecourseRates_HandBuiltLogisticScorer_MatchesBruteForce()
    {
        var ctx = new MLContext(1).Recourse();
        var model = ctx.MultiAgent.FitGermanCreditCausalModel(SyntheticRows(new Random(2), 300, noise: 0.4));
        double betaAge = model.AmountEquation.Weights[4], gamma = model.DurationEquation.Weights[0];
        var test = SyntheticRows(new Random(3), 80, noise: 0.4);
        var scorers = new[]
        {
            new LogisticScorer([-0.8, -1.2, 0.6, 0.2, -0.1, 0.3, 0.0], -0.2),
            new LogisticScorer([-0.3, -2.0, 0.2, 0.0, 0.4, -0.2, 0.1], 0.1),
            new LogisticScorer([0.5, 0.9, 1.5, -0.3, 0.0, 0.2, 0.1], -0.4),
        };
        double[] thresholds = [0.5, 0.6, 0.55];
        var models = scorers.Select((s, i) => new CausalRecourseModel(RecourseWeight: i * 0.4, s, thresholds[i])).ToArray();

        var rates = ctx.MultiAgent.CausalRecourseRates(model.CausalModel, models, test, maximumChange: 0.75, gridStep: 0.05);

        // Independent brute force on the logit: age offset a ∈ {0, 0.05, …, 0.75}; amount left alone (it then moves by
        // β_age·a) or set to x + b, b ∈ {−0.75, …, 0.75}; duration moves by γ·Δamount.
        var ageOffsets = Enumerable.Range(0, 16).Select(k => k * 0.05).ToArray();
        var amountOffsets = Enumerable.Range(-15, 31).Select(k => k * 0.05).ToArray();
        bool anyPartial = false;
        for (int m = 0; m < models.Length; m++)
        {
            var w = scorers[m];
            double needed = Math.Log(thresholds[m] / (1 - thresholds[m]));
            int negatives = 0, withRecourse = 0;
            for (int r = 0; r < 80; r++)
            {
                double z = w.Logit(test.AsSpan(r * 7, 7));
                if (z >= needed) continue;
                negatives++;
                double wDur = w.Logit([1, 0, 0, 0, 0, 0, 0]) - w.Logit(new double[7]);
                double wAmt = w.Logit([0, 1, 0, 0, 0, 0, 0]) - w.Logit(new double[7]);
                double wAge = w.Logit([0, 0, 1, 0, 0, 0, 0]) - w.Logit(new double[7]);
                double best = double.NegativeInfinity;
                foreach (double a in ageOffsets)
                    foreach (double dAmount in amountOffsets.Append(betaAge * a))
                        best = Math.Max(best, wAge * a + (wAmt + wDur * gamma) * dAmount);
                if (z + best >= needed) withRecourse++;
            }
            rates[m].RecourseWeight.Should().Be(m * 0.4);
            rates[m].Rows.Should().Be(80);
            rates[m].Negatives.Should().Be(negatives, "model {0}", m);
            rates[m].WithRecourse.Should().Be(withRecourse, "model {0}", m);
            rates[m].RecourseNegativeRate.Should().Be(negatives == 0 ? 0 : (double)withRecourse / negatives);
            anyPartial |= withRecourse > 0 && withRecourse < negatives;
        }
        anyPartial.Should().BeTrue("the test needs a model for which some but not all negatives have recourse");
    }

    [Fact]
    public void CausalRecourseRates_ScorerOfWrongWidth_Throws()
    {
        var ctx = new MLContext(1).Recourse();
        var model = ctx.MultiAgent.FitGermanCreditCausalModel(SyntheticRows(new Random(1), 50, noise: 0.1));
        var act = () => ctx.MultiAgent.CausalRecourseRates(model.CausalModel, [new CausalRecourseModel(0, new LogisticScorer([1, 2], 0), 0.5)], new double[7]);
        act.Should().Throw<ArgumentOutOfRangeException>().WithMessage("Model 0: the scorer takes 2 features; the causal model has 7 variables.*");
    }

    [Fact]
    public void GridAxisRange_IncludesBothEndsOfTheBox()
    {
        var axis = GridAxis.Range("amount", 0.75, 0.05);
        axis.Points.Should().HaveCount(31);
        axis.Points[0].Should().Be(-0.75);
        axis.Points[^1].Should().Be(0.75);
        axis.Points.Should().Contain(0);
    }

    [ReferenceDataFact]
    public void LoadGermanCreditCausalModel_SharedData_FitsAllRowsConsistently()
    {
        var model = new MLContext(1).Recourse().MultiAgent.LoadGermanCreditCausalModel();
        model.CausalModel.Variables.Select(v => v.Name).Should().Equal(GermanCreditCausalModel.FeatureNames);
        model.AmountEquation.Weights.Should().OnlyContain(w => double.IsFinite(w));
        // Longer credits go with larger amounts in German credit (correlation about 0.62, so γ ≈ 0.62 in z units).
        model.DurationEquation.Weights[0].Should().BeInRange(0.5, 0.75);
        model.DurationEquation.Intercept.Should().BeApproximately(0, 1e-9); // both z-scored on the same rows
    }
}
