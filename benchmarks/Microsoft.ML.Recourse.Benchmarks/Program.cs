using BenchmarkDotNet.Running;
using Microsoft.ML.Recourse.Benchmarks.Recourse;

namespace Microsoft.ML.Recourse.Benchmarks;

/// <summary>
/// Runs the benchmarks: <c>dotnet run -c Release --project benchmarks/Microsoft.ML.Recourse.Benchmarks -- --filter *</c>;
/// with <c>onestep-vs-pytorch</c> as the first argument, the one-step throughput comparison with PyTorch
/// (<see cref="OneStepThroughputComparison"/>).
/// </summary>
public static class Program
{
    public static int Main(string[] args)
    {
        if (args is [OneStepThroughputComparison.CommandName, .. var rest])
            return OneStepThroughputComparison.Run(rest);
        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
        return 0;
    }
}
