using DurableUn.Data;
using DurableUn.Data.Tokenized;
using DurableUn.Model;
using DurableUn.Tensors;
using DurableUn.Tests.Model;
using DurableUn.Tokenization;
using DurableUn.Training;
using static TorchSharp.torch;

namespace DurableUn.Tests.Data.Tokenized;

public sealed class BatchingTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("durableun-batch-").FullName;
    private readonly HfTokenizer _tok;

    public BatchingTests()
    {
        NativeTorch.EnsureLoaded();
        var path = Path.Combine(_dir, "tokenizer.json");
        File.WriteAllText(path, WordLevelTokenizerBuilder.Build([
            "Question: Where was Ada Vell born? Answer: Ada Vell was born in Qarston.",
            new PromptTemplate.Llama3Chat().Full("", "")]));
        _tok = HfTokenizer.Load(path, SpecialTokens.Llama3);
    }

    public void Dispose()
    {
        _tok.Dispose();
        Directory.Delete(_dir, recursive: true);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Prompt_Tokens_Never_Carry_Loss_And_The_Answer_And_Eos_Always_Do(bool chat)
    {
        // Given a QA pair under either template
        PromptTemplate template = chat ? new PromptTemplate.Llama3Chat() : new PromptTemplate.Plain();
        var encoder = new QaEncoder(_tok, template);
        // When it is encoded
        var e = encoder.Encode("Where was Ada Vell born?", "Ada Vell was born in Qarston.");
        // Then the labels are -100 exactly on the prompt, and the scored part is the answer's tokens then EOS
        Assert.All(e.Labels.Take(e.PromptIds.Length), l => Assert.Equal(EncodedExample.IgnoreIndex, l));
        Assert.Equal(e.CompletionIds, e.Labels.Skip(e.PromptIds.Length));
        Assert.Equal(_tok.EosId, e.CompletionIds[^1]);
        Assert.Equal("Ada Vell was born in Qarston.", _tok.Decode(e.CompletionIds[..^1]));
        Assert.Equal(_tok.BosId, e.PromptIds[0]);
    }

    [Fact]
    public void Right_Padding_Masks_Padding_From_Labels_And_Attention()
    {
        var encoder = new QaEncoder(_tok, new PromptTemplate.Plain());
        var a = encoder.Encode("Where was Ada Vell born?", "Qarston.");
        var b = encoder.Encode("Where?", "Ada Vell was born in Qarston.");
        using var batch = TokenBatch.RightPadded([a, b], _tok.PadId);
        var width = Math.Max(a.Length, b.Length);
        Assert.Equal(new long[] { 2, width }, batch.InputIds.shape);
        var shorter = a.Length < b.Length ? 0 : 1;
        var len = Math.Min(a.Length, b.Length);
        Assert.True(batch.Labels[shorter, len..].eq(EncodedExample.IgnoreIndex).all().item<bool>());
        Assert.True(batch.AttentionMask[shorter, len..].eq(0).all().item<bool>());
        Assert.True(batch.InputIds[shorter, len..].eq(_tok.PadId).all().item<bool>());
    }

    [Fact]
    public void Padded_Batch_Losses_Equal_Losses_Of_Each_Example_Alone()
    {
        // Given a model and two examples of different lengths
        manual_seed(8);
        using var model = new CausalLm(ModelFixtures.Tiny() with { VocabSize = _tok.VocabSize }, new DenseProjections());
        var encoder = new QaEncoder(_tok, new PromptTemplate.Plain());
        var a = encoder.Encode("Where was Ada Vell born?", "Qarston.");
        var b = encoder.Encode("Where?", "Ada Vell was born in Qarston.");
        using var _ = no_grad();
        // When scored as a right-padded batch and one by one
        using var both = TokenBatch.RightPadded([a, b], _tok.PadId);
        var batched = TokenLosses.Of(model, both).SequenceSum().data<float>().ToArray();
        using var aa = TokenBatch.RightPadded([a], _tok.PadId);
        using var bb = TokenBatch.RightPadded([b], _tok.PadId);
        // Then the per-sequence sums agree
        Assert.Equal(TokenLosses.Of(model, aa).SequenceSum().item<float>(), batched[0], 4);
        Assert.Equal(TokenLosses.Of(model, bb).SequenceSum().item<float>(), batched[1], 4);
    }

    [Fact]
    public void Over_Long_Examples_Keep_The_Prompt_And_The_Eos()
    {
        var encoder = new QaEncoder(_tok, new PromptTemplate.Plain(), maxLength: 12);
        var e = encoder.Encode("Where was Ada Vell born?", "Ada Vell was born in Qarston.");
        Assert.Equal(12, e.Length);
        Assert.Equal(_tok.EosId, e.CompletionIds[^1]);
    }

    [Fact]
    public void Text_Chunks_Start_With_Bos_And_Cover_Every_Token()
    {
        var texts = new[] { "Ada Vell was born in Qarston.", "Where was Ada Vell born?" };
        var chunks = TextChunker.Chunk(_tok, texts, maxLength: 5);
        Assert.All(chunks, c => Assert.Equal([_tok.BosId!.Value], c.PromptIds));
        Assert.All(chunks, c => Assert.True(c.Length <= 5));
        Assert.Equal(_tok.Encode(string.Join("\n\n", texts)), chunks.SelectMany(c => c.CompletionIds));
    }
}
