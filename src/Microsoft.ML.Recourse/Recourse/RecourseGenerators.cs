namespace Microsoft.ML.Recourse;

/// <summary>
/// The instantiator of <see cref="IRecourseGenerator"/>s, reached through <c>mlContext.Recourse().Generators</c>; each
/// algorithm attaches as an extension method.
/// </summary>
public sealed class RecourseGenerators
{
    internal RecourseGenerators(RecourseEnvironment environment) => Environment = environment;

    internal RecourseEnvironment Environment { get; }
}
