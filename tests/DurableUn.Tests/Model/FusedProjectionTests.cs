using DurableUn.Adapters;
using DurableUn.Deployment;
using DurableUn.Model;
using DurableUn.Tensors;
using static DurableUn.Tests.Adapters.QLoraFixtures;
using static TorchSharp.torch;

namespace DurableUn.Tests.Model;

/// <summary>Fused q/k/v and gate/up matmuls against the separate projections they stand for.</summary>
public class FusedProjectionTests
{
    public FusedProjectionTests() => NativeTorch.EnsureLoaded();

    /// fp32 GEMMs of different widths may sum in another order: a few ulps of logits around 1.
    private const float Tolerance = 1e-5f;

    [Fact]
    public void A_Dense_Model_Gives_The_Same_Logits_With_Fused_Projections()
    {
        manual_seed(31);
        using var model = new CausalLm(ModelFixtures.Tiny(), new DenseProjections());
        AssertFusedLogitsMatch(model);
    }

    [Fact]
    public void A_Deployed_Nf4_Model_Gives_The_Same_Logits_With_Fused_Projections()
    {
        using var qlora = Adapted();
        using var deployed = Deployer.Deploy(qlora, Precision.Nf4);
        AssertFusedLogitsMatch(deployed.Model);
    }

    [Fact]
    public void A_Projection_With_An_Adapter_Is_Never_Fused_Since_Lora_Applies_Per_Projection()
    {
        using var qlora = Adapted();
        var lora = qlora.Model.modules().OfType<LoraLinear>().First(l => l.Adapter is not null);
        Assert.Null(lora.FusableWeight(ScalarType.Float32));
        // and the adapted model, every projection adapted, runs unfused with unchanged logits
        AssertFusedLogitsMatch(qlora.Model, exact: true);
    }

    [Fact]
    public void Fusing_Leaves_The_Hugging_Face_Parameter_Names_As_They_Are()
    {
        manual_seed(32);
        using var model = new CausalLm(ModelFixtures.Tiny(), new DenseProjections());
        var before = model.named_parameters().Select(p => p.name).ToList();
        using (model.FuseProjections())
            Assert.Equal(before, model.named_parameters().Select(p => p.name).ToList());
        Assert.Contains("model.layers.0.self_attn.q_proj.weight", before);
    }

    private static void AssertFusedLogitsMatch(CausalLm model, bool exact = false)
    {
        using var _ = no_grad();
        var ids = Ids();
        using var separate = model.forward(ids);                                   // (B, T, V)
        using var cache = new KvCache(model.Config.NumHiddenLayers);
        Tensor fused, stepped, steppedSeparate;
        using (var fusion = model.FuseProjections())
        {
            Assert.Equal(!exact, fusion.Active);                                    // fused exactly where no adapter is attached
            fused = model.forward(ids);
            model.Forward(ids.narrow(1, 0, 6), null, cache);
            stepped = model.Forward(ids.narrow(1, 6, 1), null, cache).Logits;       // a decode step on the cache
        }
        using var plainCache = new KvCache(model.Config.NumHiddenLayers);
        model.Forward(ids.narrow(1, 0, 6), null, plainCache);
        steppedSeparate = model.Forward(ids.narrow(1, 6, 1), null, plainCache).Logits;
        Assert.True(MaxAbsDiff(separate, fused) <= (exact ? 0 : Tolerance), $"prefill logits differ by {MaxAbsDiff(separate, fused)}");
        Assert.True(MaxAbsDiff(steppedSeparate, stepped) <= (exact ? 0 : Tolerance), $"decode logits differ by {MaxAbsDiff(steppedSeparate, stepped)}");
    }
}
