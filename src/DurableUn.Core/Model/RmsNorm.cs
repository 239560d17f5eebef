using DurableUn.Tensors;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace DurableUn.Model;

/// <summary>
/// Root-mean-square layer norm as in transformers' LlamaRMSNorm: normalise in fp32, cast back to the input dtype,
/// then scale by the learned weight. Not: a bias or mean-centring (that would be LayerNorm).
/// </summary>
public sealed class RmsNorm : nn.Module<Tensor, Tensor>
{
    private readonly Parameter weight;
    private readonly double _eps;

    public RmsNorm(int size, double eps) : base("RmsNorm")
    {
        weight = new Parameter(ones(size));
        _eps = eps;
        RegisterComponents();
    }

    public Parameter Weight => weight;

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var fp32 = x.dtype == ScalarType.Float32;                                  // no casts when already fp32
        var h = fp32 ? x : x.to_type(ScalarType.Float32);                          // (..., d) in fp32
        var normed = h * rsqrt(h.Square().mean([-1], keepdim: true).Plus(_eps));         // (..., d)
        return (weight * (fp32 ? normed : normed.to_type(x.dtype))).MoveToOuterDisposeScope();
    }
}
