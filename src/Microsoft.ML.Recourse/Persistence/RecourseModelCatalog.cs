using Microsoft.ML.Data;

namespace Microsoft.ML.Recourse.Persistence;

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
                $"'{filePath}' is not a loadable ML.NET model file: {e.Message.TrimEnd('.')}. The file is truncated, corrupted, not a model, or needs a component that is not installed.", e);
        }
        foreach (var state in SavedForm.FindStates(model)) ModelState.Read(state);
        return model;
    }

    /// <summary>
    /// Gets this library's transformers in a model, in pipeline order: live ones as they are, saved ones (in a model
    /// returned by <c>mlContext.Model.Load</c>) re-created from their stored state.
    /// </summary>
    /// <param name="model">A fitted or loaded model: one transformer or a (nested) transformer chain.</param>
    public IReadOnlyList<ITransformer> GetTransformers(ITransformer model)
    {
        Contracts.CheckValue(model, nameof(model));
        return Walk(model, _environment).ToList();
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

    private static IEnumerable<ITransformer> Walk(ITransformer model, RecourseEnvironment environment)
    {
        if (model is IPersistedTransformer)
        {
            yield return model;
            yield break;
        }
        if (model is not IEnumerable<ITransformer> chain) yield break;
        if (IsSavedForm(chain))
        {
            yield return PersistedKinds.Load<ITransformer>(PersistedFamily.Transformer, ModelState.Read(SavedForm.FindStates(model).First()), environment);
            yield break;
        }
        foreach (var part in chain)
            foreach (var found in Walk(part, environment))
                yield return found;
    }

    // A saved form holds the state-key mapping as its second part, after the copy of the feature column.
    private static bool IsSavedForm(IEnumerable<ITransformer> chain)
        => chain.Skip(1).FirstOrDefault() is Transforms.CustomMappingTransformer<SavedForm.StateKeyInput, SavedForm.StateKeyOutput>;
}
