using DurableUn.Tensors;
using DurableUn.Quantization;
using TorchSharp;
using static TorchSharp.torch;

namespace DurableUn.Adapters;

/// <summary>
/// The frozen base weight [out, in] of one projection: a <see cref="QuantizedTensor"/> (NF4/FP4 in the QLoRA regime,
/// any format after a merged deployment) or a dense tensor. A quantized weight is dequantized afresh on every call, so
/// only the codes and scales stay in memory (≈ 0.5 byte per weight + scales); the dense matrix lives for one step.
/// Instances are immutable and shared between every model built on the same base (target, reference, views).
/// <para>4-bit fast path: a 256-row table maps each packed byte straight to its (high, low) code values, so one
/// index_select replaces shift, mask, stack and a second lookup. <see cref="Nf4.Dequantize"/> is the reference it must
/// equal bit for bit (FrozenWeightTests). A checkpoint's own <c>quant_map</c>/<c>nested_quant_map</c> are used when given,
/// since torch versions differ in the last ulp of the dynamic map (<see cref="DynamicMap"/>).</para>
/// Not: a fused 4-bit matmul; not: gradients (the base never trains).
/// </summary>
public sealed class FrozenWeight
{
    private readonly Tensor? _pairTable;     // (256, 2) fp32: byte → (code[high nibble], code[low nibble])
    private readonly Tensor? _nestedMap;     // (256,) fp32 dynamic map of double quantization

    private FrozenWeight(QuantizedTensor? quantized, Tensor? dense, Tensor? quantMap, Tensor? nestedQuantMap)
    {
        Quantized = quantized;
        Dense = dense;
        if (quantized is { Format: QuantFormat.Nf4 or QuantFormat.Fp4 })
        {
            // A FrozenWeight outlives any dispose scope it is made in (deployments build them inside one).
            QuantMap = (quantMap ?? tensor((quantized.Format == QuantFormat.Nf4 ? Nf4.Code : Fp4.Code).ToArray())).DetachFromDisposeScope();
            using var bytes = ScalarOps.Range(0, 256);
            using var high = QuantMap.index_select(0, bytes.bitwise_right_shift(4));
            using var low = QuantMap.index_select(0, bytes.bitwise_and(15));
            _pairTable = stack([high, low], 1).DetachFromDisposeScope();
            if (quantized.Nested is not null) _nestedMap = (nestedQuantMap ?? tensor(DynamicMap.Values.ToArray())).DetachFromDisposeScope();
        }
    }

    /// <summary>The quantized base; null for a dense base.</summary>
    public QuantizedTensor? Quantized { get; }

    /// <summary>The dense fp32 base; null for a quantized base.</summary>
    public Tensor? Dense { get; }

    /// <summary>4-bit code values (16,) used to dequantize; null for other formats.</summary>
    public Tensor? QuantMap { get; }

    /// <summary>Double-quant dynamic map (256,); null without double quantization.</summary>
    public Tensor? NestedQuantMap => _nestedMap;

    /// <summary>[out, in].</summary>
    public long[] Shape => Quantized?.Shape ?? Dense!.shape;

    public static FrozenWeight FromDense(Tensor weight) =>
        new(null, weight.detach().to_type(ScalarType.Float32).contiguous().clone().DetachFromDisposeScope(), null, null);

    /// <param name="quantMap">A checkpoint's <c>quant_map</c> (16,); default: the format's table.</param>
    /// <param name="nestedQuantMap">A checkpoint's <c>nested_quant_map</c> (256,); default: <see cref="DynamicMap"/>.</param>
    public static FrozenWeight FromQuantized(QuantizedTensor q, Tensor? quantMap = null, Tensor? nestedQuantMap = null) =>
        new(q, null, quantMap, nestedQuantMap);

    /// <summary>The weight [out, in] as a new tensor in <paramref name="dtype"/>.</summary>
    public Tensor Weight(ScalarType dtype)
    {
        if (Dense is not null) return Dense.to_type(dtype, copy: true);
        var q = Quantized!;
        if (_pairTable is null) return Quantizer.Dequantize(q, dtype);
        using var scope = NewDisposeScope();
        long n = q.NumElements;
        var absmax = _nestedMap is null ? q.Scales : ExpandNested(q);                      // (nb,) fp32
        var values = _pairTable.index_select(0, q.Codes.to_type(ScalarType.Int32)).view(-1); // (2·ceil(n/2),) fp32
        if (values.shape[0] != n || n % q.BlockSize != 0)
            values = nn.functional.pad(values.narrow(0, 0, n), [0, absmax.shape[0] * q.BlockSize - n]);
        var scaled = values.view(-1, q.BlockSize) * absmax.unsqueeze(1);                    // (nb, B): code · absmax in fp32
        return scaled.view(-1).narrow(0, 0, n).view(q.Shape).to_type(dtype).MoveToOuterDisposeScope();
    }

    /// <summary>absmax = map[q8] · absmax2 + offset, in two fp32 roundings as bitsandbytes (see DoubleQuant).</summary>
    private Tensor ExpandNested(QuantizedTensor q)
    {
        var nested = q.Nested!;
        long nb = q.Scales.shape[0];
        var values = _nestedMap!.index_select(0, q.Scales.to_type(ScalarType.Int64));         // (nb,)
        var padded = nn.functional.pad(values, [0, (nb + nested.BlockSize - 1) / nested.BlockSize * nested.BlockSize - nb]);
        var scaled = padded.view(-1, nested.BlockSize) * nested.Absmax.unsqueeze(1);          // (nb2, 256)
        return scaled.view(-1).narrow(0, 0, nb).Plus(nested.Offset);
    }
}
