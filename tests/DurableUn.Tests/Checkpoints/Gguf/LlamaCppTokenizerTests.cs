using DurableUn.Tests.Prerequisites;
using DurableUn.Checkpoints.Gguf;
using DurableUn.Tokenization;

namespace DurableUn.Tests.Checkpoints.Gguf;

/// <summary>llama.cpp's tokenizer on an exported WordLevel vocabulary (see <see cref="GgufTokenizer"/>): same ids as
/// the Hugging Face tokenizer on in-vocabulary text. Needs `npm ci --prefix tools/llama-check`.</summary>
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
}
