using System.Runtime.InteropServices;
using DurableUn.Quantization;
using TorchSharp;
using static TorchSharp.torch;

namespace DurableUn.Tests.Quantization;

/// <summary>Shared helpers: seeded random weights and bit-level comparison of tensors and quantized records.</summary>
internal static class QuantTestData
{
    /// <summary>Weight-like values: normal, scaled per seed by 10^(seed mod 5 − 3) so small and large magnitudes both occur.</summary>
    public static Tensor RandomWeights(int seed, params long[] shape)
    {
        var generator = new Generator((ulong)seed + 1);
        return randn(shape, generator: generator) * (float)Math.Pow(10, seed % 5 - 3);
    }

    public static float[] Floats(Tensor t) => t.to(ScalarType.Float32).contiguous().data<float>().ToArray();

    /// <summary>The raw bytes of a tensor, so equality means bit-for-bit equality (−0 ≠ +0, NaN payloads count).</summary>
    public static byte[] RawBytes(Tensor t) => t.dtype switch
    {
        ScalarType.Float32 => MemoryMarshal.AsBytes(t.contiguous().data<float>().ToArray().AsSpan()).ToArray(),
        ScalarType.Float16 => MemoryMarshal.AsBytes(t.contiguous().data<Half>().ToArray().AsSpan()).ToArray(),
        ScalarType.BFloat16 => MemoryMarshal.AsBytes(t.contiguous().data<BFloat16>().ToArray().AsSpan()).ToArray(),
        ScalarType.Int8 => MemoryMarshal.AsBytes(t.contiguous().data<sbyte>().ToArray().AsSpan()).ToArray(),
        ScalarType.Byte => t.contiguous().data<byte>().ToArray(),
        _ => throw new ArgumentException($"No raw view for {t.dtype}."),
    };

    public static void AssertBitEqual(Tensor expected, Tensor actual, string what)
    {
        Assert.True(expected.dtype == actual.dtype, $"{what}: dtype {expected.dtype} vs {actual.dtype}");
        Assert.Equal(expected.shape, actual.shape);
        byte[] e = RawBytes(expected), a = RawBytes(actual);
        int firstDifference = Enumerable.Range(0, e.Length).FirstOrDefault(i => e[i] != a[i], -1);
        Assert.True(firstDifference < 0, $"{what}: first differing byte at {firstDifference} of {e.Length}");
    }

    public static void AssertBitEqual(QuantizedTensor expected, QuantizedTensor actual)
    {
        Assert.Equal(expected.Format, actual.Format);
        Assert.Equal(expected.Shape, actual.Shape);
        Assert.Equal(expected.BlockSize, actual.BlockSize);
        Assert.Equal(expected.OriginalDtype, actual.OriginalDtype);
        AssertBitEqual(expected.Codes, actual.Codes, "codes");
        AssertBitEqual(expected.Scales, actual.Scales, "scales");
        Assert.Equal(expected.ZeroPoints is null, actual.ZeroPoints is null);
        if (expected.ZeroPoints is not null) AssertBitEqual(expected.ZeroPoints, actual.ZeroPoints!, "zero points");
        Assert.Equal(expected.Nested is null, actual.Nested is null);
        if (expected.Nested is not null)
        {
            AssertBitEqual(expected.Nested.Absmax, actual.Nested!.Absmax, "nested absmax");
            Assert.Equal(BitConverter.SingleToInt32Bits(expected.Nested.Offset), BitConverter.SingleToInt32Bits(actual.Nested.Offset));
        }
    }
}
