namespace Microsoft.ML.Recourse;

/// <summary>
/// The instantiator of the recourse-aware trainers, reached through <c>mlContext.Recourse().Trainers</c>; each trainer
/// attaches as an extension method (as ML.NET's trainers attach to <c>BinaryClassificationTrainers</c>).
/// </summary>
public sealed class RecourseTrainers
{
    internal RecourseTrainers(RecourseEnvironment environment) => Environment = environment;

    internal RecourseEnvironment Environment { get; }
}
