using DurableUn.Tensors;
using DurableUn.Data.Tokenized;
using DurableUn.Training;
using static TorchSharp.torch;

namespace DurableUn.Methods;

/// <summary>
/// The loss terms the methods are made of, as pure functions of logits (or hidden states) and labels, so each can be
/// checked against an independent script without a model (scripts/make_methods_golden.py). Notation of
/// docs/methods.md#notation: NLL = mean token CE over label positions with the HF shift, S(x) = per-sequence sum, log π
/// = −S. Everything is computed in fp32. Not: forward passes (see <see cref="Scored"/>), weighting (each method does
/// its own).
/// </summary>
public static class UnlearningLosses
{
    /// NLL(x): mean over every labelled token of the batch.
    public static Tensor Nll(Scored s) => TokenLosses.PerToken(s.Logits, s.Labels).Mean();

    /// <summary>
    /// KL(p_ref ‖ p_θ) summed over the vocabulary at every position that predicts a label, averaged over those
    /// positions. Unlike open-unlearning and MUSE (kl_div with reduction batchmean over all B·T rows, padding and
    /// prompt included), padding and unlabelled positions are masked here, because a batch's KL must not
    /// depend on how much padding it happens to carry.
    /// </summary>
    public static Tensor Kl(Scored s)
    {
        using var scope = NewDisposeScope();
        var logp = s.Logits[.., ..^1].to_type(ScalarType.Float32).log_softmax(-1);            // (B, T−1, V)
        var logq = s.RequireReference().detach()[.., ..^1].to_type(ScalarType.Float32).log_softmax(-1);   // (B, T−1, V)
        var perPosition = (logq.exp() * (logq - logp)).sum(-1);                               // (B, T−1)
        var mask = LabelledPositions(s.Labels);                                               // (B, T−1)
        return ((perPosition * mask).sum() / mask.sum().AtLeast(1)).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// NPO, sequence-log-probability form (open-unlearning compute_dpo_loss with no win side):
    /// −(2/β)·mean log σ(−β·(log π_θ − log π_ref)), log π = −S(x).
    /// </summary>
    public static Tensor NpoSequence(Scored forget, double beta)
    {
        using var scope = NewDisposeScope();
        var logRatio = LogRatio(forget);                                                      // (B,)
        return nn.functional.logsigmoid(logRatio.Times(-beta)).mean().Times(-2.0 / beta).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// NPO as MUSE and FailureLLMUnlearning code it: −(2/β)·mean log σ(β·(z_ref − z_θ)) with z the raw logits, the mean
    /// over every (batch, position, vocabulary) entry, padding and prompt included, as there. Odd on purpose of
    /// fidelity: it is not a log-likelihood ratio (softmax ignores a shift of all logits, this term does not) and it
    /// never looks at the labels. Kept as an option to reproduce those papers; the sequence form is canonical.
    /// </summary>
    public static Tensor NpoLogits(Scored forget, double beta)
    {
        using var scope = NewDisposeScope();
        var difference = forget.RequireReference().detach().to_type(ScalarType.Float32)
                         - forget.Logits.to_type(ScalarType.Float32);                         // (B, T, V)
        return nn.functional.logsigmoid(difference.Times(beta)).mean().Times(-2.0 / beta).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// SimNPO (Fan et al. 2024, arXiv:2410.07163; open-unlearning simnpo.py): −(2/β)·mean log σ(β·(S(x)/|y| − δ)).
    /// S/|y| is the mean NLL of a sequence, so the loss falls as the forget answers become less likely; no reference
    /// model. The paper's margin γ equals β·δ here.
    /// </summary>
    public static Tensor SimNpo(Scored forget, double beta, double delta)
    {
        using var scope = NewDisposeScope();
        var meanNll = TokenLosses.PerToken(forget.Logits, forget.Labels).SequenceMean();     // (B,)
        return nn.functional.logsigmoid(meanNll.Minus(delta).Times(beta)).mean().Times(-2.0 / beta).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// DPO as open-unlearning computes it (compute_dpo_loss): −(2/β)·mean log σ(β·[(log π_θ − log π_ref)(win) −
    /// (log π_θ − log π_ref)(lose)]) with sequence-sum log-probabilities. Legacy TOFU has no 2/β.
    /// </summary>
    public static Tensor Dpo(Scored win, Scored lose, double beta)
    {
        using var scope = NewDisposeScope();
        var margin = LogRatio(win) - LogRatio(lose);                                          // (B,)
        return nn.functional.logsigmoid(margin.Times(beta)).mean().Times(-2.0 / beta).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// RMU's activation distance (open-unlearning rmu.py compute_activation_loss): per token the mean over d of the
    /// squared difference, i.e. ‖h − target‖²/d, averaged over the label tokens of each sequence, then over sequences.
    /// The mask is the unshifted labels: the hidden state at a token the answer consists of.
    /// </summary>
    /// <param name="hidden">(B, T, d)</param>
    /// <param name="target">(B, T, d) or broadcastable to it (RMU's control vector is (d,)).</param>
    /// <param name="labels">(B, T) with −100 on prompt and padding.</param>
    public static Tensor ActivationDistance(Tensor hidden, Tensor target, Tensor labels)
    {
        using var scope = NewDisposeScope();
        var perToken = (hidden.to_type(ScalarType.Float32) - target.to_type(ScalarType.Float32)).Square().mean([-1L]);   // (B, T)
        var mask = labels.NotEqualTo(EncodedExample.IgnoreIndex).to_type(ScalarType.Float32);        // (B, T)
        var perSequence = (perToken * mask).sum(1) / mask.sum(1).AtLeast(1);                // (B,)
        return perSequence.mean().MoveToOuterDisposeScope();
    }

    /// (B,) log π_θ(y|x) − log π_ref(y|x) = S_ref − S_θ.
    private static Tensor LogRatio(Scored s)
    {
        var own = TokenLosses.PerToken(s.Logits, s.Labels).SequenceSum();
        var reference = TokenLosses.PerToken(s.RequireReference().detach(), s.Labels).SequenceSum();
        return reference - own;
    }

    /// (B, T−1) 1.0 where logits at t predict a label at t+1.
    private static Tensor LabelledPositions(Tensor labels) =>
        labels[.., 1..].NotEqualTo(EncodedExample.IgnoreIndex).to_type(ScalarType.Float32);
}
