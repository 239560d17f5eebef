using System.Buffers.Binary;

namespace DurableUn.Checkpoints;

/// <summary>
/// An open safetensors file: the validated header and positioned reads of single tensors. Opening reads only the
/// 8-byte prefix and the header; tensor bytes are read on request with one seek each, so reading every tensor is
/// linear in the file size. A corrupt file fails in <see cref="Open"/> with a <see cref="SafetensorsException"/>
/// before any buffer larger than the file (or 100 MB of header) is allocated.
/// Not: memory mapping (tensors are copied once into their destination); not: a writer.
/// </summary>
public sealed class SafetensorsFile : IDisposable
{
    private readonly FileStream _stream;

    private SafetensorsFile(string path, FileStream stream, SafetensorsHeader header)
    {
        Path = path;
        _stream = stream;
        Header = header;
    }

    public string Path { get; }
    public SafetensorsHeader Header { get; }

    public static SafetensorsFile Open(string path)
    {
        var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        try
        {
            return new SafetensorsFile(path, stream, ReadHeader(stream, path));
        }
        catch
        {
            stream.Dispose();
            throw;
        }
    }

    /// <summary>Reads and validates only the header of <paramref name="path"/>.</summary>
    public static SafetensorsHeader ReadHeader(string path)
    {
        using var file = Open(path);
        return file.Header;
    }

    /// <summary>A copy of one tensor's bytes (little-endian, row-major); for tensors over 2 GB use <see cref="SafetensorsTorch.Read"/>.</summary>
    public byte[] ReadBytes(string name)
    {
        var info = Find(name);
        var bytes = new byte[checked((int)info.ByteLength)];
        SeekTo(info).ReadExactly(bytes);
        return bytes;
    }

    public SafetensorsTensorInfo Find(string name) =>
        Header.Find(name) ?? throw new SafetensorsException(SafetensorsErrorKind.TensorNotFound, Path, name, "no such tensor in this file");

    /// <summary>The underlying stream positioned at the first byte of <paramref name="info"/>; read ByteLength bytes.</summary>
    internal Stream SeekTo(SafetensorsTensorInfo info)
    {
        _stream.Position = Header.DataStart + info.Begin;
        return _stream;
    }

    public void Dispose() => _stream.Dispose();

    private static SafetensorsHeader ReadHeader(FileStream stream, string path)
    {
        var length = stream.Length;
        if (length < 8)
            throw new SafetensorsException(SafetensorsErrorKind.HeaderTooSmall, path, null, $"file has {length} bytes, fewer than the 8-byte header length");
        Span<byte> prefix = stackalloc byte[8];
        stream.ReadExactly(prefix);
        var n = BinaryPrimitives.ReadUInt64LittleEndian(prefix);
        if (n > SafetensorsHeader.MaxHeaderLength)
            throw new SafetensorsException(SafetensorsErrorKind.HeaderTooLarge, path, null, $"header length {n} exceeds {SafetensorsHeader.MaxHeaderLength}");
        if (8 + (long)n > length)
            throw new SafetensorsException(SafetensorsErrorKind.InvalidHeaderLength, path, null, $"header length {n} runs past the end of the {length}-byte file");
        var json = new byte[n];
        stream.ReadExactly(json);
        var header = SafetensorsHeader.Parse(json, path);
        if (header.DataStart + header.DataLength != length)
            throw new SafetensorsException(SafetensorsErrorKind.MetadataIncompleteBuffer, path, null,
                $"header describes {header.DataStart + header.DataLength} bytes but the file has {length}");
        return header;
    }
}
