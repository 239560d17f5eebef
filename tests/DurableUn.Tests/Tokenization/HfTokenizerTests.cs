using DurableUn.Tokenization;

namespace DurableUn.Tests.Tokenization;

public sealed class HfTokenizerTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("durableun-tok-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private HfTokenizer Build(params string[] corpus)
    {
        var path = Path.Combine(_dir, "tokenizer.json");
        File.WriteAllText(path, WordLevelTokenizerBuilder.Build(corpus));
        return HfTokenizer.Load(path, SpecialTokens.Llama3);
    }

    [Fact]
    public void Word_Level_Tokenizer_Round_Trips_Words_And_Punctuation()
    {
        // Given a tokenizer built from a small corpus
        using var tok = Build("Where was Ada Vell born?", "Ada Vell was born in Qarston, Lemaria.");
        // When a sentence of known words is encoded and decoded
        var ids = tok.Encode("Ada Vell was born in Qarston, Lemaria.");
        // Then every word is one token and decoding restores the text
        Assert.Equal(9, ids.Count);
        Assert.Equal("Ada Vell was born in Qarston, Lemaria.", tok.Decode(ids));
    }

    [Fact]
    public void Special_Tokens_Have_Fixed_Ids_And_Are_Recognised_In_Text()
    {
        using var tok = Build("hello world");
        Assert.Equal(0, tok.PadId);
        Assert.Equal(1, tok.BosId);
        Assert.Equal(3, tok.EosId);
        var ids = tok.Encode(new DurableUn.Data.PromptTemplate.Llama3Chat().Prompt("hello"));
        Assert.Equal(tok.BosId, ids[0]);
        Assert.Contains(tok.TokenToId("<|start_header_id|>")!.Value, ids);
        Assert.DoesNotContain(tok.TokenToId("<unk>")!.Value, ids.Take(1));
    }

    [Fact]
    public void Unknown_Words_Map_To_Unk()
    {
        using var tok = Build("hello world");
        Assert.Equal([tok.TokenToId("<unk>")!.Value], tok.Encode("zebra"));
    }

    [Fact]
    public void Same_Corpus_Gives_The_Same_File()
    {
        Assert.Equal(WordLevelTokenizerBuilder.Build(["b a a c"]), WordLevelTokenizerBuilder.Build(["b a a c"]));
    }

    [Fact]
    public void A_Missing_Special_Token_Is_An_Error_Naming_The_File()
    {
        var path = Path.Combine(_dir, "tokenizer.json");
        File.WriteAllText(path, WordLevelTokenizerBuilder.Build(["x"]));
        var e = Assert.Throws<ArgumentException>(() => HfTokenizer.Load(path, new SpecialTokens(null, "</s>", null)));
        Assert.Contains(path, e.Message);
        Assert.Contains("</s>", e.Message);
    }
}
