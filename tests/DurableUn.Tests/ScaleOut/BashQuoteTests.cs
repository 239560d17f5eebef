using DurableUn.ScaleOut;

namespace DurableUn.Tests.ScaleOut;

public class BashQuoteTests
{
    [Fact]
    public void A_Single_Quote_Should_Close_Escape_And_Reopen()
    {
        Assert.Equal(@"'it'\''s'", BashQuote.Word("it's"));
    }

    [Fact]
    public void Bash_Should_Receive_Every_Word_Unchanged()
    {
        // Given words that bash would otherwise split, expand, glob or execute
        string[] words = ["plain", "two words", "", "it's", "$HOME", "`id`", "$(id)", "a\\b", "*", "!x", "line\nbreak", "'", "\"q\"", "tab\there"];
        // When bash prints each argument of the quoted command line on its own NUL-terminated record
        var line = "printf '%s\\0' " + BashQuote.Words(words);
        var result = ExternalCommand.Run("bash", ["-c", line]);
        // Then it printed exactly the words (the outside oracle is bash itself)
        Assert.Equal(0, result.ExitCode);
        Assert.Equal(words, result.Stdout.Split('\0')[..^1]);
    }

    [Fact]
    public void A_Nul_Character_Should_Be_Rejected()
    {
        Assert.Throws<ArgumentException>(() => BashQuote.Word("a\0b"));
    }
}
