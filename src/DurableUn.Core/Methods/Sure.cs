using DurableUn.Tensors;
using static TorchSharp.torch;

namespace DurableUn.Methods;

/// <summary>Options of <see cref="Sure"/> (zzwjames/FailureLLMUnlearning class SURE and its scripts).</summary>
public sealed record SureOptions : IMethodOptions
{
    public double Lr { get; init; } = MethodDefaults.Lr;
    public int Steps { get; init; } = MethodDefaults.Steps;
    public int BatchSize { get; init; } = MethodDefaults.BatchSize;
    public IMethodOptions WithSchedule(double lr, int steps, int batchSize) => this with { Lr = lr, Steps = steps, BatchSize = batchSize };
    /// Percentile of row gradient norms a row must reach to be updated (the scripts: 90; the class default is 99,
    /// argparse 95).
    public double Percentile { get; init; } = 90;
    /// ga or npo.
    public ForgetLoss ForgetLoss { get; init; } = ForgetLoss.Ga;
    /// β of NPO (FailureLLM 0.1).
    public double Beta { get; init; } = 0.1;
    /// Form of NPO. FailureLLM codes the MUSE logits form; seq is our canonical NPO (set logits to reproduce them).
    public NpoForm NpoForm { get; init; } = NpoForm.Seq;
    /// α, weight of the retain term (the scripts: 1).
    public double RetainWeight { get; init; } = 1.0;
    /// nll (_gdr_sure) or kl (_klr_sure).
    public RetainLoss RetainLoss { get; init; } = RetainLoss.Nll;

    public void Validate()
    {
        OptionChecks.Common(this);
        if (!(Percentile is >= 0 and <= 100)) throw OptionChecks.Bad("percentile", Percentile, "must be in [0, 100]");
        OptionChecks.Positive(Beta, "beta");
        OptionChecks.NonNegative(RetainWeight, "retain_weight");
    }
}

/// <summary>
/// SURE, saliency-based unlearning with a large learning rate (Zhang et al. ICLR 2025, "Catastrophic Failure of LLM
/// Unlearning via Quantization", arXiv:2410.16454; docs/methods.md#sure). Every step: the gradient of the forget loss
/// alone gives each row ("neuron") of each trainable matrix its L2 norm (1-D parameters: |g| per entry); γ is the
/// <c>percentile</c>-th percentile of all those norms together (numpy's linear interpolation); rows below γ get no
/// update. The mask multiplies the whole step gradient, retain part included, as in the paper's code.
/// L = L_forget + α·R(retain). Not reproduced: FailureLLM back-propagates the forget loss twice (its saliency pass
/// leaves gradients that the trainer's backward adds to); here the step gradient is that of L only.
/// <para>In every pipeline it trains what that pipeline unlearns (the adapter, a fresh LoRA, or every weight); the
/// published settings per pipeline are in docs/methods.md#pipelines.</para>
/// </summary>
public sealed class Sure(SureOptions options) : IUnlearningMethod
{
    private Tensor[] _masks = [];

    public IMethodOptions Options => options;

    public Tensor Loss(UnlearningContext context, UnlearningBatch batch)
    {
        var forget = Scored.Of(context.Model, batch.Forget, ForgetTerm.NeedsReference(options.ForgetLoss) ? context.Reference : null);
        var forgetLoss = ForgetTerm.Of(options.ForgetLoss, forget, options.Beta, options.NpoForm);
        _masks = RowMasks(Gradients.Of(forgetLoss, context.Trainable, retainGraph: true), options.Percentile);
        var retain = RetainTerm.Score(options.RetainLoss, context.Model, context.Reference, batch.Retain);
        return forgetLoss.Add(RetainTerm.Of(options.RetainLoss, retain).Times(options.RetainWeight));
    }

    public static Tensor Of(SureOptions o, Scored forget, Scored? retain) =>
        ForgetTerm.Of(o.ForgetLoss, forget, o.Beta, o.NpoForm).Add(RetainTerm.Of(o.RetainLoss, retain).Times(o.RetainWeight));

    public void EditGradients(UnlearningContext context)
    {
        if (_masks.Length != context.Trainable.Count) throw new InvalidOperationException("Sure.Loss must run before its gradient edit");
        using var _ = no_grad();
        for (var i = 0; i < _masks.Length; i++) context.Trainable[i].grad?.mul_(_masks[i]);
    }

    /// <summary>
    /// One mask per gradient, broadcastable to it: (rows, 1, …) for matrices, (n,) for vectors; 1.0 where the row norm
    /// (or |g|) is ≥ the percentile of all rows of all tensors.
    /// </summary>
    public static Tensor[] RowMasks(IReadOnlyList<Tensor> gradients, double percentile)
    {
        using var scope = NewDisposeScope();
        var norms = gradients.Select(RowNorms).ToList();                                    // each (rows,)
        var gamma = cat(norms, 0).to_type(ScalarType.Float64).quantile(percentile / 100.0);   // numpy's "linear"
        return gradients.Zip(norms, (g, n) =>
            n.to_type(ScalarType.Float64).ge(gamma).to_type(ScalarType.Float32)
             .reshape([n.shape[0], .. Enumerable.Repeat(1L, Math.Max(0, (int)g.dim() - 1))])
             .MoveToOuterDisposeScope()).ToArray();
    }

    /// (rows,) L2 norm over all but the first dimension; |g| for a vector.
    private static Tensor RowNorms(Tensor g)
    {
        var f = g.detach().to_type(ScalarType.Float32);
        return f.dim() > 1 ? f.reshape(f.shape[0], -1).norm(1) : f.abs().reshape(-1);
    }
}
