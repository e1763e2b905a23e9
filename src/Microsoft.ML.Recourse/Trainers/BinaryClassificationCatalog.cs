namespace Microsoft.ML.Recourse.Trainers;

/// <summary>
/// The trainers and tasks specific to binary classification, reached through
/// <see cref="RecourseContext.BinaryClassification"/>.
/// </summary>
public sealed class BinaryClassificationCatalog
{
    internal BinaryClassificationCatalog(RecourseContext context)
    {
        Context = context;
        Trainers = new BinaryClassificationTrainers(context);
    }

    /// <summary>Gets the binary classification trainers.</summary>
    public BinaryClassificationTrainers Trainers { get; }

    internal RecourseContext Context { get; }

    /// <summary>The instantiator of binary classification trainers (as ML.NET's nested <c>BinaryClassificationTrainers</c>).</summary>
    public sealed class BinaryClassificationTrainers
    {
        internal BinaryClassificationTrainers(RecourseContext context) => Context = context;

        internal RecourseContext Context { get; }
    }
}
