namespace DurableUn.Checkpoints;

/// <summary>
/// One value per safetensors safety rule (docs/formats.md#safetensors, huggingface/safetensors <c>SafeTensorError</c>),
/// plus the rules of a sharded checkpoint's model.safetensors.index.json. Tests assert the kind, not the message text.
/// </summary>
public enum SafetensorsErrorKind
{
    /// <summary>The file is shorter than the 8-byte header length prefix.</summary>
    HeaderTooSmall,
    /// <summary>The header length N exceeds 100,000,000 bytes.</summary>
    HeaderTooLarge,
    /// <summary>8 + N is past the end of the file.</summary>
    InvalidHeaderLength,
    /// <summary>The header bytes are not valid UTF-8.</summary>
    InvalidHeaderUtf8,
    /// <summary>The header does not start with '{'.</summary>
    InvalidHeaderStart,
    /// <summary>The header is not JSON of the expected shape (entry without dtype, shape not a list, ...).</summary>
    InvalidHeaderJson,
    /// <summary>The same tensor name (or __metadata__) appears twice in one header, or in two shards.</summary>
    DuplicateName,
    /// <summary>A dtype this library does not know.</summary>
    UnknownDtype,
    /// <summary>__metadata__ is not a string → string map.</summary>
    InvalidMetadata,
    /// <summary>Tensors sorted by offset do not tile the buffer from 0 without gaps or overlaps.</summary>
    InvalidOffset,
    /// <summary>end − begin differs from numel · element size.</summary>
    TensorInvalidInfo,
    /// <summary>numel · element size overflows a 64-bit integer.</summary>
    ValidationOverflow,
    /// <summary>8 + N + last end differs from the file length.</summary>
    MetadataIncompleteBuffer,
    /// <summary>A tensor was asked for that the file does not hold.</summary>
    TensorNotFound,
    /// <summary>The index.json is not valid (bad JSON, no weight_map, a value that is not a file name).</summary>
    InvalidIndex,
    /// <summary>A shard file named in weight_map does not exist.</summary>
    ShardMissing,
    /// <summary>A tensor that weight_map places in a shard is not in that shard.</summary>
    TensorMissingFromShard,
    /// <summary>A shard holds a tensor that weight_map does not place in that shard.</summary>
    TensorNotInIndex,
}

/// <summary>A safetensors file or sharded index that breaks a rule. The message names the file and, when one is
/// involved, the tensor; nothing about the file has been trusted beyond the point of failure.</summary>
public sealed class SafetensorsException(SafetensorsErrorKind kind, string file, string? tensor, string detail)
    : Exception($"{file}: {(tensor is null ? "" : $"tensor \"{tensor}\": ")}{detail} ({kind})")
{
    public SafetensorsErrorKind Kind { get; } = kind;
    public string File { get; } = file;
    public string? Tensor { get; } = tensor;
}
