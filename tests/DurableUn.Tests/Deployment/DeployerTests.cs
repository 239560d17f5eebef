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
        // Given a deployment, whose projections were dequantized once into dense weights
        using var model = Adapted();
        using var ids = Ids();
        var p = Precision.Parse(precision);
        using var deployed = Deployer.Deploy(model, p);
        // And the same deployment built the old way: its adapter and merged weights over the quantized base, dequantized per call
        var settings = model.Settings with { Dropout = 0, Transform = null, ComputeDtype = p == Precision.Bf16 ? ScalarType.BFloat16 : model.Settings.ComputeDtype };
        var adapter = deployed.Model.named_modules()
            .Where(m => m.module is DurableUn.Adapters.LoraLinear { Adapter: not null })
            .ToDictionary(m => m.name, m => ((DurableUn.Adapters.LoraLinear)m.module).Adapter!);
        var perCall = model.Base.Projections.ToDictionary(kv => kv.Key, kv => deployed.MergedWeights.GetValueOrDefault(kv.Key) ?? kv.Value);
        using var reference = model.Base.Build(adapter, settings, registerAdapter: false, perCall);
        // Then the logits are bit-identical: the resident weights are the values each call would have made
        Assert.All(deployed.ResidentWeights.Values, w => Assert.Null(w.Quantized));
        Assert.Equal(0f, MaxAbsDiff(reference.forward(ids), deployed.Model.forward(ids)));
    }
}
