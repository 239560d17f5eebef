namespace DurableUn.Checkpoints.Gguf;

/// <summary>
/// A tensor info of a GGUF file: name, dims in ggml order (ne[0] is the innermost, fastest-varying dim, so a
/// PyTorch (out, in) weight has dims [in, out]), ggml type, and the offset of its bytes from the start of the data
/// section (a multiple of the file's alignment).
/// </summary>
public sealed record GgufTensorInfo(string Name, IReadOnlyList<long> Dims, GgmlType Type, ulong Offset)
{
    /// <summary>ggml's GGML_MAX_NAME is 64 bytes including the NUL, so a name holds at most 63 UTF-8 bytes.</summary>
    public const int MaxNameBytes = 63;

    /// <summary>ggml's GGML_MAX_DIMS.</summary>
    public const int MaxDims = 4;

    public long ByteSize => GgmlTypes.ByteSize(Type, Dims);

    /// <summary>The PyTorch shape (dims reversed).</summary>
    public long[] TorchShape => Dims.Reverse().ToArray();
}

/// <summary>A tensor to write: its info without an offset (the writer lays them out) and a callback that writes
/// exactly <see cref="GgmlTypes.ByteSize"/> bytes, so only one tensor's bytes need exist at a time.</summary>
public sealed record GgufTensorData(string Name, IReadOnlyList<long> Dims, GgmlType Type, Action<Stream> WriteData);
