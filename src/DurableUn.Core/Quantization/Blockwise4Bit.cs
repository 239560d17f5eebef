using DurableUn.Tensors;
using static TorchSharp.torch;

namespace DurableUn.Quantization;

/// <summary>
/// Blockwise 4-bit code-table quantization, the vectorised path. Follows bitsandbytes' reference backend
/// (bitsandbytes/backends/default/ops.py, <c>quantize_4bit</c>/<c>dequantize_4bit</c>):
/// absmax per block (clamped ≥ 1e-38), scale by multiplying with the fp32 reciprocal and clamp to [-1, 1],
/// nearest code by bucketize over midpoints (ties to the lower value), pack element 2k into the high nibble of byte k,
/// pad an odd length with the code of 0.0, dequantize code[q]·absmax in fp32 then cast.
/// The reference backend divides (instead of multiplying) in a partial last block; the CUDA kernel multiplies
/// everywhere, and so do we. The readable loop version is <see cref="Reference"/>; tests hold the two bit-equal.
/// Not: quant_storage other than uint8; not: the fused 4-bit matmul; not: stochastic rounding.
/// </summary>
internal static partial class Blockwise4Bit
{
    /// <summary>bitsandbytes clamps absmax so an all-zero block scales by a finite reciprocal (1e38) instead of inf.</summary>
    public const float MinAbsmax = 1e-38f;

    public static QuantizedTensor Quantize(Tensor x, QuantFormat format, FourBitCodebook code, int blockSize, bool doubleQuant, string name)
    {
        QuantGuard.Bnb4BitBlockSize(blockSize);
        using var scope = NewDisposeScope();
        var flat = QuantGuard.Fp32Flat(x, name);                                    // (n,)
        long n = flat.shape[0];
        var blocks = Blocks.PadToBlocks(flat, blockSize);                           // (nb, B)
        var absmax = blocks.abs().amax(1).AtLeast(MinAbsmax);                     // (nb,)
        var codes = Blocks.Head(Codes(blocks, absmax, code), n + n % 2);            // (n rounded up to even,): padding scaled 0.0 → code of 0
        var pairs = codes.view(-1, 2);                                              // (ceil(n/2), 2)
        var packed = pairs.select(1, 0).Times(16).Add(pairs.select(1, 1)).to(ScalarType.Byte); // high nibble = first element
        var result = new QuantizedTensor(format, packed.MoveToOuterDisposeScope(), absmax, x.shape, blockSize, x.dtype);
        if (doubleQuant)
        {
            var (q8, nested) = DoubleQuant.Compress(absmax);
            result = result with { Scales = q8.MoveToOuterDisposeScope(), Nested = nested with { Absmax = nested.Absmax.MoveToOuterDisposeScope() } };
        }
        else
            absmax.MoveToOuterDisposeScope();
        return result;
    }

    public static Tensor Dequantize(QuantizedTensor q, FourBitCodebook code, ScalarType? dtype)
    {
        using var scope = NewDisposeScope();
        long n = q.NumElements;
        var absmax = q.Nested is null ? q.Scales : DoubleQuant.Expand(q.Scales, q.Nested);  // (nb,) fp32
        var bytes = q.Codes.to(ScalarType.Int64);                                           // (ceil(n/2),)
        var nibbles = stack([bytes.bitwise_right_shift(4), bytes.bitwise_and(15)], 1);      // (ceil(n/2), 2): high nibble first
        var values = tensor(code.Values).index_select(0, Blocks.Head(nibbles, n));          // (n,) fp32
        var scaled = Blocks.PadToBlocks(values, q.BlockSize) * absmax.unsqueeze(1);         // (nb, B) fp32
        return Blocks.Head(scaled, n).view(q.Shape).to(dtype ?? q.OriginalDtype).MoveToOuterDisposeScope();
    }

    /// <summary>Nearest code for each element of (nb, B) blocks given their absmax; int64 codes, same shape.</summary>
    internal static Tensor Codes(Tensor blocks, Tensor absmax, FourBitCodebook code)
    {
        var scaled = (blocks * absmax.reciprocal().unsqueeze(1)).Clamped(-1f, 1f);    // (nb, B) in [-1, 1]
        var position = bucketize(scaled, tensor(code.Midpoints));                   // (nb, B) rank in value order; ties → lower
        return tensor(code.SortedCodes.Select(c => (long)c).ToArray())
            .index_select(0, position.view(-1)).view(position.shape);              // rank → code
    }
}
