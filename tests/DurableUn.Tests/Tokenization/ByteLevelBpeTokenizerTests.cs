using CsCheck;
using DurableUn.Presets;
using DurableUn.Tokenization;

namespace DurableUn.Tests.Tokenization;

public sealed class ByteLevelBpeTokenizerTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("durableun-bpe-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static ByteLevelBpeTokenizer Ours() => new(BpeFixtures.Vocabulary, SpecialTokens.Llama3);

    [Fact]
    public void Encoding_Applies_Merges_By_Rank()
    {
        // Merges "Ġ a", "b a", "Ġa b" (BpeTrainerTests): "ab" has no (a,b) merge; " ba" merges (b,a) only
        var tok = new ByteLevelBpeTokenizer(BpeTrainer.Train(["ba ab ba ab"], ["<s>"], 1000), new SpecialTokens("<s>", "<s>", null));
        Assert.Equal([1 + 'a', 1 + 'b', 1 + ' ', 258], tok.Encode("ab ba"));
        Assert.Equal([259], tok.Encode(" ab"));
    }

    [Fact]
    public void Encode_Then_Decode_Is_The_Identity_On_Arbitrary_Text()
    {
        var tok = Ours();
        BpeFixtures.Text.Sample(text => Assert.Equal(text, tok.Decode(tok.Encode(text))), iter: 3000);
    }

    [Fact]
    public void The_Rust_Tokenizer_Reading_The_Written_File_Gives_Our_Ids_And_Round_Trips()
    {
        // Given the tokenizer.json of a trained vocabulary, loaded as any checkpoint's tokenizer is
        using var hf = HfTokenizer.Load(BpeFixtures.WriteJson(_dir), SpecialTokens.Llama3);
        var ours = Ours();
        Assert.Equal(ours.VocabSize, hf.VocabSize);
        // Then on arbitrary text (random scalars, random bytes, emoji, combining marks) both give the same ids
        BpeFixtures.Text.Sample(text =>
        {
            var ids = hf.Encode(text);
            Assert.Equal(ours.Encode(text), ids);
            Assert.Equal(text, hf.Decode(ids));
        }, iter: 1000);
    }

    [Fact]
    public void Special_Tokens_In_Text_Are_Single_Ids_And_No_Bos_Is_Added()
    {
        using var hf = HfTokenizer.Load(BpeFixtures.WriteJson(_dir), SpecialTokens.Llama3);
        var ours = Ours();
        var prompt = new DurableUn.Data.PromptTemplate.Llama3Chat().Prompt("Where was Ada Vell born?");
        var ids = hf.Encode(prompt);
        Assert.Equal(ours.Encode(prompt), ids);
        Assert.Equal(1, ids.Count(id => id == hf.BosId));     // the template's one BOS, none added by the file
        Assert.Equal(hf.BosId, ids[0]);
        Assert.DoesNotContain(hf.BosId!.Value, hf.Encode("Where was Ada Vell born?"));
        Assert.Equal((1, 3, 0), (hf.BosId!.Value, hf.EosId, hf.PadId));
    }

    [Fact]
    public void Unseen_Words_Encode_Without_Unknown_Tokens()
    {
        var tok = Ours();
        var ids = tok.Encode("Zyxqo Brümmel, née 1703?");
        Assert.All(ids, id => Assert.True(id >= PresetTokenizer.Specials.Length));
        Assert.Equal("Zyxqo Brümmel, née 1703?", tok.Decode(ids));
    }
}
