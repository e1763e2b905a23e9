namespace Microsoft.ML.Recourse.Tests.TestFramework;

/// <summary>Saves models with ML.NET's own model files and reads the library's transformers back, as a user would.</summary>
internal static class SavedModels
{
    public static void Save(ITransformer model, DataViewSchema? inputSchema, Stream stream) => new MLContext(1).Model.Save(model, inputSchema, stream);

    public static void Save(ITransformer model, DataViewSchema? inputSchema, string path) => new MLContext(1).Model.Save(model, inputSchema, path);

    /// <summary>Loads with a fresh context and returns the one library transformer of type <typeparamref name="T"/>.</summary>
    public static T Load<T>(Stream stream, int seed = 99) where T : class, ITransformer
    {
        var ml = new MLContext(seed);
        return ml.Recourse().Model.GetTransformer<T>(ml.Model.Load(stream, out _));
    }

    public static T Load<T>(string path, int seed = 99) where T : class, ITransformer
    {
        using var stream = File.OpenRead(path);
        return Load<T>(stream, seed);
    }

    public static T SaveAndLoad<T>(ITransformer model, DataViewSchema? inputSchema) where T : class, ITransformer
    {
        using var stream = new MemoryStream();
        Save(model, inputSchema, stream);
        stream.Position = 0;
        return Load<T>(stream);
    }
}
