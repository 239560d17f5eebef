using DurableUn.Data;

namespace DurableUn.Tests.Data;

public class PromptTemplateTests
{
    [Fact]
    public void Plain_Template_Is_Question_Then_Answer_Tags()
    {
        // Given the plain template, when a pair is rendered, then it reads as MUSE's tags with no end marker
        var t = new PromptTemplate.Plain();
        Assert.Equal("Question: Who?\nAnswer: Me.", t.Full("Who?", "Me."));
        Assert.Equal("Question: Who?\nAnswer: ", t.Prompt("Who?"));
    }

    [Fact]
    public void Llama3_Chat_Template_Wraps_System_User_And_Assistant_Turns()
    {
        // Given the Llama-3 chat template with its default system prompt
        var t = new PromptTemplate.Llama3Chat();
        // When a pair is rendered, then it matches the Llama-3 Instruct layout character for character
        Assert.Equal(
            "<|begin_of_text|><|start_header_id|>system<|end_header_id|>\n\nYou are a helpful assistant.<|eot_id|>" +
            "<|start_header_id|>user<|end_header_id|>\n\nWho?<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\n" +
            "Me.<|eot_id|>",
            t.Full("Who?", "Me."));
    }
}
