using DurableUn.Checkpoints.Gguf;

namespace DurableUn.Tests.Checkpoints.Gguf;

/// <summary>The reader's checks: each corruption fails with its own <see cref="GgufErrorKind"/>.</summary>
public sealed class GgufFileTests : IDisposable
{
    private readonly TempFolder _dir = new();

    public void Dispose() => _dir.Dispose();

    /// <summary>A valid file: one KV ("k" = "v") and one 4-element F32 tensor "t"; its bytes for corrupting.</summary>
    private static byte[] Valid()
    {
        using var stream = new MemoryStream();
        GgufWriter.Write(stream, [new("k", GgufValue.String("v"))], [new("t", [4], GgmlType.F32, s => s.Write(new byte[16]))]);
        return stream.ToArray();
    }

    // Layout of Valid(): 0 magic, 4 version, 8 tensor_count, 16 kv_count, 24 key (8 + 1), 33 type, 37 value (8 + 1),
    // 46 name (8 + 1), 55 n_dims, 59 ne[0], 67 type, 71 offset, 79 padding, 96 data (16), 112 padding to 128.
    public static TheoryData<string, GgufErrorKind> Corruptions() => new()
    {
        { "magic", GgufErrorKind.BadMagic },
        { "version", GgufErrorKind.UnsupportedVersion },
        { "kv_count", GgufErrorKind.Truncated },
        { "value_type", GgufErrorKind.BadValueType },
        { "ggml_type", GgufErrorKind.BadTensorInfo },
        { "misaligned_offset", GgufErrorKind.BadOffset },
        { "offset_past_end", GgufErrorKind.Truncated },
        { "cut_in_header", GgufErrorKind.Truncated },
        { "cut_in_data", GgufErrorKind.Truncated },
    };

    [Theory]
    [MemberData(nameof(Corruptions))]
    public void Corrupt_Files_Fail_With_The_Rule_They_Break(string corruption, GgufErrorKind kind)
    {
        // Given a valid file with one field broken
        var b = Valid();
        switch (corruption)
        {
            case "magic": b[0] = (byte)'X'; break;
            case "version": b[4] = 1; break;
            case "kv_count": BitConverter.TryWriteBytes(b.AsSpan(16), ulong.MaxValue / 2); break;
            case "value_type": b[33] = 13; break;
            case "ggml_type": b[67] = 99; break;
            case "misaligned_offset": b[71] = 4; break;
            case "offset_past_end": b[71] = 64; break;
            case "cut_in_header": b = b[..60]; break;
            case "cut_in_data": b = b[..100]; break;
        }
        var path = _dir.File("bad.gguf");
        File.WriteAllBytes(path, b);
        // When it is read, Then the error names the rule
        var e = Assert.Throws<GgufFormatException>(() => GgufFile.Read(path));
        Assert.Equal(kind, e.Kind);
        Assert.Contains(path, e.Message);
    }

    [Fact]
    public void The_Valid_Base_File_Reads()
    {
        var path = _dir.File("ok.gguf");
        File.WriteAllBytes(path, Valid());
        Assert.Equal("v", GgufFile.Read(path).Get("k").As<string>());
    }
}
