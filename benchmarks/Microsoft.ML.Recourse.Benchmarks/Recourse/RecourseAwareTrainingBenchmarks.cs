using BenchmarkDotNet.Attributes;
using Microsoft.ML.Recourse.Models;
using Microsoft.ML.Recourse.Trainers;

namespace Microsoft.ML.Recourse.Benchmarks.Recourse;

/// <summary>
/// Recourse-aware training with the reference settings on adult: 2 × 100 ReLU MLP, dropout 0.3, 15 epochs, batches of
/// 10, Adam 0.002, balanced class weights, λ = 0.8, δ* recomputed every step, validation loss every epoch and the F1
/// threshold at the end. Target: ≤ 7.6 s on one core (run with <c>--affinity 1</c>; training is single-threaded).
/// </summary>
[MemoryDiagnoser]
public class RecourseAwareTrainingBenchmarks
{
    private AdultWorkload _adult = null!;

    [GlobalSetup]
    public void Setup() => _adult = AdultWorkload.Load();

    [Benchmark(Description = "Recourse-aware MLP on adult, λ = 0.8, 15 epochs, batch 10")]
    public RecourseAwarePredictionTransformer<MultilayerPerceptronModelParameters> TrainAdult() => _adult.TrainReferenceModel();
}
