namespace DurableUn.Finetuning;

/// <summary>
/// Deterministic mini-batches: each epoch is a fresh permutation of the examples (System.Random with a seed, whose
/// seeded algorithm .NET keeps stable for compatibility), cut into batches; the last batch of an epoch may be short.
/// Batch <c>k</c> is a pure function of (count, batch size, seed, k), so a resumed run sees the same data.
/// </summary>
public static class EpochSampler
{
    public static int[] Batch(int count, int batchSize, long seed, int step)
    {
        if (count < 1) throw new ArgumentException("no examples to sample from");
        var perEpoch = (count + batchSize - 1) / batchSize;
        var epoch = step / perEpoch;
        var within = step % perEpoch;
        var order = Enumerable.Range(0, count).ToArray();
        new Random(HashCode.Combine(seed, epoch) & int.MaxValue).Shuffle(order);
        return order.Skip(within * batchSize).Take(batchSize).ToArray();
    }
}
