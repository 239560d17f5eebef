using DurableUn.Tensors;
using static TorchSharp.torch;

namespace DurableUn.Quantization;

/// <summary>
/// ggml Q4_0, exactly as ggml's reference quantizer (ggml/src/ggml-quants.c <c>quantize_row_q4_0_ref</c>,
/// <c>dequantize_row_q4_0</c>): blocks of 32; max = the signed value of the first element with the largest |x|;
/// d = max/−8 and id = 1/d (0 when d = 0) in fp32; q = min(15, trunc(x·id + 8.5)), i.e. round half up on the
/// offset grid 0..15 where the largest-|x| element lands exactly on code 0; d stored as fp16; x̂ = (q − 8)·fp32(d16).
/// Codes are packed as ggml's <c>block_q4_0.qs</c>: byte j holds element j in the low nibble and element j+16 in the high.
/// Not: Q4_1/Q4_K; not: importance-weighted quantization (<c>quantize_q4_0</c> with imatrix).
/// </summary>
public static partial class GgufQ4_0
{
    /// <summary>ggml's QK4_0: the block length is fixed by the format.</summary>
    public const int BlockSize = 32;

    public static QuantizedTensor Quantize(Tensor x, string name = "tensor")
    {
        QuantGuard.GroupTilesLastDim(x, BlockSize, name, "blockSize");
        using var scope = NewDisposeScope();
        var blocks = QuantGuard.Fp32Flat(x, name).view(-1, BlockSize);              // (nb, 32)
        var magnitude = blocks.abs();
        var first = magnitude.argmax(1, keepdim: true);                               // (nb, 1) first largest |x|, as ggml's strict <
        var max = where(magnitude.amax(1).EqualTo(0), zeros(blocks.shape[0]), blocks.gather(1, first).squeeze(1)); // (nb,), +0 for zero blocks
        var d = max.Over(-8f);                                                            // (nb,)
        var id = where(d.EqualTo(0), zeros_like(d), d.reciprocal());                        // (nb,)
        var codes = (blocks * id.unsqueeze(1)).Plus(8.5f).trunc().AtMost(15);          // (nb, 32) in 0..15
        var packed = codes.narrow(1, 0, 16).Add(codes.narrow(1, 16, 16).Times(16));           // (nb, 16) low = j, high = j+16
        return new QuantizedTensor(QuantFormat.Q4_0, packed.to(ScalarType.Byte).MoveToOuterDisposeScope(),
            d.to(ScalarType.Float16).MoveToOuterDisposeScope(), x.shape, BlockSize, x.dtype);
    }

    public static Tensor Dequantize(QuantizedTensor q, ScalarType? dtype = null)
    {
        using var scope = NewDisposeScope();
        var bytes = q.Codes.to(ScalarType.Int64);                                              // (nb, 16)
        var codes = cat([bytes.bitwise_and(15), bytes.bitwise_right_shift(4)], 1);            // (nb, 32)
        var values = codes.Minus(8).to(ScalarType.Float32) * q.Scales.to(ScalarType.Float32).unsqueeze(1);
        return values.view(q.Shape).to(dtype ?? q.OriginalDtype).MoveToOuterDisposeScope();
    }
}
