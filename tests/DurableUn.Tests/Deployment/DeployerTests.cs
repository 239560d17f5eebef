using DurableUn.Deployment;
using static DurableUn.Tests.Adapters.QLoraFixtures;
using static TorchSharp.torch;

namespace DurableUn.Tests.Deployment;

public class DeployerTests
{
    public static TheoryData<string> Precisions => new(Precision.All.Select(p => p.Name).Append("merged-fp32").Append("int4:g8:asym"));

    [Theory]
    [MemberData(nameof(Precisions))]
    public void Deploying_Leaves_The_Original_Untouched(string precision)
    {
        // Given
        using var model = Adapted();
        using var ids = Ids();
        using var before = model.Model.forward(ids).detach();
        var adapter = model.SnapshotAdapter();
        // When
        using var deployed = Deployer.Deploy(model, Precision.Parse(precision));
        using var deployedLogits = deployed.Model.forward(ids);
        // Then the original's logits and adapter are bit-identical, and the deployed model is finite and frozen
        Assert.Equal(0f, MaxAbsDiff(before, model.Model.forward(ids)));
        foreach (var (path, w) in adapter.Layers)
            Assert.True(w.A.eq(model.Adapter.Layers[path].A).all().item<bool>() && w.B.eq(model.Adapter.Layers[path].B).all().item<bool>(), path);
        Assert.True(deployedLogits.isfinite().all().item<bool>());
        Assert.DoesNotContain(deployed.Model.parameters(), p => p.requires_grad);
    }

    [Fact]
    public void Merged_Fp32_Equals_Base_Plus_Adapter_Within_Rounding()
    {
        // Given
        using var model = Adapted();
        using var ids = Ids();
        // When
        using var merged = Deployer.Deploy(model, Precision.MergedFp32);
        var diff = MaxAbsDiff(model.Model.forward(ids), merged.Model.forward(ids));
        // Then x·(W + sBA)ᵀ and x·Wᵀ + s·(x·Aᵀ)·Bᵀ differ by fp32 summation order only: measured ≈ 1e-7 on logits of
        // magnitude ≈ 0.1 here; 1e-5 leaves two orders of headroom and still catches a wrong scale or a transposed B.
        Assert.InRange(diff, 0f, 1e-5f);
    }

    [Fact]
    public void Merged_Nf4_Requantizes_With_The_Base_Blocksize_And_Double_Quant()
    {
        // Given a base with blocksize 128 and no double quantization
        using var model = Adapted(new DurableUn.Adapters.QLoraOptions { BlockSize = 128, DoubleQuant = false });
        // When
        using var merged = Deployer.Deploy(model, Precision.MergedNf4);
        // Then
        Assert.All(merged.MergedWeights.Values, w => Assert.True(w.Quantized is { BlockSize: 128, Nested: null }));
        Assert.Equal(model.Adapter.Layers.Count, merged.MergedWeights.Count);
    }
    [Theory]
    [MemberData(nameof(Precisions))]
    public void A_Deployed_Model_Gives_The_Logits_Of_Dequantizing_On_Every_Call(string precision)
    {
        // Given a deployment, whose projections were dequantized once (and, with fp32 compute, the adapter folded in)
        using var model = Adapted();
        using var ids = Ids();
        var p = Precision.Parse(precision);
        using var deployed = Deployer.Deploy(model, p);
        // And the same deployment built the old way: its adapter and merged weights over the quantized base, dequantized per call
        var settings = model.Settings with { Dropout = 0, Transform = null, ComputeDtype = p == Precision.Bf16 ? ScalarType.BFloat16 : model.Settings.ComputeDtype };
        var perCall = model.Base.Projections.ToDictionary(kv => kv.Key, kv => deployed.MergedWeights.GetValueOrDefault(kv.Key) ?? kv.Value);
        using var reference = model.Base.Build(deployed.Adapter, settings, registerAdapter: false, perCall);
        // Then the resident weights are dense, and the logits equal: bit for bit where nothing is folded (bf16, merged-*);
        // where A and B are folded into W, x·(W + sBA)ᵀ vs x·Wᵀ + s·(x·Aᵀ)·Bᵀ differ by fp32 summation order only
        // (measured ≈ 1e-7 on logits ≈ 0.1; 1e-5 still catches a wrong scale, a missing adapter or a transposed B).
        Assert.All(deployed.ResidentWeights.Values, w => Assert.Null(w.Quantized));
        var folded = p.Space == PrecisionSpace.Adapter && settings.ComputeDtype == ScalarType.Float32;
        Assert.InRange(MaxAbsDiff(reference.forward(ids), deployed.Model.forward(ids)), 0f, folded ? 1e-5f : 0f);
        Assert.Equal(p.Space == PrecisionSpace.Merged ? 0 : model.Adapter.Layers.Count, deployed.Adapter.Count);
    }

    [Fact]
    public void Whole_Model_Fp4_Stores_Every_Projection_As_Bitsandbytes_Fp4_Of_Its_Weight()
    {
        // Given a dense model (the full pipeline's: no quantized base, a zero adapter)
        var weights = Weights();
        using var model = DurableUn.Adapters.QLoraModel.FromWeights(Config, weights, new DurableUn.Adapters.QLoraOptions { BaseFormat = null });
        // When
        using var deployed = Deployer.Deploy(model, Precision.ModelFp4);
        // Then every projection is FP4 with blocks of 64 and fp32 absmax, byte for byte the reference twin's
        Assert.Equal(model.Base.Projections.Count, deployed.MergedWeights.Count);
        foreach (var (path, w) in deployed.MergedWeights)
        {
            var expected = DurableUn.Quantization.Blockwise4Bit.Reference.Quantize(weights[$"{path}.weight"], DurableUn.Quantization.QuantFormat.Fp4,
                DurableUn.Quantization.Fp4.Codebook, 64, doubleQuant: false, path);
            Assert.True(w.Quantized!.Codes.eq(expected.Codes).all().item<bool>(), $"{path}: codes differ");
            Assert.True(w.Quantized.Scales.eq(expected.Scales).all().item<bool>(), $"{path}: absmax differ");
            Assert.Null(w.Quantized.Nested);
        }
        foreach (var t in weights.Values) t.Dispose();
    }
}
