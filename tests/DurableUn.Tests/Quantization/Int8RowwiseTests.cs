using DurableUn.Quantization;
using static DurableUn.Tests.Quantization.QuantTestData;
using static TorchSharp.torch;

namespace DurableUn.Tests.Quantization;

public class Int8RowwiseTests
{
    [Fact]
    public void Hand_Computed_Rows_Round_Half_To_Even_And_Zero_Rows_Stay_Zero()
    {
        // Given row absmax 127, where torch's 127·(1/127) is exactly 1 in fp32, so codes = round(x) with ties to even
        using var x = tensor(new[] { 127f, 2.5f, 3.5f, -2.5f, 0.5f, 0f, 0f, 0f, 0f, 0f, 0f, 0f }).view(2, 6);
        // When
        var q = Int8Rowwise.Quantize(x);
        // Then 2.5 → 2, 3.5 → 4, −2.5 → −2, 0.5 → 0; the zero row has absmax 0 and codes 0 (no NaN)
        Assert.Equal(new sbyte[] { 127, 2, 4, -2, 0, 0, 0, 0, 0, 0, 0, 0 }, q.Codes.data<sbyte>().ToArray());
        Assert.Equal([127f, 0f], Floats(q.Scales));
        float[] back = Floats(Int8Rowwise.Dequantize(q));
        Assert.Equal(127f * 127f * Int8Rowwise.InverseOf127, back[0]);
        Assert.All(back.Skip(6), v => Assert.Equal(0f, v));
    }
}
