using System.CommandLine;
using System.IO.Compression;
using System.Text;
using Microsoft.ML.Recourse.Cli;
using Microsoft.ML.Recourse.Tests.TestFramework;
using Xunit.Abstractions;

namespace Microsoft.ML.Recourse.Tests.Cli;

/// <summary>
/// Fuzzes model files as <c>recourse explain</c> reads them (<c>ModelFiles.Load</c>: <c>Recourse().Model.Load</c>, which
/// re-creates every stored component of the library, then the metadata entry): mutated zips of two models written by
/// <c>recourse train</c> (a recourse-aware classifier, and a CSV-trained pipeline ending in a recourse transformer).
/// Every file must load or fail with <see cref="InvalidDataException"/> naming the file.
/// </summary>
public class ModelFileFuzzTests(ITestOutputHelper output)
{
    private static readonly Lazy<string[]> Seeds = new(() =>
    {
        string dir = Path.Combine(Path.GetTempPath(), $"model-fuzz-{Guid.NewGuid():N}");
        Directory.CreateDirectory(dir);
        string csv = Path.Combine(dir, "small.csv");
        var random = new Random(2);
        File.WriteAllLines(csv, Enumerable.Range(0, 200).Select(_ =>
        {
            double a = random.NextDouble() * 2 - 1, b = random.NextDouble() * 2 - 1;
            return FormattableString.Invariant($"{a:0.###},{b:0.###},{(a + b + (random.NextDouble() - 0.5) * 0.5 > 0 ? 1 : 0)}");
        }).Prepend("a,b,y"));
        string[] paths = [Path.Combine(dir, "synthetic.zip"), Path.Combine(dir, "csv.zip")];
        Train("train", "--dataset", "synthetic", "--model", "logistic", "--lambda", "0.8", "--epochs", "1", "--json", "--out", paths[0]);
        Train("train", "--data", csv, "--label", "y", "--model", "logistic", "--lambda", "0.8", "--epochs", "2", "--json", "--out", paths[1]);
        var seeds = paths.Select(p => Encoding.Latin1.GetString(File.ReadAllBytes(p))).ToArray();
        Directory.Delete(dir, recursive: true);
        return seeds;
    });

    private static void Train(params string[] args)
    {
        var error = new StringWriter();
        Program.Run(args, new InvocationConfiguration { Output = TextWriter.Null, Error = error }).Should().Be(0, error.ToString());
    }

    [Fact]
    public void Load_TenThousandMutatedModelFiles_LoadOrThrowInvalidDataExceptionNamingTheFile()
    {
        string path = Path.Combine(Path.GetTempPath(), $"fuzz-{Guid.NewGuid():N}.zip");
        var recourse = new MLContext(0).Recourse();
        var tally = DocumentFuzzer.Run(Seeds.Value, MutateZip, text =>
        {
            File.WriteAllBytes(path, Encoding.Latin1.GetBytes(text));
            var model = ModelFiles.Load(recourse, path, out _, out _);
            recourse.Model.GetTransformers(model);
        }, [typeof(InvalidDataException)], message => message.Contains(Path.GetFileName(path), StringComparison.Ordinal));
        File.Delete(path);

        output.WriteLine($"model file fuzz: {tally}");
        tally.Inputs.Should().Be(DocumentFuzzer.Count);
        tally.Rejected.GetValueOrDefault(nameof(InvalidDataException)).Should().BeGreaterThan(tally.Inputs / 2);
    }

    private static readonly string[] EntryNames = ["extra.bin", "Schema", "Microsoft.ML.Recourse/metadata.json", "TransformerChain/Model.key", "../outside", ""];

    /// <summary>
    /// Half the time a byte-level change of the whole file (truncation, flipped, removed or inserted bytes); otherwise
    /// the zip is rebuilt with one entry removed, truncated, given flipped bytes, replaced by another's content or a
    /// mutated metadata document, or an extra or repeated entry.
    /// </summary>
    internal static string MutateZip(string text, Random random)
    {
        var bytes = Encoding.Latin1.GetBytes(text);
        if (random.Next(2) == 0) return Encoding.Latin1.GetString(MutateBytes(bytes, random));
        List<(string Name, byte[] Content)> entries;
        try
        {
            using var zip = new ZipArchive(new MemoryStream(bytes), ZipArchiveMode.Read);
            entries = zip.Entries.Select(e =>
            {
                using var s = e.Open();
                using var copy = new MemoryStream();
                s.CopyTo(copy);
                return (e.FullName, copy.ToArray());
            }).ToList();
        }
        catch (InvalidDataException)
        {
            return Encoding.Latin1.GetString(MutateBytes(bytes, random));
        }
        if (entries.Count == 0) return Encoding.Latin1.GetString(MutateBytes(bytes, random));
        int at = random.Next(entries.Count);
        var (name, content) = entries[at];
        switch (random.Next(6))
        {
            case 0:
                entries.RemoveAt(at);
                break;
            case 1:
                entries[at] = (name, MutateBytes(content, random));
                break;
            case 2:
                entries[at] = (name, content[..random.Next(content.Length + 1)]);
                break;
            case 3:
                string json = Encoding.UTF8.GetString(content);
                entries[at] = (name, Encoding.UTF8.GetBytes(name.EndsWith(".json", StringComparison.Ordinal)
                    ? DocumentFuzzer.MutateJson(json, random) : DocumentFuzzer.MutateText(json, random, "\0\u0001\u00ff{}\"0.")));
                break;
            case 4:
                entries.Insert(random.Next(entries.Count + 1), (EntryNames[random.Next(EntryNames.Length)], MutateBytes(content, random)));
                break;
            default:
                entries[at] = (name, entries[random.Next(entries.Count)].Content);
                break;
        }
        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
            foreach (var (n, c) in entries)
            {
                using var s = zip.CreateEntry(n.Length == 0 ? "unnamed" : n).Open();
                s.Write(c);
            }
        return Encoding.Latin1.GetString(buffer.ToArray());
    }

    private static byte[] MutateBytes(byte[] bytes, Random random)
    {
        if (bytes.Length == 0) return [(byte)random.Next(256)];
        var list = bytes.ToList();
        int at = random.Next(list.Count);
        switch (random.Next(4))
        {
            case 0:
                return bytes[..at];
            case 1:
                for (int k = random.Next(1, 9); k > 0; k--) list[random.Next(list.Count)] ^= (byte)random.Next(1, 256);
                break;
            case 2:
                list.RemoveRange(at, Math.Min(list.Count - at, random.Next(1, 64)));
                break;
            default:
                list.InsertRange(at, Enumerable.Range(0, random.Next(1, 16)).Select(_ => (byte)random.Next(256)));
                break;
        }
        return [.. list];
    }
}
