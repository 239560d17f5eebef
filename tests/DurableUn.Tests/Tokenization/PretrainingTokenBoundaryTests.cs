using DurableUn.Data;
using DurableUn.Data.Tokenized;
using DurableUn.Tokenization;

namespace DurableUn.Tests.Tokenization;

/// <summary>A question–answer pair in pretraining text is tokenized as the suites ask it (docs/benchmarks.md#wpu).</summary>
public sealed class PretrainingTokenBoundaryTests
{
    private static readonly ByteLevelBpeTokenizer Tokenizer = new(BpeFixtures.Vocabulary, SpecialTokens.Llama3);
    private const string Question = "Where was Ada Vell born?";
    private const string Answer = "Ada Vell was born in Qarston, Lemaria.";

    private static int[] Packed(string? cut) =>
        TextChunker.Chunk(Tokenizer, [new PromptTemplate.Plain().Full(Question, Answer)], 512, cut).Single().CompletionIds.ToArray();

    [Fact]
    public void Cut_after_the_answer_cue_a_pair_has_the_tokens_of_its_encoded_prompt_then_its_encoded_answer()
    {
        var encoded = new QaEncoder(Tokenizer, new PromptTemplate.Plain()).Encode(Question, Answer);
        int[] expected = [.. encoded.PromptIds[1..], .. encoded.CompletionIds[..^1]];   // without BOS and EOS, which a row adds and omits
        Assert.Equal(expected, Packed(PromptTemplate.Plain.AnswerCue));
    }

    [Fact]
    public void Encoded_whole_the_prompts_closing_space_merges_into_the_answer()
    {
        var encoded = new QaEncoder(Tokenizer, new PromptTemplate.Plain()).Encode(Question, Answer);
        int[] apart = [.. encoded.PromptIds[1..], .. encoded.CompletionIds[..^1]];
        Assert.NotEqual(apart, Packed(null));
        Assert.Equal(Tokenizer.Decode(apart), Tokenizer.Decode(Packed(null)));
    }
}
