using DurableUn.Adapters;
using DurableUn.Data;
using DurableUn.Deployment;
using DurableUn.Experiments.Specs;
using DurableUn.Methods;
using DurableUn.Pipelines;
using DurableUn.Tests.Adapters;
using static TorchSharp.torch;

namespace DurableUn.Tests.Methods;

/// <summary>
/// SAF at a merged-* precision: its view rounds each adapted projection's merged weight W + scale·B·A exactly as the
/// merge deployment does, and the gradient passes that rounding straight through into A and B.
/// </summary>
[Collection(TinyUnlearningCollection.Name)]
public sealed class SafMergedTests(TinyUnlearningSetup setup)
{
    [Theory]
    [InlineData("merged-nf4")]
    [InlineData("merged-int4")]
    public void The_Merged_View_Computes_What_The_Merged_Deployment_Computes(string precision)
    {
        // Given a QLoRA model (NF4 base with double quantization, a non-zero adapter) and SAF at a merged precision
        using var scope = NewDisposeScope();
        using var model = QLoraFixtures.Adapted();
        var saf = new Saf(new SafOptions { Precision = Precision.Parse(precision) });
        var ids = QLoraFixtures.Ids();
        // When the merged view and the merge deployment run the same tokens
        using var view = model.MergedView(w => w, saf.FakeQuantizeMerged);
        using var deployed = Deployer.Deploy(model, Precision.Parse(precision));
        using var _ = no_grad();
        // Then their logits agree to float32 summation order, while the unrounded model's do not
        var viewLogits = view.forward(ids);
        Assert.True(QLoraFixtures.MaxAbsDiff(viewLogits, deployed.Model.forward(ids)) < 1e-4);
        Assert.True(QLoraFixtures.MaxAbsDiff(viewLogits, model.Model.forward(ids)) > 1e-3);
    }

    [Fact]
    public void Its_Gradient_Passes_The_Rounding_Unchanged_And_Reaches_A_And_B()
    {
        // Given the merged-nf4 view, with the merged weight before and after rounding kept for inspection
        using var scope = NewDisposeScope();
        using var model = QLoraFixtures.Adapted();
        var saf = new Saf(new SafOptions { Precision = Precision.MergedNf4 });
        var (before, after) = (new List<Tensor>(), new List<Tensor>());
        using var view = model.MergedView(w => w, (w, baseWeight) =>
        {
            w.retain_grad();
            var q = saf.FakeQuantizeMerged(w, baseWeight);
            q.retain_grad();
            before.Add(w.DetachFromDisposeScope());   // kept past the layer's own dispose scope, for their gradients
            after.Add(q.DetachFromDisposeScope());
            return q;
        });
        // When a loss on its logits is back-propagated
        view.forward(QLoraFixtures.Ids()).square().mean().backward();
        // Then every merged weight's gradient equals the rounded weight's (straight through), and A and B have finite,
        // non-zero gradients
        Assert.Equal(model.Adapter.Layers.Count, before.Count);
        for (var i = 0; i < before.Count; i++)
            Assert.True(before[i].grad!.eq(after[i].grad!).all().item<bool>(), $"projection {i}: the rounding changed the gradient");
        Assert.All(model.Adapter.Layers.Values, w =>
        {
            foreach (var m in new[] { w.A, w.B })
                Assert.True(m.grad is { } g && g.isfinite().all().item<bool>() && g.abs().sum().item<float>() > 0);
        });
    }

    [Fact]
    public void At_A_Merged_Precision_It_Refuses_A_Model_With_No_Adapter_On_A_Frozen_Base()
    {
        // Given a context whose every projection trains (the full pipeline's), which has no merged view
        var context = setup.Context();
        var saf = new Saf(new SafOptions { Precision = Precision.MergedNf4 });
        // When SAF prepares, then it names the key, the value and why
        var e = Assert.Throws<ArgumentException>(() => saf.Prepare(context));
        Assert.Equal("precision", e.ParamName);
        Assert.Contains("merged-nf4", e.Message);
        Assert.Contains("no adapter", e.Message);
    }

    [Fact]
    public void A_Sweep_Of_The_Full_Pipeline_Refuses_A_Merged_Precision_Before_Any_Work_Naming_The_Point_And_Key()
    {
        var spec = SweepSpec.For(DurableUn.Presets.ModelPreset.Smoke, MethodCatalog.Saf, DatasetKind.Tofu, Pipeline.Full) with { Grid = [GridAxis.Parse("precision=model-int4,merged-nf4")] };
        var e = Assert.Throws<ArgumentException>(() => spec.Validate());
        Assert.Equal("precision", e.ParamName);
        Assert.Contains("merged-nf4", e.Message);
        Assert.Contains("full pipeline has none", e.Message);
        (spec with { Grid = [GridAxis.Parse("precision=model-int4,model-fp4")] }).Validate();
    }

    [Fact]
    public void It_Starts_From_What_Each_Pipeline_Ships_And_Other_Methods_Start_Alike_Everywhere()
    {
        Assert.Equal(Precision.Int4, ((SafOptions)MethodCatalog.Saf.DefaultsFor(Pipeline.Adapter)).Precision);
        Assert.Equal(Precision.MergedNf4, ((SafOptions)MethodCatalog.Saf.DefaultsFor(Pipeline.FreshAdapter)).Precision);
        Assert.Equal(Precision.ModelInt4, ((SafOptions)MethodCatalog.Saf.DefaultsFor(Pipeline.Full)).Precision);
        Assert.All(MethodCatalog.All.Where(e => e != MethodCatalog.Saf), entry =>
            Assert.All(Pipelines.Pipelines.All, p => Assert.Equal(entry.Defaults(), entry.DefaultsFor(p))));
    }

    [Fact]
    public void A_Set_Precision_Overrides_The_Pipeline_Default()
    {
        var (_, resolved) = MethodCatalog.Saf.Build(MethodCatalog.Saf.DefaultsFor(Pipeline.FreshAdapter));
        Assert.Equal(Precision.MergedNf4.Name, resolved["precision"].ToString());
        var options = MethodSettings.Apply(MethodCatalog.Saf.DefaultsFor(Pipeline.FreshAdapter), ["precision=int4"]).Options;
        Assert.Equal(Precision.Int4, ((SafOptions)options).Precision);
    }
}
