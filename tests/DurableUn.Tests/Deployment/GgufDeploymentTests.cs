using DurableUn.Adapters;
using DurableUn.Checkpoints.Gguf;
using DurableUn.Data;
using DurableUn.Data.Tokenized;
using DurableUn.Deployment;
using DurableUn.Evaluation;
using DurableUn.LlamaCpp;
using DurableUn.Model;
using DurableUn.Presets;
using DurableUn.Tests.Checkpoints;
using DurableUn.Tests.Checkpoints.Gguf;
using DurableUn.Tokenization;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace DurableUn.Tests.Deployment;

/// <summary>GGUF precisions: the merged full-precision model exported, quantized by llama.cpp, measured by llama.cpp.</summary>
public sealed class GgufDeploymentTests(ITestOutputHelper output) : IDisposable
{
    private readonly TempFolder _dir = new();

    public void Dispose() => _dir.Dispose();

    private static readonly QaItem[] Forget = GgufFixtures.Forget;
    private static readonly QaItem[] Retain = GgufFixtures.Retain;

    [Fact]
    public void Gguf_F32_Measures_What_Merged_Fp32_Measures_With_Our_Engine()
    {
        // Given a smoke-preset QLoRA model with a non-zero adapter and the presets' BPE tokenizer
        var (tokenizerPath, vocab) = GgufFixtures.BpeTokenizer(_dir.Path);
        var config = ModelPresets.Config(ModelPreset.Smoke, vocab);
        using var model = QLoraModel.FromWeights(config, GgufFixtures.Weights(config), new QLoraOptions(), seed: 1);
        using (no_grad())
        using (var generator = new Generator(7))
            foreach (var w in model.Adapter.Layers.Values) w.B.copy_(randn(w.B.shape, generator: generator) * 0.05f);
        using var hf = HfTokenizer.Load(tokenizerPath, SpecialTokens.Llama3);
        var encoder = new QaEncoder(hf, new PromptTemplate.Plain());
        // When it is measured at merged-fp32 by our engine and at gguf-f32 by llama.cpp
        var measured = PrecisionEvaluation.Measure(model, [Precision.MergedFp32, Precision.Parse("gguf-f32")], AccuracyMetric.TokenAccuracy, encoder, Forget, Retain);
        var (ours, theirs) = (measured[0], measured[1]);
        using var deployed = Deployer.Deploy(model, Precision.MergedFp32);
        var ourProbability = TokenScores.Of(deployed.Model, Forget.Select(i => encoder.Encode(i.Question, i.Answer)).ToList(), hf.PadId)
            .Select(s => Math.Exp(s.LogProbs.Average())).ToList();
        // Then both give the same per-item scores and llama.cpp's answer probabilities are ours within 1e-4 in log
        Assert.Equal(ours.Forget.PerExample, theirs.Forget.PerExample);
        Assert.Equal(ours.Retain.PerExample, theirs.Retain.PerExample);
        var probability = theirs.ForgetProbability.PerExample;
        for (var i = 0; i < Forget.Length; i++)
        {
            output.WriteLine($"item {i}: p̄ ours {ourProbability[i]:E6}, llama.cpp {probability[i]:E6}");
            Assert.True(Math.Abs(Math.Log(ourProbability[i]) - Math.Log(probability[i])) < 1e-4, $"item {i}: {ourProbability[i]} vs {probability[i]}");
        }
        Assert.Equal(LlamaFileType.F32, theirs.Gguf!.FileType);
        Assert.Empty(theirs.Gguf.Fallbacks);
    }

    [Fact]
    public void LlamaCpp_Q4_K_M_Falls_Back_On_Every_Weight_Whose_Rows_Are_Not_256_Long()
    {
        // Given the smoke preset (rows of 64 and 192) and a model whose rows are 256 and 512 long
        var (tokenizerPath, vocab) = GgufFixtures.BpeTokenizer(_dir.Path);
        var smoke = ModelPresets.Config(ModelPreset.Smoke, vocab);
        var wide = smoke with { HiddenSize = 256, IntermediateSize = 512 };
        // When each is deployed at gguf-q4_k_m
        var narrow = Build(smoke, tokenizerPath, "smoke");
        var fits = Build(wide, tokenizerPath, "wide");
        // Then every 2-D weight of the smoke model fell back to a type of 32-element blocks, and none of the other
        foreach (var f in narrow.Fallbacks) output.WriteLine($"{f.Tensor}: rows {f.RowLength} → {f.Given}");
        Assert.Equal(smoke.NumHiddenLayers * 7 + 2, narrow.Fallbacks.Count);   // q k v o gate up down per layer, embeddings, output
        Assert.All(narrow.Fallbacks, f => Assert.Equal(32, GgmlTypes.Block(f.Given)!.Value.Elements));
        Assert.Empty(fits.Fallbacks);
        Assert.Equal(GgmlType.Q4_K, fits.TensorTypes["blk.0.attn_q.weight"]);
        Assert.Contains(fits.TensorTypes.Values, t => t == GgmlType.Q6_K);   // q4_k_m keeps some tensors (output) in q6_K
    }

    private QuantizedGguf Build(LlamaConfig config, string tokenizerPath, string name)
    {
        var weights = GgufFixtures.Weights(config);
        using var full = new FullPrecisionModel(config, weights, tokenizerPath);
        var folder = Directory.CreateDirectory(_dir.File(name)).FullName;
        return GgufDeployment.Build(full, LlamaFileType.Q4_K_M, folder);
    }
}
