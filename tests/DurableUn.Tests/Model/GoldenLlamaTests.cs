using DurableUn.Checkpoints;
using DurableUn.Model;
using DurableUn.Tensors;
using static TorchSharp.torch;

namespace DurableUn.Tests.Model;

/// <summary>
/// Logits, loss and gradients of a tiny Llama equal those of an independent plain-PyTorch implementation.
/// Golden file: Golden/llama_tiny_step0.safetensors, made by `/usr/bin/python3 scripts/make_golden_llama.py`
/// (Debian python3-torch 1.13). It holds the weights, the inputs, the expected values and the config.
/// Band: fp32 on both sides; differences measured here are ~1e-6, the bands below leave 10× room.
/// </summary>
public class GoldenLlamaTests
{
    private static readonly string GoldenPath = Path.Combine(AppContext.BaseDirectory, "Golden", "llama_tiny_step0.safetensors");

    public GoldenLlamaTests() => NativeTorch.EnsureLoaded();

    private static (CausalLm Model, Dictionary<string, Tensor> File) Load()
    {
        var file = SafetensorsTorch.Load(GoldenPath);
        using var reader = SafetensorsFile.Open(GoldenPath);
        var json = reader.Header.Metadata["config"];
        var config = HfModelConfig.Parse(json, GoldenPath).Llama;
        var model = new CausalLm(config, new DenseProjections());
        ModelWeights.Load(model, file.Where(kv => kv.Key.StartsWith("model.", StringComparison.Ordinal) || kv.Key == "lm_head.weight")
            .ToDictionary(kv => kv.Key, kv => kv.Value), GoldenPath);
        return (model, file);
    }

    [Fact]
    public void Logits_And_Loss_Equal_The_PyTorch_Reference()
    {
        var (model, file) = Load();
        using var logits = model.forward(file["input_ids"]);
        var maxDiff = (logits - file["expected.logits"]).abs().max().item<float>();
        Assert.True(maxDiff < 1e-4, $"max |logit difference| = {maxDiff}");
        using var loss = Loss(model, file);
        Assert.Equal(file["expected.loss"].item<float>(), loss.item<float>(), 4);
    }

    [Fact]
    public void Gradients_Of_One_Step_Equal_The_PyTorch_Reference()
    {
        var (model, file) = Load();
        using var loss = Loss(model, file);
        loss.backward();
        foreach (var (name, p) in model.named_parameters())
        {
            var expected = file["grad." + name];
            var diff = (p.grad! - expected).abs().max().item<float>();
            var scale = expected.abs().max().item<float>();
            Assert.True(diff <= 1e-4 * Math.Max(1, scale), $"{name}: max |grad difference| {diff} (scale {scale})");
        }
    }

    private static Tensor Loss(CausalLm model, Dictionary<string, Tensor> file)
    {
        var logits = model.forward(file["input_ids"]);                                   // (B, T, V)
        var v = logits.shape[^1];
        return nn.functional.cross_entropy(logits[.., ..^1].reshape(-1, v), file["labels"][.., 1..].reshape(-1), ignore_index: -100);
    }
}
