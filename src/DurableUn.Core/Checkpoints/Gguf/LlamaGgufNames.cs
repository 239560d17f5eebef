namespace DurableUn.Checkpoints.Gguf;

/// <summary>
/// Hugging Face Llama parameter names → llama.cpp GGUF tensor names (llama.cpp gguf-py/gguf/constants.py
/// MODEL_TENSOR names for MODEL_ARCH.LLAMA, tensor_mapping.py), in the order the export writes them:
/// token_embd, then per block attn_norm, attn_q, attn_k, attn_v, attn_output, ffn_norm, ffn_gate, ffn_up, ffn_down,
/// then output_norm and output. A tied model has no output.weight; llama.cpp then reuses token_embd.
/// Not: biases, rope_freqs (llama3 rope scaling) or any other architecture's names.
/// </summary>
public static class LlamaGgufNames
{
    /// <summary>(HF name, GGUF name) for every tensor of the config.</summary>
    public static IReadOnlyList<(string Hf, string Gguf)> For(int layers, bool tiedEmbeddings)
    {
        var list = new List<(string, string)> { ("model.embed_tokens.weight", "token_embd.weight") };
        for (var i = 0; i < layers; i++)
        {
            var (hf, g) = ($"model.layers.{i}.", $"blk.{i}.");
            list.Add((hf + "input_layernorm.weight", g + "attn_norm.weight"));
            list.Add((hf + "self_attn.q_proj.weight", g + "attn_q.weight"));
            list.Add((hf + "self_attn.k_proj.weight", g + "attn_k.weight"));
            list.Add((hf + "self_attn.v_proj.weight", g + "attn_v.weight"));
            list.Add((hf + "self_attn.o_proj.weight", g + "attn_output.weight"));
            list.Add((hf + "post_attention_layernorm.weight", g + "ffn_norm.weight"));
            list.Add((hf + "mlp.gate_proj.weight", g + "ffn_gate.weight"));
            list.Add((hf + "mlp.up_proj.weight", g + "ffn_up.weight"));
            list.Add((hf + "mlp.down_proj.weight", g + "ffn_down.weight"));
        }
        list.Add(("model.norm.weight", "output_norm.weight"));
        if (!tiedEmbeddings) list.Add(("lm_head.weight", "output.weight"));
        return list;
    }
}
