using DurableUn.Checkpoints;
using DurableUn.Model;
using static TorchSharp.torch;

namespace DurableUn.Tests.Checkpoints;

public class ModelFolderTests
{
    /// <summary>A 2-layer model small enough to save and load in milliseconds, with grouped-query attention.</summary>
    internal static readonly LlamaConfig Tiny = new()
    {
        VocabSize = 32, HiddenSize = 16, IntermediateSize = 24, NumHiddenLayers = 2, NumAttentionHeads = 4, NumKeyValueHeads = 2,
        BosTokenId = 1, EosTokenIds = [2], TorchDtype = "bfloat16",
    };

    [Fact]
    public void A_Saved_Folder_Opens_And_Loads_The_Same_Tensors()
    {
        // Given bf16 weights for the tiny config, a generation config and a tokenizer.json
        using var dir = new TempFolder();
        using var scope = NewDisposeScope();
        var tensors = RandomWeights(Tiny);
        var tokenizer = dir.File("source-tokenizer.json");
        File.WriteAllText(tokenizer, "{}");
        var options = new ModelFolderSaveOptions { Generation = new GenerationConfig { EosTokenIds = [2] }, TokenizerJsonSource = tokenizer };
        // When saved, opened and loaded
        var saved = ModelFolder.Save(dir.File("model"), new HfModelConfig { Llama = Tiny }, tensors, options);
        var folder = ModelFolder.Open(dir.File("model"));
        var loaded = folder.LoadTensors(folder.ReadConfig().Llama);
        // Then every file is found and every tensor is back bit for bit
        Assert.Equal(saved, folder);
        Assert.False(folder.IsSharded);
        Assert.NotNull(folder.TokenizerPath);
        Assert.Equal([2], folder.ReadGenerationConfig()!.EosTokenIds);
        Assert.Equal(tensors.Keys.Order(), loaded.Keys.Order());
        foreach (var (name, t) in tensors) Assert.Equal(t.bytes.ToArray(), loaded[name].bytes.ToArray());
    }

    [Fact]
    public void A_Sharded_Folder_Loads_Through_Its_Index()
    {
        // Given the tiny model saved with 1 KB shards
        using var dir = new TempFolder();
        using var scope = NewDisposeScope();
        var tensors = RandomWeights(Tiny);
        ModelFolder.Save(dir.Path, new HfModelConfig { Llama = Tiny }, tensors, new ModelFolderSaveOptions { MaxShardBytes = 1024 });
        // When opened and loaded
        var folder = ModelFolder.Open(dir.Path);
        var loaded = folder.LoadTensors(Tiny);
        // Then
        Assert.True(folder.IsSharded);
        Assert.True(Directory.GetFiles(dir.Path, "model-*-of-*.safetensors").Length > 1);
        Assert.Equal(tensors.Count, loaded.Count);
    }

    [Fact]
    public void Saving_Over_An_Existing_Folder_Replaces_It_Whole()
    {
        // Given a folder already holding a sharded model and a stray file
        using var dir = new TempFolder();
        using var scope = NewDisposeScope();
        var target = dir.File("model");
        ModelFolder.Save(target, new HfModelConfig { Llama = Tiny }, RandomWeights(Tiny), new ModelFolderSaveOptions { MaxShardBytes = 1024 });
        // When a single-file model is saved to the same path
        ModelFolder.Save(target, new HfModelConfig { Llama = Tiny }, RandomWeights(Tiny));
        // Then only the new files remain, and no staging folders are left beside it
        Assert.Equal(["config.json", "model.safetensors"], Directory.GetFiles(target).Select(Path.GetFileName).Order());
        Assert.Equal([target], Directory.GetDirectories(dir.Path));
    }

    [Fact]
    public void A_Wrong_Shape_Names_The_Tensor_And_Both_Shapes()
    {
        // Given a saved model, opened against a config with a wider FFN
        using var dir = new TempFolder();
        using var scope = NewDisposeScope();
        ModelFolder.Save(dir.Path, new HfModelConfig { Llama = Tiny }, RandomWeights(Tiny));
        var folder = ModelFolder.Open(dir.Path);
        // When loaded
        var e = Assert.Throws<CheckpointFormatException>(() => folder.LoadTensors(Tiny with { IntermediateSize = 32 }));
        // Then, checked from the header before any weight is read
        Assert.Equal("model.layers.0.mlp.gate_proj.weight", e.Key);
        Assert.Contains("has shape [24, 16] but the config expects [32, 16]", e.Message);
    }

    [Fact]
    public void Missing_And_Unexpected_Tensors_Are_Named()
    {
        using var scope = NewDisposeScope();
        var shapes = RandomWeights(Tiny).ToDictionary(kv => kv.Key, kv => (IReadOnlyList<long>)kv.Value.shape);
        // Given one tensor removed, When checked, Then it is named as missing
        var missing = new Dictionary<string, IReadOnlyList<long>>(shapes);
        missing.Remove("model.norm.weight");
        var e1 = Assert.Throws<CheckpointFormatException>(() => LlamaCheckpointLayout.CheckShapes(missing, Tiny, "x"));
        Assert.Equal("model.norm.weight", e1.Key);
        // Given one tensor added, When checked, Then it is named as unexpected
        var extra = new Dictionary<string, IReadOnlyList<long>>(shapes) { ["model.layers.9.mlp.up_proj.weight"] = [1] };
        var e2 = Assert.Throws<CheckpointFormatException>(() => LlamaCheckpointLayout.CheckShapes(extra, Tiny, "x"));
        Assert.Equal("model.layers.9.mlp.up_proj.weight", e2.Key);
    }

    [Fact]
    public void A_Folder_Without_Weights_Says_What_Is_Missing()
    {
        using var dir = new TempFolder();
        File.WriteAllText(dir.File("config.json"), "{}");
        var e = Assert.Throws<FileNotFoundException>(() => ModelFolder.Open(dir.Path));
        Assert.Contains("model.safetensors", e.Message);
    }

    internal static Dictionary<string, Tensor> RandomWeights(LlamaConfig config) =>
        LlamaCheckpointLayout.ExpectedParameterShapes(config).ToDictionary(p => p.Name, p => randn(p.Shape.ToArray(), ScalarType.BFloat16));
}
