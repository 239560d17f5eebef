using DurableUn.Quantization;
using static DurableUn.Tests.Quantization.QuantTestData;
using static TorchSharp.torch;

namespace DurableUn.Tests.Quantization;

public class Int4GroupwiseTests
{
    [Fact]
    public void Hand_Computed_Groups_Use_The_Symmetric_Grid_And_Ties_To_Even()
    {
        // Given groups of 4: absmax 7 gives scale 1; −3.5 and 2.5 are ties; the second group is all zero
        using var x = tensor(new[] { 7f, -3.5f, 2.5f, 0f, 0f, 0f, 0f, 0f }).view(1, 8);
        // When
        var q = Int4Groupwise.Quantize(x, groupSize: 4);
        // Then codes are [7, −4, 2, 0] and [0, 0, 0, 0]; scales 1 and 0; the round trip is exact on the grid
        Assert.Equal(new sbyte[] { 7, -4, 2, 0, 0, 0, 0, 0 }, q.Codes.data<sbyte>().ToArray());
        Assert.Equal([1f, 0f], Floats(q.Scales));
        Assert.Equal([7f, -4f, 2f, 0f, 0f, 0f, 0f, 0f], Floats(Int4Groupwise.Dequantize(q)));
    }

    [Fact]
    public void Absmax_Survives_Exactly_For_Both_Signs()
    {
        // Given a group whose largest magnitude is negative
        using var x = tensor(new[] { -0.7f, 0.1f, 0.2f, 0.3f });
        // When
        using var back = Int4Groupwise.Dequantize(Int4Groupwise.Quantize(x, groupSize: 4));
        // Then −absmax comes back as −7·(0.7/7), within one rounding of −0.7 (the [−7, 7] grid reaches it)
        Assert.Equal(-0.7f, Floats(back)[0], 6);
    }
}
