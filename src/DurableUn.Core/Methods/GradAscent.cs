using static TorchSharp.torch;

namespace DurableUn.Methods;

/// <summary>Options of <see cref="GradAscent"/>: only the loop keys (OU GradAscent has no method_args).</summary>
public sealed record GradAscentOptions : IMethodOptions
{
    public double Lr { get; init; } = MethodDefaults.Lr;
    public int Steps { get; init; } = MethodDefaults.Steps;
    public int BatchSize { get; init; } = MethodDefaults.BatchSize;
    public IMethodOptions WithSchedule(double lr, int steps, int batchSize) => this with { Lr = lr, Steps = steps, BatchSize = batchSize };

    public void Validate() => OptionChecks.Common(this);
}

/// <summary>
/// Gradient ascent (Jang et al. 2023, arXiv:2210.01504; open-unlearning grad_ascent.py, TOFU grad_ascent):
/// L = −NLL(forget). Unbounded below, so it ends in collapse if run long enough; no retain term.
/// <para>In every pipeline it trains what that pipeline unlearns (the adapter, a fresh LoRA, or every weight); the
/// published settings per pipeline are in docs/methods.md#pipelines.</para>
/// </summary>
public sealed class GradAscent(GradAscentOptions options) : IUnlearningMethod
{
    public IMethodOptions Options => options;

    public Tensor Loss(UnlearningContext context, UnlearningBatch batch) => Of(Scored.Of(context.Model, batch.Forget));

    public static Tensor Of(Scored forget) => -UnlearningLosses.Nll(forget);
}
