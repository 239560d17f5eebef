using DurableUn.Tensors;
using static TorchSharp.torch;

namespace DurableUn.Methods;

/// <summary>Options of <see cref="GradDiff"/> (open-unlearning configs/trainer/GradDiff.yaml: gamma 1, alpha 1, NLL).</summary>
public sealed record GradDiffOptions : IMethodOptions
{
    public double Lr { get; init; } = MethodDefaults.Lr;
    public int Steps { get; init; } = MethodDefaults.Steps;
    public int BatchSize { get; init; } = MethodDefaults.BatchSize;
    public IMethodOptions WithSchedule(double lr, int steps, int batchSize) => this with { Lr = lr, Steps = steps, BatchSize = batchSize };
    /// γ, weight of the ascent on forget (OU gamma 1).
    public double ForgetWeight { get; init; } = 1.0;
    /// α, weight of the retain term (OU alpha 1).
    public double RetainWeight { get; init; } = 1.0;
    /// NLL for GradDiff (GDR); KL for GA-KL (GA_KLR).
    public RetainLoss RetainLoss { get; init; } = RetainLoss.Nll;

    public void Validate()
    {
        OptionChecks.Common(this);
        OptionChecks.NonNegative(ForgetWeight, "forget_weight");
        OptionChecks.NonNegative(RetainWeight, "retain_weight");
        if (RetainLoss == RetainLoss.None) throw OptionChecks.Bad("retain_loss", "none", "must be nll or kl (plain ascent is the ga method)");
    }
}

/// <summary>
/// Gradient difference (Liu et al. 2022; open-unlearning grad_diff.py, MUSE ga_gdr / ga_klr):
/// L = −γ·NLL(forget) + α·R(retain), R = NLL (GradDiff) or KL(p_ref ‖ p_θ) with padding masked (GA-KL).
/// <para>In every pipeline it trains what that pipeline unlearns (the adapter, a fresh LoRA, or every weight); the
/// published settings per pipeline are in docs/methods.md#pipelines.</para>
/// </summary>
public sealed class GradDiff(GradDiffOptions options) : IUnlearningMethod
{
    public IMethodOptions Options => options;

    public Tensor Loss(UnlearningContext context, UnlearningBatch batch) =>
        Of(options, Scored.Of(context.Model, batch.Forget), RetainTerm.Score(options.RetainLoss, context.Model, context.Reference, batch.Retain));

    public static Tensor Of(GradDiffOptions o, Scored forget, Scored? retain) =>
        UnlearningLosses.Nll(forget).Times(-o.ForgetWeight).Add(RetainTerm.Of(o.RetainLoss, retain).Times(o.RetainWeight));
}
