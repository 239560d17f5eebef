using System.Buffers.Binary;
using System.Text;
using DurableUn.Checkpoints;

namespace DurableUn.Tests.Checkpoints;

/// <summary>
/// Each safety rule of docs/formats.md#safetensors, broken on purpose in a hand-built file, must give its own
/// <see cref="SafetensorsErrorKind"/>, name the file (and tensor), and never crash or over-allocate.
/// </summary>
public class SafetensorsCorruptionTests
{
    private const string F32x2 = "\"dtype\":\"F32\",\"shape\":[2]";

    public static TheoryData<string, byte[], SafetensorsErrorKind, string?> Corruptions() => new()
    {
        { "file shorter than the length prefix", [1, 2, 3, 4, 5], SafetensorsErrorKind.HeaderTooSmall, null },
        { "header length over 100 MB", Prefix(100_000_001).Concat(new byte[16]).ToArray(), SafetensorsErrorKind.HeaderTooLarge, null },
        { "header length past the end", Prefix(64).Concat("{}"u8.ToArray()).ToArray(), SafetensorsErrorKind.InvalidHeaderLength, null },
        { "header not UTF-8", Build([(byte)'{', 0xff, 0xfe, (byte)'}'], 0), SafetensorsErrorKind.InvalidHeaderUtf8, null },
        { "header not starting with {", Build(" {}", 0), SafetensorsErrorKind.InvalidHeaderStart, null },
        { "bad JSON", Build("{\"a\":{" + F32x2 + ",\"data_offsets\":[0,8]", 8), SafetensorsErrorKind.InvalidHeaderJson, null },
        { "entry without dtype", Build("{\"a\":{\"shape\":[2],\"data_offsets\":[0,8]}}", 8), SafetensorsErrorKind.InvalidHeaderJson, "a" },
        { "duplicate name", Build("{\"a\":{" + F32x2 + ",\"data_offsets\":[0,8]},\"a\":{" + F32x2 + ",\"data_offsets\":[8,16]}}", 16), SafetensorsErrorKind.DuplicateName, "a" },
        { "unknown dtype", Build("{\"a\":{\"dtype\":\"F8_E4M3\",\"shape\":[2],\"data_offsets\":[0,2]}}", 2), SafetensorsErrorKind.UnknownDtype, "a" },
        { "metadata not string to string", Build("{\"__metadata__\":{\"format\":1}}", 0), SafetensorsErrorKind.InvalidMetadata, null },
        { "overlapping offsets", Build("{\"a\":{" + F32x2 + ",\"data_offsets\":[0,8]},\"b\":{" + F32x2 + ",\"data_offsets\":[4,12]}}", 12), SafetensorsErrorKind.InvalidOffset, "b" },
        { "gap between tensors", Build("{\"a\":{" + F32x2 + ",\"data_offsets\":[0,8]},\"b\":{" + F32x2 + ",\"data_offsets\":[12,20]}}", 20), SafetensorsErrorKind.InvalidOffset, "b" },
        { "wrong size for dtype and shape", Build("{\"a\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,8]}}", 8), SafetensorsErrorKind.TensorInvalidInfo, "a" },
        { "size overflow", Build("{\"a\":{\"dtype\":\"F32\",\"shape\":[4611686018427387904,4],\"data_offsets\":[0,8]}}", 8), SafetensorsErrorKind.ValidationOverflow, "a" },
        { "truncated data", Build("{\"a\":{" + F32x2 + ",\"data_offsets\":[0,8]}}", 5), SafetensorsErrorKind.MetadataIncompleteBuffer, null },
        { "trailing data", Build("{\"a\":{" + F32x2 + ",\"data_offsets\":[0,8]}}", 9), SafetensorsErrorKind.MetadataIncompleteBuffer, null },
    };

    [Theory]
    [MemberData(nameof(Corruptions))]
    public void Each_Broken_Rule_Gives_Its_Own_Error_Kind_Naming_File_And_Tensor(string why, byte[] bytes, SafetensorsErrorKind kind, string? tensor)
    {
        // Given a file that breaks one rule
        using var dir = new TempFolder();
        var path = dir.File("bad.safetensors");
        File.WriteAllBytes(path, bytes);
        // When it is opened
        var e = Assert.Throws<SafetensorsException>(() => SafetensorsFile.Open(path));
        // Then the error says which rule, which file and which tensor
        Assert.True(kind == e.Kind, $"{why}: expected {kind}, got {e.Kind}: {e.Message}");
        Assert.Equal(path, e.File);
        Assert.Contains(path, e.Message);
        Assert.Equal(tensor, e.Tensor);
        if (tensor is not null) Assert.Contains($"\"{tensor}\"", e.Message);
    }

    [Fact]
    public void Random_Byte_Flips_Never_Escape_As_Anything_But_Safetensors_Errors()
    {
        // Given the golden file with one to four random bytes overwritten, 300 times
        using var dir = new TempFolder();
        var golden = File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Golden", "safetensors_dtypes.safetensors"));
        var random = new Random(1234);
        var path = dir.File("fuzz.safetensors");
        for (var i = 0; i < 300; i++)
        {
            var bytes = (byte[])golden.Clone();
            for (var k = random.Next(1, 5); k > 0; k--) bytes[random.Next(bytes.Length)] = (byte)random.Next(256);
            File.WriteAllBytes(path, bytes);
            // When it is loaded into tensors
            try
            {
                foreach (var t in SafetensorsTorch.Load(path).Values) t.Dispose();
            }
            // Then it either loads or fails with a typed error: no crash, no other exception
            catch (SafetensorsException) { }
        }
    }

    private static byte[] Prefix(ulong n)
    {
        var prefix = new byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(prefix, n);
        return prefix;
    }

    private static byte[] Build(string header, int dataBytes) => Build(Encoding.UTF8.GetBytes(header), dataBytes);

    private static byte[] Build(byte[] header, int dataBytes) =>
        [.. Prefix((ulong)header.Length), .. header, .. new byte[dataBytes]];
}
