using DurableUn.IO;
using System.Text.Json;
using System.Text.Json.Nodes;
using DurableUn.Model;

namespace DurableUn.Checkpoints;

/// <summary>
/// A Hugging Face config.json of a Llama-architecture model ↔ <see cref="LlamaConfig"/> (key names from
/// transformers <c>models/llama/configuration_llama.py</c>). Reading is strict about the keys it knows (type and
/// value, errors name file, key and value) and keeps the keys it does not know in <see cref="OtherKeys"/>, so a
/// real config (initializer_range, use_cache, transformers_version, ...) survives a rewrite. quantization_config
/// passes through untouched; <see cref="BnbQuantizationConfig"/> types it on demand.
/// Not: other architectures (model_type must be "llama" or the layout-identical "mistral"); not: rope types other
/// than "llama3"; not: unknown sub-keys of rope_scaling, which are dropped.
/// </summary>
public sealed record HfModelConfig
{
    public const string FileName = "config.json";

    /// <summary>The model types whose checkpoints use Llama's parameter names and shapes.</summary>
    public static readonly IReadOnlySet<string> SupportedModelTypes = new HashSet<string> { "llama", "mistral" };

    private static readonly IReadOnlySet<string> SupportedDtypes = new HashSet<string> { "float32", "float16", "bfloat16" };

    public required LlamaConfig Llama { get; init; }
    /// model_type
    public string ModelType { get; init; } = "llama";
    /// architectures
    public IReadOnlyList<string> Architectures { get; init; } = ["LlamaForCausalLM"];
    /// quantization_config, verbatim (null when the checkpoint is not pre-quantized).
    public JsonObject? QuantizationConfig { get; init; }
    /// Every key this reader does not interpret, verbatim, written back as-is.
    public JsonObject OtherKeys { get; init; } = [];

    /// <summary>The quantization_config as a bitsandbytes config; null when absent.</summary>
    public BnbQuantizationConfig? Bnb(string file = FileName) =>
        QuantizationConfig is null ? null : BnbQuantizationConfig.FromJson(QuantizationConfig, file);

    public static HfModelConfig Read(string path) => Parse(File.ReadAllText(path), path);

    public static HfModelConfig Parse(string json, string file = FileName)
    {
        var f = new JsonFields(JsonFields.ParseObject(json, file), file);
        var modelType = f.String("model_type") ?? throw f.Error("model_type", "is required");
        if (!SupportedModelTypes.Contains(modelType))
            throw f.Error("model_type", $"is not a Llama-architecture model (supported: {string.Join(", ", SupportedModelTypes)})");
        if (f.String("hidden_act") is { } act && act != "silu")
            throw f.Error("hidden_act", "must be \"silu\" (Llama's SwiGLU)");
        var dtype = f.String("torch_dtype") ?? f.String("dtype"); // transformers ≥ 4.56 writes "dtype"
        if (dtype is not null && !SupportedDtypes.Contains(dtype))
            throw f.Error(f.String("torch_dtype") is null ? "dtype" : "torch_dtype", $"must be one of {string.Join(", ", SupportedDtypes)}");

        var llama = new LlamaConfig
        {
            VocabSize = Positive(f, "vocab_size") ?? throw f.Error("vocab_size", "is required"),
            HiddenSize = Positive(f, "hidden_size") ?? throw f.Error("hidden_size", "is required"),
            IntermediateSize = Positive(f, "intermediate_size") ?? throw f.Error("intermediate_size", "is required"),
            NumHiddenLayers = Positive(f, "num_hidden_layers") ?? throw f.Error("num_hidden_layers", "is required"),
            NumAttentionHeads = Positive(f, "num_attention_heads") ?? throw f.Error("num_attention_heads", "is required"),
            NumKeyValueHeads = Positive(f, "num_key_value_heads"),
            HeadDim = Positive(f, "head_dim"),
            MaxPositionEmbeddings = Positive(f, "max_position_embeddings") ?? 2048,
            RmsNormEps = PositiveReal(f, "rms_norm_eps") ?? 1e-6,
            RopeTheta = PositiveReal(f, "rope_theta") ?? 10000.0,
            RopeScaling = f.Object("rope_scaling") is { } rope ? ReadRopeScaling(rope, file) : null,
            TieWordEmbeddings = f.Bool("tie_word_embeddings") ?? false,
            AttentionBias = f.Bool("attention_bias") ?? false,
            MlpBias = f.Bool("mlp_bias") ?? false,
            BosTokenId = f.Int("bos_token_id"),
            EosTokenIds = f.IntOrList("eos_token_id"),
            PadTokenId = f.Int("pad_token_id"),
            TorchDtype = dtype ?? "float32",
        };
        try
        {
            llama.Validate();
        }
        catch (ArgumentException e)
        {
            throw new CheckpointFormatException(file, null, null, e.Message);
        }
        return new HfModelConfig
        {
            Llama = llama,
            ModelType = modelType,
            Architectures = f.Strings("architectures") ?? ["LlamaForCausalLM"],
            QuantizationConfig = f.Object("quantization_config")?.DeepClone().AsObject(),
            OtherKeys = f.Rest(),
        };
    }

    public void Write(string path) => AtomicFile.WriteAllText(path, ToJson());

    /// <summary>config.json text: keys sorted, two-space indent, as transformers' to_json_string writes it.</summary>
    public string ToJson()
    {
        var c = Llama;
        var known = new JsonObject
        {
            ["architectures"] = new JsonArray(Architectures.Select(a => (JsonNode?)a).ToArray()),
            ["attention_bias"] = c.AttentionBias,
            ["bos_token_id"] = c.BosTokenId,
            ["eos_token_id"] = TokenIds(c.EosTokenIds),
            ["hidden_act"] = "silu",
            ["hidden_size"] = c.HiddenSize,
            ["intermediate_size"] = c.IntermediateSize,
            ["max_position_embeddings"] = c.MaxPositionEmbeddings,
            ["mlp_bias"] = c.MlpBias,
            ["model_type"] = ModelType,
            ["num_attention_heads"] = c.NumAttentionHeads,
            ["num_hidden_layers"] = c.NumHiddenLayers,
            ["rms_norm_eps"] = c.RmsNormEps,
            ["rope_scaling"] = c.RopeScaling is { } r ? new JsonObject
            {
                ["factor"] = r.Factor,
                ["high_freq_factor"] = r.HighFreqFactor,
                ["low_freq_factor"] = r.LowFreqFactor,
                ["original_max_position_embeddings"] = r.OriginalMaxPositionEmbeddings,
                ["rope_type"] = r.RopeType,
            } : null,
            ["rope_theta"] = c.RopeTheta,
            ["tie_word_embeddings"] = c.TieWordEmbeddings,
            ["torch_dtype"] = c.TorchDtype,
            ["vocab_size"] = c.VocabSize,
        };
        if (c.NumKeyValueHeads is { } kv) known["num_key_value_heads"] = kv;
        if (c.HeadDim is { } hd) known["head_dim"] = hd;
        if (c.PadTokenId is { } pad) known["pad_token_id"] = pad;
        if (QuantizationConfig is not null) known["quantization_config"] = QuantizationConfig.DeepClone();
        return SortedJson(known, OtherKeys);
    }

    /// <summary>One id as an integer, several as a list, none as null: what transformers writes for eos_token_id.</summary>
    internal static JsonNode? TokenIds(IReadOnlyList<int> ids) =>
        ids.Count switch { 0 => null, 1 => ids[0], _ => new JsonArray(ids.Select(i => (JsonNode?)i).ToArray()) };

    /// <summary>The union of known and passed-through keys, sorted ordinally; known keys win a clash.</summary>
    internal static string SortedJson(JsonObject known, JsonObject other)
    {
        var all = new SortedDictionary<string, JsonNode?>(StringComparer.Ordinal);
        foreach (var (k, v) in other) all[k] = v?.DeepClone();
        foreach (var (k, v) in known) all[k] = v?.DeepClone();
        var root = new JsonObject();
        foreach (var (k, v) in all) root[k] = v;
        return root.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n";
    }

    private static RopeScaling ReadRopeScaling(JsonObject rope, string file)
    {
        var f = new JsonFields(rope, file, "rope_scaling.");
        var type = f.String("rope_type") ?? f.String("type") ?? throw f.Error("rope_type", "is required");
        if (type != "llama3") throw f.Error(f.String("rope_type") is null ? "type" : "rope_type", "only \"llama3\" is supported");
        return new RopeScaling
        {
            RopeType = type,
            Factor = PositiveReal(f, "factor") ?? throw f.Error("factor", "is required"),
            LowFreqFactor = PositiveReal(f, "low_freq_factor") ?? throw f.Error("low_freq_factor", "is required"),
            HighFreqFactor = PositiveReal(f, "high_freq_factor") ?? throw f.Error("high_freq_factor", "is required"),
            OriginalMaxPositionEmbeddings = Positive(f, "original_max_position_embeddings") ?? throw f.Error("original_max_position_embeddings", "is required"),
        };
    }

    private static int? Positive(JsonFields f, string key) =>
        f.Int(key) is { } v && v <= 0 ? throw f.Error(key, "must be > 0") : f.Int(key);

    private static double? PositiveReal(JsonFields f, string key) =>
        f.Double(key) is { } v && !(v > 0 && double.IsFinite(v)) ? throw f.Error(key, "must be a finite number > 0") : f.Double(key);
}
