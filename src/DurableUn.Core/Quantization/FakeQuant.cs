using DurableUn.Tensors;
using static TorchSharp.torch;

namespace DurableUn.Quantization;

/// <summary>
/// Fake quantization with a straight-through estimator (Bengio et al. 2013; PyTorch FakeQuantize,
/// docs/methods.md#sam-and-fake-quantization): forward = dequantize(quantize(x)) bit for bit; backward = identity where
/// x lies inside the representable range [−range, range] of its block, zero outside. Built as y = q.detach() + (m·x −
/// (m·x).detach()) with m the in-range mask: the value is exactly q (m·x − m·x is exactly 0), the gradient is m. Works
/// inside any TorchSharp autograd graph.
/// <para>With scales taken from x itself (the overloads without scales) every element is inside its block's range by
/// construction, so the gradient is 1 everywhere; pass fixed (detached) scales to get the clipping behaviour.
/// Scales never receive gradients.</para>
/// Not: learned step sizes (LSQ); not: FP4 or GGUF formats.
/// </summary>
public static class FakeQuant
{
    /// <summary>INT4 with scales absmax/7 computed from x (detached).</summary>
    public static Tensor Int4(Tensor x, int groupSize = Int4Groupwise.DefaultGroupSize)
    {
        QuantGuard.GroupTilesLastDim(x, groupSize, "x", nameof(groupSize));
        using var scale = Int4Groupwise.Scales(x.detach().to(ScalarType.Float32).reshape(-1, groupSize));
        return Int4(x, scale, groupSize);
    }

    /// <summary>INT4 with given scales (n/G,): range of each group is 7·scale.</summary>
    public static Tensor Int4(Tensor x, Tensor scale, int groupSize)
    {
        QuantGuard.GroupTilesLastDim(x, groupSize, "x", nameof(groupSize));
        using var scope = NewDisposeScope();
        var groups = x.detach().to(ScalarType.Float32).reshape(-1, groupSize);                 // (n/G, G)
        var s = scale.detach().to(ScalarType.Float32).unsqueeze(1);                              // (n/G, 1)
        var quantized = Int4Groupwise.Codes(groups, scale.detach().to(ScalarType.Float32)) * s;  // (n/G, G)
        // In range when the code before clamping lies in [−7, 7] (PyTorch FakeQuantize's mask). Comparing |x| with
        // 7·scale instead wrongly excludes a group's own absmax whenever (absmax/7)·7 rounds below absmax.
        var inRange = (groups / s).round().abs().AtMostMask(Int4Groupwise.MaxCode).logical_or(s.EqualTo(0));
        return StraightThrough(x, quantized, inRange).MoveToOuterDisposeScope();
    }

    /// <summary>NF4 with block absmax computed from x (detached).</summary>
    public static Tensor Nf4(Tensor x, int blockSize = Quantization.Nf4.DefaultBlockSize)
    {
        QuantGuard.Bnb4BitBlockSize(blockSize);
        using var blocks = Blocks.PadToBlocks(x.detach().to(ScalarType.Float32).reshape(-1), blockSize);
        using var absmax = blocks.abs().amax(1).AtLeast(Blockwise4Bit.MinAbsmax);
        return Nf4(x, absmax, blockSize);
    }

    /// <summary>NF4 with given block absmax (ceil(n/B),): range of each block is its absmax.</summary>
    public static Tensor Nf4(Tensor x, Tensor absmax, int blockSize) => FourBit(x, absmax, blockSize, Quantization.Nf4.Codebook);

    /// <summary>FP4 (bitsandbytes' default 4-bit) with block absmax computed from x (detached).</summary>
    public static Tensor Fp4(Tensor x, int blockSize = Quantization.Fp4.DefaultBlockSize)
    {
        QuantGuard.Bnb4BitBlockSize(blockSize);
        using var blocks = Blocks.PadToBlocks(x.detach().to(ScalarType.Float32).reshape(-1), blockSize);
        using var absmax = blocks.abs().amax(1).AtLeast(Blockwise4Bit.MinAbsmax);
        return FourBit(x, absmax, blockSize, Quantization.Fp4.Codebook);
    }

    /// <summary>A blockwise 4-bit codebook (NF4 or FP4) with given block absmax (ceil(n/B),).</summary>
    private static Tensor FourBit(Tensor x, Tensor absmax, int blockSize, FourBitCodebook codebook)
    {
        QuantGuard.Bnb4BitBlockSize(blockSize);
        using var scope = NewDisposeScope();
        long n = x.numel();
        var blocks = Blocks.PadToBlocks(x.detach().to(ScalarType.Float32).reshape(-1), blockSize);   // (nb, B)
        var a = absmax.detach().to(ScalarType.Float32);                                                // (nb,)
        var codes = Blockwise4Bit.Codes(blocks, a, codebook);                                          // (nb, B)
        var quantized = tensor(codebook.Values).index_select(0, codes.view(-1)).view(codes.shape) * a.unsqueeze(1);
        var inRange = blocks.abs() <= a.unsqueeze(1);
        return StraightThrough(x, Blocks.Head(quantized, n), Blocks.Head(inRange, n)).MoveToOuterDisposeScope();
    }

    /// <summary>INT8 with row absmax computed from x (detached).</summary>
    public static Tensor Int8(Tensor x)
    {
        using var absmax = RowsOf(x.detach()).abs().amax(1);
        return Int8(x, absmax);
    }

    /// <summary>INT8 with given row absmax (rows,): range of each row is its absmax.</summary>
    public static Tensor Int8(Tensor x, Tensor absmax)
    {
        using var scope = NewDisposeScope();
        var rows = RowsOf(x.detach());                                                          // (R, C)
        var a = absmax.detach().to(ScalarType.Float32).unsqueeze(1);                            // (R, 1)
        var codes = (rows * Int8Rowwise.Multiplier(a)).round().Clamped(-127, 127);
        var quantized = (codes * a).Times(Int8Rowwise.InverseOf127);
        var inRange = rows.abs() <= a;
        return StraightThrough(x, quantized, inRange).MoveToOuterDisposeScope();
    }

    /// <summary>Value of <paramref name="quantized"/>, gradient of x masked by <paramref name="inRange"/>; both reshaped to x.</summary>
    private static Tensor StraightThrough(Tensor x, Tensor quantized, Tensor inRange)
    {
        var mask = inRange.reshape(x.shape).to(x.dtype);
        var passed = x * mask;
        return quantized.reshape(x.shape).to(x.dtype).detach().Add(passed - passed.detach());
    }

    private static Tensor RowsOf(Tensor x) => x.to(ScalarType.Float32).reshape(-1, x.dim() == 0 ? 1 : x.shape[^1]);
}
