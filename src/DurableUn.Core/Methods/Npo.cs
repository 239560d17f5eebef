using DurableUn.Tensors;
using static TorchSharp.torch;

namespace DurableUn.Methods;

/// <summary>How NPO's log-ratio is formed (docs/methods.md#npo).</summary>
public enum NpoForm
{
    /// open-unlearning: sequence log-probabilities, log π = −S(x). Canonical.
    Seq,
    /// MUSE / FailureLLMUnlearning code: the elementwise raw-logits difference averaged over every entry.
    Logits,
}

/// <summary>Options of <see cref="Npo"/> (open-unlearning configs/trainer/NPO.yaml: beta 0.1, alpha 1, gamma 1).</summary>
public sealed record NpoOptions : IMethodOptions
{
    public double Lr { get; init; } = MethodDefaults.Lr;
    public int Steps { get; init; } = MethodDefaults.Steps;
    public int BatchSize { get; init; } = MethodDefaults.BatchSize;
    public IMethodOptions WithSchedule(double lr, int steps, int batchSize) => this with { Lr = lr, Steps = steps, BatchSize = batchSize };
    /// β, inverse temperature (Zhang et al. and OU: 0.1); smaller β pushes away from the reference more gently.
    public double Beta { get; init; } = 0.1;
    /// γ, weight of the NPO term (OU gamma 1).
    public double ForgetWeight { get; init; } = 1.0;
    /// α, weight of the retain term (OU alpha 1).
    public double RetainWeight { get; init; } = 1.0;
    /// none (npo), nll (npo-gdr, OU's default) or kl (npo-klr).
    public RetainLoss RetainLoss { get; init; } = RetainLoss.Nll;
    /// seq (OU, canonical) or logits (MUSE).
    public NpoForm Form { get; init; } = NpoForm.Seq;

    public void Validate()
    {
        OptionChecks.Common(this);
        OptionChecks.Positive(Beta, "beta");
        OptionChecks.NonNegative(ForgetWeight, "forget_weight");
        OptionChecks.NonNegative(RetainWeight, "retain_weight");
    }
}

/// <summary>
/// Negative Preference Optimization (Zhang et al. 2024, arXiv:2404.05868; open-unlearning npo.py): pushes the model
/// below the reference on forget sequences, bounded by the log-sigmoid so it does not collapse as GA does.
/// L = γ·L_NPO(forget) + α·R(retain), L_NPO = −(2/β)·mean log σ(−β·(log π_θ − log π_ref)).
/// <para>In every pipeline it trains what that pipeline unlearns (the adapter, a fresh LoRA, or every weight); the
/// published settings per pipeline are in docs/methods.md#pipelines.</para>
/// </summary>
public sealed class Npo(NpoOptions options) : IUnlearningMethod
{
    public IMethodOptions Options => options;

    public Tensor Loss(UnlearningContext context, UnlearningBatch batch) =>
        Of(options, Scored.Of(context.Model, batch.Forget, context.Reference),
            RetainTerm.Score(options.RetainLoss, context.Model, context.Reference, batch.Retain));

    public static Tensor Of(NpoOptions o, Scored forget, Scored? retain) =>
        Forget(o.Form, forget, o.Beta).Times(o.ForgetWeight).Add(RetainTerm.Of(o.RetainLoss, retain).Times(o.RetainWeight));

    /// The NPO term alone, in either form (SURE and SAF use it as their forget loss).
    public static Tensor Forget(NpoForm form, Scored forget, double beta) => form switch
    {
        NpoForm.Seq => UnlearningLosses.NpoSequence(forget, beta),
        NpoForm.Logits => UnlearningLosses.NpoLogits(forget, beta),
        _ => throw new ArgumentOutOfRangeException(nameof(form), form, null),
    };
}
