using DurableUn.Quantization;
using static DurableUn.Tests.Quantization.QuantTestData;
using static TorchSharp.torch;

namespace DurableUn.Tests.Quantization;

public class FakeQuantTests
{
    [Fact]
    public void Forward_Equals_Dequantize_Of_Quantize_For_Int4_Nf4_And_Int8()
    {
        // Given weights that require gradients
        using var x = RandomWeights(4, 8, 128).requires_grad_(true);
        using var plain = x.detach();
        // When / Then each fake quantizer's value is the round trip, bit for bit
        AssertBitEqual(Int4Groupwise.Dequantize(Int4Groupwise.Quantize(plain)), FakeQuant.Int4(x).detach(), "int4");
        AssertBitEqual(Nf4.Dequantize(Nf4.Quantize(plain)), FakeQuant.Nf4(x).detach(), "nf4");
        AssertBitEqual(Int8Rowwise.Dequantize(Int8Rowwise.Quantize(plain)), FakeQuant.Int8(x).detach(), "int8");
    }

    [Fact]
    public void Gradient_Is_One_Everywhere_When_Scales_Come_From_The_Tensor_Itself()
    {
        // Given absmax scaling, every element lies inside its block's range by construction
        using var x = RandomWeights(1, 4, 64).requires_grad_(true);
        // When a loss is taken through the three fake quantizers
        (FakeQuant.Int4(x).sum() + FakeQuant.Nf4(x).sum() + FakeQuant.Int8(x).sum()).backward();
        // Then each contributes gradient 1 to every element
        Assert.All(Floats(x.grad!), g => Assert.Equal(3f, g));
    }

    [Fact]
    public void Gradient_Is_One_Inside_And_Zero_Outside_A_Fixed_Range()
    {
        // Given fixed scales: INT4 scale 0.1 (range ±0.7), NF4 absmax 0.5, INT8 absmax 0.5, one group/block/row of 64
        var values = Enumerable.Range(0, 64).Select(i => (i - 32) / 32f).ToArray();   // −1 .. 0.97
        using var x = tensor(values).view(1, 64).requires_grad_(true);
        // When
        FakeQuant.Int4(x, tensor(new[] { 0.1f }), 64).sum().backward();
        float[] int4 = Floats(x.grad!); x.grad!.zero_();
        FakeQuant.Nf4(x, tensor(new[] { 0.5f }), 64).sum().backward();
        float[] nf4 = Floats(x.grad!); x.grad!.zero_();
        FakeQuant.Int8(x, tensor(new[] { 0.5f })).sum().backward();
        float[] int8 = Floats(x.grad!);
        // Then the gradient is the in-range indicator — for INT4 PyTorch FakeQuantize's rule, round(x/s) ∈ [−7, 7]
        // (so |x| < 7.5·s passes); for NF4 and INT8 |x| ≤ absmax — and clipped values sit at the range's edge
        for (int i = 0; i < 64; i++)
        {
            Assert.Equal(Math.Abs(Math.Round(values[i] / 0.1f, MidpointRounding.ToEven)) <= 7 ? 1f : 0f, int4[i]);
            Assert.Equal(Math.Abs(values[i]) <= 0.5f ? 1f : 0f, nf4[i]);
            Assert.Equal(Math.Abs(values[i]) <= 0.5f ? 1f : 0f, int8[i]);
        }
        Assert.Equal(-0.7f, Floats(FakeQuant.Int4(x, tensor(new[] { 0.1f }), 64))[0], 6);
    }
}

public class FakeQuantOwnScaleTests
{
    [Fact]
    public void With_Scales_From_X_Every_Element_Gets_Gradient_One_Even_Each_Groups_Absmax()
    {
        // Given random weights (many groups, so some absmax/7·7 round below absmax in float32)
        DurableUn.Tensors.NativeTorch.EnsureLoaded();
        TorchSharp.torch.manual_seed(5);
        using var x = TorchSharp.torch.randn(64, 256).requires_grad_(true);
        // When the INT4 fake quantization's output is summed and differentiated
        using var y = DurableUn.Quantization.FakeQuant.Int4(x);
        y.sum().backward();
        // Then the straight-through gradient is exactly 1 everywhere
        Assert.True(x.grad!.eq(1).all().item<bool>());
    }
}
