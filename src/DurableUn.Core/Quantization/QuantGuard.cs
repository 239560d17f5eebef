using TorchSharp;
using static TorchSharp.torch;

namespace DurableUn.Quantization;

/// <summary>
/// Input checks shared by every format, so that a bad tensor fails before any arithmetic with a message that names the
/// tensor, the parameter and the offending value. Not: shape checks specific to one format (those sit in the format).
/// </summary>
internal static class QuantGuard
{
    /// <summary>The tensor as a fresh fp32 contiguous 1-D copy, after checking dtype, emptiness and finiteness.</summary>
    public static Tensor Fp32Flat(Tensor x, string name)
    {
        if (x.dtype is not (ScalarType.Float32 or ScalarType.Float16 or ScalarType.BFloat16))
            throw new ArgumentException($"Tensor '{name}' has dtype {x.dtype}; quantization needs float32, float16 or bfloat16.", nameof(x));
        if (x.numel() == 0)
            throw new ArgumentException($"Tensor '{name}' is empty; there is nothing to quantize.", nameof(x));
        var flat = x.detach().to(ScalarType.Float32).reshape(-1).contiguous().clone();
        using var finite = flat.isfinite();
        if (!finite.all().item<bool>())
        {
            long at = (~finite).nonzero()[0, 0].item<long>();
            throw new ArgumentException(
                $"Tensor '{name}' holds {flat[at].item<float>()} at flat index {at}; quantization needs finite values.", nameof(x));
        }
        return flat;
    }

    /// <summary>bitsandbytes accepts 4-bit block sizes that are powers of two from 32 to 4096 (functional.quantize_4bit).</summary>
    public static void Bnb4BitBlockSize(int blockSize)
    {
        if (blockSize < 32 || blockSize > 4096 || (blockSize & (blockSize - 1)) != 0)
            throw new ArgumentException($"blockSize {blockSize} is not supported; use a power of two from 32 to 4096.", nameof(blockSize));
    }

    /// <summary>Groups must tile each row exactly, so no group straddles two output rows.</summary>
    public static void GroupTilesLastDim(Tensor x, int groupSize, string name, string paramName)
    {
        if (groupSize < 1)
            throw new ArgumentException($"{paramName} {groupSize} must be positive.", paramName);
        long last = x.dim() == 0 ? 1 : x.shape[^1];
        if (last % groupSize != 0)
            throw new ArgumentException(
                $"Tensor '{name}' has last dimension {last}, not divisible by {paramName} {groupSize}.", paramName);
    }
}
