using DurableUn.Tensors;
using DurableUn.Data.Tokenized;
using static TorchSharp.torch;

namespace DurableUn.Training;

/// <summary>Per-token negative log-likelihoods of a batch, with the mask of the positions that carry a label.</summary>
/// <param name="Nll">(B, T−1) −log p(label_{t+1} | ≤ t); 0 where unlabelled.</param>
/// <param name="Mask">(B, T−1) 1.0 where a label exists, else 0.</param>
public sealed record TokenNll(Tensor Nll, Tensor Mask)
{
    /// Mean over every labelled token of the batch: open-unlearning's NLL / HF's causal-LM loss.
    public Tensor Mean() => Nll.sum() / Mask.sum().AtLeast(1);
    /// (B,) S(x): the sum of token NLL per sequence (NPO/DPO use log π = −S).
    public Tensor SequenceSum() => Nll.sum(1);
    /// (B,) number of labelled tokens per sequence (|y|).
    public Tensor Counts() => Mask.sum(1);
    /// (B,) mean NLL per sequence (TOFU's probability and truth ratio, SimNPO).
    public Tensor SequenceMean() => SequenceSum() / Counts().AtLeast(1);
}

/// <summary>
/// The label-shifted token losses every method and metric shares (docs/methods.md#notation): logits[:, :−1]
/// predict labels[:, 1:], −100 labels carry no loss. Computed in fp32 whatever the model's dtype.
/// Not: KL terms or hidden-state losses (methods build those from logits/hidden states themselves).
/// </summary>
public static class TokenLosses
{
    /// <param name="logits">(B, T, V)</param>
    /// <param name="labels">(B, T) int64 with −100 on ignored positions.</param>
    public static TokenNll PerToken(Tensor logits, Tensor labels)
    {
        using var scope = NewDisposeScope();
        var shiftedLogits = logits[.., ..^1].to_type(ScalarType.Float32);                     // (B, T−1, V)
        var shiftedLabels = labels[.., 1..];                                                   // (B, T−1)
        var mask = shiftedLabels.NotEqualTo(EncodedExample.IgnoreIndex);                               // (B, T−1)
        var safe = shiftedLabels.Filled(mask.logical_not(), 0);
        var logp = shiftedLogits.log_softmax(-1).gather(-1, safe.unsqueeze(-1)).squeeze(-1);   // (B, T−1)
        var maskF = mask.to_type(ScalarType.Float32);
        return new TokenNll((-logp * maskF).MoveToOuterDisposeScope(), maskF.MoveToOuterDisposeScope());
    }

    /// <summary>
    /// Runs the model on a right-padded batch and returns its token NLLs. No attention mask is passed: with right
    /// padding the causal mask alone already keeps every real token from seeing the padding after it, and the
    /// padded positions carry no label, so the fused causal attention path gives the same losses, faster.
    /// </summary>
    public static TokenNll Of(Model.CausalLm model, TokenBatch batch) =>
        PerToken(model.Forward(batch.InputIds).Logits, batch.Labels);
}
