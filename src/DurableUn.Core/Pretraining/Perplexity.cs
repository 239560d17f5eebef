using DurableUn.Data;
using DurableUn.Data.Tokenized;
using DurableUn.Model;
using DurableUn.Tokenization;
using DurableUn.Training;
using static TorchSharp.torch;

namespace DurableUn.Pretraining;

/// <summary>
/// Per-token perplexity of texts packed into rows as the pretrainer packs them (every token after BOS scored):
/// exp of the mean negative log-likelihood. <see cref="Unigram"/> is the reference a language model must beat: token
/// frequencies of a training corpus with add-one smoothing over the vocabulary, scored on the same tokens.
/// Not: a benchmark metric (the suites have their own).
/// </summary>
public static class Perplexity
{
    public static double Of(CausalLm model, ITokenizer tokenizer, IEnumerable<string> texts, int rowLength, int batchSize = 16)
    {
        var rows = TextChunker.Chunk(tokenizer, texts, rowLength, PromptTemplate.Plain.AnswerCue);
        double nll = 0, count = 0;
        using var _ = no_grad();
        foreach (var chunk in rows.Chunk(batchSize))
        {
            using var scope = NewDisposeScope();
            using var batch = TokenBatch.RightPadded(chunk, tokenizer.PadId);
            var losses = TokenLosses.Of(model, batch);
            nll += losses.Nll.sum().item<float>();
            count += losses.Mask.sum().item<float>();
        }
        return Math.Exp(nll / count);
    }

    /// <summary>A unigram model of <paramref name="training"/> (add-one smoothing over <paramref name="vocabSize"/>
    /// tokens) scored on the tokens of <paramref name="heldOut"/> that a packed row scores.</summary>
    public static double Unigram(ITokenizer tokenizer, IEnumerable<string> training, IEnumerable<string> heldOut, int rowLength, int vocabSize)
    {
        var counts = new long[vocabSize];
        long total = 0;
        foreach (var row in TextChunker.Chunk(tokenizer, training, rowLength, PromptTemplate.Plain.AnswerCue))
            foreach (var id in row.CompletionIds) { counts[id]++; total++; }
        double nll = 0;
        long n = 0;
        foreach (var row in TextChunker.Chunk(tokenizer, heldOut, rowLength, PromptTemplate.Plain.AnswerCue))
            foreach (var id in row.CompletionIds)
            {
                nll -= Math.Log((counts[id] + 1.0) / (total + vocabSize));
                n++;
            }
        return Math.Exp(nll / n);
    }
}
