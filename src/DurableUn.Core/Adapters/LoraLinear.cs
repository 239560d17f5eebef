using DurableUn.Model;
using DurableUn.Tensors;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace DurableUn.Adapters;

/// <summary>How the LoRA part of every <see cref="LoraLinear"/> of one model behaves.</summary>
/// <param name="Scale">α/r (or α/√r with rsLoRA).</param>
/// <param name="Dropout">Dropout on the adapter's input, active in training mode only.</param>
/// <param name="ComputeDtype">dtype of the base matmul (bnb_4bit_compute_dtype); the adapter runs in fp32.</param>
/// <param name="Transform">Applied to A and B on every forward (e.g. FakeQuant.Int4 with straight-through gradients);
/// null for none. Gradients flow through it into the original matrices.</param>
/// <param name="BaseMatmul">The base product x·Wᵀ when it is not a plain matmul (a whole-model INT8 deployment quantizes
/// the activations too, <see cref="Quantization.LlmInt8"/>); null for the plain one.</param>
/// <param name="MergedTransform">When set, a layer with an adapter computes x·Ŵᵀ with Ŵ = MergedTransform(W_fp32 +
/// scale·B'·A', W_base), B' and A' after <paramref name="Transform"/>: the merged weight as a merge deployment would
/// round it (e.g. straight-through NF4 on the base's own blocks), gradients flowing through it into A and B. Dropout
/// does not apply (a merged weight has no separate adapter input); null for the usual two products.</param>
public sealed record LoraLayerSettings(double Scale, double Dropout, ScalarType ComputeDtype, Func<Tensor, Tensor>? Transform = null,
                                       Func<Tensor, Tensor, Tensor>? BaseMatmul = null,
                                       Func<Tensor, FrozenWeight, Tensor>? MergedTransform = null);

/// <summary>
/// One LoRA-adapted projection (PEFT tuners/lora/layer.py <c>Linear.forward</c>, bnb.py <c>Linear4bit.forward</c>):
/// y = x·W_baseᵀ + dropout(x)·Aᵀ·Bᵀ·scale, W_base frozen (<see cref="FrozenWeight"/>, dequantized each call in the
/// compute dtype), A [r, in] and B [out, r] in fp32, their product added back in the compute dtype, as PEFT does.
/// With no adapter it is a frozen projection. When the layer owns its adapter, A and B are registered as
/// <c>lora_A.weight</c> and <c>lora_B.weight</c> (PEFT's names less ".default"); a view that borrows another model's
/// matrices leaves them unregistered, so disposing the view never disposes the owner's Parameters.
/// In training the dequantized weight lives for one step: autograd keeps it for the input gradient, so backward
/// never dequantizes again. Not: bias terms; not: merging (a deployment builds a new layer); not: several adapters at once.
/// </summary>
public sealed class LoraLinear : nn.Module<Tensor, Tensor>, IFusableProjection
{
    private readonly FrozenWeight _base;
    private readonly LoraWeights? _adapter;
    private readonly LoraLayerSettings _settings;

    /// <param name="registerAdapter">true: this layer owns A and B (they must be Parameters) and lists them in parameters().</param>
    public LoraLinear(FrozenWeight baseWeight, LoraWeights? adapter, LoraLayerSettings settings, bool registerAdapter) : base("LoraLinear")
    {
        _base = baseWeight;
        _adapter = adapter;
        _settings = settings;
        if (registerAdapter && adapter is not null)
        {
            register_module("lora_A", new Matrix((Parameter)adapter.A));
            register_module("lora_B", new Matrix((Parameter)adapter.B));
        }
    }

    public FrozenWeight Base => _base;
    public LoraWeights? Adapter => _adapter;

    /// <summary>The base weight for a fused matmul when nothing else happens in this layer: no adapter, and the compute
    /// dtype is the hidden dtype (so forward casts nothing). A quantized base is dequantized once for the fused copy.</summary>
    public Tensor? FusableWeight(ScalarType dtype) =>
        _adapter is null && _settings.BaseMatmul is null && _settings.ComputeDtype == dtype ? _base.Weight(dtype) : null;

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var dtype = _settings.ComputeDtype;
        if (_adapter is { } merging && _settings.MergedTransform is { } mergedTransform)
            return Merged(x, merging, mergedTransform).MoveToOuterDisposeScope();
        // A resident dense weight (a deployed model's) is used as it is; a quantized one is dequantized for this call only.
        var w = _base.Dense is { } dense && dense.dtype == dtype ? dense : _base.Weight(dtype);  // (out, in)
        var input0 = x.dtype == dtype ? x : x.to_type(dtype);
        var y = _settings.BaseMatmul?.Invoke(input0, w) ?? nn.functional.linear(input0, w);  // (…, out)
        if (_adapter is { } ad)
        {
            var a = _settings.Transform?.Invoke(ad.A) ?? ad.A;                           // (r, in) fp32
            var b = _settings.Transform?.Invoke(ad.B) ?? ad.B;                           // (out, r) fp32
            var input = _settings.Dropout > 0 ? nn.functional.dropout(x, _settings.Dropout, training) : x;
            var delta = nn.functional.linear(nn.functional.linear(input.to_type(a.dtype), a), b).Times(_settings.Scale); // (…, out) fp32
            y = y.Add(delta.to_type(y.dtype));
        }
        return (y.dtype == x.dtype ? y : y.to_type(x.dtype)).MoveToOuterDisposeScope();
    }

    /// <summary>x·Ŵᵀ with Ŵ the transformed merged weight (see <see cref="LoraLayerSettings.MergedTransform"/>).</summary>
    private Tensor Merged(Tensor x, LoraWeights adapter, Func<Tensor, FrozenWeight, Tensor> mergedTransform)
    {
        var a = _settings.Transform?.Invoke(adapter.A) ?? adapter.A;                     // (r, in) fp32
        var b = _settings.Transform?.Invoke(adapter.B) ?? adapter.B;                     // (out, r) fp32
        var merged = _base.Weight(ScalarType.Float32).Add(b.matmul(a).Times(_settings.Scale));   // (out, in) fp32
        var w = mergedTransform(merged, _base).to_type(_settings.ComputeDtype);          // (out, in)
        var y = nn.functional.linear(x.dtype == w.dtype ? x : x.to_type(w.dtype), w);    // (…, out)
        return y.dtype == x.dtype ? y : y.to_type(x.dtype);
    }

    /// <summary>Holds one adapter matrix as <c>weight</c>, so the module path reads <c>…q_proj.lora_A.weight</c>.</summary>
    private sealed class Matrix : nn.Module
    {
        public Matrix(Parameter weight) : base("LoraMatrix") => register_parameter("weight", weight);
    }
}
