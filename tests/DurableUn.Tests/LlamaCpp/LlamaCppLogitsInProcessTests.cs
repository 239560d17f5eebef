using DurableUn.Checkpoints.Gguf;
using DurableUn.LlamaCpp;
using DurableUn.Tests.Checkpoints;
using DurableUn.Tests.Checkpoints.Gguf;
using Xunit.Abstractions;

namespace DurableUn.Tests.LlamaCpp;

/// <summary>
/// The same oracle as Checkpoints/Gguf/LlamaCppLogitsTests, run in-process: llama.cpp (LLamaSharp.Backend.Cpu 0.30)
/// loads the exported file and scores the same ids as our model on the weights the file holds. No node needed; the
/// node test stays as a second, independently built llama.cpp.
/// </summary>
public sealed class LlamaCppLogitsInProcessTests(ITestOutputHelper output) : IDisposable
{
    private readonly TempFolder _dir = new();

    public void Dispose() => _dir.Dispose();

    // The node test's bands (F32 1e-4; F16, Q8_0 and Q4_0: llama.cpp rounds activations before each matmul).
    [Theory]
    [InlineData(GgufType.F32, false, 1e-4)]
    [InlineData(GgufType.F32, true, 1e-4)]
    [InlineData(GgufType.F16, false, 3e-2)]
    [InlineData(GgufType.Q8_0, false, 0.25)]
    [InlineData(GgufType.Q4_0, false, 0.4)]
    public void LlamaCpp_In_Process_Log_Probabilities_Match_Our_Model_On_The_Weights_The_File_Holds(GgufType type, bool tied, double band)
    {
        // Given a random model exported at the type, and a token sequence
        var (tokenizer, vocab) = GgufFixtures.Tokenizer(_dir.Path);
        var config = GgufFixtures.Config(vocab, tied);
        var weights = GgufFixtures.Weights(config);
        int[] ids = [1, 7, 12, 9, 20, 4, 15, 11, 8, 25, 5];
        var gguf = _dir.File($"model-{type}.gguf");
        GgufExport.Write(gguf, config, weights, tokenizer, type);
        // When llama.cpp in-process and our model (on the file's weights) score the next token
        using var model = LlamaCppModel.Load(gguf, threads: 1);
        var theirs = LlamaCppInference.NextTokenLogProbs(model, ids);
        var ours = LlamaCppLogitsTests.OurLogProbs(config, LlamaCppLogitsTests.AsStored(weights, type), ids);
        // Then the log-probabilities of every token we do not rule out (log p > −30) agree within the band
        Assert.Equal(ours.Length, theirs.Length);
        var compared = Enumerable.Range(0, ours.Length).Where(i => ours[i] > -30).ToList();
        var maxDiff = compared.Max(i => Math.Abs(ours[i] - theirs[i]));
        output.WriteLine($"{type} tied={tied}: max |Δ log p| = {maxDiff:E2} over {compared.Count} tokens");
        Assert.True(maxDiff < band, $"{type}: max |Δ log p| = {maxDiff:E3} exceeds {band:E1}");
    }
}
