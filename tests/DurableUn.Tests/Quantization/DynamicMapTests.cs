using DurableUn.Quantization;

namespace DurableUn.Tests.Quantization;

public class DynamicMapTests
{
    [Fact]
    public void Signed_Dynamic_Map_Is_Within_Two_Ulps_Of_Bitsandbytes_Create_Dynamic_Map()
    {
        // Given the 256 values Python torch 1.13 produced from bnb's create_dynamic_map(signed=True) algorithm
        // (Golden/nf4_golden.json). bnb builds the map at run time with torch.linspace, whose fp32 rounding changed
        // between torch 1.13 and libtorch 2.10: measured, 214 of 256 entries agree exactly, 34 differ by 1 ulp and 8 by
        // 2 ulps (relative 1e-7). So "bnb's map" depends on the user's torch; checkpoints store it anyway.
        var expected = Nf4Tests.BitsOf(Nf4Tests.Golden.RootElement.GetProperty("dynamic_map"));
        // When ours is built with libtorch 2.10's linspace
        var actual = DynamicMap.Values.Select(BitConverter.SingleToUInt32Bits).ToArray();
        // Then every entry is at most two ulps away, and the split is the measured one
        var ulps = expected.Zip(actual, (e, a) => Math.Abs((long)e - a)).ToArray();
        Assert.True(ulps.Max() <= 2, $"largest difference {ulps.Max()} ulp");
        Assert.Equal(214, ulps.Count(u => u == 0));
    }

    [Fact]
    public void Map_Spans_Minus_0_993_To_1_With_An_Exact_Zero()
    {
        // Given the map's construction: the largest magnitude midpoint of linspace(0.1, 1, 65) is (0.98594 + 1)/2
        // When / Then it is sorted, its ends are −0.99297 and 1, and 0 is a code
        Assert.Equal(256, DynamicMap.Values.Count);
        Assert.True(DynamicMap.Values.Zip(DynamicMap.Values.Skip(1)).All(p => p.First < p.Second));
        Assert.Equal(1f, DynamicMap.Values[^1]);
        Assert.Equal(-0.99296875f, DynamicMap.Values[0], 5);
        Assert.Contains(0f, DynamicMap.Values);
    }
}
