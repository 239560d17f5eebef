using DurableUn.Methods;
using DurableUn.Tensors;
using static TorchSharp.torch;

namespace DurableUn.Tests.Methods;

[Collection(TinyUnlearningCollection.Name)]
public sealed class MaskTests(TinyUnlearningSetup setup)
{

    [Fact]
    public void SalUn_Keeps_The_Global_Top_Half_Of_Absolute_Gradients_Across_Tensors()
    {
        // Given gradients with 8 entries in two tensors; |g| ranked: 9, 8, 7, 6 | 4, 3, 2, 1
        var a = tensor(new float[,] { { 9, -1 }, { 0.5f, -7 } });      // |g| 9, 1, 0.5, 7
        var b = tensor(new float[] { -8, 2, 6, -3 });                  // |g| 8, 2, 6, 3
        // When the mask keeps half of them
        var masks = SalUn.MaskFrom([a, b], 0.5);
        // Then exactly 9, 7 (in a) and 8, 6 (in b) survive, each mask shaped as its gradient
        Assert.Equal(new float[] { 1, 0, 0, 1 }, masks[0].reshape(-1).data<float>().ToArray());
        Assert.Equal(new long[] { 2, 2 }, masks[0].shape);
        Assert.Equal(new float[] { 1, 0, 1, 0 }, masks[1].data<float>().ToArray());
    }

    [Fact]
    public void SalUn_Rounds_The_Kept_Count_Up_And_A_Full_Fraction_Keeps_Everything()
    {
        var g = tensor(new float[] { 1, 5, 3 });
        Assert.Equal(new float[] { 0, 1, 1 }, SalUn.MaskFrom([g], 0.5)[0].data<float>().ToArray());   // ⌈1.5⌉ = 2
        Assert.Equal(new float[] { 1, 1, 1 }, SalUn.MaskFrom([g], 1.0)[0].data<float>().ToArray());
    }

    [Fact]
    public void Sure_Keeps_Rows_At_Or_Above_The_Percentile_Of_All_Row_Norms()
    {
        // Given row norms 5, 1 (matrix a), 1, 0, 2 (matrix b) and |g| 0.5, 6 (vector c):
        // sorted 0, 0.5, 1, 1, 2, 5, 6 → the 50th percentile (numpy linear) is 1
        var a = tensor(new float[,] { { 3, 4 }, { 0, 1 } });
        var b = tensor(new float[,] { { 1, 0 }, { 0, 0 }, { 0, -2 } });
        var c = tensor(new float[] { -0.5f, 6 });
        // When SURE's masks are taken at the 50th percentile
        var masks = Sure.RowMasks([a, b, c], 50);
        // Then rows with norm ≥ 1 are kept whole, the zero row and the 0.5 entry are dropped
        Assert.Equal(new float[] { 1, 1 }, masks[0].reshape(-1).data<float>().ToArray());
        Assert.Equal(new long[] { 2, 1 }, masks[0].shape);
        Assert.Equal(new float[] { 1, 0, 1 }, masks[1].reshape(-1).data<float>().ToArray());
        Assert.Equal(new float[] { 0, 1 }, masks[2].data<float>().ToArray());
    }

    [Fact]
    public void Sure_Interpolates_The_Percentile_Like_Numpy()
    {
        // Given norms 1, 2, 3, 4: numpy's 90th percentile is 3 + 0.7·(4 − 3) = 3.7, so only the 4 survives
        var g = tensor(new float[] { 1, 2, 3, 4 });
        Assert.Equal(new float[] { 0, 0, 0, 1 }, Sure.RowMasks([g], 90)[0].data<float>().ToArray());
    }

    [Theory]
    [InlineData("salun")]
    [InlineData("sure")]
    public void The_Gradient_Edit_Zeroes_Exactly_The_Masked_Entries(string name)
    {
        // Given a prepared method on the tiny model and a step's gradient
        var context = setup.Context();
        var (method, _) = MethodCatalog.Find(name).Build(["batch_size=2"]);
        method.Prepare(context);
        using var batcher = new BatcherScope(context, method);
        method.Loss(context, batcher.Batch).backward();
        var before = context.Trainable.Select(p => p.grad!.clone()).ToList();
        var masks = name == "salun" ? ((SalUn)method).Masks : Sure.RowMasks(SureForgetGradients(context, batcher.Batch), 90);
        // When the method edits the gradients
        method.EditGradients(context);
        // Then each gradient equals the old one times its mask: zero where masked, untouched elsewhere
        for (var i = 0; i < before.Count; i++)
            Assert.True(context.Trainable[i].grad!.eq(before[i] * masks[i]).all().item<bool>(), $"parameter {i}");
        Assert.Contains(masks, m => m.eq(0).any().item<bool>());
    }

    private static Tensor[] SureForgetGradients(UnlearningContext context, UnlearningBatch batch)
    {
        var loss = GradAscent.Of(Scored.Of(context.Model, batch.Forget));
        return autograd.grad([loss], context.Trainable.Cast<Tensor>().ToList()).Select(g => g.detach()).ToArray();
    }

    /// The first batch of a run, disposed with the test.
    private sealed class BatcherScope(UnlearningContext context, IUnlearningMethod method) : IDisposable
    {
        public UnlearningBatch Batch { get; } =
            new UnlearningBatcher(context.Data, (ulong)context.Seed, method.Options.BatchSize, method.Extras).Batch(0);

        public void Dispose() => Batch.Dispose();
    }
}
