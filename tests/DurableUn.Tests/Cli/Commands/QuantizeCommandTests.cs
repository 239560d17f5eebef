using System.Text.RegularExpressions;
using DurableUn.Adapters;
using DurableUn.Checkpoints;
using DurableUn.Quantization;
using static TorchSharp.torch;

namespace DurableUn.Tests.Cli.Commands;

/// <summary>`durableun quantize`, run as a child process, checked against the library's own NF4 on the original weights.</summary>
public sealed class QuantizeCommandTests(CliModelFixture fixture) : IClassFixture<CliModelFixture>
{
    [Fact]
    public void A_Quantized_Folder_Reads_Back_As_Nf4_Of_The_Original_Weights()
    {
        // Given the smoke model and a new output folder
        var outDir = fixture.NewPath("nf4");
        // When it is quantized to NF4 with double quantization and blocks of 128
        DurableUnCli.Succeed(["quantize", fixture.ModelDir, "--format", "nf4", "--double-quant", "--blocksize", "128", "--out", outDir]);
        // Then BnbCheckpoint reads it, and every projection dequantizes to exactly what Nf4 gives on the original
        using var read = BnbCheckpoint.Read(outDir);
        var weights = fixture.Weights();
        var spec = new QuantSpec(QuantFormat.Nf4) { BlockSize = 128, DoubleQuant = true };
        Assert.Equal(7 * fixture.Config.NumHiddenLayers, read.Projections.Count);
        foreach (var (path, frozen) in read.Projections)
        {
            using var scope = NewDisposeScope();
            var expected = Quantizer.Dequantize(Quantizer.Quantize(weights[$"{path}.weight"], spec, path), ScalarType.Float32);
            Assert.True(frozen.Weight(ScalarType.Float32).eq(expected).all().item<bool>(), $"{path}: dequantized weights differ from Nf4 on the original");
        }
        // and the dense tensors are the original ones, the config says so, and tokenizer and generation config are copied
        Assert.True(read.Dense["model.embed_tokens.weight"].eq(weights["model.embed_tokens.weight"]).all().item<bool>());
        Assert.True(read.Options is { BaseFormat: QuantFormat.Nf4, BlockSize: 128, DoubleQuant: true });
        var bnb = HfModelConfig.Read(Path.Combine(outDir, HfModelConfig.FileName)).Bnb()!;
        Assert.True(bnb is { LoadIn4Bit: true, QuantType: "nf4", UseDoubleQuant: true });
        foreach (var file in new[] { ModelFolder.TokenizerFile, GenerationConfig.FileName })
            Assert.Equal(File.ReadAllBytes(Path.Combine(fixture.ModelDir, file)), File.ReadAllBytes(Path.Combine(outDir, file)));
        foreach (var t in weights.Values) t.Dispose();
    }

    [Fact]
    public void An_Existing_Output_Folder_Is_Refused_And_Left_Alone()
    {
        // Given an output folder that already exists
        var outDir = Directory.CreateDirectory(fixture.NewPath("existing")).FullName;
        File.WriteAllText(Path.Combine(outDir, "keep.txt"), "mine");
        // When
        var result = DurableUnCli.Run(["quantize", fixture.ModelDir, "--format", "fp4", "--out", outDir]);
        // Then it is a usage error naming the folder, which is untouched
        Assert.Equal(DurableUn.Cli.CliErrors.Usage, result.ExitCode);
        Assert.Contains("already exists", Regex.Replace(result.Stdout, @"\s+", " "));   // the console may wrap the line
        Assert.Equal("keep.txt", Path.GetFileName(Assert.Single(Directory.GetFiles(outDir))));
    }
}
