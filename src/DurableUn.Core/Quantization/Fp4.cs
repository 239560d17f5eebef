using static TorchSharp.torch;

namespace DurableUn.Quantization;

/// <summary>
/// bitsandbytes FP4 (E2M1, no inf/nan): the 4-bit default of <c>Linear4bit</c> and of transformers'
/// <c>BitsAndBytesConfig</c>, and what Zhang et al. (ICLR 2025) call "4-bit". Same blockwise absmax algorithm as NF4
/// (<see cref="Blockwise4Bit"/>); only the code table differs. Bit 3 is the sign; bits 0-2 follow bnb's bit patterns,
/// so the table is in bit-pattern order, not value order.
/// <para>Near zero the reference backend and the CUDA kernel disagree on the nibble, not on the value: bucketize with
/// bnb's two +0 entries (codes 0 and 8) gives code 0 to values in (−0.0026, 0] and code 8 to values in (0, 0.0026],
/// while CUDA's <c>dQuantizeFP4</c> picks the sign bit from x &lt; 0. Both decode to 0. We follow the reference backend.</para>
/// Not: FP8; not: the rounded 4-decimal <c>_FP4_QUANT_TABLE</c> of older bnb releases (we use get_4bit_type's exact /12 values).
/// </summary>
public static class Fp4
{
    /// <summary>Same default block size as NF4.</summary>
    public const int DefaultBlockSize = 64;

    /// <summary>
    /// bitsandbytes/functional.py <c>get_4bit_type("fp4")</c>: [0, 0.0625, 8, 12, 4, 6, 2, 3] for bit patterns 0b000..0b111,
    /// negated for the sign bit, divided by 12 in fp32. Python's <c>-0</c> in bnb's list is the integer 0, so code 8 is +0.
    /// </summary>
    public static IReadOnlyList<float> Code { get; } =
        new[] { 0f, 0.0625f, 8f, 12f, 4f, 6f, 2f, 3f, 0f, -0.0625f, -8f, -12f, -4f, -6f, -2f, -3f }
            .Select(v => v / 12f).ToArray();

    internal static FourBitCodebook Codebook { get; } = new(Code.ToArray());

    /// <summary>Quantizes to FP4; see <see cref="Nf4.Quantize"/> for the parameters.</summary>
    public static QuantizedTensor Quantize(Tensor x, int blockSize = DefaultBlockSize, bool doubleQuant = false, string name = "tensor") =>
        Blockwise4Bit.Quantize(x, QuantFormat.Fp4, Codebook, blockSize, doubleQuant, name);

    /// <summary>code[q] · absmax in fp32, cast to <paramref name="dtype"/> (default: the original dtype).</summary>
    public static Tensor Dequantize(QuantizedTensor q, ScalarType? dtype = null) => Blockwise4Bit.Dequantize(q, Fp4.Codebook, dtype);
}
