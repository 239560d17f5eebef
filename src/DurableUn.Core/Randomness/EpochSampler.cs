
namespace DurableUn.Randomness;

/// <summary>
/// Deterministic mini-batches: each epoch is a fresh permutation of the examples (<see cref="SeededRng"/>, a fixed
/// algorithm, seeded from the run's seed and the epoch), cut into batches; the last batch of an epoch may be short.
/// Batch <c>k</c> is a pure function of (count, batch size, seed, k) in every process, so a resumed run, a Slurm shard
/// and a single-process study see the same data. (Not System.HashCode: it is randomised per process.)
/// </summary>
public static class EpochSampler
{
    public static int[] Batch(int count, int batchSize, long seed, int step)
    {
        if (count < 1) throw new ArgumentException("no examples to sample from");
        var perEpoch = (count + batchSize - 1) / batchSize;
        var epoch = step / perEpoch;
        var within = step % perEpoch;
        var order = SeededRng.For(SeededRng.Mix((ulong)seed) + (ulong)epoch, "finetune-order").Shuffled(Enumerable.Range(0, count));
        return order.Skip(within * batchSize).Take(batchSize).ToArray();
    }
}
