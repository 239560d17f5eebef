using static TorchSharp.torch;

namespace DurableUn.Quantization;

/// <summary>
/// NF4, the QLoRA 4-bit NormalFloat code (Dettmers et al. 2023, arXiv:2305.14314), bit-exact with bitsandbytes'
/// reference backend: blockwise absmax (default 64), the 16 codes below, high nibble first. The algorithm lives in
/// <see cref="Blockwise4Bit"/>; this class fixes the code table.
/// Not: non-uniform data-dependent codes; not: activation quantization; not: quant_storage other than uint8.
/// </summary>
public static class Nf4
{
    /// <summary>bitsandbytes' default (and QLoRA's) block size: 64 weights share one absmax.</summary>
    public const int DefaultBlockSize = 64;

    /// <summary>
    /// bitsandbytes/functional.py <c>get_4bit_type("nf4")</c> (= backends/utils.py <c>_NF4_QUANT_TABLE</c>):
    /// <c>create_normal_map(offset=0.9677083)</c>, i.e. 8 positive quantiles Φ⁻¹(linspace(0.9677083, 0.5, 9)[:-1]),
    /// 7 negative ones and an exact 0, divided by the largest. Sorted, so code index order is value order.
    /// </summary>
    public static IReadOnlyList<float> Code { get; } =
    [
        -1.0f, -0.6961928009986877f, -0.5250730514526367f, -0.39491748809814453f,
        -0.28444138169288635f, -0.18477343022823334f, -0.09105003625154495f, 0.0f,
        0.07958029955625534f, 0.16093020141124725f, 0.24611230194568634f, 0.33791524171829224f,
        0.44070982933044434f, 0.5626170039176941f, 0.7229568362236023f, 1.0f,
    ];

    internal static FourBitCodebook Codebook { get; } = new(Code.ToArray());

    /// <summary>Quantizes to NF4. <paramref name="doubleQuant"/> compresses the absmax to 8 bits as bnb's compress_statistics.</summary>
    public static QuantizedTensor Quantize(Tensor x, int blockSize = DefaultBlockSize, bool doubleQuant = false, string name = "tensor") =>
        Blockwise4Bit.Quantize(x, QuantFormat.Nf4, Codebook, blockSize, doubleQuant, name);

    /// <summary>code[q] · absmax in fp32, cast to <paramref name="dtype"/> (default: the original dtype).</summary>
    public static Tensor Dequantize(QuantizedTensor q, ScalarType? dtype = null) => Blockwise4Bit.Dequantize(q, Codebook, dtype);
}
