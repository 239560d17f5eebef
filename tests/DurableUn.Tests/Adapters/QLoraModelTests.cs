using DurableUn.Adapters;
using DurableUn.Quantization;
using static DurableUn.Tests.Adapters.QLoraFixtures;
using static TorchSharp.torch;

namespace DurableUn.Tests.Adapters;

public class QLoraModelTests
{
    [Fact]
    public void Adapter_Parameters_Carry_Peft_Names_And_Shapes()
    {
        // Given / When
        using var model = Adapted();
        var names = model.Model.named_parameters().ToDictionary(p => p.name, p => p.parameter.shape);
        // Then A is [r, in] and B [out, r] under PEFT's names; the NF4 base is no parameter at all
        Assert.Equal([8L, 16], names["model.layers.0.self_attn.q_proj.lora_A.weight"]);
        Assert.Equal([40L, 8], names["model.layers.1.mlp.up_proj.lora_B.weight"]);
        Assert.DoesNotContain("model.layers.0.self_attn.q_proj.weight", names.Keys);
        Assert.Equal(2 * 7 * 2, model.TrainableParameters.Count);
    }

    [Fact]
    public void A_Fresh_Adapter_Leaves_The_Nf4_Base_Logits_Unchanged()
    {
        // Given PEFT's init (B = 0) and the same base with no adapter at all
        using var fresh = QLoraModel.FromWeights(Config, Weights(), new QLoraOptions(), seed: 1);
        using var bare = fresh.WithAdapter(fresh.SnapshotAdapter() with { Layers = fresh.Adapter.Layers.ToDictionary(kv => kv.Key, kv => kv.Value with { A = zeros_like(kv.Value.A) }) });
        using var ids = Ids();
        // When / Then
        Assert.Equal(0f, MaxAbsDiff(fresh.Model.forward(ids), bare.Model.forward(ids)));
    }

    [Fact]
    public void Gradients_Reach_Only_The_Adapter_Parameters()
    {
        // Given
        using var model = Adapted();
        using var ids = Ids();
        // When
        model.Model.forward(ids).square().mean().backward();
        // Then every lora matrix has a non-zero gradient and nothing else requires or holds one
        foreach (var (name, p) in model.Model.named_parameters())
        {
            var isAdapter = name.Contains(".lora_");
            Assert.Equal(isAdapter, p.requires_grad);
            if (isAdapter) Assert.True(p.grad!.abs().sum().item<float>() > 0, name);
            else Assert.Null(p.grad);
        }
    }

    [Fact]
    public void WithAdapter_Shares_The_Quantized_Base_And_Reproduces_The_Logits()
    {
        // Given a trained-looking target and a reference made from its snapshot
        using var target = Adapted();
        using var reference = target.WithAdapter(target.SnapshotAdapter());
        using var ids = Ids();
        // Then the base weights are the same objects, not copies
        foreach (var (path, w) in target.Base.Projections)
            Assert.Same(w, reference.Base.Projections[path]);
        Assert.Same(target.Base, reference.Base);
        // And the logits agree until the target trains
        Assert.Equal(0f, MaxAbsDiff(target.Model.forward(ids), reference.Model.forward(ids)));
        using (no_grad()) target.Adapter.Layers.Values.First().B.add_(0.1f);
        Assert.True(MaxAbsDiff(target.Model.forward(ids), reference.Model.forward(ids)) > 0);
    }

    [Fact]
    public void Saf_View_Back_Propagates_Into_The_Original_Adapter_With_Different_Gradients()
    {
        // Given a model and a view that fake-quantizes A and B to INT4 (STE), groups along each row
        using var model = Adapted();
        using var view = model.View(w => FakeQuant.Int4(w, (int)Math.Min(w.shape[^1], 64)));
        using var ids = Ids();
        // When the same loss is taken on the plain model and on the view
        model.Model.forward(ids).square().mean().backward();
        var plain = model.TrainableParameters.Select(p => p.grad!.clone()).ToList();
        foreach (var p in model.TrainableParameters) p.grad!.zero_();
        view.forward(ids).square().mean().backward();
        // Then the view's gradients land on the original Parameters, and differ from the plain ones
        var viewed = model.TrainableParameters.Select(p => p.grad!).ToList();
        Assert.All(viewed, g => Assert.True(g.abs().sum().item<float>() > 0));
        Assert.True(plain.Zip(viewed).Max(pair => MaxAbsDiff(pair.First, pair.Second)) > 1e-6f);
        Assert.DoesNotContain(view.parameters(), p => p.requires_grad);
    }

    [Fact]
    public void Fast_Dequantize_Equals_The_Reference_Bit_For_Bit()
    {
        // Given an odd-sized tensor over several 256-blocks of absmax, double-quantized
        manual_seed(5);
        using var x = randn(3, 64 * 300 + 7);
        var q = Nf4.Quantize(x, 64, doubleQuant: true);
        // When
        using var fast = FrozenWeight.FromQuantized(q).Weight(ScalarType.Float32);
        using var reference = Nf4.Dequantize(q, ScalarType.Float32);
        // Then
        Assert.True(fast.eq(reference).all().item<bool>());
    }

    [Fact]
    public void Bf16_Compute_Stays_Close_To_Fp32_Compute()
    {
        // Given the same weights and adapter in both compute dtypes
        using var fp32 = Adapted();
        using var bf16 = Adapted(new QLoraOptions { ComputeDtype = ScalarType.BFloat16 });
        using var ids = Ids();
        // When / Then bf16 has 8 mantissa bits: logits of this tiny model agree to a few 1e-2
        Assert.InRange(MaxAbsDiff(fp32.Model.forward(ids), bf16.Model.forward(ids)), 0f, 0.05f);
    }

    [Fact]
    public void A_Dense_Base_Variant_Keeps_Fp32_Projections()
    {
        // Given
        using var dense = Adapted(new QLoraOptions { BaseFormat = null });
        // Then
        Assert.All(dense.Base.Projections.Values, w => Assert.NotNull(w.Dense));
    }

    [Fact]
    public void A_Non_Finite_Weight_Is_Rejected_Naming_The_Tensor()
    {
        // Given
        var weights = Weights();
        weights["model.layers.1.mlp.down_proj.weight"][0, 3] = float.NaN;
        // When
        var e = Assert.ThrowsAny<Exception>(() => QLoraModel.FromWeights(Config, weights, new QLoraOptions()));
        // Then
        Assert.Contains("model.layers.1.mlp.down_proj.weight", e.Message);
    }

    [Fact]
    public void Non_Target_Projections_Stay_Frozen_Nf4()
    {
        // Given only q and v adapted
        using var model = Adapted(new QLoraOptions { Lora = new LoraOptions { TargetModules = ["q_proj", "v_proj"] } });
        // Then
        Assert.Equal(2 * 2, model.Adapter.Layers.Count);
        Assert.Equal(2 * 2 * 2, model.TrainableParameters.Count);
        Assert.All(model.Base.Projections.Values, w => Assert.Equal(QuantFormat.Nf4, w.Quantized!.Format));
    }
}
