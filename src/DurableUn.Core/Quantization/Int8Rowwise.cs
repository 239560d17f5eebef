using DurableUn.Tensors;
using static TorchSharp.torch;

namespace DurableUn.Quantization;

/// <summary>
/// INT8 weights per output row, symmetric: bitsandbytes' LLM.int8 weight format (Dettmers et al. 2022,
/// arXiv:2208.07339; backends/default/ops.py <c>int8_vectorwise_quant</c> with threshold 0, <c>int8_vectorwise_dequant</c>).
/// SCB = max|row|; codes = round(x · (127 / SCB)) with torch.round, i.e. round half to even; x̂ = codes · SCB · (1/127).
/// Python's <c>127.0 / SCB</c> is <c>SCB.reciprocal() * 127</c> (two fp32 roundings), and the dequant multiplies by the
/// fp32 constant 7.874015718698502e-3 rather than dividing by 127; both are kept for bit-exactness. A row of zeros gets
/// multiplier 0 (bnb would compute 0·inf = NaN). A row is the last dimension; a 1-D tensor is one row.
/// Not: the outlier split of LLM.int8 activations (threshold 6.0); not: activation quantization.
/// </summary>
public static partial class Int8Rowwise
{
    /// <summary>fp32 value of bnb's 1/127 literal.</summary>
    internal const float InverseOf127 = 7.874015718698502e-3f;

    public static QuantizedTensor Quantize(Tensor x, string name = "tensor")
    {
        using var scope = NewDisposeScope();
        var rows = RowsOf(x, name);                                              // (R, C) fp32
        var absmax = rows.abs().amax(1);                                         // (R,) = SCB
        var codes = (rows * Multiplier(absmax).unsqueeze(1)).round().to(ScalarType.Int8); // (R, C) in [-127, 127]
        return new QuantizedTensor(QuantFormat.Int8, codes.MoveToOuterDisposeScope(), absmax.MoveToOuterDisposeScope(),
            x.shape, (int)rows.shape[1], x.dtype);
    }

    public static Tensor Dequantize(QuantizedTensor q, ScalarType? dtype = null)
    {
        using var scope = NewDisposeScope();
        var values = (q.Codes.to(ScalarType.Float32) * q.Scales.unsqueeze(1)).Times(InverseOf127);   // (R, C)
        return values.view(q.Shape).to(dtype ?? q.OriginalDtype).MoveToOuterDisposeScope();
    }

    /// <summary>127/SCB as torch computes it, and 0 for an all-zero row.</summary>
    internal static Tensor Multiplier(Tensor absmax) =>
        where(absmax.EqualTo(0), zeros_like(absmax), absmax.reciprocal().Times(127f));

    private static Tensor RowsOf(Tensor x, string name)
    {
        var flat = QuantGuard.Fp32Flat(x, name);
        long columns = x.dim() == 0 ? 1 : x.shape[^1];
        return flat.view(-1, columns);
    }
}
