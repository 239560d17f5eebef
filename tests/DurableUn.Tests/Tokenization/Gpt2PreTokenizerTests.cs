using System.Text.RegularExpressions;
using CsCheck;
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

    /// <summary>On text inside the BMP, where .NET's regex sees whole characters, the regex itself is the reference.</summary>
    [Fact]
    public void Agrees_With_The_Gpt2_Regex_On_Bmp_Text()
    {
        var regex = new Regex(@"'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+");
        var bmp = Gen.OneOf(
            Gen.Char.Where(c => !char.IsSurrogate(c)).Select(c => c.ToString()),
            Gen.OneOf<string>(" ", "  ", "\n", "\t\n ", "'s", "'ll", "'x", "é\u0301", "12", "a", "Ab", "?!", "\u00A0", "\u3000"));
        bmp.Array[0, 16].Select(string.Concat).Sample(text =>
            Assert.Equal(regex.Matches(text).Select(m => m.Value), Gpt2PreTokenizer.Split(text)), iter: 5000);
    }
}
