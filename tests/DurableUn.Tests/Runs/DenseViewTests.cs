using DurableUn.Model;
using DurableUn.Runs;
using DurableUn.Tests.Adapters;
using static TorchSharp.torch;

namespace DurableUn.Tests.Runs;

public class DenseViewTests
{
    [Fact]
    public void A_Loss_On_The_View_Reaches_The_Trainable_Projections_And_Freezes_None_Of_Them()
    {
        // Given a dense model with every weight trainable
        manual_seed(1);
        using var model = new CausalLm(QLoraFixtures.Config, new DenseProjections());
        foreach (var p in model.parameters()) p.requires_grad = true;
        // When a view doubles every projection weight and a loss on it is back-propagated
        using var view = DenseView.Of(model, w => w * 2);
        using var ids = QLoraFixtures.Ids();
        view.forward(ids).square().mean().backward();
        // Then every projection of the trainable model got a gradient and is still trainable, and the view owns no projection
        var projections = model.named_parameters().Where(p => p.name.EndsWith("_proj.weight", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(projections);
        Assert.All(projections, p =>
        {
            Assert.True(p.parameter.requires_grad, $"{p.name} was frozen");
            Assert.True(p.parameter.grad is { } g && g.abs().sum().item<float>() > 0, $"{p.name} got no gradient");
        });
        Assert.DoesNotContain(view.named_parameters(), p => p.name.Contains("_proj", StringComparison.Ordinal));
    }

    [Fact]
    public void The_View_Computes_With_The_Transformed_Weights()
    {
        manual_seed(2);
        using var model = new CausalLm(QLoraFixtures.Config, new DenseProjections());
        using var ids = QLoraFixtures.Ids();
        using var identity = DenseView.Of(model, w => w);
        using var _ = no_grad();
        Assert.True(QLoraFixtures.MaxAbsDiff(model.forward(ids), identity.forward(ids)) < 1e-6f);
    }
}
