using DurableUn.Adapters;
using DurableUn.Checkpoints;
using DurableUn.Tests.Checkpoints;
using static DurableUn.Tests.Adapters.QLoraFixtures;
using static TorchSharp.torch;

namespace DurableUn.Tests.Adapters;

public class PeftAdapterFilesTests
{
    [Fact]
    public void An_Adapter_Round_Trips_Through_Peft_Files_And_Reproduces_The_Logits()
    {
        // Given
        using var folder = new TempFolder();
        using var model = Adapted();
        using var ids = Ids();
        // When
        PeftAdapterFiles.Save(folder.Path, model.Adapter, "tiny-base");
        var loaded = PeftAdapterFiles.Load(folder.Path, Config);
        using var reloaded = model.WithAdapter(loaded);
        // Then PEFT's keys are there, every tensor comes back bit for bit, and so do the logits
        Assert.Contains("base_model.model.model.layers.0.self_attn.q_proj.lora_A.weight", SafetensorsFile.ReadHeader(folder.File(PeftAdapterFiles.WeightsFile)).Tensors.Select(t => t.Name));
        Assert.Equal(model.Adapter.Options, loaded.Options);
        foreach (var (path, w) in model.Adapter.Layers)
        {
            Assert.True(w.A.eq(loaded.Layers[path].A).all().item<bool>(), path);
            Assert.True(w.B.eq(loaded.Layers[path].B).all().item<bool>(), path);
        }
        Assert.Equal(0f, MaxAbsDiff(model.Model.forward(ids), reloaded.Model.forward(ids)));
    }

    [Theory]
    [InlineData("\"peft_type\": \"IA3\"", "peft_type")]
    [InlineData("\"fan_in_fan_out\": true", "fan_in_fan_out")]
    [InlineData("\"use_dora\": true", "use_dora")]
    [InlineData("\"rank_pattern\": {\"q_proj\": 4}", "rank_pattern")]
    [InlineData("\"alpha_pattern\": {\"q_proj\": 4}", "alpha_pattern")]
    public void Unsupported_Settings_Are_Rejected_Naming_The_Key(string setting, string key)
    {
        // Given an otherwise valid LoRA config with one unsupported setting
        var peftType = key == "peft_type" ? "" : "\"peft_type\": \"LORA\", ";
        var json = $"{{{peftType}\"r\": 8, \"lora_alpha\": 16, \"target_modules\": [\"q_proj\"], {setting}}}";
        // When
        var e = Assert.Throws<CheckpointFormatException>(() => PeftAdapterFiles.ReadOptions(json, "adapter_config.json"));
        // Then
        Assert.Equal(key, e.Key);
    }

    [Fact]
    public void A_Tensor_Of_The_Wrong_Shape_Is_Named_With_Both_Shapes()
    {
        // Given an adapter whose q_proj A has 15 input columns instead of 16
        using var folder = new TempFolder();
        using var model = Adapted();
        var path = "model.layers.0.self_attn.q_proj";
        var layers = model.SnapshotAdapter().Layers.ToDictionary(kv => kv.Key, kv => kv.Value);
        layers[path] = layers[path] with { A = zeros(8, 15) };
        PeftAdapterFiles.Save(folder.Path, model.Adapter with { Layers = layers }, "tiny-base");
        // When
        var e = Assert.Throws<CheckpointFormatException>(() => PeftAdapterFiles.Load(folder.Path, Config));
        // Then
        Assert.Equal($"{path}.lora_A.weight", e.Key);
        Assert.Contains("[8, 15]", e.Message);
        Assert.Contains("[8, 16]", e.Message);
    }

    [Fact]
    public void Target_Modules_Not_Matching_The_Tensors_Are_Rejected()
    {
        // Given tensors for q_proj and v_proj only, but a config that claims all-linear
        using var folder = new TempFolder();
        using var model = Adapted(new QLoraOptions { Lora = new LoraOptions { TargetModules = ["q_proj", "v_proj"] } });
        PeftAdapterFiles.Save(folder.Path, model.Adapter with { Options = new LoraOptions() }, "tiny-base");
        // When
        var e = Assert.Throws<CheckpointFormatException>(() => PeftAdapterFiles.Load(folder.Path, Config));
        // Then the first uncovered target is named
        Assert.Equal("model.layers.0.self_attn.k_proj", e.Key);
    }
}
