using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Microsoft.ML.Recourse;

/// <summary>
/// The recourse generators a model file can name, and how each is written (its name and options) and re-created
/// through its catalog method: one explicit list, as <see cref="ModelFile"/>'s loaders. A generator not listed here
/// (for instance one written by a user) makes a <see cref="RecourseTransformer"/> unsaveable, with an error naming it.
/// </summary>
internal static class RecourseGeneratorDescriptors
{
    private static readonly JsonSerializerOptions OptionsJson = new() { Converters = { new JsonStringEnumConverter() } };

    private static readonly Descriptor[] Known =
    [
        Descriptor.For<OneStepGenerator, OneStepGenerator.Options>(OneStepGenerator.GeneratorName,
            g => new OneStepGenerator.Options { Direction = g.Direction, NumberOfThreads = g.NumberOfThreads },
            (context, options) => context.Recourse.Generators.OneStep(options)),
        Descriptor.For<GradientDescentGenerator, GradientDescentGenerator.Options>("gradient",
            g => g.StoredOptions,
            (context, options) => context.Recourse.Generators.GradientDescent(options)),
        Descriptor.For<LinearIntegerProgramGenerator, LinearIntegerProgramGenerator.Options>("linearIp",
            g => g.StoredOptions,
            (context, options) => context.Recourse.Generators.LinearIntegerProgram(options)),
    ];

    /// <summary>Gets the names of the generators a model file can hold.</summary>
    public static IEnumerable<string> Names => Known.Select(d => d.Name);

    public static JsonObject Save(IRecourseGenerator generator)
    {
        var descriptor = Array.Find(Known, d => d.GeneratorType == generator.GetType())
            ?? throw new NotSupportedException(
                $"A recourse transformer whose generator is a {generator.GetType().Name} ('{generator.Name}') cannot be saved; the generators a model file can hold are: {string.Join(", ", Names)}.");
        return new JsonObject { ["name"] = descriptor.Name, ["options"] = descriptor.SaveOptions(generator) };
    }

    public static IRecourseGenerator Load(JsonObject node, RecourseContext context)
    {
        string name = (string?)node["name"] ?? throw new InvalidOperationException("the generator has no 'name'");
        var descriptor = Array.Find(Known, d => d.Name == name)
            ?? throw new InvalidOperationException($"unknown recourse generator '{name}'");
        return descriptor.Load(node["options"] as JsonObject ?? throw new InvalidOperationException($"generator '{name}' has no 'options' object"), context);
    }

    /// <summary>How one generator type is written and re-created.</summary>
    /// <param name="Name">The stored name (the generator's <see cref="IRecourseGenerator.Name"/>).</param>
    /// <param name="GeneratorType">The generator's exact type.</param>
    /// <param name="SaveOptions">Writes the generator's options.</param>
    /// <param name="Load">Re-creates the generator from its options through its catalog method.</param>
    private sealed record Descriptor(
        string Name,
        Type GeneratorType,
        Func<IRecourseGenerator, JsonObject> SaveOptions,
        Func<JsonObject, RecourseContext, IRecourseGenerator> Load)
    {
        // Options classes are plain init-property bags, so System.Text.Json writes and reads them as they are.
        public static Descriptor For<TGenerator, TOptions>(string name, Func<TGenerator, TOptions> options, Func<RecourseContext, TOptions, IRecourseGenerator> create)
            where TGenerator : IRecourseGenerator
            => new(name, typeof(TGenerator),
                g => JsonSerializer.SerializeToNode(options((TGenerator)g), OptionsJson)!.AsObject(),
                (json, context) => create(context, json.Deserialize<TOptions>(OptionsJson) ?? throw new InvalidOperationException($"generator '{name}' has null options")));
    }
}
