namespace DurableUn.ScaleOut;

/// <summary>
/// Quotes words for a bash command line. Single quotes make everything inside literal — <c>$</c>, backquotes,
/// <c>\</c>, <c>!</c>, spaces, newlines, globs — so the only character to handle is the single quote itself, written
/// as <c>'\''</c> (close, escaped quote, reopen). Every word is quoted, even safe ones: one rule, nothing to judge.
/// Not: quoting for <c>#SBATCH</c> lines (sbatch parses those itself; <see cref="SbatchOptions"/> rejects unsafe
/// values there instead); not: Windows shells.
/// </summary>
public static class BashQuote
{
    public static string Word(string word)
    {
        ArgumentNullException.ThrowIfNull(word);
        if (word.Contains('\0')) throw new ArgumentException("A bash word cannot hold a NUL character.", nameof(word));
        return "'" + word.Replace("'", @"'\''", StringComparison.Ordinal) + "'";
    }

    public static string Words(IEnumerable<string> words) => string.Join(' ', words.Select(Word));
}
