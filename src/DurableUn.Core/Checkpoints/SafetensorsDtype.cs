namespace DurableUn.Checkpoints;

/// <summary>
/// The safetensors element types DurableUn reads and writes, with their on-disk names and sizes
/// (huggingface/safetensors <c>safetensors/src/tensor.rs</c>, <c>Dtype</c>).
/// Not: the sub-byte and 8-bit float types (F4, F6_*, F8_*), complex or unsigned 16/32/64-bit types; a header that
/// names one of them is rejected with <see cref="SafetensorsErrorKind.UnknownDtype"/> rather than read wrongly.
/// </summary>
public enum SafetensorsDtype
{
    Bool,
    U8,
    I8,
    I16,
    F16,
    BF16,
    I32,
    F32,
    I64,
    F64,
}

public static class SafetensorsDtypes
{
    /// <summary>Bytes per element; every supported dtype is byte-aligned, so sizes are whole bytes.</summary>
    public static int ByteSize(this SafetensorsDtype dtype) => dtype switch
    {
        SafetensorsDtype.Bool or SafetensorsDtype.U8 or SafetensorsDtype.I8 => 1,
        SafetensorsDtype.I16 or SafetensorsDtype.F16 or SafetensorsDtype.BF16 => 2,
        SafetensorsDtype.I32 or SafetensorsDtype.F32 => 4,
        SafetensorsDtype.I64 or SafetensorsDtype.F64 => 8,
        _ => throw new ArgumentOutOfRangeException(nameof(dtype), dtype, null),
    };

    /// <summary>The header spelling: "BOOL", "U8", ..., "BF16", "F32".</summary>
    public static string Name(this SafetensorsDtype dtype) =>
        dtype == SafetensorsDtype.Bool ? "BOOL" : dtype.ToString();

    /// <summary>Parses the header spelling exactly (case-sensitive, as the Rust reference does); null when unknown.</summary>
    public static SafetensorsDtype? TryParse(string name) => name switch
    {
        "BOOL" => SafetensorsDtype.Bool,
        "U8" => SafetensorsDtype.U8,
        "I8" => SafetensorsDtype.I8,
        "I16" => SafetensorsDtype.I16,
        "F16" => SafetensorsDtype.F16,
        "BF16" => SafetensorsDtype.BF16,
        "I32" => SafetensorsDtype.I32,
        "F32" => SafetensorsDtype.F32,
        "I64" => SafetensorsDtype.I64,
        "F64" => SafetensorsDtype.F64,
        _ => null,
    };
}
