using System.Text;

namespace DurableUn.Checkpoints.Gguf;

/// <summary>
/// Writes a GGUF v3 file (ggml docs/gguf.md, docs/formats.md#gguf), little-endian:
/// <code>
/// "GGUF" | u32 version = 3 | u64 tensor_count | u64 metadata_kv_count
/// metadata_kv_count × { gguf_string key | u32 value_type | value }
/// tensor_count × { gguf_string name | u32 n_dims | u64 dims[n_dims] | u32 ggml_type | u64 offset }
/// zero padding to the alignment | tensor data, each tensor starting at an aligned offset, zero padding between
/// </code>
/// gguf_string is a u64 byte length and UTF-8 bytes without NUL. Offsets are relative to the start of the data and
/// laid out in the order given. The alignment is ggml's default, 32, so general.alignment is not written.
/// Not: choosing keys, names or tensor types (see <see cref="GgufExport"/>); not: big-endian files.
/// </summary>
public static class GgufWriter
{
    public const uint Version = 3;

    /// <summary>GGUF_DEFAULT_ALIGNMENT: what readers assume without general.alignment.</summary>
    public const int Alignment = 32;

    /// <summary>"GGUF" as its four bytes.</summary>
    public static ReadOnlySpan<byte> Magic => "GGUF"u8;

    /// <summary>Writes the whole file to a seekable stream (the position is used to check each tensor's byte count).</summary>
    public static void Write(Stream stream, IReadOnlyList<KeyValuePair<string, GgufValue>> metadata, IReadOnlyList<GgufTensorData> tensors)
    {
        if (!stream.CanSeek) throw new ArgumentException("the GGUF writer needs a seekable stream", nameof(stream));
        CheckUnique(metadata.Select(kv => kv.Key), "metadata key");
        CheckUnique(tensors.Select(t => t.Name), "tensor name");
        var start = stream.Position;
        using var w = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true); // BinaryWriter is little-endian everywhere
        w.Write(Magic);
        w.Write(Version);
        w.Write((ulong)tensors.Count);
        w.Write((ulong)metadata.Count);
        foreach (var (key, value) in metadata)
        {
            WriteString(w, key);
            w.Write((uint)value.Type);
            WriteValue(w, value);
        }
        var sizes = tensors.Select(t => GgmlTypes.ByteSize(t.Type, t.Dims)).ToArray();
        ulong offset = 0;
        for (var i = 0; i < tensors.Count; i++)
        {
            WriteTensorInfo(w, tensors[i], offset);
            offset += (ulong)Padded(sizes[i]);
        }
        Pad(w, stream.Position - start);
        for (var i = 0; i < tensors.Count; i++)
        {
            w.Flush();
            var before = stream.Position;
            tensors[i].WriteData(stream);
            var written = stream.Position - before;
            if (written != sizes[i])
                throw new InvalidOperationException($"tensor \"{tensors[i].Name}\" wrote {written} bytes; its dims and type {tensors[i].Type} need {sizes[i]}");
            Pad(w, written);
        }
        w.Flush();
    }

    /// <summary><paramref name="n"/> rounded up to the alignment.</summary>
    public static long Padded(long n) => (n + Alignment - 1) / Alignment * Alignment;

    private static void WriteTensorInfo(BinaryWriter w, GgufTensorData t, ulong offset)
    {
        if (Encoding.UTF8.GetByteCount(t.Name) > GgufTensorInfo.MaxNameBytes)
            throw new ArgumentException($"tensor name \"{t.Name}\" is over {GgufTensorInfo.MaxNameBytes} UTF-8 bytes (ggml's GGML_MAX_NAME)");
        if (t.Dims.Count is 0 or > GgufTensorInfo.MaxDims || t.Dims.Any(d => d <= 0))
            throw new ArgumentException($"tensor \"{t.Name}\" has dims [{string.Join(", ", t.Dims)}]; ggml needs 1 to {GgufTensorInfo.MaxDims} positive dims");
        WriteString(w, t.Name);
        w.Write((uint)t.Dims.Count);
        foreach (var d in t.Dims) w.Write((ulong)d);
        w.Write((uint)t.Type);
        w.Write(offset);
    }

    private static void WriteValue(BinaryWriter w, GgufValue value)
    {
        if (value.Type != GgufValueType.Array)
        {
            WriteScalar(w, value.Type, value.Value);
            return;
        }
        var items = (Array)value.Value;
        w.Write((uint)value.ItemType!.Value);
        w.Write((ulong)items.Length);
        foreach (var item in items) WriteScalar(w, value.ItemType.Value, item!);
    }

    private static void WriteScalar(BinaryWriter w, GgufValueType type, object v)
    {
        switch (type)
        {
            case GgufValueType.UInt8: w.Write((byte)v); break;
            case GgufValueType.Int8: w.Write((sbyte)v); break;
            case GgufValueType.UInt16: w.Write((ushort)v); break;
            case GgufValueType.Int16: w.Write((short)v); break;
            case GgufValueType.UInt32: w.Write((uint)v); break;
            case GgufValueType.Int32: w.Write((int)v); break;
            case GgufValueType.Float32: w.Write((float)v); break;
            case GgufValueType.Bool: w.Write((byte)((bool)v ? 1 : 0)); break;
            case GgufValueType.String: WriteString(w, (string)v); break;
            case GgufValueType.UInt64: w.Write((ulong)v); break;
            case GgufValueType.Int64: w.Write((long)v); break;
            case GgufValueType.Float64: w.Write((double)v); break;
            default: throw new ArgumentOutOfRangeException(nameof(type), type, "not a scalar GGUF value type");
        }
    }

    private static void WriteString(BinaryWriter w, string s)
    {
        var bytes = Encoding.UTF8.GetBytes(s);
        w.Write((ulong)bytes.Length);
        w.Write(bytes);
    }

    private static void Pad(BinaryWriter w, long written)
    {
        for (var i = written; i < Padded(written); i++) w.Write((byte)0);
    }

    private static void CheckUnique(IEnumerable<string> names, string what)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var n in names)
            if (!seen.Add(n)) throw new ArgumentException($"{what} \"{n}\" appears twice");
    }
}
