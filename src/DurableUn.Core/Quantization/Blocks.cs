using static TorchSharp.torch;

namespace DurableUn.Quantization;

/// <summary>
/// Shape helpers shared by the blockwise formats: view a flat tensor as rows of one block each, and read a tensor
/// into a float array for the loop references. Not: any quantization arithmetic.
/// </summary>
internal static class Blocks
{
    /// <summary>Number of blocks of <paramref name="blockSize"/> needed for <paramref name="n"/> elements (the last may be partial).</summary>
    public static long Count(long n, int blockSize) => (n + blockSize - 1) / blockSize;

    /// <summary>(n,) → (blocks, blockSize), zero-padding the partial last block. Zeros never change a block's max |x|.</summary>
    public static Tensor PadToBlocks(Tensor flat, int blockSize)
    {
        long n = flat.shape[0];
        long padding = Count(n, blockSize) * blockSize - n;
        return nn.functional.pad(flat, [0, padding]).view(-1, blockSize);
    }

    /// <summary>The first <paramref name="n"/> elements of a tensor, flattened.</summary>
    public static Tensor Head(Tensor t, long n) => t.reshape(-1).narrow(0, 0, n);

    /// <summary>A tensor's values as a float array (converting to fp32 first).</summary>
    public static float[] ToFloats(Tensor t) => t.to(ScalarType.Float32).contiguous().data<float>().ToArray();
}
