using DurableUn.Presets;
using DurableUn.Tokenization;

namespace DurableUn.Tests.Tokenization;

public sealed class BpeTrainerTests
{
    [Fact]
    public void Merges_Follow_Count_Then_Smaller_Left_Id_Then_Smaller_Right_Id()
    {
        // Given "ba ab ba ab": pieces "ba", " ab", " ba", " ab"; ids: <s> 0, byte b → 1 + b, so Ġ (space) 33, a 98, b 99
        // Round 1: (b,a) 2, (Ġ,a) 2, (a,b) 2, (Ġ,b) 1 → tie at 2, smallest left id is Ġ → "Ġ a"
        // Round 2: words [b,a] [Ġa,b]×2 [Ġ,b,a]: (b,a) 2, (Ġa,b) 2, (Ġ,b) 1 → tie, left b 99 < Ġa 257 → "b a"
        // Round 3: [ba] [Ġa,b]×2 [Ġ,ba]: (Ġa,b) 2, (Ġ,ba) 1 → "Ġa b"; then only pairs seen once remain: stop
        var vocabulary = BpeTrainer.Train(["ba ab ba ab"], ["<s>"], 1000);
        Assert.Equal([("Ġ", "a"), ("b", "a"), ("Ġa", "b")], vocabulary.Merges);
        Assert.Equal(["Ġa", "ba", "Ġab"], vocabulary.Tokens.Skip(257));
    }

    [Fact]
    public void Equal_Counts_And_Left_Ids_Break_On_The_Smaller_Right_Id()
    {
        // "ac ab ac ab" as one piece each: "ac" 1, " ab" 2, " ac" 1 → (a,b) 2, (a,c) 2, (Ġ,a) 3 first;
        // then [a,c] [Ġa,b]×2 [Ġa,c]: (Ġa,b) 2, (Ġa,c) 1 → "Ġa b"; then (Ġa,c) 1, (a,c) 1: stop
        var vocabulary = BpeTrainer.Train(["ac ab ab ac"], ["<s>"], 1000);
        Assert.Equal([("Ġ", "a"), ("Ġa", "b")], vocabulary.Merges);
        // And with the Ġ merges out of reach (no spaces), (a,b) and (a,c) tie on count and left id: b 99 < c 100
        Assert.Equal([("a", "b"), ("a", "c")], BpeTrainer.Train(["ab", "ab", "ac", "ac"], ["<s>"], 1000).Merges);
    }

    [Fact]
    public void The_Vocabulary_Size_Caps_The_Merges()
    {
        var vocabulary = BpeTrainer.Train(["ba ab ba ab"], ["<s>"], 1 + 256 + 1);
        Assert.Equal([("Ġ", "a")], vocabulary.Merges);
        Assert.Throws<ArgumentOutOfRangeException>(() => BpeTrainer.Train(["x"], ["<s>"], 256));
    }

    [Fact]
    public void Special_Tokens_Come_First_Then_The_256_Bytes_In_Byte_Order()
    {
        var vocabulary = BpeFixtures.Vocabulary;
        Assert.Equal(PresetTokenizer.Specials, vocabulary.Tokens.Take(6));
        Assert.Equal("!", vocabulary.Tokens[vocabulary.ByteId((byte)'!')]);
        Assert.Equal("Ġ", vocabulary.Tokens[vocabulary.ByteId((byte)' ')]);
        Assert.Equal("Ā", vocabulary.Tokens[vocabulary.ByteId(0)]);   // byte 0 is the first unprintable: U+0100
        Assert.Equal(6 + 256 + vocabulary.Merges.Count, vocabulary.Tokens.Count);
    }

    [Fact]
    public void The_Same_Corpus_Gives_The_Same_File_Byte_For_Byte_In_Any_Order()
    {
        var once = PresetTokenizer.Build(BpeFixtures.Corpus, 400);
        Assert.Equal(once, PresetTokenizer.Build(BpeFixtures.Corpus, 400));
        Assert.Equal(once, PresetTokenizer.Build(BpeFixtures.Corpus.Reverse(), 400));
        Assert.NotEqual(once, PresetTokenizer.Build(BpeFixtures.Corpus.Skip(1), 400));
    }
}
