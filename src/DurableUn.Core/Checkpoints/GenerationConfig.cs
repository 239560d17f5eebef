using DurableUn.IO;
using System.Text.Json.Nodes;

namespace DurableUn.Checkpoints;

/// <summary>
/// generation_config.json: the special tokens and sampling defaults a checkpoint ships (transformers
/// <c>GenerationConfig</c>). Defaults are transformers': greedy, temperature 1, top_p 1. Unknown keys
/// (top_k, repetition_penalty, transformers_version, ...) pass through <see cref="OtherKeys"/>.
/// Not: a sampler; DurableUn's evaluation decodes greedily unless told otherwise.
/// </summary>
public sealed record GenerationConfig
{
    public const string FileName = "generation_config.json";

    /// bos_token_id
    public int? BosTokenId { get; init; }
    /// eos_token_id (one id or a list; Llama-3-Instruct stops on &lt;|end_of_text|&gt; and &lt;|eot_id|&gt;).
    public IReadOnlyList<int> EosTokenIds { get; init; } = [];
    /// pad_token_id
    public int? PadTokenId { get; init; }
    /// do_sample: false means greedy decoding.
    public bool DoSample { get; init; }
    /// temperature
    public double Temperature { get; init; } = 1.0;
    /// top_p
    public double TopP { get; init; } = 1.0;
    /// max_new_tokens (null: the caller decides).
    public int? MaxNewTokens { get; init; }
    /// Every key this reader does not interpret, verbatim.
    public JsonObject OtherKeys { get; init; } = [];

    public static GenerationConfig Read(string path) => Parse(File.ReadAllText(path), path);

    public static GenerationConfig Parse(string json, string file = FileName)
    {
        var f = new JsonFields(JsonFields.ParseObject(json, file), file);
        var config = new GenerationConfig
        {
            BosTokenId = f.Int("bos_token_id"),
            EosTokenIds = f.IntOrList("eos_token_id"),
            PadTokenId = f.Int("pad_token_id"),
            DoSample = f.Bool("do_sample") ?? false,
            Temperature = f.Double("temperature") ?? 1.0,
            TopP = f.Double("top_p") ?? 1.0,
            MaxNewTokens = f.Int("max_new_tokens"),
            OtherKeys = f.Rest(),
        };
        if (!(config.Temperature >= 0 && double.IsFinite(config.Temperature))) throw f.Error("temperature", "must be a finite number ≥ 0");
        if (!(config.TopP > 0 && config.TopP <= 1)) throw f.Error("top_p", "must be in (0, 1]");
        if (config.MaxNewTokens is <= 0) throw f.Error("max_new_tokens", "must be > 0");
        return config;
    }

    public void Write(string path) => AtomicFile.WriteAllText(path, ToJson());

    public string ToJson()
    {
        var known = new JsonObject
        {
            ["bos_token_id"] = BosTokenId,
            ["eos_token_id"] = HfModelConfig.TokenIds(EosTokenIds),
            ["do_sample"] = DoSample,
            ["temperature"] = Temperature,
            ["top_p"] = TopP,
        };
        if (PadTokenId is { } pad) known["pad_token_id"] = pad;
        if (MaxNewTokens is { } max) known["max_new_tokens"] = max;
        return HfModelConfig.SortedJson(known, OtherKeys);
    }
}
