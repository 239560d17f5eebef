using DurableUn.Tokenization;

namespace DurableUn.Presets;

/// <summary>
/// The presets' tokenizer: byte-level BPE (<see cref="BpeTrainer"/>) trained on the preset's corpus and written as a
/// Hugging Face tokenizer.json (<see cref="BpeTokenizerJson"/>), so that any text — real TOFU or MUSE files included —
/// encodes without unknown tokens, and llama.cpp reads the same vocabulary from an exported GGUF.
/// Special tokens are Llama-3's names at fixed low ids (<see cref="Specials"/>), so the Llama-3 chat template works
/// and <see cref="ModelPresets"/> can name BOS/EOS/PAD ids without reading the file.
/// </summary>
public static class PresetTokenizer
{
    /// <summary>Ids 0–5 in this order: PAD 0, BOS 1, EOS 2 (&lt;|end_of_text|&gt;), EOT 3, header start/end 4, 5.</summary>
    public static readonly string[] Specials =
        ["<|pad|>", "<|begin_of_text|>", "<|end_of_text|>", "<|eot_id|>", "<|start_header_id|>", "<|end_header_id|>"];

    /// <summary>
    /// 2048 tokens: enough merges to make the synthetic corpus' frequent words (names, template words, relations)
    /// single tokens, so sequences stay about as short as with the word-level vocabulary (tiny corpus, seed 0: 36023
    /// tokens for 35852 words; PresetTokenizerTests), while the embedding and head (2 × 2048 × d) stay small next to the
    /// layers of a d 64–128 model.
    /// </summary>
    public const int DefaultVocabSize = 2048;

    /// <summary>The tokenizer.json text for <paramref name="corpus"/>.</summary>
    public static string Build(IEnumerable<string> corpus, int vocabSize = DefaultVocabSize) =>
        BpeTokenizerJson.Write(BpeTrainer.Train(corpus, Specials, vocabSize));
}
