using DurableUn.Randomness;

namespace DurableUn.Tests.Randomness;

public class EpochSamplerTests
{
    [Fact]
    public void Batches_Are_Fixed_By_Seed_And_Step_Alone()
    {
        // Given 10 examples in batches of 4 (3 batches per epoch, the last one short), seed 7
        // When the first epoch and the first batch of the second are drawn
        var epoch0 = Enumerable.Range(0, 3).Select(step => EpochSampler.Batch(10, 4, seed: 7, step)).ToList();
        var epoch1 = EpochSampler.Batch(10, 4, seed: 7, step: 3);
        // Then the first epoch is a permutation of all ten, the second epoch another one, and both are the pinned
        // values: a per-process hash (System.HashCode) in the seed once made every process shuffle differently
        Assert.Equal(Enumerable.Range(0, 10), epoch0.SelectMany(b => b).Order());
        Assert.Equal([4, 4, 2], epoch0.Select(b => b.Length));
        Assert.Equal(new[] { 3, 5, 0, 2 }, epoch0[0]);
        Assert.Equal(new[] { 7, 2, 8, 6 }, epoch1);
    }
}
