using DurableUn.Tensors;
using DurableUn.Data.Tokenized;
using DurableUn.Model;
using static TorchSharp.torch;

namespace DurableUn.Evaluation;

/// <summary>
/// What a teacher-forced pass says about one example's scored tokens (the completion, EOS last):
/// log p(label), whether the argmax equals the label, and the Min-K%++ z-score of the label
/// (z = (log p − μ)/σ with μ, σ² the mean and variance of log p under the model's own distribution).
/// </summary>
public sealed record TokenScores(double[] LogProbs, bool[] Correct, double[] ZScores)
{
    /// Scored tokens without the final EOS (OU drops it for EM, ES and the Min-K token lists).
    public int AnswerLength => Math.Max(0, LogProbs.Length - 1);

    /// <summary>Runs the model over the examples in right-padded batches (no gradients) and scores each.</summary>
    public static IReadOnlyList<TokenScores> Of(CausalLm model, IReadOnlyList<EncodedExample> examples, int padId, int batchSize = 16)
    {
        using var _ = no_grad();
        var results = new List<TokenScores>(examples.Count);
        foreach (var chunk in examples.Chunk(batchSize))
        {
            using var scope = NewDisposeScope();
            using var batch = TokenBatch.RightPadded(chunk, padId);
            var logits = model.forward(batch.InputIds)[.., ..^1].to_type(ScalarType.Float32);    // (B, T−1, V)
            var labels = batch.Labels[.., 1..];                                                   // (B, T−1)
            var logp = logits.log_softmax(-1);                                                    // (B, T−1, V)
            var safe = labels.AtLeast(0);
            var chosen = logp.gather(-1, safe.unsqueeze(-1)).squeeze(-1);                         // (B, T−1)
            var correct = logits.argmax(-1).eq(safe);                                             // (B, T−1)
            var p = logp.exp();
            var mu = (p * logp).sum(-1);                                                          // (B, T−1)
            var sigma = ((p * logp.Square()).sum(-1) - mu.Square()).AtLeast(1e-6).sqrt();           // OU clamps σ² ≥ 1e-6
            var z = (chosen - mu) / sigma;
            var lp = chosen.to_type(ScalarType.Float64).data<double>().ToArray();
            var ok = correct.data<bool>().ToArray();
            var zz = z.to_type(ScalarType.Float64).data<double>().ToArray();
            var width = (int)labels.shape[1];
            for (var i = 0; i < chunk.Length; i++)
            {
                // scored positions of example i: its completion tokens, predicted from the position before each
                var start = chunk[i].PromptIds.Length - 1;
                var count = chunk[i].CompletionIds.Length;
                var from = i * width + start;
                results.Add(new TokenScores(lp[from..(from + count)], ok[from..(from + count)], zz[from..(from + count)]));
            }
        }
        return results;
    }
}
