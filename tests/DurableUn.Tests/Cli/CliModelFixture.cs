using DurableUn.Adapters;
using DurableUn.Checkpoints;
using DurableUn.Model;
using DurableUn.Presets;
using static TorchSharp.torch;

namespace DurableUn.Tests.Cli;

/// <summary>
/// What the command tests run on: the smoke preset model folder (d 64, 2 layers, its own WordLevel tokenizer; every
/// width a multiple of 64, so NF4, Q8_0 and Q4_0 apply to every projection) and a PEFT adapter for it with a
/// non-zero B (r 4, α 8, all-linear), so merging it changes the weights. Deleted on dispose.
/// </summary>
public sealed class CliModelFixture : IDisposable
{
    public CliModelFixture()
    {
        DurableUn.Tensors.NativeTorch.EnsureLoaded();
        var folder = PresetInitializer.Write(ModelPreset.Smoke, seed: 0, Path.Combine(Root, "model"));
        Config = folder.ReadConfig().Llama;
        var adapter = LoraAdapter.Initialize(Config, new LoraOptions { Rank = 4, Alpha = 8 }, seed: 1);
        using (no_grad())
        {
            using var generator = new Generator(2);
            foreach (var w in adapter.Layers.Values) w.B.copy_(randn(w.B.shape, generator: generator) * 0.05f);
        }
        PeftAdapterFiles.Save(AdapterDir, adapter, ModelDir);
        foreach (var t in adapter.Tensors) t.Dispose();
    }

    public string Root { get; } = Directory.CreateTempSubdirectory("durableun-cli-").FullName;
    public string ModelDir => Path.Combine(Root, "model");
    public string AdapterDir => Path.Combine(Root, "adapter");
    public LlamaConfig Config { get; }

    /// <summary>A fresh path under the fixture's folder (not created).</summary>
    public string NewPath(string name) => Path.Combine(Root, $"{name}-{Guid.NewGuid():N}");

    /// <summary>The model's weights, fp32, Hugging Face names (caller disposes).</summary>
    public Dictionary<string, Tensor> Weights() => ModelFolder.Open(ModelDir).LoadTensors(Config);

    public void Dispose() => Directory.Delete(Root, recursive: true);
}
