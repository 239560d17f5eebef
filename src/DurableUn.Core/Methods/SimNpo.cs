using DurableUn.Tensors;
using static TorchSharp.torch;

namespace DurableUn.Methods;

/// <summary>Options of <see cref="SimNpo"/> (open-unlearning configs/trainer/SimNPO.yaml).</summary>
public sealed record SimNpoOptions : IMethodOptions
{
    public double Lr { get; init; } = MethodDefaults.Lr;
    public int Steps { get; init; } = MethodDefaults.Steps;
    public int BatchSize { get; init; } = MethodDefaults.BatchSize;
    public IMethodOptions WithSchedule(double lr, int steps, int batchSize) => this with { Lr = lr, Steps = steps, BatchSize = batchSize };
    /// β (OU 4.5): larger than NPO's because the log-ratio is a per-token mean, not a sequence sum.
    public double Beta { get; init; } = 4.5;
    /// δ, margin on the mean NLL (OU 0); the paper's γ = β·δ.
    public double Delta { get; init; }
    /// γ, weight of the SimNPO term (OU gamma 0.125).
    public double ForgetWeight { get; init; } = 0.125;
    /// α, weight of the retain NLL (OU alpha 1).
    public double RetainWeight { get; init; } = 1.0;

    public void Validate()
    {
        OptionChecks.Common(this);
        OptionChecks.Positive(Beta, "beta");
        if (!double.IsFinite(Delta)) throw OptionChecks.Bad("delta", Delta, "must be finite");
        OptionChecks.NonNegative(ForgetWeight, "forget_weight");
        OptionChecks.NonNegative(RetainWeight, "retain_weight");
    }
}

/// <summary>
/// SimNPO (Fan et al. 2024, arXiv:2410.07163; open-unlearning simnpo.py): NPO without the reference model and with
/// length normalisation. L = γ·(−(2/β)·mean log σ(β·(S(x)/|y| − δ))) + α·NLL(retain).
/// <para>In every pipeline it trains what that pipeline unlearns (the adapter, a fresh LoRA, or every weight); the
/// published settings per pipeline are in docs/methods.md#pipelines.</para>
/// </summary>
public sealed class SimNpo(SimNpoOptions options) : IUnlearningMethod
{
    public IMethodOptions Options => options;

    public Tensor Loss(UnlearningContext context, UnlearningBatch batch) =>
        Of(options, Scored.Of(context.Model, batch.Forget), Scored.Of(context.Model, batch.Retain));

    public static Tensor Of(SimNpoOptions o, Scored forget, Scored retain) =>
        UnlearningLosses.SimNpo(forget, o.Beta, o.Delta).Times(o.ForgetWeight).Add(UnlearningLosses.Nll(retain).Times(o.RetainWeight));
}
