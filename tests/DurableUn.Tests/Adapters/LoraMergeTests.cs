using DurableUn.Adapters;
using DurableUn.Model;
using static DurableUn.Tests.Adapters.QLoraFixtures;
using static TorchSharp.torch;

namespace DurableUn.Tests.Adapters;

public class LoraMergeTests
{
    [Fact]
    public void A_Merged_Dense_Model_Computes_What_The_Adapter_On_A_Dense_Base_Computes()
    {
        // Given an adapter with non-zero B on a dense (unquantized) base, and the same base's weights
        using var adapted = Adapted(new QLoraOptions { BaseFormat = null });
        var weights = Weights();
        using var ids = Ids();
        // When the adapter is merged into the weights and a plain dense model loads them
        LoraMerge.Into(weights, adapted.SnapshotAdapter());
        using var merged = new CausalLm(Config, new DenseProjections());
        ModelWeights.Load(merged, weights, "merged");
        // Then both give the same logits, up to fp32 reassociation of x·(W + sBA) against x·W + s·(x·A)·B
        using var _ = no_grad();
        Assert.True(MaxAbsDiff(adapted.Model.forward(ids), merged.forward(ids)) < 1e-5);
        foreach (var t in weights.Values) t.Dispose();
    }

    [Fact]
    public void Merging_Into_Weights_Without_The_Target_Names_It()
    {
        // Given weights that lack one adapted projection
        using var adapted = Adapted(new QLoraOptions { BaseFormat = null });
        var weights = Weights();
        weights.Remove("model.layers.1.mlp.down_proj.weight");
        // When / Then
        var e = Assert.Throws<KeyNotFoundException>(() => LoraMerge.Into(weights, adapted.SnapshotAdapter()));
        Assert.Contains("model.layers.1.mlp.down_proj.weight", e.Message);
    }
}
