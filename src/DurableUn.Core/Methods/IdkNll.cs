using DurableUn.Tensors;
using static TorchSharp.torch;

namespace DurableUn.Methods;

/// <summary>Options of <see cref="IdkNll"/> (TOFU's "idk" loss has no weights; both are 1 there).</summary>
public sealed record IdkNllOptions : IMethodOptions
{
    public double Lr { get; init; } = MethodDefaults.Lr;
    public int Steps { get; init; } = MethodDefaults.Steps;
    public int BatchSize { get; init; } = MethodDefaults.BatchSize;
    public IMethodOptions WithSchedule(double lr, int steps, int batchSize) => this with { Lr = lr, Steps = steps, BatchSize = batchSize };
    /// γ, weight of the NLL on (forget question, refusal) (TOFU 1).
    public double ForgetWeight { get; init; } = 1.0;
    /// α, weight of the retain NLL (TOFU 1).
    public double RetainWeight { get; init; } = 1.0;

    public void Validate()
    {
        OptionChecks.Common(this);
        OptionChecks.NonNegative(ForgetWeight, "forget_weight");
        OptionChecks.NonNegative(RetainWeight, "retain_weight");
    }
}

/// <summary>
/// IdkNLL (TOFU, Maini et al. 2024, locuslab/tofu "idk"): fine-tune the forget questions towards a refusal.
/// L = γ·NLL(q_f, refusal) + α·NLL(retain). It never looks at the forget answers themselves.
/// <para>In every pipeline it trains what that pipeline unlearns (the adapter, a fresh LoRA, or every weight); the
/// published settings per pipeline are in docs/methods.md#pipelines.</para>
/// </summary>
public sealed class IdkNll(IdkNllOptions options) : IUnlearningMethod
{
    public IMethodOptions Options => options;
    public BatchExtras Extras => BatchExtras.Idk;

    public Tensor Loss(UnlearningContext context, UnlearningBatch batch) =>
        Of(options, Scored.Of(context.Model, batch.RequireIdk()), Scored.Of(context.Model, batch.Retain));

    public static Tensor Of(IdkNllOptions o, Scored idk, Scored retain) =>
        UnlearningLosses.Nll(idk).Times(o.ForgetWeight).Add(UnlearningLosses.Nll(retain).Times(o.RetainWeight));
}
