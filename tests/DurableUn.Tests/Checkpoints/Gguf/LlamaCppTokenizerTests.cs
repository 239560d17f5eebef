using DurableUn.Tests.Prerequisites;
using DurableUn.Checkpoints.Gguf;
using DurableUn.Tokenization;

namespace DurableUn.Tests.Checkpoints.Gguf;

/// <summary>llama.cpp's tokenizer on exported vocabularies (see <see cref="GgufTokenizer"/>): byte-level BPE gives the
/// product's ids on any text; WordLevel on in-vocabulary text. Needs `npm ci --prefix tools/llama-check`.</summary>
public sealed class LlamaCppTokenizerTests : IDisposable
{
    private readonly TempFolder _dir = new();

    public void Dispose() => _dir.Dispose();

    [FactNeeds(Need.LlamaCpp)]
    public void LlamaCpp_Splits_In_Vocabulary_Text_Into_The_Same_Word_Ids_As_The_Hf_Tokenizer()
    {
        // Given an exported model and its WordLevel tokenizer
        var (tokenizerPath, vocab) = GgufFixtures.Tokenizer(_dir.Path);
        var config = GgufFixtures.Config(vocab);
        var gguf = _dir.File("model.gguf");
        GgufExport.Write(gguf, config, GgufFixtures.Weights(config), tokenizerPath, GgufType.F32);
        using var hf = HfTokenizer.Load(tokenizerPath, SpecialTokens.Llama3);
        foreach (var text in new[] { "Ada Vell was born in Qarston, Lemaria.", "Where   was the cat born?" })
        {
            // When llama.cpp tokenizes text made of known words, spaces and punctuation
            var ids = LlamaCpp.Tokenize(gguf, text);
            // Then it gives the Hugging Face ids, one per word
            Assert.Equal(hf.Encode(text), ids);
        }
    }

    [FactNeeds(Need.LlamaCpp)]
    public void LlamaCpp_Tokenizes_Real_Looking_Questions_With_Unseen_Words_To_The_Products_Bpe_Ids()
    {
        // Given an exported model whose tokenizer is the presets' byte-level BPE, trained on a few sentences
        var (gguf, tokenizerPath) = GgufFixtures.BpeF32(_dir.Path);
        using var hf = HfTokenizer.Load(tokenizerPath, SpecialTokens.Llama3);
        string[] questions =
        [
            "What is the full name of the author born in Taipei, Taiwan on 05/11/1991 who writes in the genre of leadership?",
            "Which awards has Hsiao Yun-Hwa received for her writing?",
            "Can you tell us about the type of books that Jaime Vasquez writes?",
            "What does Ada Vell's father do for a living?",
            "Why didn't the cat eat?  It's 3.5 km away.\n\nÜber café naïve — 日本語 🐈‍⬛!",
        ];
        foreach (var text in questions)
        {
            // When llama.cpp tokenizes text, most of whose words it never saw in training
            var ids = LlamaCpp.Tokenize(gguf, text);
            // Then it gives the product's ids
            Assert.Equal(hf.Encode(text), ids);
        }
    }
}
