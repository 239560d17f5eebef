using DurableUn.Tests.Prerequisites;
using DurableUn.Checkpoints.Gguf;
using DurableUn.Model;
using DurableUn.Quantization;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace DurableUn.Tests.Checkpoints.Gguf;

/// <summary>
/// The outside oracle for the GGUF export: llama.cpp itself (tools/llama-check, node-llama-cpp 3.21.1) loads the
/// exported file and evaluates the same token ids as our <see cref="CausalLm"/>. For quantized files our model runs
/// the weights the file holds, dequantized (ggml reference dequantizers), so the remaining gap is llama.cpp's own
/// arithmetic: it rounds activations to fp16 (F16 weights) or Q8_0 blocks (Q8_0/Q4_0 weights) before each matmul.
/// Needs node and `npm ci --prefix tools/llama-check`; skipped with that instruction when they are missing.
/// </summary>
public sealed class LlamaCppLogitsTests(ITestOutputHelper output) : IDisposable
{
    private readonly TempFolder _dir = new();

    public void Dispose() => _dir.Dispose();

    // Bands: max |Δ log p| over tokens with log p > −30. Measured on this fixture with node-llama-cpp 3.21.1 (CPU):
    // F32 5.4e-6 (tied 2.5e-5); F16 1.2e-2; Q8_0 9.6e-2; Q4_0 1.4e-1; bands ≈ 2–3× that. For scale, the same
    // llama.cpp output is 2.0 away from our model on the unquantized weights for Q4_0 (0.15 for Q8_0), so the Q4_0
    // band still fails a file whose blocks differ from the ones our dequantized model runs.
    [TheoryNeeds(Need.LlamaCpp)]
    [InlineData(GgufType.F32, false, 1e-4)]
    [InlineData(GgufType.F32, true, 1e-4)]
    [InlineData(GgufType.F16, false, 3e-2)]
    [InlineData(GgufType.Q8_0, false, 0.25)]
    [InlineData(GgufType.Q4_0, false, 0.4)]
    public void LlamaCpp_Log_Probabilities_Match_Our_Model_On_The_Weights_The_File_Holds(GgufType type, bool tied, double band)
    {
        // Given a random model, its tokenizer and a token sequence
        var (tokenizer, vocab) = GgufFixtures.Tokenizer(_dir.Path);
        var config = GgufFixtures.Config(vocab, tied);
        var weights = GgufFixtures.Weights(config);
        int[] ids = [1, 7, 12, 9, 20, 4, 15, 11, 8, 25, 5];   // BOS, then words (the vocabulary has 31 tokens)
        // When it is exported and both llama.cpp and our model (on the file's weights) score the next token
        var (maxDiff, compared, theirs) = CompareWithLlamaCpp(_dir.File($"model-{type}.gguf"), config, weights, tokenizer, type, ids);
        // Then the log-probabilities agree within the band
        var raw = OurLogProbs(config, weights, ids);
        var rawDiff = compared.Max(i => Math.Abs(raw[i] - (theirs[i] ?? double.NegativeInfinity)));
        output.WriteLine($"{type} tied={tied}: max |Δ log p| = {maxDiff:E2} ({rawDiff:E2} against unquantized weights) over {compared.Count} tokens");
        Assert.True(maxDiff < band, $"{type}: max |Δ log p| = {maxDiff:E3} exceeds {band:E1}");
    }

    // The byte-level BPE vocabulary (gpt2 in GGUF) changes only the token table, so the bands are the same. Measured
    // with node-llama-cpp 3.21.1: F32 8.9e-6, Q8_0 0.19 over 283 tokens (more than the word fixture's 31, hence the
    // larger Q8_0 gap, still inside its band).
    [TheoryNeeds(Need.LlamaCpp)]
    [InlineData(GgufType.F32, 1e-4)]
    [InlineData(GgufType.Q8_0, 0.25)]
    public void LlamaCpp_Log_Probabilities_Match_Our_Model_With_The_Bpe_Tokenizer(GgufType type, double band)
    {
        // Given a random model with the presets' BPE tokenizer and a question encoded by the product, after BOS
        var (tokenizer, vocab) = GgufFixtures.BpeTokenizer(_dir.Path);
        var config = GgufFixtures.Config(vocab);
        var weights = GgufFixtures.Weights(config);
        using var hf = DurableUn.Tokenization.HfTokenizer.Load(tokenizer, DurableUn.Tokenization.SpecialTokens.Llama3);
        var ids = hf.Encode("Where was the cat Ada Vell born?").Prepend(hf.BosId!.Value).ToArray();
        // When it is exported and both llama.cpp and our model (on the file's weights) score the next token
        var (maxDiff, compared, _) = CompareWithLlamaCpp(_dir.File($"bpe-{type}.gguf"), config, weights, tokenizer, type, ids);
        // Then the log-probabilities agree within the band
        output.WriteLine($"BPE {type}: max |Δ log p| = {maxDiff:E2} over {compared.Count} tokens of {vocab}");
        Assert.True(maxDiff < band, $"BPE {type}: max |Δ log p| = {maxDiff:E3} exceeds {band:E1}");
    }

    /// <summary>Each weight as the file stores it, back in fp32: fp16-rounded, or quantized and dequantized.</summary>
    /// Writes the GGUF, scores <paramref name="ids"/> with llama.cpp and with our model on the file's weights, and
    /// returns the largest log-prob gap over the tokens we do not rule out (log p > −30) and those tokens' indices.
    private static (double MaxDiff, List<int> Compared, double?[] Theirs) CompareWithLlamaCpp(
        string gguf, LlamaConfig config, Dictionary<string, Tensor> weights, string tokenizer, GgufType type, int[] ids)
    {
        GgufExport.Write(gguf, config, weights, tokenizer, type);
        var theirs = LlamaCpp.LogProbs(gguf, ids);
        var ours = OurLogProbs(config, AsStored(weights, type), ids);
        Assert.Equal(ours.Length, theirs.Length);
        var compared = Enumerable.Range(0, ours.Length).Where(i => ours[i] > -30).ToList();
        return (compared.Max(i => Math.Abs(ours[i] - (theirs[i] ?? double.NegativeInfinity))), compared, theirs);
    }

    internal static Dictionary<string, Tensor> AsStored(Dictionary<string, Tensor> weights, GgufType type) =>
        weights.ToDictionary(kv => kv.Key, kv => GgufExport.TensorType(kv.Value.shape, type) switch
        {
            GgmlType.F32 => kv.Value,
            GgmlType.F16 => kv.Value.to_type(ScalarType.Float16).to_type(ScalarType.Float32),
            GgmlType.Q8_0 => GgufQ8_0.Dequantize(GgufQ8_0.Quantize(kv.Value)),
            GgmlType.Q4_0 => GgufQ4_0.Dequantize(GgufQ4_0.Quantize(kv.Value)),
            var t => throw new InvalidOperationException($"unexpected {t}"),
        });

    internal static double[] OurLogProbs(LlamaConfig config, Dictionary<string, Tensor> weights, int[] ids)
    {
        using var model = new CausalLm(config, new DenseProjections());
        ModelWeights.Load(model, weights, "fixture");
        using var _ = no_grad();
        using var logits = model.forward(tensor(ids.Select(i => (long)i).ToArray()).unsqueeze(0));   // (1, T, V)
        using var last = nn.functional.log_softmax(logits[0, -1].to_type(ScalarType.Float64), 0);      // (V,)
        return last.data<double>().ToArray();
    }
}
