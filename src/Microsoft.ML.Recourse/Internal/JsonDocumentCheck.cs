using System.Text.Json;

namespace Microsoft.ML.Recourse;

/// <summary>
/// Checks a parsed JSON document for what <see cref="JsonDocument"/> accepts but a reader of the library's formats must
/// not: a key repeated in one object (the later one would silently win) and text with an unpaired UTF-16 surrogate
/// escape (<c>"\ud800"</c>, which cannot become a .NET string). Each finding names its JSON path.
/// </summary>
internal static class JsonDocumentCheck
{
    /// <summary>The first problem in document order, as "<c>$.path problem</c>", or <see langword="null"/>.</summary>
    /// <param name="root">The document's root.</param>
    public static string? FirstProblem(JsonElement root) => Visit(root, "$");

    private static string? Visit(JsonElement element, string path)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                var seen = new HashSet<string>(StringComparer.Ordinal);
                foreach (var property in element.EnumerateObject())
                {
                    if (!TryText(() => property.Name, out string? name))
                        return $"{path} has a key that is not valid UTF-16 text (an unpaired surrogate escape)";
                    if (!seen.Add(name!))
                        return $"{path}.{name} is repeated: a key may appear once in an object";
                    if (Visit(property.Value, $"{path}.{name}") is { } problem) return problem;
                }
                return null;
            case JsonValueKind.Array:
                int i = 0;
                foreach (var item in element.EnumerateArray())
                    if (Visit(item, $"{path}[{i++}]") is { } problem) return problem;
                return null;
            case JsonValueKind.String:
                return TryText(element.GetString, out _) ? null : $"{path} is not valid UTF-16 text (an unpaired surrogate escape)";
            default:
                return null;
        }
    }

    private static bool TryText(Func<string?> read, out string? text)
    {
        try
        {
            text = read();
            return true;
        }
        catch (InvalidOperationException)
        {
            text = null;
            return false;
        }
    }
}
