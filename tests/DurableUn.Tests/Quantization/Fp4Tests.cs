using DurableUn.Quantization;
using static DurableUn.Tests.Quantization.QuantTestData;
using static TorchSharp.torch;

namespace DurableUn.Tests.Quantization;

public class Fp4Tests
{
    [Fact]
    public void Code_Table_Is_Bnb_E2M1_In_Bit_Pattern_Order()
    {
        // Given bnb's get_4bit_type("fp4"): [0, 0.0625, 8, 12, 4, 6, 2, 3] / 12, sign in bit 3
        float[] magnitudes = [0f, 0.0625f / 12f, 8f / 12f, 1f, 4f / 12f, 0.5f, 2f / 12f, 0.25f];
        // When / Then codes 0-7 are those values and codes 8-15 their negatives (code 8 is +0, as in bnb)
        Assert.Equal(magnitudes, Fp4.Code.Take(8));
        Assert.Equal(magnitudes.Select(m => m == 0f ? 0f : -m), Fp4.Code.Skip(8));
    }

    [Fact]
    public void Hand_Computed_Block_Covers_Sign_Bit_Ties_And_The_Near_Zero_Quirk()
    {
        // Given absmax 1 (scaled = x): 1 → 0b0011, −1 → 0b1011, 0.5 → 0b0101, 0.25 → 0b0111, 0 → 0, −0.5 → 0b1101,
        // 0.001 → code 8 and −0.001 → code 0 (bucketize over bnb's two +0 entries), the 0.5/0.667 midpoint → lower value
        // 0.5 (code 5), and its negative → lower value −0.667 (code 10)
        float tie = (0.5f + 8f / 12f) / 2f;
        using var x = tensor(new[] { 1f, -1f, 0.5f, 0.25f, 0f, -0.5f, 0.001f, -0.001f, tie, -tie });
        // When
        var q = Fp4.Quantize(x);
        // Then codes [3, 11, 5, 7, 0, 13, 8, 0, 5, 10] pack high nibble first
        Assert.Equal(new byte[] { 0x3B, 0x57, 0x0D, 0x80, 0x5A }, q.Codes.data<byte>().ToArray());
        Assert.Equal([1f, -1f, 0.5f, 0.25f, 0f, -0.5f, 0f, 0f, 0.5f, -8f / 12f], Floats(Fp4.Dequantize(q)));
    }
}
