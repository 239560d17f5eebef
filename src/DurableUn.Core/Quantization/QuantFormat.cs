namespace DurableUn.Quantization;

/// <summary>
/// The weight formats DurableUn quantizes to. Each has one static class with <c>Quantize</c>/<c>Dequantize</c>
/// (<see cref="Nf4"/>, <see cref="Fp4"/>, <see cref="Int8Rowwise"/>, <see cref="Int4Groupwise"/>,
/// <see cref="Int4AsymGroupwise"/>, <see cref="GgufQ8_0"/>, <see cref="GgufQ4_0"/>); <see cref="Quantizer"/> picks one.
/// </summary>
public enum QuantFormat
{
    /// <summary>bitsandbytes NF4 (QLoRA normal-float code), blockwise absmax.</summary>
    Nf4,
    /// <summary>bitsandbytes FP4 (E2M1), blockwise absmax.</summary>
    Fp4,
    /// <summary>Per-output-row absmax/127, symmetric (bitsandbytes LLM.int8 weight format without outliers).</summary>
    Int8,
    /// <summary>Groupwise absmax round-to-nearest on the symmetric grid [-7, 7].</summary>
    Int4,
    /// <summary>Groupwise min/max with a zero point, levels 0..15.</summary>
    Int4Asym,
    /// <summary>ggml Q8_0: blocks of 32, fp16 scale, int8 codes.</summary>
    Q8_0,
    /// <summary>ggml Q4_0: blocks of 32, fp16 scale, 4-bit codes offset by 8.</summary>
    Q4_0,
}
