using DurableUn.Tensors;
using static TorchSharp.torch;

namespace DurableUn.Methods;

/// <summary>Options of <see cref="IdkDpo"/> (open-unlearning configs/trainer/DPO.yaml: beta 0.1, alpha 1, gamma 1).</summary>
public sealed record IdkDpoOptions : IMethodOptions
{
    public double Lr { get; init; } = MethodDefaults.Lr;
    public int Steps { get; init; } = MethodDefaults.Steps;
    public int BatchSize { get; init; } = MethodDefaults.BatchSize;
    public IMethodOptions WithSchedule(double lr, int steps, int batchSize) => this with { Lr = lr, Steps = steps, BatchSize = batchSize };
    /// β (OU 0.1).
    public double Beta { get; init; } = 0.1;
    /// γ, weight of the DPO term (OU gamma 1).
    public double ForgetWeight { get; init; } = 1.0;
    /// α, weight of the retain NLL (OU alpha 1).
    public double RetainWeight { get; init; } = 1.0;

    public void Validate()
    {
        OptionChecks.Common(this);
        OptionChecks.Positive(Beta, "beta");
        OptionChecks.NonNegative(ForgetWeight, "forget_weight");
        OptionChecks.NonNegative(RetainWeight, "retain_weight");
    }
}

/// <summary>
/// IdkDPO (Rafailov et al. 2023 DPO as used by TOFU, Maini et al. 2024; open-unlearning dpo.py): prefer a refusal
/// (win) over the true forget answer (lose) relative to the reference. L = γ·DPO(idk, forget) + α·NLL(retain), with
/// OU's 2/β scaling. Refusals come from <see cref="Data.Refusals"/>, one drawn per item.
/// <para>In every pipeline it trains what that pipeline unlearns (the adapter, a fresh LoRA, or every weight); the
/// published settings per pipeline are in docs/methods.md#pipelines.</para>
/// </summary>
public sealed class IdkDpo(IdkDpoOptions options) : IUnlearningMethod
{
    public IMethodOptions Options => options;
    public BatchExtras Extras => BatchExtras.Idk;

    public Tensor Loss(UnlearningContext context, UnlearningBatch batch) =>
        Of(options, Scored.Of(context.Model, batch.Forget, context.Reference),
            Scored.Of(context.Model, batch.RequireIdk(), context.Reference), Scored.Of(context.Model, batch.Retain));

    public static Tensor Of(IdkDpoOptions o, Scored forget, Scored idk, Scored retain) =>
        UnlearningLosses.Dpo(win: idk, lose: forget, o.Beta).Times(o.ForgetWeight).Add(UnlearningLosses.Nll(retain).Times(o.RetainWeight));
}
