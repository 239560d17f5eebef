using System.Text;

namespace DurableUn.Tokenization;

/// <summary>
/// GPT-2's pre-tokenizer, written by hand over Unicode scalar values so that it splits exactly like the regex
/// <c>'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+</c> that Hugging Face's ByteLevel
/// pre-tokenizer (use_regex) and llama.cpp ("gpt-2") run. A .NET Regex would see a letter outside the BMP as two
/// surrogates (category Cs, not L), so it is not used. Alternatives are tried in order at each position, as a regex
/// engine does; "\s+(?!\S)" backs off one whitespace character when a non-space follows, leaving it for " ?\p{L}+".
/// </summary>
public static class Gpt2PreTokenizer
{
    private static readonly string[] Contractions = ["'s", "'t", "'re", "'ve", "'m", "'ll", "'d"];

    /// <summary>The pieces of <paramref name="text"/>, in order; their concatenation is the text.</summary>
    public static IEnumerable<string> Split(string text)
    {
        var runes = text.EnumerateRunes().ToArray();
        var pos = 0;
        while (pos < runes.Length)
        {
            var end = Match(runes, pos);
            var piece = new StringBuilder();
            for (var i = pos; i < end; i++) piece.Append(runes[i].ToString());
            yield return piece.ToString();
            pos = end;
        }
    }

    private enum Kind { Letter, Number, Space, Other }

    private static Kind KindOf(Rune r) =>
        Rune.IsLetter(r) ? Kind.Letter : Rune.IsNumber(r) ? Kind.Number : Rune.IsWhiteSpace(r) ? Kind.Space : Kind.Other;

    /// <summary>End (exclusive) of the match starting at <paramref name="pos"/>.</summary>
    private static int Match(Rune[] runes, int pos)
    {
        foreach (var c in Contractions)
            if (StartsWith(runes, pos, c)) return pos + c.Length;
        // " ?\p{L}+", " ?\p{N}+", " ?[^\s\p{L}\p{N}]+": an optional ASCII space, then a run of one kind
        var start = runes[pos].Value == ' ' && pos + 1 < runes.Length && KindOf(runes[pos + 1]) != Kind.Space ? pos + 1 : pos;
        var kind = KindOf(runes[start]);
        if (kind != Kind.Space) return RunEnd(runes, start, kind);
        // "\s+(?!\S)" then "\s+"
        var spaceEnd = RunEnd(runes, pos, Kind.Space);
        if (spaceEnd == runes.Length || spaceEnd - pos == 1) return spaceEnd;
        return spaceEnd - 1;
    }

    private static int RunEnd(Rune[] runes, int from, Kind kind)
    {
        var i = from;
        while (i < runes.Length && KindOf(runes[i]) == kind) i++;
        return i;
    }

    private static bool StartsWith(Rune[] runes, int pos, string ascii)
    {
        if (pos + ascii.Length > runes.Length) return false;
        for (var i = 0; i < ascii.Length; i++)
            if (runes[pos + i].Value != ascii[i]) return false;
        return true;
    }
}
