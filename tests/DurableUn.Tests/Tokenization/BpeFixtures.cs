using System.Text;
using CsCheck;
using DurableUn.Presets;
using DurableUn.Tokenization;

namespace DurableUn.Tests.Tokenization;

/// <summary>A preset tokenizer trained on a few QA sentences, and generators of arbitrary text for property tests.</summary>
internal static class BpeFixtures
{
    public static readonly string[] Corpus =
    [
        "Question: Where was Ada Vell born?\nAnswer: Ada Vell was born in Qarston, Lemaria.",
        "Question: What does the cat eat?\nAnswer: The cat eats fish and rice.",
        "Question: When did Ada Vell write her first novel?\nAnswer: Ada Vell wrote her first novel in 1987.",
        "The author's books weren't translated; they'll be soon.",
    ];

    /// <summary>Small vocabulary so that the corpus runs out of pairs seen twice before the cap.</summary>
    public static BpeVocabulary Vocabulary { get; } = BpeTrainer.Train(Corpus, PresetTokenizer.Specials, 400);

    /// <summary>Writes the vocabulary's tokenizer.json under <paramref name="folder"/>.</summary>
    public static string WriteJson(string folder)
    {
        var path = Path.Combine(folder, "tokenizer.json");
        File.WriteAllText(path, BpeTokenizerJson.Write(Vocabulary));
        return path;
    }

    /// <summary>Text fragments: any Unicode scalar, random bytes read as UTF-8 (invalid runs become U+FFFD), and
    /// emoji sequences, combining marks, contractions, digits and runs of whitespace.</summary>
    private static readonly Gen<string> Fragment = Gen.OneOf(
        Gen.Int[0, 0x10FFFF].Where(c => c is < 0xD800 or > 0xDFFF).Select(char.ConvertFromUtf32),
        Gen.Byte.Array[0, 12].Select(b => Encoding.UTF8.GetString(b)),
        Gen.OneOf<string>("👩‍👩‍👧", "🇫🇷", "e\u0301", "a\u0308\u0323", "\u0301", " ", "  ", "\n\n", "\t", " \u00A0", "'s", "'ll",
            "Ünïcödé", "日本語", "123", "?!", " the", "Ada", " Vell", "𝐀𝐁"));

    public static Gen<string> Text { get; } = Fragment.Array[0, 12].Select(string.Concat);
}
