using DurableUn.Checkpoints.Gguf;
using DurableUn.Data;
using DurableUn.Data.Tokenized;
using DurableUn.Evaluation;
using DurableUn.LlamaCpp;
using DurableUn.Model;
using DurableUn.Presets;
using DurableUn.Tests.Checkpoints;
using DurableUn.Tests.Checkpoints.Gguf;
using DurableUn.Tokenization;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace DurableUn.Tests.LlamaCpp;

/// <summary>
/// The GGUF measurement against our own: a smoke-preset model exported as f32 GGUF, measured by llama.cpp in-process
/// (<see cref="LlamaCppQaAccuracy"/>) and by our engine (<see cref="QaAccuracy"/>, TokenScores) on the same items with
/// the same template and BOS rule, must give the same prompts, the same greedy answers and the same answer
/// probabilities to 1e-4 in log.
/// </summary>
public sealed class LlamaCppQaAccuracyTests(ITestOutputHelper output) : IDisposable
{
    private readonly TempFolder _dir = new();

    public void Dispose() => _dir.Dispose();

    private static readonly QaItem[] Items =
        [.. GgufFixtures.Forget, new("Which awards has Hsiao Yun-Hwa received for her writing?", "None that the cat knows of.", new KeyFact("None", 0, 4))];

    [Fact]
    public void LlamaCpp_At_F32_Gives_Our_Prompts_Greedy_Answers_And_Answer_Probabilities()
    {
        // Given a smoke-preset model with the presets' BPE tokenizer, exported as an f32 GGUF
        var (tokenizerPath, vocab) = GgufFixtures.BpeTokenizer(_dir.Path);
        var config = ModelPresets.Config(ModelPreset.Smoke, vocab);
        var weights = GgufFixtures.Weights(config);
        var gguf = _dir.File("smoke.gguf");
        GgufExport.Write(gguf, config, weights, tokenizerPath, GgufType.F32);
        using var hf = HfTokenizer.Load(tokenizerPath, SpecialTokens.Llama3);
        var ours = new QaEncoder(hf, new PromptTemplate.Plain());
        using var ourModel = new CausalLm(config, new DenseProjections());
        ModelWeights.Load(ourModel, weights, "fixture");
        using var file = LlamaCppModel.Load(gguf, threads: 1);
        var theirs = new QaEncoder(new LlamaCppTokenizer(file), new PromptTemplate.Plain());

        // When both encode, decode greedily and score the answers
        var ourAnswers = QaAccuracy.GreedyAnswers(ourModel, ours, Items.Select(i => i.Question).ToList(), maxNewTokens: 24);
        var measured = LlamaCppQaAccuracy.Measure(file, theirs, [Items], AccuracyMetric.KeyFact, maxNewTokens: 24)[0];
        List<double> ourProbabilities;
        using (no_grad())
            ourProbabilities = TokenScores.Of(ourModel, Items.Select(i => ours.Encode(i.Question, i.Answer)).ToList(), hf.PadId)
                .Select(s => Math.Exp(s.LogProbs.Average())).ToList();

        // Then prompts and completions are the same ids, the answers the same text, the probabilities within 1e-4
        foreach (var item in Items)
        {
            var (a, b) = (ours.Encode(item.Question, item.Answer), theirs.Encode(item.Question, item.Answer));
            Assert.Equal(a.PromptIds, b.PromptIds);
            Assert.Equal(a.CompletionIds, b.CompletionIds);
        }
        for (var i = 0; i < Items.Length; i++)
            output.WriteLine($"\"{ourAnswers[i]}\" p {ourProbabilities[i]:E6} | llama.cpp \"{measured.Answers[i]}\" p {measured.Probability.PerExample[i]:E6}");
        Assert.Equal(ourAnswers, measured.Answers);
        // |Δ log p̄| < 1e-4 bounds |Δp̄| by 1e-4·p̄, tighter than 1e-4 for these small probabilities
        Assert.All(Items.Select((_, i) => Math.Abs(Math.Log(ourProbabilities[i]) - Math.Log(measured.Probability.PerExample[i]))),
            d => Assert.True(d < 1e-4, $"|Δ log p̄| = {d:E2}"));
        Assert.Contains(ourAnswers, a => a.Length > 0);   // the comparison is not between empty answers
    }
}
