using DurableUn.Tensors;
using TorchSharp;
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace DurableUn.Model;

/// <summary>Pre-norm Llama block: h = x + attn(norm(x)); out = h + mlp(norm(h)).</summary>
public sealed class DecoderLayer : nn.Module<Tensor, Tensor>
{
    [ComponentName(Name = "self_attn")] private readonly Attention _attn;
    [ComponentName(Name = "mlp")] private readonly Mlp _mlp;
    [ComponentName(Name = "input_layernorm")] private readonly RmsNorm _inputNorm;
    [ComponentName(Name = "post_attention_layernorm")] private readonly RmsNorm _postNorm;

    public DecoderLayer(LlamaConfig c, string path, IProjectionFactory projections) : base("DecoderLayer")
    {
        _attn = new Attention(c, $"{path}.self_attn", projections);
        _mlp = new Mlp(c, $"{path}.mlp", projections);
        _inputNorm = new RmsNorm(c.HiddenSize, c.RmsNormEps);
        _postNorm = new RmsNorm(c.HiddenSize, c.RmsNormEps);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x) =>
        throw new InvalidOperationException("DecoderLayer needs rotary tables and a mask; call Forward(...).");

    /// <summary>Fuses q/k/v and gate/up for inference; false when neither could be (see <see cref="FusedProjections"/>).</summary>
    internal bool Fuse(ScalarType dtype) => _attn.Fuse(dtype) | _mlp.Fuse(dtype);

    internal void Unfuse()
    {
        _attn.Unfuse();
        _mlp.Unfuse();
    }

    public Tensor Forward(Tensor x, Tensor cos, Tensor sin, Tensor? mask, KvCache? cache, int layer, (Tensor Cos, Tensor SignedSin)? heads = null)
    {
        using var scope = NewDisposeScope();
        var h = x.Add(_attn.Forward(_inputNorm.call(x), cos, sin, mask, cache, layer, heads));
        return h.Add(_mlp.call(_postNorm.call(h))).MoveToOuterDisposeScope();
    }
}
