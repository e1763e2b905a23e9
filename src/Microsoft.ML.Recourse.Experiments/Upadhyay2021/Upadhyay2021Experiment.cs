using Microsoft.ML.Recourse.ModelUpdates;
using Microsoft.ML;
using Microsoft.ML.Recourse.Actions;
using Microsoft.ML.Recourse.Datasets;
using Microsoft.ML.Recourse.Evaluation;

namespace Microsoft.ML.Recourse.Experiments;

/// <summary>
/// Re-runs the model-update experiments of Upadhyay, Joshi &amp; Lakkaraju (NeurIPS 2021): the three shifts (German
/// data correction, SBA temporal, student geospatial) with a logistic base model, five folds, recourse by gradient
/// descent (Wachter), the linear integer program, one step, ROAR (<see cref="RobustGenerator"/>) and the robust
/// integer program; a sweep of the robustness radius; PAC certificates of validity after retraining; and retraining
/// shifts (fresh sample, new seed) of the four seed data sets.
/// </summary>
internal static class Upadhyay2021Experiment
{
    public sealed class Options
    {
        public string? DataDirectory { get; init; }

        public int Seed { get; init; } = 1;

        /// <summary>δ_max of the robust methods in the main table (the reference's real-data setting).</summary>
        public double RobustnessRadius { get; init; } = 0.1;

        public IReadOnlyList<double> SweepRadii { get; init; } = [0, 0.05, 0.1, 0.2, 0.3, 0.5];

        public double CertificateEpsilon { get; init; } = 0.1;

        public double CertificateDelta { get; init; } = 0.05;

        public int CertificateRetrains { get; init; } = 200;

        public IReadOnlyList<string> RetrainingDatasets { get; init; } = ["german", "compas", "bail", "adult"];
    }

    /// <summary>The target probability of the reference's counterfactual baseline (<c>counterfactual_recourse</c>: loop while f &lt; 0.51).</summary>
    public const double GradientTargetProbability = 0.51;

    public sealed record ShiftReport(string Name, string Description, int BeforeRows, int AfterRows, int Features, ModelUpdateResult Result);

    public sealed record SweepPoint(string Shift, string Method, double Radius, double M1Validity, double M2Validity, double M2ValiditySd, double Cost);

    public sealed record Result(Options Options, IReadOnlyList<ShiftReport> Shifts, IReadOnlyList<SweepPoint> Sweep,
        IReadOnlyList<InvalidationCertificate> Certificates, IReadOnlyList<ShiftReport> Retraining);

    public static Result Run(Options options, Action<string>? log = null)
    {
        var context = new MLContext(options.Seed).Recourse();
        // The reference fits M1 and M2 with scikit-learn's LogisticRegression(), i.e. to the exact optimum: so does the
        // simulation of the three shifts. The retraining shifts simulate a stochastic recipe (Adam, 100 epochs), where
        // another seed is another model.
        var simulation = context.ModelUpdateSimulation(new ModelUpdateSimulation.Options { Seed = options.Seed });
        var retrainSimulation = context.ModelUpdateSimulation(new ModelUpdateSimulation.Options { Seed = options.Seed, ExactLogisticRegression = false });
        var progress = log is null ? null : new Progress(log);
        var generators = context.Generators;
        IRecourseGenerator[] Methods() =>
        [
            // The reference's Wachter-style baseline pulls g towards 0.51 and stops once it gets there.
            generators.GradientDescent(new GradientDescentGenerator.Options { TargetProbability = GradientTargetProbability }),
            generators.LinearIntegerProgram(),
            generators.OneStep(),
            generators.Robust(new RobustGenerator.Options { RobustnessRadius = options.RobustnessRadius, NumberOfThreads = 1 }),
            generators.RobustIntegerProgram(options.RobustnessRadius),
        ];

        var shifts = new List<ShiftReport>();
        var sweep = new List<SweepPoint>();
        var certificates = new List<InvalidationCertificate>();
        foreach (string name in DatasetsCatalog.ShiftNames)
        {
            var shift = context.Datasets.LoadShift(name, dataDirectory: options.DataDirectory);
            var actionSet = ObservedRangeActionSet(shift);
            shifts.Add(new ShiftReport(shift.Name, shift.Description, shift.BeforeRowCount, shift.AfterRowCount, shift.FeatureCount,
                simulation.Run(shift, Methods(), actionSet, progress)));
            foreach (double radius in options.SweepRadii)
            {
                var sweepMethods = new List<IRecourseGenerator> { generators.Robust(new RobustGenerator.Options { RobustnessRadius = radius, NumberOfThreads = 1 }) };
                if (radius > 0) sweepMethods.Add(generators.RobustIntegerProgram(radius));
                var run = simulation.Run(shift, sweepMethods, actionSet, progress);
                sweep.AddRange(run.Methods.Select(m => new SweepPoint(shift.Name, m.Method, radius, m.M1Validity, m.M2Validity, m.M2ValiditySd, m.Cost)));
            }
            certificates.Add(simulation.CertifyInvalidation(shift, fold: 0, generators.Robust(new RobustGenerator.Options { NumberOfThreads = 1 }),
                options.SweepRadii, options.CertificateEpsilon, options.CertificateDelta, options.CertificateRetrains, actionSet));
            log?.Invoke(Describe(certificates[^1]));
        }

        var retraining = new List<ShiftReport>();
        foreach (string name in options.RetrainingDatasets)
        {
            var dataset = context.Datasets.Load(name, 0, options.DataDirectory);
            foreach (var kind in new[] { RetrainingShiftKind.FreshSample, RetrainingShiftKind.Seed })
            {
                var shift = context.Datasets.RetrainingShift(dataset, kind);
                retraining.Add(new ShiftReport(shift.Name, shift.Description, shift.BeforeRowCount, shift.AfterRowCount, shift.FeatureCount,
                    retrainSimulation.Run(shift, Methods(), shift.CreateActionSet(), progress)));
            }
        }
        return new Result(options, shifts, sweep, certificates, retraining);
    }

    /// <summary>
    /// The action set of the three shifts: the reference's actionability (all free except German's personal status
    /// and sex), each mutable feature bounded to the range of its values before the shift, so that every method,
    /// the integer programs included, searches the same finite Δ.
    /// </summary>
    public static ActionSet ObservedRangeActionSet(ShiftDataset shift)
    {
        var fold = shift.GetFold(0);
        var rows = fold.GetFeatureMatrix(ShiftPart.BeforeTrain).Concat(fold.GetFeatureMatrix(ShiftPart.BeforeTest)).ToArray();
        int d = shift.FeatureCount, n = rows.Length / d;
        var builder = shift.CreateActionSet().ToBuilder();
        for (int j = 0; j < d; j++)
        {
            var feature = shift.Features[j];
            if (feature.Actionability == FeatureActionability.Immutable) continue;
            double lo = double.PositiveInfinity, hi = double.NegativeInfinity;
            for (int i = 0; i < n; i++)
            {
                lo = Math.Min(lo, rows[i * d + j]);
                hi = Math.Max(hi, rows[i * d + j]);
            }
            builder.SetBounds(feature.Name, feature.ToOriginal(lo), feature.ToOriginal(hi));
        }
        return builder.Build();
    }

    public static string Describe(InvalidationCertificate c) => FormattableString.Invariant(
        $"{c.Shift} fold {c.Fold}: {c.Retrains} retrains, ≤ {c.AllowedMisses} misses allowed for ε = {c.Epsilon}, δ = {c.Delta}: ") +
        (c.CertifiedRadius is double r
            ? FormattableString.Invariant($"smallest certified δ_max = {r}")
            : "no radius certified") +
        " (" + string.Join("; ", c.Radii.Select(x => FormattableString.Invariant($"δ_max {x.RobustnessRadius}: {x.Misses} misses{(x.IsCertified ? " ✓" : " ✗")}"))) + ")";

    private sealed class Progress(Action<string> log) : IProgress<string>
    {
        public void Report(string value) => log(value);
    }
}
