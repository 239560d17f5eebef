using DurableUn.Data;
using DurableUn.Model;

namespace DurableUn.Presets;

/// <summary>The built-in model sizes (docs/design.md#model-presets). Real checkpoints are loaded from a folder
/// instead.</summary>
public enum ModelPreset { Smoke, Tiny, Small, Wide }

/// <summary>
/// Architectures of the presets. Llama-3's choices where they cost nothing at this size (rope_theta 500000,
/// rms_norm_eps 1e-5, grouped-query attention with half as many key/value heads, untied head); widths chosen for
/// speed on a 2-core CPU: smoke fine-tunes in seconds for tests, tiny memorises its data in about a minute.
/// Every width is a multiple of 64, the default INT4 group and NF4 block, so every precision applies to every layer.
/// The vocabulary size comes from the tokenizer built for the preset's data.
/// </summary>
public static class ModelPresets
{
    public static LlamaConfig Config(ModelPreset preset, int vocabSize) => preset switch
    {
        // 2 layers, d 64: the smallest model that still has every part (GQA, SwiGLU, RoPE) exercised.
        ModelPreset.Smoke => Common(vocabSize) with { HiddenSize = 64, IntermediateSize = 192, NumHiddenLayers = 2, NumAttentionHeads = 4, NumKeyValueHeads = 2 },
        // 4 layers, d 128: ~1M parameters plus embeddings, enough capacity to memorise a few hundred QA pairs.
        ModelPreset.Tiny => Common(vocabSize) with { HiddenSize = 128, IntermediateSize = 384, NumHiddenLayers = 4, NumAttentionHeads = 4, NumKeyValueHeads = 2 },
        // 4 layers, d 256: the next width of the regime map (bench/regime_map.sh), twice tiny's.
        ModelPreset.Small => Common(vocabSize) with { HiddenSize = 256, IntermediateSize = 768, NumHiddenLayers = 4, NumAttentionHeads = 4, NumKeyValueHeads = 2 },
        // 2 layers, d 1024: the wide point of the regime map (d ≥ 1024, few layers), where many sub-step weight moves
        // add up into one answer (the hypothesis the point tests); MLP at Llama's 8/3 ratio rounded to a multiple of 64.
        ModelPreset.Wide => Common(vocabSize) with { HiddenSize = 1024, IntermediateSize = 2752, NumHiddenLayers = 2, NumAttentionHeads = 8, NumKeyValueHeads = 4 },
        _ => throw new ArgumentOutOfRangeException(nameof(preset), preset, "unknown model preset"),
    };

    /// <summary>The data size that goes with a model preset.</summary>
    public static DataPreset Data(ModelPreset preset) => preset switch
    {
        ModelPreset.Smoke => DataPreset.Smoke,
        // Small and wide keep tiny's data so that the regime map varies width alone.
        ModelPreset.Tiny or ModelPreset.Small or ModelPreset.Wide => DataPreset.Tiny,
        _ => throw new ArgumentOutOfRangeException(nameof(preset), preset, "unknown model preset"),
    };

    private static LlamaConfig Common(int vocabSize) => new()
    {
        VocabSize = vocabSize,
        HiddenSize = 0,
        IntermediateSize = 0,
        NumHiddenLayers = 0,
        NumAttentionHeads = 0,
        MaxPositionEmbeddings = 1024,
        RmsNormEps = 1e-5,
        RopeTheta = 500000,
        TieWordEmbeddings = false,
        // ids fixed by PresetTokenizer.Specials: <|pad|> 0, <|begin_of_text|> 1, <|end_of_text|> 2, <|eot_id|> 3
        BosTokenId = 1,
        EosTokenIds = [2, 3],
        PadTokenId = 0,
    };
}
