using Microsoft.ML.Data;
using Microsoft.ML.Recourse.Models;
using Microsoft.ML.Recourse.Persistence;

namespace Microsoft.ML.Recourse;

/// <summary>
/// Reads this library's transformers back out of ML.NET models, reached through <c>mlContext.Recourse().Model</c>.
/// Save and load whole pipelines with ML.NET's own <c>mlContext.Model.Save</c> and <c>mlContext.Model.Load</c>; a
/// loaded pipeline runs as it was saved (in a fresh process too), and <see cref="GetTransformer{T}"/> gives back the
/// typed transformer with its threshold, action set and generator.
/// </summary>
public sealed class RecourseModelCatalog
{
    private readonly RecourseEnvironment _environment;

    internal RecourseModelCatalog(RecourseEnvironment environment) => _environment = environment;

    /// <summary>
    /// Loads an ML.NET model file (as <c>mlContext.Model.Load</c>), turning a missing, truncated, corrupted or foreign
    /// file into an <see cref="InvalidDataException"/> (or <see cref="FileNotFoundException"/>) that names the file.
    /// </summary>
    /// <param name="filePath">The model file, e.g. <c>MLModel.zip</c>.</param>
    /// <param name="inputSchema">The schema of the data the model was saved with.</param>
    public ITransformer Load(string filePath, out DataViewSchema inputSchema)
    {
        Contracts.CheckValue(filePath, nameof(filePath));
        if (!File.Exists(filePath)) throw new FileNotFoundException($"The model file '{filePath}' does not exist.", filePath);
        ITransformer model;
        try
        {
            using var stream = File.OpenRead(filePath);
            model = new MLContext(seed: _environment.NextSeed()).Model.Load(stream, out inputSchema);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            throw new InvalidDataException(
                $"'{filePath}' is not a loadable ML.NET model file: {Innermost(e).Message.TrimEnd('.')}. The file is truncated, corrupted, not a model, or needs a component that is not installed.", e);
        }
        // Every stored component is re-created now, so an unknown kind, a newer layout or a malformed node is an error
        // here, naming the file, rather than when a cursor first asks for a recourse column.
        // The components must also fit together (a recourse transformer reads the columns its predictor writes).
        try
        {
            foreach (var state in SavedForm.FindStates(model))
                PersistedKinds.Load<ITransformer>(PersistedFamily.Transformer, ModelState.Read(state), _environment);
            SavedForm.Parts(model, _environment);
        }
        catch (Exception e) when (e is InvalidOperationException or InvalidDataException or FormatException or ArgumentException or NotSupportedException
            or System.Text.Json.JsonException or KeyNotFoundException)
        {
            throw new InvalidDataException($"'{filePath}' holds a Microsoft.ML.Recourse component that cannot be read: {Innermost(e).Message.TrimEnd('.')}.", e);
        }
        return model;
    }

    // ML.NET loads components by reflection, so their own errors arrive wrapped in TargetInvocationException.
    private static Exception Innermost(Exception e)
    {
        while (e is System.Reflection.TargetInvocationException { InnerException: { } inner }) e = inner;
        return e;
    }

    /// <summary>
    /// Gets this library's transformers in a model, in pipeline order: live ones as they are, saved ones (in a model
    /// returned by <c>mlContext.Model.Load</c>) re-created from their stored state.
    /// </summary>
    /// <param name="model">A fitted or loaded model: one transformer or a (nested) transformer chain.</param>
    public IReadOnlyList<ITransformer> GetTransformers(ITransformer model)
    {
        Contracts.CheckValue(model, nameof(model));
        return SavedForm.Parts(model, _environment).Where(p => p is IPersistedTransformer).ToList();
    }

    /// <summary>Gets the one transformer of type <typeparamref name="T"/> in a model (see <see cref="GetTransformers"/>).</summary>
    /// <typeparam name="T">The transformer type, e.g. <see cref="RecourseTransformer"/>.</typeparam>
    /// <param name="model">A fitted or loaded model.</param>
    /// <exception cref="InvalidOperationException">The model holds no transformer of that type, or several.</exception>
    public T GetTransformer<T>(ITransformer model) where T : class, ITransformer
    {
        var found = GetTransformers(model).OfType<T>().ToList();
        string name = typeof(T).Name.Split('`')[0];
        Contracts.Check(found.Count > 0, $"The model holds no {name} of Microsoft.ML.Recourse.");
        Contracts.Check(found.Count == 1, $"The model holds {found.Count} transformers of type {name}; use GetTransformers to choose one.");
        return found[0];
    }

    /// <summary>
    /// Reads the binary classifier of a fitted or loaded model (the last one in a chain) as the recourse components see
    /// it: a scorer over its feature vector and the decision threshold on it.
    /// </summary>
    /// <param name="model">A prediction transformer, or a chain ending in one.</param>
    /// <exception cref="ArgumentOutOfRangeException">The model holds no classifier this library can read.</exception>
    public BinaryClassifierView ReadClassifier(ITransformer model)
    {
        Contracts.CheckValue(model, nameof(model));
        var parts = SavedForm.Parts(model, _environment);
        for (int i = parts.Count - 1; i >= 0; i--)
            if (ClassifierReaders.TryRead(parts[i]) is { } view) return view;
        throw new ArgumentOutOfRangeException(nameof(model), $"The model holds no binary classifier this library can read (its parts: {string.Join(", ", parts.Select(p => p.GetType().Name))}).");
    }
}
