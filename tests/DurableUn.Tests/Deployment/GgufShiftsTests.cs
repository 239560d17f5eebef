using DurableUn.Deployment;
using DurableUn.LlamaCpp;
using DurableUn.Presets;
using DurableUn.Tests.Checkpoints;
using DurableUn.Tests.Checkpoints.Gguf;
using static TorchSharp.torch;

namespace DurableUn.Tests.Deployment;

/// <summary>Code flips and |Δw| between two models' GGUF files as llama.cpp quantized them.</summary>
public sealed class GgufShiftsTests : IDisposable
{
    private readonly TempFolder _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Only_The_Moved_Tensor_Is_Compared_And_A_Move_Of_Many_Steps_Flips_Its_Codes_While_A_Tiny_One_Does_Not()
    {
        // Given a model with rows of 256 (so q4_k_m's q4_K applies), and two copies with one q projection moved
        var (tokenizer, vocab) = GgufFixtures.BpeTokenizer(_dir.Path);
        var config = ModelPresets.Config(ModelPreset.Smoke, vocab) with { HiddenSize = 256, IntermediateSize = 512 };
        var weights = GgufFixtures.Weights(config);
        const string moved = "model.layers.0.self_attn.q_proj.weight";
        var q = weights[moved];                                                        // (256, 256)
        var step = q.abs().max().item<float>() / 8;                                    // about one q4_K step at the largest scale
        using var generator = new Generator(3);
        var far = new Dictionary<string, Tensor>(weights) { [moved] = q + randn(q.shape, generator: generator) * (10 * step) };
        var near = new Dictionary<string, Tensor>(weights) { [moved] = q + 1e-7f };
        using var target = new FullPrecisionModel(config, weights, tokenizer);
        // When each copy is compared with the original at gguf-q4_k_m
        using (var f = new FullPrecisionModel(config, far, tokenizer))
        using (var n = new FullPrecisionModel(config, near, tokenizer))
        {
            var farShift = Assert.Single(GgufShifts.Measure(target, f, LlamaFileType.Q4_K_M));
            var nearShift = Assert.Single(GgufShifts.Measure(target, n, LlamaFileType.Q4_K_M));
            // Then only the moved tensor counts, in its q4_K group; a move of ten steps flips most codes, 1e-7 almost none
            Assert.Equal("q4_k", farShift.Group);
            Assert.Equal(256 * 256, farShift.Elements);
            Assert.True(farShift.CodesFlipped > 0.5, $"flipped {farShift.CodesFlipped}");
            Assert.True(farShift.MedianHalfSteps > 2, $"median {farShift.MedianHalfSteps} half-steps");
            Assert.True(nearShift.CodesFlipped < 0.01, $"flipped {nearShift.CodesFlipped}");
            Assert.Equal(1.0, nearShift.HalfStepHistogram[0]);   // every |Δw| under a quarter step
        }
        // And a model identical to its target has nothing to compare
        using var same = new FullPrecisionModel(config, weights, tokenizer);
        Assert.Empty(GgufShifts.Measure(target, same, LlamaFileType.Q4_K_M));
    }
}
