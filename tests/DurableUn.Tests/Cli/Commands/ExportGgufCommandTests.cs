using System.Runtime.InteropServices;
using DurableUn.Adapters;
using DurableUn.Checkpoints.Gguf;
using static TorchSharp.torch;

namespace DurableUn.Tests.Cli.Commands;

/// <summary>
/// `durableun export gguf`, run as a child process, against <see cref="GgufExport"/> called here on weights merged by
/// hand (W + (α/r)·B·A), so the merge is checked by an independent computation, not by LoraMerge itself.
/// </summary>
public sealed class ExportGgufCommandTests(CliModelFixture fixture) : IClassFixture<CliModelFixture>
{
    [Fact]
    public void Export_With_An_Adapter_Equals_Export_Of_The_Merged_Dense_Weights()
    {
        // Given the weights merged by hand and exported by the library as F32
        var weights = fixture.Weights();
        var adapter = PeftAdapterFiles.Load(fixture.AdapterDir, fixture.Config);
        foreach (var (path, lora) in adapter.Layers)
            weights[$"{path}.weight"] = weights[$"{path}.weight"] + lora.B.matmul(lora.A) * adapter.Options.Scale;   // (out, in)
        var expected = Path.Combine(Directory.CreateDirectory(fixture.NewPath("lib")).FullName, "model.gguf");
        GgufExport.Write(expected, fixture.Config, weights, Path.Combine(fixture.ModelDir, "tokenizer.json"), GgufType.F32);
        // When the CLI exports the model with the adapter, and without it
        var merged = Path.Combine(Directory.CreateDirectory(fixture.NewPath("cli")).FullName, "model.gguf");
        var plain = Path.Combine(Directory.CreateDirectory(fixture.NewPath("plain")).FullName, "model.gguf");
        DurableUnCli.Succeed(["export", "gguf", fixture.ModelDir, "--adapter", fixture.AdapterDir, "--type", "f32", "--out", merged]);
        DurableUnCli.Succeed(["export", "gguf", fixture.ModelDir, "--type", "f32", "--out", plain]);
        // Then the two merged files hold the same tensors (fp32 rounding of B·A aside: thread counts differ), and the
        // adapter visibly moved the projections away from the plain export
        var (ours, theirs, unmerged) = (GgufFile.Read(merged), GgufFile.Read(expected), GgufFile.Read(plain));
        Assert.Equal(theirs.Tensors.Select(Layout), ours.Tensors.Select(Layout));
        Assert.Equal(theirs.Metadata.Select(kv => kv.Key), ours.Metadata.Select(kv => kv.Key));
        foreach (var info in ours.Tensors)
            Assert.True(MaxAbsDiff(Floats(ours, info), Floats(theirs, info)) <= 1e-6, $"{info.Name} differs");
        var q = ours.Tensor("blk.0.attn_q.weight");
        Assert.True(MaxAbsDiff(Floats(ours, q), Floats(unmerged, q)) > 1e-3, "the adapter did not change attn_q");
        Assert.Equal(Floats(unmerged, ours.Tensor("token_embd.weight")), Floats(ours, ours.Tensor("token_embd.weight")));
        foreach (var t in weights.Values.Concat(adapter.Tensors)) t.Dispose();
    }

    [Fact]
    public void Export_Without_An_Adapter_Is_The_Library_Export_Of_The_Folder_Byte_For_Byte()
    {
        // Given the library's Q4_0 export of the folder's weights
        using var scope = NewDisposeScope();
        var expected = Path.Combine(Directory.CreateDirectory(fixture.NewPath("lib")).FullName, "model.gguf");
        GgufExport.Write(expected, fixture.Config, fixture.Weights(), Path.Combine(fixture.ModelDir, "tokenizer.json"), GgufType.Q4_0);
        // When the CLI exports the folder
        var actual = Path.Combine(Directory.CreateDirectory(fixture.NewPath("cli")).FullName, "model.gguf");
        DurableUnCli.Succeed(["export", "gguf", fixture.ModelDir, "--type", "q4_0", "--out", actual]);
        // Then the files are identical (same name stem, so general.name agrees too)
        Assert.Equal(File.ReadAllBytes(expected), File.ReadAllBytes(actual));
    }

    private static string Layout(GgufTensorInfo t) => $"{t.Name} {t.Type} [{string.Join(", ", t.Dims)}] @{t.Offset}";

    private static float[] Floats(GgufFile file, GgufTensorInfo info) => MemoryMarshal.Cast<byte, float>(file.ReadBytes(file.Tensor(info.Name))).ToArray();

    private static double MaxAbsDiff(float[] a, float[] b) => a.Zip(b, (x, y) => Math.Abs((double)x - y)).DefaultIfEmpty().Max();
}
