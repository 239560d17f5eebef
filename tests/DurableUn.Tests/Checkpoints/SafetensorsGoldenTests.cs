using DurableUn.Checkpoints;
using static TorchSharp.torch;

namespace DurableUn.Tests.Checkpoints;

/// <summary>
/// Cross-check against a file written by hand from the spec in Python (numpy + torch 1.13 for the values):
/// Golden/safetensors_dtypes.safetensors, made by Golden/make_safetensors_golden.py
/// (<c>/usr/bin/python3 tests/DurableUn.Tests/Golden/make_safetensors_golden.py</c>).
/// </summary>
public class SafetensorsGoldenTests
{
    private static readonly string GoldenPath = Path.Combine(AppContext.BaseDirectory, "Golden", "safetensors_dtypes.safetensors");

    [Fact]
    public void Golden_File_Reads_With_The_Values_Python_Wrote()
    {
        // Given the golden file, When loaded
        var t = SafetensorsTorch.Load(GoldenPath);
        // Then each dtype holds exactly the values the script put there
        Assert.Equal(10, t.Count);
        Assert.Equal([-1f, -0.5f, 0f, 0.5f, 1f, 1.5f], t["a_f32"].data<float>().ToArray());
        Assert.Equal([2L, 3L], t["a_f32"].shape);
        Assert.Equal([1f, -2.5f, 65504f, MathF.Pow(2, -24)], t["b_f16"].to_type(ScalarType.Float32).data<float>().ToArray());
        Assert.Equal(ScalarType.BFloat16, t["c_bf16"].dtype);
        Assert.Equal([1f, -0.5f, 3.140625f, -MathF.Pow(2, 100)], t["c_bf16"].to_type(ScalarType.Float32).data<float>().ToArray());
        Assert.Equal([(sbyte)-128, (sbyte)0, (sbyte)127], t["d_i8"].data<sbyte>().ToArray());
        Assert.Equal([(byte)0, (byte)1, (byte)200, (byte)255], t["e_u8"].data<byte>().ToArray());
        Assert.Equal([int.MinValue, 7], t["f_i32"].data<int>().ToArray());
        Assert.Equal([1L << 40], t["g_i64"].data<long>().ToArray());
        Assert.Equal([true, false, true], t["h_bool"].data<bool>().ToArray());
        Assert.Empty(t["i_scalar"].shape);
        Assert.Equal(42f, t["i_scalar"].item<float>());
        Assert.Equal([0L, 3L], t["j_empty"].shape);
    }

    [Fact]
    public void Our_Writer_Reproduces_The_Golden_Bytes_Exactly()
    {
        // Given the tensors read from the golden file
        using var dir = new TempFolder();
        var tensors = SafetensorsTorch.Load(GoldenPath);
        var path = dir.File("again.safetensors");
        // When written back with the same metadata
        SafetensorsTorch.Save(path, tensors, new Dictionary<string, string> { ["format"] = "pt" });
        // Then the file is byte-identical to the one Python wrote by following the spec
        Assert.Equal(File.ReadAllBytes(GoldenPath), File.ReadAllBytes(path));
    }
}
