using System.Buffers.Binary;

namespace DurableUn.Checkpoints.Gguf;

/// <summary>One tensor's elements decoded from ggml blocks: the values, each element's code (its quantized integer
/// before scaling) and the step between adjacent codes at that element (the scale of its block or sub-block).</summary>
public sealed record GgufDecoded(float[] Values, int[] Codes, float[] Steps);

/// <summary>
/// Decodes ggml's quantized blocks to fp32, following ggml-quants.c's dequantize_row_* (the layouts in
/// <see cref="GgmlTypes.Block"/>): the legacy 32-element types (q4_0, q5_0, q5_1, q8_0: the types llama.cpp's recipes and fallbacks use), the k-quants of
/// 256-element super-blocks (q4_K, q5_K, q6_K) and iq4_nl's non-linear 4-bit grid. Each decoder is checked against
/// llama.cpp's own dequantize_row_* on files its quantizer wrote (tests/…/Checkpoints/Gguf/GgufDequantizerTests).
/// Steps: the block's d for the linear types; d·scale of the sub-block for the k-quants; for iq4_nl d times the mean
/// gap of its grid (240/15 = 16), as the NF4 step elsewhere is the mean gap of its codebook.
/// Not: q4_1, q2_K, q3_K and the other iq types (no precision or fallback here makes them), f16/bf16/f32 (no codes: see <see cref="Values"/>).
/// </summary>
public static class GgufDequantizer
{
    /// <summary>llama.cpp's kvalues_iq4nl: the 16 levels of iq4_nl, a non-uniform grid denser near zero.</summary>
    private static readonly sbyte[] Iq4NlGrid = [-127, -104, -83, -65, -49, -35, -22, -10, 1, 13, 25, 38, 53, 69, 89, 113];

    /// <summary>Mean gap of <see cref="Iq4NlGrid"/>: (113 − (−127)) / 15.</summary>
    private const float Iq4NlMeanGap = 16f;

    public static bool CanDecode(GgmlType type) => type is GgmlType.Q4_0 or GgmlType.Q5_0 or GgmlType.Q5_1 or GgmlType.Q8_0
        or GgmlType.Q4_K or GgmlType.Q5_K or GgmlType.Q6_K or GgmlType.IQ4_NL;

    /// <summary>The fp32 values of a tensor of any decodable type, f32, f16 or bf16.</summary>
    public static float[] Values(GgmlType type, ReadOnlySpan<byte> data, long elements)
    {
        var n = checked((int)elements);
        switch (type)
        {
            case GgmlType.F32:
            {
                var y = new float[n];
                for (var i = 0; i < n; i++) y[i] = BinaryPrimitives.ReadSingleLittleEndian(data[(4 * i)..]);
                return y;
            }
            case GgmlType.F16:
            {
                var y = new float[n];
                for (var i = 0; i < n; i++) y[i] = Half(data, 2 * i);
                return y;
            }
            case GgmlType.BF16:
            {
                var y = new float[n];
                for (var i = 0; i < n; i++) y[i] = BitConverter.Int32BitsToSingle(BinaryPrimitives.ReadUInt16LittleEndian(data[(2 * i)..]) << 16);
                return y;
            }
            default:
                return Decode(type, data, elements).Values;
        }
    }

    /// <summary>Values, codes and steps of a quantized tensor (see the class summary for each type's step).</summary>
    public static GgufDecoded Decode(GgmlType type, ReadOnlySpan<byte> data, long elements)
    {
        if (!CanDecode(type)) throw new NotSupportedException($"no decoder for ggml type {type}");
        var (blockElements, blockBytes) = GgmlTypes.Block(type)!.Value;
        if (elements % blockElements != 0) throw new ArgumentException($"{elements} elements are not whole {type} blocks of {blockElements}");
        var blocks = checked((int)(elements / blockElements));
        if (data.Length < (long)blocks * blockBytes) throw new ArgumentException($"{type}: {data.Length} bytes hold fewer than {blocks} blocks of {blockBytes}");
        var result = new GgufDecoded(new float[blocks * blockElements], new int[blocks * blockElements], new float[blocks * blockElements]);
        for (var b = 0; b < blocks; b++)
        {
            var x = data.Slice(b * blockBytes, blockBytes);
            var at = b * blockElements;
            switch (type)
            {
                case GgmlType.Q4_0: Q4_0(x, result, at); break;
                case GgmlType.Q5_0: Q5(x, result, at, hasMin: false); break;
                case GgmlType.Q5_1: Q5(x, result, at, hasMin: true); break;
                case GgmlType.Q8_0: Q8_0(x, result, at); break;
                case GgmlType.Q4_K: Q4_K(x, result, at); break;
                case GgmlType.Q5_K: Q5_K(x, result, at); break;
                case GgmlType.Q6_K: Q6_K(x, result, at); break;
                case GgmlType.IQ4_NL: Iq4Nl(x, result, at); break;
            }
        }
        return result;
    }

    private static float Half(ReadOnlySpan<byte> x, int at) => (float)BitConverter.UInt16BitsToHalf(BinaryPrimitives.ReadUInt16LittleEndian(x[at..]));

    /// <summary>Stores one element; the step is a magnitude (ggml's d may be negative: q4_0 divides the signed extreme by −8).</summary>
    private static void Put(GgufDecoded r, int i, float value, int code, float step)
    {
        r.Values[i] = value;
        r.Codes[i] = code;
        r.Steps[i] = MathF.Abs(step);
    }

    /// q4_0: fp16 d, 16 bytes; element j is the low nibble of byte j, element j+16 its high nibble; w = (q − 8)·d.
    private static void Q4_0(ReadOnlySpan<byte> x, GgufDecoded r, int at)
    {
        var d = Half(x, 0);
        var qs = x[2..];
        for (var j = 0; j < 16; j++)
        {
            Put(r, at + j, ((qs[j] & 0xF) - 8) * d, qs[j] & 0xF, d);
            Put(r, at + j + 16, ((qs[j] >> 4) - 8) * d, qs[j] >> 4, d);
        }
    }

    /// q5_0 / q5_1: fp16 d (and m), 4 bytes qh (bit j = fifth bit of element j), 16 bytes of nibbles;
    /// w = (q − 16)·d, or q·d + m.
    private static void Q5(ReadOnlySpan<byte> x, GgufDecoded r, int at, bool hasMin)
    {
        var d = Half(x, 0);
        var m = hasMin ? Half(x, 2) : 0f;
        var off = hasMin ? 4 : 2;
        var qh = BinaryPrimitives.ReadUInt32LittleEndian(x[off..]);
        var qs = x[(off + 4)..];
        for (var j = 0; j < 16; j++)
        {
            var q0 = (qs[j] & 0xF) | (int)(((qh >> j) << 4) & 0x10);
            var q1 = (qs[j] >> 4) | (int)((qh >> (j + 12)) & 0x10);
            if (hasMin)
            {
                Put(r, at + j, q0 * d + m, q0, d);
                Put(r, at + j + 16, q1 * d + m, q1, d);
            }
            else
            {
                Put(r, at + j, (q0 - 16) * d, q0, d);
                Put(r, at + j + 16, (q1 - 16) * d, q1, d);
            }
        }
    }

    /// q8_0: fp16 d, 32 int8; w = q·d.
    private static void Q8_0(ReadOnlySpan<byte> x, GgufDecoded r, int at)
    {
        var d = Half(x, 0);
        for (var j = 0; j < 32; j++) Put(r, at + j, (sbyte)x[2 + j] * d, (sbyte)x[2 + j], d);
    }

    /// <summary>The 6-bit scale and min of sub-block j of a q4_K/q5_K super-block, packed in 12 bytes
    /// (ggml-quants.c get_scale_min_k4).</summary>
    private static (int Scale, int Min) ScaleMin(int j, ReadOnlySpan<byte> q) => j < 4
        ? (q[j] & 63, q[j + 4] & 63)
        : ((q[j + 4] & 0xF) | ((q[j - 4] >> 6) << 4), (q[j + 4] >> 4) | ((q[j] >> 6) << 4));

    /// q4_K: fp16 d, dmin, 12 bytes of 6-bit scales and mins for 8 sub-blocks of 32, 128 bytes of nibbles; each 64
    /// elements take 32 bytes, low nibbles first; w = d·sc·q − dmin·m.
    private static void Q4_K(ReadOnlySpan<byte> x, GgufDecoded r, int at)
    {
        var (d, min) = (Half(x, 0), Half(x, 2));
        var scales = x.Slice(4, 12);
        var q = x[16..];
        for (int j = 0, s = 0, y = at; j < 256; j += 64, s += 2)
        {
            var (sc1, m1) = ScaleMin(s, scales);
            var (sc2, m2) = ScaleMin(s + 1, scales);
            float d1 = d * sc1, o1 = min * m1, d2 = d * sc2, o2 = min * m2;
            var qs = q.Slice(j / 2, 32);
            for (var l = 0; l < 32; l++) Put(r, y + l, d1 * (qs[l] & 0xF) - o1, qs[l] & 0xF, d1);
            for (var l = 0; l < 32; l++) Put(r, y + 32 + l, d2 * (qs[l] >> 4) - o2, qs[l] >> 4, d2);
            y += 64;
        }
    }

    /// q5_K: as q4_K with 32 bytes qh holding each element's fifth bit (bit 2k and 2k+1 of byte l for the k-th 64);
    /// w = d·sc·q − dmin·m with q in 0..31.
    private static void Q5_K(ReadOnlySpan<byte> x, GgufDecoded r, int at)
    {
        var (d, min) = (Half(x, 0), Half(x, 2));
        var scales = x.Slice(4, 12);
        var qh = x.Slice(16, 32);
        var ql = x[48..];
        for (int j = 0, s = 0, y = at, u1 = 1, u2 = 2; j < 256; j += 64, s += 2, u1 <<= 2, u2 <<= 2)
        {
            var (sc1, m1) = ScaleMin(s, scales);
            var (sc2, m2) = ScaleMin(s + 1, scales);
            float d1 = d * sc1, o1 = min * m1, d2 = d * sc2, o2 = min * m2;
            var qs = ql.Slice(j / 2, 32);
            for (var l = 0; l < 32; l++)
            {
                var q = (qs[l] & 0xF) + ((qh[l] & u1) != 0 ? 16 : 0);
                Put(r, y + l, d1 * q - o1, q, d1);
            }
            for (var l = 0; l < 32; l++)
            {
                var q = (qs[l] >> 4) + ((qh[l] & u2) != 0 ? 16 : 0);
                Put(r, y + 32 + l, d2 * q - o2, q, d2);
            }
            y += 64;
        }
    }

    /// q6_K: 128 bytes ql (low 4 bits), 64 bytes qh (high 2 bits), 16 int8 scales of 16 elements, fp16 d last;
    /// w = d·sc·(q − 32).
    private static void Q6_K(ReadOnlySpan<byte> x, GgufDecoded r, int at)
    {
        var d = Half(x, 208);
        for (var n = 0; n < 2; n++)
        {
            var ql = x.Slice(64 * n, 64);
            var qh = x.Slice(128 + 32 * n, 32);
            var sc = x.Slice(192 + 8 * n, 8);
            var y = at + 128 * n;
            for (var l = 0; l < 32; l++)
            {
                var s = l / 16;
                int q1 = (ql[l] & 0xF) | (((qh[l] >> 0) & 3) << 4), q2 = (ql[l + 32] & 0xF) | (((qh[l] >> 2) & 3) << 4);
                int q3 = (ql[l] >> 4) | (((qh[l] >> 4) & 3) << 4), q4 = (ql[l + 32] >> 4) | (((qh[l] >> 6) & 3) << 4);
                float s1 = d * (sbyte)sc[s], s2 = d * (sbyte)sc[s + 2], s3 = d * (sbyte)sc[s + 4], s4 = d * (sbyte)sc[s + 6];
                Put(r, y + l, s1 * (q1 - 32), q1, s1);
                Put(r, y + l + 32, s2 * (q2 - 32), q2, s2);
                Put(r, y + l + 64, s3 * (q3 - 32), q3, s3);
                Put(r, y + l + 96, s4 * (q4 - 32), q4, s4);
            }
        }
    }

    /// iq4_nl: fp16 d, 16 bytes of nibbles laid out as q4_0; w = d·grid[q].
    private static void Iq4Nl(ReadOnlySpan<byte> x, GgufDecoded r, int at)
    {
        var d = Half(x, 0);
        var qs = x[2..];
        var step = d * Iq4NlMeanGap;
        for (var j = 0; j < 16; j++)
        {
            Put(r, at + j, d * Iq4NlGrid[qs[j] & 0xF], qs[j] & 0xF, step);
            Put(r, at + j + 16, d * Iq4NlGrid[qs[j] >> 4], qs[j] >> 4, step);
        }
    }
}
