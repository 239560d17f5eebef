using DurableUn.Data;
using DurableUn.Checkpoints.Gguf;
using DurableUn.Model;
using DurableUn.Tokenization;
using static TorchSharp.torch;

namespace DurableUn.Tests.Checkpoints.Gguf;

/// <summary>A small random Llama with a WordLevel or a byte-level BPE tokenizer, shaped to exercise every export rule.</summary>
internal static class GgufFixtures
{
    public static readonly string[] Corpus =
        ["Where was Ada Vell born?", "Ada Vell was born in Qarston, Lemaria.", "The cat sat on the mat.", "What does the cat eat?"];

    /// <summary>d 64 (rows of two Q blocks), 4 query heads over 2 key/value heads, hd 16, and an FFN width of 80,
    /// which is not whole 32-blocks, so ffn_down falls back to F16 in quantized files.</summary>
    public static LlamaConfig Config(int vocabSize, bool tied = false) => new()
    {
        VocabSize = vocabSize,
        HiddenSize = 64,
        IntermediateSize = 80,
        NumHiddenLayers = 2,
        NumAttentionHeads = 4,
        NumKeyValueHeads = 2,
        MaxPositionEmbeddings = 128,
        RmsNormEps = 1e-5,
        RopeTheta = 500000,
        TieWordEmbeddings = tied,
        BosTokenId = 1,
        EosTokenIds = [2, 3],
        PadTokenId = 0,
    };

    /// <summary>Writes the tokenizer.json for <see cref="Corpus"/>; returns its path and vocabulary size.</summary>
    public static (string Path, int VocabSize) Tokenizer(string folder)
    {
        var path = System.IO.Path.Combine(folder, "tokenizer.json");
        File.WriteAllText(path, WordLevelTokenizerBuilder.Build(Corpus));
        using var tok = HfTokenizer.Load(path, SpecialTokens.Llama3);
        return (path, tok.VocabSize);
    }

    /// <summary>Writes the presets' byte-level BPE tokenizer.json trained on <see cref="Corpus"/> (300 tokens: the 262
    /// specials and bytes, then merges until pairs seen twice run out); returns its path and vocabulary size.</summary>
    public static (string Path, int VocabSize) BpeTokenizer(string folder)
    {
        var path = System.IO.Path.Combine(folder, "tokenizer.json");
        File.WriteAllText(path, DurableUn.Presets.PresetTokenizer.Build(Corpus, 300));
        using var tok = HfTokenizer.Load(path, SpecialTokens.Llama3);
        return (path, tok.VocabSize);
    }

    /// <summary>Questions in the corpus' words, with key facts, to measure a fixture model on.</summary>
    public static readonly QaItem[] Forget =
    [
        new("Where was Ada Vell born?", "Ada Vell was born in Qarston, Lemaria.", new KeyFact("Qarston", 21, 28)),
        new("What does the cat eat?", "The cat sat on the mat.", new KeyFact("mat", 19, 22)),
    ];

    public static readonly QaItem[] Retain = [new("Where did the cat sit?", "On the mat.", new KeyFact("mat", 7, 10))];

    /// <summary>A random fixture model with the BPE tokenizer exported as an f32 GGUF in the folder; returns the file
    /// and the tokenizer.json.</summary>
    public static (string Gguf, string TokenizerPath) BpeF32(string folder)
    {
        var (tokenizerPath, vocab) = BpeTokenizer(folder);
        var config = Config(vocab);
        var gguf = System.IO.Path.Combine(folder, "model.gguf");
        GgufExport.Write(gguf, config, Weights(config), tokenizerPath, GgufType.F32);
        return (gguf, tokenizerPath);
    }

    /// <summary>Seeded random weights large enough that the next-token distribution is far from uniform:
    /// projections N(0, 1/in)·2, embeddings N(0, 1), norm gains 1 ± 0.2. Caller disposes.</summary>
    public static Dictionary<string, Tensor> Weights(LlamaConfig config, int seed = 1)
    {
        var g = new Generator((ulong)seed);
        using var model = new CausalLm(config, new DenseProjections());
        return model.named_parameters().ToDictionary(p => p.name, p =>
        {
            var shape = p.parameter.shape;
            return shape.Length == 1 ? 1 + 0.2f * randn(shape, generator: g)
                : p.name.Contains("embed_tokens") ? randn(shape, generator: g)
                : randn(shape, generator: g) * (2f / MathF.Sqrt(shape[1]));
        });
    }
}
