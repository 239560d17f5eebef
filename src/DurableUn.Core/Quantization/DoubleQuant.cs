using DurableUn.Tensors;
using static TorchSharp.torch;

namespace DurableUn.Quantization;

/// <summary>
/// bitsandbytes double quantization of 4-bit absmax (functional.py <c>quantize_4bit(compress_statistics=True)</c>,
/// QLoRA §3): offset = mean(absmax); the centred absmax is quantized with <c>quantize_blockwise</c> on the signed
/// <see cref="DynamicMap"/> in blocks of 256 (reference backend: absmax2 per block clamped ≥ 1e-38, multiply by the fp32
/// reciprocal, clamp to [-1, 1], bucketize over midpoints, ties to the lower code). Expansion is
/// code8[q8]·absmax2 in fp32, then + offset (two roundings, as bnb's separate dequantize and add).
/// <para>The offset is torch's fp32 <c>mean</c>, as bnb computes it; its result depends on libtorch's summation order
/// (a float64 loop differs in the last bit on real data), so the loop reference calls the same <see cref="Mean"/>.</para>
/// Not: the unsigned map; not: blocksizes other than 256.
/// </summary>
internal static partial class DoubleQuant
{
    /// <summary>bitsandbytes always uses 256 first-level scales per second-level block.</summary>
    public const int BlockSize = 256;

    /// <summary>(nb,) fp32 absmax → uint8 codes (nb,) and the second-level state.</summary>
    public static (Tensor Codes, NestedScales Nested) Compress(Tensor absmax)
    {
        using var scope = NewDisposeScope();
        float offset = Mean(absmax);
        long n = absmax.shape[0];
        var blocks = Blocks.PadToBlocks(absmax.Minus(offset), BlockSize);                            // (nb2, 256)
        var absmax2 = blocks.abs().amax(1).AtLeast(Blockwise4Bit.MinAbsmax);                  // (nb2,)
        var scaled = (blocks * absmax2.reciprocal().unsqueeze(1)).Clamped(-1f, 1f);               // (nb2, 256)
        var codes = Blocks.Head(bucketize(scaled, tensor(DynamicMap.Midpoints)), n).to(ScalarType.Byte); // (nb,)
        return (codes.MoveToOuterDisposeScope(), new NestedScales(absmax2.MoveToOuterDisposeScope(), offset, BlockSize));
    }

    /// <summary>uint8 codes (nb,) → fp32 absmax (nb,).</summary>
    public static Tensor Expand(Tensor codes, NestedScales nested)
    {
        using var scope = NewDisposeScope();
        long n = codes.shape[0];
        var values = tensor(DynamicMap.Values.ToArray()).index_select(0, codes.to(ScalarType.Int64));  // (nb,)
        var scaled = Blocks.PadToBlocks(values, nested.BlockSize) * nested.Absmax.unsqueeze(1);        // (nb2, 256)
        return Blocks.Head(scaled, n).Plus(nested.Offset).MoveToOuterDisposeScope();
    }

    /// <summary>bnb's offset: torch's fp32 mean of the absmax.</summary>
    internal static float Mean(Tensor absmax)
    {
        using var mean = absmax.mean();
        return mean.item<float>();
    }
}
