using System.Text.Json.Nodes;
using DurableUn.Checkpoints;
using DurableUn.Model;

namespace DurableUn.Tests.Checkpoints;

public class HfModelConfigTests
{
    /// <summary>meta-llama/Llama-3.1-8B-Instruct's config.json as published on the Hub.</summary>
    internal const string Llama31Instruct = """
        {
          "architectures": ["LlamaForCausalLM"],
          "attention_bias": false,
          "attention_dropout": 0.0,
          "bos_token_id": 128000,
          "eos_token_id": [128001, 128008, 128009],
          "hidden_act": "silu",
          "hidden_size": 4096,
          "initializer_range": 0.02,
          "intermediate_size": 14336,
          "max_position_embeddings": 131072,
          "mlp_bias": false,
          "model_type": "llama",
          "num_attention_heads": 32,
          "num_hidden_layers": 32,
          "num_key_value_heads": 8,
          "pretraining_tp": 1,
          "rms_norm_eps": 1e-05,
          "rope_scaling": {"factor": 8.0, "low_freq_factor": 1.0, "high_freq_factor": 4.0, "original_max_position_embeddings": 8192, "rope_type": "llama3"},
          "rope_theta": 500000.0,
          "tie_word_embeddings": false,
          "torch_dtype": "bfloat16",
          "transformers_version": "4.43.0.dev0",
          "use_cache": true,
          "vocab_size": 128256
        }
        """;

    [Fact]
    public void Llama31_Config_Reads_Into_LlamaConfig_And_Keeps_Unknown_Keys()
    {
        // Given, When
        var config = HfModelConfig.Parse(Llama31Instruct);
        var c = config.Llama;
        // Then
        Assert.Equal((128256, 4096, 14336, 32, 32, 8), (c.VocabSize, c.HiddenSize, c.IntermediateSize, c.NumHiddenLayers, c.NumAttentionHeads, c.KeyValueHeads));
        Assert.Equal((131072, 1e-5, 500000.0, "bfloat16"), (c.MaxPositionEmbeddings, c.RmsNormEps, c.RopeTheta, c.TorchDtype));
        Assert.Equal(new RopeScaling { Factor = 8, LowFreqFactor = 1, HighFreqFactor = 4, OriginalMaxPositionEmbeddings = 8192 }, c.RopeScaling);
        Assert.Equal([128001, 128008, 128009], c.EosTokenIds);
        Assert.Equal(128000, c.BosTokenId);
        Assert.Null(c.PadTokenId);
        Assert.Equal(["attention_dropout", "initializer_range", "pretraining_tp", "transformers_version", "use_cache"], config.OtherKeys.Select(kv => kv.Key).Order());
    }

    [Fact]
    public void Written_Config_Reads_Back_The_Same_With_Sorted_Keys()
    {
        // Given a parsed config
        using var dir = new TempFolder();
        var original = HfModelConfig.Parse(Llama31Instruct);
        // When written and read again
        original.Write(dir.File("config.json"));
        var again = HfModelConfig.Read(dir.File("config.json"));
        // Then nothing changed, unknown keys included, and keys are in transformers' sorted order
        Assert.Equal(original.ToJson(), again.ToJson());
        Assert.Equal(original.Llama with { EosTokenIds = [] }, again.Llama with { EosTokenIds = [] });
        Assert.Equal(original.Llama.EosTokenIds, again.Llama.EosTokenIds);
        var keys = JsonNode.Parse(File.ReadAllText(dir.File("config.json")))!.AsObject().Select(kv => kv.Key).ToList();
        Assert.Equal(keys.Order(StringComparer.Ordinal), keys);
        Assert.Equal(0.02, again.OtherKeys["initializer_range"]!.GetValue<double>());
    }

    [Fact]
    public void A_Single_Eos_Id_Is_Written_As_An_Integer()
    {
        // Given a config with one eos id, When written
        var json = HfModelConfig.Parse(Set(Llama31Instruct, "eos_token_id", 128009)).ToJson();
        // Then transformers' shape: a bare integer
        Assert.Equal(128009, JsonNode.Parse(json)!["eos_token_id"]!.GetValue<int>());
    }

    public static TheoryData<string, JsonNode?, string> InvalidValues() => new()
    {
        { "vocab_size", "big", "must be an integer" },
        { "hidden_size", -1, "must be > 0" },
        { "num_key_value_heads", 0, "must be > 0" },
        { "rms_norm_eps", 0, "must be a finite number > 0" },
        { "tie_word_embeddings", "yes", "must be true or false" },
        { "eos_token_id", new JsonArray(1, "x"), "integer or a list of integers" },
        { "model_type", "gpt2", "not a Llama-architecture model" },
        { "hidden_act", "gelu", "silu" },
        { "torch_dtype", "int4", "must be one of" },
        { "rope_scaling.factor", -2, "must be a finite number > 0" },
        { "rope_scaling.rope_type", "linear", "only \"llama3\"" },
        { "architectures", "LlamaForCausalLM", "list of strings" },
    };

    [Theory]
    [MemberData(nameof(InvalidValues))]
    public void An_Invalid_Value_Names_File_Key_And_Value(string key, JsonNode? value, string reason)
    {
        // Given the Llama-3.1 config with one key broken
        var json = Set(Llama31Instruct, key, value);
        // When parsed
        var e = Assert.Throws<CheckpointFormatException>(() => HfModelConfig.Parse(json, "ckpt/config.json"));
        // Then
        Assert.Equal("ckpt/config.json", e.File);
        Assert.Equal(key, e.Key);
        Assert.Equal(value!.ToJsonString(), e.Value);
        Assert.Contains(reason, e.Message);
        Assert.Contains($"{key} = {value.ToJsonString()}", e.Message);
    }

    [Fact]
    public void Inconsistent_Head_Counts_Are_Reported_With_The_File()
    {
        // Given 32 query heads over 7 key/value heads
        var json = Set(Llama31Instruct, "num_key_value_heads", 7);
        // When parsed, Then LlamaConfig's cross-key rule surfaces as a format error on the file
        var e = Assert.Throws<CheckpointFormatException>(() => HfModelConfig.Parse(json, "ckpt/config.json"));
        Assert.Contains("ckpt/config.json", e.Message);
        Assert.Contains("num_key_value_heads 7", e.Message);
    }

    [Fact]
    public void Duplicate_Keys_Are_Rejected()
    {
        var e = Assert.Throws<CheckpointFormatException>(() => HfModelConfig.Parse("""{"model_type": "llama", "model_type": "llama"}"""));
        Assert.Contains("not valid JSON", e.Message);
    }

    [Fact]
    public void Mistral_Configs_Are_Accepted_As_Llama_Layout()
    {
        var config = HfModelConfig.Parse(Set(Llama31Instruct, "model_type", "mistral"));
        Assert.Equal("mistral", config.ModelType);
    }

    internal static string Set(string json, string dottedKey, JsonNode? value)
    {
        var root = JsonNode.Parse(json)!.AsObject();
        var parts = dottedKey.Split('.');
        var target = parts.Length == 1 ? root : root[parts[0]]!.AsObject();
        target[parts[^1]] = value;
        return root.ToJsonString();
    }
}
