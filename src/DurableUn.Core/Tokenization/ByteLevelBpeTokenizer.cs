using System.Text;

namespace DurableUn.Tokenization;

/// <summary>
/// The product's own byte-level BPE encoder for a <see cref="BpeVocabulary"/>, written from the algorithm rather than
/// wrapped, so that tests can hold the Rust tokenizers library (<see cref="HfTokenizer"/>) and llama.cpp against it.
/// Encode: special-token strings are cut out first (leftmost, longest), the rest is split by
/// <see cref="Gpt2PreTokenizer"/>, and each piece's bytes are merged by rank (lowest rank first, every occurrence
/// left to right), as GPT-2, Hugging Face and llama.cpp do. Never adds BOS/EOS. No text is unknown.
/// </summary>
public sealed class ByteLevelBpeTokenizer : ITokenizer
{
    private readonly BpeVocabulary _vocabulary;
    private readonly Dictionary<string, int> _ids;
    private readonly Dictionary<(int, int), (int Rank, int Id)> _merges = new();
    private readonly string[] _specialsLongestFirst;

    public ByteLevelBpeTokenizer(BpeVocabulary vocabulary, SpecialTokens special)
    {
        _vocabulary = vocabulary;
        _ids = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var id = 0; id < vocabulary.Tokens.Count; id++) _ids.TryAdd(vocabulary.Tokens[id], id);
        for (var rank = 0; rank < vocabulary.Merges.Count; rank++)
        {
            var (left, right) = vocabulary.Merges[rank];
            _merges.TryAdd((_ids[left], _ids[right]), (rank, _ids[left + right]));
        }
        _specialsLongestFirst = vocabulary.Specials.OrderByDescending(s => s.Length).ToArray();
        BosId = special.Bos is { } b ? Id(b) : null;
        EosId = Id(special.Eos);
        PadId = special.Pad is { } p ? Id(p) : EosId;
    }

    public int VocabSize => _vocabulary.Tokens.Count;
    public int? BosId { get; }
    public int EosId { get; }
    public int PadId { get; }

    public int? TokenToId(string token) => _ids.TryGetValue(token, out var id) ? id : null;

    public IReadOnlyList<int> Encode(string text)
    {
        var ids = new List<int>();
        var pos = 0;
        while (pos < text.Length)
        {
            var (at, special) = NextSpecial(text, pos);
            foreach (var piece in Gpt2PreTokenizer.Split(text[pos..at])) ids.AddRange(EncodePiece(piece));
            if (special is null) break;
            ids.Add(_ids[special]);
            pos = at + special.Length;
        }
        return ids;
    }

    public string Decode(IEnumerable<int> ids)
    {
        var bytes = new List<byte>();
        foreach (var id in ids)
        {
            var token = _vocabulary.Tokens[id];
            bytes.AddRange(id < _vocabulary.Specials.Count ? Encoding.UTF8.GetBytes(token) : ByteLevel.Bytes(token));
        }
        return Encoding.UTF8.GetString(bytes.ToArray());
    }

    private (int At, string? Special) NextSpecial(string text, int from)
    {
        for (var i = from; i < text.Length; i++)
            foreach (var s in _specialsLongestFirst)
                if (string.CompareOrdinal(text, i, s, 0, s.Length) == 0) return (i, s);
        return (text.Length, null);
    }

    private List<int> EncodePiece(string piece)
    {
        var symbols = Encoding.UTF8.GetBytes(piece).Select(_vocabulary.ByteId).ToList();
        while (symbols.Count > 1)
        {
            (int Rank, int Id, int Left, int Right)? best = null;
            for (var i = 0; i + 1 < symbols.Count; i++)
                if (_merges.TryGetValue((symbols[i], symbols[i + 1]), out var m) && (best is null || m.Rank < best.Value.Rank))
                    best = (m.Rank, m.Id, symbols[i], symbols[i + 1]);
            if (best is not { } b) break;
            BpeTrainer.MergeAll(symbols, b.Left, b.Right, b.Id);
        }
        return symbols;
    }

    private int Id(string token) => TokenToId(token) ?? throw new ArgumentException($"special token \"{token}\" is not in the vocabulary");
}
