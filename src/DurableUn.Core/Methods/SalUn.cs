using DurableUn.Tensors;
using DurableUn.Data.Tokenized;
using static TorchSharp.torch;

namespace DurableUn.Methods;

/// <summary>Options of <see cref="SalUn"/> (Fan et al. ICLR 2024; SalUn is not in open-unlearning).</summary>
public sealed record SalUnOptions : IMethodOptions
{
    public double Lr { get; init; } = MethodDefaults.Lr;
    public int Steps { get; init; } = MethodDefaults.Steps;
    public int BatchSize { get; init; } = MethodDefaults.BatchSize;
    public IMethodOptions WithSchedule(double lr, int steps, int batchSize) => this with { Lr = lr, Steps = steps, BatchSize = batchSize };
    /// Fraction of weights (elementwise, ranked globally by |saliency|) that may change: the paper's default mask
    /// with_0.5.pt (OPTML-Group/Unlearn-Saliency generate_mask.py).
    public double MaskFraction { get; init; } = 0.5;
    /// α, weight of the retain NLL (the paper's CE on D_r has weight 1).
    public double RetainWeight { get; init; } = 1.0;

    public void Validate()
    {
        OptionChecks.Common(this);
        OptionChecks.Fraction(MaskFraction, "mask_fraction");
        OptionChecks.NonNegative(RetainWeight, "retain_weight");
    }
}

/// <summary>
/// Saliency Unlearning (Fan et al. ICLR 2024, arXiv:2310.12508; OPTML-Group/Unlearn-Saliency). Before training, at θ0,
/// g = Σ_batches ∇θ(−NLL(forget)) over the whole forget set; the mask keeps the top <c>mask_fraction</c> of |g|
/// ranked globally across all trainable tensors, and stays fixed for the run. Each step's gradient is multiplied by it.
/// <para>LLM adaptation [inferred, docs/methods.md#salun]: the paper's "random labels" become each forget question
/// answered with another (mismatched) forget item's answer: L = NLL(q_f, a_other) + α·NLL(retain).</para>
/// <para>In every pipeline it trains what that pipeline unlearns (the adapter, a fresh LoRA, or every weight); the
/// published settings per pipeline are in docs/methods.md#pipelines.</para>
/// </summary>
public sealed class SalUn(SalUnOptions options) : IUnlearningMethod
{
    private Tensor[] _masks = [];

    public IMethodOptions Options => options;
    public BatchExtras Extras => BatchExtras.Relabelled;

    /// The fixed masks, one per trainable parameter (1 = may change), once prepared.
    public IReadOnlyList<Tensor> Masks => _masks;

    public void Prepare(UnlearningContext context)
    {
        using var scope = NewDisposeScope();
        var saliency = context.Trainable.Select(p => zeros_like(p, dtype: ScalarType.Float32)).ToArray();
        var forget = context.Data.Forget;
        for (var start = 0; start < forget.Count; start += options.BatchSize)
        {
            using var batch = TokenBatch.RightPadded(forget.Skip(start).Take(options.BatchSize).ToList(), context.Data.PadId);
            var grads = Gradients.Of(GradAscent.Of(Scored.Of(context.Model, batch)), context.Trainable, retainGraph: false);
            for (var i = 0; i < grads.Length; i++) saliency[i].AddInPlace(grads[i]);
        }
        foreach (var m in _masks) m.Dispose();
        _masks = MaskFrom(saliency, options.MaskFraction).Select(m => m.DetachFromDisposeScope()).ToArray();
    }

    public Tensor Loss(UnlearningContext context, UnlearningBatch batch) =>
        Of(options, Scored.Of(context.Model, batch.RequireRelabelled()), Scored.Of(context.Model, batch.Retain));

    public static Tensor Of(SalUnOptions o, Scored relabelled, Scored retain) =>
        UnlearningLosses.Nll(relabelled).Add(UnlearningLosses.Nll(retain).Times(o.RetainWeight));

    public void EditGradients(UnlearningContext context)
    {
        if (_masks.Length != context.Trainable.Count) throw new InvalidOperationException("SalUn.Prepare must run before training");
        using var _ = no_grad();
        for (var i = 0; i < _masks.Length; i++) context.Trainable[i].grad?.mul_(_masks[i]);
    }

    /// <summary>
    /// 1.0 on the k = ⌈fraction·N⌉ entries of largest |g| over all tensors together (N = total elements), else 0;
    /// ties at the threshold are broken by torch.topk. Each mask has its gradient's shape and dtype float32.
    /// </summary>
    public static Tensor[] MaskFrom(IReadOnlyList<Tensor> gradients, double fraction)
    {
        OptionChecks.Fraction(fraction, "mask_fraction");
        using var scope = NewDisposeScope();
        var all = cat(gradients.Select(g => g.detach().to_type(ScalarType.Float32).abs().reshape(-1)).ToList(), 0);   // (N,)
        var k = (long)Math.Ceiling(fraction * all.shape[0]);
        var flat = zeros_like(all).IndexFilledInPlace(0, all.topk((int)k).indexes, 1.0);                                 // (N,)
        var masks = new Tensor[gradients.Count];
        long offset = 0;
        for (var i = 0; i < gradients.Count; i++)
        {
            var n = gradients[i].numel();
            masks[i] = flat.narrow(0, offset, n).reshape(gradients[i].shape).MoveToOuterDisposeScope();
            offset += n;
        }
        return masks;
    }
}
