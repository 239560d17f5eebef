using DurableUn.Randomness;

namespace DurableUn.Data;

/// <summary>
/// Pairs each forget item with a retain item for a batch, forget being the anchor (OU's ForgetRetainDataset:
/// length = |forget|, retain drawn uniformly). Here the draw is a pure function of (seed, epoch, forget index), so
/// a resumed run pairs exactly as the interrupted one did and no sampler state has to be saved.
/// Not: batching or shuffling of the forget order.
/// </summary>
public static class ForgetRetainPairing
{
    /// The retain index paired with forget item <paramref name="forgetIndex"/> in <paramref name="epoch"/>.
    public static int RetainIndex(int forgetIndex, int retainCount, ulong seed, int epoch = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(forgetIndex);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(retainCount);
        var h = SeededRng.Mix(SeededRng.Mix(SeededRng.Mix(seed) ^ (ulong)epoch) ^ (ulong)forgetIndex);
        // Multiply-high maps 64 uniform bits onto [0, n) with bias below n / 2^64, negligible for any data set.
        return (int)Math.BigMul(h, (ulong)retainCount, out _);
    }

    /// All pairs of one epoch, in forget order.
    public static IReadOnlyList<(int Forget, int Retain)> Pairs(int forgetCount, int retainCount, ulong seed, int epoch = 0) =>
        Enumerable.Range(0, forgetCount).Select(i => (i, RetainIndex(i, retainCount, seed, epoch))).ToList();
}
