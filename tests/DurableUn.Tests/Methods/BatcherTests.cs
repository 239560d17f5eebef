using DurableUn.Data;
using DurableUn.Data.Tokenized;
using DurableUn.Methods;

namespace DurableUn.Tests.Methods;

[Collection(TinyUnlearningCollection.Name)]
public sealed class BatcherTests(TinyUnlearningSetup setup)
{
    [Fact]
    public void Every_Epoch_Visits_Each_Forget_Item_Once_In_A_Seeded_Order()
    {
        // Given 4 forget items in batches of 3 (two batches per epoch, the second of one item)
        var batcher = new UnlearningBatcher(setup.Data, 5, 3, BatchExtras.None);
        var again = new UnlearningBatcher(setup.Data, 5, 3, BatchExtras.None);
        // When three epochs are drawn
        var epochs = Enumerable.Range(0, 3).Select(e => batcher.ForgetIndices(2 * e).Concat(batcher.ForgetIndices(2 * e + 1)).ToList()).ToList();
        // Then each epoch is a permutation of 0..3, and the same seed gives the same order
        Assert.All(epochs, order => Assert.Equal([0, 1, 2, 3], order.Order()));
        Assert.Single(batcher.ForgetIndices(1));
        Assert.Equal(Enumerable.Range(0, 6).Select(s => again.ForgetIndices(s)), Enumerable.Range(0, 6).Select(s => batcher.ForgetIndices(s)));
    }

    [Fact]
    public void Relabelled_Rows_Keep_The_Forget_Question_And_Take_Another_Items_Answer()
    {
        var batcher = new UnlearningBatcher(setup.Data, 9, 4, BatchExtras.Relabelled);
        for (var epoch = 0; epoch < 5; epoch++)
            for (var i = 0; i < setup.Data.Forget.Count; i++)
                Assert.NotEqual(i, batcher.Mismatched(i, epoch));
        using var batch = batcher.Batch(0);
        var indices = batcher.ForgetIndices(0);
        var expected = indices.Select(i => new EncodedExample(setup.Data.Forget[i].PromptIds, setup.Data.Forget[batcher.Mismatched(i, 0)].CompletionIds)).ToList();
        using var built = TokenBatch.RightPadded(expected, setup.Data.PadId);
        Assert.True(batch.RequireRelabelled().InputIds.eq(built.InputIds).all().item<bool>());
        Assert.True(batch.RequireRelabelled().Labels.eq(built.Labels).all().item<bool>());
    }

    [Fact]
    public void Idk_Rows_Answer_The_Forget_Question_With_A_Refusal_And_Eos()
    {
        var batcher = new UnlearningBatcher(setup.Data, 9, 4, BatchExtras.Idk);
        using var batch = batcher.Batch(0);
        var indices = batcher.ForgetIndices(0);
        var refusals = Refusals.All.Select(r => setup.Encoder.Encode(string.Empty, r).CompletionIds).ToList();
        for (var row = 0; row < indices.Count; row++)
        {
            var prompt = setup.Data.Forget[indices[row]].PromptIds;
            var ids = batch.RequireIdk().InputIds[row].data<long>().Select(v => (int)v).ToArray();
            Assert.Equal(prompt, ids[..prompt.Length]);
            Assert.Contains(refusals, r => ids.Skip(prompt.Length).Take(r.Length).SequenceEqual(r) && r[^1] == setup.Encoder.Tokenizer.EosId);
        }
    }

    [Fact]
    public void Idk_Without_An_Encoder_Fails_Before_Training()
    {
        var e = Assert.Throws<ArgumentException>(() => new UnlearningBatcher(setup.Data with { Encoder = null }, 1, 2, BatchExtras.Idk));
        Assert.Contains("encoder", e.Message);
    }
}
