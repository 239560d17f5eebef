namespace DurableUn.Checkpoints.Gguf;

/// <summary>
/// The type tag of a GGUF metadata value (ggml docs/gguf.md <c>gguf_metadata_value_type</c>, docs/formats.md#gguf): the
/// uint32 written before every value, and before the items of an array. Numbering is the file format's.
/// </summary>
public enum GgufValueType : uint
{
    UInt8 = 0,
    Int8 = 1,
    UInt16 = 2,
    Int16 = 3,
    UInt32 = 4,
    Int32 = 5,
    Float32 = 6,
    /// <summary>One byte, 0 or 1.</summary>
    Bool = 7,
    /// <summary>uint64 byte length, then UTF-8 bytes, no NUL.</summary>
    String = 8,
    /// <summary>uint32 item type, uint64 count, then the items.</summary>
    Array = 9,
    UInt64 = 10,
    Int64 = 11,
    Float64 = 12,
}
