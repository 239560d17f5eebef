using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace DurableUn.Quantization;

/// <summary>
/// Serialises Q8_0 and Q4_0 tensors into ggml's block structs (ggml/src/ggml-common.h), the bytes a GGUF writer puts
/// in the tensor data section: <c>block_q8_0 { ggml_half d; int8_t qs[32]; }</c> = 34 bytes and
/// <c>block_q4_0 { ggml_half d; uint8_t qs[16]; }</c> = 18 bytes, d little-endian, blocks in row-major element order.
/// Not: the GGUF header, metadata or alignment; not: reading blocks back.
/// </summary>
public static class GgufBlocks
{
    /// <summary>Bytes per Q8_0 block: 2 (fp16 d) + 32 codes.</summary>
    public const int Q8_0Bytes = 2 + GgufQ8_0.BlockSize;

    /// <summary>Bytes per Q4_0 block: 2 (fp16 d) + 16 bytes of nibbles.</summary>
    public const int Q4_0Bytes = 2 + GgufQ4_0.BlockSize / 2;

    /// <summary>The blocks of a Q8_0 or Q4_0 tensor, concatenated.</summary>
    public static byte[] ToBytes(QuantizedTensor q)
    {
        int blockBytes = q.Format switch
        {
            QuantFormat.Q8_0 => Q8_0Bytes,
            QuantFormat.Q4_0 => Q4_0Bytes,
            _ => throw new ArgumentException($"GGUF blocks exist for Q8_0 and Q4_0 only, not {q.Format}.", nameof(q)),
        };
        Half[] d = q.Scales.data<Half>().ToArray();
        byte[] codes = q.Format == QuantFormat.Q8_0
            ? MemoryMarshal.Cast<sbyte, byte>(q.Codes.data<sbyte>().ToArray()).ToArray()   // int8 bits, reinterpreted
            : q.Codes.data<byte>().ToArray();
        int payload = blockBytes - 2;
        var output = new byte[d.Length * blockBytes];
        for (int b = 0; b < d.Length; b++)
        {
            BinaryPrimitives.WriteHalfLittleEndian(output.AsSpan(b * blockBytes, 2), d[b]);
            Array.Copy(codes, b * payload, output, b * blockBytes + 2, payload);
        }
        return output;
    }
}
