using TorchSharp;
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace DurableUn.Model;

/// <summary>
/// Llama self-attention with grouped-query heads (transformers LlamaAttention): q/k/v projections, rotary
/// embeddings on q and k, key/value heads repeated to the query head count, softmax(QKᵀ/√hd + mask)·V, o_proj.
/// The additive <c>mask</c> (B, 1, T, T_total) carries both causality and padding (see <see cref="AttentionMask"/>);
/// null means plainly causal with nothing cached or padded.
/// Not: sliding windows, attention bias terms other than the projections' own, dropout (Llama uses none).
/// </summary>
public sealed class Attention : nn.Module<Tensor, Tensor>
{
    [ComponentName(Name = "q_proj")] private readonly nn.Module<Tensor, Tensor> _q;
    [ComponentName(Name = "k_proj")] private readonly nn.Module<Tensor, Tensor> _k;
    [ComponentName(Name = "v_proj")] private readonly nn.Module<Tensor, Tensor> _v;
    [ComponentName(Name = "o_proj")] private readonly nn.Module<Tensor, Tensor> _o;
    private readonly int _heads, _kvHeads, _headDim;
    private Tensor? _qkv;   // (nh·hd + 2·nkv·hd, d) while a FuseProjections scope lives; owned

    public Attention(LlamaConfig c, string path, IProjectionFactory projections) : base("Attention")
    {
        _heads = c.NumAttentionHeads;
        _kvHeads = c.KeyValueHeads;
        _headDim = c.HeadDimension;
        _q = projections.Create($"{path}.q_proj", c.HiddenSize, _heads * _headDim, c.AttentionBias);
        _k = projections.Create($"{path}.k_proj", c.HiddenSize, _kvHeads * _headDim, c.AttentionBias);
        _v = projections.Create($"{path}.v_proj", c.HiddenSize, _kvHeads * _headDim, c.AttentionBias);
        _o = projections.Create($"{path}.o_proj", _heads * _headDim, c.HiddenSize, c.AttentionBias);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x) =>
        throw new InvalidOperationException("Attention needs rotary tables and a mask; call Forward(x, cos, sin, mask, cache, layer).");

    /// <summary>Concatenates q/k/v into one matmul for inference (see <see cref="FusedProjections"/>); false when they cannot be.</summary>
    internal bool Fuse(ScalarType dtype)
    {
        _qkv ??= FusedProjections.Fuse(dtype, _q, _k, _v);
        return _qkv is not null;
    }

    internal void Unfuse()
    {
        _qkv?.Dispose();
        _qkv = null;
    }

    /// <param name="heads">Rotary tables laid out per head, (B, T, 1, hd) cos and sign-folded sin
    /// (<see cref="RotaryEmbedding.HeadTables"/>); used by the fused path only.</param>
    public Tensor Forward(Tensor x, Tensor cos, Tensor sin, Tensor? mask, KvCache? cache, int layer, (Tensor Cos, Tensor SignedSin)? heads = null)
    {
        using var scope = NewDisposeScope();
        var (b, t) = (x.shape[0], x.shape[1]);
        Tensor q, k, v;
        if (_qkv is not null && heads is { } h)
        {
            // One matmul for q, k and v, and one rotary pass over the query and key heads together.
            var qkv = nn.functional.linear(x, _qkv).view(b, t, _heads + 2 * _kvHeads, _headDim); // (B, T, nh+2nkv, hd)
            var rotated = RotaryEmbedding.ApplyPerHead(qkv.narrow(2, 0, _heads + _kvHeads), h.Cos, h.SignedSin); // (B, T, nh+nkv, hd)
            q = rotated.narrow(2, 0, _heads).transpose(1, 2);                                 // (B, nh, T, hd)
            k = rotated.narrow(2, _heads, _kvHeads).transpose(1, 2);                          // (B, nkv, T, hd)
            v = qkv.narrow(2, _heads + _kvHeads, _kvHeads).transpose(1, 2);                   // (B, nkv, T, hd)
        }
        else
        {
            q = _q.call(x).view(b, t, _heads, _headDim).transpose(1, 2);     // (B, T, d) -> (B, nh, T, hd)
            k = _k.call(x).view(b, t, _kvHeads, _headDim).transpose(1, 2);   // (B, nkv, T, hd)
            v = _v.call(x).view(b, t, _kvHeads, _headDim).transpose(1, 2);   // (B, nkv, T, hd)
            q = RotaryEmbedding.Apply(q, cos, sin);
            k = RotaryEmbedding.Apply(k, cos, sin);
        }
        var typedMask = mask is null || mask.dtype == q.dtype ? mask : mask.to_type(q.dtype);   // usually already the hidden dtype
        if (cache is not null) (k, v) = cache.Append(layer, k, v);          // (B, nkv, T_total, hd)
        var groups = _heads / _kvHeads;
        Tensor y;
        if (t == 1 && groups > 1 && mask is not null)
        {
            // A decode step (one query per sequence): the query heads of a group share one key/value head, so they
            // attend as `groups` query rows of that head, and keys and values are never repeated (copied) per step.
            var grouped = q.reshape(b, _kvHeads, groups, _headDim);                               // (B, nkv, g, hd)
            y = nn.functional.scaled_dot_product_attention(grouped, k, v, typedMask, 0.0, false) // mask (B, 1, 1, T_total)
                .view(b, _heads, 1, _headDim);                                                    // (B, nh, 1, hd)
        }
        else
        {
            if (groups > 1)
            {
                k = k.repeat_interleave(groups, dim: 1);                     // (B, nh, T_total, hd)
                v = v.repeat_interleave(groups, dim: 1);
            }
            // softmax(QKᵀ/√hd + mask)·V through libtorch's fused kernel (flash attention on CPU); with no padding and
            // no cache the causal flag replaces the explicit mask.
            y = typedMask is null
                ? nn.functional.scaled_dot_product_attention(q, k, v, null, 0.0, true)    // (B, nh, T, hd)
                : nn.functional.scaled_dot_product_attention(q, k, v, typedMask, 0.0, false);
        }
        y = y.transpose(1, 2).contiguous().view(b, t, _heads * _headDim);    // (B, T, nh*hd)
        return _o.call(y).MoveToOuterDisposeScope();
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing) Unfuse();
        base.Dispose(disposing);
    }
}
