using TorchSharp;
using static TorchSharp.torch;

namespace DurableUn.Quantization;

/// <summary>
/// Everything needed to undo one quantization: bitsandbytes' <c>(packed, QuantState)</c> pair as one immutable value
/// (bitsandbytes/functional.py <c>quantize_4bit</c>). Quantizing never mutates its input; dequantizing returns a new tensor.
/// <para>Layout per <see cref="Format"/> (n = number of elements, B = <see cref="BlockSize"/>):</para>
/// <list type="table">
/// <item><term>Nf4, Fp4</term><description>Codes uint8 [ceil(n/2)], element 2k in the high nibble of byte k; Scales fp32
/// [ceil(n/B)] block absmax, or uint8 codes of it when <see cref="Nested"/> is set.</description></item>
/// <item><term>Int8</term><description>Codes int8 [rows, B] with B the last dimension; Scales fp32 [rows] row absmax (bnb SCB).</description></item>
/// <item><term>Int4</term><description>Codes int8 [n/B, B] in [-7, 7]; Scales fp32 [n/B] = absmax/7.</description></item>
/// <item><term>Int4Asym</term><description>Codes uint8 [n/B, B] in [0, 15]; Scales fp32 [n/B]; ZeroPoints uint8 [n/B].</description></item>
/// <item><term>Q8_0</term><description>Codes int8 [n/32, 32]; Scales fp16 [n/32].</description></item>
/// <item><term>Q4_0</term><description>Codes uint8 [n/32, 16], low nibble element j, high nibble element j+16; Scales fp16 [n/32].</description></item>
/// </list>
/// Not: bit-packing of Int4/Int4Asym codes (a storage concern for a writer); not: device placement.
/// </summary>
/// <param name="Format">Which format produced the codes.</param>
/// <param name="Codes">The quantized values, laid out as in the table above.</param>
/// <param name="Scales">One scale per block, group or row.</param>
/// <param name="Shape">Shape of the original tensor.</param>
/// <param name="BlockSize">Elements per block, group or row.</param>
/// <param name="OriginalDtype">dtype of the original tensor; dequantization returns it unless told otherwise.</param>
public sealed record QuantizedTensor(
    QuantFormat Format,
    Tensor Codes,
    Tensor Scales,
    long[] Shape,
    int BlockSize,
    ScalarType OriginalDtype)
{
    /// <summary>Per-group zero points (Int4Asym only).</summary>
    public Tensor? ZeroPoints { get; init; }

    /// <summary>Second-level quantization of the scales (Nf4/Fp4 with double quantization only).</summary>
    public NestedScales? Nested { get; init; }

    /// <summary>Number of elements of the original tensor.</summary>
    public long NumElements => Shape.Aggregate(1L, (a, b) => a * b);
}
