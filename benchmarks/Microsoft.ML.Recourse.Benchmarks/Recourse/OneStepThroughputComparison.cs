using System.Diagnostics;
using System.Globalization;
using System.Numerics;
using System.Text.Json.Nodes;
using Microsoft.ML.Data;
using Microsoft.ML.Recourse.Actions;
using Microsoft.ML.Recourse.Models;

namespace Microsoft.ML.Recourse.Benchmarks.Recourse;

/// <summary>
/// One-step recourse throughput against PyTorch in the same run:
/// <c>dotnet run -c Release --project benchmarks/Microsoft.ML.Recourse.Benchmarks -- onestep-vs-pytorch [--repetitions 7] [--warm-up-seconds 2] [--python PATH]</c>.
/// Trains the reference recourse-aware adult MLP (9 → 100 → 100 → 1 ReLU, λ = 0.8, as <see cref="OneStepBenchmarks"/>),
/// times <see cref="OneStepGenerator"/> on the 26,048 training rows at 1 and 2 threads with <see cref="KernelPrecision.Double"/>
/// and <see cref="KernelPrecision.Single"/> (and counts the rows where the two differ), exports the network, rows
/// and box action set to a temporary directory, runs <c>benchmarks/pytorch/onestep_reference.py</c> on them (float32,
/// batched, 1 and 2 threads; with the system's libblas.so.3 and, when installed, OpenBLAS; every batch size it tries
/// is printed and PyTorch's fastest configuration at each thread count is the reference) and prints rows/s by
/// wall-clock time and rows per CPU-second of the process, the ratios ours / PyTorch at the same thread count, and the
/// largest difference between the two δ*. Each figure is the median of the repetitions after a warm-up of one pass and
/// at least <c>--warm-up-seconds</c> (2 by default) per configuration, on both sides; every repetition's time is printed. Skips with a message when the adult file is
/// missing, and skips PyTorch when no Python with torch is found. <c>--export DIR</c> keeps the exported files there,
/// to run the script by hand.
/// </summary>
internal static class OneStepThroughputComparison
{
    public const string CommandName = "onestep-vs-pytorch";

    private const int Rows = 26_048;

    public static int Run(string[] args)
    {
        int repetitions = 7;
        double warmUpSeconds = 2;
        string? python = null;
        string openBlas = "/usr/lib/x86_64-linux-gnu/openblas-pthread";
        string? exportDirectory = null;
        for (int i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--repetitions" when i + 1 < args.Length: repetitions = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--warm-up-seconds" when i + 1 < args.Length: warmUpSeconds = double.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--python" when i + 1 < args.Length: python = args[++i]; break;
                case "--openblas" when i + 1 < args.Length: openBlas = args[++i]; break;
                case "--export" when i + 1 < args.Length: exportDirectory = args[++i]; break;
                default:
                    Console.Error.WriteLine($"usage: {CommandName} [--repetitions N] [--warm-up-seconds S] [--python PATH] [--openblas DIR] [--export DIR]");
                    return 2;
            }
        }
        Console.WriteLine(I($"load average at start: {LoadAverage()}; {Environment.ProcessorCount} processors; .NET {Environment.Version}; Vector<double>: {Vector<double>.Count} lanes"));
        var adult = AdultWorkload.Load();
        if (adult.IsSynthetic)
        {
            Console.WriteLine("skipped: the adult data file was not found (see docs/datasets.md); the comparison needs the real rows.");
            return 0;
        }
        var fitted = adult.TrainReferenceModel();
        var model = fitted.Model;
        // The generator needs 0 < θ₀ < 1; a grid end (0 or 1) is moved inside, as in OneStepBenchmarks.
        double threshold = Math.Clamp(fitted.Threshold, 0.05, 0.95);
        var rows = adult.Train.GetColumn<float[]>(DefaultColumnNames.Features).Take(Rows).SelectMany(r => r.Select(v => (double)v)).ToArray();
        int count = rows.Length / model.FeatureCount;
        Console.WriteLine(I($"model 9-{string.Join("-", model.HiddenLayerSizes)}-1 {model.Activation}, θ₀ = {threshold}, {count} rows, {repetitions} repetitions"));

        var table = new List<(string Name, int Threads, double RowsPerSecond, double RowsPerCpuSecond)>();
        IReadOnlyList<RecourseResult>? ours = null, oursSingle = null;
        foreach (var precision in new[] { KernelPrecision.Double, KernelPrecision.Single })
        {
            foreach (int threads in new[] { 1, 2 })
            {
                var generator = new MLContext(0).Recourse().Generators.OneStep(new OneStepGenerator.Options { NumberOfThreads = threads, Precision = precision });
                var (rate, cpuRate, results) = Time(() => generator.Generate(model, threshold, adult.Actions, rows), count, repetitions, warmUpSeconds);
                if (precision == KernelPrecision.Double) ours ??= results;
                else oursSingle ??= results;
                table.Add((I($"ours, OneStepGenerator ({(precision == KernelPrecision.Double ? "double" : "Precision = Single, float32")})"), threads, rate, cpuRate));
            }
        }

        string? interpreter = FindPython(python is null ? ["python3", "/usr/bin/python3"] : [python]);
        var notes = new List<string>();
        double[]? pytorchDeltas = null;
        if (interpreter is null)
            notes.Add(python is null
                ? "skipped PyTorch: neither python3 nor /usr/bin/python3 can import torch (pass --python PATH)"
                : $"skipped PyTorch: {python} cannot import torch");
        else if (!adult.Actions.IsSeparable || adult.Actions.Actions.Any(a => a.HasGrid))
            notes.Add("skipped PyTorch: the reference script handles box action sets without grids only");
        else
        {
            string directory = exportDirectory is null ? Directory.CreateTempSubdirectory("onestep-vs-pytorch-").FullName : Directory.CreateDirectory(exportDirectory).FullName;
            try
            {
                Export(directory, model, threshold, adult.Actions, rows);
                // Debian's python3-torch calls whichever libblas.so.3 the loader finds: the system's, and OpenBLAS when installed.
                var libraries = new List<(string Name, string? Directory)> { ("system libblas", null) };
                if (File.Exists(Path.Combine(openBlas, "libblas.so.3"))) libraries.Add(("OpenBLAS", openBlas));
                else notes.Add($"PyTorch ran with the system BLAS only: {openBlas} has no libblas.so.3 (apt-get install libopenblas0-pthread; --openblas DIR)");
                foreach (var (blasName, blasDirectory) in libraries)
                {
                    foreach (int threads in new[] { 1, 2 })
                    {
                        var output = RunPython(interpreter, directory, repetitions, warmUpSeconds, threads, blasDirectory);
                        notes.Add(I($"PyTorch {output["torch"]} ({interpreter}), {threads} thread(s), {blasName}: {output["blas"]}"));
                        var timings = output["timings"]!.AsArray().Select(t => (Batch: t!["batchSize"]!.GetValue<int>(), Rate: t["rowsPerSecond"]!.GetValue<double>(),
                            CpuRate: t["rowsPerCpuSecond"]!.GetValue<double>())).ToArray();
                        notes.Add("  rows/s (rows per CPU-second) by batch size: " + string.Join(", ", timings.Select(t => I($"{t.Batch}: {t.Rate:N0} ({t.CpuRate:N0})"))));
                        var fastest = timings.MaxBy(t => t.Rate);
                        table.Add((I($"PyTorch float32, {blasName}, batch {fastest.Batch}"), threads, fastest.Rate, fastest.CpuRate));
                    }
                }
                pytorchDeltas = ReadFloats(Path.Combine(directory, "pytorch-deltas.f32"));
            }
            finally
            {
                if (exportDirectory is null) Directory.Delete(directory, recursive: true);
            }
        }

        Console.WriteLine();
        Console.WriteLine("| implementation | threads | rows/s | ours / PyTorch | rows per CPU-second | ours / PyTorch (CPU) |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|");
        foreach (var (name, threads, rate, cpuRate) in table)
        {
            // The reference is PyTorch's fastest configuration at the same thread count.
            var pytorch = table.Where(t => t.Threads == threads && t.Name.StartsWith("PyTorch", StringComparison.Ordinal)).ToArray();
            bool isOurs = name.StartsWith("ours", StringComparison.Ordinal) && pytorch.Length > 0;
            string ratio = isOurs ? I($"{rate / pytorch.Max(t => t.RowsPerSecond):0.00}×") : "";
            string cpuRatio = isOurs ? I($"{cpuRate / pytorch.Max(t => t.RowsPerCpuSecond):0.00}×") : "";
            Console.WriteLine(I($"| {name} | {threads} | {rate:N0} | {ratio} | {cpuRate:N0} | {cpuRatio} |"));
        }
        Console.WriteLine();
        foreach (string note in notes) Console.WriteLine(note);
        Console.WriteLine(CompareSingle(ours!, oursSingle!, threshold));
        if (pytorchDeltas is not null)
        {
            Console.WriteLine(CompareDeltas("δ* ours (double) vs PyTorch (float32)", ours!, pytorchDeltas, model.FeatureCount));
            Console.WriteLine(CompareDeltas("δ* ours (Single) vs PyTorch (float32)", oursSingle!, pytorchDeltas, model.FeatureCount));
        }
        Console.WriteLine(I($"load average at end: {LoadAverage()}"));
        return 0;
    }

    // Medians of wall-clock and process CPU time; CPU time is less disturbed when other jobs share the cores.
    private static (double RowsPerSecond, double RowsPerCpuSecond, IReadOnlyList<RecourseResult> Results) Time(Func<IReadOnlyList<RecourseResult>> run, int rows,
        int repetitions, double warmUpSeconds)
    {
        // .NET first runs the kernels unoptimised and swaps in optimised code in the background, which takes several
        // passes: one pass, then more until warmUpSeconds have passed (the PyTorch script warms up as long).
        var warmUp = Stopwatch.StartNew();
        var results = run();
        while (warmUp.Elapsed.TotalSeconds < warmUpSeconds) run();
        var seconds = new double[repetitions];
        var cpuSeconds = new double[repetitions];
        using var process = Process.GetCurrentProcess();
        for (int i = 0; i < repetitions; i++)
        {
            process.Refresh();
            var cpuStart = process.TotalProcessorTime;
            var watch = Stopwatch.StartNew();
            run();
            seconds[i] = watch.Elapsed.TotalSeconds;
            process.Refresh();
            cpuSeconds[i] = (process.TotalProcessorTime - cpuStart).TotalSeconds;
        }
        Console.WriteLine("  ns per row by repetition: " + string.Join(", ", seconds.Select(t => I($"{t / rows * 1e9:N0}"))));
        Array.Sort(seconds);
        Array.Sort(cpuSeconds);
        return (rows / seconds[repetitions / 2], rows / cpuSeconds[repetitions / 2], results);
    }

    // Precision = Single against Double: rows whose δ* or verdict differs and the largest score difference.
    private static string CompareSingle(IReadOnlyList<RecourseResult> reference, IReadOnlyList<RecourseResult> single, double threshold)
    {
        int deltaRows = 0, verdictRows = 0;
        double largest = 0;
        for (int r = 0; r < reference.Count; r++)
        {
            var (a, b) = (reference[r], single[r]);
            largest = Math.Max(largest, Math.Abs(a.ScoreBefore - b.ScoreBefore));
            if (a.Delta is not null && b.Delta is not null && a.Delta.SequenceEqual(b.Delta)) largest = Math.Max(largest, Math.Abs(a.ScoreAfter - b.ScoreAfter));
            else if (a.Delta is not null || b.Delta is not null) deltaRows++;
            if (a.IsValid != b.IsValid) verdictRows++;
        }
        return I($"Precision = Single vs Double over {reference.Count} rows (θ₀ = {threshold}): δ* differs in {deltaRows} rows, the verdict in {verdictRows}; largest |score difference| {largest:G3}");
    }

    // The largest |δ*ⱼ(ours) − δ*ⱼ(PyTorch)| over rows where both have a step, and how many rows differ at all.
    private static string CompareDeltas(string label, IReadOnlyList<RecourseResult> ours, double[] other, int d)
    {
        double largest = 0;
        int differing = 0, compared = 0;
        for (int r = 0; r < ours.Count; r++)
        {
            if (ours[r].Delta is not { } delta) continue;
            compared++;
            double rowLargest = 0;
            for (int j = 0; j < d; j++) rowLargest = Math.Max(rowLargest, Math.Abs(delta[j] - other[r * d + j]));
            largest = Math.Max(largest, rowLargest);
            if (rowLargest > 1e-6) differing++;
        }
        return I($"{label}: max |difference| = {largest:G4} over {compared} rows; {differing} rows differ by more than 1e-6");
    }

    // problem.json with the boxes in model units, rows and layer weights as little-endian float32 files.
    private static void Export(string directory, MultilayerPerceptronModelParameters model, double threshold, ActionSet actions, double[] rows)
    {
        WriteFloats(Path.Combine(directory, "rows.f32"), rows);
        var layers = new JsonArray();
        for (int l = 0; l < model.Layers.Count; l++)
        {
            var layer = model.Layers[l];
            WriteFloats(Path.Combine(directory, I($"layer{l}.weights.f32")), layer.Weights);
            WriteFloats(Path.Combine(directory, I($"layer{l}.biases.f32")), layer.Biases);
            layers.Add(new JsonObject
            {
                ["inputCount"] = layer.InputCount,
                ["outputCount"] = layer.OutputCount,
                ["weightsFile"] = I($"layer{l}.weights.f32"),
                ["biasesFile"] = I($"layer{l}.biases.f32"),
            });
        }
        var features = new JsonArray();
        for (int j = 0; j < actions.FeatureCount; j++)
        {
            var action = actions.Actions[j];
            var feature = actions.Features[j];
            features.Add(new JsonObject
            {
                ["name"] = feature.Name,
                ["actionability"] = action.Actionability.ToString(),
                ["maximumChange"] = Number(action.MaximumChange * action.StandardScale),
                ["lowerValue"] = Number(feature.FromOriginal(action.LowerBound)),
                ["upperValue"] = Number(feature.FromOriginal(action.UpperBound)),
                ["costPerUnitChange"] = actions.CostPerUnitChange[j],
            });
        }
        var problem = new JsonObject
        {
            ["featureCount"] = model.FeatureCount,
            ["activation"] = model.Activation.ToString(),
            ["threshold"] = threshold,
            ["direction"] = PerturbationDirection.Recourse.ToString(),
            ["rowsFile"] = "rows.f32",
            ["layers"] = layers,
            ["features"] = features,
        };
        File.WriteAllText(Path.Combine(directory, "problem.json"), problem.ToJsonString());
    }

    // JSON has no infinities; the script reads every number through float(), which accepts "inf" and "-inf".
    private static JsonNode Number(double value) => double.IsFinite(value) ? JsonValue.Create(value) : JsonValue.Create(value > 0 ? "inf" : "-inf");

    // One process per thread count: OpenBLAS sizes its own thread pool from OPENBLAS_NUM_THREADS, not from torch.set_num_threads.
    private static JsonObject RunPython(string interpreter, string directory, int repetitions, double warmUpSeconds, int threads, string? blasDirectory)
    {
        string script = Path.Combine(RepositoryRoot(), "benchmarks", "pytorch", "onestep_reference.py");
        var start = new ProcessStartInfo(interpreter)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { script, "--data", directory, "--repetitions", repetitions.ToString(CultureInfo.InvariantCulture),
                     "--threads", threads.ToString(CultureInfo.InvariantCulture), "--warm-up-seconds", warmUpSeconds.ToString(CultureInfo.InvariantCulture) })
            start.ArgumentList.Add(argument);
        start.Environment["OMP_NUM_THREADS"] = threads.ToString(CultureInfo.InvariantCulture);
        start.Environment["OPENBLAS_NUM_THREADS"] = threads.ToString(CultureInfo.InvariantCulture);
        if (blasDirectory is not null) start.Environment["LD_LIBRARY_PATH"] = blasDirectory;
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {interpreter}.");
        var stderr = process.StandardError.ReadToEndAsync();
        string stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{interpreter} {script} exited with {process.ExitCode}: {stderr.Result}");
        return JsonNode.Parse(stdout.Trim().Split('\n')[^1])!.AsObject();
    }

    // The first candidate that imports torch: python3 on PATH may be a pyenv shim that shadows the system's, which has it.
    private static string? FindPython(IEnumerable<string> candidates)
    {
        foreach (string candidate in candidates)
        {
            try
            {
                var start = new ProcessStartInfo(candidate, ["-c", "import torch"]) { RedirectStandardError = true, RedirectStandardOutput = true };
                using var process = Process.Start(start);
                if (process is null) continue;
                process.WaitForExit();
                if (process.ExitCode == 0) return candidate;
            }
            catch (System.ComponentModel.Win32Exception)
            {
                // not installed
            }
        }
        return null;
    }

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
            if (File.Exists(Path.Combine(directory.FullName, "Microsoft.ML.Recourse.sln")))
                return directory.FullName;
        throw new InvalidOperationException("The repository root (Microsoft.ML.Recourse.sln) was not found above " + AppContext.BaseDirectory);
    }

    private static void WriteFloats(string path, IEnumerable<double> values)
    {
        using var writer = new BinaryWriter(File.Create(path));
        foreach (double v in values) writer.Write((float)v);
    }

    private static double[] ReadFloats(string path)
    {
        var bytes = File.ReadAllBytes(path);
        var values = new double[bytes.Length / sizeof(float)];
        for (int i = 0; i < values.Length; i++) values[i] = BitConverter.ToSingle(bytes, i * sizeof(float));
        return values;
    }

    private static string LoadAverage() => File.Exists("/proc/loadavg") ? string.Join(" ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";

    private static string I(FormattableString text) => FormattableString.Invariant(text);
}
