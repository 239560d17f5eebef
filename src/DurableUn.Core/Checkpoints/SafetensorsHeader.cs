using System.Text;
using System.Text.Json;
using System.Text.Unicode;

namespace DurableUn.Checkpoints;

/// <summary>One header entry: name, dtype, shape and [Begin, End) byte range relative to the data buffer.</summary>
public sealed record SafetensorsTensorInfo(string Name, SafetensorsDtype Dtype, IReadOnlyList<long> Shape, long Begin, long End)
{
    public long ByteLength => End - Begin;
}

/// <summary>
/// The parsed and validated JSON header of a safetensors file (docs/formats.md#safetensors; huggingface/safetensors
/// <c>safetensors/src/tensor.rs</c>, <c>Metadata::validate</c>). <see cref="Parse"/> applies every rule that can be
/// checked from the header alone; the rules that need the file (length prefix, total length) live in
/// <see cref="SafetensorsFile"/>.
/// The JSON is read with <see cref="Utf8JsonReader"/> token by token because JsonDocument silently accepts
/// duplicate keys, which the format forbids.
/// Not: a reader of tensor data; not: lenient about anything the Rust reference rejects.
/// </summary>
public sealed class SafetensorsHeader
{
    /// <summary>safetensors' MAX_HEADER_SIZE: a larger N is rejected before anything is allocated.</summary>
    public const long MaxHeaderLength = 100_000_000;

    private const string MetadataKey = "__metadata__";
    private readonly Dictionary<string, SafetensorsTensorInfo> _byName;

    private SafetensorsHeader(List<SafetensorsTensorInfo> byOffset, IReadOnlyDictionary<string, string> metadata, long headerLength)
    {
        Tensors = byOffset;
        Metadata = metadata;
        HeaderLength = headerLength;
        _byName = byOffset.ToDictionary(t => t.Name, StringComparer.Ordinal);
    }

    /// <summary>Entries sorted by offset, so they tile [0, <see cref="DataLength"/>).</summary>
    public IReadOnlyList<SafetensorsTensorInfo> Tensors { get; }

    /// <summary>The optional __metadata__ map (empty when absent), e.g. {"format": "pt"}.</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; }

    /// <summary>N, the header's byte length including padding.</summary>
    public long HeaderLength { get; }

    /// <summary>File offset of the data buffer: the 8-byte prefix plus N.</summary>
    public long DataStart => 8 + HeaderLength;

    /// <summary>Bytes in the data buffer: the last tensor's end.</summary>
    public long DataLength => Tensors.Count == 0 ? 0 : Tensors[^1].End;

    public bool Contains(string name) => _byName.ContainsKey(name);

    public SafetensorsTensorInfo? Find(string name) => _byName.GetValueOrDefault(name);

    /// <summary>Parses and validates the N header bytes. <paramref name="file"/> only names the source in errors.</summary>
    public static SafetensorsHeader Parse(ReadOnlySpan<byte> header, string file)
    {
        if (!Utf8.IsValid(header))
            throw new SafetensorsException(SafetensorsErrorKind.InvalidHeaderUtf8, file, null, "header is not valid UTF-8");
        if (header.IsEmpty || header[0] != (byte)'{')
            throw new SafetensorsException(SafetensorsErrorKind.InvalidHeaderStart, file, null, "header does not start with '{'");

        var tensors = new List<SafetensorsTensorInfo>();
        IReadOnlyDictionary<string, string> metadata = new Dictionary<string, string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var reader = new Utf8JsonReader(header, new JsonReaderOptions { MaxDepth = 8 });
        try
        {
            reader.Read(); // StartObject, guaranteed by the '{' check
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var name = reader.GetString()!;
                if (!seen.Add(name))
                    throw new SafetensorsException(SafetensorsErrorKind.DuplicateName, file, name, "name appears twice in the header");
                reader.Read();
                if (name == MetadataKey) metadata = ReadMetadata(ref reader, file);
                else tensors.Add(ReadEntry(ref reader, name, file));
            }
            // Read() throws on anything but whitespace after the top-level object and on an unclosed object.
            while (reader.Read()) { }
        }
        catch (JsonException e)
        {
            throw new SafetensorsException(SafetensorsErrorKind.InvalidHeaderJson, file, null, $"header is not valid JSON: {e.Message}");
        }

        tensors.Sort((a, b) => a.Begin != b.Begin ? a.Begin.CompareTo(b.Begin) : a.End.CompareTo(b.End));
        ValidateTiling(tensors, file);
        return new SafetensorsHeader(tensors, metadata, header.Length);
    }

    /// <summary>Offsets must tile the buffer from 0 and each range must hold exactly numel · size bytes.</summary>
    private static void ValidateTiling(List<SafetensorsTensorInfo> byOffset, string file)
    {
        long expectedBegin = 0;
        foreach (var t in byOffset)
        {
            if (t.Begin != expectedBegin || t.End < t.Begin)
                throw new SafetensorsException(SafetensorsErrorKind.InvalidOffset, file, t.Name,
                    $"data_offsets [{t.Begin}, {t.End}] do not start where the previous tensor ends ({expectedBegin})");
            expectedBegin = t.End;
            long bytes;
            try
            {
                bytes = checked(t.Shape.Aggregate(1L, (n, d) => n * d) * t.Dtype.ByteSize());
            }
            catch (OverflowException)
            {
                throw new SafetensorsException(SafetensorsErrorKind.ValidationOverflow, file, t.Name,
                    $"shape [{string.Join(", ", t.Shape)}] of {t.Dtype.Name()} overflows a 64-bit byte count");
            }
            if (t.End - t.Begin != bytes)
                throw new SafetensorsException(SafetensorsErrorKind.TensorInvalidInfo, file, t.Name,
                    $"data_offsets span {t.End - t.Begin} bytes but shape [{string.Join(", ", t.Shape)}] of {t.Dtype.Name()} needs {bytes}");
        }
    }

    private static IReadOnlyDictionary<string, string> ReadMetadata(ref Utf8JsonReader reader, string file)
    {
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        if (reader.TokenType == JsonTokenType.Null) return map;
        if (reader.TokenType != JsonTokenType.StartObject)
            throw BadMetadata(file, $"__metadata__ is a {reader.TokenType}, not an object");
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var key = reader.GetString()!;
            reader.Read();
            if (reader.TokenType != JsonTokenType.String)
                throw BadMetadata(file, $"__metadata__[\"{key}\"] is a {reader.TokenType}, not a string");
            if (!map.TryAdd(key, reader.GetString()!))
                throw new SafetensorsException(SafetensorsErrorKind.DuplicateName, file, null, $"__metadata__ key \"{key}\" appears twice");
        }
        return map;
    }

    private static SafetensorsException BadMetadata(string file, string detail) =>
        new(SafetensorsErrorKind.InvalidMetadata, file, null, detail);

    private static SafetensorsTensorInfo ReadEntry(ref Utf8JsonReader reader, string name, string file)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
            throw BadEntry(file, name, $"entry is a {reader.TokenType}, not an object");
        string? dtypeName = null;
        List<long>? shape = null, offsets = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var field = reader.GetString()!;
            reader.Read();
            switch (field)
            {
                case "dtype" when dtypeName is null:
                    dtypeName = reader.TokenType == JsonTokenType.String ? reader.GetString()! : throw BadEntry(file, name, "dtype is not a string");
                    break;
                case "shape" when shape is null:
                    shape = ReadNonNegativeIntegers(ref reader, file, name, "shape");
                    break;
                case "data_offsets" when offsets is null:
                    offsets = ReadNonNegativeIntegers(ref reader, file, name, "data_offsets");
                    break;
                case "dtype" or "shape" or "data_offsets":
                    throw BadEntry(file, name, $"field \"{field}\" appears twice");
                default:
                    reader.Skip(); // the Rust reference ignores unknown fields too
                    break;
            }
        }
        if (dtypeName is null || shape is null || offsets is null)
            throw BadEntry(file, name, "entry needs dtype, shape and data_offsets");
        if (offsets.Count != 2)
            throw BadEntry(file, name, $"data_offsets has {offsets.Count} values, not 2");
        var dtype = SafetensorsDtypes.TryParse(dtypeName)
            ?? throw new SafetensorsException(SafetensorsErrorKind.UnknownDtype, file, name, $"dtype \"{dtypeName}\" is not supported");
        return new SafetensorsTensorInfo(name, dtype, shape, offsets[0], offsets[1]);
    }

    private static List<long> ReadNonNegativeIntegers(ref Utf8JsonReader reader, string file, string name, string field)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
            throw BadEntry(file, name, $"{field} is not a list");
        var values = new List<long>();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType != JsonTokenType.Number || !reader.TryGetInt64(out var v) || v < 0)
                throw BadEntry(file, name, $"{field} holds {Encoding.UTF8.GetString(reader.ValueSpan)}, not a non-negative 64-bit integer");
            values.Add(v);
        }
        return values;
    }

    private static SafetensorsException BadEntry(string file, string name, string detail) =>
        new(SafetensorsErrorKind.InvalidHeaderJson, file, name, detail);
}
