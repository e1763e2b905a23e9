using Microsoft.ML;
using BenchmarkDotNet.Attributes;
using Microsoft.ML.Data;
using Microsoft.ML.Recourse.Models;

namespace Microsoft.ML.Recourse.Benchmarks.Recourse;

/// <summary>
/// One-step recourse with the recourse-aware adult MLP (λ = 0.8, trained once in the setup) on the 26,048 training rows,
/// on one and two threads, with double and float32 kernels (<see cref="OneStepGenerator.Options.Precision"/>): batched g and ∇ₓg, the closed-form δ*, and the Δ gate with g(x + δ*) for every row. Reported
/// per row (OperationsPerInvoke = rows): rows/s = 10⁹ / Mean[ns]. Target: ≥ 1.5× PyTorch float32 batched at the same
/// thread count, which <see cref="OneStepThroughputComparison"/> measures in one run (BenchmarkDotNet cannot run Python).
/// </summary>
[MemoryDiagnoser]
public class OneStepBenchmarks
{
    private const int Rows = 26_048;

    private ScorerModelParameters _model = null!;
    private double _threshold;
    private Actions.ActionSet _actions = null!;
    private double[] _rows = null!;
    private OneStepGenerator _generator = null!;

    [Params(1, 2)]
    public int Threads { get; set; }

    [Params(KernelPrecision.Double, KernelPrecision.Single)]
    public KernelPrecision Precision { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var adult = AdultWorkload.Load();
        var fitted = adult.TrainReferenceModel();
        // The generator needs 0 < θ₀ < 1; a grid end (0 or 1) is moved inside.
        (_model, _threshold, _actions) = (fitted.Model, Math.Clamp(fitted.Threshold, 0.05, 0.95), adult.Actions);
        _rows = adult.Train.GetColumn<float[]>(DefaultColumnNames.Features).Take(Rows).SelectMany(r => r.Select(v => (double)v)).ToArray();
        _generator = new MLContext(0).Recourse().Generators.OneStep(new OneStepGenerator.Options { NumberOfThreads = Threads, Precision = Precision });
        Console.WriteLine(FormattableString.Invariant($"// θ₀ = {fitted.Threshold}; {_rows.Length / _model.FeatureCount} rows"));
    }

    [Benchmark(OperationsPerInvoke = Rows, Description = "One-step recourse, adult MLP 9-100-100-1, per row")]
    public IReadOnlyList<RecourseResult> OneStep() => _generator.Generate(_model, _threshold, _actions, _rows);
}
