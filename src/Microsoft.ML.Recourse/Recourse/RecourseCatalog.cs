namespace Microsoft.ML.Recourse;

/// <summary>
/// Recourse generation, the recourse transformer and population audits, reached through
/// <see cref="RecourseContext.Recourse"/>.
/// </summary>
public sealed partial class RecourseCatalog
{
    internal RecourseCatalog(RecourseContext context)
    {
        Context = context;
        Generators = new RecourseGenerators(context);
    }

    /// <summary>Gets the recourse generators (one-step LP, gradient descent, linear integer program, …).</summary>
    public RecourseGenerators Generators { get; }

    internal RecourseContext Context { get; }

    /// <summary>
    /// The instantiator of <see cref="IRecourseGenerator"/>s; each algorithm attaches to it as an extension method
    /// (as ML.NET's trainers attach to <c>BinaryClassificationTrainers</c>).
    /// </summary>
    public sealed class RecourseGenerators
    {
        internal RecourseGenerators(RecourseContext context) => Context = context;

        internal RecourseContext Context { get; }
    }
}
