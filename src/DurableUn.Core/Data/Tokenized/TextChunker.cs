using DurableUn.Tokenization;

namespace DurableUn.Data.Tokenized;

/// <summary>
/// MUSE-style pretraining examples from raw text (docs/benchmarks.md#muse-news): the texts are joined with "\n\n",
/// tokenized, and cut into chunks of at most <c>maxLength</c> tokens, each starting with BOS; every token after BOS is
/// scored. Not: sentence-aware chunking (WPU's sentence_chunk), overlap between chunks.
/// </summary>
public static class TextChunker
{
    public static IReadOnlyList<EncodedExample> Chunk(ITokenizer tokenizer, IEnumerable<string> texts, int maxLength)
    {
        var body = maxLength - (tokenizer.BosId is null ? 0 : 1);
        if (body < 1) throw new ArgumentException($"max_length {maxLength} leaves no room for text");
        var ids = tokenizer.Encode(string.Join("\n\n", texts));
        var chunks = new List<EncodedExample>();
        for (var start = 0; start < ids.Count; start += body)
        {
            var piece = Enumerable.Range(start, Math.Min(body, ids.Count - start)).Select(i => ids[i]).ToArray(); // indexed: Skip is O(start)
            int[] prompt = tokenizer.BosId is int bos ? [bos] : [];
            chunks.Add(new EncodedExample(prompt, piece));
        }
        return chunks;
    }
}
