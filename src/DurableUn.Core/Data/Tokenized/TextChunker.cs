using DurableUn.Tokenization;

namespace DurableUn.Data.Tokenized;

/// <summary>
/// MUSE-style pretraining examples from raw text (docs/benchmarks.md#muse-news): the texts are joined with "\n\n",
/// tokenized, and cut into chunks of at most <c>maxLength</c> tokens, each starting with BOS; every token after BOS is
/// scored. With <c>encodeApartAfter</c>, the joined text is encoded in pieces cut just after each occurrence of it (a
/// pretraining corpus cuts after <see cref="PromptTemplate.Plain.AnswerCue"/>), so that a question–answer pair in the
/// text has the token boundary <see cref="QaEncoder"/> gives it: a BPE tokenizer would otherwise merge the prompt's
/// closing space into the answer's first word, and a model pretrained on such text never sees the answer start the
/// way every suite asks for it.
/// Not: sentence-aware chunking (WPU's sentence_chunk), overlap between chunks.
/// </summary>
public static class TextChunker
{
    public static IReadOnlyList<EncodedExample> Chunk(ITokenizer tokenizer, IEnumerable<string> texts, int maxLength, string? encodeApartAfter = null)
    {
        var body = maxLength - (tokenizer.BosId is null ? 0 : 1);
        if (body < 1) throw new ArgumentException($"max_length {maxLength} leaves no room for text");
        var joined = string.Join("\n\n", texts);
        var ids = encodeApartAfter is null ? tokenizer.Encode(joined) : Pieces(joined, encodeApartAfter).SelectMany(tokenizer.Encode).ToList();
        var chunks = new List<EncodedExample>();
        for (var start = 0; start < ids.Count; start += body)
        {
            var piece = Enumerable.Range(start, Math.Min(body, ids.Count - start)).Select(i => ids[i]).ToArray(); // indexed: Skip is O(start)
            int[] prompt = tokenizer.BosId is int bos ? [bos] : [];
            chunks.Add(new EncodedExample(prompt, piece));
        }
        return chunks;
    }

    /// The text cut just after every occurrence of <paramref name="cut"/> (the pieces joined are the text again).
    private static IEnumerable<string> Pieces(string text, string cut)
    {
        var start = 0;
        for (var at = text.IndexOf(cut, StringComparison.Ordinal); at >= 0; at = text.IndexOf(cut, start, StringComparison.Ordinal))
        {
            yield return text[start..(at + cut.Length)];
            start = at + cut.Length;
        }
        if (start < text.Length) yield return text[start..];
    }
}
