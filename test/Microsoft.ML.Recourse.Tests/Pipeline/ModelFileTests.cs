using System.IO.Compression;
using System.Text;
using Microsoft.ML.Recourse.Data;

namespace Microsoft.ML.Recourse.Tests.Pipeline;

public class ModelFileTests
{
    private static (RecourseContext Ctx, string Path) SavedEmptyChain()
    {
        var ctx = new RecourseContext(seed: 1);
        var chain = new TransformerChain<ITransformer>([]);
        var schema = new DataViewBuilder().AddVectorColumn("Features", 2, [1f, 2f], ["a", "b"]).Build().Schema;
        string path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"model-{Guid.NewGuid():N}.zip");
        ctx.Model.Save(chain, schema, path);
        return (ctx, path);
    }

    [Fact]
    public void SaveLoad_RoundTripsChainAndSchema()
    {
        var (ctx, path) = SavedEmptyChain();
        var loaded = ctx.Model.Load(path, out var schema);
        loaded.Should().BeOfType<TransformerChain<ITransformer>>();
        schema!["Features"].Annotations.SlotNames.Should().Equal("a", "b");
        File.Delete(path);
    }

    [Fact]
    public void Load_TruncatedFile_IsRejectedWithClearError()
    {
        var (ctx, path) = SavedEmptyChain();
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..(bytes.Length / 2)]);
        var act = () => ctx.Model.Load(path, out _);
        act.Should().Throw<InvalidDataException>().WithMessage("Not a valid Microsoft.ML.Recourse model file*");
        File.Delete(path);
    }

    [Fact]
    public void Load_ModifiedEntry_FailsChecksum()
    {
        var (ctx, path) = SavedEmptyChain();
        using (var zip = ZipFile.Open(path, ZipArchiveMode.Update))
        {
            zip.GetEntry("model.json")!.Delete();
            using var s = zip.CreateEntry("model.json").Open();
            s.Write(Encoding.UTF8.GetBytes("{\"kind\":\"TransformerChain\",\"version\":1,\"data\":{\"transformers\":[]}} "));
        }
        var act = () => ctx.Model.Load(path, out _);
        act.Should().Throw<InvalidDataException>().WithMessage("*checksum of 'model.json'*");
        File.Delete(path);
    }

    [Fact]
    public void Load_NewerFormatVersion_AsksForUpgrade()
    {
        var (ctx, path) = SavedEmptyChain();
        using (var zip = ZipFile.Open(path, ZipArchiveMode.Update))
        {
            var entry = zip.GetEntry("manifest.json")!;
            string text;
            using (var r = new StreamReader(entry.Open())) text = r.ReadToEnd();
            entry.Delete();
            using var w = new StreamWriter(zip.CreateEntry("manifest.json").Open());
            w.Write(text.Replace("\"formatVersion\": 1", "\"formatVersion\": 99"));
        }
        var act = () => ctx.Model.Load(path, out _);
        act.Should().Throw<InvalidDataException>().WithMessage("*newer version*format 99*Upgrade*");
        File.Delete(path);
    }

    [Fact]
    public void Save_OverExistingFile_IsAtomic_NoTempFilesLeft()
    {
        var (ctx, path) = SavedEmptyChain();
        ctx.Model.Save(new TransformerChain<ITransformer>([]), null, path);
        Directory.GetFiles(System.IO.Path.GetDirectoryName(path)!, $".{System.IO.Path.GetFileName(path)}*.tmp").Should().BeEmpty();
        ctx.Model.Load(path, out var schema).Should().NotBeNull();
        schema.Should().BeNull();
        File.Delete(path);
    }
}

public class ModelFileMetadataTests
{
    [Fact]
    public void SaveLoad_RoundTripsMetadata()
    {
        var ctx = new RecourseContext(seed: 1);
        string path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"model-{Guid.NewGuid():N}.zip");
        ctx.Model.Save(new TransformerChain<ITransformer>([]), null, path, new Dictionary<string, string> { ["dataset"] = "german", ["splitSeed"] = "21" });
        ctx.Model.Load(path, out _, out var metadata);
        metadata.Should().Contain("dataset", "german").And.Contain("splitSeed", "21");
        File.Delete(path);
    }
}
