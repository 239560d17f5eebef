using DurableUn.Tensors;
using static TorchSharp.torch;

namespace DurableUn.Quantization;

/// <summary>
/// Symmetric INT4, groupwise absmax round-to-nearest (the RTN baseline of GPTQ/AWQ papers; gpt-fast's
/// <c>quantize.py</c> groupwise int4). Each group of G consecutive elements of a row (G divides the last dimension)
/// gets scale s = absmax/7 and codes q = clamp(round(x/s), −7, 7), round half to even as torch.round; x̂ = q·s.
/// <para>Why [−7, 7] and not [−8, 7]: with absmax scaling the grid must reach ±absmax, and only a symmetric grid does
/// that for both signs with one scale, keeps 0 exact, and makes the largest weight of every group exact (7·absmax/7).
/// Using −8 would need s = absmax/8 and would clip +absmax to 7s, or waste the level. 15 of 16 levels are used.</para>
/// A group of zeros has s = 0 and codes 0. Not: bit packing; not: asymmetric ranges (see <see cref="Int4AsymGroupwise"/>);
/// not: GPTQ/AWQ error-compensating rounding.
/// </summary>
public static partial class Int4Groupwise
{
    /// <summary>64 weights per group: DurableUn's default INT4 granularity (docs/design.md#precisions), as common int4
    /// RTN baselines.</summary>
    public const int DefaultGroupSize = 64;

    /// <summary>Largest code magnitude: the grid is −7..7.</summary>
    public const int MaxCode = 7;

    public static QuantizedTensor Quantize(Tensor x, int groupSize = DefaultGroupSize, string name = "tensor")
    {
        QuantGuard.GroupTilesLastDim(x, groupSize, name, nameof(groupSize));
        using var scope = NewDisposeScope();
        var groups = QuantGuard.Fp32Flat(x, name).view(-1, groupSize);   // (n/G, G)
        var scale = Scales(groups);                                        // (n/G,)
        var codes = Codes(groups, scale).to(ScalarType.Int8);              // (n/G, G) in [-7, 7]
        return new QuantizedTensor(QuantFormat.Int4, codes.MoveToOuterDisposeScope(), scale.MoveToOuterDisposeScope(),
            x.shape, groupSize, x.dtype);
    }

    public static Tensor Dequantize(QuantizedTensor q, ScalarType? dtype = null)
    {
        using var scope = NewDisposeScope();
        var values = q.Codes.to(ScalarType.Float32) * q.Scales.unsqueeze(1);   // (n/G, G)
        return values.view(q.Shape).to(dtype ?? q.OriginalDtype).MoveToOuterDisposeScope();
    }

    /// <summary>absmax/7 per group: (groups, G) → (groups,).</summary>
    internal static Tensor Scales(Tensor groups) => groups.abs().amax(1).Over((float)MaxCode);

    /// <summary>clamp(round(x/s), −7, 7) as fp32, for any scale (also fixed scales in <see cref="FakeQuant"/>); s = 0 gives 0.</summary>
    internal static Tensor Codes(Tensor groups, Tensor scale)
    {
        var safe = where(scale.EqualTo(0), ones_like(scale), scale).unsqueeze(1);   // (groups, 1): x is 0 wherever s is 0
        return (groups / safe).round().Clamped(-MaxCode, MaxCode);
    }
}
