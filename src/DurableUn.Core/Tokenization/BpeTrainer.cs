namespace DurableUn.Tokenization;

/// <summary>
/// Trains byte-level BPE merges on a corpus, deterministically: the corpus is split into pieces by
/// <see cref="Gpt2PreTokenizer"/>, each piece starts as its UTF-8 bytes, and each round merges the most frequent
/// adjacent pair (counted over all pieces, weighted by how often a piece occurs). Ties: the higher count, then the
/// smaller left id, then the smaller right id, so the same corpus always gives the same merges whatever the order of
/// a dictionary. Stops at vocabSize tokens or when no pair occurs <see cref="MinPairCount"/> times.
/// Not: dropout, a continuing-subword prefix, an unknown token (every byte has a token).
/// </summary>
public static class BpeTrainer
{
    /// <summary>A pair seen once is a whole rare word, not a reusable piece; merging it only spends an embedding row.</summary>
    public const int MinPairCount = 2;

    public static BpeVocabulary Train(IEnumerable<string> corpus, IReadOnlyList<string> specials, int vocabSize)
    {
        var baseSize = specials.Count + 256;
        if (vocabSize < baseSize)
            throw new ArgumentOutOfRangeException(nameof(vocabSize), vocabSize, $"a byte-level vocabulary needs at least {baseSize} tokens ({specials.Count} special + 256 bytes)");
        var tokens = new List<string>(specials);
        for (var b = 0; b < 256; b++) tokens.Add(ByteLevel.Char((byte)b).ToString());
        var ids = tokens.Select((t, i) => (t, i)).ToDictionary(x => x.t, x => x.i, StringComparer.Ordinal);

        var pieceCounts = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var text in corpus)
            foreach (var piece in Gpt2PreTokenizer.Split(text))
                pieceCounts[piece] = pieceCounts.GetValueOrDefault(piece) + 1;
        var words = pieceCounts.OrderBy(kv => kv.Key, StringComparer.Ordinal)
            .Select(kv => (Symbols: System.Text.Encoding.UTF8.GetBytes(kv.Key).Select(b => specials.Count + b).ToList(), Count: kv.Value))
            .ToList();

        var merges = new List<(string, string)>();
        while (tokens.Count < vocabSize)
        {
            var pairs = new Dictionary<(int, int), long>();
            foreach (var (symbols, count) in words)
                for (var i = 0; i + 1 < symbols.Count; i++)
                    pairs[(symbols[i], symbols[i + 1])] = pairs.GetValueOrDefault((symbols[i], symbols[i + 1])) + count;
            var best = ((int Left, int Right)?)null;
            var bestCount = 0L;
            foreach (var (pair, count) in pairs)
                if (count > bestCount || count == bestCount && best is { } b && (pair.Item1 < b.Left || pair.Item1 == b.Left && pair.Item2 < b.Right))
                    (best, bestCount) = (pair, count);
            if (best is not { } m || bestCount < MinPairCount) break;
            var merged = tokens[m.Left] + tokens[m.Right];
            if (!ids.TryGetValue(merged, out var newId))
            {
                newId = tokens.Count;
                tokens.Add(merged);
                ids[merged] = newId;
            }
            merges.Add((tokens[m.Left], tokens[m.Right]));
            foreach (var (symbols, _) in words) MergeAll(symbols, m.Left, m.Right, newId);
        }
        return new BpeVocabulary(specials, tokens, merges);
    }

    /// <summary>Replaces each (left, right) in <paramref name="symbols"/> by <paramref name="merged"/>, left to right.</summary>
    internal static void MergeAll(List<int> symbols, int left, int right, int merged)
    {
        for (var i = 0; i + 1 < symbols.Count; i++)
            if (symbols[i] == left && symbols[i + 1] == right)
            {
                symbols[i] = merged;
                symbols.RemoveAt(i + 1);
            }
    }
}
