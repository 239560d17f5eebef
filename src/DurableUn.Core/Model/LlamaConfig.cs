namespace DurableUn.Model;

/// <summary>
/// Architecture of a Llama-family causal LM, with Hugging Face's config.json key names in the comments.
/// Defaults are Llama's own (transformers LlamaConfig) so that a config.json that omits a key means what it
/// means to transformers. Validation lives in <see cref="Validate"/>, called by every loader and constructor.
/// </summary>
public sealed record LlamaConfig
{
    /// vocab_size
    public required int VocabSize { get; init; }
    /// hidden_size
    public required int HiddenSize { get; init; }
    /// intermediate_size (SwiGLU width)
    public required int IntermediateSize { get; init; }
    /// num_hidden_layers
    public required int NumHiddenLayers { get; init; }
    /// num_attention_heads
    public required int NumAttentionHeads { get; init; }
    /// num_key_value_heads; equal to the head count means plain multi-head attention (transformers' default).
    public int? NumKeyValueHeads { get; init; }
    /// head_dim; transformers derives hidden_size / num_attention_heads when absent.
    public int? HeadDim { get; init; }
    /// max_position_embeddings (Llama-3: 8192).
    public int MaxPositionEmbeddings { get; init; } = 2048;
    /// rms_norm_eps (Llama-2/3: 1e-5; transformers' default 1e-6).
    public double RmsNormEps { get; init; } = 1e-6;
    /// rope_theta (Llama-2: 10000, Llama-3: 500000).
    public double RopeTheta { get; init; } = 10000.0;
    /// rope_scaling; only type "llama3" is supported (Llama-3.1 and later), null means plain RoPE.
    public RopeScaling? RopeScaling { get; init; }
    /// tie_word_embeddings: lm_head shares the embedding matrix.
    public bool TieWordEmbeddings { get; init; }
    /// attention_bias (Llama: false).
    public bool AttentionBias { get; init; }
    /// mlp_bias (Llama: false).
    public bool MlpBias { get; init; }
    /// bos_token_id
    public int? BosTokenId { get; init; }
    /// eos_token_id (a list in Llama-3-Instruct: &lt;|end_of_text|&gt; and &lt;|eot_id|&gt;).
    public IReadOnlyList<int> EosTokenIds { get; init; } = [];
    /// pad_token_id
    public int? PadTokenId { get; init; }
    /// torch_dtype as written in config.json ("float32", "bfloat16", "float16").
    public string TorchDtype { get; init; } = "float32";

    public int KeyValueHeads => NumKeyValueHeads ?? NumAttentionHeads;
    public int HeadDimension => HeadDim ?? HiddenSize / NumAttentionHeads;

    /// <summary>Throws <see cref="ArgumentException"/> naming the first inconsistent field (config.json key name).</summary>
    public LlamaConfig Validate()
    {
        Positive(VocabSize, "vocab_size");
        Positive(HiddenSize, "hidden_size");
        Positive(IntermediateSize, "intermediate_size");
        Positive(NumHiddenLayers, "num_hidden_layers");
        Positive(NumAttentionHeads, "num_attention_heads");
        Positive(KeyValueHeads, "num_key_value_heads");
        Positive(MaxPositionEmbeddings, "max_position_embeddings");
        if (HeadDim is null && HiddenSize % NumAttentionHeads != 0)
            throw new ArgumentException($"hidden_size {HiddenSize} is not divisible by num_attention_heads {NumAttentionHeads}");
        if (HeadDimension % 2 != 0)
            throw new ArgumentException($"head_dim {HeadDimension} must be even for rotary embeddings");
        if (NumAttentionHeads % KeyValueHeads != 0)
            throw new ArgumentException($"num_attention_heads {NumAttentionHeads} is not a multiple of num_key_value_heads {KeyValueHeads}");
        if (!(RmsNormEps > 0)) throw new ArgumentException($"rms_norm_eps must be > 0, got {RmsNormEps}");
        if (!(RopeTheta > 0)) throw new ArgumentException($"rope_theta must be > 0, got {RopeTheta}");
        RopeScaling?.Validate();
        foreach (var id in EosTokenIds.Concat(BosTokenId is int b ? [b] : []).Concat(PadTokenId is int p ? [p] : []))
            if (id < 0 || id >= VocabSize) throw new ArgumentException($"special token id {id} is outside vocab_size {VocabSize}");
        return this;
    }

    private static void Positive(int value, string key)
    {
        if (value <= 0) throw new ArgumentException($"{key} must be > 0, got {value}");
    }
}

/// <summary>
/// config.json rope_scaling of rope_type "llama3" (transformers modeling_rope_utils._compute_llama3_parameters):
/// low frequencies are divided by <see cref="Factor"/>, high frequencies kept, and the band between smoothed.
/// </summary>
public sealed record RopeScaling
{
    /// rope_type (or the older "type"); only "llama3" is implemented.
    public string RopeType { get; init; } = "llama3";
    /// factor (Llama-3.1: 8).
    public double Factor { get; init; } = 8.0;
    /// low_freq_factor (Llama-3.1: 1).
    public double LowFreqFactor { get; init; } = 1.0;
    /// high_freq_factor (Llama-3.1: 4).
    public double HighFreqFactor { get; init; } = 4.0;
    /// original_max_position_embeddings (Llama-3.1: 8192).
    public int OriginalMaxPositionEmbeddings { get; init; } = 8192;

    public void Validate()
    {
        if (RopeType != "llama3")
            throw new ArgumentException($"rope_scaling.rope_type \"{RopeType}\" is not supported (only \"llama3\")");
        if (!(Factor > 0)) throw new ArgumentException($"rope_scaling.factor must be > 0, got {Factor}");
        if (!(HighFreqFactor > LowFreqFactor))
            throw new ArgumentException($"rope_scaling.high_freq_factor {HighFreqFactor} must exceed low_freq_factor {LowFreqFactor}");
        if (OriginalMaxPositionEmbeddings <= 0)
            throw new ArgumentException($"rope_scaling.original_max_position_embeddings must be > 0, got {OriginalMaxPositionEmbeddings}");
    }
}
