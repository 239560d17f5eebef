using DurableUn.Tensors;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace DurableUn.Training;

/// <summary>
/// AdamW (Loshchilov &amp; Hutter, "Decoupled Weight Decay Regularization", 2019) computed op for op as PyTorch's
/// single-tensor implementation and TorchSharp's <c>optim.AdamW</c> do, per parameter p with gradient g at step t:
/// p ← p·(1 − lr·λ); m ← β1·m + (1 − β1)·g; v ← β2·v + (1 − β2)·g²; p ← p − lr/(1 − β1ᵗ) · m / (√v / √(1 − β2ᵗ) + ε).
/// Why not TorchSharp's: its step hands libtorch Scalars made by implicit conversion (the alpha of add_, the value of
/// addcmul_), which only a finalizer owns, so a collection started by another thread can free one mid-call
/// (FinalizerStressTests failed in 1 of 3–4 runs with it, in c10::Scalar::toFloat under AdamW.step). Here every
/// Scalar is created and disposed around its call (see <see cref="Tensors.ScalarOps"/>). AdamWTests checks this step
/// equals TorchSharp's bit for bit. Not: amsgrad, maximize, per-group options (one group, as the Trainer uses).
/// </summary>
internal sealed class AdamW : IDisposable
{
    private readonly IReadOnlyList<Parameter> _parameters;
    private readonly Tensor[] _m, _v;                       // first and second moments, like each parameter
    private readonly double _beta1, _beta2, _eps, _weightDecay;
    private int _t;

    public AdamW(IReadOnlyList<Parameter> parameters, double lr, double beta1, double beta2, double eps, double weightDecay)
    {
        _parameters = parameters;
        (LearningRate, _beta1, _beta2, _eps, _weightDecay) = (lr, beta1, beta2, eps, weightDecay);
        using var _ = no_grad();
        _m = parameters.Select(p => zeros_like(p).DetachFromDisposeScope()).ToArray();
        _v = parameters.Select(p => zeros_like(p).DetachFromDisposeScope()).ToArray();
    }

    /// <summary>The learning rate of the next step (the Trainer's schedule sets it every step).</summary>
    public double LearningRate { get; set; }

    public void ZeroGrad()
    {
        foreach (var p in _parameters)
        {
            using var g = p.grad;
            g?.zero_();
        }
    }

    public void Step()
    {
        _t++;
        var lr = LearningRate;
        var biasCorrection1 = 1 - Math.Pow(_beta1, _t);
        var biasCorrection2Sqrt = Math.Sqrt(1 - Math.Pow(_beta2, _t));
        using var _ = no_grad();
        using var decay = (1 - lr * _weightDecay).ToScalar();
        using var beta1 = _beta1.ToScalar();
        using var oneMinusBeta1 = (1 - _beta1).ToScalar();
        using var beta2 = _beta2.ToScalar();
        using var oneMinusBeta2 = (1 - _beta2).ToScalar();
        using var correction2 = biasCorrection2Sqrt.ToScalar();
        using var eps = _eps.ToScalar();
        using var stepSize = (-(lr / biasCorrection1)).ToScalar();
        for (var i = 0; i < _parameters.Count; i++)
        {
            using var scope = NewDisposeScope();
            var p = _parameters[i];
            var g = p.grad;
            if (g is null) continue;
            p.mul_(decay);
            _m[i].mul_(beta1).add_(g, oneMinusBeta1);
            _v[i].mul_(beta2).addcmul_(g, g, oneMinusBeta2);
            var denom = _v[i].sqrt().div_(correction2).add_(eps, ScalarOps.One);    // √v / √(1 − β2ᵗ) + ε
            p.addcdiv_(_m[i], denom, stepSize);
        }
    }

    public void Dispose()
    {
        foreach (var t in _m.Concat(_v)) t.Dispose();
    }
}
