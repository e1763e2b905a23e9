using Microsoft.ML;
using Microsoft.ML.Recourse.Datasets;
using Microsoft.ML.Recourse.Persuasion;

namespace Microsoft.ML.Recourse.Experiments;

/// <summary>
/// The semi-synthetic HELOC experiment behind Harris et al. (NeurIPS 2022), poster Fig. 2 and Fig. 3, following the
/// project's protocol (persuasion spec §8.1): an L2 logistic rule on z-scored HELOC, rejected applicants as subjects,
/// three actions (do nothing, a desirable action, a gaming action), a Gaussian prior N(θ_LR, σ² I), and a grid of
/// desirable-action costs and effects.
/// </summary>
internal static class Harris2022Experiment
{
    /// <summary>Which coordinates of θ the subject is uncertain about.</summary>
    internal enum PriorSupport
    {
        /// <summary>Every weight and the intercept: θ ~ N(θ_LR, σ² I) in d + 1 dimensions (spec §1.2).</summary>
        AllCoefficients,

        /// <summary>
        /// Only the weights of the features the actions move and the intercept; the subject knows the other weights.
        /// Equivalent to a rule that uses those two features, with the rest of the subject's score folded into the intercept.
        /// </summary>
        ActionFeatures,
    }

    /// <summary>LP round-off allowed when checking that persuasion is never worse than a baseline.</summary>
    public const double DominanceTolerance = 1e-7;

    /// <summary>The protocol's settings; defaults follow spec §8.1 ([P] values where the paper's are unknown).</summary>
    internal sealed class Options
    {
        public string? DataDirectory { get; init; }

        public int Seed { get; init; } = 2022;

        public int NumberOfSubjects { get; init; } = 100;

        public int NumberOfSeeds { get; init; } = 5;

        public int NumberOfSamples { get; init; } = 10_000;

        /// <summary>The σ² values of Fig. 3; the poster's are unreadable, so the spec's fallback {0.1, 0.4, 1.0}.</summary>
        public IReadOnlyList<double> PriorVariances { get; init; } = [0.1, 0.4, 1.0];

        /// <summary>The σ² of Fig. 2 (0.4 on the poster); must be one of <see cref="PriorVariances"/>.</summary>
        public double GridVariance { get; init; } = 0.4;

        public IReadOnlyList<double> DesirableCosts { get; init; } = [0.1, 0.3, 0.5];

        /// <summary>The desirable action's effect δ in standardised units.</summary>
        public IReadOnlyList<double> DesirableEffects { get; init; } = [0.25, 0.5, 1.0];

        public double GamingCost { get; init; } = 0.05;

        /// <summary>The gaming action's effect in standardised units (not given by the spec; a project choice).</summary>
        public double GamingEffect { get; init; } = 0.5;

        /// <summary>Debt paydown: the desirable action.</summary>
        public string DesirableFeature { get; init; } = "NetFractionRevolvingBurden";

        /// <summary>Opening more satisfactory trades: the gaming action.</summary>
        public string GamingFeature { get; init; } = "NumSatisfactoryTrades";

        public double L2Regularization { get; init; } = 1.0;

        /// <summary>Which coordinates of θ carry the prior variance σ² (all by default, as spec §1.2).</summary>
        public PriorSupport PriorOn { get; init; } = PriorSupport.AllCoefficients;

        public void Check()
        {
            Contracts.CheckPositive(NumberOfSubjects, nameof(NumberOfSubjects));
            Contracts.CheckPositive(NumberOfSeeds, nameof(NumberOfSeeds));
            Contracts.CheckPositive(NumberOfSamples, nameof(NumberOfSamples));
            Contracts.CheckParam(PriorVariances.Count > 0 && PriorVariances.All(v => double.IsFinite(v) && v > 0), nameof(PriorVariances), "Every σ² must be > 0.");
            Contracts.CheckParam(PriorVariances.Contains(GridVariance), nameof(GridVariance),
                FormattableString.Invariant($"The grid variance {GridVariance} must be one of the prior variances ({string.Join(", ", PriorVariances)})."));
            Contracts.CheckParam(DesirableCosts.Count > 0 && DesirableCosts.All(c => double.IsFinite(c) && c >= 0), nameof(DesirableCosts), "Costs must be ≥ 0.");
            Contracts.CheckParam(DesirableEffects.Count > 0 && DesirableEffects.All(double.IsFinite), nameof(DesirableEffects), "Effects must be finite.");
            Contracts.CheckNonNegative(GamingCost, nameof(GamingCost));
            Contracts.CheckParam(DesirableFeature != GamingFeature, nameof(GamingFeature), "The desirable and gaming actions must move different features.");
            Contracts.CheckParam(Enum.IsDefined(PriorOn), nameof(PriorOn), $"Unknown prior support {PriorOn}.");
        }
    }

    /// <summary>Mean and standard error over subjects (each subject averaged over seeds first).</summary>
    internal sealed record Estimate(double Mean, double StandardError);

    internal sealed record MethodResult(Estimate DecisionMakerUtility, Estimate SubjectUtility);

    internal sealed record ConfigurationResult(
        double PriorVariance, double DesirableCost, double DesirableEffect,
        MethodResult Persuasion, MethodResult FullDisclosure, MethodResult NoDisclosure,
        double MeanRegions, int MaximumRegions, double MinimumDecisionMakerAdvantage, double MinimumSubjectAdvantage, int Instances);

    internal sealed record VarianceResult(double PriorVariance, double Persuasion, double FullDisclosure, double NoDisclosure)
    {
        public double Gap => Persuasion - Math.Max(FullDisclosure, NoDisclosure);
    }

    internal sealed record DataSummary(
        string Path, int Rows, int Features, int GoodRows, double TrainingAccuracy, int NewtonIterations,
        int RejectedRows, double DesirableWeight, double GamingWeight, double Intercept, double DesirableScale, double GamingScale,
        double MedianSubjectMargin, double MedianUncertainNorm);

    internal sealed record Result(Options Options, DataSummary Data, IReadOnlyList<ConfigurationResult> Configurations, IReadOnlyList<VarianceResult> Variances)
    {
        /// <summary>The smallest Persuasion − max(Full, None) for the decision maker over every instance.</summary>
        public double MinimumDecisionMakerAdvantage => Configurations.Min(c => c.MinimumDecisionMakerAdvantage);

        /// <summary>Whether persuasion ≥ max(full, none) in every instance, up to LP round-off (<see cref="DominanceTolerance"/>).</summary>
        public bool PersuasionDominatesEverywhere => MinimumDecisionMakerAdvantage >= -DominanceTolerance;

        /// <summary>The smallest subject utility under persuasion minus under no disclosure over every instance.</summary>
        public double MinimumSubjectAdvantage => Configurations.Min(c => c.MinimumSubjectAdvantage);
    }

    private readonly record struct Instance(int Configuration, int Subject, int SeedIndex, int Seed);

    private readonly record struct Outcome(double PersuasionDm, double PersuasionDs, double FullDm, double FullDs, double NoneDm, double NoneDs, int Regions);

    public static Result Run(Options options, Action<string>? log = null)
    {
        Contracts.CheckValue(options, nameof(options));
        options.Check();
        string path = DataDirectory.Locate(HelocData.RelativePath, options.DataDirectory, HelocData.HowToObtain);
        var data = HelocData.Load(path);
        int d = data.FeatureCount;
        int desirable = FeatureIndex(data, options.DesirableFeature, nameof(Options.DesirableFeature));
        int gaming = FeatureIndex(data, options.GamingFeature, nameof(Options.GamingFeature));
        var (weights, bias, iterations) = L2LogisticRegression.Fit(data.Features, data.RowCount, d, data.Labels, options.L2Regularization);

        var scores = new double[data.RowCount];
        int correct = 0;
        for (int i = 0; i < data.RowCount; i++)
        {
            double z = bias;
            for (int j = 0; j < d; j++) z += weights[j] * data.Features[i * d + j];
            scores[i] = z;
            if ((z >= 0 ? 1 : 0) == data.Labels[i]) correct++;
        }
        var rejected = Enumerable.Range(0, data.RowCount).Where(i => scores[i] < 0).ToArray();
        Contracts.Check(rejected.Length >= options.NumberOfSubjects, FormattableString.Invariant(
            $"Only {rejected.Length} applicants are rejected by the fitted rule; {options.NumberOfSubjects} subjects were requested."));
        // One seed stream for the subject draw and every instance, so each instance is reproducible on its own.
        var seeds = new Random(options.Seed);
        var shuffle = new Random(seeds.Next());
        var subjects = rejected.OrderBy(_ => shuffle.Next()).Take(options.NumberOfSubjects).Order().ToArray();
        // The coordinates under the prior (weights by feature index, then the intercept) and, per subject, the rule's
        // score of x₀ and the norm of x̃₀ over those coordinates: the prior s.d. of the subject's score is σ·‖x̃₀‖.
        int[] uncertain = options.PriorOn == PriorSupport.AllCoefficients ? Enumerable.Range(0, d).ToArray() : new[] { desirable, gaming }.Order().ToArray();
        double Norm(int row) => Math.Sqrt(1 + uncertain.Sum(j => data.Features[row * d + j] * data.Features[row * d + j]));
        var summary = new DataSummary(path, data.RowCount, d, (int)data.Labels.Sum(), (double)correct / data.RowCount, iterations,
            rejected.Length, weights[desirable], weights[gaming], bias, data.Scales[desirable], data.Scales[gaming],
            Median(subjects.Select(r => scores[r])), Median(subjects.Select(Norm)));
        log?.Invoke(FormattableString.Invariant(
            $"HELOC: {data.RowCount} rows, {d} features; logistic rule accuracy {summary.TrainingAccuracy:0.000}; {rejected.Length} rejected, {subjects.Length} chosen as subjects."));

        var configurations = (from variance in options.PriorVariances
                              from cost in options.DesirableCosts
                              from effect in options.DesirableEffects
                              select (Variance: variance, Cost: cost, Effect: effect)).ToArray();
        var instances = new List<Instance>();
        for (int c = 0; c < configurations.Length; c++)
            for (int s = 0; s < subjects.Length; s++)
                for (int r = 0; r < options.NumberOfSeeds; r++)
                    instances.Add(new Instance(c, s, r, seeds.Next()));

        double[] mean = [.. weights, bias];
        var outcomes = new Outcome[instances.Count];
        Parallel.For(0, instances.Count, i =>
        {
            var instance = instances[i];
            var (variance, cost, effect) = configurations[instance.Configuration];
            var x0 = data.Features.AsSpan(subjects[instance.Subject] * d, d).ToArray();
            var actions = Actions(d, desirable, gaming, weights, cost, effect, options);
            var ctx = new MLContext(instance.Seed).Recourse();
            var (w, b, x, a) = Restrict(weights, bias, x0, actions, uncertain);
            // The prior draws are seeded with the first number of the instance's own stream, as in every committed run.
            var problem = ctx.Persuasion.CreateProblem(w, b, x, a, variance, options.NumberOfSamples, seed: new Random(instance.Seed).Next());
            var result = ctx.Persuasion.Solve(problem);
            outcomes[i] = new Outcome(result.Persuasion.DecisionMakerUtility, result.Persuasion.SubjectUtility,
                result.FullDisclosure.DecisionMakerUtility, result.FullDisclosure.SubjectUtility,
                result.NoDisclosure.DecisionMakerUtility, result.NoDisclosure.SubjectUtility, result.RegionCount);
        });

        var results = new List<ConfigurationResult>();
        for (int c = 0; c < configurations.Length; c++)
        {
            var mine = Enumerable.Range(0, instances.Count).Where(i => instances[i].Configuration == c).Select(i => (instances[i].Subject, outcomes[i])).ToArray();
            MethodResult Method(Func<Outcome, double> dm, Func<Outcome, double> ds) => new(Summarise(mine, dm), Summarise(mine, ds));
            results.Add(new ConfigurationResult(configurations[c].Variance, configurations[c].Cost, configurations[c].Effect,
                Method(o => o.PersuasionDm, o => o.PersuasionDs), Method(o => o.FullDm, o => o.FullDs), Method(o => o.NoneDm, o => o.NoneDs),
                mine.Average(m => (double)m.Item2.Regions), mine.Max(m => m.Item2.Regions),
                mine.Min(m => m.Item2.PersuasionDm - Math.Max(m.Item2.FullDm, m.Item2.NoneDm)),
                mine.Min(m => m.Item2.PersuasionDs - m.Item2.NoneDs), mine.Length));
        }
        var variances = options.PriorVariances.Select(v =>
        {
            var group = results.Where(r => r.PriorVariance == v).ToArray();
            return new VarianceResult(v, group.Average(r => r.Persuasion.DecisionMakerUtility.Mean),
                group.Average(r => r.FullDisclosure.DecisionMakerUtility.Mean), group.Average(r => r.NoDisclosure.DecisionMakerUtility.Mean));
        }).ToArray();
        return new Result(options, summary, results, variances);
    }

    /// <summary>Nothing; the desirable action (cost c, effect δ); the gaming action. Each moves its feature the way the rule rewards.</summary>
    internal static PersuasionAction[] Actions(int d, int desirable, int gaming, double[] weights, double cost, double effect, Options options)
    {
        var up = new double[d];
        up[desirable] = effect * Math.Sign(weights[desirable]);
        var game = new double[d];
        game[gaming] = options.GamingEffect * Math.Sign(weights[gaming]);
        return
        [
            new PersuasionAction("nothing", 0, 0, new double[d]),
            new PersuasionAction("desirable", cost, 1, up),
            new PersuasionAction("gaming", options.GamingCost, 0, game),
        ];
    }

    /// <summary>
    /// The problem over the uncertain coordinates only: the known weights' part of the subject's score, Σ_{j ∉ S} wⱼx₀ⱼ,
    /// moves into the intercept (no action changes those features, so it is the same for every action).
    /// </summary>
    internal static (double[] Weights, double Bias, double[] Subject, PersuasionAction[] Actions) Restrict(
        double[] weights, double bias, double[] x0, PersuasionAction[] actions, int[] uncertain)
    {
        if (uncertain.Length == weights.Length) return (weights, bias, x0, actions);
        double known = 0;
        for (int j = 0; j < weights.Length; j++)
            if (Array.IndexOf(uncertain, j) < 0)
            {
                Contracts.Check(actions.All(a => a.Effect[j] == 0), $"An action moves feature {j}, which the prior treats as known.");
                known += weights[j] * x0[j];
            }
        return (uncertain.Select(j => weights[j]).ToArray(), bias + known, uncertain.Select(j => x0[j]).ToArray(),
            actions.Select(a => new PersuasionAction(a.Name, a.Cost, a.DecisionMakerUtility, uncertain.Select(j => a.Effect[j]).ToArray())).ToArray());
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        int n = sorted.Length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    private static int FeatureIndex(HelocData data, string name, string option)
    {
        int index = data.FeatureNames.ToList().IndexOf(name);
        Contracts.CheckParam(index >= 0, option, $"HELOC has no feature '{name}'. Features: {string.Join(", ", data.FeatureNames)}.");
        return index;
    }

    private static Estimate Summarise((int Subject, Outcome Outcome)[] instances, Func<Outcome, double> value)
    {
        var perSubject = instances.GroupBy(i => i.Subject).Select(g => g.Average(i => value(i.Outcome))).ToArray();
        double mean = perSubject.Average();
        double error = perSubject.Length > 1
            ? Math.Sqrt(perSubject.Sum(v => (v - mean) * (v - mean)) / (perSubject.Length - 1) / perSubject.Length)
            : 0;
        return new Estimate(mean, error);
    }
}
