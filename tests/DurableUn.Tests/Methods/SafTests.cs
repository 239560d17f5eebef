using DurableUn.Methods;
using DurableUn.Model;
using DurableUn.Quantization;
using static TorchSharp.torch;

namespace DurableUn.Tests.Methods;

/// <summary>
/// SAF checked against an explicit construction: a dense copy of the model whose projection weights are set to
/// Int4Groupwise.Dequantize(Quantize(w)) (the plain quantizer, not FakeQuant), differentiated at those weights.
/// By the straight-through estimator, SAF's gradient with respect to θ is that gradient.
/// </summary>
[Collection(TinyUnlearningCollection.Name)]
public sealed class SafTests(TinyUnlearningSetup setup)
{
    [Fact]
    public void Gradient_Passes_Through_The_Rounding_And_Equals_The_Gradient_At_The_Quantized_Weights()
    {
        // Given SAF reduced to λ·GA(Q_STE(θ)): ρ 0, no plain forget term, no retain term
        using var scope = NewDisposeScope();
        var context = setup.Context();
        var (method, batch) = Prepared(context, ["forget_loss=ga", "rho=0", "include_bf16_forget=false", "retain_weight=0"]);
        // When it is back-propagated
        var safLoss = method.Loss(context, batch);
        safLoss.backward();
        // Then θ's gradient is the gradient of GA on a model holding the rounded weights (and is not zero: round() alone has none)
        var (explicitModel, explicitTrainable) = Quantized(context, context.Trainable.Select(p => p.detach()).ToList());
        var explicitLoss = GradAscent.Of(Scored.Of(explicitModel, batch.Forget));
        explicitLoss.backward();
        Assert.Equal(explicitLoss.item<float>(), safLoss.item<float>(), 5);
        // Tolerance: the two graphs sum in different orders (float32); 1e-3 of the largest gradient entry of all
        // weights is far below what dropping the STE (a zero gradient) or the rounding (the plain gradient) changes.
        var scale = explicitTrainable.Max(p => p.grad!.abs().max().item<float>());
        for (var i = 0; i < context.Trainable.Count; i++)
        {
            var (ours, theirs) = (context.Trainable[i].grad!, explicitTrainable[i].grad!);
            Assert.True((ours - theirs).abs().max().item<float>() <= 1e-3 * scale, $"parameter {i}: max |Δ| {(ours - theirs).abs().max().item<float>()} of {scale}");
            Assert.True(ours.abs().sum().item<float>() > 0);
        }
    }

    [Fact]
    public void Gradient_Differs_From_The_Gradient_Of_The_Unquantized_Loss()
    {
        using var scope = NewDisposeScope();
        var context = setup.Context();
        var (method, batch) = Prepared(context, ["forget_loss=ga", "rho=0", "include_bf16_forget=false", "retain_weight=0"]);
        var saf = Gradients(context, method.Loss(context, batch));
        var plain = Gradients(context, GradAscent.Of(Scored.Of(context.Model, batch.Forget)));
        Assert.Contains(Enumerable.Range(0, saf.Length), i => !saf[i].allclose(plain[i], rtol: 1e-3, atol: 1e-6));
    }

    [Fact]
    public void Value_Equals_Retain_Nll_Plus_Npo_At_The_Perturbed_Quantized_Weights_Plus_Plain_Npo()
    {
        // Given SAF's defaults (NPO, INT4, ρ 0.05, λ 1, plain forget term on) with λ and α set apart
        using var scope = NewDisposeScope();
        var context = setup.Context();
        var (method, batch) = Prepared(context, ["lambda=0.7", "retain_weight=1.3", "rho=0.05"]);
        // When its loss is computed
        var loss = method.Loss(context, batch).item<float>();
        // Then it equals the objective rebuilt by hand: g at the rounded weights, ε = ρ·g/‖g‖, NPO at round(θ + ε)
        var forgetRef = Scored.ReferenceLogitsOf(context.Reference, batch.Forget);
        double Npo(CausalLm m) => UnlearningLosses.NpoSequence(new Scored(m.Forward(batch.Forget.InputIds).Logits, batch.Forget.Labels, forgetRef), 0.1).item<float>();
        var (atRounded, roundedWeights) = Quantized(context, context.Trainable.Select(p => p.detach()).ToList());
        UnlearningLosses.NpoSequence(new Scored(atRounded.Forward(batch.Forget.InputIds).Logits, batch.Forget.Labels, forgetRef), 0.1).backward();
        var norm = Math.Sqrt(roundedWeights.Sum(w => w.grad!.pow(2).sum().item<float>()));
        var perturbed = context.Trainable.Select((p, i) => p.detach() + 0.05 * roundedWeights[i].grad! / (norm + 1e-12)).ToList();
        var (atPerturbed, _) = Quantized(context, perturbed);
        double retain;
        using (no_grad()) retain = UnlearningLosses.Nll(Scored.Of(context.Model, batch.Retain)).item<float>();
        double npoPlain, npoPerturbed;
        using (no_grad()) (npoPlain, npoPerturbed) = (Npo(context.Model), Npo(atPerturbed));
        var expected = 1.3 * retain + 0.7 * (npoPerturbed + npoPlain);
        Assert.True(Math.Abs(loss - expected) <= 1e-4 * Math.Max(1, Math.Abs(expected)), $"SAF {loss} vs by hand {expected}");
    }

    [Fact]
    public void Needs_A_View_Factory()
    {
        var context = setup.Context() with { MakeView = null };
        var e = Assert.Throws<ArgumentException>(() => new Saf(new SafOptions()).Prepare(context));
        Assert.Contains("MakeView", e.Message);
    }

    private static (IUnlearningMethod, UnlearningBatch) Prepared(UnlearningContext context, string[] settings)
    {
        var (method, _) = MethodCatalog.Find("saf").Build([.. settings, "batch_size=2"]);
        method.Prepare(context);
        return (method, new UnlearningBatcher(context.Data, (ulong)context.Seed, 2, method.Extras).Batch(0));
    }

    private static Tensor[] Gradients(UnlearningContext context, Tensor loss) =>
        autograd.grad([loss], context.Trainable.Cast<Tensor>().ToList()).ToArray();

    /// A copy of the context's model whose trainable weights are INT4-rounded <paramref name="weights"/> (groups of 64,
    /// or the whole row when shorter), trainable there so the gradient at the rounded point can be read.
    private (CausalLm Model, List<TorchSharp.Modules.Parameter> Weights) Quantized(UnlearningContext context, IReadOnlyList<Tensor> weights)
    {
        var copy = setup.Context().Model;
        var trainable = copy.named_parameters().Where(kv => TinyUnlearningSetup.IsTrainable(kv.name)).Select(kv => kv.parameter).ToList();
        using (no_grad())
            for (var i = 0; i < trainable.Count; i++)
            {
                var w = weights[i];
                var q = Int4Groupwise.Quantize(w, (int)Math.Min(64, w.shape[^1]));
                trainable[i].copy_(Int4Groupwise.Dequantize(q));
            }
        return (copy, trainable);
    }
}
