using System.Text.Json.Nodes;
using DurableUn.Checkpoints;

namespace DurableUn.Tests.Checkpoints;

public class QuantizationAndGenerationConfigTests
{
    [Fact]
    public void Absent_Bnb_Keys_Take_Transformers_Defaults()
    {
        // Given a quantization_config that only says it is bitsandbytes 4-bit
        var json = new JsonObject { ["quant_method"] = "bitsandbytes", ["load_in_4bit"] = true };
        // When typed
        var bnb = BnbQuantizationConfig.FromJson(json, "config.json");
        // Then fp4 (not nf4), no double quant, fp32 compute, uint8 storage, threshold 6
        // (docs/formats.md#bitsandbytes-checkpoints)
        Assert.Equal(new BnbQuantizationConfig { LoadIn4Bit = true }, bnb);
        Assert.Equal(("fp4", false, "float32", "uint8", 6.0), (bnb.QuantType, bnb.UseDoubleQuant, bnb.ComputeDtype, bnb.QuantStorage, bnb.LlmInt8Threshold));
    }

    [Fact]
    public void QLoRA_Quantization_Config_Passes_Through_Config_Json_And_Types_Back()
    {
        // Given a config.json carrying QLoRA's NF4 + double-quant settings
        var qlora = new BnbQuantizationConfig { LoadIn4Bit = true, QuantType = "nf4", UseDoubleQuant = true, ComputeDtype = "bfloat16" };
        var json = HfModelConfigTests.Set(HfModelConfigTests.Llama31Instruct, "quantization_config", qlora.ToJson());
        // When read, written and read again
        var again = HfModelConfig.Parse(HfModelConfig.Parse(json).ToJson());
        // Then the typed view is unchanged
        Assert.Equal(qlora, again.Bnb());
    }

    [Fact]
    public void A_Non_Bitsandbytes_Quant_Method_Is_Rejected_By_Name()
    {
        var json = new JsonObject { ["quant_method"] = "gptq" };
        var e = Assert.Throws<CheckpointFormatException>(() => BnbQuantizationConfig.FromJson(json, "config.json"));
        Assert.Equal("quantization_config.quant_method", e.Key);
        Assert.Equal("\"gptq\"", e.Value);
    }

    [Fact]
    public void Generation_Config_Round_Trips_With_Eos_List_And_Unknown_Keys()
    {
        // Given Llama-3.1-Instruct's generation_config.json
        const string json = """
            {"bos_token_id": 128000, "do_sample": true, "eos_token_id": [128001, 128008, 128009],
             "temperature": 0.6, "top_p": 0.9, "transformers_version": "4.42.3"}
            """;
        // When parsed, written and parsed again
        var config = GenerationConfig.Parse(json);
        var again = GenerationConfig.Parse(config.ToJson());
        // Then
        Assert.Equal((128000, true, 0.6, 0.9), (again.BosTokenId!.Value, again.DoSample, again.Temperature, again.TopP));
        Assert.Equal([128001, 128008, 128009], again.EosTokenIds);
        Assert.Equal("4.42.3", again.OtherKeys["transformers_version"]!.GetValue<string>());
        Assert.Equal(config.ToJson(), again.ToJson());
    }

    [Fact]
    public void Generation_Config_With_Top_P_Above_One_Names_The_Key()
    {
        var e = Assert.Throws<CheckpointFormatException>(() => GenerationConfig.Parse("""{"top_p": 1.5}""", "m/generation_config.json"));
        Assert.Equal(("m/generation_config.json", "top_p", "1.5"), (e.File, e.Key, e.Value));
    }
}
