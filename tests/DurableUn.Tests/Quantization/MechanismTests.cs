using DurableUn.Quantization;
using static DurableUn.Tests.Quantization.QuantTestData;
using static TorchSharp.torch;

namespace DurableUn.Tests.Quantization;

/// <summary>
/// The quantization recovery mechanism (docs/design.md#the-problem), constructed rather than tuned: weights that sit on
/// the INT4 grid, moved by a known fraction of one INT4 step s = absmax/7. INT8's step is absmax/127 = s·7/127 ≈
/// 0.055·s.
/// </summary>
public class MechanismTests
{
    private const float Step = 0.01f;   // INT4 step s; every group's absmax is 7·s

    [Fact]
    public void A_Change_Below_Half_An_Int4_Step_Vanishes_At_Int4_And_Survives_At_Int8()
    {
        // Given grid weights (codes in −6..6, one code 7 per group to pin absmax) and an "unlearning" change of 0.4·s
        // on every other element, alternating in sign, which keeps every element strictly inside ±7·s
        var (before, after) = Constructed(maxCode: 6, change: 0.4f * Step);
        // When both are quantized
        using var int4Before = Quantizer.RoundTrip(before, new QuantSpec(QuantFormat.Int4));
        using var int4After = Quantizer.RoundTrip(after, new QuantSpec(QuantFormat.Int4));
        using var int8Delta = Quantizer.RoundTrip(after, new QuantSpec(QuantFormat.Int8)) - Quantizer.RoundTrip(before, new QuantSpec(QuantFormat.Int8));
        // Then INT4 rounds every change back: the deployed weights are bit-identical to the pre-unlearning ones
        AssertBitEqual(int4Before, int4After, "int4");
        // And INT8 keeps each change up to its own rounding (≤ one INT8 step 0.055·s): 0.4·s ± 0.11·s
        var changed = Floats(int8Delta.abs()).Where((_, i) => i % 2 == 1).ToArray();
        Assert.All(changed, d => Assert.InRange(d, 0.29f * Step, 0.51f * Step));
    }

    [Fact]
    public void A_Change_Larger_Than_One_Int4_Step_Survives_Both()
    {
        // Given grid weights with codes in −5..5 and a change of 1.2·s (still inside ±7·s)
        var (before, after) = Constructed(maxCode: 5, change: 1.2f * Step);
        // When
        using var int4Delta = Quantizer.RoundTrip(after, new QuantSpec(QuantFormat.Int4)) - Quantizer.RoundTrip(before, new QuantSpec(QuantFormat.Int4));
        using var int8Delta = Quantizer.RoundTrip(after, new QuantSpec(QuantFormat.Int8)) - Quantizer.RoundTrip(before, new QuantSpec(QuantFormat.Int8));
        // Then INT4 moves each changed weight by exactly one step (round(code ± 1.2) = code ± 1) and INT8 by ≈ 1.2·s
        Assert.All(Floats(int4Delta.abs()).Where((_, i) => i % 2 == 1), d => Assert.Equal(Step, d, 6));
        Assert.All(Floats(int8Delta.abs()).Where((_, i) => i % 2 == 1), d => Assert.InRange(d, 1.09f * Step, 1.31f * Step));
    }

    private static (Tensor Before, Tensor After) Constructed(int maxCode, float change)
    {
        var generator = new Generator(7);
        var codes = randint(-maxCode, maxCode + 1, [8, 128], generator: generator).to(ScalarType.Float32);
        codes.view(-1, 64).select(1, 0).fill_(7);                                   // element 0 of each group pins absmax = 7·s
        var before = codes * Step;                                                   // (8, 128) on the INT4 grid
        var sign = tensor(Enumerable.Range(0, 128).Select(i => i % 2 == 0 ? 0f : (i % 4 == 1 ? 1f : -1f)).ToArray());
        return (before, before + sign * change);                                     // odd columns move by ±change
    }
}
