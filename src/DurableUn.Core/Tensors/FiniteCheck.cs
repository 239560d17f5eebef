using static TorchSharp.torch;

namespace DurableUn.Tensors;

/// <summary>
/// A weight computed from others (a merge W + scale·B·A, a dequantization, a quantize round trip) is checked finite
/// where it is made: adapter values that are finite alone can overflow fp32 in the product, and a model computing with
/// an Inf weight prints a flat distribution instead of failing. The error names the tensor and what made it.
/// </summary>
public static class FiniteCheck
{
    /// <summary>Throws <see cref="OverflowException"/> naming <paramref name="name"/> when <paramref name="t"/> holds NaN or Inf.</summary>
    public static Tensor Weight(Tensor t, string name, string step)
    {
        using var finite = t.isfinite().all();
        return finite.item<bool>() ? t : throw new OverflowException($"{name}: {step} gives NaN or Inf (the values overflow fp32)");
    }
}
