using System.Text;

namespace DurableUn.Checkpoints.Gguf;

/// <summary>
/// Reads and checks the header of a GGUF v2/v3 file (the layout <see cref="GgufWriter"/> documents): magic,
/// version, every metadata value, every tensor info, general.alignment, and that each tensor's bytes are aligned,
/// inside the file and disjoint from the others. Counts and lengths are checked against the bytes left before
/// anything is allocated, so a corrupt count fails as <see cref="GgufErrorKind.Truncated"/> rather than exhausting
/// memory. Tensor bytes are read on request.
/// Not: dequantizing tensor data; not: big-endian files; not: version 1 (32-bit counts).
/// </summary>
public sealed class GgufFile
{
    private GgufFile(string path, uint version, IReadOnlyList<KeyValuePair<string, GgufValue>> metadata,
        IReadOnlyList<GgufTensorInfo> tensors, int alignment, long dataStart)
    {
        Path = path;
        Version = version;
        Metadata = metadata;
        Tensors = tensors;
        Alignment = alignment;
        DataStart = dataStart;
    }

    public string Path { get; }
    public uint Version { get; }
    /// <summary>Metadata in file order.</summary>
    public IReadOnlyList<KeyValuePair<string, GgufValue>> Metadata { get; }
    /// <summary>Tensor infos in file order.</summary>
    public IReadOnlyList<GgufTensorInfo> Tensors { get; }
    public int Alignment { get; }
    /// <summary>Absolute file offset of the data section (tensor offsets are relative to it).</summary>
    public long DataStart { get; }

    public GgufValue? Find(string key) => Metadata.FirstOrDefault(kv => kv.Key == key).Value;

    /// <summary>The value of a key that must be present; throws naming the key when it is missing.</summary>
    public GgufValue Get(string key) => Find(key) ?? throw new KeyNotFoundException($"{Path}: no metadata key {key}");

    public GgufTensorInfo Tensor(string name) =>
        Tensors.FirstOrDefault(t => t.Name == name) ?? throw new KeyNotFoundException($"{Path}: no tensor {name}");

    /// <summary>The raw bytes of one tensor (ggml block layout for quantized types).</summary>
    public byte[] ReadBytes(GgufTensorInfo info)
    {
        using var stream = File.OpenRead(Path);
        stream.Position = DataStart + (long)info.Offset;
        var bytes = new byte[info.ByteSize];
        stream.ReadExactly(bytes);
        return bytes;
    }

    public static GgufFile Read(string path)
    {
        using var stream = File.OpenRead(path);
        var r = new Reader(stream, path);
        if (!r.Bytes(4).AsSpan().SequenceEqual(GgufWriter.Magic))
            throw new GgufFormatException(GgufErrorKind.BadMagic, path, "not a GGUF file: the first four bytes are not \"GGUF\"");
        var version = r.U32();
        if (version is not (2 or 3))
            throw new GgufFormatException(GgufErrorKind.UnsupportedVersion, path, $"GGUF version {version}; only versions 2 and 3 are read");
        var tensorCount = r.Count(minBytesEach: 8 + 4 + 8 + 4 + 8, "tensor_count");   // empty name, 1 dim, type, offset
        var kvCount = r.Count(minBytesEach: 8 + 4 + 1, "metadata_kv_count");            // empty key, type, 1-byte value

        var metadata = new List<KeyValuePair<string, GgufValue>>(kvCount);
        var keys = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < kvCount; i++)
        {
            var key = r.String();
            if (!keys.Add(key)) throw new GgufFormatException(GgufErrorKind.DuplicateName, path, $"metadata key {key} appears twice");
            metadata.Add(new(key, r.Value(key)));
        }
        var alignment = ReadAlignment(metadata, path);

        var tensors = new List<GgufTensorInfo>(tensorCount);
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < tensorCount; i++)
        {
            var info = r.TensorInfo();
            if (!names.Add(info.Name)) throw new GgufFormatException(GgufErrorKind.DuplicateName, path, $"tensor {info.Name} appears twice");
            tensors.Add(info);
        }
        var dataStart = (stream.Position + alignment - 1) / alignment * alignment;
        CheckLayout(tensors, alignment, stream.Length - dataStart, path);
        return new GgufFile(path, version, metadata, tensors, alignment, dataStart);
    }

    private static int ReadAlignment(List<KeyValuePair<string, GgufValue>> metadata, string path)
    {
        var entry = metadata.FirstOrDefault(kv => kv.Key == "general.alignment").Value;
        if (entry is null) return GgufWriter.Alignment;
        if (entry.Value is uint a && a > 0 && (a & (a - 1)) == 0 && a <= int.MaxValue) return (int)a;
        throw new GgufFormatException(GgufErrorKind.BadAlignment, path, $"general.alignment = {entry}; it must be a uint32 power of two");
    }

    private static void CheckLayout(List<GgufTensorInfo> tensors, int alignment, long dataBytes, string path)
    {
        ulong end = 0;
        GgufTensorInfo? previous = null;
        foreach (var t in tensors.OrderBy(t => t.Offset))
        {
            if (t.Offset % (ulong)alignment != 0)
                throw new GgufFormatException(GgufErrorKind.BadOffset, path, $"tensor {t.Name} offset {t.Offset} is not a multiple of the alignment {alignment}");
            if (t.Offset < end)
                throw new GgufFormatException(GgufErrorKind.BadOffset, path, $"tensor {t.Name} at offset {t.Offset} overlaps tensor {previous!.Name}, which ends at {end}");
            end = t.Offset + (ulong)t.ByteSize;
            if (end > (ulong)Math.Max(0, dataBytes))
                throw new GgufFormatException(GgufErrorKind.Truncated, path, $"tensor {t.Name} ends at data offset {end}, past the end of the file ({dataBytes} data bytes)");
            previous = t;
        }
    }

    /// <summary>Little-endian primitives over the stream; every length is checked against the bytes left.</summary>
    private sealed class Reader(Stream stream, string path)
    {
        private readonly BinaryReader _r = new(stream, Encoding.UTF8, leaveOpen: true);

        private long Left => stream.Length - stream.Position;

        public byte[] Bytes(long n)
        {
            if (n < 0 || n > Left) throw Truncated($"{n} bytes at offset {stream.Position}");
            return _r.ReadBytes((int)n);
        }

        public uint U32() => BitConverter.ToUInt32(Bytes(4));
        private ulong U64() => BitConverter.ToUInt64(Bytes(8));

        /// <summary>A u64 count whose items need at least <paramref name="minBytesEach"/> bytes each.</summary>
        public int Count(int minBytesEach, string what)
        {
            var n = U64();
            if (n > (ulong)(Left / minBytesEach)) throw Truncated($"{what} = {n}, but only {Left} bytes follow");
            return (int)n;
        }

        public string String()
        {
            var n = U64();
            if (n > (ulong)Left) throw Truncated($"a string of {n} bytes at offset {stream.Position - 8}");
            try { return new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(Bytes((long)n)); }
            catch (DecoderFallbackException)
            { throw new GgufFormatException(GgufErrorKind.BadString, path, $"the string ending at offset {stream.Position} is not UTF-8"); }
        }

        public GgufValue Value(string key)
        {
            var type = ValueType(key);
            if (type != GgufValueType.Array) return Scalar(type, key);
            var itemType = ValueType(key);
            if (itemType == GgufValueType.Array)
                throw new GgufFormatException(GgufErrorKind.BadValueType, path, $"metadata {key} is an array of arrays, which is not read here");
            var count = Count(MinBytes(itemType), key);
            var items = System.Array.CreateInstance(GgufValue.ClrType(itemType), count);
            for (var i = 0; i < count; i++) items.SetValue(Scalar(itemType, key).Value, i);
            return GgufValue.Array(itemType, items);
        }

        /// <summary>The fewest bytes one item of the type takes (a string: its u64 length).</summary>
        private static int MinBytes(GgufValueType type) => type switch
        {
            GgufValueType.UInt8 or GgufValueType.Int8 or GgufValueType.Bool => 1,
            GgufValueType.UInt16 or GgufValueType.Int16 => 2,
            GgufValueType.UInt32 or GgufValueType.Int32 or GgufValueType.Float32 => 4,
            _ => 8,
        };

        private GgufValueType ValueType(string key)
        {
            var t = U32();
            if (t > (uint)GgufValueType.Float64)
                throw new GgufFormatException(GgufErrorKind.BadValueType, path, $"metadata {key} has value type {t}; GGUF defines 0..12");
            return (GgufValueType)t;
        }

        private GgufValue Scalar(GgufValueType type, string key) => type switch
        {
            GgufValueType.UInt8 => GgufValue.UInt8(Bytes(1)[0]),
            GgufValueType.Int8 => GgufValue.Int8((sbyte)Bytes(1)[0]),
            GgufValueType.UInt16 => GgufValue.UInt16(BitConverter.ToUInt16(Bytes(2))),
            GgufValueType.Int16 => GgufValue.Int16(BitConverter.ToInt16(Bytes(2))),
            GgufValueType.UInt32 => GgufValue.UInt32(U32()),
            GgufValueType.Int32 => GgufValue.Int32(BitConverter.ToInt32(Bytes(4))),
            GgufValueType.Float32 => GgufValue.Float32(BitConverter.ToSingle(Bytes(4))),
            GgufValueType.Bool => Bytes(1)[0] switch
            {
                0 => GgufValue.Bool(false),
                1 => GgufValue.Bool(true),
                var b => throw new GgufFormatException(GgufErrorKind.BadValueType, path, $"metadata {key} holds bool byte {b}; only 0 and 1 are valid"),
            },
            GgufValueType.String => GgufValue.String(String()),
            GgufValueType.UInt64 => GgufValue.UInt64(U64()),
            GgufValueType.Int64 => GgufValue.Int64(BitConverter.ToInt64(Bytes(8))),
            GgufValueType.Float64 => GgufValue.Float64(BitConverter.ToDouble(Bytes(8))),
            _ => throw new GgufFormatException(GgufErrorKind.BadValueType, path, $"metadata {key} has value type {type} where a scalar is needed"),
        };

        public GgufTensorInfo TensorInfo()
        {
            var name = String();
            if (Encoding.UTF8.GetByteCount(name) > GgufTensorInfo.MaxNameBytes)
                throw BadInfo(name, $"its name is over {GgufTensorInfo.MaxNameBytes} bytes");
            var nDims = U32();
            if (nDims is 0 or > GgufTensorInfo.MaxDims) throw BadInfo(name, $"n_dims = {nDims}; ggml allows 1 to {GgufTensorInfo.MaxDims}");
            var dims = new long[nDims];
            for (var d = 0; d < nDims; d++)
            {
                var ne = U64();
                if (ne is 0 or > long.MaxValue) throw BadInfo(name, $"dim {d} = {ne}");
                dims[d] = (long)ne;
            }
            var type = (GgmlType)U32();
            if (GgmlTypes.Block(type) is not { } block) throw BadInfo(name, $"ggml type {(uint)type} is not known here");
            if (dims[0] % block.Elements != 0) throw BadInfo(name, $"ne[0] = {dims[0]} is not whole {type} blocks of {block.Elements}");
            var info = new GgufTensorInfo(name, dims, type, U64());
            try { _ = info.ByteSize; }
            catch (OverflowException) { throw BadInfo(name, $"dims [{string.Join(", ", dims)}] overflow a 64-bit byte count"); }
            return info;
        }

        private GgufFormatException BadInfo(string name, string detail) =>
            new(GgufErrorKind.BadTensorInfo, path, $"tensor {name}: {detail}");

        private GgufFormatException Truncated(string what) =>
            new(GgufErrorKind.Truncated, path, $"the file ends before {what}");
    }
}
