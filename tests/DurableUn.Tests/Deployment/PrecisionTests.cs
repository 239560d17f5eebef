using DurableUn.Deployment;
using DurableUn.LlamaCpp;
using DurableUn.Quantization;

namespace DurableUn.Tests.Deployment;

public class PrecisionTests
{
    [Theory]
    [InlineData("bf16", "bf16", PrecisionSpace.Bf16, null, null)]
    [InlineData("int8", "int8", PrecisionSpace.Adapter, QuantFormat.Int8, null)]
    [InlineData("int4", "int4", PrecisionSpace.Adapter, QuantFormat.Int4, 64)]
    [InlineData("int4:g32", "int4:g32", PrecisionSpace.Adapter, QuantFormat.Int4, 32)]
    [InlineData("int4:g32:asym", "int4:g32:asym", PrecisionSpace.Adapter, QuantFormat.Int4Asym, 32)]
    [InlineData("int4:g64:sym", "int4", PrecisionSpace.Adapter, QuantFormat.Int4, 64)]
    [InlineData("nf4", "nf4", PrecisionSpace.Adapter, QuantFormat.Nf4, 64)]
    [InlineData("fp4:g128", "fp4:g128", PrecisionSpace.Adapter, QuantFormat.Fp4, 128)]
    [InlineData("merged-nf4", "merged-nf4", PrecisionSpace.Merged, QuantFormat.Nf4, null)]
    [InlineData("merged-int4", "merged-int4", PrecisionSpace.Merged, QuantFormat.Int4, 64)]
    [InlineData("merged-int8", "merged-int8", PrecisionSpace.Merged, QuantFormat.Int8, null)]
    [InlineData("merged-fp32", "merged-fp32", PrecisionSpace.Merged, null, null)]
    [InlineData("model-int8", "model-int8", PrecisionSpace.Model, QuantFormat.Int8, null)]
    [InlineData("model-fp4", "model-fp4", PrecisionSpace.Model, QuantFormat.Fp4, 64)]
    [InlineData("model-nf4:g128", "model-nf4:g128", PrecisionSpace.Model, QuantFormat.Nf4, 128)]
    [InlineData("model-nf4:dq", "model-nf4:dq", PrecisionSpace.Model, QuantFormat.Nf4, 64)]
    [InlineData("model-int4:g64:sym", "model-int4", PrecisionSpace.Model, QuantFormat.Int4, 64)]
    [InlineData("gguf-q4_k_m", "gguf-q4_k_m", PrecisionSpace.Gguf, null, null)]
    [InlineData("gguf-iq4_nl", "gguf-iq4_nl", PrecisionSpace.Gguf, null, null)]
    public void Names_Parse_To_Their_Space_Format_And_Canonical_Name(string text, string name, PrecisionSpace space, QuantFormat? format, int? block)
    {
        // When
        var p = Precision.Parse(text);
        // Then
        Assert.Equal(name, p.Name);
        Assert.Equal(space, p.Space);
        Assert.Equal(format, p.Format?.Format);
        Assert.Equal(block, p.Format?.BlockSize);
        Assert.Equal(p, Precision.Parse(p.Name));
    }

    [Theory]
    [InlineData("int3", "unknown precision")]
    [InlineData("merged-fp4", "unknown precision")]
    [InlineData("int8:g32", "int8 is per output row")]
    [InlineData("nf4:asym", ":asym applies to int4")]
    [InlineData("merged-nf4:g32", "base's own blocksize")]
    [InlineData("int4:g0", "group size must be > 0")]
    [InlineData("int4:g32:g64", "repeated option")]
    [InlineData("model-fp4:dq", "unknown or repeated option")]
    [InlineData("model-int8:g32", "model-int8 is per output row")]
    [InlineData("model-int2", "unknown precision")]
    [InlineData("bf16:g32", "bf16 takes no options")]
    [InlineData("nf4:g48", "power of two")]
    [InlineData("gguf-q3_x", "unknown llama.cpp file type")]
    [InlineData("gguf-q8_0:g32", "gguf types take no options")]
    public void Bad_Names_Fail_With_The_Reason_And_The_Grammar(string text, string reason)
    {
        // When
        var e = Assert.Throws<ArgumentException>(() => Precision.Parse(text));
        // Then
        Assert.Contains(reason, e.Message);
        Assert.Contains($"\"{text}\"", e.Message);
        Assert.Contains("merged-int4[:gN]", e.Message);
    }

    [Theory]
    [InlineData("gguf-f32", LlamaFileType.F32)]
    [InlineData("gguf-f16", LlamaFileType.F16)]
    [InlineData("gguf-q8_0", LlamaFileType.Q8_0)]
    [InlineData("gguf-q4_0", LlamaFileType.Q4_0)]
    [InlineData("gguf-q4_k_m", LlamaFileType.Q4_K_M)]
    [InlineData("gguf-q5_k_m", LlamaFileType.Q5_K_M)]
    [InlineData("gguf-q6_k", LlamaFileType.Q6_K)]
    [InlineData("gguf-iq4_nl", LlamaFileType.Iq4Nl)]
    public void Gguf_Names_Are_LlamaCpps_File_Types(string text, LlamaFileType type)
    {
        // When a gguf-TYPE name is parsed, then it names llama.cpp's file type and no format of ours
        var p = Precision.Parse(text);
        Assert.Equal(type, p.Gguf);
        Assert.Null(p.Format);
        Assert.Equal(text, p.Name);
    }

    [Fact]
    public void All_Lists_The_Eight_Deployments_Of_The_Table()
    {
        Assert.Equal(["bf16", "int8", "int4", "nf4", "fp4", "merged-nf4", "merged-int4", "merged-int8"], Precision.All.Select(p => p.Name));
    }

    [Fact]
    public void Only_Model_Nf4_Double_Quantizes_And_Its_Name_Says_So()
    {
        Assert.True(Precision.Parse("model-nf4:dq").Format!.DoubleQuant);
        Assert.False(Precision.ModelNf4.Format!.DoubleQuant);
        Assert.False(Precision.ModelFp4.Format!.DoubleQuant);   // bitsandbytes' load_in_4bit default: FP4, no double quantization
    }
}
