using DurableUn.Tensors;
using static TorchSharp.torch;

namespace DurableUn.Quantization;

/// <summary>
/// Asymmetric INT4, groupwise min/max with a zero point, levels 0..15 (PyTorch's affine quantization:
/// <c>torch.ao.quantization.observer.MinMaxObserver</c> with quant_min 0, quant_max 15). The range is widened to include 0
/// (min ≤ 0 ≤ max, as the observer does) so that 0 is exact and a constant group survives; then
/// s = (max − min)/15, z = clamp(round(−min/s), 0, 15), q = clamp(round(x/s) + z, 0, 15), x̂ = (q − z)·s,
/// all rounding half to even. A group of zeros has s = 0, z = 0, q = 0.
/// Not: bit packing; not: the fp16 scales/mins of GGUF Q4_1 (this keeps fp32).
/// </summary>
public static partial class Int4AsymGroupwise
{
    /// <summary>Largest level: 4 bits give 0..15.</summary>
    public const int MaxLevel = 15;

    public static QuantizedTensor Quantize(Tensor x, int groupSize = Int4Groupwise.DefaultGroupSize, string name = "tensor")
    {
        QuantGuard.GroupTilesLastDim(x, groupSize, name, nameof(groupSize));
        using var scope = NewDisposeScope();
        var groups = QuantGuard.Fp32Flat(x, name).view(-1, groupSize);          // (n/G, G)
        var low = groups.amin(1).AtMost(0f);                                   // (n/G,) ≤ 0
        var high = groups.amax(1).AtLeast(0f);                                  // (n/G,) ≥ 0
        var scale = (high - low).Over((float)MaxLevel);                               // (n/G,)
        var safe = where(scale.EqualTo(0), ones_like(scale), scale);                  // s = 0 only for all-zero groups
        var zero = (-low / safe).round().Clamped(0, MaxLevel);                      // (n/G,)
        var codes = (groups / safe.unsqueeze(1)).round().Add(zero.unsqueeze(1)).Clamped(0, MaxLevel); // (n/G, G)
        return new QuantizedTensor(QuantFormat.Int4Asym, codes.to(ScalarType.Byte).MoveToOuterDisposeScope(),
            scale.MoveToOuterDisposeScope(), x.shape, groupSize, x.dtype)
        {
            ZeroPoints = zero.to(ScalarType.Byte).MoveToOuterDisposeScope(),
        };
    }

    public static Tensor Dequantize(QuantizedTensor q, ScalarType? dtype = null)
    {
        if (q.ZeroPoints is null) throw new ArgumentException("An Int4Asym tensor needs zero points.", nameof(q));
        using var scope = NewDisposeScope();
        var centred = q.Codes.to(ScalarType.Float32) - q.ZeroPoints.to(ScalarType.Float32).unsqueeze(1);   // (n/G, G) exact
        return (centred * q.Scales.unsqueeze(1)).view(q.Shape).to(dtype ?? q.OriginalDtype).MoveToOuterDisposeScope();
    }
}
