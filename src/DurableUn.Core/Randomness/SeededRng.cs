namespace DurableUn.Randomness;

/// <summary>
/// xoshiro256** seeded through SplitMix64 (Blackman and Vigna, https://prng.di.unimi.it/). Synthetic data must be
/// byte-identical for a seed on every machine and every .NET version, and System.Random's algorithm is not part
/// of its contract, so the generators draw only from this.
/// Not: cryptographic, and not thread-safe.
/// </summary>
internal sealed class SeededRng
{
    private ulong _s0, _s1, _s2, _s3;

    public SeededRng(ulong seed)
    {
        var sm = seed;
        _s0 = SplitMix64(ref sm);
        _s1 = SplitMix64(ref sm);
        _s2 = SplitMix64(ref sm);
        _s3 = SplitMix64(ref sm);
    }

    /// An independent stream for one part of a dataset, so that adding draws to one part does not shift another.
    public static SeededRng For(ulong seed, string stream)
    {
        var h = seed;
        foreach (var c in stream) h = Mix(h ^ c);
        return new SeededRng(h);
    }

    public ulong NextUInt64()
    {
        var result = RotateLeft(_s1 * 5, 7) * 9;
        var t = _s1 << 17;
        _s2 ^= _s0;
        _s3 ^= _s1;
        _s1 ^= _s2;
        _s0 ^= _s3;
        _s2 ^= t;
        _s3 = RotateLeft(_s3, 45);
        return result;
    }

    /// Uniform in [0, n), without modulo bias (rejection on the top of the range).
    public int Next(int n)
    {
        if (n <= 0) throw new ArgumentOutOfRangeException(nameof(n), n, "must be positive");
        var limit = ulong.MaxValue - ulong.MaxValue % (ulong)n;
        ulong x;
        do x = NextUInt64(); while (x >= limit);
        return (int)(x % (ulong)n);
    }

    public T Pick<T>(IReadOnlyList<T> items) => items[Next(items.Count)];

    /// Fisher–Yates on a copy.
    public List<T> Shuffled<T>(IEnumerable<T> items)
    {
        var list = items.ToList();
        for (var i = list.Count - 1; i > 0; i--)
        {
            var j = Next(i + 1);
            (list[i], list[j]) = (list[j], list[i]);
        }
        return list;
    }

    /// SplitMix64's output function: a bijective 64-bit mix, also used to hash (seed, index) pairs.
    public static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    private static ulong SplitMix64(ref ulong state) => Mix(state += 0x9E3779B97F4A7C15UL);

    private static ulong RotateLeft(ulong x, int k) => (x << k) | (x >> (64 - k));
}
