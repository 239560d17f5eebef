using DurableUn.IO;
using System.Buffers;
using System.Buffers.Binary;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace DurableUn.Checkpoints;

/// <summary>A tensor to write as raw little-endian, row-major bytes.</summary>
public sealed record SafetensorsEntry(string Name, SafetensorsDtype Dtype, IReadOnlyList<long> Shape, ReadOnlyMemory<byte> Data);

/// <summary>
/// Writes safetensors files byte for byte deterministically: tensors sorted by name (ordinal) and laid out in that
/// order; the header is compact JSON with "__metadata__" first (keys sorted), each entry written as
/// {"dtype","shape","data_offsets"}, padded with spaces to a multiple of 8 so the data buffer starts 8-aligned
/// (as huggingface/safetensors' <c>serialize</c> pads). File writes are atomic (<see cref="AtomicFile"/>).
/// Not: the Python package's dtype-then-name ordering, so our bytes differ from theirs for mixed-dtype files; both
/// layouts are valid and read identically.
/// </summary>
public static class SafetensorsWriter
{
    /// <summary>Writes the entries to <paramref name="path"/> atomically.</summary>
    public static void Write(string path, IEnumerable<SafetensorsEntry> entries, IReadOnlyDictionary<string, string>? metadata = null)
    {
        var pending = entries.Select(FromBytes).ToList();
        AtomicFile.Write(path, s => Write(s, pending, metadata));
    }

    /// <summary>Writes the entries to a stream (which stays open).</summary>
    public static void Write(Stream stream, IEnumerable<SafetensorsEntry> entries, IReadOnlyDictionary<string, string>? metadata = null) =>
        Write(stream, entries.Select(FromBytes).ToList(), metadata);

    /// <summary>The shared path for byte entries and tensors: each pending tensor writes its own bytes.</summary>
    internal static void Write(Stream stream, IReadOnlyList<PendingTensor> tensors, IReadOnlyDictionary<string, string>? metadata)
    {
        var ordered = tensors.OrderBy(t => t.Name, StringComparer.Ordinal).ToList();
        var header = EncodeHeader(ordered, metadata);
        Span<byte> prefix = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(prefix, (ulong)header.Length);
        stream.Write(prefix);
        stream.Write(header);
        foreach (var t in ordered)
        {
            var before = stream.CanSeek ? stream.Position : -1;
            t.WriteData(stream);
            if (before >= 0 && stream.Position - before != t.ByteLength)
                throw new InvalidOperationException($"tensor \"{t.Name}\" wrote {stream.Position - before} bytes, expected {t.ByteLength}");
        }
    }

    /// <summary>The padded header JSON for tensors already in file order.</summary>
    internal static byte[] EncodeHeader(IReadOnlyList<PendingTensor> ordered, IReadOnlyDictionary<string, string>? metadata)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            json.WriteStartObject();
            if (metadata is { Count: > 0 })
            {
                json.WriteStartObject("__metadata__");
                foreach (var (key, value) in metadata.OrderBy(kv => kv.Key, StringComparer.Ordinal))
                    json.WriteString(key, value);
                json.WriteEndObject();
            }
            long offset = 0;
            foreach (var t in ordered)
            {
                json.WriteStartObject(t.Name);
                json.WriteString("dtype", t.Dtype.Name());
                json.WriteStartArray("shape");
                foreach (var d in t.Shape) json.WriteNumberValue(d);
                json.WriteEndArray();
                json.WriteStartArray("data_offsets");
                json.WriteNumberValue(offset);
                json.WriteNumberValue(offset + t.ByteLength);
                json.WriteEndArray();
                json.WriteEndObject();
                offset += t.ByteLength;
            }
            json.WriteEndObject();
        }
        var padded = (buffer.WrittenCount + 7) / 8 * 8;
        var header = new byte[padded];
        buffer.WrittenSpan.CopyTo(header);
        header.AsSpan(buffer.WrittenCount).Fill((byte)' ');
        return header;
    }

    private static PendingTensor FromBytes(SafetensorsEntry e)
    {
        var pending = new PendingTensor(e.Name, e.Dtype, e.Shape, s => s.Write(e.Data.Span));
        if (e.Data.Length != pending.ByteLength)
            throw new ArgumentException($"tensor \"{e.Name}\": {e.Data.Length} bytes given, shape [{string.Join(", ", e.Shape)}] of {e.Dtype.Name()} needs {pending.ByteLength}");
        return pending;
    }
}

/// <summary>A tensor about to be written: its header facts and a callback that writes exactly its bytes.</summary>
internal sealed record PendingTensor(string Name, SafetensorsDtype Dtype, IReadOnlyList<long> Shape, Action<Stream> WriteData)
{
    public long ByteLength { get; } = Validate(Name, Shape) * Dtype.ByteSize();

    private static long Validate(string name, IReadOnlyList<long> shape)
    {
        if (name == "__metadata__") throw new ArgumentException("\"__metadata__\" is reserved and cannot name a tensor");
        if (shape.Any(d => d < 0)) throw new ArgumentException($"tensor \"{name}\": negative dimension in [{string.Join(", ", shape)}]");
        return checked(shape.Aggregate(1L, (n, d) => n * d));
    }
}
