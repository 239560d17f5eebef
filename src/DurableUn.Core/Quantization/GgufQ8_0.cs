using DurableUn.Tensors;
using static TorchSharp.torch;

namespace DurableUn.Quantization;

/// <summary>
/// ggml Q8_0, exactly as ggml's reference quantizer (ggml/src/ggml-quants.c <c>quantize_row_q8_0_ref</c>,
/// <c>dequantize_row_q8_0</c>): blocks of 32 consecutive elements along a row; d = amax/127 and id = 1/d (0 when d = 0)
/// in fp32; q = roundf(x·id), which rounds half away from zero (unlike torch.round); d is stored as fp16
/// (round to nearest even), and dequantization uses the fp16 d: x̂ = q·fp32(d16). Quantization uses the fp32 d, as ggml.
/// Byte layout for a GGUF file: <see cref="GgufBlocks"/>. Not: the SIMD quantizers of the CPU backend; not: importance matrices.
/// </summary>
public static partial class GgufQ8_0
{
    /// <summary>ggml's QK8_0: the block length is fixed by the format.</summary>
    public const int BlockSize = 32;

    public static QuantizedTensor Quantize(Tensor x, string name = "tensor")
    {
        QuantGuard.GroupTilesLastDim(x, BlockSize, name, "blockSize");
        using var scope = NewDisposeScope();
        var blocks = QuantGuard.Fp32Flat(x, name).view(-1, BlockSize);        // (nb, 32)
        var d = blocks.abs().amax(1).Over(127f);                                    // (nb,) fp32
        var id = where(d.EqualTo(0), zeros_like(d), d.reciprocal());                  // (nb,) 1.0f/d, or 0
        var codes = RoundHalfAwayFromZero(blocks * id.unsqueeze(1)).to(ScalarType.Int8);   // (nb, 32)
        return new QuantizedTensor(QuantFormat.Q8_0, codes.MoveToOuterDisposeScope(),
            d.to(ScalarType.Float16).MoveToOuterDisposeScope(), x.shape, BlockSize, x.dtype);
    }

    public static Tensor Dequantize(QuantizedTensor q, ScalarType? dtype = null)
    {
        using var scope = NewDisposeScope();
        var values = q.Codes.to(ScalarType.Float32) * q.Scales.to(ScalarType.Float32).unsqueeze(1);   // (nb, 32)
        return values.view(q.Shape).to(dtype ?? q.OriginalDtype).MoveToOuterDisposeScope();
    }

    /// <summary>C's roundf: trunc(v) plus sign(v) when the dropped fraction is ≥ 0.5. v − trunc(v) is exact in fp32,
    /// so this avoids the floor(v + 0.5) trap for 0.49999997.</summary>
    internal static Tensor RoundHalfAwayFromZero(Tensor v)
    {
        var whole = v.trunc();
        return whole.Add(where((v - whole).abs().AtLeastMask(0.5f), v.sign(), zeros_like(v)));
    }
}
