using DurableUn.Checkpoints;
using TorchSharp;
using static TorchSharp.torch;

namespace DurableUn.Tests.Checkpoints;

public class SafetensorsRoundTripTests
{
    public static TheoryData<SafetensorsDtype> AllDtypes() => new(Enum.GetValues<SafetensorsDtype>());

    [Theory]
    [MemberData(nameof(AllDtypes))]
    public void Bytes_Written_Are_The_Bytes_Read_For_Every_Dtype(SafetensorsDtype dtype)
    {
        // Given two tensors of random bytes, given out of name order
        using var dir = new TempFolder();
        var random = new Random(7);
        var a = new byte[3 * 5 * dtype.ByteSize()];
        var b = new byte[2 * dtype.ByteSize()];
        random.NextBytes(a);
        random.NextBytes(b);
        var path = dir.File("t.safetensors");
        // When they are written and the file is reopened
        SafetensorsWriter.Write(path, [new("zeta", dtype, [2], b), new("alpha", dtype, [3, 5], a)], new Dictionary<string, string> { ["format"] = "pt" });
        using var file = SafetensorsFile.Open(path);
        // Then bytes, shapes, metadata, name-sorted layout and 8-byte header padding all survive
        Assert.Equal(a, file.ReadBytes("alpha"));
        Assert.Equal(b, file.ReadBytes("zeta"));
        Assert.Equal([3L, 5L], file.Header.Find("alpha")!.Shape);
        Assert.Equal(["alpha", "zeta"], file.Header.Tensors.Select(t => t.Name));
        Assert.Equal("pt", file.Header.Metadata["format"]);
        Assert.Equal(0, file.Header.HeaderLength % 8);
    }

    [Theory]
    [MemberData(nameof(AllDtypes))]
    public void Torch_Tensors_Round_Trip_Bit_For_Bit_For_Every_Dtype(SafetensorsDtype dtype)
    {
        // Given a random tensor of the dtype and a non-contiguous view of it
        using var dir = new TempFolder();
        using var scope = NewDisposeScope();
        var type = SafetensorsTorch.ToScalarType(dtype);
        var t = RandomTensor(type, [4, 6]);
        var tensors = new Dictionary<string, Tensor> { ["w"] = t, ["w_t"] = t.t(), ["scalar"] = RandomTensor(type, []) };
        var path = dir.File("t.safetensors");
        // When saved and loaded
        SafetensorsTorch.Save(path, tensors);
        var loaded = SafetensorsTorch.Load(path);
        // Then dtype, shape and every byte match (the view is written in its logical, row-major order)
        foreach (var (name, expected) in tensors)
        {
            var actual = loaded[name];
            Assert.Equal(expected.dtype, actual.dtype);
            Assert.Equal(expected.shape, actual.shape);
            Assert.Equal(expected.contiguous().bytes.ToArray(), actual.bytes.ToArray());
        }
    }

    [Fact]
    public void Saving_Over_An_Existing_File_Leaves_No_Temporary_Files()
    {
        // Given a file that already exists
        using var dir = new TempFolder();
        var path = dir.File("t.safetensors");
        SafetensorsWriter.Write(path, [new("a", SafetensorsDtype.U8, [1], new byte[] { 1 })]);
        // When it is written again
        SafetensorsWriter.Write(path, [new("b", SafetensorsDtype.U8, [1], new byte[] { 2 })]);
        // Then the new content replaced it and the folder holds nothing else
        using (var file = SafetensorsFile.Open(path)) Assert.Equal([2], file.ReadBytes("b"));
        Assert.Single(Directory.GetFiles(dir.Path));
    }

    [Fact]
    public void Writer_Rejects_Data_Of_The_Wrong_Length()
    {
        // Given an F32 entry of shape [2] with 4 bytes instead of 8
        var entry = new SafetensorsEntry("x", SafetensorsDtype.F32, [2], new byte[4]);
        // When written, Then the writer refuses before producing a file
        var e = Assert.Throws<ArgumentException>(() => SafetensorsWriter.Write(new MemoryStream(), [entry]));
        Assert.Contains("\"x\"", e.Message);
    }

    internal static Tensor RandomTensor(ScalarType type, long[] shape) => type switch
    {
        ScalarType.Bool => rand(shape) > 0.5,
        ScalarType.Byte => randint(0, 256, shape, ScalarType.Byte),
        ScalarType.Int8 => randint(-128, 128, shape, ScalarType.Int8),
        ScalarType.Int16 or ScalarType.Int32 or ScalarType.Int64 => randint(-30000, 30000, shape, type),
        _ => randn(shape, type),
    };
}

