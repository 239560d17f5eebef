namespace DurableUn.Checkpoints.Gguf;

/// <summary>What is wrong with a GGUF file, one value per check the reader makes. Tests assert the kind.</summary>
public enum GgufErrorKind
{
    /// <summary>The first four bytes are not "GGUF".</summary>
    BadMagic,
    /// <summary>A version other than 2 or 3 (version 1 had 32-bit counts and lengths).</summary>
    UnsupportedVersion,
    /// <summary>The file ends inside the header, the metadata, the tensor infos or a tensor's data.</summary>
    Truncated,
    /// <summary>A value type tag outside 0..12, or an array of arrays.</summary>
    BadValueType,
    /// <summary>A string that is not UTF-8.</summary>
    BadString,
    /// <summary>The same metadata key or tensor name twice.</summary>
    DuplicateName,
    /// <summary>A tensor info with a name over 63 bytes, no dims or more than 4, a dim ≤ 0, a type id not known here,
    /// or a row that is not whole blocks of its type.</summary>
    BadTensorInfo,
    /// <summary>A tensor offset that is not a multiple of the alignment, or tensors that overlap.</summary>
    BadOffset,
    /// <summary>general.alignment that is not a positive power of two (or not a uint32).</summary>
    BadAlignment,
}

/// <summary>A GGUF file that breaks a rule of the format; the message names the file, where, and what.</summary>
public sealed class GgufFormatException(GgufErrorKind kind, string file, string detail)
    : Exception($"{file}: {detail} ({kind})")
{
    public GgufErrorKind Kind { get; } = kind;
    public string File { get; } = file;
}
