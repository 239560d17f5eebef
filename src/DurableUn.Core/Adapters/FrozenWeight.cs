using DurableUn.Tensors;
using DurableUn.Quantization;
using TorchSharp;
using static TorchSharp.torch;

namespace DurableUn.Adapters;

/// <summary>
/// The frozen base weight [out, in] of one projection: a <see cref="QuantizedTensor"/> (NF4/FP4 in the QLoRA regime,
/// any format after a merged deployment) or a dense tensor. A quantized weight is dequantized afresh on every call, so
/// only the codes and scales stay in memory (≈ 0.5 byte per weight + scales); the dense matrix lives for one step.
/// A deployed model, whose weights never change, holds <see cref="Dequantized"/> copies instead (dequantized once).
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

    /// <summary>The dense base (fp32, or the compute dtype after <see cref="Dequantized"/>); null for a quantized base.</summary>
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

    /// <summary>
    /// This weight dequantized once into a dense <paramref name="dtype"/> tensor that the returned instance owns: a
    /// deployed model multiplies with it directly instead of dequantizing on every call. The values are exactly those
    /// <see cref="Weight"/> gives in that dtype (the same code path computes them), so logits do not change.
    /// Costs 4 (fp32) or 2 (bf16) bytes per weight for as long as the caller keeps it; the caller disposes <see cref="Dense"/>.
    /// </summary>
    public FrozenWeight Dequantized(ScalarType dtype)
    {
        using var scope = NewDisposeScope();
        var dense = Weight(dtype).contiguous();                                            // (out, in) in dtype
        return new FrozenWeight(null, dense.DetachFromDisposeScope(), null, null);
    }

    /// <summary>The weight [out, in] in <paramref name="dtype"/>: a new tensor, or a read-only alias of a dense base already
    /// in that dtype (no copy per call). Callers never write into it.</summary>
    public Tensor Weight(ScalarType dtype)
    {
        if (Dense is not null) return Dense.dtype == dtype ? Dense.alias() : Dense.to_type(dtype, copy: true);
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
