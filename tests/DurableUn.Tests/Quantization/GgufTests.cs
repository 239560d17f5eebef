using DurableUn.Quantization;
using static DurableUn.Tests.Quantization.QuantTestData;
using static TorchSharp.torch;

namespace DurableUn.Tests.Quantization;

public class GgufTests
{
    [Fact]
    public void Q8_0_Block_Rounds_Half_Away_From_Zero_Like_Roundf()
    {
        // Given a block with amax 127, so d = 1 and id = 1: codes are roundf(x)
        var values = new float[32];
        values[0] = 127f; values[1] = 2.5f; values[2] = -2.5f; values[3] = 0.5f; values[4] = -0.4f;
        // When
        var q = GgufQ8_0.Quantize(tensor(values));
        // Then 2.5 → 3, −2.5 → −3, 0.5 → 1 (away from zero, unlike torch.round), −0.4 → 0; d = fp16 1.0
        Assert.Equal(new sbyte[] { 127, 3, -3, 1, 0 }, q.Codes.data<sbyte>().ToArray().Take(5));
        Assert.Equal([(Half)1f], q.Scales.data<Half>().ToArray());
        // And the 34-byte block is d (0x3C00 little-endian) then the codes as two's complement bytes
        byte[] block = GgufBlocks.ToBytes(q);
        Assert.Equal(GgufBlocks.Q8_0Bytes, block.Length);
        Assert.Equal(new byte[] { 0x00, 0x3C, 127, 3, 0xFD, 1, 0 }, block.Take(7));
    }

    [Fact]
    public void Q4_0_Block_Uses_The_Signed_Max_And_Packs_Element_J_Low_And_J_Plus_16_High()
    {
        // Given a block whose first largest |x| is −8 (the later +8 does not replace it: ggml's strict <),
        // so d = −8/−8 = 1, id = 1 and q = min(15, trunc(x + 8.5)): −8 → 0, 8 → 15 (clipped from 16),
        // 0.5 → 9 (half up), −0.5 → 8, 3 → 11, 0 → 8; element 16 is 1 → 9
        var values = new float[32];
        values[0] = -8f; values[1] = 8f; values[2] = 0.5f; values[3] = -0.5f; values[4] = 3f; values[16] = 1f;
        // When
        var q = GgufQ4_0.Quantize(tensor(values));
        // Then byte j = q[j] | q[j+16] << 4
        byte[] qs = q.Codes.data<byte>().ToArray();
        Assert.Equal(new byte[] { 0x90, 0x8F, 0x89, 0x88, 0x8B, 0x88 }, qs.Take(6));
        Assert.Equal([(Half)1f], q.Scales.data<Half>().ToArray());
        // And dequantization gives (q − 8)·d: +8 comes back as 7, the price of the asymmetric [−8, 7] grid
        Assert.Equal([-8f, 7f, 1f, 0f, 3f], Floats(GgufQ4_0.Dequantize(q)).Take(5));
        // And the 18-byte block is d then qs
        byte[] block = GgufBlocks.ToBytes(q);
        Assert.Equal(GgufBlocks.Q4_0Bytes, block.Length);
        Assert.Equal(new byte[] { 0x00, 0x3C }.Concat(qs), block);
    }

    [Fact]
    public void Q4_0_All_Zero_Block_Decodes_To_Zero()
    {
        // Given zeros: max = 0 → d = −0 → id = 0 → every q = trunc(8.5) = 8
        var q = GgufQ4_0.Quantize(zeros(2, 32));
        // When / Then every nibble is 8 and every value 0
        Assert.All(q.Codes.data<byte>().ToArray(), b => Assert.Equal(0x88, b));
        Assert.All(Floats(GgufQ4_0.Dequantize(q)), v => Assert.Equal(0f, v));
    }
}
