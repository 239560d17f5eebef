using DurableUn.IO;

namespace DurableUn.Tests.IO;

public sealed class ContentHashTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("durableun-hash-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private string Run(string name, string runJson, string basePath, byte weight)
    {
        var dir = Directory.CreateDirectory(Path.Combine(_root, name)).FullName;
        File.WriteAllText(Path.Combine(dir, "run.json"), runJson);
        File.WriteAllText(Path.Combine(dir, "adapter_config.json"), $$"""{"r": 8, "base_model_name_or_path": "{{basePath}}"}""");
        File.WriteAllBytes(Path.Combine(dir, "adapter_model.safetensors"), [1, 2, weight]);
        return dir;
    }

    [Fact]
    public void Identical_Runs_In_Two_Folders_Hash_Alike_Whatever_Their_Paths_And_Timings()
    {
        var a = Run("a", """{"seconds": 1.5, "base_model": "/x/model"}""", "/x/model", 3);
        var b = Run("b", """{"seconds": 9.25, "base_model": "../model"}""", "/elsewhere/model", 3);
        Assert.Equal(ContentHash.OfRun(a), ContentHash.OfRun(b));
        Assert.NotEqual(ContentHash.OfFolder(a), ContentHash.OfFolder(b));   // the whole-folder hash sees the paths
    }

    [Fact]
    public void A_Changed_Weight_Or_Adapter_Setting_Changes_The_Run_Hash()
    {
        var a = Run("a", "{}", "/m", 3);
        var weight = Run("b", "{}", "/m", 4);
        var rank = Run("c", "{}", "/m", 3);
        File.WriteAllText(Path.Combine(rank, "adapter_config.json"), """{"r": 16, "base_model_name_or_path": "/m"}""");
        Assert.NotEqual(ContentHash.OfRun(a), ContentHash.OfRun(weight));
        Assert.NotEqual(ContentHash.OfRun(a), ContentHash.OfRun(rank));
    }
}
