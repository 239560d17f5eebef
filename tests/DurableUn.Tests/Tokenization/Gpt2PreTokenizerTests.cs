using DurableUn.Tokenization;

namespace DurableUn.Tests.Tokenization;

/// <summary>Splits worked out from GPT-2's regex by hand (and as tiktoken's "gpt2" gives them).</summary>
public sealed class Gpt2PreTokenizerTests
{
    [Theory]
    [InlineData("Hello world", new[] { "Hello", " world" })]
    [InlineData("they'll  go!?", new[] { "they", "'ll", " ", " go", "!?" })]
    [InlineData("a\n\nb", new[] { "a", "\n", "\n", "b" })]
    [InlineData("x   ", new[] { "x", "   " })]
    [InlineData("in 1987, 42", new[] { "in", " 1987", ",", " 42" })]
    [InlineData("é\u0301 𝐀𝐁", new[] { "é", "\u0301", " 𝐀𝐁" })]
    public void Splits_Like_Gpt2s_Regex(string text, string[] pieces) =>
        Assert.Equal(pieces, Gpt2PreTokenizer.Split(text));
}
