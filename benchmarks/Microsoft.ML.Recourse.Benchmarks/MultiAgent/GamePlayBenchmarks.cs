using Microsoft.ML;
using BenchmarkDotNet.Attributes;
using Microsoft.ML.Recourse.MultiAgent;

namespace Microsoft.ML.Recourse.Benchmarks.MultiAgent;

/// <summary>
/// Classifies 1,000,000 plays of a 2×2 game under the four recourse problems (target: under 1 s).
/// <c>dotnet run -c Release --project benchmarks/Microsoft.ML.Recourse.Benchmarks -- --filter *GamePlayBenchmarks*</c>
/// </summary>
[MemoryDiagnoser]
public class GamePlayBenchmarks
{
    private RecourseCatalog _context = null!;
    private GamePlayLog _plays = null!;

    [Params(1_000_000)]
    public int Plays { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _context = new MLContext(seed: 1).Recourse();
        int cooperating = Plays * 132 / 1000; // the one-shot cooperation rate of the Dal Bó log (434 / 3294)
        _plays = _context.MultiAgent.SynthesizePlays([NormalFormGame.DalBoPD1], [cooperating, Plays - cooperating]);
    }

    [Benchmark]
    public int AnalyzePlays() => _context.MultiAgent.AnalyzePlays(_plays).Problems[0].Recommendations;
}
