using DurableUn.Quantization;
using static DurableUn.Tests.Quantization.QuantTestData;
using static TorchSharp.torch;

namespace DurableUn.Tests.Quantization;

/// <summary>Each format's vectorised path must equal its loop reference bit for bit, codes, scales and dequantized values.</summary>
public class ReferenceAgreementTests
{
    public enum Case { Nf4, Nf4Nested, Fp4, Fp4Nested, Int8, Int4, Int4Asym, Q8_0, Q4_0 }

    // Shapes: one full block; rows whose last dim is a multiple of 64; 130 x 128 so NF4 has 260 blocks and the
    // double quantization a partial second 256-block. Seeds also vary the magnitude (1e-3 .. 10).
    public static TheoryData<Case, long[], int> Cases()
    {
        var data = new TheoryData<Case, long[], int>();
        long[][] shapes = [[64], [3, 128], [130, 128]];
        foreach (var c in Enum.GetValues<Case>())
            foreach (var shape in shapes)
                foreach (int seed in new[] { 1, 2, 3, 4, 5 })
                    data.Add(c, shape, seed);
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Fast_Path_Equals_Reference_Bit_For_Bit(Case format, long[] shape, int seed)
    {
        // Given random weights
        using var x = RandomWeights(seed, shape);
        // When both paths quantize and dequantize
        var (fast, reference) = Both(format, x);
        // Then every stored bit and every dequantized bit agree
        AssertBitEqual(reference.Quantized, fast.Quantized);
        AssertBitEqual(reference.Dequantized, fast.Dequantized, "dequantized");
    }

    [Theory]
    [InlineData(Case.Nf4)]
    [InlineData(Case.Fp4)]
    [InlineData(Case.Nf4Nested)]
    public void Four_Bit_Paths_Agree_On_Odd_Lengths_And_Bf16(Case format)
    {
        // Given an odd number of bf16 weights (63: a partial block and a padded last nibble)
        using var x = RandomWeights(7, 7, 9).to(ScalarType.BFloat16);
        // When both paths quantize and dequantize
        var (fast, reference) = Both(format, x);
        // Then they agree and the result comes back as bf16
        AssertBitEqual(reference.Quantized, fast.Quantized);
        AssertBitEqual(reference.Dequantized, fast.Dequantized, "dequantized");
        Assert.Equal(ScalarType.BFloat16, fast.Dequantized.dtype);
    }

    private static ((QuantizedTensor Quantized, Tensor Dequantized) Fast, (QuantizedTensor Quantized, Tensor Dequantized) Reference)
        Both(Case format, Tensor x)
    {
        switch (format)
        {
            case Case.Nf4 or Case.Nf4Nested or Case.Fp4 or Case.Fp4Nested:
                bool nested = format is Case.Nf4Nested or Case.Fp4Nested;
                var (qf, code) = format is Case.Nf4 or Case.Nf4Nested ? (QuantFormat.Nf4, Nf4.Codebook) : (QuantFormat.Fp4, Fp4.Codebook);
                var f4 = Blockwise4Bit.Quantize(x, qf, code, 64, nested, "x");
                var r4 = Blockwise4Bit.Reference.Quantize(x, qf, code, 64, nested, "x");
                return ((f4, Blockwise4Bit.Dequantize(f4, code, null)), (r4, Blockwise4Bit.Reference.Dequantize(r4, code, null)));
            case Case.Int8:
                var f8 = Int8Rowwise.Quantize(x);
                var r8 = Int8Rowwise.Reference.Quantize(x);
                return ((f8, Int8Rowwise.Dequantize(f8)), (r8, Int8Rowwise.Reference.Dequantize(r8)));
            case Case.Int4:
                var fi = Int4Groupwise.Quantize(x);
                var ri = Int4Groupwise.Reference.Quantize(x);
                return ((fi, Int4Groupwise.Dequantize(fi)), (ri, Int4Groupwise.Reference.Dequantize(ri)));
            case Case.Int4Asym:
                var fa = Int4AsymGroupwise.Quantize(x);
                var ra = Int4AsymGroupwise.Reference.Quantize(x);
                return ((fa, Int4AsymGroupwise.Dequantize(fa)), (ra, Int4AsymGroupwise.Reference.Dequantize(ra)));
            case Case.Q8_0:
                var fq8 = GgufQ8_0.Quantize(x);
                var rq8 = GgufQ8_0.Reference.Quantize(x);
                return ((fq8, GgufQ8_0.Dequantize(fq8)), (rq8, GgufQ8_0.Reference.Dequantize(rq8)));
            default:
                var fq4 = GgufQ4_0.Quantize(x);
                var rq4 = GgufQ4_0.Reference.Quantize(x);
                return ((fq4, GgufQ4_0.Dequantize(fq4)), (rq4, GgufQ4_0.Reference.Dequantize(rq4)));
        }
    }
}
