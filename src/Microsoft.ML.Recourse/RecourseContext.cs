using Microsoft.ML.Recourse.Calibration;
using Microsoft.ML.Recourse.Data;
using Microsoft.ML.Recourse.Datasets;
using Microsoft.ML.Recourse.Evaluation;
using Microsoft.ML.Recourse.Persuasion;
using Microsoft.ML.Recourse.Trainers;

namespace Microsoft.ML.Recourse;

/// <summary>
/// The entry point of the library, as ML.NET's <c>MLContext</c>: it holds the seed that makes every component
/// deterministic, a log, and the catalogs through which estimators and tools are created.
/// </summary>
public sealed class RecourseContext
{
    private readonly Random _random;
    private readonly object _randomLock = new();

    /// <summary>Creates a context.</summary>
    /// <param name="seed">
    /// The seed of every random choice made through this context (splits, initialisation, shuffling, sampling).
    /// With a seed, the same sequence of calls gives the same results; <see langword="null"/> picks one at random.
    /// </param>
    public RecourseContext(int? seed = null)
    {
        Seed = seed;
        _random = seed is int s ? new Random(s) : new Random();
        Data = new DataOperationsCatalog(this);
        Model = new ModelOperationsCatalog(this);
        BinaryClassification = new BinaryClassificationCatalog(this);
        Recourse = new RecourseCatalog(this);
        Datasets = new DatasetsCatalog(this);
        Persuasion = new PersuasionCatalog(this);
        Calibration = new CalibrationCatalog(this);
        Evaluation = new EvaluationCatalog(this);
    }

    /// <summary>Gets the seed given to the constructor, or <see langword="null"/>.</summary>
    public int? Seed { get; }

    /// <summary>Raised for every message a component logs (training progress, solver notes).</summary>
    public event EventHandler<LoggingEventArgs>? Log;

    /// <summary>Gets the operations for loading, splitting and reading data.</summary>
    public DataOperationsCatalog Data { get; }

    /// <summary>Gets the operations for saving and loading fitted models.</summary>
    public ModelOperationsCatalog Model { get; }

    /// <summary>Gets the trainers and tasks specific to binary classification problems.</summary>
    public BinaryClassificationCatalog BinaryClassification { get; }

    /// <summary>Gets the data sets of Ross et al. (2021), preprocessed as the authors' code, and a synthetic credit data set.</summary>
    public DatasetsCatalog Datasets { get; }
    /// <summary>Gets the Bayesian-persuasion tools: optimal obedient recourse recommendations under a secret rule.</summary>
    public PersuasionCatalog Persuasion { get; }

    /// <summary>Gets recourse generation, the recourse transformer and population audits.</summary>
    public RecourseCatalog Recourse { get; }

    /// <summary>Gets decision-threshold calibration with guarantees (PAC thresholds, PARE).</summary>
    public CalibrationCatalog Calibration { get; }

    /// <summary>Gets the evaluation suite: performance, recourse rates, robustness, brittleness, in-distribution checks, disparities and sweeps.</summary>
    public EvaluationCatalog Evaluation { get; }

    /// <summary>Draws the next seed from the context's random sequence; components seed their own generators with it.</summary>
    internal int NextSeed()
    {
        lock (_randomLock) return _random.Next();
    }

    internal void WriteLog(string source, string message) => Log?.Invoke(this, new LoggingEventArgs(source, message));
}

/// <summary>A message logged by a component of the library.</summary>
/// <param name="source">The component that logged the message.</param>
/// <param name="message">The message.</param>
public sealed class LoggingEventArgs(string source, string message) : EventArgs
{
    /// <summary>Gets the component that logged the message.</summary>
    public string Source { get; } = source;

    /// <summary>Gets the message.</summary>
    public string Message { get; } = message;

    /// <inheritdoc/>
    public override string ToString() => $"[{Source}] {Message}";
}
