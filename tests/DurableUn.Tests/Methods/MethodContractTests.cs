using DurableUn.Methods;
using static TorchSharp.torch;

namespace DurableUn.Tests.Methods;

/// <summary>
/// One contract, every method of the catalog, on the memorised tiny model: the loss is finite,
/// gradients reach only the trainable parameters, a few steps make the forget set less likely, and a seed repeats.
/// </summary>
[Collection(TinyUnlearningCollection.Name)]
public sealed class MethodContractTests(TinyUnlearningSetup setup)
{
    public static TheoryData<string> Methods() => new(MethodCatalog.All.Select(e => e.Name));

    [Fact]
    public void The_Tiny_Model_Has_Memorised_The_Forget_Answers()
    {
        var (_, accuracy) = setup.ForgetScore(setup.Context().Model);
        Assert.True(accuracy > 0.9, $"forget accuracy after memorisation is {accuracy}");
    }

    [Theory]
    [MemberData(nameof(Methods))]
    public void Loss_Is_Finite_And_Its_Gradient_Reaches_Only_Trainable_Parameters(string name)
    {
        // Given a prepared method and the first batch
        using var scope = NewDisposeScope();
        var context = setup.Context();
        var (method, _) = MethodCatalog.Find(name).Build(["batch_size=2"]);
        method.Prepare(context);
        using var batch = new UnlearningBatcher(context.Data, (ulong)context.Seed, 2, method.Extras).Batch(0);
        // When its loss is back-propagated
        var loss = method.Loss(context, batch);
        loss.backward();
        // Then it is finite, every trainable parameter has a finite gradient, and nothing else has one
        Assert.True(float.IsFinite(loss.item<float>()), $"{name} loss {loss.item<float>()}");
        Assert.All(context.Trainable, p => Assert.True(p.grad is { } g && g.isfinite().all().item<bool>()));
        Assert.True(context.Trainable.Sum(p => p.grad!.abs().sum().item<float>()) > 0);
        Assert.All(context.Model.named_parameters().Where(kv => !TinyUnlearningSetup.IsTrainable(kv.name)), kv => Assert.Null(kv.parameter.grad));
        Assert.All(context.Reference.parameters(), p => Assert.Null(p.grad));
    }

    [Theory]
    [MemberData(nameof(Methods))]
    public void A_Few_Steps_Make_The_Forget_Set_Less_Likely_And_Repeat_Exactly_For_A_Seed(string name)
    {
        // Given two contexts on the same memorised weights and seed
        var entry = MethodCatalog.Find(name);
        string[] settings = ["steps=6", "lr=5e-3", "batch_size=2"];
        var (a, b) = (setup.Context(seed: 3), setup.Context(seed: 3));
        var (nllBefore, accuracyBefore) = setup.ForgetScore(a.Model);
        // When the method runs on each
        var curve = Unlearner.Run(a, entry.Build(settings).Method);
        Unlearner.Run(b, entry.Build(settings).Method);
        // Then forget NLL rose without NaN, accuracy did not rise, and both runs end on identical parameters
        var (nllAfter, accuracyAfter) = setup.ForgetScore(a.Model);
        Assert.All(curve, r => Assert.True(double.IsFinite(r.Loss)));
        Assert.True(nllAfter > nllBefore, $"{name}: forget NLL {nllBefore} → {nllAfter}");
        Assert.True(accuracyAfter <= accuracyBefore, $"{name}: forget accuracy {accuracyBefore} → {accuracyAfter}");
        for (var i = 0; i < a.Trainable.Count; i++)
            Assert.True(a.Trainable[i].eq(b.Trainable[i]).all().item<bool>(), $"{name}: trainable parameter {i} differs between runs with one seed");
    }
}
