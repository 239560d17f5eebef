using DurableUn.Quantization;
using static DurableUn.Tests.Quantization.QuantTestData;
using static TorchSharp.torch;

namespace DurableUn.Tests.Quantization;

public class Int4AsymGroupwiseTests
{
    [Fact]
    public void Hand_Computed_Groups_Have_Scale_Zero_Point_And_Even_Ties()
    {
        // Given groups of 4:
        //   [−1, 0, 2, 14]: min −1, max 14 → s = 1, z = 1 → codes [0, 1, 3, 15]
        //   [0, 0.5, 1.5, 15]: min 0 (range widened to 0), max 15 → s = 1, z = 0 → codes [0, 0, 2, 15] (ties to even)
        //   all zero → s = 0, z = 0, codes 0
        using var x = tensor(new[] { -1f, 0f, 2f, 14f, 0f, 0.5f, 1.5f, 15f, 0f, 0f, 0f, 0f }).view(1, 12);
        // When
        var q = Int4AsymGroupwise.Quantize(x, groupSize: 4);
        // Then
        Assert.Equal(new byte[] { 0, 1, 3, 15, 0, 0, 2, 15, 0, 0, 0, 0 }, q.Codes.data<byte>().ToArray());
        Assert.Equal([1f, 1f, 0f], Floats(q.Scales));
        Assert.Equal(new byte[] { 1, 0, 0 }, q.ZeroPoints!.data<byte>().ToArray());
        Assert.Equal([-1f, 0f, 2f, 14f, 0f, 0f, 2f, 15f, 0f, 0f, 0f, 0f], Floats(Int4AsymGroupwise.Dequantize(q)));
    }

    [Fact]
    public void A_Constant_Group_Survives_Because_The_Range_Includes_Zero()
    {
        // Given a group that holds one positive value four times
        using var x = tensor(new[] { 0.5f, 0.5f, 0.5f, 0.5f });
        // When
        using var back = Int4AsymGroupwise.Dequantize(Int4AsymGroupwise.Quantize(x, groupSize: 4));
        // Then it comes back as 15·(0.5/15), not as 0
        Assert.All(Floats(back), v => Assert.Equal(0.5f, v, 6));
    }
}
