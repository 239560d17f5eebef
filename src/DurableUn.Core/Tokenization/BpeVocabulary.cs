namespace DurableUn.Tokenization;

/// <summary>
/// A byte-level BPE vocabulary: the special tokens, then the 256 byte tokens (as <see cref="ByteLevel"/> characters,
/// in byte order), then one token per merge in rank order. Tokens[id] is the token string; a merge whose result
/// already exists (two merges can spell one string) reuses that id, so there can be fewer tokens than merges.
/// </summary>
public sealed record BpeVocabulary(IReadOnlyList<string> Specials, IReadOnlyList<string> Tokens, IReadOnlyList<(string Left, string Right)> Merges)
{
    /// <summary>The id of byte <paramref name="b"/>'s token.</summary>
    public int ByteId(byte b) => Specials.Count + b;
}
