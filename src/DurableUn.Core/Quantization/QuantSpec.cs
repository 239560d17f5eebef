namespace DurableUn.Quantization;

/// <summary>
/// How to quantize one tensor: plain data, resolved by <see cref="Quantizer"/>. Defaults: NF4/FP4 block 64 (bitsandbytes),
/// INT4 groups of 64 (docs/design.md#precisions), INT8 one scale per row, GGUF blocks of 32 (fixed by the format).
/// </summary>
/// <param name="Format">The target format.</param>
public sealed record QuantSpec(QuantFormat Format)
{
    /// <summary>Elements per block or group; null takes the format's default. INT8 (per row) and GGUF (32) accept no other.</summary>
    public int? BlockSize { get; init; }

    /// <summary>Quantize the NF4/FP4 absmax again to 8 bits (bitsandbytes compress_statistics, QLoRA's double quantization).</summary>
    public bool DoubleQuant { get; init; }
}
