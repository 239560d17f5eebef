using DurableUn.Data;
using DurableUn.Evaluation;

namespace DurableUn.Tests.Evaluation;

public class KnowMemPromptTests
{
    [Fact]
    public void Prompt_Should_List_The_Icl_Pairs_Then_Ask_The_Question()
    {
        // Given two in-context pairs
        QaItem[] icl = [new("Who won?", "Ada"), new("When?", "In May")];
        // When the prompt for a new question is built
        var prompt = KnowMemPrompt.Build(icl, "Where?");
        // Then each pair is "Question: q\nAnswer: a\n\n" and the question ends with "Answer: "
        Assert.Equal("Question: Who won?\nAnswer: Ada\n\nQuestion: When?\nAnswer: In May\n\nQuestion: Where?\nAnswer: ", prompt);
    }

    [Theory]
    // the first of "\n\n", "\nQuestion", "Question:" wins; what precedes it is trimmed
    [InlineData("Qarston\n\nQuestion: Who?", "Qarston")]                 // "\n\n" at 7 comes before "Question:" at 9
    [InlineData("Qarston\nQuestion: Who?", "Qarston")]                   // "\nQuestion" at 7
    [InlineData("in Qarston Question: Who?", "in Qarston")]              // "Question:" at 11, no newline at all
    [InlineData(" Qarston, in May", "Qarston, in May")]                  // nothing to cut: only trimmed
    [InlineData("\n\nQarston", "")]                                      // a leading blank line ends the answer at once
    [InlineData("Questions: none\n\nQuestion:", "Questions: none")]      // "Questions:" is not "Question:"
    public void Answers_Should_Be_Cut_Where_The_Model_Starts_The_Next_Turn(string generated, string expected) =>
        Assert.Equal(expected, KnowMemPrompt.Cut(generated));
}
