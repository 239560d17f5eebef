using DurableUn.Checkpoints.Gguf;
using DurableUn.Quantization;
using static TorchSharp.torch;

namespace DurableUn.Tests.Checkpoints.Gguf;

public sealed class GgufExportTests : IDisposable
{
    private readonly TempFolder _dir = new();

    public void Dispose() => _dir.Dispose();

    private (GgufFile File, Dictionary<string, Tensor> Weights) Export(GgufType type, bool tied = false)
    {
        var (tokenizer, vocab) = GgufFixtures.Tokenizer(_dir.Path);
        var config = GgufFixtures.Config(vocab, tied);
        var weights = GgufFixtures.Weights(config);
        var path = _dir.File($"model-{type}.gguf");
        GgufExport.Write(path, config, weights, tokenizer, type);
        return (GgufFile.Read(path), weights);
    }

    [Fact]
    public void Llama_Metadata_Carries_The_Config()
    {
        // Given a Q8_0 export of the fixture (d 64, ffn 80, 2 layers, 4 heads over 2, theta 500000)
        var (file, _) = Export(GgufType.Q8_0);
        // Then the llama.* keys and types are llama.cpp's
        Assert.Equal("llama", file.Get("general.architecture").As<string>());
        Assert.Equal(64u, file.Get("llama.embedding_length").As<uint>());
        Assert.Equal(80u, file.Get("llama.feed_forward_length").As<uint>());
        Assert.Equal(2u, file.Get("llama.block_count").As<uint>());
        Assert.Equal(4u, file.Get("llama.attention.head_count").As<uint>());
        Assert.Equal(2u, file.Get("llama.attention.head_count_kv").As<uint>());
        Assert.Equal(16u, file.Get("llama.rope.dimension_count").As<uint>());
        Assert.Equal(500000f, file.Get("llama.rope.freq_base").As<float>());
        Assert.Equal(1e-5f, file.Get("llama.attention.layer_norm_rms_epsilon").As<float>());
        Assert.Equal(128u, file.Get("llama.context_length").As<uint>());
        Assert.Equal(7u, file.Get("general.file_type").As<uint>());            // LLAMA_FTYPE_MOSTLY_Q8_0
        Assert.Equal(2u, file.Get("general.quantization_version").As<uint>());
        Assert.Equal("t5", file.Get("tokenizer.ggml.model").As<string>());
        var tokens = file.Get("tokenizer.ggml.tokens").As<string[]>();
        Assert.Equal((int)file.Get("llama.vocab_size").As<uint>(), tokens.Length);
        Assert.Equal("<|begin_of_text|>", tokens[file.Get("tokenizer.ggml.bos_token_id").As<uint>()]);
        Assert.Equal("<unk>", tokens[file.Get("tokenizer.ggml.unknown_token_id").As<uint>()]);
        Assert.Equal(3, file.Get("tokenizer.ggml.token_type").As<int[]>()[1]);   // CONTROL
    }

    [Fact]
    public void Tensors_Have_Llama_Cpp_Names_Ggml_Dims_And_The_Type_Rule()
    {
        // Given a Q4_0 export (ffn rows of 80 are not whole 32-blocks)
        var (file, weights) = Export(GgufType.Q4_0);
        // Then dims are the PyTorch shape reversed, norms F32, ffn_down F16, other 2-D weights Q4_0
        Assert.Equal(2 + 2 * 9 + 1, file.Tensors.Count);
        Assert.Equal(weights["model.embed_tokens.weight"].shape.Reverse(), file.Tensor("token_embd.weight").Dims);
        Assert.Equal(GgmlType.Q4_0, file.Tensor("token_embd.weight").Type);
        Assert.Equal(GgmlType.F32, file.Tensor("blk.1.attn_norm.weight").Type);
        Assert.Equal(GgmlType.F16, file.Tensor("blk.0.ffn_down.weight").Type);
        Assert.Equal(GgmlType.Q4_0, file.Tensor("blk.0.ffn_up.weight").Type);
        Assert.Equal(GgmlType.Q4_0, file.Tensor("output.weight").Type);
        Assert.Equal(GgmlType.F32, file.Tensor("output_norm.weight").Type);
    }

    [Fact]
    public void A_Tied_Model_Has_No_Output_Tensor()
    {
        var (file, _) = Export(GgufType.F32, tied: true);
        Assert.DoesNotContain(file.Tensors, t => t.Name == "output.weight");
    }

    [Theory]
    [InlineData(GgufType.Q8_0)]
    [InlineData(GgufType.Q4_0)]
    public void Quantized_Tensor_Bytes_Are_GgufBlocks_Of_The_Permuted_Weight(GgufType type)
    {
        // Given an export
        var (file, weights) = Export(type);
        Func<Tensor, QuantizedTensor> quantize = type == GgufType.Q8_0 ? t => GgufQ8_0.Quantize(t) : t => GgufQ4_0.Quantize(t);
        // Then attn_k holds the ggml blocks of the row-permuted k_proj (2 kv heads), attn_v those of v_proj as is
        var k = RotaryPermutation.ToGgml(weights["model.layers.1.self_attn.k_proj.weight"], heads: 2);
        Assert.Equal(GgufBlocks.ToBytes(quantize(k)), file.ReadBytes(file.Tensor("blk.1.attn_k.weight")));
        Assert.Equal(GgufBlocks.ToBytes(quantize(weights["model.layers.0.self_attn.v_proj.weight"])), file.ReadBytes(file.Tensor("blk.0.attn_v.weight")));
    }

    [Fact]
    public void F32_Tensor_Bytes_Are_The_Permuted_Weight()
    {
        var (file, weights) = Export(GgufType.F32);
        var q = RotaryPermutation.ToGgml(weights["model.layers.0.self_attn.q_proj.weight"], heads: 4);
        var stored = file.ReadBytes(file.Tensor("blk.0.attn_q.weight"));
        Assert.Equal(q.data<float>().ToArray(), System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(stored).ToArray());
    }

    [Fact]
    public void Rope_Scaling_Is_Refused_Rather_Than_Silently_Dropped()
    {
        var (tokenizer, vocab) = GgufFixtures.Tokenizer(_dir.Path);
        var config = GgufFixtures.Config(vocab) with { RopeScaling = new DurableUn.Model.RopeScaling() };
        Assert.Throws<NotSupportedException>(() => GgufExport.Write(_dir.File("x.gguf"), config, GgufFixtures.Weights(config), tokenizer, GgufType.F32));
        Assert.False(File.Exists(_dir.File("x.gguf")));
    }

    [Fact]
    public void A_Bpe_Tokenizer_Is_Written_As_Gpt2_With_Merges_And_Add_Bos_True()
    {
        // Given the fixture with the presets' byte-level BPE tokenizer
        var (tokenizer, vocab) = GgufFixtures.BpeTokenizer(_dir.Path);
        var config = GgufFixtures.Config(vocab);
        GgufExport.Write(_dir.File("bpe.gguf"), config, GgufFixtures.Weights(config), tokenizer, GgufType.F32);
        var file = GgufFile.Read(_dir.File("bpe.gguf"));
        var json = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(tokenizer))!;
        // Then the vocabulary is llama.cpp's gpt2 with GPT-2's pre-tokenizer, the file's tokens and merges in order
        Assert.Equal("gpt2", file.Get("tokenizer.ggml.model").As<string>());
        Assert.Equal("gpt-2", file.Get("tokenizer.ggml.pre").As<string>());
        var tokens = file.Get("tokenizer.ggml.tokens").As<string[]>();
        Assert.Equal(vocab, tokens.Length);
        Assert.Equal("Ġ", tokens[6 + ' ']);
        Assert.Equal(json["model"]!["merges"]!.AsArray().Select(m => m!.GetValue<string>()), file.Get("tokenizer.ggml.merges").As<string[]>());
        var types = file.Get("tokenizer.ggml.token_type").As<int[]>();
        Assert.Equal([3, 3, 3, 3, 3, 3, 1], types.Take(7));              // specials CONTROL, bytes NORMAL
        // And BOS is added, as every product path feeds it; EOS is not
        Assert.True(file.Get("tokenizer.ggml.add_bos_token").As<bool>());
        Assert.False(file.Get("tokenizer.ggml.add_eos_token").As<bool>());
        Assert.Equal((1u, 2u, 0u), (file.Get("tokenizer.ggml.bos_token_id").As<uint>(), file.Get("tokenizer.ggml.eos_token_id").As<uint>(), file.Get("tokenizer.ggml.padding_token_id").As<uint>()));
    }
}
