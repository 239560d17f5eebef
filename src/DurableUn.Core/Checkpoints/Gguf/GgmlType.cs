namespace DurableUn.Checkpoints.Gguf;

/// <summary>
/// ggml tensor types a GGUF tensor info may name (ggml <c>include/ggml.h</c> <c>enum ggml_type</c>, ids are the
/// file's). The writer produces F32, F16, Q8_0 and Q4_0; the reader also knows the other llama.cpp types of shipped files
/// so that it can check the offsets and sizes of files llama.cpp's own tools wrote.
/// </summary>
public enum GgmlType : uint
{
    F32 = 0,
    F16 = 1,
    Q4_0 = 2,
    Q4_1 = 3,
    Q5_0 = 6,
    Q5_1 = 7,
    Q8_0 = 8,
    Q2_K = 10,
    Q3_K = 11,
    Q4_K = 12,
    Q5_K = 13,
    Q6_K = 14,
    IQ2_XXS = 16,
    IQ2_XS = 17,
    IQ3_XXS = 18,
    IQ1_S = 19,
    IQ4_NL = 20,
    IQ3_S = 21,
    IQ2_S = 22,
    IQ4_XS = 23,
    I8 = 24,
    I16 = 25,
    I32 = 26,
    I64 = 27,
    F64 = 28,
    IQ1_M = 29,
    BF16 = 30,
    TQ1_0 = 34,
    TQ2_0 = 35,
}

/// <summary>Block geometry of each <see cref="GgmlType"/> (ggml <c>type_traits</c>: blck_size, type_size).</summary>
public static class GgmlTypes
{
    /// <summary>(elements per block, bytes per block); null for a type id this library does not know.</summary>
    public static (int Elements, int Bytes)? Block(GgmlType type) => type switch
    {
        GgmlType.F32 or GgmlType.I32 => (1, 4),
        GgmlType.F16 or GgmlType.BF16 or GgmlType.I16 => (1, 2),
        GgmlType.I8 => (1, 1),
        GgmlType.I64 or GgmlType.F64 => (1, 8),
        GgmlType.Q4_0 => (32, 18),    // fp16 d + 16 bytes of nibbles
        GgmlType.Q4_1 => (32, 20),    // fp16 d, m + 16
        GgmlType.Q5_0 => (32, 22),    // fp16 d + 4 bytes high bits + 16
        GgmlType.Q5_1 => (32, 24),    // fp16 d, m + 4 + 16
        GgmlType.Q8_0 => (32, 34),    // fp16 d + 32 int8
        GgmlType.Q2_K => (256, 84),   // 16 scales + 64 qs + fp16 d, dmin
        GgmlType.Q3_K => (256, 110),  // 32 hmask + 64 qs + 12 scales + fp16 d
        GgmlType.Q4_K => (256, 144),  // fp16 d, dmin + 12 scales + 128 qs
        GgmlType.Q5_K => (256, 176),  // fp16 d, dmin + 12 scales + 32 qh + 128 qs
        GgmlType.Q6_K => (256, 210),  // 128 ql + 64 qh + 16 scales + fp16 d
        GgmlType.IQ4_NL => (32, 18),  // fp16 d + 16 bytes of nibbles indexing kvalues_iq4nl
        GgmlType.IQ4_XS => (256, 136), // fp16 d + u16 scales_h + 4 scales_l + 128 qs
        GgmlType.IQ2_XXS => (256, 66), // fp16 d + 32 u16 qs
        GgmlType.IQ2_XS => (256, 74),  // fp16 d + 32 u16 qs + 8 scales
        GgmlType.IQ2_S => (256, 82),   // fp16 d + 64 qs + 8 qh + 8 scales
        GgmlType.IQ3_XXS => (256, 98), // fp16 d + 96 qs
        GgmlType.IQ3_S => (256, 110),  // fp16 d + 64 qs + 8 qh + 32 signs + 4 scales
        GgmlType.IQ1_S => (256, 50),   // fp16 d + 32 qs + 8 u16 qh
        GgmlType.IQ1_M => (256, 56),   // 32 qs + 16 qh + 8 scales
        GgmlType.TQ1_0 => (256, 54),   // 48 qs + 4 qh + fp16 d
        GgmlType.TQ2_0 => (256, 66),   // 64 qs + fp16 d
        _ => null,
    };

    /// <summary>Bytes of a tensor with the given ggml dims (ne[0] first); throws when ne[0] is not whole blocks.</summary>
    public static long ByteSize(GgmlType type, IReadOnlyList<long> dims)
    {
        var (elements, bytes) = Block(type) ?? throw new ArgumentException($"ggml type {(uint)type} is not known here");
        if (dims.Count == 0 || dims[0] % elements != 0)
            throw new ArgumentException($"ggml type {type} needs rows of whole {elements}-element blocks; ne[0] = {(dims.Count == 0 ? 0 : dims[0])}");
        long rows = 1;
        for (var i = 1; i < dims.Count; i++) rows = checked(rows * dims[i]);
        return checked(dims[0] / elements * bytes * rows);
    }
}
