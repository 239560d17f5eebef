using System.Buffers.Binary;
using System.Text;
using DurableUn.Checkpoints.Gguf;

namespace DurableUn.Tests.Checkpoints.Gguf;

public class GgufWriterTests
{
    private static GgufTensorData Bytes(string name, long[] dims, GgmlType type, byte[] data) => new(name, dims, type, s => s.Write(data));

    [Fact]
    public void Header_Bytes_Follow_The_Spec_Field_By_Field()
    {
        // Given one KV pair and one 2×1 F32 tensor
        using var stream = new MemoryStream();
        byte[] data = [1, 2, 3, 4, 5, 6, 7, 8];
        // When the file is written
        GgufWriter.Write(stream, [new("general.architecture", GgufValue.String("llama"))], [Bytes("t", [2, 1], GgmlType.F32, data)]);
        var b = stream.ToArray();
        // Then, offset by offset (docs/gguf.md):
        Assert.Equal("GGUF"u8.ToArray(), b[0..4]);                                   // 0: magic
        Assert.Equal(3u, BinaryPrimitives.ReadUInt32LittleEndian(b.AsSpan(4)));      // 4: version
        Assert.Equal(1ul, BinaryPrimitives.ReadUInt64LittleEndian(b.AsSpan(8)));     // 8: tensor_count
        Assert.Equal(1ul, BinaryPrimitives.ReadUInt64LittleEndian(b.AsSpan(16)));    // 16: metadata_kv_count
        Assert.Equal(20ul, BinaryPrimitives.ReadUInt64LittleEndian(b.AsSpan(24)));   // 24: key length, "general.architecture"
        Assert.Equal("general.architecture", Encoding.UTF8.GetString(b, 32, 20));   // 32..52: key bytes, no NUL
        Assert.Equal(8u, BinaryPrimitives.ReadUInt32LittleEndian(b.AsSpan(52)));     // 52: value type STRING
        Assert.Equal(5ul, BinaryPrimitives.ReadUInt64LittleEndian(b.AsSpan(56)));    // 56: string length
        Assert.Equal("llama", Encoding.UTF8.GetString(b, 64, 5));                   // 64..69: "llama"
        Assert.Equal(1ul, BinaryPrimitives.ReadUInt64LittleEndian(b.AsSpan(69)));    // 69: tensor name length
        Assert.Equal((byte)'t', b[77]);                                              // 77: "t"
        Assert.Equal(2u, BinaryPrimitives.ReadUInt32LittleEndian(b.AsSpan(78)));     // 78: n_dims
        Assert.Equal(2ul, BinaryPrimitives.ReadUInt64LittleEndian(b.AsSpan(82)));    // 82: ne[0]
        Assert.Equal(1ul, BinaryPrimitives.ReadUInt64LittleEndian(b.AsSpan(90)));    // 90: ne[1]
        Assert.Equal(0u, BinaryPrimitives.ReadUInt32LittleEndian(b.AsSpan(98)));     // 98: ggml type F32
        Assert.Equal(0ul, BinaryPrimitives.ReadUInt64LittleEndian(b.AsSpan(102)));   // 102: offset 0
        Assert.All(b[110..128], x => Assert.Equal(0, x));                            // 110..128: zero padding to 32
        Assert.Equal(data, b[128..136]);                                             // 128: data
        Assert.Equal(160, b.Length);                                                 // data padded to 32 too
    }

    [Fact]
    public void Metadata_And_Tensors_Round_Trip_Through_The_Reader()
    {
        // Given every scalar type, three array types and two tensors, the second after an unaligned first
        using var dir = new TempFolder();
        var path = dir.File("m.gguf");
        var metadata = new List<KeyValuePair<string, GgufValue>>
        {
            new("u8", GgufValue.UInt8(200)), new("i8", GgufValue.Int8(-5)), new("u16", GgufValue.UInt16(60000)),
            new("i16", GgufValue.Int16(-300)), new("u32", GgufValue.UInt32(4_000_000_000)), new("i32", GgufValue.Int32(-7)),
            new("f32", GgufValue.Float32(1.5f)), new("bool", GgufValue.Bool(true)), new("str", GgufValue.String("héllo ▁")),
            new("u64", GgufValue.UInt64(ulong.MaxValue)), new("i64", GgufValue.Int64(long.MinValue)), new("f64", GgufValue.Float64(Math.PI)),
            new("strs", GgufValue.Strings(["a", "", "<|eot_id|>"])), new("ints", GgufValue.Int32s([1, -2, 3])), new("floats", GgufValue.Float32s([0.5f, -1f])),
        };
        byte[] a = [.. Enumerable.Range(0, 12).Select(i => (byte)i)];
        byte[] q = [.. Enumerable.Range(0, 34).Select(i => (byte)(100 + i))];
        // When written and read back
        using (var s = File.Create(path))
            GgufWriter.Write(s, metadata, [Bytes("a", [3], GgmlType.F32, a), Bytes("blk.0.attn_q.weight", [32, 1], GgmlType.Q8_0, q)]);
        var file = GgufFile.Read(path);
        // Then every value, type, dim, offset and byte survives
        Assert.Equal(3u, file.Version);
        Assert.Equal(metadata.Select(kv => kv.Key), file.Metadata.Select(kv => kv.Key));
        foreach (var (key, value) in metadata)
        {
            Assert.Equal(value.Type, file.Get(key).Type);
            Assert.Equal(value.ItemType, file.Get(key).ItemType);
            if (value.Value is Array expected) Assert.Equal(expected.Cast<object>(), ((Array)file.Get(key).Value).Cast<object>());
            else Assert.Equal(value.Value, file.Get(key).Value);
        }
        Assert.Equal([3L], file.Tensor("a").Dims);
        Assert.Equal(GgmlType.Q8_0, file.Tensor("blk.0.attn_q.weight").Type);
        Assert.Equal(32ul, file.Tensor("blk.0.attn_q.weight").Offset);   // 12 bytes padded to 32
        Assert.Equal(a, file.ReadBytes(file.Tensor("a")));
        Assert.Equal(q, file.ReadBytes(file.Tensor("blk.0.attn_q.weight")));
        Assert.Equal(0, file.DataStart % 32);
    }

    [Fact]
    public void Writer_Rejects_A_Tensor_Whose_Callback_Writes_The_Wrong_Byte_Count()
    {
        using var stream = new MemoryStream();
        var e = Assert.Throws<InvalidOperationException>(() => GgufWriter.Write(stream, [], [Bytes("t", [4], GgmlType.F32, new byte[15])]));
        Assert.Contains("need 16", e.Message);
    }

    [Fact]
    public void Writer_Rejects_Names_Over_63_Bytes()
    {
        using var stream = new MemoryStream();
        Assert.Throws<ArgumentException>(() => GgufWriter.Write(stream, [], [Bytes(new string('x', 64), [1], GgmlType.F32, new byte[4])]));
    }
}
