using System.Text.Json.Nodes;

namespace DurableUn.Checkpoints;

/// <summary>
/// config.json quantization_config of a bitsandbytes checkpoint (transformers <c>BitsAndBytesConfig</c>,
/// docs/formats.md#bitsandbytes-checkpoints). Defaults are transformers' (quantization_config.py@000e223), so an absent
/// key means what it means there: fp4 (not nf4), no double quantization, fp32 compute, uint8 storage, int8 outlier
/// threshold 6.0. Not: llm_int8_skip_modules, CPU offload or fp16-weight flags, which DurableUn does not use and drops
/// on rewrite.
/// </summary>
public sealed record BnbQuantizationConfig
{
    public const string QuantMethod = "bitsandbytes";
    private static readonly string[] QuantTypes = ["fp4", "nf4"];
    private static readonly string[] Dtypes = ["float32", "float16", "bfloat16"];
    private static readonly string[] Storages = ["uint8", "int8", "float16", "bfloat16", "float32"];

    /// load_in_4bit
    public bool LoadIn4Bit { get; init; }
    /// load_in_8bit
    public bool LoadIn8Bit { get; init; }
    /// bnb_4bit_quant_type: "fp4" (transformers' default) or "nf4" (QLoRA).
    public string QuantType { get; init; } = "fp4";
    /// bnb_4bit_use_double_quant: quantize the absmax scales again (QLoRA: true).
    public bool UseDoubleQuant { get; init; }
    /// bnb_4bit_compute_dtype (null in the file means float32).
    public string ComputeDtype { get; init; } = "float32";
    /// bnb_4bit_quant_storage: the dtype the packed 4-bit codes are stored in.
    public string QuantStorage { get; init; } = "uint8";
    /// llm_int8_threshold: activation outlier threshold of LLM.int8.
    public double LlmInt8Threshold { get; init; } = 6.0;

    public static BnbQuantizationConfig FromJson(JsonObject json, string file)
    {
        var f = new JsonFields(json, file, "quantization_config.");
        if (f.String("quant_method") is var method && method != QuantMethod)
            throw f.Error("quant_method", $"must be \"{QuantMethod}\"");
        var config = new BnbQuantizationConfig
        {
            LoadIn4Bit = f.Bool("load_in_4bit") ?? false,
            LoadIn8Bit = f.Bool("load_in_8bit") ?? false,
            QuantType = OneOf(f, "bnb_4bit_quant_type", QuantTypes) ?? "fp4",
            UseDoubleQuant = f.Bool("bnb_4bit_use_double_quant") ?? false,
            ComputeDtype = OneOf(f, "bnb_4bit_compute_dtype", Dtypes) ?? "float32",
            QuantStorage = OneOf(f, "bnb_4bit_quant_storage", Storages) ?? "uint8",
            LlmInt8Threshold = f.Double("llm_int8_threshold") ?? 6.0,
        };
        if (config.LoadIn4Bit && config.LoadIn8Bit)
            throw f.Error("load_in_8bit", "load_in_4bit and load_in_8bit cannot both be true");
        return config;
    }

    public JsonObject ToJson() => new()
    {
        ["quant_method"] = QuantMethod,
        ["load_in_4bit"] = LoadIn4Bit,
        ["load_in_8bit"] = LoadIn8Bit,
        ["bnb_4bit_quant_type"] = QuantType,
        ["bnb_4bit_use_double_quant"] = UseDoubleQuant,
        ["bnb_4bit_compute_dtype"] = ComputeDtype,
        ["bnb_4bit_quant_storage"] = QuantStorage,
        ["llm_int8_threshold"] = LlmInt8Threshold,
    };

    private static string? OneOf(JsonFields f, string key, string[] allowed) =>
        f.String(key) is { } v && !allowed.Contains(v) ? throw f.Error(key, $"must be one of {string.Join(", ", allowed)}") : f.String(key);
}
