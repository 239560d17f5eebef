using static TorchSharp.torch;

namespace DurableUn.Model;

/// <summary>One candidate next token and its log-probability.</summary>
public sealed record TokenLogProb(int Id, double LogProb);

/// <summary>
/// The next-token distribution after a prompt: log_softmax of the last position's logits, in float64 so that
/// Σ exp(log p) over the vocabulary is 1 to ~1e-15 whatever the model's dtype. What `durableun logits` prints and what
/// llama.cpp's logits are compared with (tests/…/Gguf/LlamaCppLogitsTests).
/// Not: sampling or generation (<see cref="Generation"/>); not: batching (one prompt, no padding, no mask).
/// </summary>
public static class NextToken
{
    /// <summary>log p(v | ids) for every vocabulary entry v, (V,).</summary>
    public static double[] LogProbs(CausalLm model, IReadOnlyList<int> ids)
    {
        if (ids.Count == 0) throw new ArgumentException("the prompt has no tokens (and the model no BOS to start from)");
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var input = tensor(ids.Select(i => (long)i).ToArray()).unsqueeze(0);          // (1, T)
        var last = model.forward(input)[0, -1].to_type(ScalarType.Float64);             // (V,)
        // Finite weights can still overflow in the forward pass; NaN logits would print as a flat distribution.
        Tensors.FiniteCheck.Weight(last, "the next-token logits", "the forward pass");
        return nn.functional.log_softmax(last, 0).data<double>().ToArray();
    }

    /// <summary>The <paramref name="k"/> most likely tokens, most likely first; ties go to the lower id.</summary>
    public static IReadOnlyList<TokenLogProb> TopK(IReadOnlyList<double> logProbs, int k)
    {
        if (k < 1 || k > logProbs.Count) throw new ArgumentOutOfRangeException(nameof(k), k, $"top-k must be from 1 to the vocabulary size {logProbs.Count}");
        return logProbs.Select((lp, id) => new TokenLogProb(id, lp))
            .OrderByDescending(t => t.LogProb).ThenBy(t => t.Id).Take(k).ToList();
    }
}
