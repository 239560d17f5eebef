using DurableUn.Deployment;
using DurableUn.Quantization;
using static TorchSharp.torch;

namespace DurableUn.Tests.Deployment;

public class InBinUpdateTests
{
    /// Format, block, and an update of about half the format's step on weights of std 0.02 (absmax ≈ 0.06: a 4-bit
    /// step ≈ 0.008, an INT8 step ≈ 0.0005).
    public static TheoryData<QuantFormat, int, float> Formats => new()
    {
        { QuantFormat.Nf4, 64, 0.004f }, { QuantFormat.Fp4, 64, 0.004f }, { QuantFormat.Int4, 32, 0.004f }, { QuantFormat.Int8, 0, 0.00025f },
    };

    private static (Tensor Target, Tensor Unlearned) Pair(long seed, float updateStd)
    {
        using var generator = new Generator((ulong)seed);
        var target = randn([16, 128], generator: generator) * 0.02f;                         // (out, in)
        var update = randn([16, 128], generator: generator) * updateStd;
        return (target, target + update);
    }

    private static QuantSpec Spec(QuantFormat format, int block) =>
        format == QuantFormat.Int8 ? new QuantSpec(format) : new QuantSpec(format) { BlockSize = block };

    [Theory, MemberData(nameof(Formats))]
    public void The_Clipped_Update_Quantizes_To_Exactly_The_Targets_Codes_And_Scales(QuantFormat format, int block, float updateStd)
    {
        var (t, u) = Pair(1, updateStd);
        var spec = Spec(format, block);
        var clipped = InBinUpdate.Clip(t, u, spec);
        var qt = Quantizer.Quantize(t, spec);
        var qc = Quantizer.Quantize(clipped, spec);
        Assert.True(qt.Codes.eq(qc.Codes).all().item<bool>(), "codes moved");
        Assert.True(qt.Scales.eq(qc.Scales).all().item<bool>(), "scales moved");
        Assert.True(Quantizer.Dequantize(qt).eq(Quantizer.Dequantize(qc)).all().item<bool>(), "the deployed weights differ");
    }

    [Theory, MemberData(nameof(Formats))]
    public void It_Keeps_Every_Update_That_Already_Stays_In_Its_Bin_And_Part_Of_The_Others(QuantFormat format, int block, float updateStd)
    {
        var (t, u) = Pair(2, updateStd);
        var spec = Spec(format, block);
        var clipped = InBinUpdate.Clip(t, u, spec);
        var kept = (clipped - t) / (u - t);                                                     // per element, in [0, 1]
        Assert.True(kept.ge(-1e-6).logical_or((u - t).eq(0)).all().item<bool>(), "an element moved away from its update");
        Assert.True(kept.le(1 + 1e-6).all().item<bool>(), "an element moved past its update");
        var whole = kept.ge(1 - 1e-6).to_type(ScalarType.Float32).mean().item<float>();
        Assert.InRange(whole, 0.05f, 0.999f);                                                   // most, not all, updates stay in bin at half a step
    }

    [Fact]
    public void An_Update_That_Crosses_No_Bin_Edge_Comes_Back_Unchanged()
    {
        using var generator = new Generator(5);
        var t = Quantizer.RoundTrip(randn([8, 64], generator: generator), new QuantSpec(QuantFormat.Int4) { BlockSize = 64 });  // on the grid
        var scale = t.abs().amax([1L], keepdim: true) / 7;                                        // (8, 1) each row's step
        var u = t + scale * 0.1f * (t.abs().lt(t.abs().amax([1L], keepdim: true))).to_type(ScalarType.Float32);   // a tenth of a step, absmax untouched
        var clipped = InBinUpdate.Clip(t, u, new QuantSpec(QuantFormat.Int4) { BlockSize = 64 });
        Assert.True((clipped - u).abs().max().item<float>() < 1e-7f);
    }
}
