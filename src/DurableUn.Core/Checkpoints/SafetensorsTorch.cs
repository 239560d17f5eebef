using DurableUn.IO;
using TorchSharp;
using static TorchSharp.torch;

namespace DurableUn.Checkpoints;

/// <summary>
/// safetensors ↔ TorchSharp tensors. Reading allocates each tensor with its own dtype and shape and streams the
/// file bytes straight into its storage (<c>ReadBytesFromStream</c>), so bf16/f16 need no reinterpretation and
/// tensors over 2 GB work; writing streams a contiguous CPU copy out the same way. Byte order is the host's, which is
/// little-endian on every platform TorchSharp ships for, as the format requires.
/// Not: lazy or memory-mapped tensors; not: device placement (everything is loaded on the CPU).
/// </summary>
public static class SafetensorsTorch
{
    /// <summary>Chunk size for streaming tensor bytes: large enough to amortise calls, small next to a weight.</summary>
    private const int StreamChunk = 1 << 20;

    /// <summary>Loads every tensor of one file. The caller owns (and disposes) the returned tensors.</summary>
    public static Dictionary<string, Tensor> Load(string path)
    {
        using var file = SafetensorsFile.Open(path);
        var result = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        try
        {
            foreach (var info in file.Header.Tensors) result.Add(info.Name, Read(file, info));
        }
        catch
        {
            foreach (var t in result.Values) t.Dispose();
            throw;
        }
        return result;
    }

    /// <summary>Writes the tensors (any device, any layout) to one file, atomically.</summary>
    public static void Save(string path, IReadOnlyDictionary<string, Tensor> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        var pending = tensors.Select(kv => ToPending(kv.Key, kv.Value)).ToList();
        AtomicFile.Write(path, s => SafetensorsWriter.Write(s, pending, metadata));
    }

    /// <summary>Reads one tensor of an open file into a new CPU tensor.</summary>
    public static Tensor Read(SafetensorsFile file, SafetensorsTensorInfo info)
    {
        var tensor = empty(info.Shape.ToArray(), ToScalarType(info.Dtype));
        if (info.ByteLength == 0) return tensor;
        // Exactly ByteLength bytes straight into the fresh tensor's storage, not through TorchSharp's
        // ReadBytesFromStream. Measured: a process that loaded the 126 unlearned adapters of a study one after another
        // (PeftAdapterFiles.Load, then an int4 deployment and a decode) died of a corrupted native heap in 14 of 14
        // runs, after 3–78 adapters, in isfinite or all of unrelated fresh tensors; with this read, 0 of 4 runs.
        // Why ReadBytesFromStream does it is not known (it reads the right bytes and leaves the stream at the
        // tensor's end); a small loop of loads alone did not reproduce it, so no unit test pins it down.
        if (info.ByteLength > int.MaxValue)
            throw new NotSupportedException($"{file.Path}: tensor \"{info.Name}\" is {info.ByteLength} bytes; tensors over 2 GiB are not read");
        file.SeekTo(info).ReadExactly(tensor.bytes);                                        // Span over the tensor's own storage
        return tensor;
    }

    internal static PendingTensor ToPending(string name, Tensor tensor) =>
        new(name, ToDtype(tensor.dtype, name), tensor.shape, stream =>
        {
            using var scope = NewDisposeScope(); // disposes the CPU copy, never the caller's tensor
            tensor.detach().cpu().contiguous().WriteBytesToStream(stream, StreamChunk);
        });

    public static ScalarType ToScalarType(SafetensorsDtype dtype) => dtype switch
    {
        SafetensorsDtype.Bool => ScalarType.Bool,
        SafetensorsDtype.U8 => ScalarType.Byte,
        SafetensorsDtype.I8 => ScalarType.Int8,
        SafetensorsDtype.I16 => ScalarType.Int16,
        SafetensorsDtype.F16 => ScalarType.Float16,
        SafetensorsDtype.BF16 => ScalarType.BFloat16,
        SafetensorsDtype.I32 => ScalarType.Int32,
        SafetensorsDtype.F32 => ScalarType.Float32,
        SafetensorsDtype.I64 => ScalarType.Int64,
        SafetensorsDtype.F64 => ScalarType.Float64,
        _ => throw new ArgumentOutOfRangeException(nameof(dtype), dtype, null),
    };

    public static SafetensorsDtype ToDtype(ScalarType type, string tensorName) => type switch
    {
        ScalarType.Bool => SafetensorsDtype.Bool,
        ScalarType.Byte => SafetensorsDtype.U8,
        ScalarType.Int8 => SafetensorsDtype.I8,
        ScalarType.Int16 => SafetensorsDtype.I16,
        ScalarType.Float16 => SafetensorsDtype.F16,
        ScalarType.BFloat16 => SafetensorsDtype.BF16,
        ScalarType.Int32 => SafetensorsDtype.I32,
        ScalarType.Float32 => SafetensorsDtype.F32,
        ScalarType.Int64 => SafetensorsDtype.I64,
        ScalarType.Float64 => SafetensorsDtype.F64,
        _ => throw new ArgumentException($"tensor \"{tensorName}\" has dtype {type}, which safetensors files here cannot hold"),
    };
}
