using DurableUn.Quantization;
using static TorchSharp.torch;

namespace DurableUn.Tests.Quantization;

public class BadInputTests
{
    [Theory]
    [InlineData(16)]
    [InlineData(48)]
    [InlineData(8192)]
    public void Nf4_Rejects_Block_Sizes_Bnb_Does_Not_Support(int blockSize)
    {
        // Given / When
        var e = Assert.Throws<ArgumentException>(() => Nf4.Quantize(ones(128), blockSize));
        // Then the message names the parameter and the value
        Assert.Equal("blockSize", e.ParamName);
        Assert.Contains(blockSize.ToString(), e.Message);
    }

    [Fact]
    public void Int4_Rejects_A_Last_Dimension_The_Group_Does_Not_Divide()
    {
        var e = Assert.Throws<ArgumentException>(() => Int4Groupwise.Quantize(ones(3, 100), 64, "layers.0.q_proj.weight"));
        Assert.Equal("groupSize", e.ParamName);
        Assert.Contains("layers.0.q_proj.weight", e.Message);
        Assert.Contains("100", e.Message);
    }

    [Theory]
    [InlineData(QuantFormat.Q8_0)]
    [InlineData(QuantFormat.Q4_0)]
    public void Gguf_Formats_Reject_Rows_Not_Made_Of_32_Blocks(QuantFormat format)
    {
        var e = Assert.Throws<ArgumentException>(() => Quantizer.Quantize(ones(2, 48), new QuantSpec(format), "w"));
        Assert.Contains("48", e.Message);
    }

    [Theory]
    [InlineData(float.NaN)]
    [InlineData(float.PositiveInfinity)]
    [InlineData(float.NegativeInfinity)]
    public void Every_Format_Rejects_Non_Finite_Values_Naming_The_Tensor(float bad)
    {
        foreach (var format in Enum.GetValues<QuantFormat>())
        {
            // Given a weight with one bad value at flat index 5
            using var x = zeros(2, 64);
            x.view(-1)[5] = bad;
            // When / Then
            var e = Assert.Throws<ArgumentException>(() => Quantizer.Quantize(x, new QuantSpec(format), "embed_tokens.weight"));
            Assert.Equal("x", e.ParamName);
            Assert.Contains("embed_tokens.weight", e.Message);
            Assert.Contains("index 5", e.Message);
        }
    }

    [Fact]
    public void Spec_Rejects_Double_Quantization_And_Block_Sizes_A_Format_Cannot_Honour()
    {
        Assert.Throws<ArgumentException>(() => Quantizer.Quantize(ones(64), new QuantSpec(QuantFormat.Int4) { DoubleQuant = true }));
        Assert.Throws<ArgumentException>(() => Quantizer.Quantize(ones(64), new QuantSpec(QuantFormat.Q4_0) { BlockSize = 64 }));
        Assert.Throws<ArgumentException>(() => Quantizer.Quantize(ones(64), new QuantSpec(QuantFormat.Int8) { BlockSize = 64 }));
    }
}
