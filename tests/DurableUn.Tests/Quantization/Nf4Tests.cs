using System.Text.Json;
using DurableUn.Quantization;
using static DurableUn.Tests.Quantization.QuantTestData;
using static TorchSharp.torch;

namespace DurableUn.Tests.Quantization;

/// <summary>
/// NF4 against bitsandbytes. The golden file comes from scripts/make_quant_golden.py, an independent torch
/// re-implementation of bnb's reference backend; regenerate with
/// <c>/usr/bin/python3 scripts/make_quant_golden.py &gt; tests/DurableUn.Tests/Golden/nf4_golden.json</c>.
/// </summary>
public class Nf4Tests
{
    [Fact]
    public void Codebook_Equals_The_Sixteen_Bitsandbytes_Constants()
    {
        // Given the table printed in docs/formats.md#bitsandbytes-nf4 (bnb get_4bit_type("nf4"))
        float[] expected =
        [
            -1.0f, -0.6961928009986877f, -0.5250730514526367f, -0.39491748809814453f, -0.28444138169288635f,
            -0.18477343022823334f, -0.09105003625154495f, 0.0f, 0.07958029955625534f, 0.16093020141124725f,
            0.24611230194568634f, 0.33791524171829224f, 0.44070982933044434f, 0.5626170039176941f, 0.7229568362236023f, 1.0f,
        ];
        // When / Then our code table holds exactly those floats, and so does the golden file's copy
        Assert.Equal(expected, Nf4.Code);
        Assert.Equal(expected, Golden.RootElement.GetProperty("nf4").EnumerateArray().Select(e => BitConverter.UInt32BitsToSingle(e.GetUInt32())));
    }

    [Fact]
    public void Hand_Computed_Block_With_A_Midpoint_Tie_Packs_High_Nibble_First()
    {
        // Given absmax 2, so scaled = x·0.5 exactly: 2 → 1 (code 15), −2 → −1 (code 0), 2·c9 → c9 (code 9),
        // and 2·(c7 + c8)/2, exactly the midpoint between codes 7 and 8, which must go to the lower code 7
        float tie = (Nf4.Code[7] + Nf4.Code[8]) / 2f;
        var values = new float[64];
        values[0] = 2f; values[1] = -2f; values[2] = 2f * Nf4.Code[9]; values[3] = 2f * tie;
        // When
        var q = Nf4.Quantize(tensor(values));
        // Then byte 0 = (15 << 4) | 0, byte 1 = (9 << 4) | 7, the zeros are code 7 (0x77), absmax is 2
        byte[] packed = q.Codes.data<byte>().ToArray();
        Assert.Equal(new byte[] { 0xF0, 0x97, 0x77 }, packed.Take(3));
        Assert.All(packed.Skip(2), b => Assert.Equal(0x77, b));
        Assert.Equal([2f], Floats(q.Scales));
        Assert.Equal([2f, -2f, 2f * Nf4.Code[9], 0f], Floats(Nf4.Dequantize(q)).Take(4));
    }

    [Fact]
    public void All_Zero_Block_Stores_The_Clamped_Absmax_And_Decodes_To_Zero()
    {
        // Given a block of zeros
        using var x = zeros(64);
        // When
        var q = Nf4.Quantize(x);
        // Then absmax is bnb's 1e-38 floor, every code is 7 (the exact 0), and the round trip is exactly zero
        Assert.Equal([1e-38f], Floats(q.Scales));
        Assert.All(q.Codes.data<byte>().ToArray(), b => Assert.Equal(0x77, b));
        Assert.All(Floats(Nf4.Dequantize(q)), v => Assert.Equal(0f, v));
    }

    [Fact]
    public void Odd_Length_Pads_The_Last_Nibble_With_The_Code_Of_Zero()
    {
        // Given three values with absmax 1: 0.5 lies below the 12/13 midpoint 0.50166, so its code is 12
        using var x = tensor(new[] { 1f, -1f, 0.5f });
        // When
        var q = Nf4.Quantize(x);
        // Then bytes are (15,0) and (12, pad 7), and dequantization returns three values
        Assert.Equal(new byte[] { 0xF0, 0xC7 }, q.Codes.data<byte>().ToArray());
        Assert.Equal([1f, -1f, Nf4.Code[12]], Floats(Nf4.Dequantize(q)));
    }

    [Fact]
    public void Quantize_Leaves_Its_Input_Untouched_And_Dequantize_Returns_A_New_Tensor()
    {
        // Given weights and a copy
        using var x = RandomWeights(3, 4, 64);
        using var before = x.clone();
        // When
        var q = Nf4.Quantize(x, doubleQuant: true);
        using var back = Nf4.Dequantize(q);
        back.add_(1f);
        // Then the input is bit-identical and a second dequantization is unaffected by writes to the first
        AssertBitEqual(before, x, "input");
        AssertBitEqual(Nf4.Dequantize(q) + 1f, back, "fresh output");
    }

    public static TheoryData<string> GoldenCases() => new(Golden.RootElement.GetProperty("cases").EnumerateArray().Select(c => c.GetProperty("name").GetString()!));

    [Theory]
    [MemberData(nameof(GoldenCases))]
    public void Matches_The_Independent_Bitsandbytes_Reimplementation(string name)
    {
        // Given a golden case: input bits, block size, and bnb's packed codes and absmax (or its double quantization)
        var c = Golden.RootElement.GetProperty("cases").EnumerateArray().Single(e => e.GetProperty("name").GetString() == name);
        long[] shape = c.GetProperty("shape").EnumerateArray().Select(e => e.GetInt64()).ToArray();
        using var x = tensor(FloatsOf(c.GetProperty("input"))).view(shape);
        bool nested = c.GetProperty("nested").GetBoolean();
        // When
        var q = Nf4.Quantize(x, c.GetProperty("blocksize").GetInt32(), nested);
        // Then codes and scales agree bit for bit
        Assert.Equal(c.GetProperty("packed").EnumerateArray().Select(e => (byte)e.GetInt32()), q.Codes.data<byte>().ToArray());
        if (!nested)
        {
            Assert.Equal(BitsOf(c.GetProperty("absmax")), Floats(q.Scales).Select(BitConverter.SingleToUInt32Bits));
            return;
        }
        Assert.Equal(c.GetProperty("q8").EnumerateArray().Select(e => (byte)e.GetInt32()), q.Scales.data<byte>().ToArray());
        Assert.Equal(BitsOf(c.GetProperty("absmax2")), Floats(q.Nested!.Absmax).Select(BitConverter.SingleToUInt32Bits));
        Assert.Equal(c.GetProperty("offset").GetUInt32(), BitConverter.SingleToUInt32Bits(q.Nested.Offset));
    }

    [Fact]
    public void Double_Quantization_Costs_Little_Accuracy()
    {
        // Given weights whose NF4 absmax vary block to block
        using var x = RandomWeights(2, 130, 128);
        // When quantized with and without double quantization
        using var plain = Nf4.Dequantize(Nf4.Quantize(x));
        using var nested = Nf4.Dequantize(Nf4.Quantize(x, doubleQuant: true));
        // Then the 8-bit absmax moves the result by far less than the 4-bit error itself
        // (dynamic map relative step near |absmax − offset| is ≤ ~1%, while NF4's RMS error is ~10% of RMS(x))
        double nf4Error = (plain - x).pow(2).mean().sqrt().item<float>();
        double extra = (nested - plain).pow(2).mean().sqrt().item<float>();
        Assert.True(extra < 0.2 * nf4Error, $"double quant moved the result by {extra}, NF4 error {nf4Error}");
    }

    internal static readonly JsonDocument Golden =
        JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Golden", "nf4_golden.json")));

    internal static uint[] BitsOf(JsonElement array) => array.EnumerateArray().Select(e => e.GetUInt32()).ToArray();

    internal static float[] FloatsOf(JsonElement array) => BitsOf(array).Select(BitConverter.UInt32BitsToSingle).ToArray();
}
