using TorchSharp;
using static TorchSharp.torch;

namespace DurableUn.Tensors;

/// <summary>
/// Tensor-and-number operations that keep their TorchSharp <see cref="Scalar"/> alive for the whole native call.
/// Why: a number passed where TorchSharp expects a Scalar (<c>x * 0.5</c>, <c>x.clamp(0, 1)</c>) becomes a native
/// c10::Scalar owned only by a finalizer. The op reads its handle and enters libtorch; from then on nothing managed
/// refers to it, so a collection started by another thread can finalize and free it while libtorch still reads it
/// (a crash seen in c10::Scalar::toFloat). Each method here creates the Scalar, runs the op, then disposes it, so the
/// Scalar outlives the call. Overloads: <c>long</c> for integer constants (an int tensor stays int, as with the
/// implicit int conversion) and <c>double</c> for real ones (libtorch casts it to the tensor's dtype, so a float
/// constant gives bit-identical results). NoImplicitScalarTests fails on any implicit conversion in product code.
/// </summary>
public static class ScalarOps
{
    /// <summary>The alpha of tensor addition. TorchSharp's <c>a + b</c> passes a fresh implicit 1 as alpha; a
    /// static Scalar is reachable for the life of the process, so no finalizer can free it mid-call.</summary>
    internal static readonly Scalar One = 1.ToScalar();

    /// <summary>a + b (TorchSharp's operator makes a finalizer-owned alpha).</summary>
    public static Tensor Add(this Tensor a, Tensor b) => a.add(b, One);
    public static Tensor AddInPlace(this Tensor a, Tensor b) => a.add_(b, One);
    /// <summary>x² as x·x: TorchSharp's <c>square()</c> is <c>pow(2)</c> with an implicit Scalar; libtorch computes
    /// pow(x, 2) as x·x, so values and gradients (2·g·x, exact doubling) are the same.</summary>
    public static Tensor Square(this Tensor x) => x.mul(x);
    public static Tensor Times(this Tensor x, double v) { using var s = v.ToScalar(); return x.mul(s); }
    public static Tensor Times(this Tensor x, long v) { using var s = v.ToScalar(); return x.mul(s); }
    public static Tensor TimesInPlace(this Tensor x, double v) { using var s = v.ToScalar(); return x.mul_(s); }
    public static Tensor Plus(this Tensor x, double v) { using var s = v.ToScalar(); return x.add(s, One); }
    public static Tensor Plus(this Tensor x, long v) { using var s = v.ToScalar(); return x.add(s, One); }
    public static Tensor Minus(this Tensor x, double v) { using var s = v.ToScalar(); return x.sub(s); }
    public static Tensor Minus(this Tensor x, long v) { using var s = v.ToScalar(); return x.sub(s); }
    public static Tensor Over(this Tensor x, double v) { using var s = v.ToScalar(); return x.div(s); }
    public static Tensor Over(this Tensor x, long v) { using var s = v.ToScalar(); return x.div(s); }
    public static Tensor Clamped(this Tensor x, double min, double max)
    {
        using var lo = min.ToScalar();
        using var hi = max.ToScalar();
        return x.clamp(lo, hi);
    }
    public static Tensor AtLeast(this Tensor x, double min) { using var s = min.ToScalar(); return x.clamp_min(s); }
    public static Tensor AtLeast(this Tensor x, long min) { using var s = min.ToScalar(); return x.clamp_min(s); }
    public static Tensor AtMost(this Tensor x, double max) { using var s = max.ToScalar(); return x.clamp_max(s); }
    public static Tensor AtMost(this Tensor x, long max) { using var s = max.ToScalar(); return x.clamp_max(s); }
    public static Tensor EqualTo(this Tensor x, double v) { using var s = v.ToScalar(); return x.eq(s); }
    public static Tensor EqualTo(this Tensor x, long v) { using var s = v.ToScalar(); return x.eq(s); }
    public static Tensor NotEqualTo(this Tensor x, long v) { using var s = v.ToScalar(); return x.ne(s); }
    public static Tensor AtMostMask(this Tensor x, double v) { using var s = v.ToScalar(); return x.le(s); }
    public static Tensor AboveMask(this Tensor x, double v) { using var s = v.ToScalar(); return x.gt(s); }
    public static Tensor AtLeastMask(this Tensor x, double v) { using var s = v.ToScalar(); return x.ge(s); }
    public static Tensor Filled(this Tensor x, Tensor mask, double v) { using var s = v.ToScalar(); return x.masked_fill(mask, s); }
    public static Tensor Filled(this Tensor x, Tensor mask, long v) { using var s = v.ToScalar(); return x.masked_fill(mask, s); }
    public static Tensor IndexFilledInPlace(this Tensor x, long dim, Tensor index, double v)
    {
        using var s = v.ToScalar();
        return x.index_fill_(dim, index, s);
    }
    /// <summary>int64 [start, stop): TorchSharp's arange(long, long) converts both bounds implicitly.</summary>
    public static Tensor Range(long start, long stop)
    {
        using var a = start.ToScalar();
        using var b = stop.ToScalar();
        using var step = 1L.ToScalar();
        return torch.arange(a, b, step, dtype: ScalarType.Int64);
    }
}
