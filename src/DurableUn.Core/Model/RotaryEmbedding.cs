using DurableUn.Tensors;
using static TorchSharp.torch;

namespace DurableUn.Model;

/// <summary>
/// Rotary position embeddings in Hugging Face's "rotate half" layout (transformers LlamaRotaryEmbedding,
/// apply_rotary_pos_emb): the first and second halves of each head are the two coordinates of every rotation.
/// Frequencies follow rope_theta, with the Llama-3.1 "llama3" rope_scaling when the config has one
/// (modeling_rope_utils._compute_llama3_parameters). Not: linear/dynamic/yarn scaling, interleaved (GPT-J) layout.
/// </summary>
public sealed class RotaryEmbedding
{
    private readonly Tensor _invFreq; // (hd/2,) fp32

    public RotaryEmbedding(LlamaConfig config)
    {
        var dim = config.HeadDimension;
        var invFreq = new double[dim / 2];
        for (var i = 0; i < invFreq.Length; i++)
            invFreq[i] = 1.0 / Math.Pow(config.RopeTheta, 2.0 * i / dim);
        if (config.RopeScaling is { } s) Llama3Scale(invFreq, s);
        _invFreq = tensor(invFreq.Select(v => (float)v).ToArray());
    }

    /// <summary>Inverse frequencies after scaling, for tests and golden comparisons.</summary>
    public float[] InverseFrequencies => _invFreq.data<float>().ToArray();

    /// <summary>cos and sin for the given positions: each (B, T, hd), in <paramref name="dtype"/>.</summary>
    public (Tensor Cos, Tensor Sin) CosSin(Tensor positionIds, ScalarType dtype)
    {
        using var scope = NewDisposeScope();
        var freqs = positionIds.to_type(ScalarType.Float32).unsqueeze(-1) * _invFreq; // (B, T, hd/2)
        var emb = cat([freqs, freqs], -1);                                          // (B, T, hd)
        return (emb.cos().to_type(dtype).MoveToOuterDisposeScope(), emb.sin().to_type(dtype).MoveToOuterDisposeScope());
    }

    /// <summary>x·cos + rotate_half(x)·sin for x of shape (B, heads, T, hd) and cos/sin of shape (B, T, hd).</summary>
    public static Tensor Apply(Tensor x, Tensor cos, Tensor sin)
    {
        using var scope = NewDisposeScope();
        var half = x.shape[^1] / 2;
        var x1 = x[.., .., .., ..(int)half];
        var x2 = x[.., .., .., (int)half..];
        var rotated = cat([-x2, x1], -1);                                            // rotate_half(x)
        return (x * cos.unsqueeze(1)).Add(rotated * sin.unsqueeze(1)).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// cos and sin (B, T, hd) laid out for <see cref="ApplyPerHead"/>: (B, T, 1, hd) each, the sin with its first half
    /// negated, so rotate_half(x)·sin becomes swap_halves(x)·signed_sin (the same products, sign moved: bit for bit equal).
    /// </summary>
    public static (Tensor Cos, Tensor SignedSin) HeadTables(Tensor cos, Tensor sin)
    {
        using var scope = NewDisposeScope();
        var half = sin.shape[^1] / 2;
        var signed = cat([sin.narrow(-1, 0, half).neg(), sin.narrow(-1, half, half)], -1);  // (B, T, hd)
        return (cos.unsqueeze(2).MoveToOuterDisposeScope(), signed.unsqueeze(2).MoveToOuterDisposeScope());
    }

    /// <summary><see cref="Apply"/> for x laid out (B, T, heads, hd), with tables from <see cref="HeadTables"/>:
    /// x·cos + swap_halves(x)·signed_sin, where swapping the halves is one flip.</summary>
    public static Tensor ApplyPerHead(Tensor x, Tensor cos, Tensor signedSin)
    {
        using var scope = NewDisposeScope();
        var shape = x.shape;
        var half = shape[^1] / 2;
        var swapped = x.view([.. shape[..^1], 2, half]).flip(-2).view(shape);                // (B, T, H, hd): [x2, x1]
        return (x * cos).Add(swapped.mul_(signedSin)).MoveToOuterDisposeScope();    // (B, T, H, hd)
    }

    // Llama-3.1: wavelengths longer than original_ctx/low_freq_factor are slowed by `factor`, shorter than
    // original_ctx/high_freq_factor are kept, and the band between is interpolated smoothly.
    private static void Llama3Scale(double[] invFreq, RopeScaling s)
    {
        var lowFreqWavelen = s.OriginalMaxPositionEmbeddings / s.LowFreqFactor;
        var highFreqWavelen = s.OriginalMaxPositionEmbeddings / s.HighFreqFactor;
        for (var i = 0; i < invFreq.Length; i++)
        {
            var wavelen = 2 * Math.PI / invFreq[i];
            if (wavelen > lowFreqWavelen)
                invFreq[i] /= s.Factor;
            else if (wavelen >= highFreqWavelen)
            {
                var smooth = (s.OriginalMaxPositionEmbeddings / wavelen - s.LowFreqFactor) / (s.HighFreqFactor - s.LowFreqFactor);
                invFreq[i] = (1 - smooth) * invFreq[i] / s.Factor + smooth * invFreq[i];
            }
        }
    }
}
