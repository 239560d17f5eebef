using DurableUn.Data.Tokenized;
using DurableUn.Model;
using static TorchSharp.torch;

namespace DurableUn.Methods;

/// <summary>
/// The retain-set term a method adds to its forget loss (open-unlearning retain_loss_type; MUSE/FailureLLM "_gdr" and
/// "_klr"). Composed into methods as a value, never inherited. None means the method forgets without a retain term.
/// </summary>
public enum RetainLoss
{
    /// No retain term (plain GA, NPO).
    None,
    /// NLL on the retain batch: "gradient descent on retain" (GDR).
    Nll,
    /// KL(p_ref ‖ p_θ) on the retain batch, padding masked (KLR).
    Kl,
}

/// <summary>Evaluates a <see cref="RetainLoss"/> on a retain batch.</summary>
public static class RetainTerm
{
    /// Whether computing this term needs the reference model's logits.
    public static bool NeedsReference(RetainLoss kind) => kind == RetainLoss.Kl;

    /// The retain batch scored as the term needs it; null when there is no term.
    public static Scored? Score(RetainLoss kind, CausalLm model, CausalLm reference, TokenBatch retain) => kind switch
    {
        RetainLoss.None => null,
        _ => Scored.Of(model, retain, NeedsReference(kind) ? reference : null),
    };

    /// The unweighted term: 0 for None.
    public static Tensor Of(RetainLoss kind, Scored? retain) => kind switch
    {
        RetainLoss.None => tensor(0f),
        RetainLoss.Nll => UnlearningLosses.Nll(Require(retain)),
        RetainLoss.Kl => UnlearningLosses.Kl(Require(retain)),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    private static Scored Require(Scored? retain) =>
        retain ?? throw new ArgumentNullException(nameof(retain), "a retain term needs the scored retain batch");
}
