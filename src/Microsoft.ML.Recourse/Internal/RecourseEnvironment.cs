using System.Collections.Concurrent;
using Microsoft.ML.Runtime;

namespace Microsoft.ML.Recourse;

/// <summary>
/// What the library takes from an <see cref="MLContext"/>: seeds derived from the context's seed, and a log that reaches
/// <see cref="MLContext.Log"/>. Algorithms receive a seed and a log callback from it, never the environment itself.
/// </summary>
internal sealed class RecourseEnvironment
{
    private readonly IHost _host;
    private readonly object _randomLock = new();

    // One channel per component for the environment's lifetime: opening one per message would log its own start
    // and end around every line.
    private readonly ConcurrentDictionary<string, IChannel> _channels = new();

    public RecourseEnvironment(IHostEnvironment environment)
    {
        Host = Contracts.CheckValue(environment, nameof(environment));
        _host = environment.Register("Microsoft.ML.Recourse");
    }

    /// <summary>
    /// The environment of models loaded by ML.NET itself (a saved transformer computing its columns in a fresh
    /// process): its log goes nowhere, and every stored component carries its own seeds.
    /// </summary>
    public static RecourseEnvironment Detached { get; } = new(new MLContext(seed: 0));

    /// <summary>Gets the ML.NET environment (the <see cref="MLContext"/>).</summary>
    public IHostEnvironment Host { get; }

    /// <summary>Draws the next seed from the context's random sequence.</summary>
    public int NextSeed()
    {
        lock (_randomLock) return _host.Rand.Next();
    }

    /// <summary>Writes an informational message to the context's log.</summary>
    public void Log(string source, string message)
        => _channels.GetOrAdd(source, _host.Start).Info(MessageSensitivity.Unknown, message);

    /// <summary>A log callback for one component.</summary>
    public Action<string> Logger(string source) => message => Log(source, message);
}
