using System.Globalization;

namespace DurableUn.ScaleOut;

/// <summary>
/// One shard of a study or sweep: <c>--shard i/n</c> runs the cells of shard <see cref="Index"/> out of
/// <see cref="Count"/>. The index is 0-based, 0 ≤ i &lt; n, because the sbatch script asks for
/// <c>--array=0-(n-1)</c>, so a task's <c>$SLURM_ARRAY_TASK_ID</c> is its shard index as it stands.
/// <para>
/// Assignment is round-robin over the cells' keys sorted ordinally: the cell of rank r belongs to shard r mod n.
/// It depends on the key set only (not on the order the cells were listed in, the culture, or the machine), so
/// every array task computes the same split; shards differ in size by at most one; and the n shards together
/// hold each cell exactly once.
/// </para>
/// Not: balancing by cost (a slow cell counts as much as a fast one); not: stable when cells are added to a
/// study between submissions (ranks shift, so resubmit all shards; the cell store skips finished cells anyway).
/// </summary>
public sealed record ShardSpec
{
    /// The text in a command-line argument that the sbatch script and <see cref="ScaleOut.LocalJob"/> replace by "i/n".
    public const string Placeholder = "{shard}";

    public int Index { get; }
    public int Count { get; }

    public ShardSpec(int index, int count)
    {
        if (count < 1) throw new ArgumentOutOfRangeException(nameof(count), count, "A study needs at least one shard.");
        if (index < 0 || index >= count)
            throw new ArgumentOutOfRangeException(nameof(index), index,
                $"Shard index must be in 0..{count - 1} (0-based, like $SLURM_ARRAY_TASK_ID of --array=0-{count - 1}).");
        (Index, Count) = (index, count);
    }

    /// The whole study as a single shard: what a run without <c>--shard</c> means.
    public static ShardSpec All { get; } = new(0, 1);

    /// Parses "i/n", e.g. "2/8". Throws <see cref="FormatException"/> naming the bad text and the rule it breaks.
    public static ShardSpec Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var parts = text.Split('/');
        if (parts.Length != 2)
            throw new FormatException($"Shard '{text}' is not of the form i/n (e.g. 0/4).");
        if (!TryParseCount(parts[0], out var index) || !TryParseCount(parts[1], out var count))
            throw new FormatException($"Shard '{text}': i and n in i/n must be non-negative whole numbers.");
        if (count == 0)
            throw new FormatException($"Shard '{text}': n must be at least 1.");
        if (index >= count)
            throw new FormatException($"Shard '{text}': i must be below n; shards are numbered 0..{count - 1}.");
        return new ShardSpec(index, count);
    }

    /// The shards 0/n … (n-1)/n.
    public static IReadOnlyList<ShardSpec> Range(int count) =>
        count < 1
            ? throw new ArgumentOutOfRangeException(nameof(count), count, "A study needs at least one shard.")
            : Enumerable.Range(0, count).Select(i => new ShardSpec(i, count)).ToList();

    /// <summary>
    /// The cells of this shard, in ordinal key order. Keys must be unique: two cells with one key would write
    /// the same result file.
    /// </summary>
    public IReadOnlyList<T> Select<T>(IEnumerable<T> cells, Func<T, string> key)
    {
        var sorted = cells.Select(c => (Key: key(c), Cell: c)).OrderBy(c => c.Key, StringComparer.Ordinal).ToList();
        for (var r = 1; r < sorted.Count; r++)
            if (sorted[r].Key == sorted[r - 1].Key)
                throw new ArgumentException($"Two cells share the key '{sorted[r].Key}'; cell keys must be unique.", nameof(cells));
        return sorted.Where((_, rank) => rank % Count == Index).Select(c => c.Cell).ToList();
    }

    public override string ToString() => $"{Index}/{Count}";

    // Digits only: int.Parse would also take "+1", " 1" and culture-specific signs.
    private static bool TryParseCount(string s, out int value)
    {
        value = 0;
        return s.Length > 0 && s.All(char.IsAsciiDigit)
            && int.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out value);
    }
}
