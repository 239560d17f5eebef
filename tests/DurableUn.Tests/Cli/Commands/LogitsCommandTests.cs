using System.Text.Json;
using DurableUn.Adapters;
using DurableUn.Checkpoints;
using DurableUn.Model;
using DurableUn.Quantization;
using static TorchSharp.torch;

namespace DurableUn.Tests.Cli.Commands;

/// <summary>
/// `durableun logits`, run as a child process with one torch thread; its JSON is checked for being a distribution and
/// against models built here by hand: the dense model, the NF4 base alone, and the dense model with the adapter merged.
/// The band 1e-5 on log p covers fp32 reductions done with another thread count than this test host's.
/// </summary>
public sealed class LogitsCommandTests(CliModelFixture fixture) : IClassFixture<CliModelFixture>
{
    private const string Prompt = "Where was Ada born";
    private const double Band = 1e-5;

    private sealed record Printed(string Precision, int[] PromptIds, (int Id, string Token, double LogProb)[] Top);

    [Fact]
    public void The_Full_Vocabulary_Is_A_Distribution_And_Matches_The_Dense_Model()
    {
        // Given the dense model's vocabulary size
        var vocab = fixture.Config.VocabSize;
        // When every token is printed
        var printed = Logits("--top-k", $"{vocab}");
        // Then the JSON lists each token once, most likely first, exp(log p) sums to 1, and BOS starts the prompt
        Assert.Equal("dense", printed.Precision);
        Assert.Equal(fixture.Config.BosTokenId, printed.PromptIds[0]);
        Assert.Equal(Enumerable.Range(0, vocab), printed.Top.Select(t => t.Id).Order());
        Assert.Equal(printed.Top.Select(t => t.LogProb).OrderDescending(), printed.Top.Select(t => t.LogProb));
        Assert.Equal(1.0, printed.Top.Sum(t => Math.Exp(t.LogProb)), 1e-9);
        // and the numbers are the dense model's own
        using var pretrained = PretrainedModel.Load(fixture.ModelDir);
        AssertMatches(NextToken.LogProbs(pretrained.Model, printed.PromptIds), printed);
    }

    [Fact]
    public void A_Precision_Without_An_Adapter_Measures_The_Nf4_Base_Alone()
    {
        // Given the dense model with every projection replaced by its NF4 round trip (block 64, double quant: QLoRA's base)
        using var pretrained = PretrainedModel.Load(fixture.ModelDir);
        var weights = ModelWeights.StateDict(pretrained.Model);
        var spec = new QuantSpec(QuantFormat.Nf4) { DoubleQuant = true };
        foreach (var name in weights.Keys.Where(k => k.EndsWith("_proj.weight", StringComparison.Ordinal)).ToList())
            weights[name] = Quantizer.RoundTrip(weights[name], spec, name);
        ModelWeights.Load(pretrained.Model, weights, "nf4 round trip");
        // When the CLI deploys the model at nf4 without an adapter (a zero adapter: B = 0)
        var printed = Logits("--precision", "nf4", "--top-k", "5");
        // Then it prints that model's next-token log-probabilities
        Assert.Equal("nf4", printed.Precision);
        AssertMatches(NextToken.LogProbs(pretrained.Model, printed.PromptIds), printed);
    }

    [Fact]
    public void An_Adapter_Without_A_Precision_Is_Merged_Into_The_Dense_Model()
    {
        // Given the dense model with the adapter merged by hand, W + (α/r)·B·A
        using var pretrained = PretrainedModel.Load(fixture.ModelDir);
        var weights = ModelWeights.StateDict(pretrained.Model);
        var adapter = PeftAdapterFiles.Load(fixture.AdapterDir, fixture.Config);
        foreach (var (path, lora) in adapter.Layers)
            weights[$"{path}.weight"] = weights[$"{path}.weight"] + lora.B.matmul(lora.A) * adapter.Options.Scale;
        ModelWeights.Load(pretrained.Model, weights, "merged by hand");
        // When
        var printed = Logits("--adapter", fixture.AdapterDir, "--top-k", "5");
        // Then
        AssertMatches(NextToken.LogProbs(pretrained.Model, printed.PromptIds), printed);
    }

    private Printed Logits(params string[] options)
    {
        var stdout = DurableUnCli.Succeed(["logits", fixture.ModelDir, "--prompt", Prompt, .. options]);
        using var doc = JsonDocument.Parse(stdout);
        var root = doc.RootElement;
        return new Printed(
            root.GetProperty("precision").GetString()!,
            root.GetProperty("prompt_ids").EnumerateArray().Select(e => e.GetInt32()).ToArray(),
            root.GetProperty("top").EnumerateArray()
                .Select(e => (e.GetProperty("id").GetInt32(), e.GetProperty("token").GetString()!, e.GetProperty("logprob").GetDouble())).ToArray());
    }

    private static void AssertMatches(double[] expected, Printed printed)
    {
        foreach (var (id, _, logProb) in printed.Top)
            Assert.True(Math.Abs(expected[id] - logProb) < Band, $"token {id}: printed {logProb}, expected {expected[id]}");
        Assert.Equal(expected.Max(), printed.Top[0].LogProb, Band);
    }
}
